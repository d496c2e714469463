"""Webhook jobs: delivery, woken by every transaction that writes an event and every minute for retries."""

from contextlib import suppress

from procrastinate.exceptions import AlreadyEnqueued

from resolution_app.infra.job_queue import queue
from resolution_app.services.developers import webhook_delivery
from resolution_app.services.developers.webhook_events import DELIVER_TASK


@queue.task(name=DELIVER_TASK, queueing_lock=DELIVER_TASK)
def deliver_webhooks() -> int:
    """Send what is due. Queued in the transaction that wrote the events; several may run at once."""
    return webhook_delivery.deliver_due().delivered


@queue.periodic(cron="* * * * *")
@queue.task(name="wake_webhook_delivery", queueing_lock="wake_webhook_delivery")
async def wake_webhook_delivery(timestamp: int) -> None:
    """Every minute: deliveries whose retry time has come, and any whose worker died mid-send, go again."""
    with suppress(AlreadyEnqueued):  # a delivery is about to run anyway
        await deliver_webhooks.defer_async()
