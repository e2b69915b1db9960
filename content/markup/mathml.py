"""TeX to MathML, serialised from latex2mathml's element tree through one allow-list.

latex2mathml's own string output copies `\\text{...}` verbatim and keeps `\\href` targets, so
the markup is written here instead: only allow-listed MathML elements and attributes, the text
of a dropped element kept, every text escaped once.
"""

import functools
import re
from html import escape
from xml.etree.ElementTree import Element

import latex2mathml.converter
from django.utils.safestring import SafeString, mark_safe

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"

_MATHML_TAG_NAMES = """
math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mstyle merror mpadded
mphantom mfenced menclose munder mover munderover mtable mtr mtd mlabeledtr mmultiscripts
mprescripts none semantics annotation maligngroup malignmark
"""
_MATHML_ATTRIBUTE_NAMES = """
display mathvariant mathcolor mathbackground mathsize stretchy fence separator lspace rspace
columnalign rowalign columnlines rowlines columnspacing rowspacing frame framespacing equalrows
equalcolumns displaystyle scriptlevel accent accentunder movablelimits form width height depth
linethickness notation open close separators minsize maxsize symmetric largeop voffset align
columnspan rowspan bevelled encoding
"""
MATHML_TAGS = frozenset(_MATHML_TAG_NAMES.split())
MATHML_ATTRIBUTES = frozenset(_MATHML_ATTRIBUTE_NAMES.split())

_CHAR_REF = re.compile(r"&#x([0-9a-fA-F]{1,6});")


def _decode_refs(text: str) -> str:
    """latex2mathml writes symbols as `&#x....;` references inside element text; turn them
    back into characters so the text can be escaped once, properly."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1), 16)
        valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        return chr(code) if valid else "\ufffd"

    return _CHAR_REF.sub(char, text)


def _serialise(element: Element, out: list[str], namespace: bool) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    keep = tag in MATHML_TAGS
    if keep:
        attrs = "".join(
            f' {name}="{escape(str(value), quote=True)}"'
            for name, value in element.attrib.items()
            if name in MATHML_ATTRIBUTES
            or (namespace and name == "xmlns" and value == MATHML_NAMESPACE)
        )
        out.append(f"<{tag}{attrs}>")
    if element.text:
        out.append(escape(_decode_refs(element.text), quote=False))
    for child in element:
        _serialise(child, out, namespace)
    if keep:
        out.append(f"</{tag}>")
    if element.tail:
        out.append(escape(_decode_refs(element.tail), quote=False))


@functools.lru_cache(maxsize=2048)
def latex_to_mathml(latex: str, *, display: bool = True, namespace: bool = True) -> str | None:
    """Sanitised MathML for `latex`, or None when latex2mathml cannot convert it. `namespace`
    keeps the xmlns declaration on <math> (item pages keep it; discussion posts, which nh3
    cleans afterwards, leave it out). Cached: the conversion is pure and costs about a
    millisecond per formula."""
    try:
        tree = latex2mathml.converter.convert_to_element(
            latex, display="block" if display else "inline"
        )
    except Exception:  # latex2mathml raises many unrelated exception types on bad input
        return None
    out: list[str] = []
    _serialise(tree, out, namespace)
    markup = "".join(out)
    return markup if markup.startswith("<math") else None


def mathml_html(latex: str, *, display: bool = True, namespace: bool = True) -> SafeString | None:
    """`latex_to_mathml` marked safe for a template: the one place MathML becomes page markup
    (its every text was escaped and its every element and attribute allow-listed above)."""
    markup = latex_to_mathml(latex, display=display, namespace=namespace)
    return None if markup is None else mark_safe(markup)
