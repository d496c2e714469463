"""Child processes (the app, job workers, Caddy) for `make run`, the benchmarks and the tests: each in a process group
of its own, so stopping it stops everything it started too."""

import os
import signal
import subprocess
from contextlib import ExitStack
from pathlib import Path

STOP_SECONDS = 20


def start_child(
    stack: ExitStack,
    command: list[str],
    *,
    env: dict[str, str],
    cwd: Path,
    log: Path | None = None,
    stop_signal: signal.Signals = signal.SIGTERM,
) -> subprocess.Popen:
    """Start `command` (its output appended to `log`, else to ours); stopped when `stack` closes."""
    out = log.open("a") if log is not None else None
    try:
        child = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT if out else None, start_new_session=True
        )
    finally:
        if out is not None:
            out.close()  # the child has its own copy
    stack.callback(stop_child, child, stop_signal)
    return child


def stop_child(child: subprocess.Popen, stop_signal: signal.Signals = signal.SIGTERM) -> None:
    """`stop_signal` to the child's group, then SIGKILL if it has not ended within STOP_SECONDS."""
    if child.poll() is not None:
        return
    os.killpg(child.pid, stop_signal)
    try:
        child.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
