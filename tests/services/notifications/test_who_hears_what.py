"""Who hears what (DESIGN §5, issue 11), through the real services: each change of a case tells exactly the right
people, in the bell and (unless they turned emails off) by email, written in the change's own transaction; chat
messages are told in-app every time and emailed as one digest per 15 minutes per case and person."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from resolution_app.domain.enums import CaseStatus, MemberRole, Party, PaymentMethod
from resolution_app.domain.errors import ActionNotAllowed, NotEligible
from resolution_app.domain.notifications import AUTHORS, MESSAGE, OPENED, headline
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import CaseEvent, Notification, OutboundEmail, User
from resolution_app.services.cases import case_actions, claims, deadlines
from resolution_app.services.creator.auto_respond import save_settings
from resolution_app.services.notifications.outbox import DELIVER_TASK
from resolution_app.services.notifications.preferences import set_emails_enabled
from resolution_app.services.review import claims as review_claims
from tests.conftest import NOW
from tests.services.factories import DESCRIPTION
from tests.services.members import add_member, seeded_business_id
from tests.services.review.flows import RATIONALE, B, C, R, act, appealed, claimed, decided, escalated, opened

DECISIONS = ("decide_refund", "decide_credit", "decide_merchant_wins")
STATEMENT = "The first decision overlooked the changelog."
APPEAL_RATIONALE = "On appeal: the changelog settles it."
APOLOGY = "Sorry the course let you down. Your refund is on its way, with a 20% coupon for the next one."
WINDOW = DEFAULT_POLICY.chat_email_window


# --- what was written -------------------------------------------------------------------------------------------


def _mark() -> int:
    """The newest notification's id now: what a step writes after it is news."""
    with transaction() as session:
        return session.exec(select(func.max(Notification.id))).one() or 0


def _news(mark: int, case_id: int | None = None) -> list[Notification]:
    with transaction() as session:
        query = select(Notification).where(Notification.id > mark)
        if case_id is not None:
            query = query.where(Notification.case_id == case_id)
        return list(session.exec(query.order_by(Notification.id)))


def _email(email_id: int) -> OutboundEmail:
    with transaction() as session:
        return session.get(OutboundEmail, email_id)


def _told(rows: list[Notification]) -> set[tuple]:
    return {(row.user_id, row.party, row.kind, row.title, row.body, row.author) for row in rows}


def _heard(user: User, party: Party, kind: str, body: str = "", by: Party | None = None, final: bool = False):
    """What `user`, standing for `party`, should find in their bell."""
    return (user.id, party, str(kind), headline(kind, party, final=final), body, AUTHORS[by] if by else "")


def _each_has_its_own_email(rows: list[Notification]) -> None:
    """Every notification of a change of the case has an email of its own, due at once."""
    assert rows
    email_ids = [row.email_id for row in rows]
    assert None not in email_ids and len(set(email_ids)) == len(email_ids)
    for row in rows:
        email = _email(row.email_id)
        assert (email.kind, email.status, email.user_id, email.case_id) == (
            "single",
            "pending",
            row.user_id,
            row.case_id,
        )
        assert email.not_before == email.next_attempt_at == row.created_at == clock.now()
        assert email.message_id.startswith("<") and email.message_id.endswith(">") and "@" in email.message_id


def _step(world, mark: int, case_id: int, user: User, party: Party, action: str, words: str = "") -> set[tuple]:
    act(world, user, case_id, party, action, words)
    rows = _news(mark)
    assert {row.case_id for row in rows} == {case_id}
    _each_has_its_own_email(rows)
    return _told(rows)


def _event_detail(case_id: int, kind: str) -> str:
    with transaction() as session:
        query = select(CaseEvent.detail).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
        return session.exec(query).one()


# --- the creator's side ---------------------------------------------------------------------------------------


def test_a_new_case_tells_the_businesss_acting_members_and_nobody_else(world):
    manager = add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    add_member("viewer@example.com", MemberRole.VIEWER, seeded_business_id())  # reads cases, answers none
    mark = _mark()
    case_id = opened(world)
    rows = _news(mark)
    assert _told(rows) == {
        _heard(world.creator, C, OPENED, DESCRIPTION, B),
        _heard(manager, C, OPENED, DESCRIPTION, B),
    }
    assert {row.case_id for row in rows} == {case_id}
    assert {row.title for row in rows} == {"New case opened"}
    assert {row.status_label for row in rows} == {"Waiting on creator"}
    _each_has_its_own_email(rows)


