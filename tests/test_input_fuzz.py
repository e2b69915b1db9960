"""Malformed values in every form field and query parameter of the learner pages and the
custom admin pages: no answer is a server error, and a write the page refuses leaves every
table of the site's apps as it was.

The pages and what they read are listed in tests/fuzz_inventory.py; the values come from
tests/fuzz_support.py. Each example runs in a savepoint that is rolled back, so the world is
the same for every example and an accepted write does not leak into the next one.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.models import CourseReview
from tests.fuzz_inventory import (
    EXCLUDED,
    INVENTORY,
    Endpoint,
    all_url_names,
    inventory_names,
    site_url_names,
)
from tests.fuzz_support import (
    MISSING,
    changed_tables,
    odd_files,
    odd_text,
    odd_value,
    outcome,
    page_form_fields,
    snapshot,
    write_counts,
)
from tests.input_world import InputWorld

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Examples per endpoint: with about 110 endpoints the module stays under four minutes on the
# two-core machine (the world's seeding takes some 25 s of that).
EXAMPLES = 14
# A key no view reads: unknown keys must be ignored.
UNKNOWN_KEY = "zz_unexpected"

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@dataclass
class Target:
    endpoint: Endpoint
    client: Client
    cookies: Any
    url: str
    base: dict[str, Any]
    names: tuple[str, ...]
    before: dict | None


def signed_in_client(world: InputWorld, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.user(role))
    return client


def prepare(endpoint: Endpoint, world: InputWorld) -> Target:
    client = signed_in_client(world, endpoint.role)
    url = endpoint.url(world)
    base: dict[str, Any] = {}
    if endpoint.page_form:
        page = client.get(url)
        assert page.status_code == 200, f"{url} answered {page.status_code} to its own role"
        for name, values in page_form_fields(page.content.decode()).items():
            if values:
                base[name] = values if len(values) > 1 else values[0]
    base.update({k: str(v) for k, v in endpoint.base(world).items()})
    names = tuple(dict.fromkeys((*endpoint.params, *base, UNKNOWN_KEY)))
    before = snapshot() if endpoint.method == "POST" else None
    return Target(endpoint, client, client.cookies, url, base, names, before)


def send(target: Target, data: dict[str, Any]):
    target.client.cookies = target.cookies.__class__(target.cookies)
    if target.endpoint.method == "GET":
        return target.client.get(target.url, data)
    return target.client.post(target.url, data)


def check(target: Target, data: dict[str, Any]) -> None:
    """Send `data` inside a savepoint that is rolled back; judge the answer."""
    with transaction.atomic():
        writes = write_counts() if target.before is not None else None
        response = send(target, data)
        where = f"{target.endpoint.id} {target.url} {data!r}"
        assert response.status_code < 500, f"{response.status_code} from {where}"
        rejected = target.before is not None and outcome(response) == "rejected"
        if rejected and write_counts() != writes:
            changed = changed_tables(target.before, snapshot())
            assert changed == [], f"refused write changed {changed}: {where}"
        transaction.set_rollback(True)


def draw_payload(data: st.DataObject, target: Target) -> dict[str, Any]:
    payload = dict(target.base)
    chosen = data.draw(
        st.lists(st.sampled_from(target.names), min_size=1, max_size=3, unique=True),
        label="fields",
    )
    for name in chosen:
        value = data.draw(odd_value, label=name)
        if value is MISSING:
            payload.pop(name, None)
        else:
            payload[name] = value
    for name in target.endpoint.files:
        upload = data.draw(odd_files, label=name)
        if upload is not MISSING:
            payload[name] = upload
    return payload


def test_the_inventory_covers_every_page():
    listed, wanted = inventory_names(), site_url_names()

    assert sorted(wanted - listed - set(EXCLUDED)) == []
    assert sorted((listed | set(EXCLUDED)) - all_url_names()) == []
    assert sorted(listed & set(EXCLUDED)) == []


def test_the_fingerprint_sees_a_write_even_inside_a_savepoint(input_world):
    before, writes = snapshot(), write_counts()

    with transaction.atomic():
        CourseReview.objects.filter(pk=input_world.review.pk).update(review_text="Changed.")
        assert write_counts() != writes
        assert changed_tables(before, snapshot()) == ["course_reviews"]
        transaction.set_rollback(True)

    assert changed_tables(before, snapshot()) == []


@pytest.mark.parametrize("endpoint", INVENTORY, ids=lambda e: e.id)
def test_malformed_values_never_make_a_server_error(input_world, endpoint):
    target = prepare(endpoint, input_world)

    @FUZZ_SETTINGS
    @given(data=st.data())
    def run(data):
        check(target, draw_payload(data, target))

    run()


PATH_CASES = [e for e in INVENTORY if e.path_fuzz]


@pytest.mark.parametrize("endpoint", PATH_CASES, ids=lambda e: e.id)
def test_malformed_path_segments_never_make_a_server_error(input_world, endpoint):
    kwargs = endpoint.kwargs(input_world)
    target = prepare(endpoint, input_world)

    @FUZZ_SETTINGS
    @given(
        segment=odd_text.filter(lambda s: "\x00" not in s),
        name=st.sampled_from(endpoint.path_fuzz),
    )
    def run(segment, name):
        try:
            target.url = reverse(endpoint.name, kwargs={**kwargs, name: segment})
        except Exception:  # the URL pattern itself refuses the segment: not sendable
            return
        check(target, {})

    run()


def test_ids_out_of_range_in_the_path_never_make_a_server_error(input_world):
    for endpoint in INVENTORY:
        kwargs = endpoint.kwargs(input_world)
        ids = [name for name, value in kwargs.items() if isinstance(value, int)]
        if not ids:
            continue
        target = prepare(endpoint, input_world)
        for name in ids:
            for value in (0, 2**63, 10**30):
                target.url = reverse(endpoint.name, kwargs={**kwargs, name: value})
                check(target, {})
