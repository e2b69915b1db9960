"""Posting an announcement: staff of the offering only (catalog's is_offering_staff: its
instructors and TAs, and the admins over it), and every active learner is told in the same
transaction, in one statement however many they are."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from catalog.models import CourseOffering
from catalog.selectors.visibility import is_offering_staff
from community.announcements.selectors import announcement_recipients
from community.markup import render_markup
from community.models import Announcement
from lms import links
from notifications.services import notify_many
from tenancy.models import User

TITLE_MAX = 200
BODY_MAX = 20_000


def _clean(title: str, body: str) -> tuple[str, str]:
    title, body = " ".join((title or "").split()), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the announcement a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title under %(n)s characters.") % {"n": TITLE_MAX}
    if not body:
        errors["body"] = _("Write the announcement.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("Keep the announcement under %(n)s characters.") % {"n": BODY_MAX}
    if errors:
        raise ValidationError(errors)
    return title, body


def announcement_notify(*, announcement: Announcement) -> int:
    """Tell the offering's active learners (not the author) of `announcement`, once each."""
    summary = Truncator(strip_tags(render_markup(announcement.body))).chars(300)
    return notify_many(
        recipients=announcement_recipients(
            offering_id=announcement.course_offering_id, author_id=announcement.author_id
        ),
        kind="announcement",
        event_key=f"announcement:{announcement.pk}",
        title=announcement.title,
        summary=summary,
        link=links.page_path("course-outline", offering_id=announcement.course_offering_id)
        + "#announcements",
    )


@transaction.atomic
def announcement_post(
    *, offering: CourseOffering, author: User, title: str, body: str
) -> Announcement:
    if not is_offering_staff(user=author, offering=offering):
        raise PermissionDenied(_("Only the staff of this offering may post announcements."))
    title, body = _clean(title, body)
    announcement = Announcement.objects.create(
        course_offering=offering, author=author, title=title, body=body
    )
    announcement_notify(announcement=announcement)
    return announcement
