"""The grading queue of an item: queue order and next/previous, the submission shown inline
(answer, web address, test results, files with highlighted code), grading through the
services with bad input refused and nothing changed, tenant scoping and fixed queries."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from assessments.labs.models import LabSubmission
from assessments.labs.uploads import files_archive
from assessments.tests import trees
from assessments.tests.grading_data import submission
from catalog.tests.factories import EnrollmentFactory
from catalog.tests.tenants import build_tenants
from staff.teaching.queue import queue_place
from tenancy.models import Role
from tenancy.tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
CODE = b"def add(a, b):\n    return a + b  # <sum>\n"


@pytest.fixture
def world(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    tenants = build_tenants()
    unit = trees.module(trees.root(tenants.course_a1), "Unit")
    tenants.essay = trees.item(unit, "Essay", "assignment")
    tenants.lab = trees.item(unit, "Lab", "engineering_lab")
    return tenants


def learner(tenants, name: str):
    user = UserFactory(full_name=name)
    RoleFactory(user=user, university=tenants.university_a, role=Role.STUDENT)
    EnrollmentFactory(user=user, course_offering=tenants.offering_a1)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queue_url(tenants, item, row=None) -> str:
    if row is None:
        return reverse("teaching:queue", args=[tenants.offering_a1.pk, item.pk])
    return reverse("teaching:queue-submission", args=[tenants.offering_a1.pk, item.pk, row.pk])


def essays(tenants):
    """Three essays waiting (submitted 30, 10 and 20 minutes after the start) and two graded."""
    o, essay = tenants.offering_a1, tenants.essay
    rows = {
        name: submission(learner(tenants, name), o, essay, score, 20, status=status, minutes=m)
        for name, score, status, m in (
            ("Ann", None, "submitted", 30),
            ("Ben", None, "submitted", 10),
            ("Cid", None, "submitted", 20),
            ("Dee", 12, "graded", 5),
            ("Eve", 15, "graded", 40),
        )
    }
    return rows


def test_queue_order_and_neighbours(world):
    rows = essays(world)
    place = queue_place(offering=world.offering_a1, item_id=world.essay.pk, submission_id=None)
    names = {row.pk: name for name, row in rows.items()}
    assert [names[pk] for pk in place.ids] == ["Ben", "Cid", "Ann", "Eve", "Dee"]
    assert (place.current, place.waiting, place.previous_id) == (rows["Ben"].pk, 3, None)
    middle = queue_place(
        offering=world.offering_a1, item_id=world.essay.pk, submission_id=rows["Ann"].pk
    )
    assert (middle.position, middle.previous_id, middle.next_id) == (
        3,
        rows["Cid"].pk,
        rows["Eve"].pk,
    )


def test_the_submission_is_shown_inline(world):
    student = learner(world, "Lab Learner")
    row = submission(student, world.offering_a1, world.lab, None, status="submitted")
    name = default_storage.save(
        "submissions/test.zip",
        ContentFile(files_archive({"solution.py": CODE, "data.bin": b"\x00\x01"})),
    )
    LabSubmission.objects.filter(pk=row.pk).update(
        artifacts_url=name,
        auto_grade_json={"tests": [{"name": "test_adds", "outcome": "passed"}]},
    )
    page = client_for(world.users["instructor"]).get(queue_url(world, world.lab)).content.decode()
    assert "Lab Learner" in page
    assert "Tests: 1 of 1 passed" in page and "test_adds" in page
    assert '<div class="highlight">' in page
    assert '<span class="k">def</span>' in page  # highlighted as Python
    assert "&lt;sum&gt;" in page and "<sum>" not in page  # escaped
    assert "data.bin" in page and "No preview" in page


def test_an_assignment_answer_is_shown(world):
    row = submission(learner(world, "Writer"), world.offering_a1, world.essay, None, 20)
    LabSubmission.objects.filter(pk=row.pk).update(
        auto_grade_json={"text": "My <essay>", "url": "https://example.edu/work"}
    )
    page = client_for(world.users["ta"]).get(queue_url(world, world.essay)).content.decode()
    assert "My &lt;essay&gt;" in page and 'href="https://example.edu/work"' in page


def test_grading_saves_and_opens_the_next(world):
    rows = essays(world)
    client = client_for(world.users["ta"])  # teaching assistants grade
    response = client.post(
        queue_url(world, world.essay, rows["Ben"]),
        {"score_override": "17.5", "instructor_feedback": "Clear argument."},
    )
    assert response.status_code == 302
    assert response["Location"] == queue_url(world, world.essay, rows["Cid"])
    ben = LabSubmission.objects.get(pk=rows["Ben"].pk)
    assert (ben.score_obtained, ben.instructor_feedback) == (Decimal("17.50"), "Clear argument.")
    assert ben.score_overridden_by_id == world.users["ta"].pk


@pytest.mark.parametrize("score", ["25", "-1", "many"])
def test_a_bad_score_is_refused_and_nothing_changes(world, score):
    rows = essays(world)
    response = client_for(world.users["instructor"]).post(
        queue_url(world, world.essay, rows["Ben"]),
        {"score_override": score, "instructor_feedback": "Good"},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    ben = LabSubmission.objects.get(pk=rows["Ben"].pk)
    assert (ben.score_obtained, ben.instructor_feedback) == (None, None)


def test_other_tenants_and_other_items_are_a_404(world):
    rows = essays(world)
    for role in ("instructor_b", "university_admin_b"):
        client = client_for(world.users[role])
        assert client.get(queue_url(world, world.essay)).status_code == 404
        response = client.post(queue_url(world, world.essay, rows["Ben"]), {"score_override": "1"})
        assert response.status_code == 404
    assert LabSubmission.objects.get(pk=rows["Ben"].pk).score_obtained is None
    client = client_for(world.users["instructor"])
    # A submission of the essay is not in the lab's queue.
    assert client.get(queue_url(world, world.lab, rows["Ben"])).status_code == 404
    text = trees.item(world.essay.module, "Reading", "text")
    assert client.get(queue_url(world, text)).status_code == 404


# The request (8), the offering, the item, the queue, the submission, the item's rubric
# (none here; with one, its levels and the submission's marks add two).
QUEUE_QUERIES = 13


@pytest.mark.parametrize("learners", [3, 9])
def test_queue_queries_do_not_grow(world, django_assert_num_queries, learners):
    for n in range(learners):
        submission(learner(world, f"L{n}"), world.offering_a1, world.essay, None, 20)
    client = client_for(world.users["instructor"])
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(queue_url(world, world.essay))
    assert response.status_code == 200
