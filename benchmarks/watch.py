"""Run a ``kg`` command as a user does and watch it: wall time, CPU seconds of ``kg`` and
of its engine (``redis-server``, a child), their peak memory, the load average.

CPU and peak memory are read from /proc every 50 ms until each process exits, so a
figure may miss the last 50 ms; ``tree_cpu_s`` is the process tree's CPU as ``wait4``
reports it (the engine included once ``kg`` has reaped it).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int) -> float | None:
    """User + system CPU seconds of a live process, or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def peak_mib(pid: int) -> float | None:
    """The peak resident memory of a live process so far (``VmHWM``), in MiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def children_of(pid: int) -> list[int]:
    """The children of every thread of `pid` (a thread that starts the engine is its
    parent)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def warm_engine(store: Path) -> int | None:
    """The pid of the store's warm engine (``kg engine start``), if one runs."""
    described = store / "run" / "warm.json"
    if not described.exists():
        return None
    pid: int = json.loads(described.read_text())["engine"]
    return pid


def watched(args: list[str], store: Path | None = None) -> dict[str, Any]:
    """Run ``args`` to the end and return its figures (see the module docstring) and
    output; exit with its error if it fails. ``store``: the store whose warm engine's
    CPU to count, if one runs."""
    load = os.getloadavg()[0]
    warm = warm_engine(store) if store is not None else None
    warm_before = cpu_of(warm) if warm else None
    cpu: dict[int, float] = {}
    peak: dict[int, float] = {}
    names: dict[int, str] = {}
    done = threading.Event()
    # Output to files, not pipes: a command writing more than a pipe holds would wait
    # for a reader while this waits for it to end.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err)

        def watch() -> None:
            while not done.is_set():
                for pid in [process.pid, *children_of(process.pid)]:
                    used, most = cpu_of(pid), peak_mib(pid)
                    if used is not None:
                        cpu[pid] = used
                    if most is not None:
                        peak[pid] = most
                    if pid not in names:
                        with contextlib.suppress(OSError):
                            names[pid] = Path(f"/proc/{pid}/comm").read_text().strip()
                done.wait(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        watcher.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr.decode()}")
    engines = [pid for pid, name in names.items() if name == "redis-server"]
    return {
        "wall_s": round(wall, 2),
        "kg_cpu_s": round(cpu.get(process.pid, 0.0), 2),
        "engine_cpu_s": round(sum(cpu.get(pid, 0.0) for pid in engines), 2),
        "tree_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "kg_peak_mib": round(peak.get(process.pid, 0.0)),
        "engine_peak_mib": round(max((peak.get(pid, 0.0) for pid in engines), default=0.0)),
        "warm_engine_cpu_s": (round((cpu_of(warm) or 0.0) - warm_before, 2)
                              if warm and warm_before is not None else None),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "stdout": stdout.decode(),
        "stderr": stderr.decode(),
    }
