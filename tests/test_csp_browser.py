"""Every learner page and the authoring pages in Chromium under the site's
Content-Security-Policy: nothing is refused.

Each page's document listens for `securitypolicyviolation` from its first line (an init script)
and the test gathers the browser console's Content-Security-Policy messages too; the pages are
used a little as well (a transcript line seeks the video, a quiz answer autosaves, the math of
a text block previews as it is typed), so scripts that run later are covered. Requests to other
sites (the YouTube and Vimeo frames) are answered with an error: the policy is checked before a
request is made, so a frame the policy refused would still be reported.

One seeded demo world, one browser context per role: a visitor who then logs in as the demo
student, the instructor, the university admin.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from content.models import ContentType
from tests.input_world import InputWorld, build_input_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push([event.violatedDirective, event.blockedURI,
    event.sourceFile + ":" + event.lineNumber, event.sample].join(" "));
});
"""


class Watch:
    """One person's browser tab, and every policy violation it saw, by page."""

    def __init__(self, new_page, live_server, width: int = 1280) -> None:
        self.live_server = live_server
        self.page = new_page(width)
        self.found: list[str] = []
        self.visited: list[str] = []
        self.page.context.add_init_script(LISTEN)
        # The live server speaks http: anything on https is another site.
        self.page.context.route("https://**", lambda route: route.abort())
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.found.append(f"{self.page.url} console: {message.text}")

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response)
        assert "/login/" not in self.page.url or "login" in path, (path, self.page.url)
        self.visited.append(path)
        self.collect()

    def log_in(self, login_path: str, email: str, landing: str) -> None:
        """Log in through the form at `login_path` (its page is checked too)."""
        self.open(login_path)
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(f"**{landing}")
        self.collect()

    def collect(self) -> None:
        for violation in self.page.evaluate("window.__cspViolations.splice(0)"):
            self.found.append(f"{self.page.url}: {violation}")


def learner_paths(world: InputWorld) -> list[str]:
    offering = world.offering.pk

    def portal(name: str, **kwargs) -> str:
        return reverse(f"portal:{name}", kwargs=kwargs)

    items = [
        portal("item", offering_id=offering, item_id=world.items[kind].pk)
        for kind in ContentType.values
    ]
    return [
        portal("catalog"),
        portal("catalog") + "?q=heat",
        portal("course-detail", course_id=world.offering.course_id),
        portal("dashboard"),
        portal("outline", offering_id=offering),
        portal("grades", offering_id=offering),
        *items,
        portal("quiz", offering_id=offering, item_id=world.attempt.content_item_id),
        portal("drop", offering_id=offering),
        portal("discussions", offering_id=offering),
        portal("thread-create", offering_id=offering),
        portal("thread", offering_id=offering, thread_id=world.thread.pk),
        portal(
            "post-report", offering_id=offering, thread_id=world.thread.pk, post_id=world.post.pk
        ),
        portal("discussion-notifications"),
        portal("course-reviews", course_id=world.completed.course_id),
        reverse("accounts:profile"),
        reverse("accounts:password-change"),
    ]


def attempt_path(world: InputWorld) -> str:
    return reverse(
        "portal:quiz-attempt",
        kwargs={
            "offering_id": world.attempt.course_offering_id,
            "item_id": world.attempt.content_item_id,
            "attempt_id": world.attempt.pk,
        },
    )


