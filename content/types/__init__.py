"""The content types, one module each, and the registry that maps a type's name to its
definition (schema, draft payload, renderer, asset references, admin editor form). Adding a
type means one module here, its template in templates/content/items/ and one line below."""

from content.types import assignment, engineering_lab, quiz, resource_list, text, video
from content.types.base import ContentTypeDefinition
from content.types.editing import ItemEditorForm

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
# What an item made from a template stub without a payload starts with: valid for its type,
# plainly unfinished, and created inactive so no student sees it before staff fill it in. A
# draft quiz points at no pool of the course, so it refuses to start until one is chosen.
DRAFT_PAYLOADS: dict[str, dict] = {name: t.draft for name, t in TYPES.items()}
# The admin form of each type, by type name.
EDITOR_FORMS: dict[str, type[ItemEditorForm]] = {name: t.editor for name, t in TYPES.items()}
