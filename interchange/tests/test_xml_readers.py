"""The Moodle XML and QTI 1.2 readers, and hostile XML refused before anything is read."""

from decimal import Decimal
from pathlib import Path

import pytest

from interchange.questions.bank import BankRefused
from interchange.questions.moodlexml import parse_moodle_xml
from interchange.questions.qti import parse_qti
from interchange.questions.services import detect_format, question_bank_parse

DATA = Path(__file__).parent / "data"

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext format="plain_text"><text>&secret;</text>
</questiontext><answer fraction="100"><text>true</text></answer></question></quiz>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<questestinterop><item title="&lol3;"/></questestinterop>"""


def test_moodle_xml_maps_every_supported_type():
    bank = parse_moodle_xml((DATA / "bank.moodle.xml").read_bytes())
    assert bank.problems == []
    force, vectors, gravity, energy, symbol, g = bank.questions
    assert force.prompt == "What is the SI unit of force?"  # HTML sanitised, script dropped
    assert (force.points, force.question_type) == (Decimal("2.00"), "single")
    assert force.explanation == "A newton is kg m/s2."
    assert [c.is_correct for c in vectors.choices] == [True, True, False]
    assert gravity.correct_boolean is True
    assert (energy.text_answer, energy.text_match) == ("(?i)(?:joule|J)", "regex")
    assert (symbol.text_answer, symbol.text_match) == ("N", "exact")
    assert "50%" in symbol.warnings[0]
    assert (g.numeric_answer, g.numeric_tolerance) == (Decimal("9.81"), Decimal("0.05"))
    assert force.category == "$course$/top/Statics"
    assert [(u.place, u.kind) for u in bank.unmapped] == [
        ("question 8", "matching"),
        ("question 9", "essay"),
        ("question 10", "description"),
        ("question 11", "calculated"),
    ]


def test_qti_items_map_by_their_response():
    bank = parse_qti((DATA / "bank.qti.xml").read_bytes())
    assert bank.problems == []
    force, vectors, gravity, energy, g = bank.questions
    assert (force.question_type, force.points, force.title) == (
        "single",
        Decimal("2.00"),
        "Unit of force",
    )
    assert force.prompt == "What is the SI unit of force?"
    assert [(c.text, c.is_correct) for c in force.choices] == [
        ("newton", True),
        ("joule", False),
        ("watt", False),
    ]
    assert force.explanation == "A newton is kg m/s^2."
    assert [c.is_correct for c in vectors.choices] == [True, True, False]
    assert vectors.question_type == "multiple"
    assert (gravity.question_type, gravity.correct_boolean) == ("true_false", True)
    assert energy.text_answer == "(?i)(?:joule|J)"
    assert (g.numeric_answer, g.numeric_tolerance) == (Decimal("9.81"), Decimal("0.05"))
    assert [(u.place, u.kind) for u in bank.unmapped] == [
        ("item 6", "essay"),
        ("item 7", "response_xy"),
    ]


def test_format_is_detected_from_the_content():
    assert detect_format((DATA / "bank.moodle.xml").read_bytes()) == "moodlexml"
    assert detect_format((DATA / "bank.qti.xml").read_bytes()) == "qti"
    assert detect_format(b"\xef\xbb\xbfQ? {T}") == "gift"
    with pytest.raises(BankRefused, match="neither Moodle XML"):
        detect_format(b"<html><body/></html>")


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
@pytest.mark.parametrize("file_format", [None, "moodlexml", "qti"])
def test_hostile_xml_is_refused(payload, file_format):
    with pytest.raises(BankRefused, match="entities"):
        question_bank_parse(data=payload, file_format=file_format)


def test_broken_xml_and_wrong_roots_are_refused():
    with pytest.raises(BankRefused, match="not well-formed"):
        question_bank_parse(data=b"<quiz><question>", file_format="moodlexml")
    with pytest.raises(BankRefused, match="starts with <quiz>"):
        parse_moodle_xml(b"<questestinterop/>")
    with pytest.raises(BankRefused, match="starts with <questestinterop>"):
        parse_qti(b"<quiz/>")


def test_malformed_xml_questions_are_problems_with_their_place():
    bank = parse_moodle_xml(
        b'<quiz><question type="numerical"><questiontext format="plain_text"><text>n?</text>'
        b'</questiontext><answer fraction="100"><text>abc</text></answer></question></quiz>'
    )
    assert [(p.place, p.message) for p in bank.problems] == [
        ("question 1", "The answer “abc” is not a number.")
    ]
