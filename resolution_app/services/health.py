"""Is the app able to serve: the database, the evidence storage, Redis (when the app runs on it) and the job queue
answer, and the queue is not falling behind. Each check raises when its dependency is unwell and may return
figures worth reporting."""

from collections.abc import Callable
from functools import lru_cache

import redis
from sqlalchemy import text

from resolution_app.infra.db import read
from resolution_app.infra.settings import get_settings
from resolution_app.infra.storage import new_key
from resolution_app.services.files import get_store

# A job due this long without a worker taking it: no worker is running, or they can't keep up.
JOB_QUEUE_BEHIND_SECONDS = 300
_OLDEST_DUE_JOB = text(
    """
    SELECT extract(epoch FROM now() - min(coalesce(job.scheduled_at, deferred.at)))
    FROM procrastinate_jobs job
    LEFT JOIN procrastinate_events deferred ON deferred.job_id = job.id AND deferred.type = 'deferred'
    WHERE job.status = 'todo' AND (job.scheduled_at IS NULL OR job.scheduled_at <= now())
    """
)

Figures = dict[str, float]


class Unwell(Exception):
    """A dependency answers but is not fit to serve; the message says how."""


def database_answers() -> None:
    with read() as session:
        session.execute(text("SELECT 1"))


def storage_answers() -> None:
    get_store().exists(new_key())  # any well-formed key: we only ask whether storage answers


def job_queue_keeps_up() -> Figures:
    with read() as session:
        waited = float(session.execute(_OLDEST_DUE_JOB).scalar() or 0)
    if waited > JOB_QUEUE_BEHIND_SECONDS:
        raise Unwell(f"the oldest due job has waited {waited:.0f} s (are the job workers running?)")
    return {"oldest_due_job_seconds": round(waited, 1)}


@lru_cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def redis_answers() -> None:
    _redis(get_settings().reflex_redis_url).ping()


def checks() -> dict[str, Callable[[], Figures | None]]:
    """What this process depends on: Redis only when its tab states live there (REFLEX_REDIS_URL)."""
    found: dict[str, Callable[[], Figures | None]] = {
        "database": database_answers,
        "storage": storage_answers,
        "job queue": job_queue_keeps_up,
    }
    if get_settings().reflex_redis_url:
        found["redis"] = redis_answers
    return found
