"""The replica router, the pin cookie and the settings, without a replica server (the real one
is in tests/test_replicas.py)."""

import json
import os
import subprocess
import sys
import time

from django.http import HttpResponse
from django.test import RequestFactory

from lms.replicas import (
    _PIN_SALT,
    PIN_COOKIE,
    PrimaryPinMiddleware,
    ReplicaRouter,
    pinned_to_primary,
    replica_configured,
    replica_reads,
)

ROUTER = ReplicaRouter()


def test_reads_stay_on_the_primary_outside_replica_reads_and_without_a_replica():
    assert not replica_configured()
    assert ROUTER.db_for_read(None) == "default"
    with replica_reads():
        assert ROUTER.db_for_read(None) == "default"  # no replica alias: nowhere else to go
    assert ROUTER.db_for_write(None) == "default"
    assert ROUTER.allow_migrate("default", "catalog") is True
    assert ROUTER.allow_migrate("replica", "catalog") is False


def _request_with_pin(value: str, *, signed: bool = True):
    response = HttpResponse()
    if signed:
        response.set_signed_cookie(PIN_COOKIE, value, salt=_PIN_SALT)
        value = response.cookies[PIN_COOKIE].value
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = value
    return request


def test_only_a_signed_unexpired_pin_keeps_a_visitor_on_the_primary():
    assert pinned_to_primary(_request_with_pin(str(time.time() + 5)))
    assert not pinned_to_primary(_request_with_pin(str(time.time() - 1)))
    assert not pinned_to_primary(_request_with_pin(str(time.time() + 5), signed=False))
    assert not pinned_to_primary(_request_with_pin("not a time"))
    assert not pinned_to_primary(RequestFactory().get("/"))


def test_without_a_replica_a_post_sets_no_pin():
    middleware = PrimaryPinMiddleware(lambda request: HttpResponse())
    response = middleware(RequestFactory().post("/"))
    assert PIN_COOKIE not in response.cookies


SETTINGS = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lms.settings';"
    "django.setup(); from django.conf import settings as s; r = s.DATABASES.get('replica');"
    "print(json.dumps(r and {'host': r['HOST'], 'port': r['PORT'], 'mirror': r['TEST']['MIRROR'],"
    " 'age': r['CONN_MAX_AGE'], 'timeout': r['OPTIONS'].get('connect_timeout'),"
    " 'cursors': r.get('DISABLE_SERVER_SIDE_CURSORS'), 'routers': s.DATABASE_ROUTERS,"
    " 'pin': s.DATABASE_REPLICA_PIN_SECONDS}))"
)


def _replica_settings(**variables: str):
    env = {**os.environ, "DATABASE_REPLICA_URL": "", "DATABASE_POOLER": "", **variables}
    out = subprocess.run([sys.executable, "-c", SETTINGS], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_replica_alias_exists_only_with_its_url():
    assert _replica_settings() is None
    assert _replica_settings(
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5433/lms",
        DATABASE_POOLER="pgbouncer",
        DATABASE_CONN_MAX_AGE="30",
        DATABASE_REPLICA_PIN_SECONDS="25",
    ) == {
        "host": "replica.internal",
        "port": 5433,
        "mirror": "default",
        "age": 30,
        "timeout": 3,
        "cursors": True,
        "routers": ["lms.replicas.ReplicaRouter"],
        "pin": 25,
    }
