"""Deadline reminders (issue 11): a day before the creator's response deadline, and before the buyer's info and
escalation deadlines, the waiting party hears once, in-app and by email (unless emails are off). Never earlier,
never once the deadline has passed, never after the case moved on, never twice, however many workers run."""

import threading
from datetime import timedelta

from sqlmodel import func, select

from resolution_app.domain.enums import CaseStatus, MemberRole, Party, PaymentMethod
from resolution_app.domain.notifications import REMINDER, reminder_text
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Notification, OutboundEmail
from resolution_app.services.cases import claims
from resolution_app.services.notifications import reminders
from resolution_app.services.notifications.preferences import set_emails_enabled
from tests.conftest import NOW
from tests.services.factories import DESCRIPTION
from tests.services.members import add_member, seeded_business_id
from tests.services.review.flows import B, C, R, act, claimed, escalated, opened

LEAD = DEFAULT_POLICY.deadline_reminder_lead
SECOND = timedelta(seconds=1)
TITLE = "Reminder: your deadline is less than a day away"


def _reminders(case_id: int) -> list[Notification]:
    with transaction() as session:
        query = select(Notification).where(Notification.case_id == case_id, Notification.kind == REMINDER)
        return list(session.exec(query.order_by(Notification.id)))


def _send_due_at(moment) -> int:
    clock.freeze(moment)
    return reminders.send_due(clock.now())


def _told(case_id: int) -> list[tuple]:
    return [(n.user_id, n.party, n.title, n.body, n.author) for n in _reminders(case_id)]


def test_the_creator_is_reminded_once_a_day_before_the_deadline(world):
    case_id = opened(world)
    due = world.case(case_id).due_at
    assert due == NOW + DEFAULT_POLICY.creator_response_time
    _send_due_at(due - LEAD - SECOND)
    assert _reminders(case_id) == []  # not earlier
    _send_due_at(due - LEAD)
    body = reminder_text(CaseStatus.MERCHANT_RESPONSE_NEEDED, None, due)
    assert body == (
        "Your answer is due by Nov 29, 2026 at 12:00 UTC. If it doesn't come by then, the case goes to the platform "
        "to decide."
    )
    assert _told(case_id) == [(world.creator.id, C, TITLE, body, "")]
    (reminder,) = _reminders(case_id)
    with transaction() as session:
        email = session.get(OutboundEmail, reminder.email_id)
    assert (email.kind, email.status, email.user_id) == ("single", "pending", world.creator.id)
    assert email.not_before == due - LEAD  # at once
    assert world.case(case_id).reminded_due_at == due
    assert reminders.send_due(clock.now()) == 0  # not twice
    _send_due_at(due - SECOND)
    assert len(_reminders(case_id)) == 1
    assert reminders.send_reminder(case_id, clock.now()) is False


def test_every_acting_member_of_the_business_is_reminded(world):
    manager = add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    add_member("viewer@example.com", MemberRole.VIEWER, seeded_business_id())
    case_id = opened(world)
    _send_due_at(world.case(case_id).due_at - LEAD + timedelta(hours=1))
    assert sorted(n.user_id for n in _reminders(case_id)) == sorted([world.creator.id, manager.id])


def test_no_reminder_once_the_deadline_has_passed(world):
    case_id = opened(world)
    due = world.case(case_id).due_at
    for moment in (due, due + timedelta(hours=1), due + timedelta(days=30)):
        _send_due_at(moment)
        assert reminders.send_reminder(case_id, clock.now()) is False
    assert _reminders(case_id) == []


def test_no_reminder_after_the_creator_answered_but_one_for_the_buyers_escalation_deadline(world):
    case_id = opened(world)
    creators_due = world.case(case_id).due_at
    clock.advance(timedelta(days=2))
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    buyers_due = world.case(case_id).due_at
    assert buyers_due == NOW + timedelta(days=2) + DEFAULT_POLICY.escalation_time
    _send_due_at(creators_due - LEAD + timedelta(hours=1))
    assert _reminders(case_id) == []  # the creator's deadline is gone with the answer
    _send_due_at(buyers_due - LEAD + timedelta(hours=1))
    body = reminder_text(CaseStatus.CUSTOMER_RESPONSE_NEEDED, None, buyers_due)
    assert body.startswith("You can escalate the case to the platform until Dec 1, 2026 at 12:00 UTC.")
    assert _told(case_id) == [(world.buyer.id, B, TITLE, body, "")]
    reminders.send_due(clock.now())
    assert len(_reminders(case_id)) == 1


def test_a_case_that_moved_on_after_it_was_listed_is_not_reminded(world):
    case_id = opened(world)
    clock.freeze(world.case(case_id).due_at - timedelta(hours=2))
    assert case_id in reminders.due_case_ids(clock.now())  # a worker lists it, then the creator answers
    act(world, world.creator, case_id, C, "accept")
    assert reminders.send_reminder(case_id, clock.now()) is False
    assert _reminders(case_id) == []


