"""XML parsing for question banks through defusedxml: no entity declarations (so no
billion-laughs expansion and no external entities reading local files or the network), no
external DTDs fetched. A file that tries is refused whole, before anything is read from it."""

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from interchange.questions.bank import BankRefused


def parse_xml(data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise BankRefused(
            _(
                "The file declares XML entities or external references, which are refused "
                "for safety. Export the question bank again without a DTD's entities."
            )
        ) from None
    except ParseError as error:
        raise BankRefused(
            _("The file is not well-formed XML (%(error)s).") % {"error": error}
        ) from None


def local_name(element: Element) -> str:
    """The tag without its namespace: QTI files come with and without one."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child) == name]


def child(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def descendants(element: Element, name: str) -> list[Element]:
    return [node for node in element.iter() if local_name(node) == name]


def text_of(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""
