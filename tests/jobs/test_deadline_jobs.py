"""Deadlines as durable jobs: applied once per case, whatever the number of workers, and whatever kills them."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from resolution_app.domain.enums import CaseStatus, PaymentMethod
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.services.cases import claims, deadlines
from tests.jobs.conftest import defer, expiry_events, jobs, run_jobs_until_idle, wait_for
from tests.services.factories import DESCRIPTION


def _open_claim(world) -> int:
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    return claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [])


def test_the_sweep_expires_a_due_case_once_and_the_next_sweep_leaves_it(world, job_queue, frozen_clock):
    case_id = _open_claim(world)
    frozen_clock.advance(timedelta(days=7, seconds=1))
    defer("sweep_deadlines", timestamp=0)
    run_jobs_until_idle()
    assert world.case(case_id).status == CaseStatus.UNDER_PLATFORM_REVIEW
    assert expiry_events(case_id) == 1
    defer("sweep_deadlines", timestamp=1)
    run_jobs_until_idle()
    assert expiry_events(case_id) == 1
    assert set(jobs("expire_case")) == {"succeeded"}


def test_an_expiry_queued_three_times_moves_the_case_once(world, job_queue, frozen_clock):
    case_id = _open_claim(world)
    frozen_clock.advance(timedelta(days=8))
    for _ in range(3):
        defer("expire_case", case_id=case_id)
    run_jobs_until_idle()
    assert expiry_events(case_id) == 1
    assert set(jobs("expire_case")) == {"succeeded"}  # the later two found nothing left to do


def _due_now() -> list[int]:
    """The seeded cases whose deadlines have passed by the real clock (the world was seeded days before it)."""
    due = deadlines.due_case_ids(datetime.now(UTC))
    assert due, "the seeded world should have cases past their deadline"
    return due


def test_two_worker_processes_apply_each_deadline_once(world, worker_process):
    due = _due_now()
    workers = [worker_process(), worker_process()]  # as two app processes with their in-process workers would
    wait_for(lambda: all(expiry_events(case_id) for case_id in due), "every due case expired", workers)
    wait_for(lambda: "todo" not in jobs("expire_case") and "doing" not in jobs("expire_case"), "queue idle", workers)
    assert [expiry_events(case_id) for case_id in due] == [1] * len(due)
    with transaction() as session:
        ticks = session.execute(
            text("SELECT count(*) FROM procrastinate_periodic_defers WHERE task_name = 'sweep_deadlines'")
        ).scalar_one()
    assert sum(jobs("sweep_deadlines").values()) == ticks  # one sweep per minute, not one per worker


DIE_AFTER_COMMIT = """
import os, signal
from resolution_app.services.cases import deadlines
expire = deadlines.expire_case
def expire_then_die(case_id):
    expire(case_id)
    os.kill(os.getpid(), signal.SIGKILL)  # committed, but the job is never marked done
deadlines.expire_case = expire_then_die
from resolution_app.jobs.worker import main; main()
"""

DIE_BEFORE_COMMIT = """
import os, signal
from resolution_app.services.cases import deadlines
def die_inside_the_transaction(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
deadlines.perform = die_inside_the_transaction
from resolution_app.jobs.worker import main; main()
"""


@pytest.mark.parametrize("script", [DIE_AFTER_COMMIT, DIE_BEFORE_COMMIT], ids=["after-commit", "before-commit"])
def test_a_worker_killed_in_the_middle_of_a_job_has_it_retried_without_a_double_effect(world, worker_process, script):
    due = _due_now()
    killed = worker_process(script)
    wait_for(lambda: killed.poll() is not None, "the worker died in its first expiry", [])
    with transaction() as session:
        stalled = (
            session.execute(
                text("SELECT id FROM procrastinate_jobs WHERE status = 'doing' AND task_name = 'expire_case'")
            )
            .scalars()
            .all()
        )
        assert stalled  # the one it died in, and any it had started beside it (an email delivery it had started
        # is aborted instead: the expiry queued another, tests/jobs/test_notification_jobs.py)
        # Time passes: the dead worker's heartbeat grows old, as it would in the 30 s a live worker waits.
        session.execute(text("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '5 minutes'"))
    clock.unfreeze()  # the survivor runs on the real clock, as the dead worker did
    defer("retry_stalled_jobs", timestamp=0)
    run_jobs_until_idle()
    assert [expiry_events(case_id) for case_id in due] == [1] * len(due)
    with transaction() as session:
        retried = session.execute(
            text("SELECT status::text, attempts FROM procrastinate_jobs WHERE id = ANY(:ids)"), {"ids": stalled}
        ).all()
    assert retried == [("succeeded", 2)] * len(stalled)  # the killed attempt, then the retry
