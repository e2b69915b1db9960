"""Every model of the LMS names its objects in words: what `str()` gives (the admin's titles,
select boxes, messages, logs) never shows a bare database id such as "attempt 1 by 15 on 18"."""

import datetime
import re
from decimal import Decimal
from itertools import count

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

PROJECT_APPS = ("tenancy", "catalog", "syllabus", "content", "assessments", "community")
ID_BASE = 730_000
_ids = count(ID_BASE + 1)


def project_models() -> list[type[models.Model]]:
    return [
        model
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.auto_created
    ]


def _value(field: models.Field):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.EmailField):
        return "ada.lovelace@example.edu"
    if isinstance(field, models.SlugField):
        return "thermo-notes"
    if isinstance(field, (models.CharField, models.TextField)):
        return "Thermodynamics notes"
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.DecimalField):
        return Decimal("87.50")
    if isinstance(field, (models.FloatField,)):
        return 0.5
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date(2026, 12, 2)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(minutes=5)
    if isinstance(field, models.IntegerField):
        return 3
    if isinstance(field, models.JSONField):
        return {}
    return None


def build(model: type[models.Model], depth: int = 0) -> models.Model:
    """An unsaved object with every field filled and every related object attached, its id
    and theirs taken from a range no other value uses."""
    obj = model()
    for field in model._meta.concrete_fields:
        if field.primary_key and not field.is_relation:
            setattr(obj, field.attname, next(_ids))
        elif field.is_relation:
            related = field.related_model
            if depth < 3:
                setattr(obj, field.name, build(related, depth + 1))
            else:
                setattr(obj, field.attname, next(_ids))
        else:
            value = _value(field)
            if value is not None:
                setattr(obj, field.attname, value)
    if obj.pk is None:
        obj.pk = next(_ids)
    return obj


def ids_in(text: str) -> list[str]:
    return [n for n in re.findall(r"\d+", text) if int(n) > ID_BASE]


@pytest.mark.parametrize("model", project_models(), ids=lambda m: m._meta.label)
def test_the_objects_name_has_no_bare_ids(model):
    name = str(build(model))

    assert model.__str__ is not models.Model.__str__, f"{model._meta.label} has no __str__"
    assert ids_in(name) == [], f"{model._meta.label}: {name!r}"
    assert re.search(r"[A-Za-z]{3}", name), f"{model._meta.label}: {name!r}"


def test_the_check_finds_a_bare_id():
    assert ids_in(f"attempt 1 by {ID_BASE + 15} on {ID_BASE + 18}") == ["730015", "730018"]


def test_a_thread_without_a_title_is_named_in_words():
    thread = build(apps.get_model("community", "DiscussionThread"))
    thread.title = ""

    assert str(thread) == "Untitled thread"
