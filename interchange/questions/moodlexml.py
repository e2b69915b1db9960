"""A reader of Moodle XML question banks (`<quiz><question type="...">`): multichoice,
truefalse, shortanswer, numerical, category, and the kinds reported as not supported (matching,
essay, description, and any other type)."""

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from assessments.quizzes.models import QuestionType
from interchange.questions.bank import (
    MOODLE_XML,
    BankRefused,
    ParsedBank,
    ParsedChoice,
    ParsedQuestion,
    Problem,
    Unmapped,
    accepted_answers_key,
    html_to_text,
    unsupported_reason,
)
from interchange.questions.xmlsafe import child, children, local_name, parse_xml, text_of

_KINDS = {"matching": "matching", "essay": "essay", "description": "description"}


class _Bad(ValueError):
    pass


def _formatted(element: Element | None) -> str:
    """The text of a `<questiontext format=...><text>` style element as plain text."""
    if element is None:
        return ""
    text = text_of(child(element, "text")) if child(element, "text") is not None else ""
    if element.get("format", "html") in ("html", "moodle_auto_format"):
        return html_to_text(text)
    return text


def _decimal(raw: str, what: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise _Bad(_("%(what)s “%(raw)s” is not a number.") % {"what": what, "raw": raw}) from None
    if not value.is_finite():
        raise _Bad(_("%(what)s “%(raw)s” is not a number.") % {"what": what, "raw": raw})
    return value


def _answers(element: Element) -> list[tuple[Decimal, str, Element]]:
    return [
        (_decimal(answer.get("fraction", "0"), _("The fraction")), _formatted(answer), answer)
        for answer in children(element, "answer")
    ]


def _feedback_warnings(q: ParsedQuestion, answers: list[tuple[Decimal, str, Element]]) -> None:
    for _fraction, text, answer in answers:
        if _formatted(child(answer, "feedback")):
            q.warnings.append(
                _(
                    "Feedback on answer “%(answer)s” is not kept: a question here has one "
                    "explanation."
                )
                % {"answer": text}
            )


def _multichoice(q: ParsedQuestion, element: Element) -> str | None:
    answers = _answers(element)
    positive = [f for f, _text, _a in answers if f > 0]
    single = text_of(child(element, "single")).lower() in ("true", "1")
    if not positive:
        raise _Bad(_("No answer has a positive fraction, so none is right."))
    if single and (len(positive) != 1 or positive[0] != 100):
        return _("Partial credit on a single-answer question cannot be represented.")
    if max(positive) - min(positive) > Decimal("0.01") or abs(sum(positive) - 100) > 1:
        return _(
            "Right answers of different weights cannot be represented: each right option "
            "here is worth the same."
        )
    q.question_type = QuestionType.SINGLE if single else QuestionType.MULTIPLE
    q.choices = [ParsedChoice(text, fraction > 0) for fraction, text, _a in answers]
    _feedback_warnings(q, answers)
    return None


def _truefalse(q: ParsedQuestion, element: Element) -> None:
    answers = _answers(element)
    right = [text.lower() for fraction, text, _a in answers if fraction == 100]
    if len(right) != 1 or right[0] not in ("true", "false"):
        raise _Bad(_("A true/false question needs “true” or “false” as its right answer."))
    q.question_type = QuestionType.TRUE_FALSE
    q.correct_boolean = right[0] == "true"
    _feedback_warnings(q, answers)


def _shortanswer(q: ParsedQuestion, element: Element) -> None:
    answers = _answers(element)
    accepted = [text for fraction, text, _a in answers if fraction == 100 and text]
    for fraction, text, _a in answers:
        if fraction != 100:
            q.warnings.append(
                _("The answer “%(answer)s” worth %(weight)s%% is not kept: no partial credit here.")
                % {"answer": text, "weight": format(fraction.normalize(), "f")}
            )
    if not accepted:
        raise _Bad(_("A short answer question needs at least one answer worth 100%."))
    q.question_type = QuestionType.SHORT_TEXT
    case_sensitive = text_of(child(element, "usecase")) == "1"
    q.text_answer, q.text_match = accepted_answers_key(accepted, case_sensitive=case_sensitive)
    _feedback_warnings(q, answers)


def _numerical(q: ParsedQuestion, element: Element) -> None:
    answers = _answers(element)
    full = [(text, a) for fraction, text, a in answers if fraction == 100]
    if len(full) != 1:
        raise _Bad(_("A numerical question needs exactly one answer worth 100%."))
    text, answer = full[0]
    q.question_type = QuestionType.NUMERIC
    q.numeric_answer = _decimal(text, _("The answer"))
    tolerance = text_of(child(answer, "tolerance")) or "0"
    q.numeric_tolerance = abs(_decimal(tolerance, _("The tolerance")))
    for fraction, other, _a in answers:
        if fraction != 100:
            q.warnings.append(
                _("The answer %(answer)s worth %(weight)s%% is not kept: no partial credit here.")
                % {"answer": other, "weight": format(fraction.normalize(), "f")}
            )
    _feedback_warnings(q, answers)


_READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
}


def parse_moodle_xml(data: bytes) -> ParsedBank:
    root = parse_xml(data)
    if local_name(root) != "quiz":
        raise BankRefused(_("A Moodle XML file starts with <quiz>."))
    bank = ParsedBank(format=MOODLE_XML)
    category = ""
    for number, element in enumerate(children(root, "question"), start=1):
        place = _("question %(n)d") % {"n": number}
        kind = element.get("type", "")
        if kind == "category":
            category = text_of(child(element, "category"))
            continue
        title = text_of(child(element, "name"))
        reader = _READERS.get(kind)
        if reader is None:
            label = _KINDS.get(kind, kind or _("no type"))
            bank.unmapped.append(Unmapped(place, title, label, unsupported_reason(label)))
            continue
        q = ParsedQuestion(place=place, question_type="", prompt="", title=title)
        q.category = category
        try:
            q.prompt = _formatted(child(element, "questiontext"))
            q.explanation = _formatted(child(element, "generalfeedback"))
            grade = text_of(child(element, "defaultgrade"))
            if grade:
                q.points = _decimal(grade, _("The default grade")).quantize(Decimal("0.01"))
            reason = reader(q, element)
            if not q.prompt:
                raise _Bad(_("The question has no text."))
        except _Bad as error:
            bank.problems.append(Problem(place, str(error)))
            continue
        if reason:
            bank.unmapped.append(Unmapped(place, title, kind, reason))
        else:
            bank.questions.append(q)
    return bank
