"""Payloads of the six content types, in the shapes their modules under content/types/ define.

The builders are pure functions of their arguments: ids such as a video's come from hashes,
not from random numbers.
"""

import hashlib
from datetime import datetime

from demo.phrases import ASSIGNMENT, READING, TRANSCRIPT, label

_VIDEO_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("|".join(map(str, parts)).encode()).digest()


def youtube_id(*parts: object) -> str:
    """An 11-character id in YouTube's alphabet, stable for the same parts."""
    return "".join(_VIDEO_ID_ALPHABET[b % 64] for b in _digest(*parts)[:11])


def vimeo_id(*parts: object) -> str:
    return str(100_000_000 + int.from_bytes(_digest(*parts)[:4]) % 900_000_000)


def video(
    *, language: str, course: str, chapter: str, lesson: str, n: int, asset_id: int | None
) -> dict:
    """A lecture video with a transcript spread over its length; the provider rotates between
    YouTube, Vimeo and the platform's own video store, whose videos play the uploaded asset
    `asset_id` (YouTube instead when there is none)."""
    sentences = [
        s.format(course=course, chapter=chapter, lesson=lesson) for s in TRANSCRIPT[language]
    ]
    duration = 480 + (n * 37) % 900
    step = duration / len(sentences)
    segments = [
        {
            "start": round(i * step, 1),
            "end": round(i * step + min(step - 0.5, 9.0), 1),
            "text": text,
        }
        for i, text in enumerate(sentences)
    ]
    data: dict = {
        "duration_seconds": duration,
        "transcript": {"language": language, "segments": segments},
    }
    provider = ("youtube", "vimeo", "internal")[n % 3]
    if provider == "internal" and asset_id is None:
        provider = "youtube"
    data["provider"] = provider
    if provider == "youtube":
        vid = youtube_id(course, lesson)
        data["video_id"] = vid
        data["url"] = f"https://www.youtube.com/watch?v={vid}"
        data["thumbnail_url"] = f"https://i.ytimg.com/vi/{vid}/hqdefault.jpg"
    elif provider == "vimeo":
        vid = vimeo_id(course, lesson)
        data["video_id"] = vid
        data["url"] = f"https://vimeo.com/{vid}"
    else:
        data["asset_id"] = asset_id
    return data


def text(
    *,
    language: str,
    course: str,
    chapter: str,
    lesson: str,
    formula: str,
    image_asset_id: int | None,
    image_caption: str = "",
    links: tuple[tuple[str, str], ...] = (),
) -> dict:
    """Lecture notes: paragraphs, a displayed formula, a figure from the asset library and a
    list of links."""
    words = READING[language]
    fmt = {"course": course, "chapter": chapter, "lesson": lesson}
    blocks: list[dict] = [
        {"type": "paragraph", "text": words["intro"].format(**fmt)},
        {"type": "paragraph", "text": words["formula"].format(**fmt)},
        {"type": "math", "latex": formula, "display": True},
    ]
    if image_asset_id is not None:
        blocks.append(
            {
                "type": "image",
                "asset_id": image_asset_id,
                "caption": image_caption or words["figure"].format(**fmt),
            }
        )
    blocks.append({"type": "paragraph", "text": words["closing"].format(**fmt)})
    if links:
        blocks.append(
            {"type": "link_list", "items": [{"label": lbl, "url": url} for lbl, url in links]}
        )
    return {"layout": "rich_text_v1", "title": lesson, "blocks": blocks}


def formula_sheet(*, language: str, course: str, formulas: tuple[str, ...]) -> dict:
    intro = READING[language]["sheet"].format(course=course)
    blocks: list[dict] = [{"type": "paragraph", "text": intro}]
    blocks.extend({"type": "math", "latex": f, "display": True} for f in formulas)
    return {"layout": "rich_text_v1", "title": label(language, "Formula sheet"), "blocks": blocks}


def quiz(*, pool: int, exam: bool = False) -> dict:
    if exam:
        return {
            "question_pool_id": pool,
            "quiz_mode": "exam",
            "num_questions_per_attempt": 20,
            "randomize_order": True,
            "time_limit_seconds": 3600,
            "mastery": {"points": 100, "threshold_correct_in_row": 1, "max_attempts": 2},
        }
    return {
        "question_pool_id": pool,
        "quiz_mode": "practice",
        "num_questions_per_attempt": 5 + pool % 6,
        "randomize_order": True,
        "time_limit_seconds": None,
        "mastery": {"points": 50, "threshold_correct_in_row": 3, "max_attempts": None},
    }


def engineering_lab(
    *, runtime: str, image: str, notebook: str, slug: str, max_points: int = 100
) -> dict:
    """A containerised coding lab: the student's notebook and data, and the hidden unit tests
    that grade it. Python labs also have the starter module the tests import (demo/labs.py
    holds the files' contents)."""
    folder = notebook.rsplit("/", 1)[0] if "/" in notebook else "lab"
    if runtime == "matlab":
        limits = {"cpu_limit": "2", "memory_limit": "4Gi", "entrypoint": "matlab -batch run_lab"}
        tests = ("tests/testResults.m", "tests/testEdgeCases.m")
        env = {"LAB_SLUG": slug}
        starters: tuple[str, ...] = ()
    else:
        limits = {"cpu_limit": "1", "memory_limit": "2Gi", "entrypoint": "jupyter-lab"}
        tests = ("tests/test_results.py", "tests/test_edge_cases.py")
        env = {"LAB_SLUG": slug, "PYTHONHASHSEED": "0"}
        starters = (f"{folder}/analysis.py",)
    return {
        "lab_type": "code",
        "runtime": runtime,
        "container_image": image,
        **limits,
        "timeout_seconds": 5400,
        "env": env,
        "files": [
            {"path": notebook, "role": "student_visible"},
            {"path": f"{folder}/data/measurements.csv", "role": "student_visible"},
            *({"path": path, "role": "student_visible"} for path in starters),
            *({"path": path, "role": "hidden_test"} for path in tests),
        ],
        "grading": {"type": "unit_tests", "max_points": max_points},
    }


def assignment(*, language: str, lesson: str, kind: str, due_at: datetime) -> dict:
    """A problem set ("problems") or lab report ("report") due at `due_at`."""
    return {
        "instructions": ASSIGNMENT[language][kind].format(lesson=lesson),
        "due_at": due_at.isoformat(),
        "max_points": 20 if kind == "problems" else 30,
        "submission_types": ["file", "text", "url"] if kind == "problems" else ["file"],
        "allow_late": kind == "problems",
    }


def resource(
    *,
    language: str,
    lesson: str,
    pdf_url: str,
    links: tuple[tuple[str, str], ...],
    video_url: str | None = None,
) -> dict:
    items = [{"label": f"{label(language, 'Slides')}: {lesson}", "url": pdf_url, "kind": "pdf"}]
    items.extend({"label": lbl, "url": url, "kind": "article"} for lbl, url in links)
    if video_url:
        items.append(
            {"label": label(language, "Recorded lecture"), "url": video_url, "kind": "video"}
        )
    return {"resources": items}
