"""Reads of the catalog: the learner's enrollments, access, visibility, filters, search and the
course page, with exact query counts."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from catalog.models import (
    CourseOfferingInstructor,
    CourseSubject,
    EnrollmentStatus,
    PrerequisiteType,
    Subject,
)
from catalog.selectors.browse import CatalogFilters, catalog_page, course_catalog
from catalog.selectors.course_page import course_for_visitor, course_page
from catalog.selectors.enrollments import learner_enrollments
from catalog.selectors.visibility import can_access_offering, is_offering_staff
from catalog.tests.factories import (
    CourseFactory,
    CourseSubjectFactory,
    DomainFactory,
    EnrollmentFactory,
    OfferingFactory,
    PrerequisiteFactory,
    SubjectFactory,
)
from tenancy.models import Role
from tenancy.tests.factories import (
    CountryFactory,
    DepartmentFactory,
    RoleFactory,
    UniversityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def codes(courses) -> list[str]:
    return [course.code for course in courses]


def search(q: str, user=ANONYMOUS, **filters) -> list[str]:
    """Codes of the courses on the first page of the catalog, in its order."""
    page = catalog_page(user=user, filters=CatalogFilters(q=q, **filters), page_number=1)
    return [result.course.code for result in page.results]


def listed(user=ANONYMOUS, **filters) -> list[str]:
    """Codes of all the courses listed without search words, sorted."""
    return sorted(codes(course_catalog(user=user, filters=CatalogFilters(**filters))))


# learner_enrollments ---------------------------------------------------------------------------


def test_learner_enrollments_in_one_query(django_assert_num_queries):
    student = UserFactory()
    full = OfferingFactory(capacity=1)
    EnrollmentFactory(course_offering=full)  # the seat
    EnrollmentFactory(course_offering=full, status=EnrollmentStatus.WAITLISTED)
    EnrollmentFactory(course_offering=full, status=EnrollmentStatus.WAITLISTED)
    waiting = EnrollmentFactory(
        user=student, course_offering=full, status=EnrollmentStatus.WAITLISTED
    )
    active = EnrollmentFactory(user=student)
    done = EnrollmentFactory(user=student, status=EnrollmentStatus.COMPLETED)
    pending = EnrollmentFactory(user=student, status=EnrollmentStatus.PENDING)
    dropped = EnrollmentFactory(user=student, status=EnrollmentStatus.DROPPED)
    EnrollmentFactory()  # someone else's

    with django_assert_num_queries(1):
        rows = learner_enrollments(user=student)
        seen = [
            (
                e.pk,
                e.waitlist_position,
                e.course_offering.course.title,
                e.course_offering.course.university.name,
                e.course_offering.university.short_code,
            )
            for e in rows
        ]

    assert [pk for pk, *_ in seen] == [dropped.pk, pending.pk, done.pk, active.pk, waiting.pk]
    assert {pk: position for pk, position, *_ in seen} == {
        dropped.pk: None,
        pending.pk: None,
        done.pk: None,
        active.pk: None,
        waiting.pk: 3,
    }
    assert seen[-1][2:] == (
        full.course.title,
        full.course.university.name,
        full.university.short_code,
    )


def test_learner_enrollments_of_anonymous_visitor_is_empty(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert learner_enrollments(user=ANONYMOUS) == []


def test_waitlist_position_breaks_ties_by_id():
    offering = OfferingFactory(capacity=1)
    at = timezone.now()
    first, second = (
        EnrollmentFactory(
            course_offering=offering, status=EnrollmentStatus.WAITLISTED, enrolled_at=at
        )
        for _ in range(2)
    )
    assert learner_enrollments(user=second.user)[0].waitlist_position == 2
    assert learner_enrollments(user=first.user)[0].waitlist_position == 1


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (EnrollmentStatus.ACTIVE, True),
        (EnrollmentStatus.COMPLETED, True),
        (EnrollmentStatus.PENDING, False),
        (EnrollmentStatus.WAITLISTED, False),
        (EnrollmentStatus.DROPPED, False),
    ],
)
def test_learners_access_an_offering_while_active_or_completed(status, allowed):
    enrollment = EnrollmentFactory(status=status)
    offering = enrollment.course_offering
    assert can_access_offering(user=enrollment.user, offering=offering) is allowed
    assert is_offering_staff(user=enrollment.user, offering=offering) is False


def test_staff_access_an_offering():
    offering = OfferingFactory()
    course = offering.course
    instructor = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    department_admin = RoleFactory(
        university=course.university, role=Role.DEPARTMENT_ADMIN, department=course.department
    ).user
    other_department_admin = RoleFactory(
        university=course.university,
        role=Role.DEPARTMENT_ADMIN,
        department=DepartmentFactory(university=course.university),
    ).user
    university_admin = RoleFactory(university=course.university, role=Role.UNIVERSITY_ADMIN).user
    other_tenant_admin = RoleFactory(role=Role.UNIVERSITY_ADMIN).user
    platform_admin = RoleFactory(role=Role.PLATFORM_ADMIN).user
    teaches_another_run = UserFactory()
    CourseOfferingInstructor.objects.create(
        course_offering=OfferingFactory(course=course), user=teaches_another_run
    )

    expected = {
        instructor: True,
        department_admin: True,
        university_admin: True,
        platform_admin: True,
        other_department_admin: False,
        other_tenant_admin: False,
        teaches_another_run: False,
        UserFactory(): False,
    }
    assert {u: can_access_offering(user=u, offering=offering) for u in expected} == expected
    assert {u: is_offering_staff(user=u, offering=offering) for u in expected} == expected
    assert can_access_offering(user=ANONYMOUS, offering=offering) is False


# Visibility ------------------------------------------------------------------------------------


def test_catalog_lists_published_courses_with_a_visible_offering():
    listed_course = OfferingFactory(course=CourseFactory(code="LISTED")).course
    OfferingFactory(course=CourseFactory(code="DRAFT", is_published=False))
    CourseFactory(code="NO-OFFERING")
    private = OfferingFactory(course=CourseFactory(code="PRIVATE"), visibility="private")
    member = RoleFactory(university=private.university, role=Role.STUDENT).user
    outsider = RoleFactory(role=Role.UNIVERSITY_ADMIN).user
    platform_admin = RoleFactory(role=Role.PLATFORM_ADMIN).user

    assert listed() == [listed_course.code]
    assert listed(user=outsider) == [listed_course.code]
    assert listed(user=member) == ["LISTED", "PRIVATE"]
    assert listed(user=platform_admin) == ["LISTED", "PRIVATE"]


# Filters ---------------------------------------------------------------------------------------


@pytest.fixture
def subject_tree():
    """engineering > mechanical > thermodynamics, engineering > electrical; physics apart."""
    engineering = SubjectFactory(name="Engineering")
    mechanical = SubjectFactory(name="Mechanical engineering", parent=engineering)
    thermo = SubjectFactory(name="Thermodynamics", parent=mechanical)
    electrical = SubjectFactory(name="Electrical engineering", parent=engineering)
    physics = SubjectFactory(name="Physics")
    return {
        name: Subject.objects.get(pk=s.pk)
        for name, s in {
            "engineering": engineering,
            "mechanical": mechanical,
            "thermo": thermo,
            "electrical": electrical,
            "physics": physics,
        }.items()
    }


def test_subject_filter_takes_the_whole_subtree(subject_tree):
    tagged_thermo = OfferingFactory(course=CourseFactory(code="TAG-THERMO")).course
    CourseSubjectFactory(course=tagged_thermo, subject=subject_tree["thermo"])
    primary_mech = OfferingFactory(
        course=CourseFactory(code="PRI-MECH", primary_subject=subject_tree["mechanical"])
    ).course
    electrical = OfferingFactory(course=CourseFactory(code="TAG-ELEC")).course
    CourseSubjectFactory(course=electrical, subject=subject_tree["electrical"])
    physics = OfferingFactory(course=CourseFactory(code="TAG-PHYS")).course
    CourseSubjectFactory(course=physics, subject=subject_tree["physics"])

    def by_subject(name):
        return listed(subject=subject_tree[name])

    assert by_subject("engineering") == ["PRI-MECH", "TAG-ELEC", "TAG-THERMO"]
    assert by_subject("mechanical") == ["PRI-MECH", "TAG-THERMO"]
    assert by_subject("thermo") == ["TAG-THERMO"]
    assert by_subject("physics") == ["TAG-PHYS"]
    assert primary_mech.code == "PRI-MECH"


def test_university_country_domain_level_and_language_filters():
    germany = CountryFactory(iso_code="DE", name="Germany")
    tur = UniversityFactory(country=germany)
    maths = DomainFactory(name="Mathematics")
    algebra = SubjectFactory(domain=maths)
    a = OfferingFactory(
        course=CourseFactory(code="A", university=tur, level="graduate", language_code="de")
    ).course
    b = OfferingFactory(course=CourseFactory(code="B", primary_subject=algebra)).course
    c = OfferingFactory(course=CourseFactory(code="C", language_code="pt")).course
    CourseSubjectFactory(course=c, subject=SubjectFactory(domain=maths))

    assert listed(university_id=tur.pk) == ["A"]
    assert listed(country_id=germany.pk) == ["A"]
    assert listed(domain_id=maths.pk) == ["B", "C"]
    assert listed(level="graduate") == ["A"]
    assert listed(language="pt") == ["C"]
    assert listed(language="pt", domain_id=maths.pk, level="undergraduate") == ["C"]
    assert {a.code, b.code, c.code} == {"A", "B", "C"}


def test_open_now_filter_reads_the_enrollment_window():
    now = timezone.now()
    day = timedelta(days=1)
    OfferingFactory(course=CourseFactory(code="OPEN"))
    OfferingFactory(
        course=CourseFactory(code="UNBOUNDED"), enrollment_start=None, enrollment_end=None
    )
    OfferingFactory(
        course=CourseFactory(code="LATER"), enrollment_start=now + day, enrollment_end=now + 9 * day
    )
    OfferingFactory(
        course=CourseFactory(code="OVER"), enrollment_start=now - 9 * day, enrollment_end=now - day
    )
    hidden = OfferingFactory(course=CourseFactory(code="HIDDEN-OPEN"), visibility="private")
    OfferingFactory(course=hidden.course, enrollment_start=now + day, enrollment_end=now + 2 * day)

    assert listed(open_now=True) == ["OPEN", "UNBOUNDED"]
    assert listed() == ["HIDDEN-OPEN", "LATER", "OPEN", "OVER", "UNBOUNDED"]


# Search ----------------------------------------------------------------------------------------


@pytest.fixture
def courses():
    thermo = OfferingFactory(
        course=CourseFactory(
            code="ME201",
            title="Thermodynamics I",
            description="Energy, work and heat; the Carnot cycle and entropy.",
        )
    ).course
    french = OfferingFactory(
        course=CourseFactory(
            code="PH210",
            title="Thermodynamique des fluides",
            description="Cours de mécanique des fluides et d'énergétique.",
            language_code="fr",
        )
    ).course
    lab = OfferingFactory(
        course=CourseFactory(
            code="ME215",
            title="Measurements laboratory",
            description="Students calibrate thermocouples alongside thermodynamics.",
        )
    ).course
    statics = OfferingFactory(
        course=CourseFactory(code="CE101", title="Statics", description="Forces and moments.")
    ).course
    return {"thermo": thermo, "french": french, "lab": lab, "statics": statics}


def test_search_finds_a_word_of_the_description(courses):
    assert search("Carnot") == ["ME201"]
    assert search("calibrate") == ["ME215"]


def test_search_ignores_case_and_accents(courses):
    assert search("Thermodynamique") == ["PH210"]
    assert search("thermodynamique") == ["PH210"]
    assert search("THERMODYNAMIQUE") == ["PH210"]
    assert search("mecanique") == ["PH210"]
    assert search("Mécanique") == ["PH210"]
    assert search("énergétique") == search("energetique") == ["PH210"]


def test_search_matches_prefixes_and_ranks_titles_first(courses):
    assert search("thermo") == ["ME201", "PH210", "ME215"]
    # Stems are prefixes too ("thermodynamiqu" starts with "thermodynam"); a word in the title
    # (weight A) ranks above one in the description (C).
    assert search("thermodynamics") == ["ME201", "PH210", "ME215"]
    assert search("me20") == ["ME201"]  # course codes, by prefix


def test_search_finds_a_misspelling_by_similarity_only_when_nothing_matches(courses):
    page = catalog_page(user=ANONYMOUS, filters=CatalogFilters(q="thermodinamics"), page_number=1)
    assert [r.course.code for r in page.results] == ["ME201"]
    assert page.fuzzy is True
    assert str(page.results[0].title_html) == "<mark>Thermodynamics</mark> I"
    # An exact word never pulls look-alikes in: "statics" is not "statistics".
    OfferingFactory(course=CourseFactory(code="MA300", title="Statistics"))
    assert search("statics") == ["CE101"]
    assert search("statistcs") == ["MA300"]


def test_search_by_subject_name_marks_the_subject(courses):
    fluids = SubjectFactory(name="Fluid mechanics")
    CourseSubjectFactory(course=courses["statics"], subject=fluids)
    CourseSubjectFactory(course=courses["statics"], subject=SubjectFactory(name="Geometry"))
    page = catalog_page(user=ANONYMOUS, filters=CatalogFilters(q="fluid"), page_number=1)
    assert [r.course.code for r in page.results] == ["PH210", "CE101"]
    statics = page.results[1]
    assert [(t.name, t.matched) for t in statics.subjects] == [
        ("Fluid mechanics", True),
        ("Geometry", False),
    ]


def test_highlights_are_marked_and_everything_else_escaped():
    OfferingFactory(
        course=CourseFactory(
            code="X1",
            title="<script>alert(1)</script> Thermal & fluid <b>systems</b>",
            description='Heat "exchangers" <img src=x onerror=alert(2)> for thermal plants.',
        )
    )
    page = catalog_page(user=ANONYMOUS, filters=CatalogFilters(q="thermal"), page_number=1)
    result = page.results[0]
    assert str(result.title_html) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Thermal</mark> &amp; fluid "
        "&lt;b&gt;systems&lt;/b&gt;"
    )
    assert str(result.summary_html) == (
        "Heat &quot;exchangers&quot; &lt;img src=x onerror=alert(2)&gt; for "
        "<mark>thermal</mark> plants"
    )


def test_search_document_follows_subjects_and_descriptions():
    course = OfferingFactory(course=CourseFactory(code="K1", description="Beams.")).course
    subject = SubjectFactory(name="Acoustics")
    assert search("acoustics") == []
    link = CourseSubject.objects.create(course=course, subject=subject)
    assert search("acoustics") == ["K1"]
    subject.name = "Vibrations"
    subject.save()
    assert search("acoustics") == []
    assert search("vibrations") == ["K1"]
    link.delete()
    assert search("vibrations") == []
    course.primary_subject = subject
    course.description = "Plates and shells."
    course.save()
    assert search("vibrations") == ["K1"]
    assert search("shells") == ["K1"]
    assert search("beams") == []


def test_search_with_filters_and_no_words(courses):
    assert search("thermo", language="fr") == ["PH210"]
    assert search("   ") == ["ME215", "CE101", "ME201", "PH210"]  # by title
    assert search("zzzzzz") == []
    assert search("'&|!:*()<->") == []  # tsquery syntax is just text


# Pages and query counts ------------------------------------------------------------------------


def rich_catalog(n: int = 4):
    """`n` courses with 3 subjects, 3 offerings and 3 reviews' worth of data each."""
    subjects = [SubjectFactory() for _ in range(3)]
    made = []
    for i in range(n):
        course = CourseFactory(code=f"R{i:02d}", title=f"Thermal course {i:02d}")
        for subject in subjects:
            CourseSubjectFactory(course=course, subject=subject)
        for _ in range(3):
            OfferingFactory(course=course)
        made.append(course)
    return made


