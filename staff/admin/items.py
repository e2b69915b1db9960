"""The content item admins: content's, writing through TrackedItemWrites, so creating,
changing, moving or removing an item keeps learners' module progress and grades in line."""

from django.contrib import admin

from content.admin.items import ContentItemAdmin, typed_item_admins
from content.models import ContentItem
from staff.admin.tree_writes import TrackedItemWrites

item_writes = TrackedItemWrites()

for model, model_admin in typed_item_admins(item_writes).items():
    admin.site.register(model, model_admin)


class TrackedContentItemAdmin(ContentItemAdmin):
    writes = item_writes


admin.site.register(ContentItem, TrackedContentItemAdmin)
