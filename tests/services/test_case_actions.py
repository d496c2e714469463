import threading
from datetime import timedelta

import pytest
from sqlmodel import func, select

from resolution_app.domain.enums import CaseStatus, Party, PaymentMethod, PaymentStatus
from resolution_app.domain.errors import ActionNotAllowed, Conflict, Forbidden, InvalidInput, NotFound
from resolution_app.infra.db import transaction
from resolution_app.models import Appeal, Attachment, BalanceCredit, Case, CaseEvent, Message, Refund
from resolution_app.services import files
from resolution_app.services.cases import case_actions, case_views, claims
from resolution_app.services.review import claims as review_claims
from tests.services.factories import DESCRIPTION, pdf, png

B, C, R = Party.BUYER, Party.CREATOR, Party.REVIEWER


def _open(world, uploads=()) -> int:
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    return claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, list(uploads))


def _act(world, user, case_id, party, action, text="", uploads=()):
    version = world.case(case_id).version
    case_actions.act(user, case_id, party, action, expected_version=version, text=text, uploads=list(uploads))
    return world.case(case_id)


def _events(case_id: int) -> list[str]:
    with transaction() as session:
        return [
            e.kind for e in session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id))
        ]


def test_buyer_sees_case_with_files_due_date_and_withdraw_or_propose_only(world, store):
    case_id = _open(world, [png(), pdf()])
    detail = case_views.case_detail(world.buyer, case_id, B)
    assert detail.summary.status_label == "Waiting on creator"
    assert detail.summary.due_at is not None
    assert detail.actions == ["withdraw", "propose_partial_refund"]
    assert sorted(f.name for f in detail.thread[0].files) == ["proof.png", "receipt.pdf"]
    assert all("/api/files/" in f.url for f in detail.thread[0].files)


def test_message_with_files_never_changes_status(world, store):
    case_id = _open(world)
    before = world.case(case_id)
    case_actions.send_message(world.buyer, case_id, B, "Here is the screenshot.", [png()])
    case_actions.send_message(world.creator, case_id, C, "Thanks, looking into it.")
    after = world.case(case_id)
    assert (after.status, after.version) == (before.status, before.version)
    chat = [item for item in case_views.case_detail(world.creator, case_id, C).thread if item.is_message]
    assert [[part.text for part in m.body] for m in chat] == [["Here is the screenshot."], ["Thanks, looking into it."]]
    assert [f.name for f in chat[0].files] == ["proof.png"]


def test_empty_message_refused(world, store):
    case_id = _open(world)
    with pytest.raises(InvalidInput):
        case_actions.send_message(world.buyer, case_id, B, "   ")


def test_withdraw_is_final(world, store):
    case_id = _open(world)
    case = _act(world, world.buyer, case_id, B, "withdraw")
    assert case.status == CaseStatus.CUSTOMER_WITHDREW
    detail = case_views.case_detail(world.buyer, case_id, B)
    assert detail.is_final and detail.actions == []
    with pytest.raises(ActionNotAllowed):
        case_actions.send_message(world.buyer, case_id, B, "Hello again")