@pytest.mark.parametrize(
    ("action", "words", "title"),
    [
        ("accept", "", "The creator accepted your claim"),
        ("deny", "Every module is in the course.", "The creator denied your claim"),
        ("request_more_info", "Which module is missing?", "The creator asked you for more information"),
    ],
)
def test_the_creators_answer_tells_the_buyer_only(world, action, words, title):
    case_id = opened(world)
    told = _step(world, _mark(), case_id, world.creator, C, action, words)
    assert told == {_heard(world.buyer, B, action, words, C)}
    assert next(iter(told))[3] == title


def test_the_buyers_answer_to_the_creators_question_tells_the_creator(world):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "request_more_info", "Which module is missing?")
    told = _step(world, _mark(), case_id, world.buyer, B, "reply", "Modules 4 to 6.")
    assert told == {_heard(world.creator, C, "reply", "Modules 4 to 6.", B)}
    assert next(iter(told))[3] == "The buyer answered your question"


def test_an_escalation_tells_both_sides_in_their_own_words(world):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    told = _step(world, _mark(), case_id, world.buyer, B, "escalate", "They are empty placeholders.")
    assert told == {
        _heard(world.buyer, B, "escalate", "They are empty placeholders.", B),
        _heard(world.creator, C, "escalate", "They are empty placeholders.", B),
    }
    assert {row[3] for row in told} == {
        "You escalated the case to the platform",
        "The buyer escalated the case to the platform",
    }


def test_a_withdrawal_tells_the_creator(world):
    case_id = opened(world)
    told = _step(world, _mark(), case_id, world.buyer, B, "withdraw")
    assert told == {_heard(world.creator, C, "withdraw", "", B)}


# --- the platform ---------------------------------------------------------------------------------------------


def test_claiming_a_case_tells_nobody(world):
    case_id = escalated(world)
    mark = _mark()
    review_claims.claim(world.reviewer, case_id)
    assert _news(mark) == []


def test_the_platforms_question_to_the_buyer_and_the_answer_which_only_the_claimer_hears(world):
    case_id = claimed(world, world.reviewer)
    question, answer = "Please send a screenshot of module 4.", "Here it is: the page is blank."
    told = _step(world, _mark(), case_id, world.reviewer, R, "request_buyer_info", question)
    assert told == {_heard(world.buyer, B, "request_buyer_info", question, R)}
    told = _step(world, _mark(), case_id, world.buyer, B, "reply", answer)
    assert told == {_heard(world.reviewer, R, "reply", answer, B)}
    assert next(iter(told))[3] == "An answer to the platform's question arrived"


def test_the_platforms_question_to_the_creator_and_the_answer_which_only_the_claimer_hears(world):
    case_id = claimed(world, world.reviewer2)
    question, answer = "Please send the download log.", "Attached: the log shows no download."
    told = _step(world, _mark(), case_id, world.reviewer2, R, "request_merchant_info", question)
    assert told == {_heard(world.creator, C, "request_merchant_info", question, R)}
    told = _step(world, _mark(), case_id, world.creator, C, "reply", answer)
    assert told == {_heard(world.reviewer2, R, "reply", answer, C)}


@pytest.mark.parametrize(
    ("decision", "title"),
    [
        ("decide_refund", "The platform decided: refund"),
        ("decide_credit", "The platform decided: balance credit"),
        ("decide_merchant_wins", "The platform decided for the creator"),
    ],
)
def test_a_decision_tells_both_sides_with_its_rationale(world, decision, title):
    case_id = claimed(world, world.reviewer)
    told = _step(world, _mark(), case_id, world.reviewer, R, decision, RATIONALE)
    assert told == {_heard(world.buyer, B, decision, RATIONALE, R), _heard(world.creator, C, decision, RATIONALE, R)}
    assert {row[3] for row in told} == {title}


@pytest.mark.parametrize("decision", DECISIONS)
def test_an_appeal_tells_both_sides_and_the_reviewer_whose_decision_it_was(world, decision):
    case_id = decided(world, decision, reviewer=world.reviewer)
    loser = C if decision in ("decide_refund", "decide_credit") else B
    appellant = world.creator if loser == C else world.buyer
    told = _step(world, _mark(), case_id, appellant, loser, "appeal", STATEMENT)
    assert told == {
        _heard(world.buyer, B, "appeal", STATEMENT, loser),
        _heard(world.creator, C, "appeal", STATEMENT, loser),
        _heard(world.reviewer, R, "appeal", STATEMENT, loser),
    }
    assert {(row[1], row[3]) for row in told} == {
        (B, "A decision was appealed"),
        (C, "A decision was appealed"),
        (R, "A decision of yours was appealed"),
    }


