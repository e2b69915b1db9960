"""The production lab runner: one container per run (docker, or podman with
`LAB_CONTAINER_ENGINE`) of the lab's `container_image`, with `--network none`, `--memory`,
`--cpus`, `--pids-limit`, a read-only root and a read-only mount of the files, as nobody,
without capabilities. Select it with LAB_RUNNER=assessments.labs.container.ContainerRunner;
the README's "Lab grading" says what it guards against.
"""

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings

from assessments.labs.sandbox import (
    HARNESS,
    OUTPUT_TAIL_BYTES,
    LabJob,
    RunOutcome,
    clean_env,
    read_results,
    stop_reason,
    write_tree,
)


class ContainerRunner:
    """One container per run; see the module docstring and the README's "Lab grading"."""

    name = "container"
    WORK, HARNESS_DIR, OUT = "/lab/work", "/lab/harness", "/lab/out"

    def command(self, job: LabJob, *, work: Path, harness_dir: Path, out: Path, name: str):
        limits = job.limits
        env = clean_env(job.env, "/tmp")
        command = [
            settings.LAB_CONTAINER_ENGINE,
            "run",
            "--rm",
            "--name",
            name,
            "--network",
            "none",
            "--memory",
            str(limits.memory_bytes),
            "--memory-swap",
            str(limits.memory_bytes),
            "--cpus",
            f"{limits.cpu_cores:g}",
            "--pids-limit",
            str(limits.processes),
            "--ulimit",
            f"fsize={limits.file_bytes}",
            "--read-only",
            "--tmpfs",
            "/tmp:rw,nosuid,nodev,size=64m",
            "--user",
            "65534:65534",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
            "--mount",
            f"type=bind,source={work},target={self.WORK},readonly",
            "--mount",
            f"type=bind,source={harness_dir},target={self.HARNESS_DIR},readonly",
            "--mount",
            f"type=bind,source={out},target={self.OUT}",
            "--workdir",
            self.WORK,
        ]
        for key in sorted(env):
            command += ["--env", f"{key}={env[key]}"]
        command += [
            job.container_image,
            "python3",
            "-I",
            "-B",
            f"{self.HARNESS_DIR}/harness.py",
            "--workdir",
            self.WORK,
            "--results-file",
            f"{self.OUT}/results",
            "--memory-limit",
            limits.memory_label,
            "--block-network",
            *job.tests,
        ]
        return command

    def run(self, job: LabJob) -> RunOutcome:
        base = Path(tempfile.mkdtemp(prefix="lab-run-"))
        try:
            return self._run_in(base, job)
        finally:
            shutil.rmtree(base, ignore_errors=True)

    def _run_in(self, base: Path, job: LabJob) -> RunOutcome:
        work, harness_dir, out = base / "work", base / "harness", base / "out"
        for folder in (work, harness_dir, out):
            folder.mkdir()
        base.chmod(0o755)
        write_tree(work, job.files)
        for folder, _dirs, files in os.walk(work):
            os.chmod(folder, 0o755)
            for file_name in files:
                os.chmod(os.path.join(folder, file_name), 0o644)
        shutil.copyfile(HARNESS, harness_dir / "harness.py")
        harness_dir.chmod(0o755)
        out.chmod(0o777)
        name = f"{job.label}-{uuid.uuid4().hex[:12]}"
        command = self.command(job, work=work, harness_dir=harness_dir, out=out, name=name)
        grace = settings.LAB_CONTAINER_START_SECONDS
        started = time.monotonic()
        timed_out = False
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=job.limits.wall_seconds + grace,
                check=False,
            )
            stdout, stderr, returncode = done.stdout, done.stderr, done.returncode
        except subprocess.TimeoutExpired as exc:
            timed_out = True
            stdout, stderr, returncode = exc.stdout or b"", exc.stderr or b"", None
            subprocess.run(
                [settings.LAB_CONTAINER_ENGINE, "rm", "--force", name],
                capture_output=True,
                timeout=60,
                check=False,
            )
        tests, finished = read_results(out / "results")
        finished = finished and not timed_out
        signal_number = returncode - 128 if returncode and returncode > 128 else None
        return RunOutcome(
            tests=tests,
            finished=finished,
            reason=""
            if finished
            else stop_reason(timed_out=timed_out, signal_number=signal_number, limits=job.limits),
            stdout=stdout[-OUTPUT_TAIL_BYTES:].decode("utf-8", "replace"),
            stderr=stderr[-OUTPUT_TAIL_BYTES:].decode("utf-8", "replace"),
            duration_ms=int((time.monotonic() - started) * 1000),
            sandbox={
                "runner": self.name,
                "image": job.container_image,
                "limits": job.limits.as_json(),
            },
        )
