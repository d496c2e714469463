"""Reviewers' internal notes (issue 10, DESIGN §4): any reviewer may write one on any case, claimed or not; the
reviewer's case file lists them with their authors; they are 1 to 5,000 characters; and they never reach a buyer or
a creator: not their case page, customer card, CSV export or any notification.
"""

import dataclasses
from datetime import timedelta

import pytest
from sqlmodel import select

from resolution_app.domain.enums import CaseStatus, PaymentMethod
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.db import transaction
from resolution_app.models import Notification, ReviewNote
from resolution_app.services.cases import case_actions, case_views
from resolution_app.services.creator.creator_cases import CaseFilter
from resolution_app.services.creator.customer_context import customer_context
from resolution_app.services.creator.exports import export_cases_csv
from resolution_app.services.review.case_file import review_case_file
from resolution_app.services.review.notes import add_note
from tests.services.review.flows import B, C, R, act, claimed, decide_appeal, escalated, event_kinds, opened, rows_of

SECRET = "INTERNAL-7f3a: this creator has three open chargebacks; check the refund history before deciding."


def _notes(user, case_id: int) -> list[tuple[str, object, str]]:
    return [(note.author, note.at, note.body) for note in review_case_file(user, case_id).notes]


def _as_text(value) -> str:
    """Everything a dataclass view holds, as one text to search."""
    return repr(dataclasses.asdict(value)) + repr(value)


def _noted_and_moved_on(world, frozen_clock) -> int:
    """A case with a note at every stage, then decided, appealed and decided again: every kind of page, line and
    notification the parties get, with the note there all along."""
    case_id = claimed(world)
    add_note(world.reviewer, case_id, SECRET)
    act(world, world.reviewer, case_id, R, "request_merchant_info", "Send the access logs, please.")
    act(world, world.creator, case_id, C, "reply", "Attached in the chat.")
    case_actions.send_message(world.buyer, case_id, B, "The logs don't show modules 4 to 6.")
    act(world, world.reviewer, case_id, R, "decide_refund", "The logs show the modules were empty.")
    add_note(world.reviewer2, case_id, SECRET + " (second look)")
    frozen_clock.advance(timedelta(days=1))
    act(world, world.creator, case_id, C, "appeal", "The modules were filled the next day.")
    decide_appeal(world, case_id, "decide_merchant_wins")
    add_note(world.reviewer, case_id, SECRET + " (after the final decision)")
    return case_id


def test_any_reviewer_notes_a_case_claimed_or_not_and_the_case_file_lists_them_with_their_authors(
    world, store, frozen_clock
):
    case_id = claimed(world)  # by the first reviewer
    add_note(world.reviewer2, case_id, "  Same buyer as case 12?  ")
    first_at = frozen_clock.now()
    frozen_clock.advance(timedelta(minutes=5))
    add_note(world.reviewer, case_id, "No: another card.")
    expected = [
        ("Sam Second-Reviewer", first_at, "Same buyer as case 12?"),
        ("Riley Reviewer", frozen_clock.now(), "No: another card."),
    ]
    assert _notes(world.reviewer, case_id) == _notes(world.reviewer2, case_id) == expected
    unclaimed = escalated(world, PaymentMethod.PAYPAL, 4900)
    add_note(world.reviewer2, unclaimed, "Nobody has this one yet.")
    assert [body for _, _, body in _notes(world.reviewer, unclaimed)] == ["Nobody has this one yet."]


def test_a_note_may_be_written_on_a_case_not_under_review(world, store):
    case_id = opened(world)  # waiting on the creator
    add_note(world.reviewer, case_id, "Watch this one.")
    assert [body for _, _, body in _notes(world.reviewer, case_id)] == ["Watch this one."]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write a message"),
        (" \n\t ", "Write a message"),
        ("n" * (DEFAULT_POLICY.message_max_chars + 1), "at most 5,000 characters"),
    ],
)
def test_an_empty_or_overlong_note_is_refused_and_nothing_is_stored(world, store, body, message):
    case_id = claimed(world)
    with pytest.raises(InvalidInput, match=message):
        add_note(world.reviewer, case_id, body)
    assert rows_of(ReviewNote, case_id) == []


def test_a_note_of_5000_characters_is_kept_whole(world, store):
    case_id = claimed(world)
    body = "n" * DEFAULT_POLICY.message_max_chars
    add_note(world.reviewer, case_id, body)
    assert [note.body for note in review_case_file(world.reviewer, case_id).notes] == [body]


def test_a_note_is_not_a_move_on_the_case(world, store):
    case_id = claimed(world)
    before, kinds = world.case(case_id), event_kinds(case_id)
    add_note(world.reviewer2, case_id, SECRET)
    after = world.case(case_id)
    assert (after.version, after.status, after.updated_at, after.claimed_at) == (
        before.version,
        before.status,
        before.updated_at,
        before.claimed_at,
    )
    assert event_kinds(case_id) == kinds
    assert after.status == CaseStatus.UNDER_PLATFORM_REVIEW


def test_notes_never_reach_the_buyers_or_creators_case_page(world, store, frozen_clock):
    case_id = _noted_and_moved_on(world, frozen_clock)
    assert len(review_case_file(world.reviewer, case_id).notes) == 3  # the reviewers do read them
    for user, party in ((world.buyer, B), (world.creator, C)):
        page = _as_text(case_views.case_detail(user, case_id, party))
        assert "INTERNAL-7f3a" not in page
        assert "The logs show the modules were empty." in page  # while the rationale is theirs to read
    assert "INTERNAL-7f3a" not in _as_text(customer_context(world.creator, case_id, C))
    assert "INTERNAL-7f3a" not in repr(case_views.buyer_cases(world.buyer))


def test_notes_never_reach_the_creators_csv_export(world, store, frozen_clock):
    case_id = _noted_and_moved_on(world, frozen_clock)
    exported = "".join(export_cases_csv(world.creator, CaseFilter()))
    assert f"\r\n{case_id}," in exported  # the case is in it
    assert "INTERNAL-7f3a" not in exported


def test_notes_never_reach_a_notification(world, store, frozen_clock):
    case_id = _noted_and_moved_on(world, frozen_clock)
    with transaction() as session:
        sent = list(session.exec(select(Notification)))
    assert [n for n in sent if n.case_id == case_id]  # both sides heard about every step
    for notification in sent:
        fields = {name: getattr(notification, name) for name in Notification.model_fields}
        assert "INTERNAL-7f3a" not in repr(fields)
