"""The API's rate limit: requests per key per minute, counted in the database so that it holds across workers."""

import math
from datetime import datetime, timedelta

from sqlalchemy import CTE, bindparam, delete, literal, select
from sqlalchemy.dialects.postgresql import insert

from resolution_app.domain.errors import RateLimited
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import ApiRequestCount
from resolution_app.models.base import UTCDateTime


def counted(caller: CTE) -> CTE:
    """Counts one request in the key's minute and answers how many that minute has seen, whichever worker takes it:
    a CTE on the `key_id` of the CTE `caller`, so that the key check counts in its own statement (api_keys)."""
    counting = insert(ApiRequestCount).from_select(
        ["api_key_id", "window_start", "requests"],
        select(caller.c.key_id, bindparam("window", type_=UTCDateTime), literal(1)),
    )
    return (
        counting.on_conflict_do_update(
            index_elements=["api_key_id", "window_start"], set_={"requests": ApiRequestCount.requests + 1}
        )
        .returning(ApiRequestCount.requests)
        .cte("counted")
    )


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
