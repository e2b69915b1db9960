"""Every learner page on a phone, in Chromium, as the demo's student: at 360 px nothing scrolls
sideways. On an item page the course outline is a drawer, closed until its button opens it, and
the header's links sit behind a menu button; at desktop width both are simply open. Screenshots
at 1280 and 360 px in test-artifacts/screenshots/phone-*.png."""

import pytest
from django.urls import reverse

from assessments.labs.models import LabSubmission
from assessments.quizzes.models import QuizAttempt
from catalog.models import CourseEnrollment
from community.models import DiscussionThread
from content.models import ContentItem, ContentType
from content.selectors import outline_cache_clear
from demo.data import PASSWORD
from demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
STUDENT = "student@demo.lms"


@pytest.fixture
def demo():
    outline_cache_clear()
    assert seed_demo()


def log_in(page) -> None:
    page.goto(reverse("accounts:login"))
    page.get_by_label("Email").fill(STUDENT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/my/")


def learner_pages() -> dict[str, str]:
    """One address of each page a learner opens, from the demo student's own records."""
    enrollment = (
        CourseEnrollment.objects.select_related("course_offering")
        .filter(user__email=STUDENT, status="active", course_offering__course__code="ME201")
        .get()
    )
    offering = enrollment.course_offering
    ids = {"offering_id": offering.pk}
    pages = {
        "catalog": reverse("portal:catalog"),
        "course": reverse("portal:course-detail", args=[offering.course_id]),
        "dashboard": reverse("portal:dashboard"),
        "calendar": reverse("portal:calendar"),
        "notifications": reverse("portal:notifications"),
        "outline": reverse("portal:outline", kwargs=ids),
        "grades": reverse("portal:grades", kwargs=ids),
        "profile": reverse("accounts:profile"),
        "search": reverse("portal:course-search", kwargs=ids) + "?q=energy",
    }
    items = ContentItem.objects.non_polymorphic().filter(course_id=offering.course_id)
    for content_type in ContentType.values:
        item = items.filter(content_type=content_type, is_active=True).order_by("pk").first()
        assert item is not None, content_type
        pages[f"item-{content_type}"] = reverse("portal:item", args=[offering.pk, item.pk])
    attempt = (
        QuizAttempt.objects.filter(user__email=STUDENT, submitted_at__isnull=False)
        .order_by("-attempt_number", "pk")
        .first()
    )
    quiz = [attempt.course_offering_id, attempt.content_item_id]
    pages["quiz"] = reverse("portal:quiz", args=quiz)
    pages["quiz-result"] = reverse("portal:quiz-result", args=[*quiz, attempt.pk])
    lab = LabSubmission.objects.filter(
        user__email=STUDENT,
        content_item__content_type=ContentType.ENGINEERING_LAB,
        auto_grade_json__results__0__isnull=False,
    ).first()
    pages["lab"] = reverse("portal:lab", args=[lab.course_offering_id, lab.content_item_id])
    work = LabSubmission.objects.filter(
        user__email=STUDENT, content_item__content_type=ContentType.ASSIGNMENT
    ).first()
    work_ids = [work.course_offering_id, work.content_item_id]
    pages["assignment"] = reverse("portal:assignment", args=work_ids)
    thread = DiscussionThread.objects.filter(course_offering=offering).order_by("pk").first()
    pages["thread"] = reverse("portal:thread", args=[offering.pk, thread.pk])
    return pages


def fits(page, name: str) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (name, width)


def both_widths(page, screenshot, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    screenshot(f"phone-{name}-1280")
    page.set_viewport_size(PHONE)
    fits(page, name)
    screenshot(f"phone-{name}-360")


def test_no_learner_page_scrolls_sideways_on_a_phone(page, screenshot, demo):
    log_in(page)
    pages = learner_pages()
    for name, url in pages.items():
        page.set_viewport_size(DESKTOP)
        page.goto(url)
        assert page.locator("main").is_visible(), name
        both_widths(page, screenshot, name)
    # A quiz attempt under way: the exam of Linear Algebra has attempts left.
    exam = ContentItem.objects.non_polymorphic().get(title="Practice exam: Linear Algebra")
    math = CourseEnrollment.objects.get(
        user__email=STUDENT, status="active", course_offering__course_id=exam.course_id
    ).course_offering_id
    page.goto(reverse("portal:quiz", args=[math, exam.pk]))
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/attempts/**")
    both_widths(page, screenshot, "quiz-attempt")


def test_item_sidebar_is_a_drawer_and_the_header_a_menu_on_a_phone(new_page, demo):
    desktop = new_page(**DESKTOP)
    log_in(desktop)
    item_page = learner_pages()["item-text"]
    desktop.goto(item_page)
    sidebar = desktop.locator("details.course-sidebar")
    current = sidebar.locator('a[aria-current="page"]')
    assert current.is_visible()
    assert current.get_attribute("href") == item_page
    nav = desktop.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="My learning").is_visible()
    assert not nav.locator("summary", has_text="Menu").is_visible()
    # The sidebar folds away and opens again by its button, from the keyboard too.
    sidebar.locator("summary.sidebar-toggle").focus()
    desktop.keyboard.press("Enter")
    assert not current.is_visible()
    desktop.keyboard.press("Enter")
    assert current.is_visible()

    phone = new_page(**PHONE)
    log_in(phone)
    phone.goto(item_page)
    fits(phone, "item with the drawer closed")
    drawer = phone.locator("details.course-sidebar")
    assert drawer.get_attribute("open") is None
    assert not drawer.locator('a[aria-current="page"]').is_visible()
    drawer.get_by_text("Course outline", exact=True).click()
    assert drawer.locator('a[aria-current="page"]').is_visible()
    assert drawer.locator("li.i.done").count() > 0  # the demo student's completed items
    fits(phone, "item with the drawer open")
    phone.screenshot(path=str(artifacts("phone-item-drawer-open-360")), full_page=False)
    nav = phone.get_by_role("navigation", name="Main")
    assert nav.locator(".bell").is_visible()
    link = nav.get_by_role("link", name="Calendar")
    assert not link.is_visible()
    nav.locator("summary", has_text="Menu").click()
    assert link.is_visible()
    phone.screenshot(path=str(artifacts("phone-header-menu-open-360")), full_page=False)
    link.click()
    phone.wait_for_url(f"**{reverse('portal:calendar')}")


def artifacts(name: str):
    from conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
