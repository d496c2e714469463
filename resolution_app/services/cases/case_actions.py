"""What the parties do on a case: lifecycle actions and chat messages."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, func, select

from resolution_app.domain import lifecycle
from resolution_app.domain.claims import check_message_pace, validate_message
from resolution_app.domain.enums import DECISIONS, CaseAction, Party
from resolution_app.domain.errors import ActionNotAllowed, Conflict, InvalidInput
from resolution_app.domain.notifications import MESSAGE
from resolution_app.domain.partial_refunds import partial_amount
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.text import written
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.infra.evidence import IncomingFile
from resolution_app.models import Appeal, Case, Message, User
from resolution_app.services import files
from resolution_app.services.access import require_case, require_case_actor
from resolution_app.services.cases.case_state import case_state
from resolution_app.services.cases.deadlines import expire_case
from resolution_app.services.cases.transitions import CASE_CHANGED, perform
from resolution_app.services.developers import webhook_events
from resolution_app.services.notifications import outbox
from resolution_app.services.review.claims import reviewer_refusal

A = CaseAction

# What the acting person must write with each action, and what we ask for when it's missing.
REQUIRED_TEXT: dict[CaseAction, str] = {
    A.DENY: "Explain why you deny the claim.",
    A.REQUEST_MORE_INFO: "Write the question for the buyer.",
    A.REPLY: "Write your reply.",
    A.APPEAL: "Write your appeal statement.",
    A.ESCALATE: "Tell the platform why you disagree with the creator.",
    A.REQUEST_BUYER_INFO: "Write the question for the buyer.",
    A.REQUEST_MERCHANT_INFO: "Write the question for the creator.",
    A.DECIDE_REFUND: "Write the rationale for your decision.",
    A.DECIDE_CREDIT: "Write the rationale for your decision.",
    A.DECIDE_MERCHANT_WINS: "Write the rationale for your decision.",
    A.DECIDE_PARTIAL_REFUND: "Write the rationale for your decision.",
}
FILE_ACTIONS = frozenset({A.REPLY, A.APPEAL, A.ESCALATE, A.DENY, A.REQUEST_MORE_INFO})  # proof may come with them
PARTY_ACTIONS = frozenset(A) - {A.AUTO_REFUND, A.EXPIRE}  # the system's own moves are never a person's
NO_AMOUNT = "No amount goes with this action."


def _parse_action(action: str) -> CaseAction:
    try:
        parsed = CaseAction(action)
    except ValueError:
        raise InvalidInput("Unknown action.") from None
    if parsed not in PARTY_ACTIONS:
        raise InvalidInput("Unknown action.")
    return parsed


def _checked_text(action: CaseAction, text: str, has_files: bool) -> str:
    text = written(text).strip()  # invisible control characters are no text
    if action in REQUIRED_TEXT and not text and not (action == A.REPLY and has_files):
        raise InvalidInput(REQUIRED_TEXT[action])
    limit = DEFAULT_POLICY.rationale_max_chars if action in DECISIONS else DEFAULT_POLICY.message_max_chars
    return validate_message(text, has_files=True, max_chars=limit) if text else ""


def act(
    user: User,
    case_id: int,
    party: Party,
    action: str,
    *,
    expected_version: int,
    text: str = "",
    uploads: Sequence[IncomingFile] = (),
    amount: str = "",
    currency: str = "",
) -> None:
    """Take a lifecycle action on a case as `party`. Raises a DomainError with a message for the page.

    `amount` (typed, in `currency`, else the payment's) is the partial refund an offer or a reviewer names."""
    chosen = _parse_action(action)
    if uploads and chosen not in FILE_ACTIONS:
        raise InvalidInput("Files can't be attached to this action.")
    detail = _checked_text(chosen, text, bool(uploads))
    now = clock.now()
    with transaction() as session:  # refuse early, before any file is stored
        case = _actionable_case(session, user, case_id, party, expected_version)
        files.require_room(session, case.id, len(uploads))
        state = case_state(case)
        deadline_moved = lifecycle.deadline_passed(state, now)
        amount_minor = _amount(case, state, chosen, amount, currency)
    if deadline_moved:
        expire_case(case_id)
        raise Conflict("The deadline has passed and the case has moved on. The page now shows it as it is.")
    with files.stored_evidence(uploads) as accepted, transaction() as session:
        case = _actionable_case(session, user, case_id, party, expected_version, lock=True)
        refusal = reviewer_refusal(case, user, chosen) if party == Party.REVIEWER else None
        if refusal is not None:
            raise refusal
        event = perform(session, case, party, chosen, now, actor_id=user.id, detail=detail, amount_minor=amount_minor)
        _keep_claim_current(session, case, party, chosen, now)
        files.attach(session, case, accepted, user=user, party=party, now=now, event_id=event.id)
        if chosen == A.APPEAL:
            session.add(Appeal(case_id=case.id, party=party, user_id=user.id, statement=detail, created_at=now))


def _amount(case: Case, state: lifecycle.CaseState, action: CaseAction, typed: str, currency: str) -> int | None:
    """The amount the move is made with, in minor units; None for a move that names none (InvalidInput if one came)."""
    if not lifecycle.asks_for_amount(state, action):
        if typed.strip():
            raise InvalidInput(NO_AMOUNT)
        return None
    return partial_amount(typed, currency or case.currency, case.amount_minor, case.currency)


def _keep_claim_current(session: Session, case: Case, party: Party, action: CaseAction, now: datetime) -> None:
    """A reviewer's move keeps their claim alive; an appeal goes back to the queue unclaimed, for another reviewer."""
    if party == Party.REVIEWER:
        session.execute(update(Case).where(Case.id == case.id).values(claimed_at=now))
    elif action == A.APPEAL:
        session.execute(update(Case).where(Case.id == case.id).values(assigned_reviewer_id=None, claimed_at=None))


def _actionable_case(
    session: Session, user: User, case_id: int, party: Party, expected_version: int, *, lock: bool = False
) -> Case:
    case = require_case(session, user, case_id, party, lock=lock)
    require_case_actor(session, user, case, party)
    if case.version != expected_version:
        raise Conflict(CASE_CHANGED)
    return case


def send_message(user: User, case_id: int, party: Party, body: str, uploads: Sequence[IncomingFile] = ()) -> None:
    """A chat message; it never changes the status."""
    text = validate_message(body, has_files=bool(uploads))
    now = clock.now()
    with transaction() as session:  # refuse early, before any file is stored
        case = _open_for_chat(session, user, case_id, party, now, lock=False)
        files.require_room(session, case.id, len(uploads))
    with files.stored_evidence(uploads) as accepted, transaction() as session:
        case = _open_for_chat(session, user, case_id, party, now, lock=True)
        webhook_events.note_case(session, case, now)
        message = Message(case_id=case.id, author_id=user.id, party=party, body=text, created_at=now)
        session.add(message)
        session.flush()
        files.attach(session, case, accepted, user=user, party=party, now=now, message_id=message.id)
        others = frozenset({Party.BUYER, Party.CREATOR} - {party})
        outbox.queue(session, case, others, MESSAGE, text, now, author=party)


def _open_for_chat(session: Session, user: User, case_id: int, party: Party, now: datetime, lock: bool) -> Case:
    """The case `user` may write on as `party` now; `lock` holds it, so parallel messages count one by one."""
    case = require_case(session, user, case_id, party, lock=lock)
    require_case_actor(session, user, case, party)
    if lifecycle.is_final(case_state(case), now):
        raise ActionNotAllowed("This case is closed; no more messages can be sent.")
    check_message_pace(_recent_messages(session, case.id, party, now))
    return case


def _recent_messages(session: Session, case_id: int, party: Party, now: datetime) -> int:
    since = now - DEFAULT_POLICY.message_window
    query = select(func.count()).select_from(Message)
    return session.exec(
        query.where(Message.case_id == case_id, Message.party == party, Message.created_at > since)
    ).one()
