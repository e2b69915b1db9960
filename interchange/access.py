"""Who may import questions into a course's pools or export them: staff who may add questions
(university and department admins, instructors; not teaching assistants, who only view pools)
and only for the courses in their tenant scope, as the question pool admin scopes them. Who may
import a whole course package, and follow its import: the university's admins."""

from django.db.models import QuerySet

from catalog.models import Course
from catalog.scoping import paths_via_course
from interchange.models import CourseImportJob
from tenancy.access import administered_university_ids, sees_everything
from tenancy.models import University, User
from tenancy.scoping import scoped

COURSE_PATHS = {"university": "university", "department": "department", "course": "pk"}
POOL_PATHS = paths_via_course("course")


def may_author_questions(user: User) -> bool:
    return user.is_active and user.has_perm("assessments.add_question")


def courses_for_question_authoring(user: User) -> QuerySet[Course]:
    """The courses whose question pools `user` may write into, none without the permission."""
    if not may_author_questions(user):
        return Course.objects.none()
    return scoped(Course.objects.select_related("university"), user, COURSE_PATHS).order_by(
        "code", "pk"
    )


def may_import_courses(user: User) -> bool:
    """Whether `user` may import a course into some university, from what the request already
    knows of them (their permissions and roles): the admin asks on every page it draws."""
    if not (user.is_active and user.has_perm("catalog.add_course")):
        return False
    return sees_everything(user) or bool(administered_university_ids(user))


def universities_for_course_import(user: User) -> QuerySet[University]:
    """The universities `user` may import a new course into: those they administer (platform
    admins: all), as a course of a university is added by its admins."""
    if not (user.is_active and user.has_perm("catalog.add_course")):
        return University.objects.none()
    universities = University.objects.order_by("name", "pk")
    if sees_everything(user):
        return universities
    return universities.filter(pk__in=administered_university_ids(user))


def course_imports_for(user: User) -> QuerySet[CourseImportJob]:
    """The course imports `user` may follow: those into universities they may import into."""
    return CourseImportJob.objects.filter(
        university__in=universities_for_course_import(user)
    ).select_related("university", "course")
