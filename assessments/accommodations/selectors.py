"""Reads of accommodations: what one learner is allowed on one item, in one query."""

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import F, Q

from assessments.accommodations.models import Accommodation


@dataclass(frozen=True)
class Allowance:
    """A learner's accommodation on an item; the default allows nothing more."""

    extra_minutes: int = 0
    time_factor: Decimal | None = None
    extra_attempts: int = 0
    due_at: datetime | None = None

    def time_limit(self, seconds: int | None) -> int | None:
        """The time limit of the learner's attempt: the quiz's, multiplied by the factor, plus
        the extra minutes. No limit stays no limit."""
        if not seconds:
            return seconds
        factor = self.time_factor or Decimal(1)
        return math.ceil(seconds * factor) + self.extra_minutes * 60

    def max_attempts(self, attempts: int | None) -> int | None:
        return None if attempts is None else attempts + self.extra_attempts


NO_ALLOWANCE = Allowance()


def learner_allowance(*, user_id: int, offering_id: int, item_id: int) -> Allowance:
    """The learner's accommodation on the item: its own, else the offering-wide one (which
    counts for quizzes only; the caller asks about a quiz or reads only `due_at`)."""
    row = (
        Accommodation.objects.filter(course_offering_id=offering_id, user_id=user_id)
        .filter(Q(content_item_id=item_id) | Q(content_item__isnull=True))
        .order_by(F("content_item_id").asc(nulls_last=True))
        .values("extra_minutes", "time_factor", "extra_attempts", "due_at")
        .first()
    )
    if row is None:
        return NO_ALLOWANCE
    return Allowance(
        extra_minutes=row["extra_minutes"] or 0,
        time_factor=row["time_factor"],
        extra_attempts=row["extra_attempts"],
        due_at=row["due_at"],
    )
