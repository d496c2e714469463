"""The buyer's history on a case page (issue 15, part 6): the "Frequent claimant" threshold, the window, the words."""

from datetime import UTC, datetime, timedelta

import pytest

from resolution_app.domain.buyer_history import (
    BUYER_WON_OUTCOMES,
    ClaimCounts,
    frequent_claimant_note,
    history_since,
    history_summary,
    is_frequent_claimant,
)
from resolution_app.domain.enums import Outcome
from resolution_app.domain.policy import DEFAULT_POLICY, Policy

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("opened", "frequent"), [(0, False), (1, False), (4, False), (5, True), (6, True), (40, True)])
def test_a_buyer_is_a_frequent_claimant_from_the_policy_s_number_of_claims_on(opened: int, frequent: bool) -> None:
    assert DEFAULT_POLICY.frequent_claimant_claims == 5
    assert is_frequent_claimant(opened) is frequent


def test_the_threshold_follows_the_policy() -> None:
    stricter = Policy(frequent_claimant_claims=2)
    assert not is_frequent_claimant(1, stricter)
    assert is_frequent_claimant(2, stricter)
    assert not is_frequent_claimant(2)


def test_the_window_is_the_last_12_months_unless_the_policy_says_otherwise() -> None:
    assert history_since(NOW) == NOW - timedelta(days=365)
    assert history_since(NOW, Policy(claim_history_window=timedelta(days=90))) == NOW - timedelta(days=90)


def test_the_buyer_won_when_money_came_back_to_them_whole_or_in_part() -> None:
    assert {Outcome.REFUND, Outcome.CREDIT, Outcome.PARTIAL_REFUND} == BUYER_WON_OUTCOMES


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        (ClaimCounts(0, 0, 0), "No claims in the last 12 months across the platform."),
        (ClaimCounts(1, 0, 0), "1 claim in the last 12 months across the platform: 0 won by the buyer, 0 withdrawn."),
        (ClaimCounts(5, 3, 1), "5 claims in the last 12 months across the platform: 3 won by the buyer, 1 withdrawn."),
        (
            ClaimCounts(1200, 1000, 100),
            "1,200 claims in the last 12 months across the platform: 1,000 won by the buyer, 100 withdrawn.",
        ),
    ],
)
def test_the_history_reads_as_counts_only(counts: ClaimCounts, line: str) -> None:
    assert history_summary(counts) == line


def test_the_words_follow_the_policy_s_window_and_threshold() -> None:
    policy = Policy(claim_history_window=timedelta(days=90), frequent_claimant_claims=3)
    assert history_summary(ClaimCounts(3, 1, 0), policy).startswith("3 claims in the last 90 days across the platform")
    assert frequent_claimant_note(policy) == "3 or more claims in the last 90 days across the platform."
    assert frequent_claimant_note() == "5 or more claims in the last 12 months across the platform."
    two_years = Policy(claim_history_window=timedelta(days=730))
    assert frequent_claimant_note(two_years) == "5 or more claims in the last 24 months across the platform."
