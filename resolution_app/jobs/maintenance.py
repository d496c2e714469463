"""Housekeeping: jobs of dead workers retried, old finished jobs removed; stale sessions, log-in counts and API
request records forgotten."""

from procrastinate.exceptions import UniqueViolation
from procrastinate.jobs import Status

from resolution_app.infra.job_queue import queue
from resolution_app.services import accounts
from resolution_app.services.developers import idempotency, rate_limit

# A worker sends a heartbeat every 10 s (procrastinate's default); one silent for this long has died.
DEAD_WORKER_SECONDS = 30
KEEP_FINISHED_HOURS = 24 * 7


@queue.periodic(cron="* * * * *")
@queue.task(name="retry_stalled_jobs", queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int) -> int:
    """A job left `doing` by a worker that died (killed, machine lost) runs again, on any live worker."""
    stalled = list(await queue.job_manager.get_stalled_jobs(seconds_since_heartbeat=DEAD_WORKER_SECONDS))
    for job in stalled:
        try:
            await queue.job_manager.retry_job(job)
        except UniqueViolation:  # the same work is queued again already (its queueing lock): that copy does it
            await queue.job_manager.finish_job(job, status=Status.ABORTED, delete_job=False)
    return len(stalled)


@queue.periodic(cron="17 4 * * *")
@queue.task(name="remove_old_jobs", queueing_lock="remove_old_jobs")
async def remove_old_jobs(timestamp: int) -> None:
    """Finished jobs are kept a week for inspection; failed ones stay until someone looks at them."""
    await queue.job_manager.delete_old_jobs(nb_hours=KEEP_FINISHED_HOURS)


@queue.periodic(cron="37 * * * *")
@queue.task(name="purge_stale_sign_ins", queueing_lock="purge_stale_sign_ins")
def purge_stale_sign_ins(timestamp: int) -> int:
    """Sessions past their absolute expiry and log-in counts after a quiet day (policy numbers)."""
    return accounts.purge_stale()


@queue.periodic(cron="47 * * * *")
@queue.task(name="forget_old_api_requests", queueing_lock="forget_old_api_requests")
def forget_old_api_requests(timestamp: int) -> int:
    """Idempotency keys after their day, and the rate limit's past minutes."""
    return idempotency.forget_old() + rate_limit.forget_past_windows()
