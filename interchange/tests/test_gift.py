"""The GIFT reader on the documented shapes: every question type, weights, feedback, titles,
categories, comments, escapes, formats, and per-line errors for malformed questions."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interchange.questions.bank import accepted_answers, accepted_answers_key
from interchange.questions.gift import escape, parse_gift, unescape

DATA = Path(__file__).parent / "data"


@pytest.fixture
def bank():
    return parse_gift((DATA / "every_type.gift").read_text())


def test_every_type_is_read_with_its_key(bank):
    assert bank.problems == []
    assert bank.counts() == {
        "Single choice": 2,
        "Multiple choice": 1,
        "True or false": 3,
        "Numeric": 3,
        "Short text": 2,
    }
    force, vectors, gravity, rest, energy, g, whole, pi, gap, _escapes, lines = bank.questions
    assert (force.place, force.title, force.question_type) == ("line 4", "Unit of force", "single")
    assert force.prompt == "What is the SI unit of force?"
    assert [(c.text, c.is_correct) for c in force.choices] == [
        ("newton", True),
        ("joule", False),
        ("watt", False),
    ]
    assert force.explanation == "A newton is the force that accelerates 1 kg by 1 m/s^2."
    assert force.category == "$course$/top/Statics"
    assert len(force.warnings) == 2  # per-answer feedback is reported, not silently lost
    assert vectors.question_type == "multiple"
    assert [(c.text, c.is_correct) for c in vectors.choices] == [
        ("force", True),
        ("velocity", True),
        ("mass", False),
    ]
    assert (gravity.question_type, gravity.correct_boolean) == ("true_false", True)
    assert (rest.correct_boolean, rest.place) == (False, "line 20")
    assert rest.warnings  # {FALSE#...#...} feedback
    assert (energy.text_answer, energy.text_match) == ("(?i)(?:joule|J)", "regex")
    assert (g.numeric_answer, g.numeric_tolerance) == (Decimal("9.81"), Decimal("0.05"))
    assert (whole.numeric_answer, whole.numeric_tolerance) == (Decimal(3), Decimal(2))
    assert (pi.numeric_answer, pi.numeric_tolerance) == (Decimal("3.14"), Decimal("0.005"))
    assert pi.explanation == "Pi is about 3.14159."
    assert any("50%" in w for w in pi.warnings)
    assert gap.prompt == "The _____ is on the floor."
    assert [c.text for c in gap.choices if c.is_correct] == ["mat"]
    assert lines.prompt == "Two lines:\nthe second one."


def test_escapes_and_html_through_the_sanitiser(bank):
    escapes = bank.questions[9]
    assert escapes.prompt == (
        "Escapes: 50% of {braces}, a ~tilde, an =equals, a #hash and a colon: here."
    )
    assert (escapes.text_answer, escapes.text_match) == ("a=b#c", "case_insensitive")
    html = parse_gift("[html]<p>Hi <script>x()</script><b>there</b></p><p>next</p>{T}")
    assert html.questions[0].prompt == "Hi there\nnext"
    options = parse_gift("[html]Pick {=<b>bold</b> ~<i>it</i>&amp;co ####<em>why</em>}")
    assert [c.text for c in options.questions[0].choices] == ["bold", "it&co"]
    assert options.questions[0].explanation == "why"


def test_unsupported_kinds_are_reported_with_their_reason(bank):
    assert [(u.place, u.kind) for u in bank.unmapped] == [
        ("line 40", "matching"),
        ("line 46", "essay"),
        ("line 48", "description"),
    ]
    assert all(u.reason for u in bank.unmapped)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Q? {=a ~b", "not closed"),
        ("Q? {~a ~b}", "at least one answer as right"),
        ("Q? {#abc}", "not a number"),
        ("Q? {#5..1}", "ends below"),
        ("::title Q? {T}", "title is not closed"),
        ("Q? {=a} and {=b}", "one answer block"),
        ("Q? } {T}", "has no {"),
        ("{T}", "no text"),
        ("Q? {#=1:0 =2:0}", "exactly one answer worth 100%"),
        ("Q? junk {=a ~b}", None),
    ],
)
def test_malformed_questions_give_their_line(source, message):
    bank = parse_gift(f"// comment\n\nGood? {{T}}\n\n{source}\n")
    if message is None:  # text before the block is a missing-word question, not an error
        assert bank.problems == []
        return
    assert [p.place for p in bank.problems] == ["line 5"]
    assert message in bank.problems[0].message
    assert len(bank.questions) == 1


def test_weights_that_cannot_be_represented_are_reported():
    bank = parse_gift("Q? {~%70%a ~%30%b ~c}")
    assert bank.questions == []
    assert "different weights" in bank.unmapped[0].reason


def test_escape_round_trips_every_special_character():
    text = "a~b=c#d{e}f:g\\h\nline"
    assert unescape(escape(text)) == text
    assert escape("1:2") == "1\\:2"


def test_accepted_answers_invert_their_key():
    for answers in (["joule"], ["joule", "J"], ["a.b", "c|d", "(x)"], ["kilo*", "a\\*b"]):
        for case_sensitive in (False, True):
            key = accepted_answers_key(answers, case_sensitive=case_sensitive)
            assert accepted_answers(*key) == answers
    assert accepted_answers("^kg.*$", "regex") is None
    assert accepted_answers("(?:a|[bc])", "regex") is None


def test_moodle_wildcards_become_patterns():
    bank = parse_gift("Unit? {=kilo*gram =kg}\n\nStar? {=a\\*b}")
    wild, star = bank.questions
    assert (wild.text_answer, wild.text_match) == ("(?i)(?:kilo.*gram|kg)", "regex")
    assert (star.text_answer, star.text_match) == ("a*b", "case_insensitive")


GIFT_ALPHABET = "ab =~#{}:\\%.-0123456789TF\n[]<>/$"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=GIFT_ALPHABET, max_size=80))
def test_any_text_is_read_or_reported_never_raises(source):
    bank = parse_gift(source)
    assert all(p.place.startswith("line ") and p.message for p in bank.problems)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_escaped_text_reads_back_as_itself(text):
    assert unescape(escape(text)) == text.replace("\r\n", "\n")
