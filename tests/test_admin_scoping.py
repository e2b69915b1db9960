"""The admin, for every staff role against a second university.

Every registered model of tenancy, catalog, community and assessments progress has three rows:
"mine" (of offering a1, course a1, department A1 or university A), "sibling" (of university A
but department A2) and "other" (of university B). For each role the changelist lists exactly the
rows it should; B's row gives 404 on its change, delete and history pages, also to POSTs, and
stays as it was; add forms and list filters offer none of B's rows.
"""

from dataclasses import dataclass

import pytest
from django.contrib.admin import RelatedFieldListFilter
from django.forms import ModelChoiceField
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from assessments.progress.models import UserContentProgress, UserModuleProgress
from assessments.progress.tree_changes import tracked
from catalog.models import (
    Course,
    CourseEnrollment,
    CourseOffering,
    CourseOfferingInstructor,
    CoursePrerequisite,
    CourseSubject,
    Domain,
    Subject,
)
from catalog.tests.factories import CourseFactory, SubjectFactory
from catalog.tests.tenants import Tenants
from community.models import CourseReview, DiscussionPost, DiscussionThread, PostReport
from content.services import content_item_create
from content.tests.factories import TEXT_PAYLOAD
from syllabus.services import course_root, module_create
from tenancy.models import Country, Department, University, User, UserUniversityRole
from tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("platform_admin", "university_admin", "department_admin", "instructor", "ta")
ALL = {"mine", "sibling", "other"}
A = {"mine", "sibling"}
MINE = {"mine"}
STAFF = {role: MINE for role in ("department_admin", "instructor", "ta")}


@dataclass
class Spec:
    """A model's rows by label, and the labels each role sees (None: no access at all)."""

    model: type
    rows: dict
    visible: dict


def _offering_rows(tenants: Tenants, make) -> dict:
    return {
        "mine": make(tenants.offering_a1, "a1"),
        "sibling": make(tenants.offering_a2, "a2"),
        "other": make(tenants.offering_b1, "b1"),
    }


