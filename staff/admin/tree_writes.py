"""The writes of the module and item admins, composed: each change to the tree goes through
syllabus's or content's service and then, in the same transaction, brings learners' module
progress and the course's grades in line (assessments.progress.tree_changes)."""

from typing import Any

from assessments.progress.tree_changes import tracked, tree_change_apply, tree_transaction
from content.admin.items import ItemWrites
from content.archive import content_item_remove, module_remove
from content.models import ContentItem
from content.services import content_item_create, content_item_move, content_item_update
from syllabus.admin import ModuleWrites
from syllabus.models import Module
from syllabus.services import module_delete, module_move, module_set_published, module_update


class TrackedModuleWrites(ModuleWrites):
    def update(self, *, module: Module, **fields: Any) -> Module:
        return tracked(module_update, module=module, **fields)

    def move(self, *, module: Module, parent: Module, position: int | None) -> Module:
        return tracked(module_move, module=module, parent=parent, position=position)

    def set_published(self, *, module: Module, is_published: bool) -> int:
        return tracked(module_set_published, module=module, is_published=is_published)

    def delete(self, *, module: Module) -> None:
        with tree_transaction():
            tree_change_apply(module_delete(module=module))

    def remove(self, *, module: Module) -> bool:
        """Delete the module, or archive it when it holds students' work (content.archive)."""
        return tracked(module_remove, module=module)


class TrackedItemWrites(ItemWrites):
    def create(self, **fields: Any) -> ContentItem:
        return tracked(content_item_create, **fields)

    def update(self, *, item: ContentItem, **fields: Any) -> ContentItem:
        return tracked(content_item_update, item=item, **fields)

    def move(self, *, item: ContentItem, module: Module, position: int | None) -> ContentItem:
        return tracked(content_item_move, item=item, module=module, position=position)

    def remove(self, *, item: ContentItem) -> bool:
        return tracked(content_item_remove, item=item)
