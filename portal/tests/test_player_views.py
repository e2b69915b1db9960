"""The course player's pages: who may see what, what each page shows, and how many queries."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.tests import trees
from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from community.tests.factories import ThreadFactory
from content.models import ContentItem
from content.selectors import outline_cache_clear
from portal.views.player import course_page_url
from syllabus.models import Module
from syllabus.services import module_set_published
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UniversityFactory, UserFactory

pytestmark = pytest.mark.django_db

INTERNAL_VIDEO = {
    "provider": "internal",
    "url": "https://cdn.example.org/lectures/intro.mp4",
    "duration_seconds": 95,
    "transcript": {
        "language": "en",
        "segments": [
            {"start": 0.0, "end": 4.5, "text": "Welcome to <statics> & dynamics."},
            {"start": 4.5, "end": 9.25, "text": "Forces\nbalance."},
        ],
    },
}


@pytest.fixture(autouse=True)
def fresh_outline_cache():
    outline_cache_clear()
    yield
    outline_cache_clear()


@pytest.fixture
def course_data():
    """root: Unit 1 (video, text; Lesson 1.1: resource, assignment, inactive text),
    Unit 2 unpublished (text; Lesson 2.1 published: quiz), Unit 3 (quiz, lab)."""
    offering = OfferingFactory()
    root = trees.root(offering.course)
    unit1 = trees.module(root, "Unit 1: Statics")
    lesson11 = trees.module(unit1, "Lesson 1.1", module_type="lesson")
    unit2 = trees.module(root, "Unit 2: Draft")
    lesson21 = trees.module(unit2, "Lesson 2.1", module_type="lesson")
    module_set_published(module=unit2, is_published=False)
    unit3 = trees.module(root, "Unit 3: Practice")
    lesson21.refresh_from_db()
    items = {
        "video": trees.item(unit1, "Intro video", "video", data=INTERNAL_VIDEO),
        "text": trees.item(unit1, "Reading"),
        "resource": trees.item(lesson11, "Links", "resource"),
        "assignment": trees.item(lesson11, "Homework", "assignment"),
        "inactive": trees.item(lesson11, "Old draft", active=False),
        "hidden_text": trees.item(unit2, "Secret reading"),
        "hidden_quiz": trees.item(lesson21, "Hidden quiz", "quiz"),
        "quiz": trees.item(unit3, "Unit quiz", "quiz"),
        "lab": trees.item(unit3, "Lab", "engineering_lab"),
    }
    return {
        "offering": offering,
        "course": offering.course,
        "modules": {"root": root, "unit1": unit1, "lesson11": lesson11, "unit3": unit3},
        "items": items,
    }


@pytest.fixture
def offering(course_data):
    return course_data["offering"]


@pytest.fixture
def items(course_data):
    return course_data["items"]


@pytest.fixture
def student(offering):
    return EnrollmentFactory(course_offering=offering).user


@pytest.fixture
def instructor(offering):
    user = UserFactory()
    CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    return user


def outline_url(offering):
    return reverse("portal:outline", kwargs={"offering_id": offering.pk})


def item_url(offering, item, name="portal:item"):
    return reverse(name, kwargs={"offering_id": offering.pk, "item_id": item.pk})


def html(response) -> str:
    return response.content.decode()


def assert_sent_to_course_page(response, offering):
    assert response.status_code == 302
    assert response.url == course_page_url(offering.course_id)
    assert {str(m) for m in get_messages(response.wsgi_request)} == {"Enroll to open this course."}


def outsiders(offering):
    """Users who may not learn in the offering, one per reason."""
    other_university = UniversityFactory()
    other_admin = RoleFactory(university=other_university, role=Role.UNIVERSITY_ADMIN).user
    other_department_admin = RoleFactory(
        university=offering.university,
        role=Role.DEPARTMENT_ADMIN,
        department=CourseFactory(university=offering.university).department,
    ).user
    own_university_instructor = RoleFactory(
        university=offering.university, role=Role.INSTRUCTOR
    ).user
    waitlisted = EnrollmentFactory(
        course_offering=offering, status=EnrollmentStatus.WAITLISTED
    ).user
    pending = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.PENDING).user
    dropped = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.DROPPED).user
    other_offering = EnrollmentFactory(course_offering=OfferingFactory(course=offering.course)).user
    return {
        "not enrolled": UserFactory(),
        "other tenant's admin": other_admin,
        "admin of another department": other_department_admin,
        "instructor not teaching this offering": own_university_instructor,
        "waitlisted": waitlisted,
        "pending": pending,
        "dropped": dropped,
        "enrolled in another offering": other_offering,
    }


# Access ----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, offering, items):
    for url in (
        outline_url(offering),
        item_url(offering, items["text"]),
        item_url(offering, items["video"], "portal:item-captions"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={url}"
    response = client.post(item_url(offering, items["text"], "portal:item-complete"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert UserContentProgress.objects.count() == 0


def test_everyone_without_a_learning_enrollment_or_staff_role_goes_to_the_course_page(
    client, offering, items
):
    for reason, user in outsiders(offering).items():
        client.force_login(user)
        for url in (
            outline_url(offering),
            item_url(offering, items["text"]),
            item_url(offering, items["video"], "portal:item-captions"),
        ):
            response = client.get(url)
            assert response.status_code == 302, reason
            assert_sent_to_course_page(response, offering)
        response = client.post(item_url(offering, items["text"], "portal:item-complete"))
        assert_sent_to_course_page(response, offering)
        response = client.post(
            item_url(offering, items["video"], "portal:item-progress"), {"percent": "95"}
        )
        assert_sent_to_course_page(response, offering)
    assert UserContentProgress.objects.count() == 0
    assert UserModuleProgress.objects.count() == 0


def test_missing_offering_and_draft_course_of_strangers_are_404_alike(client, offering):
    client.force_login(UserFactory())
    missing = reverse("portal:outline", kwargs={"offering_id": offering.pk + 1000})
    assert client.get(missing).status_code == 404
    offering.course.is_published = False
    offering.course.save()
    assert client.get(outline_url(offering)).status_code == 404


@pytest.mark.parametrize("role", ["instructor", "university_admin", "department_admin", "platform"])
def test_own_staff_see_the_player_including_hidden_content(client, offering, items, role):
    if role == "instructor":
        user = UserFactory()
        CourseOfferingInstructor.objects.create(course_offering=offering, user=user)
    elif role == "university_admin":
        user = RoleFactory(university=offering.university, role=Role.UNIVERSITY_ADMIN).user
    elif role == "department_admin":
        user = RoleFactory(
            university=offering.university,
            role=Role.DEPARTMENT_ADMIN,
            department=offering.course.department,
        ).user
    else:
        user = RoleFactory(university=UniversityFactory(), role=Role.PLATFORM_ADMIN).user
    client.force_login(user)
    page = html(client.get(outline_url(offering)))
    assert "Secret reading" in page
    assert "Hidden quiz" in page
    assert "Old draft" in page
    assert "Unpublished" in page and "Inactive" in page
    response = client.get(item_url(offering, items["hidden_quiz"]))
    assert response.status_code == 200
    assert "Students cannot see this item" in html(response)
    assert client.get(item_url(offering, items["text"])).status_code == 200
    assert UserContentProgress.objects.count() == 0
    assert UserModuleProgress.objects.count() == 0


def test_staff_actions_record_nothing(client, offering, items, instructor):
    client.force_login(instructor)
    response = client.post(item_url(offering, items["text"], "portal:item-complete"))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Progress is not recorded for course staff."
    ]
    response = client.post(
        item_url(offering, items["video"], "portal:item-progress"), {"percent": "95"}
    )
    assert response.json() == {"recorded": False}
    assert UserContentProgress.objects.count() == 0
    assert UserModuleProgress.objects.count() == 0


def test_completed_enrollment_still_opens_the_player(client, offering, items):
    user = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.COMPLETED).user
    client.force_login(user)
    assert client.get(outline_url(offering)).status_code == 200
    assert client.get(item_url(offering, items["text"])).status_code == 200


def test_hidden_and_foreign_items_are_404_for_students(client, offering, items, student):
    client.force_login(student)
    foreign = trees.item(trees.root(CourseFactory()), "Elsewhere")
    for item in (items["hidden_text"], items["hidden_quiz"], items["inactive"], foreign):
        for name in ("portal:item", "portal:item-captions"):
            assert client.get(item_url(offering, item, name)).status_code == 404, item.title
        assert client.post(item_url(offering, item, "portal:item-complete")).status_code == 404
        progress = item_url(offering, item, "portal:item-progress")
        assert client.post(progress, {"percent": "95"}).status_code == 404
    missing = reverse("portal:item", kwargs={"offering_id": offering.pk, "item_id": 10**9})
    assert client.get(missing).status_code == 404
    assert UserContentProgress.objects.count() == 0


def test_an_offering_of_the_same_course_shares_its_items(client, offering, items):
    """Items belong to the course: a student of another run of it opens the same item."""
    other_run = OfferingFactory(course=offering.course)
    student = EnrollmentFactory(course_offering=other_run).user
    client.force_login(student)
    assert client.get(item_url(other_run, items["text"])).status_code == 200
    assert UserContentProgress.objects.get().course_offering_id == other_run.pk


# Outline ---------------------------------------------------------------------------------


def test_outline_shows_published_modules_and_active_items_in_order(client, offering, student):
    client.force_login(student)
    response = client.get(outline_url(offering))
    assert response.status_code == 200
    page = html(response)
    titles = ["Unit 1: Statics", "Intro video", "Reading", "Lesson 1.1", "Links", "Homework"]
    titles += ["Unit 3: Practice", "Unit quiz", "Lab"]
    positions = [page.index(t) for t in titles]
    assert positions == sorted(positions)
    for hidden in ("Unit 2: Draft", "Secret reading", "Lesson 2.1", "Hidden quiz", "Old draft"):
        assert hidden not in page
    assert "Unpublished" not in page
    assert "0 of 6 items completed" in page
    links = offering.course.content_items.get(title="Links")
    assert f'href="{item_url(offering, links)}"' in page
    assert page.count('class="i ') == 6


def test_outline_links_every_item_to_its_page(client, offering, items, student):
    client.force_login(student)
    page = html(client.get(outline_url(offering)))
    for key in ("video", "text", "resource", "assignment", "quiz", "lab"):
        assert f'href="{item_url(offering, items[key])}"' in page


def test_outline_never_shows_a_module_unpublished_after_it_was_cached(client, course_data, student):
    offering = course_data["offering"]
    client.force_login(student)
    assert "Unit 3: Practice" in html(client.get(outline_url(offering)))
    module_set_published(module=course_data["modules"]["unit3"], is_published=False)
    page = html(client.get(outline_url(offering)))
    assert "Unit 3: Practice" not in page
    assert "Unit quiz" not in page
    assert "0 of 4 items completed" in page


def test_outline_cache_sees_every_write_to_modules_and_items(client, course_data, items, student):
    """Writes that bypass save() (bulk updates, deletes), repeated in one transaction."""
    offering = course_data["offering"]
    unit3 = course_data["modules"]["unit3"]
    client.force_login(student)
    assert "Unit 3: Practice" in html(client.get(outline_url(offering)))
    for title in ("Renamed once", "Renamed twice"):
        Module.objects.filter(pk=unit3.pk).update(title=title)
        assert f'<span class="mt">{title}</span>' in html(client.get(outline_url(offering)))
    ContentItem.objects.filter(pk=items["quiz"].pk).update(is_active=False)
    assert "Unit quiz" not in html(client.get(outline_url(offering)))
    ContentItem.objects.filter(pk=items["quiz"].pk).update(is_active=True)
    assert "Unit quiz" in html(client.get(outline_url(offering)))
    items["lab"].delete()
    assert "Lab</a>" not in html(client.get(outline_url(offering)))


def test_outline_shows_progress_of_modules_and_course(client, offering, items, student):
    client.force_login(student)
    for key in ("video", "text", "resource"):
        client.post(item_url(offering, items[key], "portal:item-complete"))
    page = html(client.get(outline_url(offering)))
    assert "3 of 6 items completed" in page
    assert "<strong>50%</strong>" in page
    # Unit 1: 3 of 4 visible items; Lesson 1.1: 1 of 2 (the inactive one does not count).
    unit1 = re.search(r"Unit 1: Statics</span>.*?</summary>", page).group(0)
    assert '<span class="mp pct-75">75%</span>' in unit1
    lesson = re.search(r"Lesson 1.1</span>.*?</summary>", page).group(0)
    assert '<span class="mp pct-50">50%</span>' in lesson
    unit3 = re.search(r"Unit 3: Practice</span>.*?</summary>", page).group(0)
    assert '<span class="mp pct-0">0%</span>' in unit3
    assert page.count('class="i video done"') == 1
    assert page.count('class="i text done"') == 1
    assert page.count(" done") == 3
    # Resume points at the item touched last.
    assert f'href="{item_url(offering, items["resource"])}">Continue' in page


def test_outline_marks_a_finished_module(client, offering, items, student):
    client.force_login(student)
    for key in ("resource", "assignment"):
        client.post(item_url(offering, items[key], "portal:item-complete"))
    page = html(client.get(outline_url(offering)))
    assert re.search(
        r'<li class="m done"><details open><summary class="mh"><span class="mt">'
        r"Lesson 1.1</span>",
        page,
    )
    assert 'Unit 1: Statics</span> <small>Unit</small><span class="mp pct-50">' in page


def test_outline_escapes_titles(client, offering, student, course_data):
    unit = trees.module(course_data["modules"]["root"], "<b>Bold</b> & co")
    trees.item(unit, '<img src=x onerror="alert(1)">')
    client.force_login(student)
    page = html(client.get(outline_url(offering)))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<img src=x" not in page


def test_empty_course_outline(client):
    offering = OfferingFactory()
    trees.root(offering.course)
    client.force_login(EnrollmentFactory(course_offering=offering).user)
    response = client.get(outline_url(offering))
    assert response.status_code == 200
    assert "This course has no content yet." in html(response)


# Item pages ------------------------------------------------------------------------------


def test_item_page_has_breadcrumbs_and_neighbours_in_outline_order(
    client, offering, items, student
):
    client.force_login(student)
    page = html(client.get(item_url(offering, items["resource"])))
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    assert re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", crumbs) == [
        offering.course.title,
        "Unit 1: Statics",
        "Lesson 1.1",
    ]
    assert f'href="{item_url(offering, items["text"])}" rel="prev"' in page
    assert f'href="{item_url(offering, items["assignment"])}" rel="next"' in page
    # Across the hidden unit: Homework -> Unit quiz; the first and last have one neighbour.
    page = html(client.get(item_url(offering, items["assignment"])))
    assert f'href="{item_url(offering, items["quiz"])}" rel="next"' in page
    page = html(client.get(item_url(offering, items["video"])))
    assert 'rel="prev"' not in page
    page = html(client.get(item_url(offering, items["lab"])))
    assert 'rel="next"' not in page


def test_staff_neighbours_include_hidden_items(client, offering, items, instructor):
    client.force_login(instructor)
    page = html(client.get(item_url(offering, items["assignment"])))
    assert f'href="{item_url(offering, items["inactive"])}" rel="next"' in page


def test_each_content_type_renders(client, offering, items, student):
    client.force_login(student)
    expectations = {
        "video": ['<video class="video-embed"', "captions.vtt", "Welcome to &lt;statics&gt;"],
        "text": ["<math", "An equation of the first degree."],
        "resource": ['href="https://example.edu/notes.pdf" rel="noopener"', ">PDF<"],
        "assignment": ["Solve problems 1-5.<br>Show your work.", "Due", "Not accepted"],
        "quiz": ["Exam", "Questions per attempt", "30 minutes", "Attempts allowed"],
        "lab": ["Python (data science)", "notebooks/lab.ipynb", "2Gi memory", "100 points"],
    }
    for key, fragments in expectations.items():
        page = html(client.get(item_url(offering, items[key])))
        for fragment in fragments:
            assert fragment in page, (key, fragment)
    lab = html(client.get(item_url(offering, items["lab"])))
    assert "test_hidden.py" not in lab
    assert "secret-value" not in lab


def test_assignment_due_date_is_in_the_readers_time_zone(client, offering, items, student):
    student.time_zone = "America/New_York"
    student.save()
    client.force_login(student)
    page = html(client.get(item_url(offering, items["assignment"])))
    assert '<time datetime="2026-12-01T23:59:00+00:00">Dec. 1, 2026, 6:59 p.m. (EST)</time>' in page


def test_opening_an_item_records_a_visit_once_per_session(client, offering, items, student):
    client.force_login(student)
    client.get(item_url(offering, items["text"]))
    client.get(item_url(offering, items["text"]))
    row = UserContentProgress.objects.get(user=student, content_item=items["text"])
    assert row.course_offering_id == offering.pk
    assert row.first_started_at is not None
    assert row.last_interacted_at >= row.first_started_at
    assert row.completed_at is None
    assert row.attempts_count == 1
    assert row.progress_percent == 0
    # The item's module and its ancestors have a started row; nothing is complete.
    modules = UserModuleProgress.objects.filter(user=student).order_by("module__lft")
    assert [(m.module.title, m.progress_percent, m.completed_at) for m in modules] == [
        (offering.course.title, Decimal("0.00"), None),
        ("Unit 1: Statics", Decimal("0.00"), None),
    ]


# Completion and progress -----------------------------------------------------------------


def test_mark_as_complete_is_idempotent(client, offering, items, student):
    client.force_login(student)
    url = item_url(offering, items["text"], "portal:item-complete")
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == item_url(offering, items["text"])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Marked as complete."]
    first = UserContentProgress.objects.get(user=student, content_item=items["text"])
    assert first.completed_at is not None
    assert first.progress_percent == 100
    client.post(url)
    again = UserContentProgress.objects.get(user=student, content_item=items["text"])
    assert again.completed_at == first.completed_at
    assert again.progress_percent == 100
    assert UserContentProgress.objects.count() == 1
    unit1 = UserModuleProgress.objects.get(user=student, module=items["text"].module)
    assert unit1.progress_percent == Decimal("25.00")  # 1 of Unit 1's 4 visible items
    page = html(client.get(item_url(offering, items["text"])))
    assert "Completed on" in page
    assert "Mark as complete" not in page


def test_complete_needs_post(client, offering, items, student):
    client.force_login(student)
    assert client.get(item_url(offering, items["text"], "portal:item-complete")).status_code == 405
    assert client.get(item_url(offering, items["video"], "portal:item-progress")).status_code == 405


def test_video_progress_completes_at_ninety_percent(client, offering, items, student):
    client.force_login(student)
    url = item_url(offering, items["video"], "portal:item-progress")
    response = client.post(url, {"percent": "40"})
    assert response.json() == {"recorded": True, "percent": 40.0, "completed": False}
    response = client.post(url, {"percent": "30"})
    assert response.json() == {"recorded": True, "percent": 40.0, "completed": False}
    assert UserModuleProgress.objects.filter(user=student).count() == 0
    response = client.post(url, {"percent": "90"})
    assert response.json() == {"recorded": True, "percent": 100.0, "completed": True}
    row = UserContentProgress.objects.get(user=student, content_item=items["video"])
    completed_at = row.completed_at
    assert completed_at is not None
    response = client.post(url, {"percent": "50"})
    assert response.json() == {"recorded": True, "percent": 100.0, "completed": True}
    row.refresh_from_db()
    assert row.completed_at == completed_at
    assert row.progress_percent == 100
    assert UserModuleProgress.objects.get(
        user=student, module=items["video"].module
    ).progress_percent == Decimal("25.00")


@pytest.mark.parametrize("value", ["", "abc", "-1", "100.5", "NaN", "Infinity"])
def test_video_progress_rejects_bad_percent_and_changes_nothing(
    client, offering, items, student, value
):
    client.force_login(student)
    url = item_url(offering, items["video"], "portal:item-progress")
    client.post(url, {"percent": "20"})
    response = client.post(url, {"percent": value})
    assert response.status_code == 400
    assert response.json() == {"error": "Give a number from 0 to 100."}
    row = UserContentProgress.objects.get()
    assert row.progress_percent == Decimal("20.00")
    assert row.completed_at is None


def test_only_videos_report_progress(client, offering, items, student):
    client.force_login(student)
    response = client.post(
        item_url(offering, items["text"], "portal:item-progress"), {"percent": 95}
    )
    assert response.status_code == 400
    assert UserContentProgress.objects.count() == 0


def test_captions_are_webvtt_from_the_transcript(client, offering, items, student):
    client.force_login(student)
    response = client.get(item_url(offering, items["video"], "portal:item-captions"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.content.decode() == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:04.500\nWelcome to &lt;statics&gt; &amp; dynamics.\n\n"
        "2\n00:00:04.500 --> 00:00:09.250\nForces balance.\n"
    )
    assert UserContentProgress.objects.count() == 0
    assert client.get(item_url(offering, items["text"], "portal:item-captions")).status_code == 404


# Query counts ----------------------------------------------------------------------------


@pytest.fixture
def wide_course(request):
    """By default 4 levels (root + 3 levels of 3 children), 39 modules under the root, 78
    items; parametrized indirectly with (fanout, levels) for other shapes."""
    fanout, levels = getattr(request, "param", (3, 3))
    offering = OfferingFactory()
    _root, tree_items = trees.wide_tree(offering.course, fanout=fanout, levels=levels)
    return offering, tree_items


@pytest.mark.parametrize(
    "wide_course",
    # 39 modules on 4 levels; 62 modules on 6 levels: the same queries.
    [(3, 3), (2, 5)],
    indirect=True,
    ids=["4-levels-39-modules", "6-levels-62-modules"],
)
def test_outline_runs_a_constant_number_of_queries(client, wide_course, django_assert_num_queries):
    offering, tree_items = wide_course
    modules = len(tree_items) // 2
    student = EnrollmentFactory(course_offering=offering).user
    client.force_login(student)
    for item in tree_items[::5]:
        client.post(item_url(offering, item, "portal:item-complete"))
    outline_cache_clear()
    # session, user, offering with enrollment and staff check, roles, outline version, module
    # rows, items, the learner's completed and touched items, the newest announcements.
    with django_assert_num_queries(9):
        response = client.get(outline_url(offering))
    assert response.status_code == 200
    assert html(response).count('class="i ') == len(tree_items)
    assert html(response).count('<li class="m') == modules
    # Warm: the outline comes from the cache once its version is checked.
    with django_assert_num_queries(7):
        client.get(outline_url(offering))


def test_outline_for_staff_runs_a_constant_number_of_queries(
    client, wide_course, django_assert_num_queries
):
    offering, _items = wide_course
    user = RoleFactory(university=offering.university, role=Role.UNIVERSITY_ADMIN).user
    client.force_login(user)
    with django_assert_num_queries(8):  # the announcements too
        assert client.get(outline_url(offering)).status_code == 200


def test_item_page_runs_a_constant_number_of_queries(
    client, wide_course, django_assert_num_queries
):
    offering, tree_items = wide_course
    student = EnrollmentFactory(course_offering=offering).user
    client.force_login(student)
    deep = tree_items[-1]
    # session, user, offering, roles, item with neighbours and breadcrumbs; then the visit:
    # savepoint, enrollment lock, progress upsert, module rows, release; the item's threads.
    with django_assert_num_queries(11):
        assert client.get(item_url(offering, deep)).status_code == 200
    with django_assert_num_queries(11):
        assert client.get(item_url(offering, tree_items[0])).status_code == 200


def test_item_page_lists_the_questions_asked_about_that_item_only(client, offering, items, student):
    ThreadFactory(course_offering=offering, content_item=items["text"], title="Why <x> = 2?")
    ThreadFactory(course_offering=offering, content_item=items["video"], title="Sound too low")
    client.force_login(student)
    page = html(client.get(item_url(offering, items["text"])))
    assert "Questions about this item" in page
    assert "Why &lt;x&gt; = 2?" in page
    assert "Sound too low" not in page
    ask = reverse("portal:thread-create", args=[offering.pk]) + f"?item={items['text'].pk}"
    assert f'href="{ask}"' in page
