"""A lab in an offering with an enrolled student, its files stored, for the lab tests."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.labs.models import LabFile
from assessments.tests import trees
from catalog.models import CourseOffering, EnrollmentStatus
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.models import ContentItem
from lms.celery import app as celery_app
from tenancy.models import User

HIDDEN_TEST = b"""
from solution import add

def test_adds():
    assert add(2, 3) == 5

def test_opposites():
    assert add(-1, 1) == 0, "opposites add up to zero"
"""
STARTER = b"def add(a, b):\n    raise NotImplementedError\n"
PASSING = b"def add(a, b):\n    return a + b\n"
HALF = b"def add(a, b):\n    return 5 if a == 2 else 1\n"


def lab_payload(**overrides) -> dict:
    payload = {
        "lab_type": "code",
        "runtime": "python-datascience",
        "container_image": "registry.example.edu/labs/python:3.12",
        "cpu_limit": "1",
        "memory_limit": "256Mi",
        "timeout_seconds": 10,
        "files": [
            {"path": "solution.py", "role": "student_visible"},
            {"path": "tests/test_hidden.py", "role": "hidden_test"},
        ],
        "grading": {"type": "unit_tests", "max_points": 40},
    }
    payload.update(overrides)
    return payload


@dataclass
class LabWorld:
    offering: CourseOffering
    lab: ContentItem
    student: User


def build_lab_world(payload: dict | None = None) -> LabWorld:
    offering = OfferingFactory()
    unit = trees.module(trees.root(offering.course), "Unit 1")
    lab = trees.item(unit, "Adding numbers", "engineering_lab", data=payload or lab_payload())
    LabFile.objects.create(content_item=lab, path="solution.py", content=STARTER)
    LabFile.objects.create(content_item=lab, path="tests/test_hidden.py", content=HIDDEN_TEST)
    student = EnrollmentFactory(course_offering=offering, status=EnrollmentStatus.ACTIVE).user
    return LabWorld(offering=offering, lab=lab, student=student)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def lab_world(db) -> LabWorld:
    return build_lab_world()


@pytest.fixture(autouse=True)
def lab_storage(settings, tmp_path):
    """Submissions go to a scratch media folder; tasks run in-process; fast passwords."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield tmp_path / "media"
    celery_app.conf.task_always_eager = eager