def test_full_path_deny_escalate_decide_appeal(world, store):
    case_id = _open(world)
    _act(world, world.creator, case_id, C, "deny", "The course was fully delivered.")
    _act(world, world.buyer, case_id, B, "escalate", "It was not.", [png()])
    review_claims.claim(world.reviewer, case_id)
    case = _act(world, world.reviewer, case_id, R, "decide_merchant_wins", "Logs show use.")
    assert case.status == CaseStatus.MERCHANT_WON and case.decided_by_id == world.reviewer.id
    assert case_views.case_detail(world.buyer, case_id, B).actions == ["appeal"]
    _act(world, world.buyer, case_id, B, "appeal", "New evidence attached.", [pdf()])
    assert world.case(case_id).assigned_reviewer_id is None  # the appeal goes back to the queue unclaimed
    review_claims.claim(world.reviewer, case_id)
    with pytest.raises(Forbidden):  # the first reviewer may not decide the appeal
        _act(world, world.reviewer, case_id, R, "decide_refund", "Changed my mind.")
    review_claims.release(world.reviewer, case_id)
    review_claims.claim(world.reviewer2, case_id)
    case = _act(world, world.reviewer2, case_id, R, "decide_refund", "The evidence shows missing modules.")
    assert case.status == CaseStatus.CUSTOMER_WON and case.due_at is None
    assert case_views.case_detail(world.creator, case_id, C).is_final
    with transaction() as session:
        assert session.exec(select(func.count()).where(Appeal.case_id == case_id)).one() == 1
        assert session.exec(select(func.count()).where(Refund.case_id == case_id)).one() == 1
    assert world.payment("buyer@example.com", PaymentMethod.CARD, 1900).status == PaymentStatus.REFUNDED
    assert _events(case_id) == [
        "opened",
        "deny",
        "escalate",
        "claimed",
        "decide_merchant_wins",
        "appeal",
        "claimed",
        "released",
        "claimed",
        "decide_refund",
    ]


def test_credit_decision_pays_the_buyer_from_the_platform(world, store):
    case_id = _open(world)
    _act(world, world.creator, case_id, C, "deny", "No.")
    _act(world, world.buyer, case_id, B, "escalate", "Please look.")
    review_claims.claim(world.reviewer, case_id)
    _act(world, world.reviewer, case_id, R, "decide_credit", "Goodwill credit.")
    with transaction() as session:
        credit = session.exec(select(BalanceCredit)).one()
        assert session.exec(select(func.count()).where(Refund.case_id == case_id)).one() == 0
    assert (credit.user_id, credit.amount_minor) == (world.buyer.id, 1900)


def test_info_request_and_reply_with_a_file_go_back_to_the_creator(world, store):
    case_id = _open(world)
    case = _act(world, world.creator, case_id, C, "request_more_info", "Which module is missing?")
    assert case.status == CaseStatus.CUSTOMER_INFO_NEEDED
    case = _act(world, world.buyer, case_id, B, "reply", "Module 4.", [png()])
    assert case.status == CaseStatus.MERCHANT_RESPONSE_NEEDED
    with transaction() as session:
        reply = session.exec(select(CaseEvent).where(CaseEvent.kind == "reply")).one()
        assert session.exec(select(Attachment).where(Attachment.event_id == reply.id)).one().display_name == "proof.png"


@pytest.mark.parametrize(("action", "text"), [("deny", ""), ("request_more_info", "  ")])
def test_actions_that_need_words_refuse_without_them(world, store, action, text):
    case_id = _open(world)
    with pytest.raises(InvalidInput):
        _act(world, world.creator, case_id, C, action, text)
    assert world.case(case_id).status == CaseStatus.MERCHANT_RESPONSE_NEEDED


@pytest.mark.parametrize("action", ["auto_refund", "expire", "made_up"])
def test_system_and_unknown_actions_are_never_a_persons(world, store, action):
    case_id = _open(world)
    with pytest.raises(InvalidInput):
        _act(world, world.buyer, case_id, B, action)


def test_buyer_cannot_take_creator_actions(world, store):
    case_id = _open(world)
    with pytest.raises(ActionNotAllowed):
        _act(world, world.buyer, case_id, B, "accept")


def test_other_users_case_is_not_found_for_every_entry_point(world, store):
    case_id = _open(world, [png()])
    stranger = world.user("frank@example.com")
    with pytest.raises(NotFound):
        case_views.case_detail(stranger, case_id, B)
    with pytest.raises(NotFound):
        case_views.case_detail(stranger, case_id, C)  # not a member of the business
    with pytest.raises(NotFound):
        case_views.case_detail(world.buyer, case_id, R)  # not a reviewer
    with pytest.raises(NotFound):
        case_actions.send_message(stranger, case_id, B, "hi")
    with pytest.raises(NotFound):
        _act(world, stranger, case_id, B, "withdraw")
    assert world.case(case_id).status == CaseStatus.MERCHANT_RESPONSE_NEEDED
    with transaction() as session:
        assert session.exec(select(func.count()).select_from(Message)).one() == 0


