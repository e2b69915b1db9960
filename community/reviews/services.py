"""Writes of course reviews: a learner's review, staff replies, hiding and showing.

Callers resolve what a user may touch through community.reviews.selectors.reviews_access;
these functions check what the user may do with it, raise PermissionDenied when they may not,
and change rows inside one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CourseEnrollment
from community.models import (
    CourseReview,
    ReviewReply,
)
from community.reviews.selectors import ReviewsAccess
from tenancy.models import User


def review_save(
    *,
    access: ReviewsAccess,
    enrollment: CourseEnrollment,
    rating: int,
    text: str,
    display_name: str,
) -> CourseReview:
    """Write or rewrite the user's review of the offering of `enrollment`, which must be one of
    `access.eligible`. A hidden review stays hidden when edited."""
    user = access.user
    if not user.is_authenticated or enrollment not in access.eligible:
        raise PermissionDenied(_("Only students of this course may review it."))
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give from 1 to 5 stars.")})
    review, _created = CourseReview.objects.update_or_create(
        user_id=user.pk,
        course_offering_id=enrollment.course_offering_id,
        defaults={
            "rating": rating,
            "review_text": text.strip() or None,
            "display_name": display_name,
        },
    )
    return review


def _require_review_staff(access: ReviewsAccess, review: CourseReview) -> User:
    """The staff member acting on `review`; anyone else is refused."""
    user = access.user
    if not user.is_authenticated or review.course_offering_id not in access.staff_offering_ids:
        raise PermissionDenied(_("Only the staff of this offering may do this."))
    return user


def review_reply_create(*, access: ReviewsAccess, review: CourseReview, body: str) -> ReviewReply:
    """The staff's one reply to a review."""
    staff = _require_review_staff(access, review)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a reply first.")})
    try:
        with transaction.atomic():
            return ReviewReply.objects.create(review=review, user=staff, body=body)
    except IntegrityError:
        raise ValidationError(_("This review already has a reply.")) from None


@transaction.atomic
def review_set_hidden(
    *, access: ReviewsAccess, review: CourseReview, hidden: bool, reason: str = ""
) -> CourseReview:
    """Hide an abusive review from lists and ratings (its author still sees it), or show it
    again."""
    staff = _require_review_staff(access, review)
    reason = reason.strip()
    if hidden and not reason:
        raise ValidationError({"reason": _("Say why the review is hidden.")})
    review = CourseReview.objects.select_for_update().get(pk=review.pk)
    review.is_hidden = hidden
    review.hidden_reason = reason if hidden else ""
    review.hidden_at = timezone.now() if hidden else None
    review.hidden_by_user = staff if hidden else None
    review.save(
        update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by_user", "updated_at"]
    )
    return review
