"""Property-based tests of the case lifecycle: whatever the parties do, and whenever, the case stays sane.

A hypothesis state machine plays random sequences of moves (any party, any allowed action, the deadline sweep)
interleaved with random jumps of the clock, and checks after every step that:
- no impossible state is reached (see `assert_consistent`);
- the buyer is paid at most once, and `paid_out` says exactly whether they were (and `paid_partial` whether it was
  a partial refund);
- a partial-refund offer is on the table only while the case waits on a side, and only the other side answers it;
- the one appeal is used at most once, and only against a platform decision;
- a final case never changes again (only the sweep may record that its decision stands);
- every action `allowed_actions` lists applies without error, and every other one raises ActionNotAllowed.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from resolution_app.domain.enums import CLOSED_STATUSES, CaseAction, CaseStatus, Outcome, Party
from resolution_app.domain.errors import ActionNotAllowed
from resolution_app.domain.lifecycle import CaseState, Transition, allowed_actions, apply, is_final, open_case

S = CaseStatus
A = CaseAction
START = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
WAITING_STATUSES = frozenset(
    {S.MERCHANT_RESPONSE_NEEDED, S.CUSTOMER_INFO_NEEDED, S.CUSTOMER_RESPONSE_NEEDED, S.MERCHANT_INFO_NEEDED}
)
OUTCOMES_BY_STATUS = {
    S.CUSTOMER_WON: {Outcome.REFUND, Outcome.CREDIT},
    S.MERCHANT_WON: {Outcome.MERCHANT_WINS},
    S.CUSTOMER_WITHDREW: {Outcome.WITHDRAWN},
    S.PARTIALLY_REFUNDED: {Outcome.PARTIAL_REFUND},
}
EARLY_ENDINGS = frozenset({A.WITHDRAW, A.ACCEPT, A.AUTO_REFUND, A.ACCEPT_OFFER})
DECIDED = (S.CUSTOMER_WON, S.MERCHANT_WON, S.PARTIALLY_REFUNDED)
EVERY_MOVE = [(party, action) for party in Party for action in CaseAction]

# Clock jumps around every interesting boundary (a deadline's last second, the deadline itself), and anything else.
_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)
time_steps = st.one_of(
    st.sampled_from([timedelta(0), _SECOND, _DAY, 2 * _DAY, 7 * _DAY - _SECOND, 7 * _DAY, 8 * _DAY]),
    st.integers(min_value=0, max_value=10 * 24 * 3600).map(lambda seconds: timedelta(seconds=seconds)),
)


def assert_consistent(state: CaseState) -> None:
    """No combination of fields that the design makes impossible."""
    closed = state.status in CLOSED_STATUSES
    if closed:
        assert state.info_requested_by is None
        assert state.outcome in OUTCOMES_BY_STATUS[state.status]
        if not state.decided_by_reviewer:
            assert state.due_at is None  # only a platform decision opens an appeal window
        if state.appealed and state.decided_by_reviewer:
            assert state.due_at is None  # the decision on appeal is final
    else:
        assert state.outcome is None
        assert not state.decided_by_reviewer
        assert state.due_at is not None
    if state.status in WAITING_STATUSES:
        assert state.due_at is not None
    if state.status == S.CUSTOMER_INFO_NEEDED:
        assert state.info_requested_by in (Party.CREATOR, Party.REVIEWER)
    elif state.status == S.MERCHANT_INFO_NEEDED:
        assert state.info_requested_by == Party.REVIEWER
    elif not closed:
        assert state.info_requested_by is None
    if state.status == S.CUSTOMER_WON:
        assert state.paid_out and not state.paid_partial
    if state.status == S.PARTIALLY_REFUNDED:
        assert state.paid_out and state.paid_partial and state.creator_paid
    if state.paid_partial:
        assert state.paid_out and state.creator_paid
    if state.offer_by is not None:
        assert state.status in WAITING_STATUSES and state.offer_by in (Party.BUYER, Party.CREATOR)
    if state.appealed and state.status == S.MERCHANT_RESPONSE_NEEDED:
        pytest.fail("an appealed case went back to the creator")


class CaseLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.state = open_case(START)
        self.history: list[Transition] = []
        self.final_state: CaseState | None = None  # the case as it was when it became final

    # --- moves ---

    @rule(step=time_steps)
    def time_passes(self, step: timedelta) -> None:
        self.now += step

    @precondition(lambda self: self._moves())
    @rule(data=st.data())
    def someone_acts(self, data: st.DataObject) -> None:
        moves = self._moves()
        # Moves that end a case early are picked rarely, or the machine would seldom reach reviews and appeals.
        longer = [move for move in moves if move[1] not in EARLY_ENDINGS]
        if longer and data.draw(st.integers(min_value=0, max_value=7), label="end early?") != 0:
            moves = longer
        party, action = data.draw(st.sampled_from(moves), label="move")
        self._apply(party, action)

    @rule(party=st.sampled_from(Party), action=st.sampled_from(CaseAction))
    def someone_tries_anything(self, party: Party, action: CaseAction) -> None:
        if action in allowed_actions(self.state, party, self.now):
            self._apply(party, action)
        else:
            before = self.state
            with pytest.raises(ActionNotAllowed):
                apply(self.state, party, action, self.now)
            assert self.state == before

    def _moves(self) -> list[tuple[Party, CaseAction]]:
        return [(party, action) for party in Party for action in allowed_actions(self.state, party, self.now)]

    def _apply(self, party: Party, action: CaseAction) -> None:
        was_final = is_final(self.state, self.now)
        transition = apply(self.state, party, action, self.now)
        assert transition.before == self.state
        assert (transition.party, transition.action) == (party, action)
        after = transition.after
        if after.due_at is not None and after.due_at != self.state.due_at:
            assert after.due_at > self.now, "a new deadline must lie in the future"
        if was_final:
            # Only the sweep may touch a final case, and only to record that the decision stands.
            assert (party, action) == (Party.SYSTEM, A.EXPIRE)
            assert after == replace(self.state, due_at=None)
        self.history.append(transition)
        self.state = after

    # --- what must hold after every step ---

    @invariant()
    def state_is_consistent(self) -> None:
        assert_consistent(self.state)

    @invariant()
    def the_buyer_is_paid_at_most_once(self) -> None:
        payments = [t.pay_out for t in self.history if t.pay_out is not None]
        assert len(payments) <= 1
        assert self.state.paid_out == bool(payments)
        for transition in self.history:
            if transition.pay_out is not None:
                assert transition.pay_out in (Outcome.REFUND, Outcome.CREDIT, Outcome.PARTIAL_REFUND)
                assert transition.pay_out == transition.after.outcome
                assert not transition.before.paid_out

    @invariant()
    def at_most_one_appeal_and_only_against_a_decision(self) -> None:
        appeals = [t for t in self.history if t.action == A.APPEAL]
        assert len(appeals) <= 1
        assert self.state.appealed == bool(appeals)
        for appeal in appeals:
            assert appeal.before.decided_by_reviewer
            assert appeal.before.status in DECIDED
            loser = Party.BUYER if appeal.before.status == S.MERCHANT_WON else Party.CREATOR
            assert appeal.party == loser
            assert appeal.party in (Party.BUYER, Party.CREATOR)

    @invariant()
    def only_the_other_side_answers_an_offer(self) -> None:
        for party in Party:
            answers = {A.ACCEPT_OFFER, A.DECLINE_OFFER} & set(allowed_actions(self.state, party, self.now))
            if answers:
                assert self.state.offer_by not in (None, party)

    @invariant()
    def a_final_case_never_changes(self) -> None:
        if self.final_state is not None:
            assert self.state.status == self.final_state.status
            assert self.state.outcome == self.final_state.outcome
            assert self.state.paid_out == self.final_state.paid_out
            assert self.state.appealed == self.final_state.appealed
            assert is_final(self.state, self.now)
        elif is_final(self.state, self.now):
            self.final_state = self.state

    @invariant()
    def a_final_case_offers_nothing_but_the_sweep(self) -> None:
        if not is_final(self.state, self.now):
            return
        for party in (Party.BUYER, Party.CREATOR, Party.REVIEWER):
            assert allowed_actions(self.state, party, self.now) == []
        assert allowed_actions(self.state, Party.SYSTEM, self.now) in ([], [A.EXPIRE])

    @invariant()
    def allowed_means_applicable_and_the_rest_raises(self) -> None:
        for party, action in EVERY_MOVE:
            if action in allowed_actions(self.state, party, self.now):
                assert_consistent(apply(self.state, party, action, self.now).after)
            else:
                with pytest.raises(ActionNotAllowed):
                    apply(self.state, party, action, self.now)


CaseLifecycle.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
TestCaseLifecycle = CaseLifecycle.TestCase


# A plain sequence test as well: blind (party, action, clock step) triples, applied only when allowed.
moves = st.lists(
    st.tuples(st.sampled_from(Party), st.sampled_from(CaseAction), time_steps),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(moves)
def test_blind_sequences_never_break_the_rules(sequence: list[tuple[Party, CaseAction, timedelta]]) -> None:
    now, state, payouts, appeals = START, open_case(START), 0, 0
    for party, action, step in sequence:
        now += step
        if action not in allowed_actions(state, party, now):
            with pytest.raises(ActionNotAllowed):
                apply(state, party, action, now)
            continue
        final_before = is_final(state, now)
        transition = apply(state, party, action, now)
        if final_before:
            assert transition.after.status == state.status
            assert transition.after.outcome == state.outcome
        payouts += transition.pay_out is not None
        appeals += action == A.APPEAL
        state = transition.after
        assert_consistent(state)
        assert payouts <= 1
        assert appeals <= 1
        assert state.paid_out == (payouts == 1)