def test_the_appeal_of_a_decision_is_heard_by_its_decider_even_when_another_reviewer_claimed_it_first(world):
    """reviewer2 claimed, released, and reviewer decided: the appeal goes to the one who decided."""
    case_id = escalated(world)
    review_claims.claim(world.reviewer2, case_id)
    review_claims.release(world.reviewer2, case_id)
    review_claims.claim(world.reviewer, case_id)
    act(world, world.reviewer, case_id, R, "decide_merchant_wins", RATIONALE)
    told = _step(world, _mark(), case_id, world.buyer, B, "appeal", STATEMENT)
    assert {row[0] for row in told if row[1] == R} == {world.reviewer.id}


@pytest.mark.parametrize(
    ("first", "second", "title"),
    [
        ("decide_refund", "decide_merchant_wins", "Final decision: the creator wins"),
        ("decide_refund", "decide_credit", "Final decision: balance credit"),
        ("decide_merchant_wins", "decide_refund", "Final decision: refund"),
    ],
)
def test_the_decision_on_appeal_is_told_to_both_sides_as_final(world, first, second, title):
    case_id = appealed(world, first)
    review_claims.claim(world.reviewer2, case_id)
    told = _step(world, _mark(), case_id, world.reviewer2, R, second, APPEAL_RATIONALE)
    assert told == {
        _heard(world.buyer, B, second, APPEAL_RATIONALE, R, final=True),
        _heard(world.creator, C, second, APPEAL_RATIONALE, R, final=True),
    }
    assert {row[3] for row in told} == {title}


# --- the system's own moves -------------------------------------------------------------------------------------


def test_an_auto_refund_tells_the_buyer_with_the_businesss_custom_message(world):
    save_settings(world.creator, "25", "", [], APOLOGY)
    mark = _mark()
    case_id = opened(world, PaymentMethod.CARD, 1900)
    assert world.case(case_id).status == CaseStatus.CUSTOMER_WON
    detail = _event_detail(case_id, "auto_refund")
    assert APOLOGY in detail and detail.startswith("Card payment at or below $25.00.")
    rows = _news(mark)
    assert _told(rows) == {
        _heard(world.creator, C, OPENED, DESCRIPTION, B),
        _heard(world.buyer, B, "auto_refund", detail),
        _heard(world.creator, C, "auto_refund", detail),
    }
    assert {row.title for row in rows if row.user_id == world.buyer.id} == {"You were refunded automatically"}
    assert {row.status_label for row in rows if row.kind == "auto_refund"} == {"Buyer won"}
    _each_has_its_own_email(rows)


def _expired(case_id: int) -> None:
    """The deadline sweep, with the clock as moved: the case is due, and moves."""
    assert case_id in deadlines.due_case_ids(clock.now())
    assert deadlines.expire_case(case_id)


def test_the_creator_letting_the_deadline_pass_tells_both_sides(world):
    case_id = opened(world)
    clock.advance(DEFAULT_POLICY.creator_response_time)
    mark = _mark()
    _expired(case_id)
    rows = _news(mark, case_id)
    why = "The deadline passed without an answer."
    assert _told(rows) == {_heard(world.buyer, B, "expire", why), _heard(world.creator, C, "expire", why)}
    assert {row.title for row in rows} == {"A deadline passed"}
    assert {row.status_label for row in rows} == {"Under platform review"}
    _each_has_its_own_email(rows)


def test_the_buyer_letting_the_escalation_deadline_pass_tells_both_sides(world):
    case_id = opened(world)
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    clock.advance(DEFAULT_POLICY.escalation_time)
    mark = _mark()
    _expired(case_id)
    rows = _news(mark, case_id)
    why = "The deadline passed without an answer."
    assert _told(rows) == {_heard(world.buyer, B, "expire", why), _heard(world.creator, C, "expire", why)}
    assert {row.status_label for row in rows} == {"Creator won"}
    _each_has_its_own_email(rows)


def test_an_unanswered_platform_question_tells_both_sides_and_the_claimer(world):
    case_id = claimed(world, world.reviewer)
    act(world, world.reviewer, case_id, R, "request_buyer_info", "Please send a screenshot of module 4.")
    clock.advance(DEFAULT_POLICY.buyer_info_time + timedelta(minutes=1))
    mark = _mark()
    _expired(case_id)
    rows = _news(mark, case_id)
    why = "The deadline passed without an answer."
    assert _told(rows) == {
        _heard(world.buyer, B, "expire", why),
        _heard(world.creator, C, "expire", why),
        _heard(world.reviewer, R, "expire", why),
    }
    _each_has_its_own_email(rows)


