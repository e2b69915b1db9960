"""Discussions and reviews in Chromium: a student starts a thread and replies through the forms,
with script injection attempts in titles, posts, reviews and even a user's name; nothing may run,
and the pages must read well."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.progress.tree_changes import tracked
from catalog.models import CourseOfferingInstructor, EnrollmentStatus
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from community.discussions import services
from community.discussions.selectors import discussion_access
from community.models import CourseReview, DiscussionPost, ReviewReply
from content.services import content_item_create
from content.tests.factories import TEXT_PAYLOAD
from lms.celery import app as celery_app
from syllabus.services import course_root, module_create
from tenancy.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE_PAYLOAD = '"><img src=x onerror=alert("title")><script>alert("title")</script>'
NAME_PAYLOAD = "Mallory <img src=x onerror=alert('name')>"
BODY_PAYLOADS = "\n\n".join(
    [
        "<script>alert('body')</script>",
        "<img src=x onerror=alert('img')>",
        "<svg onload=alert('svg')></svg>",
        "[click me](javascript:alert('link'))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="https://example.com" onclick="alert(\'a\')">x</a>',
        "$\\text{<img src=x onerror=alert('math')>}$ and $\\href{javascript:alert('href')}{x}$",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')>",
        "`</code><script>alert('code')</script>`",
        "<iframe src=\"javascript:alert('frame')\"></iframe>",
    ]
)
REVIEW_PAYLOAD = "<script>alert('review')</script><img src=x onerror=alert('review')>"

INJECTED_HANDLERS = """
() => [...document.querySelectorAll('*')].flatMap(element =>
    [...element.attributes]
        .filter(attribute => attribute.name.toLowerCase().startsWith('on'))
        .map(attribute => element.tagName + ' ' + attribute.name))
"""
UNSAFE_URLS = """
() => [...document.querySelectorAll('[href], [src], [action], [formaction]')]
    .flatMap(element => ['href', 'src', 'action', 'formaction'].map(n => element.getAttribute(n)))
    .filter(url => url && /^\\s*(javascript|data|vbscript):/i.test(url))
