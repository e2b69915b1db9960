"""A reader of Moodle's GIFT format (plain-text question banks), written from its documented
grammar: questions separated by blank lines, `//` comment lines, `$CATEGORY:` lines, optional
`::title::` and `[html]`/`[markdown]`/`[plain]`/`[moodle]` format, and an answer block in braces:

    {=right ~wrong ~%50%half #feedback ####general feedback}   multiple choice (weights)
    {T} {TRUE} {F#feedback if wrong#feedback if right}          true/false
    {=answer =other answer}                                     short answer
    {#3.14:0.01} {#1..5} {#=3.14:0.01 =%50%3:1}                  numerical
    {=term -> match =other -> match}                            matching (not supported here)
    {}                                                          essay (not supported here)

Text before and after the block is the "missing word" form: the prompt shows a gap there.
`\\~ \\= \\# \\{ \\} \\:` are literal characters and `\\n` a new line. A question the product
cannot represent is reported with the reason; a malformed one with its line.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from assessments.quizzes.models import QuestionType
from interchange.questions.bank import (
    GIFT,
    ParsedBank,
    ParsedChoice,
    ParsedQuestion,
    Problem,
    Unmapped,
    accepted_answers_key,
    html_to_text,
    unsupported_reason,
)

GAP = "_____"
_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n", "\\": "\\"}
_FORMAT = re.compile(r"\A\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"\A%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class GiftError(ValueError):
    pass


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPES:
            out.append(_ESCAPES[text[i + 1]])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def escape(text: str) -> str:
    """GIFT text for `text`: the special characters escaped, new lines as `\\n`."""
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _find(text: str, chars: str, start: int = 0) -> int:
    """Index of the first unescaped character of `chars` in text[start:], or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in chars:
            return i
        i += 1
    return -1


