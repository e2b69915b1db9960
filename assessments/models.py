"""The model index of the assessments app: Django loads `assessments.models`, and this imports the
models of each subdomain (progress, quizzes, labs, assignments, grades, deadlines) from its own
models.py so the app registry finds them. Define models in the subpackages, not here."""

from assessments.accommodations.models import (
    Accommodation,
)
from assessments.assignments.models import (
    AssignmentSubmission,
)
from assessments.deadlines.models import (
    CalendarFeed,
)
from assessments.grades.models import (
    AttemptRule,
    Certificate,
    CourseGrade,
    GradingPolicy,
    default_letter_scheme,
)
from assessments.labs.models import (
    LabFile,
    LabStatus,
    LabSubmission,
)
from assessments.progress.models import (
    UserContentProgress,
    UserModuleProgress,
    percent_checks,
)
from assessments.quizzes.models import (
    CHOICE_TYPES,
    Choice,
    Question,
    QuestionPool,
    QuestionType,
    QuizAttempt,
    QuizMastery,
    QuizRegrade,
    TextMatch,
)
from assessments.rubrics.models import (
    Rubric,
    RubricAttachment,
    RubricCriterion,
    RubricLevel,
    RubricMark,
)

__all__ = [
    "CHOICE_TYPES",
    "Accommodation",
    "AssignmentSubmission",
    "AttemptRule",
    "CalendarFeed",
    "Certificate",
    "Choice",
    "CourseGrade",
    "GradingPolicy",
    "LabFile",
    "LabStatus",
    "LabSubmission",
    "Question",
    "QuestionPool",
    "QuestionType",
    "QuizAttempt",
    "QuizMastery",
    "QuizRegrade",
    "Rubric",
    "RubricAttachment",
    "RubricCriterion",
    "RubricLevel",
    "RubricMark",
    "TextMatch",
    "UserContentProgress",
    "UserModuleProgress",
    "default_letter_scheme",
    "percent_checks",
]