@pytest.mark.parametrize(("q", "queries"), [("", 3), ("thermal", 3), ("thermla", 4)])
def test_catalog_page_queries(django_assert_num_queries, q, queries):
    """Count, rows, subject tags; a misspelling first counts the courses its words match."""
    rich_catalog()
    with django_assert_num_queries(queries):
        page = catalog_page(user=ANONYMOUS, filters=CatalogFilters(q=q), page_number=1)
    assert len(page.results) == 4
    assert all(len(r.subjects) == 3 for r in page.results)


def test_catalog_pages(settings):
    rich_catalog(14)

    def page_codes(number):
        page = catalog_page(user=ANONYMOUS, filters=CatalogFilters(), page_number=number)
        return page.page.number, [r.course.code for r in page.results]

    assert page_codes(1) == (1, [f"R{i:02d}" for i in range(12)])
    assert page_codes("2") == (2, ["R12", "R13"])
    assert page_codes("99999999999999999999") == (2, ["R12", "R13"])
    assert page_codes("-3") == (2, ["R12", "R13"])
    assert page_codes("abc")[0] == 1
    assert page_codes(None)[0] == 1


def test_course_page_queries_do_not_grow_with_the_data(django_assert_num_queries):
    course = CourseFactory()
    for _ in range(3):
        CourseSubjectFactory(course=course)
        PrerequisiteFactory(course=course, prerequisite_type=PrerequisiteType.RECOMMENDED)
        offering = OfferingFactory(course=course, capacity=5)
        for _ in range(3):
            CourseOfferingInstructor.objects.create(course_offering=offering, user=UserFactory())
            EnrollmentFactory(course_offering=offering)
    student = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.WAITLISTED).user
    # Loaded once per request, before the page.
    assert student.role_rows == [(offering.university_id, Role.STUDENT, None)]

    # The course, subjects, offerings (with seats and instructors), prerequisites, and when
    # signed in the user's enrollments.
    with django_assert_num_queries(4):
        anonymous = course_page(user=ANONYMOUS, course_id=course.pk)
    with django_assert_num_queries(5):
        page = course_page(user=student, course_id=course.pk)

    assert len(anonymous.offerings) == len(page.offerings) == 3
    assert len(page.instructors) == 9
    assert len(page.subjects) == 3
    assert len(page.prerequisites) == 3
    assert [c.seats_left for c in page.offerings] == [2, 2, 2]
    mine = page.offerings[-1]
    assert mine.enrollment.status == EnrollmentStatus.WAITLISTED
    assert mine.enrollment.waitlist_position == 1
    assert mine.action is None
    assert [c.action for c in page.offerings[:2]] == ["enroll", "enroll"]


def test_drafts_are_found_only_by_their_staff():
    offering = OfferingFactory(course=CourseFactory(is_published=False))
    course = offering.course
    instructor = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=instructor)
    admin = RoleFactory(university=course.university, role=Role.UNIVERSITY_ADMIN).user
    other_tenant_admin = RoleFactory(role=Role.UNIVERSITY_ADMIN).user
    student = EnrollmentFactory(course_offering=offering).user

    for user in (ANONYMOUS, student, other_tenant_admin, UserFactory()):
        with pytest.raises(Http404):
            course_for_visitor(user=user, course_id=course.pk)
    for user in (instructor, admin):
        assert course_for_visitor(user=user, course_id=course.pk).is_staff is True
    with pytest.raises(Http404):
        course_for_visitor(user=ANONYMOUS, course_id=course.pk + 1000)
