"""Text colours against their backgrounds, computed from the style sheets as served: every rule
that sets both a text colour and a solid background meets WCAG AA for normal text (4.5:1)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
AA_NORMAL_TEXT = 4.5


def relative_luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def declarations(body: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in body.split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}


def stylesheet_rules() -> list[tuple[str, str, dict[str, str]]]:
    rules = []
    for sheet in sorted(CSS_DIR.glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
        rules += [(sheet.name, sel.strip(), declarations(body)) for sel, body in RULE.findall(text)]
    return rules


def custom_properties() -> dict[str, str]:
    found: dict[str, str] = {}
    for _sheet, selector, props in stylesheet_rules():
        if selector == ":root":
            found.update({k: v for k, v in props.items() if k.startswith("--")})
    return found


def solid(value: str | None, variables: dict[str, str]) -> str | None:
    """The hex colour `value` stands for, None for anything else (images, gradients, inherit)."""
    if value is None:
        return None
    value = value.replace("!important", "").strip()
    match = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if match:
        value = variables.get(match[1], "")
    return value if HEX.match(value) else None


def coloured_rules() -> list[tuple[str, str, str, str]]:
    variables = custom_properties()
    found = []
    for sheet, selector, props in stylesheet_rules():
        fg = solid(props.get("color"), variables)
        bg = solid(props.get("background-color") or props.get("background"), variables)
        if fg and bg:
            found.append((sheet, selector, fg, bg))
    return found


def test_the_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#fff", "#ffffff") == pytest.approx(1.0)


def test_the_green_badge_meets_aa():
    badge = next(r for r in coloured_rules() if r[1] == ".badge.ok")

    assert contrast_ratio(badge[2], badge[3]) >= AA_NORMAL_TEXT


def test_every_rule_with_text_and_background_colours_meets_aa():
    rules = coloured_rules()
    failing = [
        f"{sheet} {selector}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1"
        for sheet, selector, fg, bg in rules
        if contrast_ratio(fg, bg) < AA_NORMAL_TEXT
    ]

    assert len(rules) >= 10
    assert failing == []


def test_status_colours_meet_aa_on_the_page_and_panel_backgrounds():
    variables = custom_properties()
    for name in ("--ok", "--warn", "--error", "--muted", "--accent", "--fg"):
        for background in ("--bg", "--panel"):
            ratio = contrast_ratio(variables[name], variables[background])
            assert ratio >= AA_NORMAL_TEXT, f"{name} on {background}: {ratio:.2f}:1"
