from typing import TYPE_CHECKING, ClassVar

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from polymorphic.models import PolymorphicModel

from catalog.models import Course
from content.payloads import payload_errors
from lms.db import FieldCheckConstraint, TimestampedModel, enum_check
from syllabus.models import Module
from tenancy.models import University

if TYPE_CHECKING:
    from polymorphic.managers import PolymorphicManager


class AssetType(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other")


class Asset(TimestampedModel):
    """A file in the media library. A null university marks a platform-wide asset."""

    university = models.ForeignKey(
        University,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        db_index=False,
    )
    url = models.CharField(max_length=1024)
    asset_type = models.CharField(max_length=32, choices=AssetType.choices)
    meta_json = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "assets"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["university"], name="ix_assets_university_id"),
            models.Index(fields=["asset_type"], name="ix_assets_asset_type"),
            GinIndex(fields=["meta_json"], name="ix_assets_meta_json_gin"),
        ]

    def __str__(self) -> str:
        label = (self.meta_json or {}).get("title") or self.url.rsplit("/", 1)[-1]
        return f"{label} ({self.asset_type})"

    @property
    def alt_text(self) -> str:
        return (self.meta_json or {}).get("alt", "")


class ContentType(models.TextChoices):
    VIDEO = "video", _("Video")
    QUIZ = "quiz", _("Quiz")
    ENGINEERING_LAB = "engineering_lab", _("Engineering lab")
    TEXT = "text", _("Text")
    ASSIGNMENT = "assignment", _("Assignment")
    RESOURCE = "resource", _("Resource list")


class ContentItem(PolymorphicModel, TimestampedModel):
    """One table for every kind of content; each `content_type` has a proxy class below."""

    CONTENT_TYPE: str | None = None

    if TYPE_CHECKING:
        # The manager's second type parameter is what non_polymorphic() yields; the
        # django-stubs plugin leaves it unbound, so it is named here for the type checker.
        objects: ClassVar[PolymorphicManager["ContentItem", "ContentItem"]]

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="content_items", db_index=False
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="content_items",
        db_index=False,
        editable=False,
    )
    university = models.ForeignKey(
        University,
        on_delete=models.CASCADE,
        related_name="content_items",
        db_index=False,
        editable=False,
    )
    content_type = models.CharField(max_length=32, choices=ContentType.choices, editable=False)
    title = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    sequence_index = models.IntegerField(default=1, db_default=1)
    estimated_duration_seconds = models.IntegerField(null=True, blank=True)
    data_json = models.JSONField()
    is_active = models.BooleanField(default=True, db_default=True)
    # Set instead of deleting an item that holds students' work (content.services); archived
    # items are in no outline, learners' or staff's, until restored from the recycle bin.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "content_items"
        ordering = ["module_id", "sequence_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "sequence_index"], name="ux_content_items_module_sequence"
            ),
            enum_check("content_type", ContentType, "content_items_content_type_valid"),
            FieldCheckConstraint(
                field="estimated_duration_seconds",
                condition=models.Q(estimated_duration_seconds__isnull=True)
                | models.Q(estimated_duration_seconds__gte=0),
                name="content_items_duration_not_negative",
                violation_error_message=_("A duration cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["module"], name="ix_content_items_module_id"),
            models.Index(fields=["course"], name="ix_content_items_course_id"),
            models.Index(fields=["university"], name="ix_content_items_university_id"),
            models.Index(fields=["content_type"], name="ix_content_items_content_type"),
            GinIndex(fields=["data_json"], name="ix_content_items_data_json_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def attach_to_module(self) -> None:
        """Copy the module's course and university, so the denormalised keys always agree."""
        if self.module_id is None:
            return
        module = self.module
        self.course_id = module.course_id
        self.university_id = Course.objects.values_list("university_id", flat=True).get(
            pk=module.course_id
        )

    def clean(self) -> None:
        super().clean()
        if self.CONTENT_TYPE is None:
            raise ValidationError(_("Create a content item of a specific type."))
        self.content_type = self.CONTENT_TYPE
        errors = payload_errors(self.CONTENT_TYPE, self.data_json)
        if errors:
            raise ValidationError({"data_json": errors})
        self.attach_to_module()

    def save(self, *args, **kwargs) -> None:
        if self.CONTENT_TYPE is not None:
            self.content_type = self.CONTENT_TYPE
        if self.module_id is not None and (self.course_id is None or self.university_id is None):
            self.attach_to_module()
        super().save(*args, **kwargs)


class VideoItem(ContentItem):
    CONTENT_TYPE = ContentType.VIDEO

    class Meta:
        proxy = True
        verbose_name = _("video")


class QuizItem(ContentItem):
    CONTENT_TYPE = ContentType.QUIZ

    class Meta:
        proxy = True
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")


class EngineeringLabItem(ContentItem):
    CONTENT_TYPE = ContentType.ENGINEERING_LAB

    class Meta:
        proxy = True
        verbose_name = _("engineering lab")


class TextItem(ContentItem):
    CONTENT_TYPE = ContentType.TEXT

    class Meta:
        proxy = True
        verbose_name = _("text")
        verbose_name_plural = _("texts")


class AssignmentItem(ContentItem):
    CONTENT_TYPE = ContentType.ASSIGNMENT

    class Meta:
        proxy = True
        verbose_name = _("assignment")


class ResourceItem(ContentItem):
    CONTENT_TYPE = ContentType.RESOURCE

    class Meta:
        proxy = True
        verbose_name = _("resource list")


ITEM_CLASSES: dict[str, type[ContentItem]] = {
    cls.CONTENT_TYPE: cls
    for cls in (VideoItem, QuizItem, EngineeringLabItem, TextItem, AssignmentItem, ResourceItem)
}


class OutlineVersion(models.Model):
    """A counter per course that database triggers (migration add_outline_versions) raise on
    every insert, update and delete of the course's modules and content items, whatever wrote
    them (save(), bulk updates, MPTT moves, raw SQL). What is derived from a course's outline is
    cached under it: content.selectors.outline_version.

    No foreign key to courses: a course's deletion deletes its modules, whose triggers write
    here, and a row left behind by a deleted course is harmless."""

    course_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "outline_versions"

    def __str__(self) -> str:
        return f"Outline version {self.version}"


class CourseImage(TimestampedModel):
    """The picture of a course on its catalog card and page: an image of the course's own
    university's library, with the words that say what it shows. It lives in content, beside
    the asset library, because the course (catalog) may not point up at assets."""

    course = models.OneToOneField(
        Course, on_delete=models.CASCADE, primary_key=True, related_name="course_image"
    )
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="course_images")
    alt_text = models.CharField(_("alternative text"), max_length=500)

    class Meta:
        db_table = "course_images"
        verbose_name = _("course image")
        constraints = [
            FieldCheckConstraint(
                field="alt_text",
                condition=~models.Q(alt_text=""),
                name="course_images_alt_text_present",
                violation_error_message=_("Say in words what the picture shows."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.course)
