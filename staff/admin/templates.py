"""The module template admin: syllabus's, with content's layout editing."""

from django.contrib import admin

from content.admin.templates import AuthoringModuleTemplateAdmin
from syllabus.models import ModuleTemplate

admin.site.register(ModuleTemplate, AuthoringModuleTemplateAdmin)
