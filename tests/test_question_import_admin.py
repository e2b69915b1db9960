"""The question pool admin's import (upload, preview, confirm) and export pages: tenant
scoped course choices, all-or-nothing confirmation, hostile files refused, downloads of the
staff's own pools only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.quizzes.models import Question, QuestionPool
from assessments.tests import quiz_factories as qf

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "interchange" / "tests" / "data"
IMPORT = "admin:assessments_questionpool_import"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, course, content: bytes, name: str = "bank.gift", **extra):
    return client.post(
        reverse(IMPORT),
        {
            "course": course.pk,
            "pool_title": "Imported",
            "file_format": "",
            "file": SimpleUploadedFile(name, content),
            **extra,
        },
    )


def test_preview_then_confirm_writes_the_bank(tenants):
    client = client_for(tenants.user("instructor"))
    page = client.get(reverse(IMPORT))
    assert page.status_code == 200
    assert [c.code for c in page.context["form"].fields["course"].queryset] == ["PHY101"]
    preview = upload(client, tenants.course_a1, (DATA / "every_type.gift").read_bytes())
    assert preview.status_code == 200
    bank = preview.context["bank"]
    assert bank.counts()["Numeric"] == 3 and len(bank.unmapped) == 3
    assert preview.context["payload"]
    assert QuestionPool.objects.count() == 0  # nothing before the confirmation
    body = preview.content.decode()
    assert "Matching questions are not supported" in body and "line 40" in body
    done = client.post(reverse(IMPORT), {"payload": preview.context["payload"]})
    pool = QuestionPool.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:assessments_questionpool_change", args=[pool.pk])
    assert (pool.course_id, pool.title, pool.questions.count()) == (
        tenants.course_a1.pk,
        "Imported",
        11,
    )
    again = client.post(reverse(IMPORT), {"payload": preview.context["payload"]})
    assert again.status_code == 302 and pool.questions.count() == 11  # used once


def test_errors_show_their_lines_and_offer_no_confirmation(tenants):
    client = client_for(tenants.user("university_admin"))
    preview = upload(client, tenants.course_a2, b"A? {T}\n\nB? {#x}\n")
    assert preview.status_code == 200 and preview.context["payload"] == ""
    assert "line 3" in preview.content.decode()
    assert "nothing was saved" in preview.content.decode()
    assert QuestionPool.objects.count() == 0


def test_hostile_xml_is_refused_on_the_form(tenants):
    client = client_for(tenants.user("instructor"))
    hostile = b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY e SYSTEM "file:///etc/passwd">]><quiz>&e;</quiz>'
    response = upload(client, tenants.course_a1, hostile, name="bank.xml")
    assert response.status_code == 200
    assert "entities" in str(response.context["form"].errors["file"])
    assert QuestionPool.objects.count() == 0


def test_another_universitys_course_cannot_be_chosen_or_confirmed(tenants):
    client = client_for(tenants.user("instructor_b"))
    response = upload(client, tenants.course_a1, b"A? {T}")
    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    # A payload for course a1 signed for someone else does not work for B's instructor either.
    preview = upload(client_for(tenants.user("instructor")), tenants.course_a1, b"A? {T}")
    response = client.post(reverse(IMPORT), {"payload": preview.context["payload"]})
    assert response.status_code == 302
    assert QuestionPool.objects.count() == 0


@pytest.mark.parametrize("role", ["ta", "student"])
def test_who_may_not_author_gets_no_import_page(tenants, role):
    response = client_for(tenants.user(role)).get(reverse(IMPORT))
    assert response.status_code in (302, 403)
    assert QuestionPool.objects.count() == 0


def test_export_downloads_own_pools_only(tenants):
    mine = qf.pool(tenants.course_a1, "Statics")
    qf.every_type(mine)
    other = qf.pool(tenants.course_b1, "Cells")
    client = client_for(tenants.user("instructor"))
    url = reverse("admin:assessments_questionpool_export", args=[mine.pk, "gift"])
    change = client.get(reverse("admin:assessments_questionpool_change", args=[mine.pk]))
    assert f'href="{url}" download' in change.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="phy101-statics.gift"'
    assert "$CATEGORY: Statics" in response.content.decode()
    xml = client.get(reverse("admin:assessments_questionpool_export", args=[mine.pk, "moodlexml"]))
    assert xml.status_code == 200 and b'<question type="truefalse">' in xml.content
    for file_format in ("gift", "moodlexml"):
        url = reverse("admin:assessments_questionpool_export", args=[other.pk, file_format])
        assert client.get(url).status_code == 404
    action = client.post(
        reverse("admin:assessments_questionpool_changelist"),
        {"action": "export_gift", "_selected_action": [mine.pk]},
    )
    assert action["Location"] == reverse(
        "admin:assessments_questionpool_export", args=[mine.pk, "gift"]
    )
    assert Question.objects.filter(pool=mine).count() == 5