def _blocks(source: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of each question; comments dropped, blank lines split."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(source.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


@dataclass
class _Answer:
    marker: str  # "=" or "~"
    weight: Decimal | None
    text: str
    feedback: str


def _answers(body: str) -> tuple[list[_Answer], str]:
    """The answers of a block's body and its general feedback (after `####`)."""
    general = ""
    cut = body.find("####")
    while cut != -1 and cut > 0 and body[cut - 1] == "\\":
        cut = body.find("####", cut + 1)
    if cut != -1:
        body, general = body[:cut], unescape(body[cut + 4 :]).strip()
    answers: list[_Answer] = []
    i = _find(body, "=~")
    if body[: i if i != -1 else len(body)].strip():
        raise GiftError(_("Each answer starts with = (right) or ~ (wrong)."))
    while i != -1:
        following = _find(body, "=~", i + 1)
        # "->" of a matching pair is not a marker; neither is "=" right after it.
        piece = body[i + 1 : following if following != -1 else len(body)]
        weight = None
        found = _WEIGHT.match(piece.lstrip())
        if found:
            weight = Decimal(found.group(1))
            piece = piece.lstrip()[found.end() :]
        hash_at = _find(piece, "#")
        text, feedback = (piece, "") if hash_at == -1 else (piece[:hash_at], piece[hash_at + 1 :])
        answers.append(_Answer(body[i], weight, text.strip(), unescape(feedback).strip()))
        i = following
    return answers, general


def _number(text: str) -> Decimal:
    try:
        value = Decimal(unescape(text).strip())
    except InvalidOperation:
        raise GiftError(_("“%(text)s” is not a number.") % {"text": unescape(text)}) from None
    if not value.is_finite():
        raise GiftError(_("“%(text)s” is not a number.") % {"text": unescape(text)})
    return value


def _numeric_key(text: str) -> tuple[Decimal, Decimal]:
    """(answer, tolerance) of `3.14:0.01`, `1..5` or `42`."""
    colon = _find(text, ":")
    if colon != -1:
        return _number(text[:colon]), abs(_number(text[colon + 1 :]))
    if ".." in text:
        low, high = (_number(part) for part in text.split("..", 1))
        if high < low:
            raise GiftError(_("The range %(text)s ends below its start.") % {"text": text})
        return (low + high) / 2, (high - low) / 2
    return _number(text), Decimal(0)


def _feedback_warning(answers: list[_Answer]) -> list[str]:
    return [
        _("Feedback on answer “%(answer)s” is not kept: a question here has one explanation.")
        % {"answer": unescape(a.text)}
        for a in answers
        if a.feedback
    ]


def _numerical(q: ParsedQuestion, body: str) -> None:
    q.question_type = QuestionType.NUMERIC
    rest = body[1:]
    if _find(rest, "=~") == -1:
        general_at = rest.find("####")
        if general_at != -1:
            q.explanation = unescape(rest[general_at + 4 :]).strip()
            rest = rest[:general_at]
        hash_at = _find(rest, "#")
        if hash_at != -1:
            q.warnings += _feedback_warning([_Answer("=", None, rest[:hash_at], "x")])
            rest = rest[:hash_at]
        if not rest.strip():
            raise GiftError(_("A numerical question needs its number, such as {#3.14:0.01}."))
        q.numeric_answer, q.numeric_tolerance = _numeric_key(rest.strip())
        return
    answers, q.explanation = _answers(rest)
    full = [a for a in answers if a.marker == "=" and a.weight in (None, Decimal(100))]
    if len(full) != 1:
        raise GiftError(_("A numerical question needs exactly one answer worth 100%."))
    for answer in answers:
        if answer not in full and answer.marker == "=" and answer.text:
            q.warnings.append(
                _("The answer %(answer)s worth %(weight)s%% is not kept: no partial credit here.")
                % {"answer": unescape(answer.text), "weight": answer.weight}
            )
    q.warnings += _feedback_warning(answers)
    q.numeric_answer, q.numeric_tolerance = _numeric_key(full[0].text)


def _choices(q: ParsedQuestion, answers: list[_Answer]) -> Unmapped | None:
    weights = [
        a.weight if a.weight is not None else Decimal(100 if a.marker == "=" else 0)
        for a in answers
    ]
    positive = [w for w in weights if w > 0]
    if not positive:
        raise GiftError(_("Mark at least one answer as right (= or a positive weight)."))
    if len(positive) == 1 and positive[0] != 100:
        raise GiftError(_("The only right answer must be worth 100%."))
    if len(positive) > 1 and (max(positive) - min(positive) > Decimal("0.01")):
        return Unmapped(
            q.place,
            q.title,
            _("multiple choice"),
            _(
                "Right answers of different weights cannot be represented: each right option here "
                "is worth the same."
            ),
        )
    if len(positive) > 1 and abs(sum(positive) - 100) > 1:
        return Unmapped(
            q.place,
            q.title,
            _("multiple choice"),
            _("The weights of the right answers must add up to 100%."),
        )
    q.question_type = QuestionType.SINGLE if len(positive) == 1 else QuestionType.MULTIPLE
    q.choices = [
        ParsedChoice(unescape(a.text), w > 0) for a, w in zip(answers, weights, strict=True)
    ]
    q.warnings += _feedback_warning(answers)
    return None


def _short_text(q: ParsedQuestion, answers: list[_Answer]) -> None:
    accepted = [unescape(a.text) for a in answers if a.weight in (None, Decimal(100))]
    for answer in answers:
        if answer.weight not in (None, Decimal(100)):
            q.warnings.append(
                _("The answer “%(answer)s” worth %(weight)s%% is not kept: no partial credit here.")
                % {"answer": unescape(answer.text), "weight": answer.weight}
            )
    if not accepted or not all(accepted):
        raise GiftError(_("A short answer question needs at least one answer worth 100%."))
    q.question_type = QuestionType.SHORT_TEXT
    q.text_answer, q.text_match = accepted_answers_key(accepted)
    q.warnings += _feedback_warning(answers)


def _true_false(q: ParsedQuestion, body: str) -> None:
    general_at = body.find("####")
    if general_at != -1:
        q.explanation = unescape(body[general_at + 4 :]).strip()
        body = body[:general_at]
    head, _sep, feedback = body.partition("#")
    q.question_type = QuestionType.TRUE_FALSE
    q.correct_boolean = _TRUE_FALSE[head.strip().upper()]
    if feedback.strip("# "):
        q.warnings.append(
            _("Feedback on the answers is not kept: a question here has one explanation.")
        )


def _question(place: str, text: str, category: str) -> ParsedQuestion | Unmapped:
    title = ""
    if text.startswith("::"):
        end = _find(text, ":", 2)
        while end != -1 and text[end : end + 2] != "::":
            end = _find(text, ":", end + 1)
        if end == -1:
            raise GiftError(_("The title is not closed with ::."))
        title, text = unescape(text[2:end]).strip(), text[end + 2 :]
    markup = "moodle"
    found = _FORMAT.match(text)
    if found:
        markup, text = found.group(1).lower(), text[found.end() :]
    opening = _find(text, "{")
    if opening == -1:
        if _find(text, "}") != -1:
            raise GiftError(_("A } has no { before it; write \\} for a literal brace."))
        return Unmapped(place, title, _("description"), unsupported_reason("description"))
    closing = _find(text, "}", opening)
    if closing == -1:
        raise GiftError(_("The answer block is not closed with }."))
    inner = _find(text, "{", opening + 1)
    if inner != -1 and inner < closing:
        raise GiftError(_("A { inside the answer block; write \\{ for a literal brace."))
    before, body, after = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
    if _find(before, "}") != -1:
        raise GiftError(_("A } has no { before it; write \\} for a literal brace."))
    if _find(after, "{}") != -1:
        raise GiftError(_("A question has one answer block."))
    prompt = before.strip() + (f" {GAP} {after.strip()}" if after.strip() else "")
    prompt = unescape(prompt.strip())
    if markup == "html":
        prompt = html_to_text(prompt)
    q = ParsedQuestion(place=place, question_type="", prompt=prompt, title=title)
    q.category = category
    stripped = body.strip()
    if not stripped or stripped.startswith("####"):
        return Unmapped(place, title, _("essay"), unsupported_reason("essay"))
    if stripped.partition("#")[0].strip().upper() in _TRUE_FALSE:
        _true_false(q, stripped)
    elif stripped.startswith("#"):
        _numerical(q, stripped)
    else:
        answers, q.explanation = _answers(stripped)
        if any(a.marker == "=" and "->" in a.text for a in answers):
            return Unmapped(place, title, _("matching"), unsupported_reason("matching"))
        if any(a.marker == "~" for a in answers):
            unmapped = _choices(q, answers)
            if unmapped is not None:
                return unmapped
        else:
            _short_text(q, answers)
    if markup == "html":  # the format holds for the whole question: options and feedback too
        q.explanation = html_to_text(q.explanation)
        for choice in q.choices:
            choice.text = html_to_text(choice.text)
    if not q.prompt:
        raise GiftError(_("The question has no text."))
    return q


def parse_gift(source: str) -> ParsedBank:
    bank = ParsedBank(format=GIFT)
    category = ""
    for number, lines in _blocks(source):
        place = _("line %(n)d") % {"n": number}
        text = "\n".join(lines).strip()
        if text.upper().startswith("$CATEGORY:"):
            category = text.split(":", 1)[1].strip()
            continue
        try:
            parsed = _question(place, text, category)
        except GiftError as error:
            bank.problems.append(Problem(place, str(error)))
            continue
        if isinstance(parsed, Unmapped):
            bank.unmapped.append(parsed)
        else:
            bank.questions.append(parsed)
    return bank
