"""The one mail helper: subject and body in the recipient's language, whatever language is
active when the worker sends."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext as _

from lms.mail import localized_mail_send, recipient_language


def test_the_recipients_language_else_the_sites():
    with override_settings(LANGUAGE_CODE="en"):
        assert recipient_language(SimpleNamespace(locale="de")) == "de"
        assert recipient_language(SimpleNamespace(locale="")) == "en"
        assert recipient_language(None) == "en"


BODY = "{% load i18n %}{% get_current_language as language %}{{ language }}: {{ name }}"


@pytest.mark.parametrize(("language", "subject"), [("de", "Passwort"), ("en", "Password")])
def test_subject_and_body_are_written_in_the_given_language(settings, language, subject):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"mail/body.txt": BODY}),
                ]
            },
        }
    ]
    with translation.override("fr"):
        localized_mail_send(
            to="ada@example.edu",
            language=language,
            subject=lambda: _("Password reset") + "\nsecond line",
            template="mail/body.txt",
            context={"name": "Ada"},
            attachments=[("a.txt", b"x", "text/plain")],
        )
        assert translation.get_language() == "fr"
    (message,) = mail.outbox
    assert message.to == ["ada@example.edu"]
    # Django's own catalog translates "Password reset" ("Passwort zurücksetzen").
    assert message.subject.split()[0] == subject
    assert "\n" not in message.subject and message.subject.endswith(" second line")
    assert message.body == f"{language}: Ada"
    ((filename, content, mimetype),) = message.attachments
    assert (filename, content, mimetype) == ("a.txt", "x", "text/plain")
