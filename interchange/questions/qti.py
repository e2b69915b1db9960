"""A reader of QTI 1.2 item banks (`<questestinterop>` with items directly, in an `objectbank`
or in an assessment's sections), as Canvas, Blackboard and Moodle write them.

An item's question is its presentation's material; its kind follows from the response it asks
for: `response_lid` with `render_choice` (single or multiple by `rcardinality`; two options
reading true and false make a true/false question), `response_str` (short text) and
`response_num` (numeric). The answer key is read from `resprocessing`: the `varequal` values
of the conditions that set a positive score, ranges from `vargte`/`varlte`. Anything else
(several responses in one item, hotspots, ordering, essays without a key) is reported.
"""

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from assessments.quizzes.models import QuestionType
from interchange.questions.bank import (
    QTI,
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
from interchange.questions.xmlsafe import (
    child,
    children,
    descendants,
    local_name,
    parse_xml,
    text_of,
)

_RESPONSES = ("response_lid", "response_str", "response_num", "response_xy", "response_grp")
_CANVAS_UNSUPPORTED = {
    "matching_question": "matching",
    "essay_question": "essay",
    "text_only_question": "description",
    "file_upload_question": _("file upload"),
    "fill_in_multiple_blanks_question": _("fill in multiple blanks"),
    "multiple_dropdowns_question": _("multiple dropdowns"),
    "calculated_question": _("calculated"),
}


class _Bad(ValueError):
    pass


def _material(element: Element | None) -> str:
    """Text of the first `mattext` under `element`, HTML turned into plain text."""
    if element is None:
        return ""
    for mattext in descendants(element, "mattext"):
        text = text_of(mattext)
        if mattext.get("texttype", "text/plain") == "text/html" or "<" in text:
            return html_to_text(text)
        return text
    return ""


def _metadata(item: Element) -> dict[str, str]:
    fields = {}
    for entry in descendants(item, "qtimetadatafield"):
        fields[text_of(child(entry, "fieldlabel"))] = text_of(child(entry, "fieldentry"))
    return fields


def _decimal(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise _Bad(_("“%(raw)s” is not a number.") % {"raw": raw}) from None
    if not value.is_finite():
        raise _Bad(_("“%(raw)s” is not a number.") % {"raw": raw})
    return value


def _scoring_conditions(item: Element) -> list[Element]:
    """The `conditionvar`s of the conditions that give points."""
    found = []
    for condition in descendants(item, "respcondition"):
        setvars = children(condition, "setvar")
        try:
            gives = any(
                _decimal(text_of(s) or "0") > 0 and s.get("action", "Set") in ("Set", "Add")
                for s in setvars
            )
        except _Bad:
            raise _Bad(_("A score set in resprocessing is not a number.")) from None
        conditionvar = child(condition, "conditionvar")
        if gives and conditionvar is not None:
            found.append(conditionvar)
    return found


def _positive_values(conditionvar: Element, name: str) -> list[str]:
    """Values of `name` elements not under a `not`."""
    values = []

    def walk(node: Element, negated: bool) -> None:
        for sub in node:
            tag = local_name(sub)
            if tag == name and not negated:
                values.append(text_of(sub))
            walk(sub, negated or tag == "not")

    walk(conditionvar, False)
    return values


def _choice_item(q: ParsedQuestion, response: Element, item: Element) -> None:
    labels = [
        (label.get("ident", ""), _material(label))
        for label in descendants(response, "response_label")
    ]
    if len(labels) < 2:
        raise _Bad(_("A choice question needs at least two options."))
    correct: set[str] = set()
    for conditionvar in _scoring_conditions(item):
        correct |= set(_positive_values(conditionvar, "varequal"))
    if not correct & {ident for ident, _text in labels}:
        raise _Bad(_("No option is scored as right in resprocessing."))
    multiple = response.get("rcardinality", "Single").lower() == "multiple"
    texts = {text.strip().lower() for _ident, text in labels}
    if not multiple and len(labels) == 2 and texts == {"true", "false"}:
        q.question_type = QuestionType.TRUE_FALSE
        right = next(text for ident, text in labels if ident in correct)
        q.correct_boolean = right.strip().lower() == "true"
        return
    if not multiple and len(correct) > 1:
        raise _Bad(_("A single-choice question has more than one right option."))
    q.question_type = QuestionType.MULTIPLE if multiple else QuestionType.SINGLE
    q.choices = [ParsedChoice(text, ident in correct) for ident, text in labels]


def _text_item(q: ParsedQuestion, item: Element) -> bool:
    accepted: list[str] = []
    case_sensitive = False
    for conditionvar in _scoring_conditions(item):
        for node in descendants(conditionvar, "varequal"):
            if text_of(node):
                accepted.append(text_of(node))
                case_sensitive |= node.get("case", "No").lower() == "yes"
    if not accepted:
        return False
    q.question_type = QuestionType.SHORT_TEXT
    # QTI answers are literal: a star is a star, not Moodle's wildcard.
    literal = [a.replace("*", "\\*") for a in dict.fromkeys(accepted)]
    q.text_answer, q.text_match = accepted_answers_key(literal, case_sensitive=case_sensitive)
    return True


def _numeric_item(q: ParsedQuestion, item: Element) -> None:
    conditions = _scoring_conditions(item)
    if len(conditions) != 1:
        raise _Bad(_("A numeric question needs exactly one scored answer."))
    low = [_decimal(v) for v in _positive_values(conditions[0], "vargte")]
    high = [_decimal(v) for v in _positive_values(conditions[0], "varlte")]
    exact = [_decimal(v) for v in _positive_values(conditions[0], "varequal")]
    q.question_type = QuestionType.NUMERIC
    if low and high:
        q.numeric_answer = (low[0] + high[0]) / 2
        q.numeric_tolerance = abs(high[0] - low[0]) / 2
    elif exact:
        q.numeric_answer, q.numeric_tolerance = exact[0], Decimal(0)
    else:
        raise _Bad(_("The numeric answer is neither a value nor a range."))


def _prompt_material(node: Element) -> Element | None:
    """The first `material` of the presentation outside its response (the options)."""
    for sub in node:
        if local_name(sub) in _RESPONSES:
            continue
        if local_name(sub) == "material":
            return sub
        found = _prompt_material(sub)
        if found is not None:
            return found
    return None


def _item(place: str, item: Element) -> ParsedQuestion | Unmapped:
    title = item.get("title", "")
    meta = _metadata(item)
    canvas_kind = _CANVAS_UNSUPPORTED.get(meta.get("question_type", ""))
    if canvas_kind:
        return Unmapped(place, title, canvas_kind, unsupported_reason(canvas_kind))
    presentation = child(item, "presentation")
    if presentation is None:
        raise _Bad(_("The item has no presentation."))
    responses = [n for n in presentation.iter() if local_name(n) in _RESPONSES]
    if len(responses) != 1:
        kind = _("several responses") if responses else "description"
        reason = (
            _("Items asking for several responses (such as matching) are not supported.")
            if responses
            else unsupported_reason("description")
        )
        return Unmapped(place, title, kind, reason)
    response = responses[0]
    prompt = _material(_prompt_material(presentation))
    q = ParsedQuestion(place=place, question_type="", prompt=prompt, title=title)
    if meta.get("points_possible"):
        q.points = _decimal(meta["points_possible"]).quantize(Decimal("0.01"))
    for feedback in descendants(item, "itemfeedback"):
        if feedback.get("ident", "") in ("general_fb", "correct_fb", "feedback"):
            q.explanation = _material(feedback)
            break
    kind = local_name(response)
    if kind == "response_lid":
        if child(response, "render_choice") is None:
            return Unmapped(place, title, kind, _("Only options shown as a list are supported."))
        _choice_item(q, response, item)
    elif kind == "response_str":
        if not _text_item(q, item):
            return Unmapped(place, title, "essay", unsupported_reason("essay"))
    elif kind == "response_num":
        _numeric_item(q, item)
    else:
        return Unmapped(place, title, kind, unsupported_reason(kind))
    if not q.prompt:
        raise _Bad(_("The question has no text."))
    return q


def parse_qti(data: bytes) -> ParsedBank:
    root = parse_xml(data)
    if local_name(root) != "questestinterop":
        raise BankRefused(_("A QTI 1.2 file starts with <questestinterop>."))
    bank = ParsedBank(format=QTI)
    for number, item in enumerate(descendants(root, "item"), start=1):
        place = _("item %(n)d") % {"n": number}
        try:
            parsed = _item(place, item)
        except _Bad as error:
            bank.problems.append(Problem(place, str(error)))
            continue
        if isinstance(parsed, Unmapped):
            bank.unmapped.append(parsed)
        else:
            bank.questions.append(parsed)
    return bank
