"""The creator's Resolution center table: counting, filtering, sorting and paging cases in the database."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, func, or_
from sqlmodel import Session, select

from resolution_app.domain.enums import REASON_LABELS, STATUS_LABELS, CaseStatus, Reason
from resolution_app.domain.errors import InvalidInput
from resolution_app.infra.db import transaction
from resolution_app.models import Case, Payment, Product, TablePreference, User
from resolution_app.services.access import business_ids_of

WAITING_ON_CREATOR = (CaseStatus.MERCHANT_RESPONSE_NEEDED, CaseStatus.MERCHANT_INFO_NEEDED)
WAITING_FILTER = "waiting"  # the status filter "Waiting on you", where the header badge links
PAGE_SIZE = 25
SORTS = {"opened": Case.opened_at, "due": Case.due_at, "resolved": Case.resolved_at, "amount": Case.amount_minor}
COLUMNS: dict[str, str] = {
    "reason": "Reason",
    "customer": "Customer",
    "product": "Product",
    "amount": "Amount",
    "status": "Status",
    "opened": "Opened",
    "due": "Due",
    "resolved": "Resolved",
}
TABLE_NAME = "creator_resolutions"


@dataclass(frozen=True)
class CaseFilter:
    opened_from: date | None = None
    opened_to: date | None = None  # inclusive
    status: str = ""  # "", WAITING_FILTER or a CaseStatus value
    reason: str = ""
    search: str = ""  # customer name, email or username
    sort: str = "opened"
    descending: bool = True
    time_zone: str = "UTC"  # the viewer's, so "opened between" means their calendar days

    def __post_init__(self) -> None:
        if self.status and self.status != WAITING_FILTER and self.status not in CaseStatus.__members__.values():
            raise InvalidInput("Unknown status filter.")
        if self.reason and self.reason not in Reason.__members__.values():
            raise InvalidInput("Unknown reason filter.")
        if self.sort not in SORTS:
            raise InvalidInput("Unknown sort.")
        if self.opened_from and self.opened_to and self.opened_from > self.opened_to:
            raise InvalidInput("The start date is after the end date.")
        if len(self.search) > 200:
            raise InvalidInput("The search is too long.")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput("Unknown time zone.") from None

    def day_start(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(self.time_zone))


@dataclass(frozen=True)
class CaseRow:
    case_id: int
    reason: str
    customer_name: str
    customer_email: str
    customer_username: str
    product: str
    amount_minor: int
    currency: str
    status: str
    status_label: str
    opened_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None

    @property
    def waiting_on_creator(self) -> bool:
        return self.status in WAITING_ON_CREATOR


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total: int
    page: int
    pages: int
    columns: list[str] = field(default_factory=list)


def _scoped(query: Select, business_ids: list[int]) -> Select:
    return query.where(Case.business_id.in_(business_ids))


def _filtered(query: Select, f: CaseFilter) -> Select:
    if f.opened_from:
        query = query.where(Case.opened_at >= f.day_start(f.opened_from))
    if f.opened_to:
        query = query.where(Case.opened_at < f.day_start(f.opened_to + timedelta(days=1)))
    if f.status == WAITING_FILTER:
        query = query.where(Case.status.in_(WAITING_ON_CREATOR))
    elif f.status:
        query = query.where(Case.status == f.status)
    if f.reason:
        query = query.where(Case.reason == f.reason)
    if f.search.strip():
        needle = f"%{f.search.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(needle), User.email.like(needle), func.lower(User.username).like(needle))
        )
    return query


def _rows_query(business_ids: list[int], f: CaseFilter) -> Select:
    column = SORTS[f.sort]
    order = [column.desc().nulls_last() if f.descending else column.asc().nulls_last(), Case.id.desc()]
    query = (
        select(Case, User.name, User.email, User.username, Product.name)
        .join(User, User.id == Case.buyer_id)
        .join(Payment, Payment.id == Case.payment_id)
        .join(Product, Product.id == Payment.product_id)
        .order_by(*order)
    )
    return _filtered(_scoped(query, business_ids), f)


def _row(case: Case, name: str, email: str, username: str, product: str) -> CaseRow:
    return CaseRow(
        case_id=case.id,
        reason=REASON_LABELS[Reason(case.reason)],
        customer_name=name,
        customer_email=email,
        customer_username=username,
        product=product,
        amount_minor=case.amount_minor,
        currency=case.currency,
        status=case.status,
        status_label=STATUS_LABELS[CaseStatus(case.status)],
        opened_at=case.opened_at,
        due_at=case.due_at,
        resolved_at=case.resolved_at,
    )


def _count(session: Session, business_ids: list[int], f: CaseFilter) -> int:
    query = select(func.count(Case.id))
    if f.search.strip():
        query = query.join(User, User.id == Case.buyer_id)
    return session.exec(_filtered(_scoped(query, business_ids), f)).one()


def list_cases(user: User, f: CaseFilter, page: int = 1, page_size: int = PAGE_SIZE) -> CasePage:
    """One page of the user's businesses' cases; an empty page for someone who is no creator."""
    with transaction() as session:
        business_ids = business_ids_of(session, user)
        total = _count(session, business_ids, f) if business_ids else 0
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        rows = []
        if business_ids:
            query = _rows_query(business_ids, f).offset((page - 1) * page_size).limit(page_size)
            rows = [_row(*r) for r in session.exec(query)]
        return CasePage(rows=rows, total=total, page=page, pages=pages)


def iter_cases(user: User, f: CaseFilter, batch: int = 1000) -> Iterator[CaseRow]:
    """Every matching case, streamed from the database in batches (the CSV export)."""
    with transaction() as session:
        business_ids = business_ids_of(session, user)
        if not business_ids:
            return
        result = session.exec(_rows_query(business_ids, f).execution_options(yield_per=batch))
        for r in result:
            yield _row(*r)


def open_resolutions_count(user: User) -> int:
    """Cases waiting on the creator's businesses: the header's "N open resolutions"."""
    with transaction() as session:
        business_ids = business_ids_of(session, user)
        if not business_ids:
            return 0
        query = select(func.count(Case.id)).where(Case.status.in_(WAITING_ON_CREATOR))
        return session.exec(_scoped(query, business_ids)).one()


def visible_columns(user: User) -> list[str]:
    with transaction() as session:
        row = session.get(TablePreference, (user.id, TABLE_NAME))
        if row is None:
            return list(COLUMNS)
        return [key for key in row.columns.split(",") if key in COLUMNS]


def save_columns(user: User, columns: list[str]) -> list[str]:
    chosen = [key for key in COLUMNS if key in set(columns)]  # the table's order, known keys only
    if not chosen:
        raise InvalidInput("Keep at least one column.")
    with transaction() as session:
        row = session.get(TablePreference, (user.id, TABLE_NAME)) or TablePreference(
            user_id=user.id, table=TABLE_NAME, columns=""
        )
        row.columns = ",".join(chosen)
        session.add(row)
    return chosen
