"""Who works a case under platform review: the reviewer who claimed it, until they release it or leave it idle."""

from datetime import datetime

from resolution_app.domain.policy import DEFAULT_POLICY, Policy


def claim_lapsed(claimed_at: datetime | None, now: datetime, policy: Policy = DEFAULT_POLICY) -> bool:
    """A claim whose reviewer made no move for longer than the limit may be taken over by another reviewer."""
    return claimed_at is not None and now - claimed_at > policy.review_claim_idle_limit