"""


@pytest.fixture(autouse=True)
def tasks_in_process():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def course():
    course = CourseFactory(title="Engineering Statics", code="ME201")
    offering = OfferingFactory(course=course, term_name="Fall 2026")
    root = course_root(course=course)
    unit = module_create(
        course=course, parent=root, module_type="unit", title="Unit 1: Forces", is_published=True
    )
    lesson = module_create(
        course=course, parent=unit, module_type="lesson", title="Lesson 1.1", is_published=True
    )
    item = tracked(
        content_item_create,
        module=lesson,
        content_type="text",
        title="Free-body diagrams",
        data_json=TEXT_PAYLOAD,
    )
    people = {}
    for key, name in (
        ("ada", "Ada Lovelace"),
        ("blaise", "Blaise Pascal"),
        ("carl", "Carl Gauss"),
        ("mallory", NAME_PAYLOAD),
    ):
        people[key] = UserFactory(full_name=name)
        EnrollmentFactory(user=people[key], course_offering=offering)
    people["iris"] = UserFactory(full_name="Iris Instructor")
    CourseOfferingInstructor.objects.create(course_offering=offering, user=people["iris"])
    return {"course": course, "offering": offering, "unit": unit, "item": item, **people}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def record_dialogs(page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def assert_nothing_injected(page, dialogs):
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.locator("main script, main iframe, main img, main svg").count() == 0
    assert page.evaluate(INJECTED_HANDLERS) == []
    assert page.evaluate(UNSAFE_URLS) == []


def as_user(user, offering):
    return discussion_access(user=user, offering_id=offering.pk)


def seed_forum(course):
    """A few threads of a lived-in forum, written through the services."""
    offering, iris = course["offering"], course["iris"]
    staff = as_user(iris, offering)
    welcome = services.thread_create(
        access=staff,
        title="Welcome: how to ask good questions",
        body="Say what you tried, and use `code` or $\\LaTeX$ where it helps.",
    )
    services.thread_set_pinned(access=staff, thread=welcome, pinned=True)
    about_item = services.thread_create(
        access=as_user(course["blaise"], offering),
        title="Which way do friction forces point?",
        body="In the block example the arrow seems reversed.",
        item=course["item"],
    )
    answer = services.post_create(
        access=staff,
        thread=about_item,
        body="Against the motion **that would happen** without friction.",
    )
    services.thread_mark_answer(access=staff, post=answer, is_answer=True)
    services.thread_create(
        access=as_user(course["carl"], offering),
        title="Study group for the midterm?",
        body="Thursdays after the lecture?",
    )
    return welcome


def test_student_posts_with_injection_attempts_and_nothing_runs(
    page, live_server, screenshot, course
):
    offering = course["offering"]
    dialogs = record_dialogs(page)
    seed_forum(course)
    mallory = as_user(course["mallory"], offering)
    services.thread_create(access=mallory, title=TITLE_PAYLOAD, body=BODY_PAYLOADS)

    log_in(page, live_server, course["ada"])
    page.goto(reverse("portal:discussions", kwargs={"offering_id": offering.pk}))
    assert page.locator("h1").inner_text() == "Discussions"
    assert page.locator(".thread-title").first.inner_text() == "Welcome: how to ask good questions"
    assert TITLE_PAYLOAD in page.locator(".thread-list").inner_text()
    assert_nothing_injected(page, dialogs)

    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title").fill(TITLE_PAYLOAD)
    page.get_by_label("Message").fill(
        "How do I resolve a force $F$ at angle $\\theta$?\n\n"
        "$$F_x = F\\cos\\theta, \\quad F_y = F\\sin\\theta$$\n\n"
        "```python\nfx = f * math.cos(theta)\n```\n\n"
        "See [the notes](https://example.edu/statics).\n\n" + BODY_PAYLOADS
    )
    page.get_by_label("Module").select_option(label="Unit 1: Forces")
    page.get_by_role("button", name="Post thread").click()
    page.wait_for_url("**/discussions/*/")
    assert page.locator("h1").inner_text() == TITLE_PAYLOAD
    assert page.locator(".post-opening math").count() == 5
    assert page.locator(".post-opening pre code").inner_text() == "fx = f * math.cos(theta)\n"
    links = page.locator(".post-opening .post-body a[href]")
    assert links.count() == 1  # only the https link keeps its target
    assert links.get_attribute("href") == "https://example.edu/statics"
    assert links.get_attribute("rel") == "nofollow noopener"
    assert_nothing_injected(page, dialogs)

    page.get_by_label("Your reply").fill("Answering myself: " + BODY_PAYLOADS)
    page.get_by_role("button", name="Post reply").last.click()
    page.wait_for_url("**/discussions/*/#post-*")
    assert page.locator(".message-success").inner_text() == "Your reply is posted."
    assert page.locator(".post-tree > .post-node").count() == 1
    assert_nothing_injected(page, dialogs)

    thread_id = DiscussionPost.objects.filter(user=course["ada"]).latest("pk").thread_id
    page.goto(reverse("portal:discussions", kwargs={"offering_id": offering.pk}) + "?show=mine")
    assert page.locator(".thread-title").all_inner_texts() == [TITLE_PAYLOAD]
    assert_nothing_injected(page, dialogs)

    log_in(page, live_server, course["iris"])
    page.goto(reverse("portal:thread", kwargs={"offering_id": offering.pk, "thread_id": thread_id}))
    assert page.get_by_role("button", name="Lock").is_visible()
    assert_nothing_injected(page, dialogs)


def test_a_lively_thread(page, live_server, screenshot, course):
    offering = course["offering"]
    ada, blaise, carl, iris = (course[k] for k in ("ada", "blaise", "carl", "iris"))
    thread = services.thread_create(
        access=as_user(ada, offering),
        title="Why is the moment of a couple the same about every point?",
        body=(
            "The notes say $M = F d$ for a couple, whatever point we take moments about. "
            "I tried point $A$ and point $B$:\n\n"
            "$$M_A = F(d + x) - F x = F d$$\n\n"
            "Is that a coincidence of my example, or always true?"
        ),
        module=None,
    )

    def answer(user, body, parent=None):
        return services.post_create(
            access=as_user(user, offering), thread=thread, body=body, parent=parent
        )

    first = answer(blaise, "Always true: the $x$ terms cancel for any point.")
    inner = answer(ada, "So the position of the point never matters?", parent=first)
    deeper = answer(iris, "For a **couple**, no. For a single force it does.", parent=inner)
    deepest = answer(ada, "Got it, thanks!", parent=deeper)
    answer(carl, "Beyond the indentation limit, with `code`.", parent=deepest)
    removed = answer(carl, "Off-topic rant", parent=first)
    answer(blaise, "The reply to a removed post stays.", parent=removed)
    services.post_delete(access=as_user(carl, offering), post=removed)
    official = answer(
        iris,
        "A couple is two equal, opposite forces $F$ a distance $d$ apart:\n\n"
        "```\nM = F * d   # the same about every point\n```\n\n"
        "See [chapter 4](https://example.edu/statics/ch4).",
    )
    services.thread_mark_answer(access=as_user(iris, offering), post=official, is_answer=True)
    services.post_edit(access=as_user(blaise, offering), post=first, body=first.body + " (edited)")

    dialogs = record_dialogs(page)
    log_in(page, live_server, ada)
    page.goto(reverse("portal:thread", kwargs={"offering_id": offering.pk, "thread_id": thread.pk}))
    assert page.locator(".replies h2").inner_text() == "7 replies"
    assert page.locator(".post-removed em").inner_text() == "Post removed"
    assert page.locator(".in-reply-to").all_inner_texts() == ["in reply to Ada Lovelace"]
    assert page.locator(".post-answer .badge.ok").inner_text() == "✓ Answer"
    assert page.locator(".edited").count() == 1
    page.locator(f"#post-{inner.pk} summary").click()
    assert page.get_by_label("Reply to Ada Lovelace").nth(0).is_visible()
    assert not page.get_by_label("Reply to Ada Lovelace").nth(1).is_visible()
    assert_nothing_injected(page, dialogs)
    screenshot("thread")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("thread-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    seed_forum(course)
    page.goto(reverse("portal:discussions", kwargs={"offering_id": offering.pk}))
    assert page.locator(".thread-title").all_inner_texts() == [
        "Welcome: how to ask good questions",
        "Study group for the midterm?",
        "Which way do friction forces point?",
        "Why is the moment of a couple the same about every point?",
    ]
    screenshot("forum")


def test_reviews_with_injection_attempts(page, live_server, screenshot, course):
    offering, iris = course["offering"], course["iris"]
    earlier = OfferingFactory(course=course["course"], term_name="Spring 2026")
    for user, rating, text, name in (
        (
            course["blaise"],
            5,
            "Clear lectures and fair exams.\n\nThe labs were the best part.",
            "full_name",
        ),
        (course["carl"], 4, "Good pace, but the problem sets were long.", "first_name_initial"),
        (course["mallory"], 1, REVIEW_PAYLOAD, "full_name"),
    ):
        CourseReview.objects.create(
            user=user, course_offering=offering, rating=rating, review_text=text, display_name=name
        )
    for rating in (4, 3):
        EnrollmentFactory(course_offering=earlier, status=EnrollmentStatus.COMPLETED)
        CourseReview.objects.create(
            user=UserFactory(), course_offering=earlier, rating=rating, display_name="anonymous"
        )
    first = CourseReview.objects.get(user=course["blaise"])
    ReviewReply.objects.create(review=first, user=iris, body="Thank you, glad the labs helped!")

    dialogs = record_dialogs(page)
    log_in(page, live_server, course["ada"])
    url = reverse("portal:course-reviews", kwargs={"course_id": course["course"].pk})
    page.goto(url)
    assert_nothing_injected(page, dialogs)
    page.get_by_role("radio", name="4 stars").check()
    page.get_by_label("Your review (optional)").fill(REVIEW_PAYLOAD + "\nA solid course.")
    page.get_by_label("My first name and initial").check()
    page.get_by_role("button", name="Publish review").click()
    assert page.locator(".message-success").inner_text() == "Thank you for your review."
    assert page.locator(".review-meta strong").first.inner_text() == "Ada L."
    assert REVIEW_PAYLOAD in page.locator(".review-text").first.inner_text()
    assert page.locator(".review-average strong").inner_text() == "3.5"
    assert page.locator(".review-average .visually-hidden").inner_text() == "Rated 3.5 out of 5"
    assert_nothing_injected(page, dialogs)
    screenshot("reviews")

    log_in(page, live_server, iris)
    page.goto(url)
    mallory_review = page.locator("article.review", has_text="Mallory")
    mallory_review.locator("summary", has_text="Hide").click()
    mallory_review.get_by_label("Why is this review hidden?").fill("Abusive language")
    mallory_review.get_by_role("button", name="Hide review").click()
    assert page.locator(".message-success").inner_text() == "The review is hidden."
    assert page.locator(".review-average strong").inner_text() == "4.0"
    assert_nothing_injected(page, dialogs)
    screenshot("reviews-staff")

    page.context.clear_cookies()
    page.goto(url)
    assert "Mallory" not in page.locator("main").inner_text()
    assert page.locator(".review-list > li").count() == 5


def test_report_edit_and_email_settings(page, live_server, screenshot, course):
    offering = course["offering"]
    thread = services.thread_create(
        access=as_user(course["ada"], offering),
        title="Units of torque",
        body="Is it N·m or J?",
    )
    reply = services.post_create(
        access=as_user(course["blaise"], offering),
        thread=thread,
        body="Buy cheap essays at https://spam.example",
    )
    dialogs = record_dialogs(page)
    log_in(page, live_server, course["ada"])
    page.goto(reverse("portal:thread", kwargs={"offering_id": offering.pk, "thread_id": thread.pk}))

    page.locator(f"#post-{reply.pk}").get_by_role("link", name="Report").click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_label("Details (optional)").fill("Advertising.")
    screenshot("post-report")
    page.get_by_role("button", name="Send report").click()
    assert page.locator(".message-success").inner_text() == (
        "Thank you. The moderators will look at this post."
    )
    actions = page.locator(f"#post-{reply.pk} .post-actions")
    assert actions.get_by_role("link", name="Report").count() == 0
    assert actions.locator(".muted").inner_text() == "You reported this post"

    page.locator(".post-opening").get_by_role("link", name="Edit").click()
    page.get_by_label("Message").fill("Is it N·m or J? (They are not the same thing.)")
    page.get_by_role("button", name="Save changes").click()
    assert page.locator(".post-opening .post-body").inner_text() == (
        "Is it N·m or J? (They are not the same thing.)"
    )
    assert page.locator(".post-opening .edited").inner_text() == "edited"

    page.goto(reverse("portal:discussions", kwargs={"offering_id": offering.pk}))
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_role("button", name="Post thread").click()
    assert page.locator(".field.has-error").count() == 2
    screenshot("thread-form")

    page.goto(reverse("portal:discussion-notifications"))
    page.get_by_label("One daily digest email").check()
    page.get_by_role("button", name="Save").click()
    assert page.locator(".message-success").inner_text() == "Your notification setting is saved."
    assert page.get_by_label("One daily digest email").is_checked()
    screenshot("discussion-emails")
    assert dialogs == []
