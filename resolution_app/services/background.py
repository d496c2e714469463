"""Loops that run beside the web app, one per worker: each pass is safe to run concurrently."""

import asyncio
import logging

from resolution_app.services import deadlines

log = logging.getLogger(__name__)
SWEEP_EVERY_SECONDS = 60


async def deadline_loop() -> None:
    """Move on every case whose deadline has passed (the lifecycle's EXPIRE)."""
    while True:
        try:
            moved = await asyncio.to_thread(deadlines.sweep)
            if moved:
                log.info("Deadline sweep moved %d case(s).", moved)
        except Exception:  # noqa: BLE001 - a failed pass is retried on the next one
            log.exception("Deadline sweep failed")
        await asyncio.sleep(SWEEP_EVERY_SECONDS)
