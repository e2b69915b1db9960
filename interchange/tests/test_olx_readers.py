"""The OLX readers on their own: capa problems into questions, HTML into text blocks, and
transcripts, without a database."""

from decimal import Decimal

import pytest

from interchange.archives import Package, PackageRefused
from interchange.courses.capa import problem_questions, response_kinds
from interchange.courses.html_blocks import html_to_blocks
from interchange.courses.olx import olx_plan
from interchange.questions.xmlsafe import parse_xml


def questions(xml: str):
    return problem_questions(parse_xml(xml.encode()), place="problem/p.xml", title="P")


def test_percent_tolerance_is_made_absolute():
    (q,) = questions(
        '<problem><numericalresponse answer="200"><label>g</label>'
        '<responseparam type="tolerance" default="5%"/></numericalresponse></problem>'
    )
    assert (q.question_type, q.numeric_answer, q.numeric_tolerance) == (
        "numeric",
        Decimal(200),
        Decimal(10),
    )


def test_case_sensitive_and_regexp_string_responses():
    (exact,) = questions(
        '<problem><stringresponse answer="NaCl"><label>salt</label></stringresponse></problem>'
    )
    assert (exact.text_answer, exact.text_match) == ("NaCl", "exact")
    (pattern,) = questions(
        '<problem><stringresponse answer="colou?r" type="regexp ci"><label>c</label>'
        "</stringresponse></problem>"
    )
    assert (pattern.text_answer, pattern.text_match) == ("(?i)^(?:(?:colou?r))$", "regex")


def test_dropdown_with_option_elements_and_prompt_from_the_problem_text():
    (q,) = questions(
        "<problem><p>Pick the noble gas.</p><optionresponse><optioninput>"
        '<option correct="False">Iron</option><option correct="True">Neon</option>'
        "</optioninput></optionresponse></problem>"
    )
    assert q.prompt == "Pick the noble gas."
    assert [(c.text, c.is_correct) for c in q.choices] == [("Iron", False), ("Neon", True)]


def test_jsinput_is_told_apart_from_custom_python():
    problem = parse_xml(
        b'<problem><customresponse><jsinput html_file="x"/></customresponse>'
        b"<schematicresponse/></problem>"
    )
    assert response_kinds(problem) == ["jsinput", "schematicresponse"]


def test_html_without_math_or_images_is_one_paragraph_per_block():
    plan = html_to_blocks("<div><p>One<br>two</p><ul><li>three</li></ul></div>")
    assert plan.blocks == [
        {"type": "paragraph", "text": "One\ntwo"},
        {"type": "paragraph", "text": "three"},
    ]


def test_a_billion_laughs_in_a_component_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><problem>&b;</problem>'
    )
    package = Package(
        {
            "course.xml": b'<course url_name="r" course="C"/>',
            "course/r.xml": b'<course><chapter url_name="c"/></course>',
            "chapter/c.xml": b'<chapter><sequential><vertical><problem url_name="p"/>'
            b"</vertical></sequential></chapter>",
            "problem/p.xml": bomb,
        }
    )
    with pytest.raises(PackageRefused, match=r"^problem/p\.xml: The file declares XML entities"):
        olx_plan(package)


def test_a_broken_transcript_is_a_warning_and_the_video_stays():
    package = Package(
        {
            "course.xml": b'<course url_name="r" course="C"/>',
            "course/r.xml": b"<course><chapter><sequential><vertical>"
            b'<video url_name="v" youtube_id_1_0="abcdefghijk"><transcript language="de" '
            b'src="v.srt"/></video></vertical></sequential></chapter></course>',
            "static/v.srt": b"1\nnot a timing line\nHallo\n",
        }
    )
    plan = olx_plan(package)
    (video,) = plan.modules[0].children[0].children[0].items
    assert video.data == {"provider": "youtube", "video_id": "abcdefghijk"}
    assert plan.warnings == [
        "static/v.srt: transcript not imported (Line 1: expected a timing line like "
        "00:00:01.000 --> 00:00:04.000.)"
    ]
    assert plan.transcripts == 0