def visit_as_student(watch: Watch, world: InputWorld, artifacts_dir) -> None:
    page = watch.page
    for path in (
        reverse("portal:catalog"),
        reverse("accounts:signup"),
        reverse("accounts:password-reset"),
        reverse("portal:certificate-verify", args=[world.certificate_code]),
    ):
        watch.open(path)
    watch.log_in(reverse("accounts:login"), world.student.email, reverse("portal:dashboard"))
    page.screenshot(path=str(artifacts_dir / "csp-dashboard-1280.png"), full_page=True)

    for path in learner_paths(world):
        watch.open(path)

    # The player's script: a transcript line seeks the video and is marked as the current one.
    watch.open(reverse("portal:item", args=[world.offering.pk, world.items["video"].pk]))
    line = page.locator(".transcript-line").first
    line.click()
    assert line.get_attribute("aria-current") == "true"
    watch.collect()

    # A quiz attempt: an answer autosaves through the page's script.
    watch.open(attempt_path(world))
    with page.expect_response(lambda r: r.request.method == "POST") as saved:
        page.locator(".question input[type=radio], .question input[type=checkbox]").first.check()
    assert saved.value.status == 200
    watch.collect()

    page.set_viewport_size({"width": 390, "height": 844})
    watch.open(reverse("portal:outline", args=[world.offering.pk]))
    page.screenshot(path=str(artifacts_dir / "csp-outline-390.png"), full_page=True)
    watch.open(reverse("portal:course-reviews", args=[world.completed.course_id]))
    page.screenshot(path=str(artifacts_dir / "csp-reviews-390.png"), full_page=True)


def visit_as_instructor(watch: Watch, world: InputWorld, artifacts_dir) -> None:
    page = watch.page
    watch.log_in(reverse("admin:login"), world.instructor.email, reverse("admin:index"))

    course_id = world.offering.course_id
    for path in (
        reverse("admin:index"),
        reverse("admin:syllabus_module_tree", args=[course_id]),
        reverse("admin:syllabus_module_changelist"),
        reverse("admin:content_contentitem_changelist"),
        *(
            reverse("admin:content_contentitem_change", args=[world.items[kind].pk])
            for kind in ContentType.values
        ),
        reverse("admin:content_contentitem_preview", args=[world.items["video"].pk]),
        reverse("admin:content_contentitem_preview", args=[world.items["text"].pk]),
        reverse("admin:syllabus_module_preview", args=[world.items["text"].module_id]),
        reverse("admin:assessments_coursegrade_gradebook", args=[world.offering.pk]),
    ):
        watch.open(path)

    # The text editor's rich widgets: math previews as it is typed, a block row is added.
    watch.open(reverse("admin:content_contentitem_change", args=[world.items["text"].pk]))
    latex = page.locator(".row-form textarea.latex-input:visible").first
    latex.fill(r"\frac{a}{b}")
    preview = latex.locator(
        "xpath=ancestor::*[contains(@class,'row-form')]//*[@class='math-preview']"
    )
    preview.locator("math").wait_for()
    watch.collect()
    page.screenshot(path=str(artifacts_dir / "csp-text-editor-1280.png"), full_page=True)


def visit_as_university_admin(watch: Watch, world: InputWorld) -> None:
    watch.log_in(reverse("admin:login"), world.university_admin.email, reverse("admin:index"))
    for path in (
        reverse("admin:catalog_courseoffering_roster", args=[world.offering.pk]),
        reverse("admin:catalog_courseoffering_staff", args=[world.offering.pk]),
        reverse("admin:catalog_courseoffering_roles", args=[world.university.pk]),
        reverse("admin:catalog_courseoffering_change", args=[world.offering.pk]),
        reverse("admin:catalog_subject_changelist"),
        reverse("admin:assessments_gradebooks"),
    ):
        watch.open(path)

    # An autocomplete widget (select2): its dropdown is built and placed by script.
    watch.open(reverse("admin:catalog_course_change", args=[world.offering.course_id]))
    watch.page.locator("#id_primary_subject + .select2 .select2-selection").click()
    watch.page.locator(".select2-search__field").fill("e")
    watch.page.locator(".select2-results__option").first.wait_for()
    watch.collect()


def test_no_page_breaks_the_content_security_policy(new_page, live_server, artifacts_dir):
    with transaction.atomic():  # one commit: the seed writes thousands of rows
        world = build_input_world()
    student = Watch(new_page, live_server)
    instructor = Watch(new_page, live_server)
    university_admin = Watch(new_page, live_server)

    visit_as_student(student, world, artifacts_dir)
    visit_as_instructor(instructor, world, artifacts_dir)
    visit_as_university_admin(university_admin, world)

    found = student.found + instructor.found + university_admin.found
    assert found == [], "\n".join(found)
    assert len(student.visited) >= 25 and len(instructor.visited) >= 15
