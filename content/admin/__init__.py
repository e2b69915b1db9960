"""Admin for content, one module per concern: items, the asset library and module templates.
Assets are registered here; the item admins (whose writes must also reach the progress and
grades above content) and the module and module template admins, which compose syllabus's
with content's, are registered by the staff layer."""

from content.admin import assets, course_images, items, templates  # noqa: F401
