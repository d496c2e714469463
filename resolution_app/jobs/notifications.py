"""Notification jobs: email delivery, woken by every transaction that queues an email and every minute for retries,
and the deadline reminders."""

import asyncio
from contextlib import suppress

from procrastinate.exceptions import AlreadyEnqueued

from resolution_app.infra.clock import clock
from resolution_app.infra.job_queue import queue
from resolution_app.services.notifications import delivery, reminders
from resolution_app.services.notifications.outbox import DELIVER_TASK


@queue.task(name=DELIVER_TASK, queueing_lock=DELIVER_TASK)
def deliver_emails() -> int:
    """Send what is due. Queued by the outbox in the transaction that wrote the emails; several may run at once."""
    return delivery.deliver_due().sent


@queue.periodic(cron="* * * * *")
@queue.task(name="wake_email_delivery", queueing_lock="wake_email_delivery")
async def wake_email_delivery(timestamp: int) -> None:
    """Every minute: emails whose retry time has come, and any whose worker died mid-send, go again."""
    with suppress(AlreadyEnqueued):  # a delivery is about to run anyway
        await deliver_emails.defer_async()


@queue.periodic(cron="* * * * *")
@queue.task(name="send_deadline_reminders", queueing_lock="send_deadline_reminders")
async def send_deadline_reminders(timestamp: int) -> int:
    """Remind each waiting party once, a day before their deadline."""
    return await asyncio.to_thread(reminders.send_due, clock.now())
