from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from lms.db import FieldCheckConstraint, TimestampedModel, created_at_field, enum_check
from tenancy.models import Department, Role, University


class CourseLevel(models.TextChoices):
    UNDERGRADUATE = "undergraduate", _("Undergraduate")
    GRADUATE = "graduate", _("Graduate")
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    CERTIFICATE = "certificate", _("Certificate")
    OTHER = "other", _("Other")


class PrerequisiteType(models.TextChoices):
    STRICT = "strict", _("Strict")
    RECOMMENDED = "recommended", _("Recommended")
    CO_REQUISITE = "co_requisite", _("Co-requisite")


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")
    PENDING = "pending", _("Pending approval")
    WAITLISTED = "waitlisted", _("Waitlisted")


class OfferingVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: in the catalog")
    PRIVATE = "private", _("Private: the university only")


CAPACITY_MESSAGE = _("Give at least 1 seat, or leave capacity empty for unlimited seats.")


class Domain(TimestampedModel):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "domains"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subject(MPTTModel, TimestampedModel):
    parent = TreeForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        db_column="parent_subject_id",
        db_index=False,
    )
    domain = models.ForeignKey(
        Domain,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subjects",
        db_index=False,
    )
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=128)
    description = models.TextField(null=True, blank=True)
    depth = models.IntegerField(default=0, db_default=0, editable=False)

    class MPTTMeta:
        level_attr = "depth"
        order_insertion_by = ["name"]

    class Meta:
        db_table = "subjects"
        constraints = [models.UniqueConstraint(fields=["code"], name="ux_subjects_code")]
        indexes = [
            models.Index(fields=["parent"], name="ix_subjects_parent_subject_id"),
            models.Index(fields=["domain"], name="ix_subjects_domain_id"),
        ]

    def __str__(self) -> str:
        return self.name


class Course(TimestampedModel):
    university = models.ForeignKey(
        University, on_delete=models.CASCADE, related_name="courses", db_index=False
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        db_index=False,
    )
    primary_subject = models.ForeignKey(
        Subject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_courses",
        db_index=False,
    )
    title = models.CharField(max_length=255)
    code = models.CharField(max_length=128)
    description = models.TextField(null=True, blank=True)
    level = models.CharField(
        max_length=32,
        choices=CourseLevel.choices,
        default=CourseLevel.UNDERGRADUATE,
        db_default=CourseLevel.UNDERGRADUATE,
    )
    language_code = models.CharField(max_length=8, default="en", db_default="en")
    credit_hours = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    is_published = models.BooleanField(default=False, db_default=False)
    subjects = models.ManyToManyField(Subject, through="CourseSubject", related_name="courses")

    class Meta:
        db_table = "courses"
        ordering = ["university__short_code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["university", "code"], name="ux_courses_university_code"
            ),
            # Target of the composite foreign keys that keep offerings and content items in the
            # course's university.
            models.UniqueConstraint(fields=["id", "university"], name="ux_courses_id_university"),
            enum_check("level", CourseLevel, "courses_level_valid"),
        ]
        indexes = [
            models.Index(fields=["university"], name="ix_courses_university_id"),
            models.Index(fields=["department"], name="ix_courses_department_id"),
            models.Index(fields=["primary_subject"], name="ix_courses_primary_subject_id"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class CourseSubject(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, db_index=False)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, db_index=False)
    is_primary = models.BooleanField(default=False, db_default=False)

    class Meta:
        db_table = "course_subjects"
        constraints = [
            models.UniqueConstraint(fields=["course", "subject"], name="ux_course_subjects_unique"),
        ]
        indexes = [models.Index(fields=["subject"], name="ix_course_subjects_subject_id")]

    def __str__(self) -> str:
        return _("%(course)s in %(subject)s") % {"course": self.course, "subject": self.subject}


class CoursePrerequisite(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="prerequisite_links", db_index=False
    )
    prerequisite_course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="required_by_links", db_index=False
    )
    prerequisite_type = models.CharField(
        max_length=32,
        choices=PrerequisiteType.choices,
        default=PrerequisiteType.STRICT,
        db_default=PrerequisiteType.STRICT,
    )
    created_at = created_at_field()

    class Meta:
        db_table = "course_prerequisites"
        constraints = [
            models.UniqueConstraint(
                fields=["course", "prerequisite_course"], name="ux_course_prerequisites_unique"
            ),
            FieldCheckConstraint(
                field="prerequisite_course",
                condition=~models.Q(course=models.F("prerequisite_course")),
                name="course_prerequisites_not_self",
                violation_error_message=_("A course cannot be its own prerequisite."),
            ),
            enum_check("prerequisite_type", PrerequisiteType, "course_prerequisites_type_valid"),
        ]
        indexes = [
            models.Index(fields=["prerequisite_course"], name="ix_course_prerequisites_prereq"),
        ]

    def __str__(self) -> str:
        return _("%(course)s needs %(prerequisite)s (%(kind)s)") % {
            "course": self.course.code,
            "prerequisite": self.prerequisite_course.code,
            "kind": self.get_prerequisite_type_display(),
        }


