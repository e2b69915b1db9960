"""The kinds of event a person can be told about, and how each is told by default.

Adding a kind is one line in KINDS; the preferences page, the defaults and the email task read it
from here. `email=False` marks a kind whose mail is sent by its own mechanism (replies: the
discussion mail, at once or in a digest, as the reader chose there), so only the in-app channel
is offered for it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("By email")
    BOTH = "both", _("In the app and by email")
    NONE = "none", _("Not at all")


SHOWN = (Channel.IN_APP, Channel.BOTH)
MAILED = (Channel.EMAIL, Channel.BOTH)


@dataclass(frozen=True)
class Kind:
    name: str
    label: Promise
    default: Channel
    email: bool = True

    def channels(self) -> list[Channel]:
        if self.email:
            return list(Channel)
        return [Channel.IN_APP, Channel.NONE]


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("enrollment_approved", _("My enrollment request is approved"), Channel.BOTH),
        Kind("enrollment_rejected", _("My enrollment request is turned down"), Channel.BOTH),
        Kind("waitlist_promoted", _("A waitlist seat becomes mine"), Channel.BOTH),
        Kind("work_graded", _("My assignment or lab is graded"), Channel.IN_APP),
        # The certificate's own mail already brings the PDF: in the app only, by default.
        Kind("certificate_issued", _("My certificate is issued"), Channel.IN_APP),
        Kind("certificate_revoked", _("My certificate is revoked"), Channel.BOTH),
        Kind("discussion_reply", _("A reply to my post or thread"), Channel.IN_APP, email=False),
        Kind("announcement", _("An announcement in my course"), Channel.BOTH),
        Kind("deadline_soon", _("My work is due within 24 hours"), Channel.BOTH),
    )
}


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(
            f"No notification kind {name!r}: add it to notifications.kinds."
        ) from None