def test_each_new_deadline_gets_its_own_reminder(world):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "request_more_info", "Which module is missing?")
    info_due = world.case(case_id).due_at
    _send_due_at(info_due - timedelta(hours=23))
    info_text = reminder_text(CaseStatus.CUSTOMER_INFO_NEEDED, Party.CREATOR, info_due)
    assert info_text.endswith("If it doesn't come by then, the case closes in the creator's favour.")
    assert _told(case_id) == [(world.buyer.id, B, TITLE, info_text, "")]

    clock.advance(timedelta(hours=1))
    act(world, world.buyer, case_id, B, "reply", "Modules 4 to 6.")
    creators_due = world.case(case_id).due_at
    assert creators_due == clock.now() + DEFAULT_POLICY.creator_response_time
    assert reminders.send_due(clock.now()) == 0  # the new deadline is a week away
    _send_due_at(creators_due - timedelta(hours=12))
    creator_text = reminder_text(CaseStatus.MERCHANT_RESPONSE_NEEDED, None, creators_due)
    assert _told(case_id) == [
        (world.buyer.id, B, TITLE, info_text, ""),
        (world.creator.id, C, TITLE, creator_text, ""),
    ]
    assert world.case(case_id).reminded_due_at == creators_due
    reminders.send_due(clock.now())
    assert len(_reminders(case_id)) == 2


def test_the_platforms_questions_remind_whoever_must_answer(world):
    to_buyer = claimed(world, world.reviewer)
    act(world, world.reviewer, to_buyer, R, "request_buyer_info", "Please send a screenshot of module 4.")
    to_creator = claimed(world, world.reviewer, method=PaymentMethod.PAYPAL, amount=4900)
    act(world, world.reviewer, to_creator, R, "request_merchant_info", "Please send the download log.")
    buyers_due, creators_due = world.case(to_buyer).due_at, world.case(to_creator).due_at
    _send_due_at(max(buyers_due, creators_due) - timedelta(hours=1))
    platform_decides = "If it doesn't come by then, the platform decides without your answer."
    (to_buyer_reminder,) = _told(to_buyer)
    (to_creator_reminder,) = _told(to_creator)
    assert to_buyer_reminder[:2] == (world.buyer.id, B) and to_buyer_reminder[3].endswith(platform_decides)
    assert to_creator_reminder[:2] == (world.creator.id, C) and to_creator_reminder[3].endswith(platform_decides)
    assert {n.user_id for n in _reminders(to_buyer) + _reminders(to_creator)} & {world.reviewer.id} == set()


def test_the_reviewers_target_is_never_reminded(world):
    case_id = escalated(world)
    due = world.case(case_id).due_at  # the review target, reported, not a party's deadline
    assert world.case(case_id).status == CaseStatus.UNDER_PLATFORM_REVIEW
    _send_due_at(due - timedelta(hours=1))
    assert case_id not in reminders.due_case_ids(clock.now())
    assert reminders.send_reminder(case_id, clock.now()) is False
    assert _reminders(case_id) == []


def _emails_of(user_id: int) -> int:
    with transaction() as session:
        return session.exec(select(func.count()).where(OutboundEmail.user_id == user_id)).one()


def test_emails_off_still_reminds_in_the_bell_but_sends_no_email(world):
    case_id = opened(world)
    set_emails_enabled(world.creator, False)
    emails_before = _emails_of(world.creator.id)
    _send_due_at(world.case(case_id).due_at - timedelta(hours=3))
    (reminder,) = _reminders(case_id)
    assert (reminder.user_id, reminder.email_id) == (world.creator.id, None)
    assert _emails_of(world.creator.id) == emails_before


# --- several workers --------------------------------------------------------------------------------------


def _in_threads(count: int, work) -> list:
    """`work()` in `count` threads released together; what each returned."""
    results: list = [None] * count
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            results[index] = work()
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def _cases_of_four_buyers(world) -> list[int]:
    bought = [
        ("buyer@example.com", PaymentMethod.CARD, 1900),
        ("buyer@example.com", PaymentMethod.PAYPAL, 4900),
        ("frank@example.com", PaymentMethod.CARD, 1900),
        ("henry@example.com", PaymentMethod.PAYPAL, 1900),
    ]
    case_ids = []
    for email, method, amount in bought:
        payment = world.payment(email, method, amount)
        case_ids.append(claims.open_claim(world.user(email), payment.id, "not_as_described", DESCRIPTION, []))
    return case_ids


def test_two_workers_sending_reminders_at_once_remind_once_per_deadline(world):
    case_ids = _cases_of_four_buyers(world)
    clock.freeze(NOW + DEFAULT_POLICY.creator_response_time - timedelta(hours=2))
    assert set(reminders.due_case_ids(clock.now())) == set(case_ids)  # the seeded cases' deadlines are past
    sent = _in_threads(2, lambda: reminders.send_due(clock.now()))
    assert sum(sent) == len(case_ids)
    assert [len(_reminders(case_id)) for case_id in case_ids] == [1] * len(case_ids)


def test_two_workers_reminding_of_one_deadline_remind_once(world):
    case_ids = _cases_of_four_buyers(world)
    clock.freeze(NOW + DEFAULT_POLICY.creator_response_time - timedelta(hours=2))
    for case_id in case_ids:
        outcomes = _in_threads(2, lambda case_id=case_id: reminders.send_reminder(case_id, clock.now()))
        assert sorted(outcomes) == [False, True]
        assert len(_reminders(case_id)) == 1
