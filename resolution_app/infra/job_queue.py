"""The durable job queue: procrastinate, keeping its jobs in the app's own PostgreSQL (schema from Alembic).

A job is a function in `resolution_app/jobs/` decorated with `@queue.task` that calls one service. Periodic tasks
are deferred once per period however many workers run; a job that fails is retried with backoff; a job whose worker
died is found by its stale heartbeat and retried (jobs/maintenance.py).
"""

import procrastinate
from sqlalchemy import text
from sqlmodel import Session

from resolution_app.infra.settings import get_settings

# Retries for jobs that must happen: 2 s, 4 s, 8 s … apart, ten times (about half an hour), then kept as failed.
MUST_HAPPEN = procrastinate.RetryStrategy(max_attempts=10, exponential_wait=2)


def connector(url: str) -> procrastinate.PsycopgConnector:
    # Few connections: one listens for new jobs, the others fetch, finish and send heartbeats.
    return procrastinate.PsycopgConnector(conninfo=url, min_size=1, max_size=4)


# DATABASE_URL may be empty here (tests import the jobs before choosing a database); a worker checks it on start.
# import_paths lets any worker find the jobs, procrastinate's own command line included.
queue = procrastinate.App(connector=connector(get_settings().database_url), import_paths=["resolution_app.jobs"])


def defer_with(session: Session, task_name: str) -> None:
    """Queue `task_name` (no arguments) in the caller's own transaction: its worker is woken when that commits, and
    not before, so the job always finds what the transaction wrote. At most one such job waits at a time.

    procrastinate defers on connections of its own; inserting its job row ourselves (its 3.x table, whose schema our
    migrations hold) is what makes the job part of our transaction. The insert trigger notifies the workers.
    """
    session.execute(
        text(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, queueing_lock, args) "
            "VALUES ('default', :task, :lock, '{}') "
            "ON CONFLICT (queueing_lock) WHERE status = 'todo' DO NOTHING"
        ),
        {"task": task_name, "lock": task_name},
    )