def test_the_appeal_window_running_out_tells_both_sides_and_no_reviewer(world):
    case_id = decided(world, "decide_refund", reviewer=world.reviewer)
    clock.advance(DEFAULT_POLICY.appeal_time)
    mark = _mark()
    _expired(case_id)
    rows = _news(mark, case_id)
    why = "The appeal window closed: the decision is final."
    assert _told(rows) == {_heard(world.buyer, B, "expire", why), _heard(world.creator, C, "expire", why)}
    _each_has_its_own_email(rows)


# --- chat messages ------------------------------------------------------------------------------------------


def _send(user: User, case_id: int, party: Party, words: str) -> Notification:
    """A chat message; returns the one notification it made (the other side has one person here)."""
    mark = _mark()
    case_actions.send_message(user, case_id, party, words)
    rows = _news(mark)
    assert len(rows) == 1, rows
    return rows[0]


def _digests(user_id: int, case_id: int) -> list[OutboundEmail]:
    with transaction() as session:
        query = select(OutboundEmail).where(OutboundEmail.user_id == user_id, OutboundEmail.case_id == case_id)
        return list(session.exec(query.where(OutboundEmail.kind == "digest").order_by(OutboundEmail.id)))


def _sent(email_id: int, at) -> None:
    """What delivery records once the server took the email."""
    with transaction() as session:
        email = session.get(OutboundEmail, email_id)
        email.status, email.sent_at = "sent", at
        session.add(email)


def test_every_chat_message_is_in_the_other_sides_bell(world):
    case_id = opened(world)
    first = _send(world.buyer, case_id, B, "Module 4 is a blank page.")
    assert _told([first]) == {_heard(world.creator, C, MESSAGE, "Module 4 is a blank page.", B)}
    assert first.title == "New message"
    clock.advance(timedelta(seconds=30))
    second = _send(world.creator, case_id, C, "Thanks, looking into it.")
    assert _told([second]) == {_heard(world.buyer, B, MESSAGE, "Thanks, looking into it.", C)}
    clock.advance(timedelta(seconds=30))
    third = _send(world.buyer, case_id, B, "And module 5 too.")
    assert _told([third]) == {_heard(world.creator, C, MESSAGE, "And module 5 too.", B)}


def test_chat_messages_while_a_digest_waits_join_it(world):
    case_id = opened(world)
    rows = []
    for minute in range(3):
        rows.append(_send(world.buyer, case_id, B, f"Message {minute}: module {4 + minute} is blank."))
        clock.advance(timedelta(minutes=1))
    (digest,) = _digests(world.creator.id, case_id)
    assert [row.email_id for row in rows] == [digest.id] * 3
    assert (digest.status, digest.not_before, digest.next_attempt_at) == ("pending", NOW, NOW)


def test_chat_digests_go_at_most_once_a_window(world):
    case_id = opened(world)
    creator = world.creator.id
    first = _send(world.buyer, case_id, B, "Module 4 is a blank page.")
    (d1,) = _digests(creator, case_id)
    assert first.email_id == d1.id and d1.not_before == NOW  # the first message of a while goes at once
    _sent(d1.id, NOW + timedelta(seconds=10))

    clock.advance(timedelta(minutes=1))
    second = _send(world.buyer, case_id, B, "Module 5 is blank too.")
    clock.advance(timedelta(minutes=4))
    third = _send(world.buyer, case_id, B, "And module 6.")
    d1, d2 = _digests(creator, case_id)
    assert second.email_id == third.email_id == d2.id
    assert (d2.status, d2.not_before) == ("pending", NOW + timedelta(seconds=10) + WINDOW)
    assert d2.next_attempt_at == d2.not_before

    _sent(d2.id, d2.not_before)
    clock.advance(timedelta(minutes=15))  # NOW + 20 min: the last digest went at NOW + 15 min 10 s
    fourth = _send(world.buyer, case_id, B, "Any news?")
    d1, d2, d3 = _digests(creator, case_id)
    assert fourth.email_id == d3.id and d3.id not in (d1.id, d2.id)
    assert (d3.status, d3.not_before) == ("pending", d2.sent_at + WINDOW)

    _sent(d3.id, d3.not_before)
    clock.advance(timedelta(hours=2))  # long quiet: the next message goes at once again
    fifth = _send(world.buyer, case_id, B, "Still waiting.")
    *_, d4 = _digests(creator, case_id)
    assert fifth.email_id == d4.id and d4.id != d3.id and d4.not_before == clock.now()
    assert len(_digests(creator, case_id)) == 4
    assert _digests(world.buyer.id, case_id) == []  # the writer is never emailed their own words


