"""Running the jobs: one worker inside each app process (JOB_WORKER_IN_APP, on by default), or dedicated ones.

    python -m resolution_app.jobs.worker      # a dedicated worker; run as many as you like, on any machine

Every worker defers the periodic jobs, and the database lets each period's job through once.
"""

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from resolution_app import jobs  # noqa: F401  (registers every job)
from resolution_app.infra.db import ensure_reachable, get_engine
from resolution_app.infra.job_queue import queue
from resolution_app.infra.settings import get_settings

log = logging.getLogger(__name__)
RESTART_SECONDS = 5
OPTIONS = {
    "concurrency": 4,  # jobs call synchronous services, each in a thread of its own
    "shutdown_graceful_timeout": 10,  # jobs are short; one still running then is aborted, and retried if it may be
}


def _name(kind: str) -> str:
    return f"{kind}-{socket.gethostname()}-{os.getpid()}"


async def _work_until_cancelled() -> None:
    """The app's worker: a database outage or a crash restarts it, never the app."""
    while True:
        try:
            async with queue.open_async():
                await queue.run_worker_async(name=_name("app"), install_signal_handlers=False, **OPTIONS)
        except Exception:  # noqa: BLE001 - logged, then started again
            log.exception("The job worker stopped; starting it again in %d s.", RESTART_SECONDS)
        await asyncio.sleep(RESTART_SECONDS)


@asynccontextmanager
async def worker_in_app() -> AsyncIterator[None]:
    """A Reflex lifespan task: a job worker for as long as the app process runs, stopped gracefully with it."""
    if not get_settings().job_worker_in_app:
        yield
        return
    worker = asyncio.create_task(_work_until_cancelled(), name="job worker")
    try:
        yield
    finally:
        worker.cancel()
        with suppress(asyncio.CancelledError):
            await worker


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ensure_reachable(get_engine())
    queue.run_worker(name=_name("worker"), **OPTIONS)  # stops gracefully on SIGINT or SIGTERM


if __name__ == "__main__":
    main()
