"""A claim racing the move that takes the case out of review (issue 10: "exactly one change wins").

A reviewer's Claim reads the case, sees it under review, then assigns it with one conditional UPDATE. If the buyer
withdraws in between, the claim must not land on the now final case: it may go first, or be refused, never after.
The test holds the claim between its read and its write (by pausing the case look-up it makes), so the interleaving
happens every time rather than by luck.
"""

import threading

from resolution_app.domain.enums import CaseStatus
from resolution_app.domain.errors import DomainError
from resolution_app.services.review import claims as review_claims
from tests.services.review.flows import B, act, escalated, event_kinds


def test_a_claim_racing_the_buyers_withdrawal_never_lands_on_the_withdrawn_case(world, store, monkeypatch):
    case_id = escalated(world)
    looked_up, go_on, outcome = threading.Event(), threading.Event(), []
    real_lookup = review_claims.require_case

    def lookup_then_wait(*args, **kwargs):
        case = real_lookup(*args, **kwargs)
        looked_up.set()
        go_on.wait(10)
        return case

    def claim() -> None:
        try:
            review_claims.claim(world.reviewer, case_id)
            outcome.append("ok")
        except DomainError as error:
            outcome.append(type(error).__name__)

    monkeypatch.setattr(review_claims, "require_case", lookup_then_wait)
    claiming = threading.Thread(target=claim)
    claiming.start()
    assert looked_up.wait(10)  # the claim has seen the case under review ...
    withdrawing = threading.Thread(target=lambda: act(world, world.buyer, case_id, B, "withdraw"))
    withdrawing.start()  # ... and the buyer withdraws before it writes
    withdrawing.join(2)  # (a claim that locks the case holds the withdrawal back: then the claim goes first)
    go_on.set()
    claiming.join()
    withdrawing.join()
    kinds = event_kinds(case_id)
    assert world.case(case_id).status == CaseStatus.CUSTOMER_WITHDREW
    assert "claimed" not in kinds[kinds.index("withdraw") :]  # a final case never changes again
    if "claimed" in kinds:
        assert outcome == ["ok"]
    else:
        assert len(outcome) == 1 and outcome != ["ok"]  # refused, and told so
        assert world.case(case_id).assigned_reviewer_id is None
