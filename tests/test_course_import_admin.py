"""The course import admin (upload, preview, confirm, status): the preview writes no course,
the confirmed import runs once however often its task runs, a refused package leaves nothing,
and only the university's own admins can import into it or see its imports."""

import io
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.quizzes.models import QuestionPool
from catalog.models import Course
from catalog.tests.tenants import build_tenants
from content.models import Asset
from interchange.courses.services import course_import_run
from interchange.models import CourseImportJob
from interchange.tasks import course_import_task
from lms.models import OutboxTask
from syllabus.models import Module
from syllabus.services import course_root, module_create

pytestmark = pytest.mark.django_db
PHYSICS = Path(__file__).resolve().parent.parent / "interchange/tests/fixtures/olx/physics"
IMPORT = "admin:interchange_courseimportjob_import"
TASK = "interchange.tasks.course_import_task"


@pytest.fixture
def tenants(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_tenants()


def physics_tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(PHYSICS, arcname="course")
    return buffer.getvalue()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, university, content: bytes, code: str = "", name="physics.tar.gz"):
    return client.post(
        reverse(IMPORT),
        {
            "university": university.pk,
            "course_code": code,
            "file": SimpleUploadedFile(name, content),
        },
    )


def page_of(job: CourseImportJob) -> str:
    return reverse("admin:interchange_courseimportjob_change", args=[job.pk])


def stored_packages() -> list[str]:
    if not default_storage.exists("course-imports"):
        return []
    folders, _files = default_storage.listdir("course-imports")
    return [f for folder in folders for f in default_storage.listdir(f"course-imports/{folder}")[1]]


def test_preview_lists_what_is_created_and_writes_no_course(tenants):
    client = client_for(tenants.user("university_admin_b"))
    form = client.get(reverse(IMPORT))
    assert [u.short_code for u in form.context["form"].fields["university"].queryset] == ["BETA"]
    response = upload(client, tenants.university_b, physics_tar())
    job = CourseImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == page_of(job)
    assert (job.status, job.university_id, job.file_name) == (
        "previewed",
        tenants.university_b.pk,
        "physics.tar.gz",
    )
    assert not Course.objects.filter(university=tenants.university_b, code="PHY101").exists()
    assert (Asset.objects.count(), OutboxTask.objects.filter(task=TASK).count()) == (0, 0)
    preview = client.get(page_of(job))
    counts = [" ".join(li.split()) for li in _items(preview, "cimport-counts")]
    assert counts == [
        "Modules · chapter 2",
        "Modules · lesson 2",
        "Modules · quiz 1",
        "Modules · unit 2",
        "Items · quiz 1",
        "Items · text 1",
        "Items · video 2",
        "Questions 5",
        "Assets 2",
        "Transcripts 2",
        "Not imported 7",
    ]
    body = preview.content.decode()
    assert '<td data-label="File">lti_consumer/lti_sim</td>' in body
    assert '<td data-label="Reason">LTI tools are not imported</td>' in body
    assert "Import the course" in body


def _items(response, list_id: str) -> list[str]:
    body = response.content.decode()
    start = body.index(f'id="{list_id}"')
    part = body[start : body.index("</ul>", start)]
    return [
        chunk.split("</li>")[0].replace("<strong>", "").replace("</strong>", "").strip()
        for chunk in part.split("<li")[1:]
        for chunk in [chunk.split(">", 1)[1]]
    ]


