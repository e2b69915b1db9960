"""What every question-bank reader produces: the questions it could map onto the product's
question types, the ones it could not (with the reason) and the malformed ones (with where).

Readers never touch the database; interchange.questions.services validates the parsed bank
against assessments' own answer-key rules and writes it.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from assessments.quizzes.models import QuestionType, TextMatch
from content.markup.policy import sanitise

GIFT, MOODLE_XML, QTI = "gift", "moodlexml", "qti"
FORMATS = {GIFT: "GIFT", MOODLE_XML: "Moodle XML", QTI: "QTI 1.2"}

# The shape used for a short-text question with several accepted answers: a case-insensitive
# alternation of the literal answers, which the exporters turn back into the answers.
_ALTERNATION = re.compile(r"\A(?:\(\?i\))?\(\?:(?P<body>.*)\)\Z", re.DOTALL)


class BankRefused(Exception):
    """A file refused whole (unreadable, hostile or too large), with a message for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ParsedChoice:
    text: str
    is_correct: bool


@dataclass
class ParsedQuestion:
    """A question mapped onto one of assessments' question types."""

    place: str  # where it starts in the file: "line 12", "question 3"
    question_type: str
    prompt: str
    title: str = ""
    category: str = ""
    points: Decimal = Decimal(1)
    explanation: str = ""
    choices: list[ParsedChoice] = field(default_factory=list)
    correct_boolean: bool | None = None
    numeric_answer: Decimal | None = None
    numeric_tolerance: Decimal | None = None
    text_answer: str | None = None
    text_match: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return str(QuestionType(self.question_type).label)


@dataclass(frozen=True)
class Unmapped:
    """A question of a kind the product cannot represent, reported and not imported."""

    place: str
    title: str
    kind: str
    reason: str


@dataclass(frozen=True)
class Problem:
    """A malformed question: the whole import is refused until it is fixed."""

    place: str
    message: str


@dataclass
class ParsedBank:
    format: str
    questions: list[ParsedQuestion] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.questions)

    @property
    def format_label(self) -> str:
        return FORMATS[self.format]

    def counts(self) -> dict[str, int]:
        """Questions to import by type label, in the product's order of types."""
        found = Counter(q.question_type for q in self.questions)
        return {str(label): found[value] for value, label in QuestionType.choices if found[value]}


def html_to_text(markup: str) -> str:
    """Question text is plain text here: HTML goes through the one sanitiser, then keeps only
    its text, paragraphs and line breaks becoming new lines."""
    cleaned = sanitise(markup)
    cleaned = re.sub(r"(?i)<br\s*/?>", "\n", cleaned)
    cleaned = re.sub(r"(?i)</(p|div|li|h[1-6]|tr)>", "\n", cleaned)
    text = html.unescape(strip_tags(cleaned))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def _has_wildcard(answer: str) -> bool:
    """Whether a Moodle short answer uses `*` (any characters); `\\*` is a literal star."""
    return re.search(r"(?<!\\)\*", answer) is not None


def _answer_pattern(answer: str) -> str:
    out, chars = [], iter(answer)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append(re.escape(following) if following == "*" else re.escape(char + following))
        elif char == "*":
            out.append(".*")
        else:
            out.append(re.escape(char))
    return "".join(out)


def accepted_answers_key(answers: list[str], *, case_sensitive: bool = False) -> tuple[str, str]:
    """(text_answer, text_match) accepting any of `answers`, written as Moodle writes short
    answers (`*` any characters, `\\*` a star). One plain answer is kept as itself; several, or
    one with a wildcard, become an alternation, case-insensitive unless `case_sensitive`."""
    if len(answers) == 1 and not _has_wildcard(answers[0]):
        match = TextMatch.EXACT if case_sensitive else TextMatch.CASE_INSENSITIVE
        return answers[0].replace("\\*", "*"), match
    body = "|".join(_answer_pattern(a) for a in answers)
    return ("" if case_sensitive else "(?i)") + f"(?:{body})", TextMatch.REGEX


def accepted_answers(text_answer: str, text_match: str) -> list[str] | None:
    """The answers, in Moodle's short-answer notation, that a short-text key accepts, or None
    when it is a pattern no list of answers expresses (the inverse of accepted_answers_key)."""
    if text_match != TextMatch.REGEX:
        return [text_answer.replace("*", "\\*")]
    found = _ALTERNATION.match(text_answer)
    if found is None:
        return None
    answers, current = [], []
    body = found.group("body")
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            current.append("\\*" if body[i + 1] == "*" else body[i + 1])
            i += 2
            continue
        if body.startswith(".*", i):
            current.append("*")
            i += 2
            continue
        if char == "|":
            answers.append("".join(current))
            current = []
        elif char in "()[]{}*+?.^$":
            return None  # an unescaped metacharacter: a real pattern
        else:
            current.append(char)
        i += 1
    answers.append("".join(current))
    case_sensitive = not text_answer.startswith("(?i)")
    key = accepted_answers_key(answers, case_sensitive=case_sensitive)
    return answers if key == (text_answer, TextMatch.REGEX) else None


def unsupported_reason(kind: str) -> str:
    reasons = {
        "matching": _("Matching questions are not supported: a question here has one answer key."),
        "essay": _("Essay questions are not supported: questions here are scored automatically."),
        "description": _("A description has no answer, so it is not a question."),
    }
    return reasons.get(kind, _("This question type (%(kind)s) is not supported.") % {"kind": kind})
