"""The API's rate limit: requests per key per minute, counted in the database so that it holds across workers."""

import math
from datetime import datetime, timedelta

from sqlalchemy import delete

from resolution_app.domain.errors import RateLimited
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import ApiRequestCount

# Counts one request in the key's minute and answers how many that minute has seen, whichever worker takes it.
# A CTE, so that the key check can count in the same statement (api_keys.authenticate).
COUNT_CTE = """
    counted AS (
        INSERT INTO api_request_count (api_key_id, window_start, requests)
        SELECT id, :window, 1 FROM caller
        ON CONFLICT (api_key_id, window_start) DO UPDATE SET requests = api_request_count.requests + 1
        RETURNING requests
    )
"""


def window_of(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def check(seen: int, now: datetime) -> None:
    """RateLimited, with the seconds to wait, once the minute's allowance is used."""
    limit = DEFAULT_POLICY.api_requests_per_minute
    if seen > limit:
        wait = max(1, math.ceil(60 - (now - window_of(now)).total_seconds()))
        raise RateLimited(f"This key may make {limit} requests a minute. Try again in {wait} s.", retry_after=wait)


def forget_past_windows() -> int:
    """Counts of windows long gone (a maintenance job)."""
    with read() as session:
        old = clock.now() - timedelta(hours=1)
        return session.execute(delete(ApiRequestCount).where(ApiRequestCount.window_start < old)).rowcount
