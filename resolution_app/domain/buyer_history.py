"""A buyer's claims across the whole platform, as the creator's and the reviewer's case pages show them.

Counts only: how many claims the buyer opened within the policy's window, how many they won and how many they
withdrew, never whose cases they were. A buyer who reaches the policy's threshold is marked "Frequent claimant".
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from resolution_app.domain.enums import Outcome
from resolution_app.domain.policy import DEFAULT_POLICY, Policy

FREQUENT_CLAIMANT = "Frequent claimant"
# The buyer won: the money came back to them, whole (a refund or a platform credit) or in part.
BUYER_WON_OUTCOMES = frozenset({Outcome.REFUND, Outcome.CREDIT, Outcome.PARTIAL_REFUND})


@dataclass(frozen=True)
class ClaimCounts:
    opened: int
    won: int
    withdrawn: int


def history_since(now: datetime, policy: Policy = DEFAULT_POLICY) -> datetime:
    """The first moment of the window: claims opened at or after it count."""
    return now - policy.claim_history_window


def is_frequent_claimant(claims_opened: int, policy: Policy = DEFAULT_POLICY) -> bool:
    """The buyer opened at least the policy's number of claims within the window."""
    return claims_opened >= policy.frequent_claimant_claims


def history_summary(counts: ClaimCounts, policy: Policy = DEFAULT_POLICY) -> str:
    """One line for people, e.g. "5 claims in the last 12 months across the platform: 3 won by the buyer, 1
    withdrawn." """
    window = f"in the last {_window_words(policy.claim_history_window)} across the platform"
    if counts.opened == 0:
        return f"No claims {window}."
    claims = "1 claim" if counts.opened == 1 else f"{counts.opened:,} claims"
    return f"{claims} {window}: {counts.won:,} won by the buyer, {counts.withdrawn:,} withdrawn."


def frequent_claimant_note(policy: Policy = DEFAULT_POLICY) -> str:
    """What the mark means, beside it (the mark is words, not only a colour)."""
    window = _window_words(policy.claim_history_window)
    return f"{policy.frequent_claimant_claims} or more claims in the last {window} across the platform."


def _window_words(window: timedelta) -> str:
    """365 days read as "12 months"; any other window in days."""
    if window.days and window.days % 365 == 0 and window == timedelta(days=window.days):
        return f"{12 * window.days // 365} months"
    return "day" if window == timedelta(days=1) else f"{window.days} days"