def _specs(t: Tenants) -> list[Spec]:
    students = {k: e.user for k, e in t.enrollments.items()}
    course_b2 = CourseFactory(university=t.university_b, department=t.department_b1, code="BIO2")
    instructor_a2 = UserFactory(email="instructor-a2@example.edu")
    CourseOfferingInstructor.objects.create(course_offering=t.offering_a2, user=instructor_a2)

    def thread(offering, key):
        return DiscussionThread.objects.create(
            course_offering=offering, created_by_user=students[key], title=f"Thread {key}"
        )

    threads = _offering_rows(t, thread)
    posts = {
        label: DiscussionPost.objects.create(thread=row, user=row.created_by_user, body="Hello")
        for label, row in threads.items()
    }
    reporter = UserFactory(email="reporter@example.edu")
    modules, items = {}, {}
    for label, course in (("mine", t.course_a1), ("sibling", t.course_a2), ("other", t.course_b1)):
        modules[label] = module_create(
            course=course, parent=course_root(course=course), module_type="unit", title="Unit"
        )
        items[label] = tracked(
            content_item_create,
            module=modules[label],
            content_type="text",
            title="Text",
            data_json=TEXT_PAYLOAD,
        )
    label_of = {"a1": "mine", "a2": "sibling", "b1": "other"}

    def progress(model, field: str, targets: dict) -> dict:
        return {
            label: model.objects.create(
                user=students[key],
                course_offering=t.enrollments[key].course_offering,
                progress_percent=50,
                **{field: targets[label]},
            )
            for key, label in label_of.items()
        }

    taxonomy = SubjectFactory(name="Mechanics")
    no_teachers = {"instructor": None, "ta": None}
    return [
        Spec(
            Country,
            {"mine": t.university_a.country, "shared": t.university_b.country},
            {"platform_admin": {"mine", "shared"}, "university_admin": {"mine", "shared"}}
            | {"department_admin": {"mine", "shared"}}
            | no_teachers,
        ),
        Spec(
            University,
            {"mine": t.university_a, "other": t.university_b},
            {"platform_admin": {"mine", "other"}, "university_admin": MINE}
            | {"department_admin": MINE}
            | no_teachers,
        ),
        Spec(
            Department,
            {"mine": t.department_a1, "sibling": t.department_a2, "other": t.department_b1},
            {"platform_admin": ALL, "university_admin": A, "department_admin": MINE} | no_teachers,
        ),
        Spec(
            User,
            {"mine": students["a1"], "sibling": students["a2"], "other": students["b1"]},
            {"platform_admin": ALL, "university_admin": A, "department_admin": A} | no_teachers,
        ),
        Spec(
            UserUniversityRole,
            {
                label_of[k]: UserUniversityRole.objects.get(user=students[k])
                for k in ("a1", "a2", "b1")
            },
            {"platform_admin": ALL, "university_admin": A, "department_admin": None} | no_teachers,
        ),
        Spec(
            Domain,
            {"mine": taxonomy.domain},
            dict.fromkeys(ROLES, MINE),
        ),
        Spec(Subject, {"mine": taxonomy}, dict.fromkeys(ROLES, MINE)),
        Spec(
            Course,
            {"mine": t.course_a1, "sibling": t.course_a2, "other": t.course_b1},
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(
            CourseSubject,
            {
                "mine": CourseSubject.objects.create(course=t.course_a1, subject=taxonomy),
                "sibling": CourseSubject.objects.create(course=t.course_a2, subject=taxonomy),
                "other": CourseSubject.objects.create(course=t.course_b1, subject=taxonomy),
            },
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(
            CoursePrerequisite,
            {
                "mine": CoursePrerequisite.objects.create(
                    course=t.course_a1, prerequisite_course=t.course_a2
                ),
                "sibling": CoursePrerequisite.objects.create(
                    course=t.course_a2, prerequisite_course=t.course_a1
                ),
                "other": CoursePrerequisite.objects.create(
                    course=t.course_b1, prerequisite_course=course_b2
                ),
            },
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(
            CourseOffering,
            {"mine": t.offering_a1, "sibling": t.offering_a2, "other": t.offering_b1},
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(
            CourseOfferingInstructor,
            {
                "mine": CourseOfferingInstructor.objects.get(user=t.users["instructor"]),
                "sibling": CourseOfferingInstructor.objects.get(user=instructor_a2),
                "other": CourseOfferingInstructor.objects.get(user=t.users["instructor_b"]),
            },
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(
            CourseEnrollment,
            {label_of[k]: t.enrollments[k] for k in ("a1", "a2", "b1")},
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(DiscussionThread, threads, {"platform_admin": ALL, "university_admin": A} | STAFF),
        Spec(DiscussionPost, posts, {"platform_admin": ALL, "university_admin": A} | STAFF),
        Spec(
            PostReport,
            {
                label: PostReport.objects.create(post=post, reporter=reporter, reason="spam")
                for label, post in posts.items()
            },
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(
            CourseReview,
            _offering_rows(
                t,
                lambda offering, key: CourseReview.objects.create(
                    course_offering=offering, user=students[key], rating=4
                ),
            ),
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(
            UserModuleProgress,
            progress(UserModuleProgress, "module", modules),
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
        Spec(
            UserContentProgress,
            progress(UserContentProgress, "content_item", items),
            {"platform_admin": ALL, "university_admin": A} | STAFF,
        ),
    ]


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _other_tenant_rows(t: Tenants) -> dict[type, set[int]]:
    """Rows of university B that may turn up as choices."""
    return {
        University: {t.university_b.pk},
        Department: {t.department_b1.pk},
        Course: set(Course.objects.filter(university=t.university_b).values_list("pk", flat=True)),
        CourseOffering: {t.offering_b1.pk},
        User: {t.enrollments["b1"].user_id, t.users["university_admin_b"].pk},
    }


def _choice_problems(t, role, where, fields) -> list[str]:
    """Choices among `fields` (name -> queryset of ids) that show B's rows wrongly."""
    problems = []
    others = _other_tenant_rows(t)
    for name, (model, ids) in fields.items():
        leaked = others.get(model, set()) & set(ids)
        if role == "platform_admin":
            if model in others and not leaked:
                problems.append(f"{where}: {name} misses B's rows for a platform admin")
        elif leaked:
            problems.append(f"{where}: {name} offers B's rows {sorted(leaked)}")
    return problems


def _form_choices(response) -> dict:
    fields = {}
    forms = [("", response.context["adminform"].form)]
    for formset in response.context["inline_admin_formsets"]:
        forms += [(f"{formset.formset.prefix}.", form) for form in formset.formset.forms]
        forms.append((f"{formset.formset.prefix}.empty.", formset.formset.empty_form))
    for prefix, form in forms:
        for name, field in form.fields.items():
            if isinstance(field, ModelChoiceField):
                ids = field.queryset.values_list("pk", flat=True)
                fields[prefix + name] = (field.queryset.model, ids)
    return fields


def _filter_choices(response) -> dict:
    return {
        spec.field_path: (spec.field.related_model, [pk for pk, _ in spec.lookup_choices])
        for spec in response.context["cl"].filter_specs
        if isinstance(spec, RelatedFieldListFilter)
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_and_touches_only_its_tenant(tenants, role):
    specs = _specs(tenants)
    client = Client()
    client.force_login(tenants.user(role))
    problems: list[str] = []
    for spec in specs:
        name = spec.model.__name__
        visible = spec.visible[role]
        changelist = client.get(_url(spec.model, "changelist"))
        if visible is None:
            if changelist.status_code != 403:
                problems.append(f"{name}: changelist gave {changelist.status_code}, not 403")
        elif changelist.status_code != 200:
            problems.append(f"{name}: changelist gave {changelist.status_code}")
        else:
            page = changelist.content.decode()
            listed = {
                label
                for label, row in spec.rows.items()
                if _url(spec.model, "change", row.pk) in page
            }
            if listed != visible & set(spec.rows):
                problems.append(f"{name}: listed {sorted(listed)}, expected {sorted(visible)}")
            problems += _choice_problems(
                tenants, role, f"{name} filters", _filter_choices(changelist)
            )

        if "other" in spec.rows and role != "platform_admin":
            problems += _other_row_problems(client, spec)
        if visible is not None and client.get(_url(spec.model, "add")).status_code == 200:
            add = client.get(_url(spec.model, "add"))
            problems += _choice_problems(tenants, role, f"{name} add form", _form_choices(add))
    assert problems == [], "\n".join(problems)


def _other_row_problems(client: Client, spec: Spec) -> list[str]:
    """B's row: 404 on every page and POST, and nothing changed."""
    row = spec.rows["other"]
    before = model_to_dict(row)
    problems = []
    requests = [
        ("GET change", client.get, _url(spec.model, "change", row.pk), None),
        ("GET delete", client.get, _url(spec.model, "delete", row.pk), None),
        ("GET history", client.get, _url(spec.model, "history", row.pk), None),
        ("POST change", client.post, _url(spec.model, "change", row.pk), _hostile(before)),
        ("POST delete", client.post, _url(spec.model, "delete", row.pk), {"post": "yes"}),
    ]
    for label, send, url, data in requests:
        status = (send(url, data) if data is not None else send(url)).status_code
        if status != 404:
            problems.append(f"{spec.model.__name__}: {label} of B's row gave {status}")
    fresh = spec.model._default_manager.filter(pk=row.pk).first()
    if fresh is None or model_to_dict(fresh) != before:
        problems.append(f"{spec.model.__name__}: B's row changed")
    return problems


def _hostile(values: dict) -> dict:
    """The row's own values with every text field overwritten."""
    data = {k: ("" if v is None else v) for k, v in values.items() if not isinstance(v, list)}
    return data | {k: "Taken over" for k, v in values.items() if isinstance(v, str)}


def test_students_cannot_use_the_admin(tenants):
    client = Client()
    client.force_login(tenants.user("student"))
    response = client.get(_url(Course, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
