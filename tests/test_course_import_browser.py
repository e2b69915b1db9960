"""A university admin imports an Open edX course in Chromium: the course imports list links to
the import page, the preview lists what will be created by kind and every part not imported
with its file and reason, confirming runs the import (in process), and the page ends on the
result with a link to the new course. While an import waits, the page's script polls its
status and shows the result once the import has run. Screenshots at desktop width and 360 px,
where nothing scrolls sideways."""

import tarfile
from pathlib import Path

import pytest
from django.urls import reverse

from catalog.models import Course
from catalog.tests.tenants import build_tenants
from interchange.courses.services import course_import_run
from interchange.models import CourseImportJob
from syllabus.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHYSICS = Path(__file__).resolve().parent.parent / "interchange/tests/fixtures/olx/physics"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def package(tmp_path) -> Path:
    target = tmp_path / "physics.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(PHYSICS, arcname="course")
    return target


def upload(page, package: Path, code: str) -> None:
    page.goto(reverse("admin:interchange_courseimportjob_changelist"))
    page.get_by_role("link", name="Import course").click()
    page.get_by_label("University").select_option(label="Beta University")
    page.get_by_label("Course code").fill(code)
    page.get_by_label("Course package").set_input_files(str(package))


def test_admin_uploads_previews_confirms_and_opens_the_course(
    page, live_server, screenshot, settings, tasks_in_process, package
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tenants = build_tenants()
    log_in(page, live_server, tenants.user("university_admin_b"))
    upload(page, package, "PHYS-7")
    screenshot("course-import-form")
    page.set_viewport_size({"width": 360, "height": 800})
    assert no_sideways_scroll(page)
    screenshot("course-import-form-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Preview").click()

    counts = page.locator("#cimport-counts").inner_text()
    assert "Modules · chapter 2" in counts and "Items · video 2" in counts
    assert "Questions 5" in counts and "Not imported 7" in counts
    rows = page.locator("#cimport-warnings tbody tr").all_inner_texts()
    assert len(rows) == 7 and any("lti_consumer/lti_sim" in r and "LTI" in r for r in rows)
    assert page.locator("#cimport-status").inner_text() == "Waiting for confirmation"
    assert not Course.objects.filter(code="PHYS-7").exists()
    screenshot("course-import-preview-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    assert no_sideways_scroll(page)
    screenshot("course-import-preview-360")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Import the course").click()
    assert page.locator("#cimport-status").inner_text() == "Imported"
    course = Course.objects.get(university=tenants.university_b, code="PHYS-7")
    screenshot("course-import-done-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    assert no_sideways_scroll(page)
    screenshot("course-import-done-360")
    page.get_by_role("link", name="Open the course PHYS-7").click()
    assert page.url.endswith(reverse("admin:catalog_course_change", args=[course.pk]))


def test_the_page_follows_a_waiting_import_to_its_result(
    page, live_server, screenshot, settings, package, monkeypatch
):
    settings.MEDIA_ROOT = package.parent / "media"
    monkeypatch.setattr("lms.outbox.send_all", lambda ids: 0)  # no worker: the test runs it
    tenants = build_tenants()
    log_in(page, live_server, tenants.user("university_admin_b"))
    upload(page, package, "PHYS-8")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import the course").click()
    status = page.locator("#cimport-status")
    assert status.inner_text().startswith("Waiting to be imported")
    assert page.get_by_role("link", name="Refresh").count() == 1
    screenshot("course-import-waiting")
    job = CourseImportJob.objects.get()
    assert course_import_run(import_id=str(job.pk)) == "done"
    page.get_by_role("link", name="Open the course PHYS-8").wait_for(timeout=10_000)
    assert status.inner_text() == "Imported"
