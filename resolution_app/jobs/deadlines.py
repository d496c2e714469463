"""Deadlines move cases on by themselves: a sweep every minute, then one job per due case."""

import asyncio

from procrastinate.exceptions import AlreadyEnqueued

from resolution_app.infra.clock import clock
from resolution_app.infra.job_queue import MUST_HAPPEN, queue
from resolution_app.services.cases import deadlines


@queue.task(name="expire_case", retry=MUST_HAPPEN)
def expire_case(case_id: int) -> None:
    """Idempotent: a case that is no longer due (or was expired by an earlier try) is left as it is."""
    deadlines.expire_case(case_id)


@queue.periodic(cron="* * * * *")
@queue.task(name="sweep_deadlines", queueing_lock="sweep_deadlines")
async def sweep_deadlines(timestamp: int) -> int:
    """Defer an expiry for every due case; a case already waiting for its expiry is not queued twice."""
    due = await asyncio.to_thread(deadlines.due_case_ids, clock.now())
    queued = 0
    for case_id in due:
        try:
            await expire_case.configure(queueing_lock=f"expire_case:{case_id}").defer_async(case_id=case_id)
            queued += 1
        except AlreadyEnqueued:
            pass
    return queued
