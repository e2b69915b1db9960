from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from catalog.models import Course
from lms.db import TimestampedModel, enum_check
from syllabus.tree import ModuleTreeManager
from tenancy.models import University


class ModuleType(models.TextChoices):
    COURSE_ROOT = "course_root", _("Course root")
    UNIT = "unit", _("Unit")
    CHAPTER = "chapter", _("Chapter")
    LESSON = "lesson", _("Lesson")
    TOPIC = "topic", _("Topic")
    SECTION = "section", _("Section")
    LAB = "lab", _("Lab")
    QUIZ = "quiz", _("Quiz")
    OTHER = "other", _("Other")


class ModuleTemplate(TimestampedModel):
    """A reusable layout; `default_data` describes the child modules and content stubs.

    A template belongs to the university whose staff saved it; one without a university is
    platform-wide, curated by platform admins. Staff see their universities' templates and the
    platform-wide ones (syllabus.selectors).
    """

    university = models.ForeignKey(
        University,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text=_("Empty: offered to every university."),
    )
    template_type = models.CharField(max_length=32, choices=ModuleType.choices)
    title = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    default_data = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "module_templates"
        ordering = ["title"]
        constraints = [enum_check("template_type", ModuleType, "module_templates_type_valid")]
        indexes = [models.Index(fields=["university"], name="ix_module_templates_university")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_template_type_display()})"


class Module(MPTTModel, TimestampedModel):
    """A node of a course's syllabus tree.

    `depth` is the MPTT level; `sequence_index` (1..n among siblings) always follows the tree
    order, and among a course's roots it is the order their trees' ids follow. Change the tree
    through syllabus.services so both stay consistent.
    """

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", db_index=False
    )
    parent = TreeForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        db_column="parent_module_id",
        db_index=False,
    )
    module_type = models.CharField(max_length=32, choices=ModuleType.choices)
    module_template = models.ForeignKey(
        ModuleTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="modules",
        db_index=False,
    )
    title = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    sequence_index = models.IntegerField(default=1, db_default=1, editable=False)
    depth = models.IntegerField(default=0, db_default=0, editable=False)
    is_published = models.BooleanField(default=False, db_default=False)
    # Set on a whole subtree instead of deleting modules that hold students' work (content
    # archives them: syllabus cannot see the work); archived modules are in no outline.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ModuleTreeManager()

    class MPTTMeta:
        level_attr = "depth"

    class Meta:
        db_table = "modules"
        constraints = [
            models.UniqueConstraint(
                models.F("course"),
                Coalesce(models.F("parent"), models.Value(0)),
                models.F("sequence_index"),
                name="ux_modules_course_parent_sequence",
            ),
            # Target of the composite foreign key that keeps a content item in its module's course.
            models.UniqueConstraint(fields=["id", "course"], name="ux_modules_id_course"),
            enum_check("module_type", ModuleType, "modules_module_type_valid"),
        ]
        indexes = [
            models.Index(fields=["course"], name="ix_modules_course_id"),
            models.Index(fields=["parent"], name="ix_modules_parent_module_id"),
            models.Index(fields=["module_template"], name="ix_modules_template_id"),
        ]

    def __str__(self) -> str:
        return self.title
