"""The job queue on the tests' database, and ways to run its workers: in this process, or as real processes."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import func, select

import resolution_app.jobs  # noqa: F401  (registers every job)
from resolution_app.domain.enums import CaseAction
from resolution_app.infra.db import transaction
from resolution_app.infra.job_queue import connector, queue
from resolution_app.models import CaseEvent
from tests.event_loops import run_apart

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 60


@pytest.fixture
def job_queue(database, postgres_url: str) -> Iterator[str]:
    """The queue pointed at the tests' database (emptied before each test with the rest); yields its URL."""
    with queue.replace_connector(connector(postgres_url)):
        yield postgres_url


def _jobs_ready() -> int:
    with transaction() as session:
        ready = "status = 'todo' AND (scheduled_at IS NULL OR scheduled_at <= now())"
        return session.execute(text(f"SELECT count(*) FROM procrastinate_jobs WHERE {ready}")).scalar_one()


def run_jobs_until_idle(rounds: int = 20) -> None:
    """A worker in this process (it sees the frozen clock), until no job is ready, those jobs defer included."""

    async def work() -> None:
        async with queue.open_async():
            for _ in range(rounds):
                await queue.run_worker_async(wait=False, install_signal_handlers=False, concurrency=4)
                if not await asyncio.to_thread(_jobs_ready):
                    return
        raise AssertionError(f"jobs still ready after {rounds} rounds")

    run_apart(work())


def defer(task_name: str, **kwargs: object) -> None:
    async def send() -> None:
        async with queue.open_async():
            await queue.configure_task(task_name).defer_async(**kwargs)

    run_apart(send())


def expiry_events(case_id: int) -> int:
    with transaction() as session:
        query = select(func.count()).where(CaseEvent.case_id == case_id, CaseEvent.kind == CaseAction.EXPIRE)
        return session.exec(query).one()


def queue_jobs(task_name: str, count: int, args: str = "{}") -> None:
    """`count` jobs of the task, without the queueing lock, so that many can run at once (as when several app
    processes' transactions queued deliveries while others ran)."""
    with transaction() as session:
        for n in range(count):
            session.execute(
                text("INSERT INTO procrastinate_jobs (queue_name, task_name, args) VALUES ('default', :task, :args)"),
                {"task": task_name, "args": args.replace("N", str(n))},
            )


def jobs(task_name: str) -> dict[str, int]:
    """How many jobs of the task are in each status."""
    with transaction() as session:
        rows = session.execute(
            text("SELECT status::text, count(*) FROM procrastinate_jobs WHERE task_name = :name GROUP BY 1"),
            {"name": task_name},
        )
        return dict(rows.all())


def wait_for(condition: Callable[[], bool], what: str, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        for process in processes:
            if process.poll() is not None and process.returncode not in (0, -signal.SIGKILL):
                log = Path(process.args[-1]).read_text()
                raise AssertionError(f"a worker exited with {process.returncode}:\n{log}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {WAIT_SECONDS}s")
        time.sleep(0.2)


WORKER = "from resolution_app.jobs.worker import main; main()"


@pytest.fixture
def worker_process(job_queue: str, tmp_path: Path):
    """Start real worker processes on the tests' database, each running `script` (a worker, perhaps patched)."""
    started: list[subprocess.Popen] = []

    def start(script: str = WORKER) -> subprocess.Popen:
        env = {**os.environ, "DATABASE_URL": job_queue, "PYTHONPATH": str(ROOT)}
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-c", script, str(log)],  # the log's path rides along for error messages
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
