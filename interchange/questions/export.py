"""A question pool written as GIFT or as Moodle XML, in the shapes the readers here take back
unchanged (the round-trip tests compare every field).

What a format cannot say is listed with the question rather than dropped in silence: GIFT has
no points (every question is worth 1 there) nor case-sensitive short answers, and neither format
has regular expressions beyond a list of accepted answers.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils.translation import gettext as _

from assessments.quizzes.models import Question, QuestionPool, QuestionType, TextMatch
from interchange.questions.bank import accepted_answers
from interchange.questions.gift import escape


@dataclass
class ExportResult:
    text: str
    exported: int = 0
    notes: list[str] = field(default_factory=list)  # what a format could not keep, per question


def _number(value: Decimal | None) -> str:
    text = format(Decimal(value or 0).normalize(), "f")
    return text


def _weight(value: Decimal) -> str:
    return _number(value.quantize(Decimal("0.00001")))


def _questions(pool: QuestionPool) -> list[Question]:
    return list(pool.questions.order_by("position", "pk").prefetch_related("choices"))


def _short(question: Question) -> str:
    return question.prompt if len(question.prompt) <= 40 else question.prompt[:39] + "…"


def _accepted(question: Question, result: ExportResult, format_name: str) -> list[str] | None:
    """The answers of a short-text question, or None (noted) for a pattern no list says."""
    answers = accepted_answers(question.text_answer or "", question.text_match or "")
    if answers is None:
        result.notes.append(
            _("“%(q)s” is not exported: its answer is a pattern %(format)s cannot express.")
            % {"q": _short(question), "format": format_name}
        )
    return answers


def _case_sensitive(question: Question) -> bool:
    if question.text_match == TextMatch.REGEX:
        return not (question.text_answer or "").startswith("(?i)")
    return question.text_match == TextMatch.EXACT


def _gift_body(question: Question, result: ExportResult) -> str | None:
    kind = question.question_type
    if kind == QuestionType.TRUE_FALSE:
        return "TRUE" if question.correct_boolean else "FALSE"
    if kind == QuestionType.NUMERIC:
        return f"#{_number(question.numeric_answer)}:{_number(question.numeric_tolerance)}"
    if kind == QuestionType.SHORT_TEXT:
        answers = _accepted(question, result, "GIFT")
        if answers is None:
            return None
        if _case_sensitive(question):
            result.notes.append(
                _("“%(q)s”: GIFT answers ignore case; the case of the answer is not kept.")
                % {"q": _short(question)}
            )
        return " ".join(f"={escape(a)}" for a in answers)
    choices = list(question.choices.all())
    right = sum(1 for c in choices if c.is_correct)
    if not right:
        result.notes.append(
            _("“%(q)s” is not exported: no option is marked right.") % {"q": _short(question)}
        )
        return None
    if kind == QuestionType.SINGLE:
        return "\n".join(f"{'=' if c.is_correct else '~'}{escape(c.text)}" for c in choices)
    share = _weight(Decimal(100) / right)
    return "\n".join(f"~%{share if c.is_correct else '0'}%{escape(c.text)}" for c in choices)


def pool_as_gift(*, pool: QuestionPool) -> ExportResult:
    result = ExportResult(text="")
    parts = [f"// {escape(pool.title)}", f"$CATEGORY: {escape(pool.title)}"]
    for question in _questions(pool):
        body = _gift_body(question, result)
        if body is None:
            continue
        if question.points != 1:
            result.notes.append(
                _("“%(q)s”: GIFT has no points; it is worth %(points)s here.")
                % {"q": _short(question), "points": question.points}
            )
        feedback = f"\n####{escape(question.explanation)}" if question.explanation else ""
        parts.append(f"[plain]{escape(question.prompt)} {{\n{body}{feedback}\n}}")
        result.exported += 1
    result.text = "\n\n".join(parts) + "\n"
    return result


def _text(parent: Element, tag: str, value: str, **attrs: str) -> Element:
    element = SubElement(parent, tag, attrs)
    SubElement(element, "text").text = value
    return element


def _answer(parent: Element, fraction: str, text: str) -> Element:
    return _text(parent, "answer", text, fraction=fraction, format="plain_text")


def _moodle_question(root: Element, question: Question, result: ExportResult) -> None:
    kind = question.question_type
    types = {
        QuestionType.SINGLE: "multichoice",
        QuestionType.MULTIPLE: "multichoice",
        QuestionType.TRUE_FALSE: "truefalse",
        QuestionType.NUMERIC: "numerical",
        QuestionType.SHORT_TEXT: "shortanswer",
    }
    answers: list[str] | None = None
    if kind == QuestionType.SHORT_TEXT:
        answers = _accepted(question, result, "Moodle XML")
        if answers is None:
            return
    choices = list(question.choices.all())
    right = sum(1 for c in choices if c.is_correct)
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE) and not right:
        result.notes.append(
            _("“%(q)s” is not exported: no option is marked right.") % {"q": _short(question)}
        )
        return
    element = SubElement(root, "question", type=types[kind])
    _text(element, "name", _short(question))
    _text(element, "questiontext", question.prompt, format="plain_text")
    _text(element, "generalfeedback", question.explanation, format="plain_text")
    SubElement(element, "defaultgrade").text = _number(question.points)
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        SubElement(element, "single").text = "true" if kind == QuestionType.SINGLE else "false"
        SubElement(element, "shuffleanswers").text = "0"
        share = _weight(Decimal(100) / right)
        for choice in choices:
            _answer(element, share if choice.is_correct else "0", choice.text)
    elif kind == QuestionType.TRUE_FALSE:
        _answer(element, "100" if question.correct_boolean else "0", "true")
        _answer(element, "0" if question.correct_boolean else "100", "false")
    elif kind == QuestionType.NUMERIC:
        answer = _answer(element, "100", _number(question.numeric_answer))
        SubElement(answer, "tolerance").text = _number(question.numeric_tolerance)
    else:
        SubElement(element, "usecase").text = "1" if _case_sensitive(question) else "0"
        for text in answers or []:
            _answer(element, "100", text)
    result.exported += 1


def pool_as_moodle_xml(*, pool: QuestionPool) -> ExportResult:
    result = ExportResult(text="")
    root = Element("quiz")
    category = SubElement(root, "question", type="category")
    _text(category, "category", f"$course$/top/{pool.title}")
    for question in _questions(pool):
        _moodle_question(root, question, result)
    indent(root)
    body = tostring(root, encoding="unicode")
    result.text = '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
    return result
