"""Creating a course outside the admin: a taken code is a message, also when two creations of
one code race each other."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from catalog.models import Course
from catalog.services.courses import course_create
from tenancy.tests.factories import UniversityFactory

WAIT = 10


def test_a_taken_code_is_refused_with_a_message(db):
    university = UniversityFactory()
    course_create(university=university, code="PHY101", title="Physics")
    with pytest.raises(ValidationError) as refused:
        course_create(university=university, code="PHY101", title="Physics again")
    assert refused.value.message_dict == {
        "code": ["The university already has a course with the code PHY101."]
    }
    assert Course.objects.filter(university=university).count() == 1


def test_the_same_code_in_another_university_is_free(db):
    course_create(university=UniversityFactory(), code="PHY101", title="Physics")
    course_create(university=UniversityFactory(), code="PHY101", title="Physics")
    assert Course.objects.filter(code="PHY101").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_creations_of_one_code_at_once_end_in_one_course_and_a_message():
    university = UniversityFactory()
    first_created = threading.Event()
    second_started = threading.Event()
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            first_created.wait(WAIT)
            second_started.set()
            course_create(university=university, code="PHY101", title="Second")
            outcome["second"] = "created"
        except ValidationError as error:
            outcome["second"] = error.message_dict
        except Exception as error:  # reported by the test, from the main thread
            outcome["second"] = error
        finally:
            connection.close()

    racer = threading.Thread(target=second)
    racer.start()
    with transaction.atomic():
        course_create(university=university, code="PHY101", title="First")
        first_created.set()
        second_started.wait(WAIT)
        # The second creation is now waiting for this transaction, past its own check.
        racer.join(0.5)
        assert racer.is_alive()
    racer.join(WAIT)

    assert outcome["second"] == {
        "code": ["The university already has a course with the code PHY101."]
    }
    assert list(Course.objects.filter(university=university).values_list("title", flat=True)) == [
        "First"
    ]
