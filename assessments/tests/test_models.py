from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from assessments.progress.models import UserContentProgress, UserModuleProgress
from catalog.tests.factories import EnrollmentFactory, OfferingFactory
from content.tests.factories import TextItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    item = TextItemFactory()
    offering = OfferingFactory(course=item.course)
    enrollment = EnrollmentFactory(course_offering=offering)
    return item, offering, enrollment.user


def test_progress_defaults_and_uniqueness(setting):
    item, offering, user = setting
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO user_content_progress (user_id, course_offering_id, content_item_id) "
            "VALUES (%s, %s, %s)",
            [user.pk, offering.pk, item.pk],
        )
    row = UserContentProgress.objects.get()
    assert (row.progress_percent, row.attempts_count) == (Decimal("0.00"), 0)
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        UserContentProgress.objects.create(user=user, course_offering=offering, content_item=item)
    assert "ux_user_content_progress_unique" in str(excinfo.value)


def test_progress_percent_stays_within_0_and_100(setting):
    item, offering, user = setting
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        UserModuleProgress.objects.create(
            user=user, course_offering=offering, module=item.module, progress_percent=101
        )
    assert "user_module_progress_progress_percent_range" in str(excinfo.value)
    assert UserModuleProgress.objects.count() == 0
