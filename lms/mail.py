"""The one way the platform mails a person: in the recipient's language.

Every mail is written by a Celery task (lms.celery.EMAIL_TASK_OPTIONS: retried with backoff on
SMTP and connection errors), long after the request that caused it, so the language active at
send time is the worker's, not the reader's. The subject and the body are rendered under the
recipient's chosen interface language (their profile's `locale`), or the site's default for an
address that has no account yet.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def recipient_language(user: Any | None) -> str:
    """The language a mail to `user` is written in: their profile's, else the site's."""
    return getattr(user, "locale", "") or settings.LANGUAGE_CODE


def localized_mail_send(
    *,
    to: str,
    language: str,
    subject: Callable[[], str],
    template: str,
    context: dict[str, Any],
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> None:
    """Render `subject()` and `template` under `language` and send one plain-text mail.

    `subject` is a callable so that its translation happens under the recipient's language;
    line breaks in it (titles typed elsewhere) become spaces, since a header cannot hold them.
    `attachments` are (filename, content, MIME type).
    """
    with translation.override(language):
        subject_line = " ".join(str(subject()).split())
        body = render_to_string(template, context)
    message = EmailMultiAlternatives(subject=subject_line, body=body, to=[to])
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
