"""The reviewers' queue: every case waiting on the platform, oldest due first, a page at a time, and its counts."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import Select, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from resolution_app.domain.enums import DECISIONS, REASON_LABELS, CaseStatus, Party, Reason
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.ids import MAX_ID
from resolution_app.domain.money import format_money, parse_money
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import Business, Case, CaseEvent, User
from resolution_app.services.access import require_reviewer

PAGE_SIZE = 25
KINDS = ("escalation", "appeal")
CLAIMED = ("unclaimed", "mine")
ASKED = (CaseStatus.CUSTOMER_INFO_NEEDED, CaseStatus.MERCHANT_INFO_NEEDED)


@dataclass(frozen=True)
class QueueFilter:
    kind: str = ""  # "escalation", "appeal" or "" for both
    reason: str = ""
    amount_from: str = ""  # what the reviewer typed, in major units
    amount_to: str = ""
    older_than_days: int = 0  # opened longer ago than this; 0 for any age
    claimed: str = ""  # "unclaimed", "mine" or "" for all


@dataclass(frozen=True)
class QueueRow:
    case_id: int
    kind: str
    reason: str
    amount: str
    business: str
    buyer: str
    opened_at: datetime
    in_review_since: datetime | None
    target: datetime | None  # when reviewers aim to have decided
    overdue: bool
    claimed_by: str  # the reviewer's name, or ""


@dataclass(frozen=True)
class QueueCounts:
    unclaimed: int
    mine: int
    waiting_on_a_party: int  # the platform asked a side and waits for the answer
    decided_today: int


@dataclass(frozen=True)
class QueueView:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    counts: QueueCounts


def review_queue(user: User, f: QueueFilter, page: int = 1) -> QueueView:
    """For reviewers only: anyone else is "not found"."""
    require_reviewer(user)
    now = clock.now()
    query = _filtered(select(func.count()).select_from(Case), f, user, now)
    with read() as session:
        total = session.exec(query).one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages, MAX_ID // PAGE_SIZE + 1)
        rows = session.exec(
            _filtered(_ROWS, f, user, now)
            .order_by(Case.due_at.asc().nulls_last(), Case.id)
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
        return QueueView(
            rows=[_row(*found, now=now) for found in rows],
            total=total,
            page=page,
            pages=pages,
            counts=queue_counts(session, user, now),
        )


def queue_counts(session: Session, user: User, now: datetime) -> QueueCounts:
    in_review = Case.status == CaseStatus.UNDER_PLATFORM_REVIEW
    start_of_day = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
    unclaimed = select(func.count()).where(in_review, Case.assigned_reviewer_id.is_(None))
    mine = select(func.count()).where(in_review, Case.assigned_reviewer_id == user.id)
    asked = select(func.count()).where(Case.status.in_(ASKED), Case.info_requested_by == Party.REVIEWER)
    decided = select(func.count()).where(CaseEvent.kind.in_([d.value for d in DECISIONS]), CaseEvent.at >= start_of_day)
    counts = select(*(q.scalar_subquery() for q in (unclaimed, mine, asked, decided)))
    return QueueCounts(*session.exec(counts).one())


def unclaimed_count(user: User) -> int:
    """The header's "N unclaimed" for reviewers."""
    require_reviewer(user)
    with read() as session:
        return queue_counts(session, user, clock.now()).unclaimed


_CLAIMER = aliased(User)
_BUYER = aliased(User)
_ENTERED_REVIEW = (
    select(func.max(CaseEvent.at))
    .where(CaseEvent.case_id == Case.id, CaseEvent.to_status == CaseStatus.UNDER_PLATFORM_REVIEW)
    .correlate(Case)
    .scalar_subquery()
)
_ROWS: Select = (
    select(Case, Business.name, _BUYER.name, _CLAIMER.name, _ENTERED_REVIEW)
    .join(Business, Business.id == Case.business_id)
    .join(_BUYER, _BUYER.id == Case.buyer_id)
    .outerjoin(_CLAIMER, _CLAIMER.id == Case.assigned_reviewer_id)
)


def _filtered(query: Select, f: QueueFilter, user: User, now: datetime) -> Select:
    query = query.where(Case.status == CaseStatus.UNDER_PLATFORM_REVIEW)
    if f.kind:
        if f.kind not in KINDS:
            raise InvalidInput("Unknown kind of case.")
        query = query.where(Case.appealed.is_(f.kind == "appeal"))
    if f.reason:
        if f.reason not in {reason.value for reason in Reason}:
            raise InvalidInput("Unknown reason.")
        query = query.where(Case.reason == f.reason)
    if f.amount_from.strip():
        query = query.where(Case.amount_minor >= _amount(f.amount_from))
    if f.amount_to.strip():
        query = query.where(Case.amount_minor <= _amount(f.amount_to))
    if f.older_than_days:
        if not 0 < f.older_than_days <= 3650:
            raise InvalidInput("Age is a number of days, up to 3,650.")
        query = query.where(Case.opened_at <= now - timedelta(days=f.older_than_days))
    if f.claimed:
        if f.claimed not in CLAIMED:
            raise InvalidInput("Unknown claim filter.")
        mine = Case.assigned_reviewer_id == user.id
        query = query.where(mine if f.claimed == "mine" else Case.assigned_reviewer_id.is_(None))
    return query


def _amount(text: str) -> int:
    """An amount bound in minor units; the queue spans currencies, compared as their minor units."""
    try:
        amount = parse_money(text, "USD")
    except InvalidInput:
        raise InvalidInput("Amounts look like 19 or 19.50.") from None
    if not 0 <= amount <= 10**12:
        raise InvalidInput("Amounts go from 0 to 10,000,000,000.")
    return amount


def _row(
    case: Case, business: str, buyer: str, claimer: str | None, entered: datetime | None, now: datetime
) -> QueueRow:
    return QueueRow(
        case_id=case.id,
        kind="appeal" if case.appealed else "escalation",
        reason=REASON_LABELS[Reason(case.reason)],
        amount=format_money(case.amount_minor, case.currency),
        business=business,
        buyer=buyer,
        opened_at=case.opened_at,
        in_review_since=entered,
        target=case.due_at,
        overdue=case.due_at is not None and case.due_at <= now,
        claimed_by=claimer or "",
    )
