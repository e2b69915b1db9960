"""Reading a question bank in any supported format, checking it against assessments' own
answer-key rules, and writing it into a course's question pool all at once or not at all."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.quizzes.models import Choice, Question, QuestionPool
from assessments.quizzes.scoring import key_errors
from catalog.models import Course
from interchange.access import courses_for_question_authoring
from interchange.questions.bank import (
    FORMATS,
    GIFT,
    MOODLE_XML,
    QTI,
    BankRefused,
    ParsedBank,
    ParsedQuestion,
    Problem,
)
from interchange.questions.gift import parse_gift
from interchange.questions.moodlexml import parse_moodle_xml
from interchange.questions.qti import parse_qti
from interchange.questions.xmlsafe import local_name, parse_xml
from tenancy.models import User

MAX_TEXT = 500  # question_choices.text and questions.text_answer
MAX_POINTS = Decimal("9999.99")
MAX_NUMBER = Decimal("1e12")


class BankInvalid(Exception):
    """A bank with malformed questions: nothing was written."""

    def __init__(self, bank: ParsedBank) -> None:
        super().__init__(_("The file has questions that cannot be imported."))
        self.bank = bank


def max_bank_bytes() -> int:
    return settings.QUESTION_BANK_MAX_BYTES


def detect_format(data: bytes) -> str:
    """GIFT unless the file is XML; XML by its root element."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return GIFT
    root = local_name(parse_xml(data))
    if root == "quiz":
        return MOODLE_XML
    if root == "questestinterop":
        return QTI
    raise BankRefused(
        _("This XML file is neither Moodle XML (<quiz>) nor QTI 1.2 (<questestinterop>).")
    )


def _gift_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BankRefused(_("A GIFT file must be saved as UTF-8 text.")) from None


def question_key_problems(q: ParsedQuestion) -> list[str]:
    """assessments' own answer-key checks, then the column sizes."""
    choices = [(c.text, c.is_correct) for c in q.choices] if q.choices else None
    if q.question_type in ("single", "multiple") and choices is None:
        choices = []
    messages = list(
        key_errors(
            question_type=q.question_type,
            choices=choices,
            correct_boolean=q.correct_boolean,
            numeric_answer=q.numeric_answer,
            numeric_tolerance=q.numeric_tolerance,
            text_answer=q.text_answer,
            text_match=q.text_match,
        ).values()
    )
    if any(len(c.text) > MAX_TEXT for c in q.choices) or len(q.text_answer or "") > MAX_TEXT:
        messages.append(_("An answer is longer than %(n)d characters.") % {"n": MAX_TEXT})
    if any(not c.text.strip() for c in q.choices):
        messages.append(_("An option has no text."))
    if not Decimal(0) < q.points <= MAX_POINTS:
        messages.append(_("The points must be above 0 and at most %(max)s.") % {"max": MAX_POINTS})
    for number in (q.numeric_answer, q.numeric_tolerance):
        if number is not None and abs(number) >= MAX_NUMBER:
            messages.append(_("The number %(n)s is too large.") % {"n": number})
    return messages


def question_bank_parse(*, data: bytes, file_format: str | None = None) -> ParsedBank:
    """The bank in `data` (format detected when not given), with every question checked."""
    if len(data) > max_bank_bytes():
        raise BankRefused(
            _("The file is larger than %(size)d KB.") % {"size": max_bank_bytes() // 1024}
        )
    if not data.strip():
        raise BankRefused(_("The file is empty."))
    chosen = file_format or detect_format(data)
    if chosen not in FORMATS:
        raise BankRefused(_("Unknown format %(format)s.") % {"format": chosen})
    if chosen == GIFT:
        bank = parse_gift(_gift_text(data))
    elif chosen == MOODLE_XML:
        bank = parse_moodle_xml(data)
    else:
        bank = parse_qti(data)
    limit = settings.QUESTION_BANK_MAX_QUESTIONS
    if len(bank.questions) + len(bank.unmapped) > limit:
        raise BankRefused(_("The file has more than %(n)d questions; split it.") % {"n": limit})
    for q in bank.questions:
        bank.problems += [Problem(q.place, message) for message in question_key_problems(q)]
    return bank


@dataclass(frozen=True)
class ImportResult:
    pool: QuestionPool
    created: int
    pool_created: bool


def question_bank_import(
    *, actor: User | None, course: Course, pool_title: str, bank: ParsedBank
) -> ImportResult:
    """Write the bank's mapped questions at the end of the course's pool titled `pool_title`
    (created when missing). A bank with any malformed question writes nothing. `actor` None
    is the server's operator (the import_questions command), who may import anywhere."""
    if (
        actor is not None
        and not courses_for_question_authoring(actor).filter(pk=course.pk).exists()
    ):
        raise PermissionDenied(_("You may not add questions to this course."))
    title = pool_title.strip()
    if not title or len(title) > 255:
        raise BankRefused(_("Give the pool a title of at most 255 characters."))
    if not bank.is_valid:
        raise BankInvalid(bank)
    with transaction.atomic():
        # Lock the course so two imports into the same new pool title do not make two pools.
        Course.objects.select_for_update().filter(pk=course.pk).values_list("pk").get()
        pool = QuestionPool.objects.filter(course=course, title=title).order_by("pk").first()
        created_pool = pool is None
        if pool is None:
            pool = QuestionPool.objects.create(course=course, title=title)
        start = pool.questions.aggregate(top=Max("position"))["top"] or 0
        questions = Question.objects.bulk_create(
            [
                Question(
                    pool=pool,
                    question_type=q.question_type,
                    prompt=q.prompt,
                    points=q.points,
                    explanation=q.explanation,
                    position=start + n,
                    correct_boolean=q.correct_boolean,
                    numeric_answer=q.numeric_answer,
                    numeric_tolerance=q.numeric_tolerance,
                    text_answer=q.text_answer,
                    text_match=q.text_match,
                )
                for n, q in enumerate(bank.questions, start=1)
            ]
        )
        Choice.objects.bulk_create(
            [
                Choice(question=question, text=c.text, is_correct=c.is_correct, position=n)
                for question, q in zip(questions, bank.questions, strict=True)
                for n, c in enumerate(q.choices, start=1)
            ]
        )
    return ImportResult(pool=pool, created=len(questions), pool_created=created_pool)