class CourseOffering(TimestampedModel):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="offerings", db_index=False
    )
    university = models.ForeignKey(
        University, on_delete=models.CASCADE, related_name="offerings", db_index=False
    )
    term_name = models.CharField(max_length=255, null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    enrollment_start = models.DateTimeField(null=True, blank=True)
    enrollment_end = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(
        max_length=32,
        choices=OfferingVisibility.choices,
        default=OfferingVisibility.PRIVATE,
        db_default=OfferingVisibility.PRIVATE,
    )
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Seats; students past this number are waitlisted. Empty means unlimited."),
    )
    requires_approval = models.BooleanField(
        default=False,
        db_default=False,
        help_text=_("New enrollments stay pending until a department admin approves them."),
    )
    # Added to the contract: when the offering's grades became final (its staff finalised them,
    # or the term ended); completions of a dated offering count from then on.
    grades_finalized_at = models.DateTimeField(null=True, blank=True, editable=False)
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CourseOfferingInstructor",
        related_name="taught_offerings",
    )

    class Meta:
        db_table = "course_offerings"
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["course"], name="ix_course_offerings_course_id"),
            models.Index(fields=["university"], name="ix_course_offerings_university_id"),
        ]
        constraints = [
            FieldCheckConstraint(
                field="ends_at",
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="course_offerings_ends_after_start",
                violation_error_message=_("The offering cannot end before it starts."),
            ),
            FieldCheckConstraint(
                field="enrollment_end",
                condition=models.Q(enrollment_start__isnull=True)
                | models.Q(enrollment_end__isnull=True)
                | models.Q(enrollment_end__gte=models.F("enrollment_start")),
                name="course_offerings_enrollment_window_ordered",
                violation_error_message=_("Enrollment cannot close before it opens."),
            ),
            FieldCheckConstraint(
                field="capacity",
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="course_offerings_capacity_positive",
                violation_error_message=CAPACITY_MESSAGE,
            ),
            enum_check("visibility", OfferingVisibility, "course_offerings_visibility_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} {self.term_name or ''}".strip()


class CourseOfferingInstructor(models.Model):
    course_offering = models.ForeignKey(CourseOffering, on_delete=models.CASCADE, db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    class Meta:
        db_table = "course_offering_instructors"
        verbose_name = _("teaching staff member")
        verbose_name_plural = _("teaching staff of offerings")
        constraints = [
            models.UniqueConstraint(
                fields=["course_offering", "user"], name="ux_course_offering_instructor_unique"
            ),
        ]

    def __str__(self) -> str:
        return _("%(user)s teaches %(offering)s") % {
            "user": self.user,
            "offering": self.course_offering,
        }


class CourseEnrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        db_index=False,
    )
    course_offering = models.ForeignKey(
        CourseOffering, on_delete=models.CASCADE, related_name="enrollments", db_index=False
    )
    status = models.CharField(
        max_length=32,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
        db_default=EnrollmentStatus.ACTIVE,
    )
    enrolled_at = created_at_field()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "course_enrollments"
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_offering"], name="ux_course_enrollments_unique"
            ),
            enum_check("status", EnrollmentStatus, "course_enrollments_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status"], name="ix_course_enrollments_status"),
            models.Index(
                fields=["course_offering", "status"], name="ix_course_enrollments_offering_status"
            ),
        ]

    def __str__(self) -> str:
        return _("%(user)s in %(offering)s (%(status)s)") % {
            "user": self.user,
            "offering": self.course_offering,
            "status": self.get_status_display(),
        }


class Invitation(models.Model):
    """An invitation to take a role at a university, or (with an offering) to join an offering
    as a student, sent to an email address as it was typed. Staff cannot see whether an account
    uses the address; the person accepts while signed in, at a link with the token, and only
    then do the role and the enrollment exist (and their name shows on the roster)."""

    university = models.ForeignKey(
        University, on_delete=models.CASCADE, related_name="invitations", db_index=False
    )
    email = models.CharField(_("email"), max_length=255)
    role = models.CharField(max_length=32, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    course_offering = models.ForeignKey(
        CourseOffering,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    created_at = created_at_field()
    emailed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )

    class Meta:
        db_table = "invitations"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "university",
                "role",
                "course_offering",
                condition=models.Q(accepted_at__isnull=True),
                nulls_distinct=False,
                name="ux_invitations_pending",
            ),
            enum_check("role", Role, "invitations_role_valid"),
            FieldCheckConstraint(
                field="course_offering",
                condition=models.Q(course_offering__isnull=True) | models.Q(role=Role.STUDENT),
                name="invitations_offering_for_students",
                violation_error_message=_("Only students are invited to an offering."),
            ),
        ]
        indexes = [
            models.Index(fields=["university", "email"], name="ix_invitations_university"),
        ]

    def __str__(self) -> str:
        return _("%(email)s: %(role)s at %(university)s") % {
            "email": self.email,
            "role": self.get_role_display(),
            "university": self.university,
        }
