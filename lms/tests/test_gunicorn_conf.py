"""gunicorn.conf.py with PROMETHEUS_MULTIPROC_DIR: the folder is made, a start clears the files of
processes that no longer run, and an exited worker's live samples are dropped. With
LOG_FORMAT=json gunicorn's own lines are JSON, each written once."""

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_conf(monkeypatch, folder: Path) -> dict:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_a_start_clears_samples_of_processes_that_ended(monkeypatch, tmp_path):
    folder = tmp_path / "metrics"
    conf = gunicorn_conf(monkeypatch, folder)
    assert folder.is_dir()
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    dead, alive = int(ended.stdout), os.getpid()
    for name in (f"counter_{dead}.db", f"histogram_{dead}.db", f"counter_{alive}.db"):
        (folder / name).write_bytes(b"")
    conf["on_starting"](None)
    assert sorted(path.name for path in folder.iterdir()) == [f"counter_{alive}.db"]


def test_an_exited_worker_loses_its_live_gauges_and_keeps_its_counters(monkeypatch, tmp_path):
    folder = tmp_path / "metrics"
    conf = gunicorn_conf(monkeypatch, folder)
    for name in ("gauge_livesum_4242.db", "gauge_liveall_4242.db", "counter_4242.db"):
        (folder / name).write_bytes(b"")
    conf["child_exit"](None, SimpleNamespace(pid=4242))
    assert sorted(path.name for path in folder.iterdir()) == ["counter_4242.db"]


def test_without_the_folder_setting_gunicorn_keeps_no_metrics_folder(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["_metrics_dir"] is None
    conf["on_starting"](None)
    conf["child_exit"](None, SimpleNamespace(pid=4242))


def test_json_logs_format_gunicorn_lines_once_each(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    logging = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logconfig_dict"]
    assert logging["formatters"]["generic"]["()"] == "pythonjsonlogger.json.JsonFormatter"
    assert {name: logger["propagate"] for name, logger in logging["loggers"].items()} == {
        "gunicorn.error": False,
        "gunicorn.access": False,
    }
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert "logconfig_dict" not in runpy.run_path(str(ROOT / "gunicorn.conf.py"))