def test_stale_version_is_a_conflict(world, store):
    case_id = _open(world)
    version = world.case(case_id).version
    _act(world, world.creator, case_id, C, "request_more_info", "Which module?")
    with pytest.raises(Conflict):
        case_actions.act(world.creator, case_id, C, "deny", expected_version=version, text="No.")


def test_accept_and_deny_at_once_exactly_one_wins_and_refunds_once(world, store):
    case_id = _open(world)
    version, creator, results = world.case(case_id).version, world.creator, []
    barrier = threading.Barrier(2)

    def attempt(action: str, text: str) -> None:
        barrier.wait()
        try:
            case_actions.act(creator, case_id, C, action, expected_version=version, text=text)
            results.append(action)
        except Conflict:
            results.append("conflict")

    threads = [threading.Thread(target=attempt, args=a) for a in (("accept", ""), ("deny", "No."))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count("conflict") == 1
    with transaction() as session:
        refunds = session.exec(select(func.count()).where(Refund.case_id == case_id)).one()
    assert refunds == (1 if "accept" in results else 0)


def test_creator_silence_escalates_to_platform_review(world, store, frozen_clock):
    case_id = _open(world)
    frozen_clock.advance(timedelta(days=7, seconds=1))
    with pytest.raises(Conflict, match="deadline"):
        _act(world, world.creator, case_id, C, "accept")
    case = world.case(case_id)
    assert case.status == CaseStatus.UNDER_PLATFORM_REVIEW
    with transaction() as session:
        assert session.exec(select(func.count()).where(Refund.case_id == case_id)).one() == 0


def test_signed_link_serves_the_file_and_expires(world, store, frozen_clock):
    case_id = _open(world, [png()])
    link = case_views.case_detail(world.buyer, case_id, B).thread[0].files[0].url
    token = link.rsplit("/", 1)[1]
    download = files.open_download(token)
    assert download.content_type == "image/png" and b"".join(download.chunks).startswith(b"\x89PNG")
    frozen_clock.advance(timedelta(minutes=6))
    with pytest.raises(NotFound, match="expired"):
        files.open_download(token)
    with pytest.raises(NotFound):
        files.open_download(token[:-2] + "xx")


def test_case_rows_are_unique_per_payment_in_the_database(world, store):
    case_id = _open(world)
    case = world.case(case_id)
    with pytest.raises(Exception), transaction() as session:  # noqa: B017 - the driver's IntegrityError
        session.add(
            Case(
                payment_id=case.payment_id,
                buyer_id=case.buyer_id,
                business_id=case.business_id,
                reason=case.reason,
                description=DESCRIPTION,
                status=case.status,
                amount_minor=1900,
                currency="USD",
                opened_at=case.opened_at,
                updated_at=case.updated_at,
            )
        )


def test_the_thread_is_one_conversation_and_a_question_waits_on_the_buyer(world, store, frozen_clock):
    case_id = _open(world, [png()])
    frozen_clock.advance(timedelta(minutes=5))
    case_actions.send_message(world.buyer, case_id, B, "Also see https://example.com/proof.")
    frozen_clock.advance(timedelta(minutes=5))
    _act(world, world.creator, case_id, C, "request_more_info", text="Which module is empty?")
    detail = case_views.case_detail(world.buyer, case_id, B)
    assert [(item.is_message, item.text) for item in detail.thread] == [
        (False, "opened the case"),
        (True, ""),
        (False, "asked for more information"),
    ]
    assert [(part.text, part.url) for part in detail.thread[1].body] == [
        ("Also see ", ""),
        ("https://example.com/proof", "https://example.com/proof"),
        (".", ""),
    ]
    assert [f.name for f in detail.files] == ["proof.png"]
    assert (detail.question.asked_by, detail.question.text) == ("the creator", "Which module is empty?")
    assert (detail.next_step.tone, detail.next_step.verb) == ("act", "reply")
    creator_view = case_views.case_detail(world.creator, case_id, C)
    assert creator_view.question is None and creator_view.next_step.waiting_on == "the buyer"
