"""How long a failed log-in makes the next one wait: pure arithmetic on a count of failures."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from resolution_app.domain.policy import DEFAULT_POLICY, Policy


class ThrottleScope(StrEnum):
    ACCOUNT_AND_ADDRESS = "account_address"  # one address guessing one account's password
    ADDRESS = "address"  # one address trying many accounts


@dataclass(frozen=True)
class Throttle:
    scope: ThrottleScope
    key: str


def throttles_for(email: str, address: str) -> list[Throttle]:
    """What a log-in attempt counts against; without a known address, the account alone."""
    pair = Throttle(ThrottleScope.ACCOUNT_AND_ADDRESS, f"{email} from {address or 'unknown'}")
    return [pair, Throttle(ThrottleScope.ADDRESS, address)] if address else [pair]


def free_failures(scope: ThrottleScope, policy: Policy = DEFAULT_POLICY) -> int:
    if scope == ThrottleScope.ADDRESS:
        return policy.login_free_failures_per_address
    return policy.login_free_failures_per_account_and_address


def wait_after(scope: ThrottleScope, failures: int, policy: Policy = DEFAULT_POLICY) -> timedelta:
    """No wait for the free tries, then 2 s, 4 s, 8 s … up to the policy's cap."""
    beyond = failures - free_failures(scope, policy)
    if beyond < 0:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(beyond + 1, 20)), policy.login_max_wait)


def locked_until(scope: ThrottleScope, failures: int, last_failure_at: datetime, policy: Policy = DEFAULT_POLICY):
    """When the next attempt may come, or None when it may come now."""
    wait = wait_after(scope, failures, policy)
    return last_failure_at + wait if wait else None
