"""Open edX capa problems read into the question banks' ParsedQuestion, so they are checked and
written by interchange.questions exactly as an imported bank is.

Mapped: multiplechoiceresponse (single choice), choiceresponse (checkboxes), optionresponse
(dropdown, as single choice), numericalresponse (with its tolerance, absolute or percent) and
stringresponse (case-sensitive unless type="ci", additional answers, regexp). Every other
response type is reported with the reason, never dropped silently.
"""

import ast
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from assessments.quizzes.models import QuestionType, TextMatch
from interchange.questions.bank import ParsedChoice, ParsedQuestion, accepted_answers_key
from interchange.questions.xmlsafe import children, descendants, local_name, text_of

MAPPED = {
    "multiplechoiceresponse",
    "choiceresponse",
    "optionresponse",
    "numericalresponse",
    "stringresponse",
}
UNMAPPED_REASONS = {
    "customresponse": "custom Python grading cannot run here",
    "jsinput": "JavaScript input problems cannot run here",
    "schematicresponse": "circuit schematic problems are not supported",
    "imageresponse": "image-region problems are not supported",
    "formularesponse": "formula problems are not supported",
    "symbolicresponse": "symbolic math problems are not supported",
    "coderesponse": "externally graded code problems are not supported",
    "annotationresponse": "annotation problems are not supported",
    "choicetextresponse": "choice-with-text problems are not supported",
}
_SKIP_IN_PROMPT = {"solution", "choicegroup", "checkboxgroup", "optioninput", "textline"}
_SKIP_IN_PROMPT |= {"formulaequationinput", "responseparam", "additional_answer", "hint"}
_SKIP_IN_PROMPT |= {"demandhint", "correcthint", "choicehint", "stringequalhint"} | MAPPED


def _prose(element: Element) -> str:
    """The text of `element` without answer inputs, hints or solutions, one line per block."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        if local_name(node) in _SKIP_IN_PROMPT and node is not element:
            if node.tail and node.tail.strip():
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if local_name(child) in ("p", "div", "br", "li", "label", "h3", "h4"):
                parts.append("\n")
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def response_kinds(problem: Element) -> list[str]:
    """The response elements of a problem in order, by tag (jsinput under customresponse is
    reported as jsinput)."""
    kinds = []
    for node in problem.iter():
        name = local_name(node)
        if name == "customresponse" and descendants(node, "jsinput"):
            kinds.append("jsinput")
        elif name.endswith("response"):
            kinds.append(name)
    return kinds


def _number(value: str | None) -> Decimal | None:
    try:
        return Decimal((value or "").strip())
    except InvalidOperation:
        return None


def _tolerance(response: Element, answer: Decimal) -> Decimal | None:
    for param in children(response, "responseparam"):
        if param.get("type") == "tolerance":
            raw = (param.get("default") or "").strip()
            if raw.endswith("%"):
                percent = _number(raw[:-1])
                return None if percent is None else abs(answer) * percent / 100
            return _number(raw)
    return None


def _choices(group: Element | None) -> list[ParsedChoice]:
    if group is None:
        return []
    return [
        ParsedChoice(_prose(choice), (choice.get("correct") or "").lower() == "true")
        for choice in children(group, "choice")
    ]


def _option_choices(response: Element) -> list[ParsedChoice]:
    found = descendants(response, "optioninput")
    if not found:
        return []
    option_input = found[0]
    options = children(option_input, "option")
    if options:
        return [
            ParsedChoice(text_of(o), (o.get("correct") or "").lower() == "true") for o in options
        ]
    try:
        listed = ast.literal_eval(option_input.get("options") or "()")
    except (ValueError, SyntaxError):
        listed = ()
    correct = option_input.get("correct")
    listed = listed if isinstance(listed, tuple | list) else (listed,)
    return [ParsedChoice(str(o), str(o) == correct) for o in listed]


def _key(question: ParsedQuestion, response: Element, kind: str) -> None:
    if kind == "multiplechoiceresponse":
        question.choices = _choices(next(iter(descendants(response, "choicegroup")), None))
    elif kind == "choiceresponse":
        question.question_type = QuestionType.MULTIPLE
        question.choices = _choices(next(iter(descendants(response, "checkboxgroup")), None))
    elif kind == "optionresponse":
        question.choices = _option_choices(response)
    elif kind == "numericalresponse":
        question.question_type = QuestionType.NUMERIC
        question.numeric_answer = _number(response.get("answer"))
        if question.numeric_answer is not None:
            question.numeric_tolerance = _tolerance(response, question.numeric_answer)
    else:
        question.question_type = QuestionType.SHORT_TEXT
        answers = [response.get("answer") or ""]
        answers += [a.get("answer") or "" for a in children(response, "additional_answer")]
        flags = (response.get("type") or "").lower().split()
        if "regexp" in flags:
            pattern = "|".join(f"(?:{a})" for a in answers)
            question.text_answer = ("(?i)" if "ci" in flags else "") + f"^(?:{pattern})$"
            question.text_match = TextMatch.REGEX
        else:
            key = accepted_answers_key(
                [a.replace("*", "\\*") for a in answers], case_sensitive="ci" not in flags
            )
            question.text_answer, question.text_match = key


def problem_questions(problem: Element, *, place: str, title: str) -> list[ParsedQuestion]:
    """One question per mapped response of the problem. The prompt is the response's label,
    else the problem's prose; the explanation is its solution."""
    prose = _prose(problem)
    explanation = "\n".join(_prose(s) for s in descendants(problem, "solution")).strip()
    weight = _number(problem.get("weight"))
    questions = []
    for response in problem.iter():
        kind = local_name(response)
        if kind not in MAPPED:
            continue
        labels = descendants(response, "label")
        prompt = text_of(labels[0]) if labels else (_prose(response) or prose)
        question = ParsedQuestion(
            place=place,
            question_type=QuestionType.SINGLE,
            prompt=prompt or title,
            title=title,
            explanation=explanation,
            points=weight if weight is not None and weight > 0 else Decimal(1),
        )
        _key(question, response, kind)
        questions.append(question)
    return questions
