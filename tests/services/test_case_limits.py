"""What one case may hold: 30 files in all, and 20 chat messages per party in 10 minutes (DEFAULT_POLICY)."""

import threading
from datetime import timedelta

import pytest
from sqlmodel import func, select

from resolution_app.domain.enums import CaseStatus, Party, PaymentMethod
from resolution_app.domain.errors import DomainError, InvalidInput
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.db import transaction
from resolution_app.models import Attachment, Message
from resolution_app.services.cases import case_actions, claims
from tests.services.factories import DESCRIPTION, png

B, C = Party.BUYER, Party.CREATOR
FILE_LIMIT, MESSAGE_LIMIT = DEFAULT_POLICY.max_files_per_case, DEFAULT_POLICY.max_messages_per_party
FULL = f"A case holds at most {FILE_LIMIT} files; no more can be added."


def _open_with_files(world, frozen_clock, files_on_case: int) -> int:
    """A case holding `files_on_case` files (at least the claim's 3), sent a minute apart, three at a time."""
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [png()] * 3)
    for start in range(3, files_on_case, 3):
        frozen_clock.advance(timedelta(minutes=1))
        case_actions.send_message(world.buyer, case_id, B, "", [png()] * min(3, files_on_case - start))
    assert _count(Attachment, case_id) == files_on_case
    return case_id


def _count(model, case_id: int) -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(model).where(model.case_id == case_id)).one()


def _stored_objects(store) -> int:
    return sum(1 for path in store.root.rglob("*") if path.is_file())


def _at_once(attempts: list) -> list[str]:
    """Run the attempts in parallel threads; each one's outcome: "ok" or the refusal's message."""
    outcomes: list[str] = [""] * len(attempts)
    start = threading.Barrier(len(attempts))

    def run(index: int) -> None:
        start.wait()
        try:
            attempts[index]()
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = error.message

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_31st_file_is_refused_in_a_message_and_in_a_reply_and_nothing_of_it_is_kept(world, store, frozen_clock):
    case_id = _open_with_files(world, frozen_clock, FILE_LIMIT)
    stored = _stored_objects(store)
    with pytest.raises(InvalidInput, match=FULL):
        case_actions.send_message(world.buyer, case_id, B, "One more", [png()])
    version = world.case(case_id).version
    case_actions.act(world.creator, case_id, C, "request_more_info", expected_version=version, text="Which page?")
    version = world.case(case_id).version
    with pytest.raises(InvalidInput, match=FULL):
        case_actions.act(world.buyer, case_id, B, "reply", expected_version=version, text="This", uploads=[png()])
    assert world.case(case_id).status == CaseStatus.CUSTOMER_INFO_NEEDED
    assert (_count(Attachment, case_id), _stored_objects(store)) == (FILE_LIMIT, stored)
    case_actions.send_message(world.buyer, case_id, B, "Words still go through.")  # only files are full


def test_near_the_limit_the_refusal_says_how_many_still_fit(world, store, frozen_clock):
    case_id = _open_with_files(world, frozen_clock, FILE_LIMIT - 2)
    with pytest.raises(InvalidInput, match="only 2 more can be added"):
        case_actions.send_message(world.buyer, case_id, B, "", [png()] * 3)
    case_actions.send_message(world.buyer, case_id, B, "", [png()] * 2)
    assert _count(Attachment, case_id) == FILE_LIMIT


def test_two_submissions_at_once_that_together_overfill_the_case_let_one_through(world, store, frozen_clock):
    case_id = _open_with_files(world, frozen_clock, FILE_LIMIT - 3)
    outcomes = _at_once(
        [lambda: case_actions.send_message(world.buyer, case_id, B, "", [png()] * 2)]
        + [lambda: case_actions.send_message(world.creator, case_id, C, "", [png()] * 2)]
    )
    assert sorted(outcomes) == [f"A case holds at most {FILE_LIMIT} files; only 1 more can be added.", "ok"]
    assert _count(Attachment, case_id) == FILE_LIMIT - 1


def test_a_21st_message_in_10_minutes_is_refused_for_that_party_only(world, store, frozen_clock):
    case_id = _open_with_files(world, frozen_clock, 3)
    for number in range(MESSAGE_LIMIT):
        case_actions.send_message(world.buyer, case_id, B, f"Message {number}")
    with pytest.raises(InvalidInput, match="You have sent 20 messages on this case in the last 10 minutes"):
        case_actions.send_message(world.buyer, case_id, B, "One too many")
    case_actions.send_message(world.creator, case_id, C, "The creator may still answer.")
    frozen_clock.advance(DEFAULT_POLICY.message_window)
    case_actions.send_message(world.buyer, case_id, B, "Ten minutes later it goes through.")
    assert _count(Message, case_id) == MESSAGE_LIMIT + 2


def test_parallel_messages_count_one_by_one(world, store, frozen_clock):
    case_id = _open_with_files(world, frozen_clock, 3)
    outcomes = _at_once([lambda: case_actions.send_message(world.buyer, case_id, B, "Hello?")] * (MESSAGE_LIMIT + 5))
    assert outcomes.count("ok") == MESSAGE_LIMIT
    assert _count(Message, case_id) == MESSAGE_LIMIT
