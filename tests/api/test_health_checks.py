"""/api/health names what is unwell: a job queue no worker takes from, and Redis when the app runs on it."""

import asyncio
import socket

import httpx
from sqlalchemy import text

from resolution_app.api.routes import api
from resolution_app.infra.db import transaction
from resolution_app.infra.settings import get_settings
from resolution_app.services import health


def _health() -> httpx.Response:
    async def get() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://app") as client:
            return await client.get("/api/health")

    return asyncio.run(get())


def _queue_job(waited: str, scheduled: bool = True) -> None:
    """A job that has been due for `waited` (an SQL interval), as no worker had taken it."""
    with transaction() as session:
        job_id = session.execute(
            text(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, args, scheduled_at) VALUES ('default', "
                "'deliver_emails', '{}', CASE WHEN :scheduled THEN now() - CAST(:waited AS interval) END) RETURNING id"
            ),
            {"waited": waited, "scheduled": scheduled},
        ).scalar_one()
        if not scheduled:  # deferred long ago: its 'deferred' event says when
            session.execute(
                text("UPDATE procrastinate_events SET at = now() - CAST(:waited AS interval) WHERE job_id = :id"),
                {"waited": waited, "id": job_id},
            )


def test_a_job_queue_that_keeps_up_reports_its_oldest_due_job(database, store):
    _queue_job("42 seconds")
    response = _health()
    assert response.status_code == 200
    assert 42 <= response.json()["figures"]["oldest_due_job_seconds"] < 60


def test_a_job_queue_nobody_takes_from_is_unhealthy(database, store):
    _queue_job("10 minutes", scheduled=False)
    response = _health()
    assert response.status_code == 503
    (problem,) = response.json()["problems"]
    assert problem.startswith("job queue: the oldest due job has waited 6") and "job workers" in problem


def test_a_job_scheduled_for_later_is_not_late(database, store):
    _queue_job("-1 hour")  # due in an hour: a retry waiting its turn
    assert _health().json()["figures"]["oldest_due_job_seconds"] == 0.0


def test_redis_is_checked_only_when_the_app_runs_on_it(database, store, monkeypatch, redis_url):
    assert "redis" not in health.checks()
    monkeypatch.setattr(get_settings(), "reflex_redis_url", redis_url)
    assert _health().status_code == 200
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setattr(get_settings(), "reflex_redis_url", f"redis://127.0.0.1:{port}/0")
    response = _health()
    assert response.status_code == 503
    assert response.json()["problems"] == ["redis: ConnectionError"]
