"""The content types, one module each, and the registry that maps a type's name to its
definition. Adding a type means one module here (plus its editor form and template) and one
line below."""

from content.types import assignment, engineering_lab, quiz, resource_list, text, video
from content.types.base import ContentTypeDefinition

TYPES: dict[str, ContentTypeDefinition] = {
    definition.name: definition
    for definition in (
        video.DEFINITION,
        quiz.DEFINITION,
        engineering_lab.DEFINITION,
        text.DEFINITION,
        assignment.DEFINITION,
        resource_list.DEFINITION,
    )
}
