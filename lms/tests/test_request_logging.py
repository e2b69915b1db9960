"""Every log line of a request carries its id; the id is returned as X-Request-ID; LOG_FORMAT
picks plain text or JSON."""

import json
import logging

import pytest

from lms.observability.context import context_end, context_start, log_context
from lms.tests.logcapture import django_process, site_logs


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one_in_its_response_and_log_lines(client):
    with site_logs("json") as output:
        response = client.get("/no-such-page/")
    request_id = response["X-Request-ID"]
    assert response.status_code == 404
    assert len(request_id) == 32
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    (not_found,) = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["message"] == "Not Found: /no-such-page/"
    assert not_found["level"] == "WARNING"
    assert not_found["request_id"] == request_id
    assert not_found["user_id"] is None
    assert not_found["university_id"] is None
    assert not_found["task_id"] is None


@pytest.mark.django_db
def test_a_sane_request_id_from_the_proxy_is_kept(client):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="lb-7f3a.42:9")
    assert response["X-Request-ID"] == "lb-7f3a.42:9"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "offered",
    ["", "has space", "<script>", "x" * 129, "-starts-with-dash", "ünicode", "a\nb"],
)
def test_an_unfit_request_id_is_replaced(client, offered):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=offered)
    replaced = response["X-Request-ID"]
    assert replaced != offered
    assert len(replaced) == 32
    int(replaced, 16)


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    first = client.get("/no-such-page/")["X-Request-ID"]
    second = client.get("/no-such-page/")["X-Request-ID"]
    assert first != second


def test_the_context_ends_with_the_request(client):
    client.get("/no-such-page/")
    assert log_context()["request_id"] is None


def test_text_lines_name_the_context_that_is_set():
    with site_logs("text") as output:
        logger = logging.getLogger("lms.test")
        logger.info("outside")
        token = context_start(request_id="abc", user_id=7, university_id=2)
        try:
            logger.info("inside")
        finally:
            context_end(token)
    outside, inside = output.getvalue().splitlines()
    assert outside.endswith("INFO lms.test: outside")
    assert inside.endswith("INFO lms.test: inside [request_id=abc user_id=7 university_id=2]")


def test_json_lines_carry_every_context_field():
    with site_logs("json") as output:
        token = context_start(task_id="t-1", task_name="assessments.tasks.grade_rollup_task")
        try:
            logging.getLogger("lms.test").warning("rolled up %d", 3)
        finally:
            context_end(token)
    line = json.loads(output.getvalue())
    assert {key: line[key] for key in line if key != "time"} == {
        "level": "WARNING",
        "logger": "lms.test",
        "message": "rolled up 3",
        "request_id": None,
        "user_id": None,
        "university_id": None,
        "task_id": "t-1",
        "task_name": "assessments.tasks.grade_rollup_task",
    }


def test_log_format_json_from_the_environment_writes_json_lines():
    code = "import logging; logging.getLogger('lms.check').warning('started')"
    result = django_process(code, LOG_FORMAT="json", LOG_LEVEL="warning")
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stderr.splitlines()]
    assert line["message"] == "started"
    assert line["logger"] == "lms.check"


def test_an_unknown_log_format_stops_the_start_with_a_message():
    result = django_process(LOG_FORMAT="xml")
    assert result.returncode == 1
    assert "LOG_FORMAT is 'xml'; use text or json." in result.stderr
