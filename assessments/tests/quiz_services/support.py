"""What the quiz service tests share: a snapshot of everything taking a quiz writes."""

from assessments.progress.models import UserContentProgress
from assessments.quizzes.models import QuizAttempt, QuizMastery


def snapshot():
    return (
        list(QuizAttempt.objects.order_by("pk").values()),
        list(QuizMastery.objects.order_by("pk").values()),
        list(UserContentProgress.objects.order_by("pk").values()),
    )