def test_confirm_imports_once_however_often_the_task_runs(
    tenants, django_capture_on_commit_callbacks
):
    client = client_for(tenants.user("university_admin_b"))
    upload(client, tenants.university_b, physics_tar(), code="PHYS-1")
    job = CourseImportJob.objects.get()
    confirm = reverse("admin:interchange_courseimportjob_confirm", args=[job.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(confirm).status_code == 302
        assert client.post(confirm).status_code == 302  # a second click enqueues nothing
    assert len(callbacks) == 1
    assert OutboxTask.objects.filter(task=TASK, args=[str(job.pk)]).count() == 1
    assert client.get(
        reverse("admin:interchange_courseimportjob_status", args=[job.pk])
    ).json() == {
        "status": "queued",
        "running": False,
        "finished": False,
    }
    assert course_import_task.apply(args=[str(job.pk)]).get() == "done"
    assert course_import_task.apply(args=[str(job.pk)]).get() == "skipped"  # a redelivery
    course = Course.objects.get(university=tenants.university_b, code="PHYS-1")
    assert Course.objects.filter(code="PHYS-1").count() == 1
    assert Module.objects.filter(course=course).exclude(parent=None).count() == 7
    job.refresh_from_db()
    assert (job.status, job.course_id, job.package, job.error) == ("done", course.pk, "", "")
    assert stored_packages() == []
    done = client.get(page_of(job)).content.decode()
    assert reverse("admin:catalog_course_change", args=[course.pk]) in done
    assert "Open the course PHYS-1" in done


def test_a_refused_package_gives_a_message_and_keeps_nothing(tenants):
    client = client_for(tenants.user("university_admin_b"))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    response = upload(client, tenants.university_b, buffer.getvalue(), name="notes.tar.gz")
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1 and "there is no course.xml" in errors[0]
    assert "nothing was saved" in response.content.decode()
    assert (CourseImportJob.objects.count(), stored_packages()) == (0, [])


def test_a_package_over_the_size_limit_is_refused(tenants, settings):
    settings.COURSE_IMPORT_MAX_BYTES = 1024 * 1024
    client = client_for(tenants.user("university_admin_b"))
    response = upload(client, tenants.university_b, b"x" * (1024 * 1024 + 1))
    assert response.context["form"].errors["file"] == ["The package is larger than 1 MB."]
    assert (CourseImportJob.objects.count(), stored_packages()) == (0, [])


def test_a_package_refused_when_the_task_runs_records_why(tenants):
    client = client_for(tenants.user("university_admin_b"))
    upload(client, tenants.university_b, physics_tar())
    job = CourseImportJob.objects.get()
    client.post(reverse("admin:interchange_courseimportjob_confirm", args=[job.pk]))
    Course.objects.create(university=tenants.university_b, code="PHY101", title="Taken meanwhile")
    assert course_import_run(import_id=str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "already has a course with the code PHY101" in job.error
    assert Course.objects.filter(university=tenants.university_b, code="PHY101").count() == 1
    assert (Asset.objects.count(), stored_packages()) == (0, [])
    assert "nothing was imported" in client.get(page_of(job)).content.decode()


def test_other_universities_staff_cannot_import_into_it_or_see_its_imports(tenants):
    owner = client_for(tenants.user("university_admin_b"))
    upload(owner, tenants.university_b, physics_tar())
    job = CourseImportJob.objects.get()
    outsider = client_for(tenants.user("university_admin"))  # an admin of Alpha
    refused = upload(outsider, tenants.university_b, physics_tar())
    assert "university" in refused.context["form"].errors
    assert CourseImportJob.objects.count() == 1
    assert (
        outsider.post(
            reverse("admin:interchange_courseimportjob_confirm", args=[job.pk])
        ).status_code
        == 404
    )
    for name in ("change", "status"):
        url = reverse(f"admin:interchange_courseimportjob_{name}", args=[job.pk])
        assert outsider.get(url).status_code == 404
    listing = outsider.get(reverse("admin:interchange_courseimportjob_changelist"))
    assert listing.status_code == 200 and list(listing.context["cl"].result_list) == []
    job.refresh_from_db()
    assert job.status == "previewed"
    for role in ("instructor", "department_admin", "ta"):
        teacher = client_for(tenants.user(role))
        assert teacher.get(reverse(IMPORT)).status_code == 403
        assert teacher.get(page_of(job)).status_code == 404


def test_a_package_appended_under_a_module_of_an_existing_course(tenants):
    course = Course.objects.filter(university=tenants.university_b).order_by("pk").first()
    root = course_root(course=course)
    chapter = module_create(course=course, parent=root, module_type="chapter", title="Week 9")
    QuestionPool.objects.create(course=course, title="Check your understanding")
    before = Course.objects.count()
    client = client_for(tenants.user("university_admin_b"))
    form = client.get(reverse(IMPORT)).context["form"]
    choices = [label for _value, label in form.fields["into_module"].choices]
    assert f"{course.code} · — Week 9" in choices
    assert all(label.startswith(course.code) for label in choices[1:])  # Beta's modules only
    response = client.post(
        reverse(IMPORT),
        {
            "university": tenants.university_b.pk,
            "into_module": chapter.pk,
            "file": SimpleUploadedFile("physics.tar.gz", physics_tar()),
        },
    )
    job = CourseImportJob.objects.get()
    assert response["Location"] == page_of(job) and (job.appends, job.into_module) == (
        True,
        chapter,
    )
    assert f"Appended to {course.code}, under “Week 9”" in client.get(page_of(job)).content.decode()
    client.post(reverse("admin:interchange_courseimportjob_confirm", args=[job.pk]))
    assert course_import_run(import_id=str(job.pk)) == "done"
    assert Course.objects.count() == before
    children = Module.objects.filter(parent=chapter).order_by("sequence_index")
    assert list(children.values_list("title", flat=True)) == [
        "Mechanics",
        "Waves",
    ]
    assert sorted(QuestionPool.objects.filter(course=course).values_list("title", flat=True)) == [
        "Check your understanding",
        "Check your understanding (2)",
    ]


def test_a_module_of_another_university_cannot_be_appended_to(tenants):
    alpha_root = course_root(course=tenants.course_a1)
    client = client_for(tenants.user("university_admin_b"))
    response = client.post(
        reverse(IMPORT),
        {
            "university": tenants.university_b.pk,
            "into_module": alpha_root.pk,
            "file": SimpleUploadedFile("physics.tar.gz", physics_tar()),
        },
    )
    assert response.context["form"].errors["into_module"] == ["Choose a module from the list."]
    assert (CourseImportJob.objects.count(), stored_packages()) == (0, [])
