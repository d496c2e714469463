"""A Reflex backend of the app for a benchmark to drive: `reflex run --env prod --backend-only` on a free port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resolution_app.infra.child_processes import start_child  # noqa: E402

START_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def backend_environment(database_url: str, data: Path, url: str, workers: int = 1, redis_url: str = "") -> dict:
    """What the backend and its job worker need: one database, files under `data`, no job worker in the app."""
    env = {
        **os.environ,
        "PUBLIC_API_URL": url,
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data),
        "STORAGE_URL": f"file://{data / 'uploads'}",
        "DEMO_DATA": "1",
        "GRANIAN_WORKERS": str(workers),
        "JOB_WORKER_IN_APP": "0",
        "SECRET_KEY": "bench-secret",
        "REFLEX_USE_NPM": "1",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    env.pop("REFLEX_REDIS_URL", None)
    if redis_url:  # several workers share tab states through Redis; one keeps them in its own memory
        env["REFLEX_REDIS_URL"] = redis_url
    return env


def start_backend(stack: ExitStack, env: dict[str, str], log: Path) -> subprocess.Popen:
    """The backend at env's PUBLIC_API_URL, once its health check answers; stopped when `stack` closes."""
    port = env["PUBLIC_API_URL"].rsplit(":", 1)[1]
    command = [shutil.which("reflex", path=env["PATH"]), "run", "--env", "prod", "--backend-only"]
    backend = start_child(
        stack, [*command, "--backend-host", "127.0.0.1", "--backend-port", port], env=env, cwd=ROOT, log=log
    )
    _wait_healthy(env["PUBLIC_API_URL"], backend, log)
    return backend


def _wait_healthy(url: str, backend: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if backend.poll() is not None:
            sys.exit(f"The backend exited with {backend.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/health", timeout=5) as health:
                if health.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    sys.exit(f"The backend did not answer within {START_SECONDS} s:\n{log.read_text()[-3000:]}")