def test_each_person_of_a_side_has_a_digest_of_their_own(world):
    manager = add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    case_id = opened(world)
    mark = _mark()
    case_actions.send_message(world.buyer, case_id, B, "Module 4 is a blank page.")
    case_actions.send_message(world.buyer, case_id, B, "And module 5.")
    rows = _news(mark)
    assert sorted(row.user_id for row in rows) == sorted([world.creator.id, manager.id] * 2)
    (creators,) = _digests(world.creator.id, case_id)
    (managers,) = _digests(manager.id, case_id)
    assert {row.email_id for row in rows if row.user_id == world.creator.id} == {creators.id}
    assert {row.email_id for row in rows if row.user_id == manager.id} == {managers.id}


# --- emails off -----------------------------------------------------------------------------------------------


def _emails_of(user_id: int) -> int:
    with transaction() as session:
        return session.exec(select(func.count()).where(OutboundEmail.user_id == user_id)).one()


def test_emails_off_still_notifies_in_app_and_writes_no_email(world):
    case_id = opened(world)
    set_emails_enabled(world.buyer, False)
    emails_before = _emails_of(world.buyer.id)
    mark = _mark()
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    case_actions.send_message(world.creator, case_id, C, "Happy to talk it through.")
    rows = _news(mark)
    assert [(row.user_id, row.kind, row.email_id) for row in rows] == [
        (world.buyer.id, "deny", None),
        (world.buyer.id, MESSAGE, None),
    ]
    assert _emails_of(world.buyer.id) == emails_before
    assert _digests(world.buyer.id, case_id) == []


def test_emails_off_for_one_member_leaves_the_others_emails(world):
    manager = add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    set_emails_enabled(manager, False)
    mark = _mark()
    opened(world)
    by_user = {row.user_id: row.email_id for row in _news(mark)}
    assert set(by_user) == {world.creator.id, manager.id}
    assert by_user[manager.id] is None and by_user[world.creator.id] is not None


# --- the delivery job -----------------------------------------------------------------------------------------


def _no_jobs() -> None:
    """The seeded world queued its delivery already: start from an empty queue."""
    with transaction() as session:
        session.execute(text("DELETE FROM procrastinate_jobs"))


def _delivery_jobs() -> list[tuple[str, str]]:
    with transaction() as session:
        rows = session.execute(
            text("SELECT status::text, queueing_lock FROM procrastinate_jobs WHERE task_name = :task ORDER BY id"),
            {"task": DELIVER_TASK},
        )
        return [tuple(row) for row in rows]


def test_a_change_that_queues_email_queues_its_delivery_once(world):
    _no_jobs()
    case_id = opened(world)
    assert _delivery_jobs() == [("todo", DELIVER_TASK)]
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    case_actions.send_message(world.buyer, case_id, B, "They are empty.")
    case_actions.send_message(world.creator, case_id, C, "They are not.")
    assert _delivery_jobs() == [("todo", DELIVER_TASK)]  # however many emails wait, one job delivers them

    with transaction() as session:  # a worker took the job and finished it
        session.execute(
            text("UPDATE procrastinate_jobs SET status = 'succeeded' WHERE task_name = :t"), {"t": DELIVER_TASK}
        )
    act(world, world.buyer, case_id, B, "escalate", "They are empty placeholders.")
    assert _delivery_jobs() == [("succeeded", DELIVER_TASK), ("todo", DELIVER_TASK)]


def test_a_change_with_more_emails_in_one_transaction_queues_one_job(world):
    add_member("manager@example.com", MemberRole.MANAGER, seeded_business_id())
    _no_jobs()
    save_settings(world.creator, "25", "", [], APOLOGY)
    mark = _mark()
    opened(world, PaymentMethod.CARD, 1900)  # opened + auto-refund: five emails in one transaction
    assert len([row for row in _news(mark) if row.email_id]) == 5
    assert _delivery_jobs() == [("todo", DELIVER_TASK)]


def test_no_email_no_delivery_job(world):
    set_emails_enabled(world.creator, False)
    _no_jobs()
    mark = _mark()
    opened(world)
    assert [row.email_id for row in _news(mark)] == [None]
    assert _delivery_jobs() == []


def test_a_refused_change_writes_no_notification(world):
    case_id = opened(world)
    mark = _mark()
    with pytest.raises(ActionNotAllowed):
        act(world, world.buyer, case_id, B, "escalate", "Not denied yet, so nothing to escalate.")
    assert _news(mark) == []
    with pytest.raises(NotEligible):
        claims.open_claim(world.buyer, world.case(case_id).payment_id, "not_as_described", DESCRIPTION, [])
    assert _news(mark) == []
