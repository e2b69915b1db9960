"""A real worker: the lab grading task is timed and counted in the worker's metrics, and its log
lines name the task and the request that enqueued it."""

import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from assessments.labs.tasks import lab_submission_grade_task
from lms.observability.context import context_end, context_start

METRICS_PORT = 8313
LAB_TASK = "assessments.labs.tasks.lab_submission_grade_task"


@pytest.fixture
def worker_metrics(monkeypatch, tmp_path):
    """The worker started after this serves its children's metrics on METRICS_PORT."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    (tmp_path / "metrics").mkdir()
    monkeypatch.setenv("CELERY_METRICS_PORT", str(METRICS_PORT))


def worker_samples() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{METRICS_PORT}/", timeout=2) as answer:
            text = answer.read().decode()
    except OSError:
        return {}
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_lab_grading_run_is_timed_counted_and_logged(worker_metrics, worker):
    token = context_start(request_id="page-request-1")
    try:
        # No such submission: the run finds nothing to claim and is skipped.
        lab_submission_grade_task.delay(987654321)
    finally:
        context_end(token)
    skipped = ("lms_lab_grading_seconds_count", (("outcome", "skipped"),))
    found = worker.wait_for(
        lambda: (samples := worker_samples()).get(skipped) and samples,
        20,
        "the grading run in the worker's metrics",
    )
    assert found[skipped] == 1
    assert found[("lms_celery_tasks_total", (("state", "success"), ("task", LAB_TASK)))] == 1
    assert found[("lms_celery_task_duration_seconds_count", (("task", LAB_TASK),))] == 1
    lines = worker.log.read_text().splitlines()
    assert [
        line
        for line in lines
        if "succeeded" in line
        and "request_id=page-request-1" in line
        and f"task_name={LAB_TASK}" in line
    ], "\n".join(lines[-20:])
