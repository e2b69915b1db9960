"""The resource limits of one grading run, read from a lab's payload.

The payload speaks Kubernetes: `cpu_limit` in cores ("1", "0.5", "500m"), `memory_limit` in
bytes with an optional suffix ("2Gi", "512M"). `timeout_seconds` is the lab session's length;
a grading run gets at most `LAB_GRADING_MAX_SECONDS` of it, so a lab meant for a 90-minute
notebook session cannot hold a worker for 90 minutes.
"""

import math
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

_MEMORY = re.compile(r"^([0-9]+)(Ki|Mi|Gi|K|M|G)?$")
_FACTORS = {
    None: 1,
    "K": 1000,
    "M": 1000**2,
    "G": 1000**3,
    "Ki": 1024,
    "Mi": 1024**2,
    "Gi": 1024**3,
}
_CPU = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m?)$")


def memory_bytes(text: str) -> int:
    match = _MEMORY.match(text.strip())
    if not match:
        raise ValueError(f"not a memory amount: {text!r}")
    return int(match.group(1)) * _FACTORS[match.group(2)]


def cpu_cores(text: str) -> float:
    match = _CPU.match(text.strip())
    if not match:
        raise ValueError(f"not a CPU amount: {text!r}")
    value = float(match.group(1))
    return value / 1000 if match.group(2) else value


def memory_text(amount: int) -> str:
    for suffix, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if amount >= factor and amount % factor == 0:
            return f"{amount // factor} {suffix}"
    return f"{amount} bytes"


@dataclass(frozen=True)
class Limits:
    cpu_cores: float
    memory_bytes: int
    wall_seconds: int
    processes: int
    file_bytes: int

    @property
    def cpu_seconds(self) -> int:
        """CPU time for the whole run: the wall time at the allowed number of cores."""
        return max(1, math.ceil(self.cpu_cores * self.wall_seconds))

    @property
    def memory_label(self) -> str:
        return memory_text(self.memory_bytes)

    def as_json(self) -> dict[str, Any]:
        return {
            "cpu_cores": self.cpu_cores,
            "memory": self.memory_label,
            "wall_seconds": self.wall_seconds,
            "processes": self.processes,
        }


def limits_for(payload: dict[str, Any]) -> Limits:
    """The limits of a grading run of the lab whose payload is `payload`."""
    cpu = cpu_cores(payload["cpu_limit"]) if payload.get("cpu_limit") else 1.0
    memory = (
        memory_bytes(payload["memory_limit"])
        if payload.get("memory_limit")
        else settings.LAB_DEFAULT_MEMORY_BYTES
    )
    wall = min(int(payload.get("timeout_seconds") or 60), settings.LAB_GRADING_MAX_SECONDS)
    return Limits(
        cpu_cores=max(cpu, 0.01),
        memory_bytes=memory,
        wall_seconds=max(wall, 1),
        processes=settings.LAB_MAX_PROCESSES,
        file_bytes=settings.LAB_MAX_FILE_BYTES,
    )
