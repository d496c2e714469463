"""The API's rate limit: requests per key per minute, counted in the database so that it holds across workers."""

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, text
from sqlmodel import Session

from resolution_app.domain.errors import RateLimited
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import ApiRequestCount

# One statement counts the request and answers how many this window has seen, whichever worker takes it.
_COUNT = text(
    """
    INSERT INTO api_request_count (api_key_id, window_start, requests) VALUES (:key, :window, 1)
    ON CONFLICT (api_key_id, window_start) DO UPDATE SET requests = api_request_count.requests + 1
    RETURNING requests
    """
)


def count_request(session: Session, key_id: int, now: datetime) -> None:
    """Count one request of the key; RateLimited, with the seconds to wait, once the minute's allowance is used."""
    window = now.replace(second=0, microsecond=0)
    seen = session.execute(_COUNT, {"key": key_id, "window": window}).scalar_one()
    limit = DEFAULT_POLICY.api_requests_per_minute
    if seen > limit:
        wait = max(1, math.ceil(60 - (now - window).total_seconds()))
        raise RateLimited(f"This key may make {limit} requests a minute. Try again in {wait} s.", retry_after=wait)


def forget_past_windows() -> int:
    """Counts of windows long gone (a maintenance job)."""
    with read() as session:
        old = clock.now() - timedelta(hours=1)
        return session.execute(delete(ApiRequestCount).where(ApiRequestCount.window_start < old)).rowcount
