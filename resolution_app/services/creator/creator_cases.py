"""The creator's Resolution center table: counting, filtering, sorting and paging cases in the database."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Row,
    Select,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    type_coerce,
)
from sqlmodel import Session, select

from resolution_app.domain.enums import REASON_LABELS, STATUS_LABELS, CaseStatus, Reason
from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.money import format_money
from resolution_app.domain.next_step import someones_deadline
from resolution_app.domain.partial_refunds import payment_status_label
from resolution_app.domain.text import has_control_characters
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.models import BusinessMember, Case, Payment, Product, TablePreference, User
from resolution_app.models.base import UTCDateTime
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
# No business has more cases than an integer id can number: a page beyond that is past the end whatever the filter,
# and its offset would overflow the database's bigint.
MOST_CASES = 2**31 - 1
# The dates a filter may name: the platform's whole life, with room; beyond them a day has no next day to end on.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)
# What a row of the table needs, as plain columns: building ORM objects for them cost more than the query.
ROW_COLUMNS = (
    Case.id,
    Case.reason,
    Case.amount_minor,
    Case.currency,
    Case.status,
    Case.opened_at,
    Case.due_at,
    Case.resolved_at,
    User.name.label("customer_name"),
    User.email.label("customer_email"),
    User.username.label("customer_username"),
    Product.name.label("product"),
    Payment.status.label("payment_status"),
    Payment.refunded_minor,
)


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
        for day in (self.opened_from, self.opened_to):
            if day and not FIRST_DAY <= day <= LAST_DAY:
                raise InvalidInput(f"Dates go from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}.")
        if self.opened_from and self.opened_to and self.opened_from > self.opened_to:
            raise InvalidInput("The start date is after the end date.")
        if len(self.search) > 200:
            raise InvalidInput("The search is too long.")
        if has_control_characters(self.search):
            raise InvalidInput("The search can't contain control characters.")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput("Unknown time zone.") from None

    def day_start(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(self.time_zone))


def filter_from_query(params: Mapping[str, str]) -> CaseFilter:
    """The filter as text, the way the table's inputs and the export link's query string carry it."""
    return CaseFilter(
        opened_from=_day(params.get("opened_from", "")),
        opened_to=_day(params.get("opened_to", "")),
        status=params.get("status", ""),
        reason=params.get("reason", ""),
        search=params.get("search", ""),
        sort=params.get("sort") or "opened",
        descending=_flag(params.get("descending", "1")),
        time_zone=params.get("time_zone") or "UTC",
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise InvalidInput("Dates look like 2026-11-22.") from None


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise InvalidInput("The sort direction is 1 (descending) or 0 (ascending).")
    return text == "1"


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
    amount: str  # formatted for people, e.g. "$19.00"
    status: str
    status_label: str
    waiting_on_creator: bool
    opened_at: datetime
    due_at: datetime | None  # someone's deadline; none while the platform reviews
    overdue: bool
    resolved_at: datetime | None
    refunded_minor: int  # of the payment: all, part (a partial refund) or none
    payment_status: str  # "Succeeded", "Partially refunded ($8.00 of $19.00)"...


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class TableView:
    """What the Resolution center page shows around its rows."""

    cases: CasePage
    open_resolutions: int
    columns: list[str]


@dataclass(frozen=True)
class _Shape:
    """What a filter's statements depend on apart from values: which conditions they have, and their order. Each
    statement is built once per shape, on bind parameters (see _values), and run as the very object SQLAlchemy
    compiled: built afresh for each page, building it and matching it to its cached compilation took 1-2 ms of a
    4-6 ms page."""

    opened_from: bool
    opened_to: bool
    status: str  # "", WAITING_FILTER or _ONE_STATUS
    reason: bool
    search: bool
    sort: str
    descending: bool


_ONE_STATUS = "one"


def _shape(f: CaseFilter) -> _Shape:
    status = f.status if f.status in ("", WAITING_FILTER) else _ONE_STATUS
    search = bool(f.search.strip())
    return _Shape(bool(f.opened_from), bool(f.opened_to), status, bool(f.reason), search, f.sort, f.descending)


def _values(f: CaseFilter, business_ids: list[int]) -> dict[str, object]:
    """The values of the bind parameters of _filtered (those of conditions a statement lacks go unused)."""
    return {
        "business_ids": business_ids,
        "opened_from": f.day_start(f.opened_from) if f.opened_from else None,
        "opened_before": f.day_start(f.opened_to + timedelta(days=1)) if f.opened_to else None,
        "waiting": [status.value for status in WAITING_ON_CREATOR],
        "status": f.status,
        "reason": f.reason,
        "needle": f"%{f.search.strip().lower()}%",
    }


def _filtered(query: Select, shape: _Shape) -> Select:
    """The query limited to the businesses' cases that meet the shape's conditions."""
    query = query.where(Case.business_id.in_(bindparam("business_ids", expanding=True)))
    if shape.opened_from:
        query = query.where(Case.opened_at >= bindparam("opened_from"))
    if shape.opened_to:
        query = query.where(Case.opened_at < bindparam("opened_before"))
    if shape.status == WAITING_FILTER:
        query = query.where(Case.status.in_(bindparam("waiting", expanding=True)))
    elif shape.status:
        query = query.where(Case.status == bindparam("status"))
    if shape.reason:
        query = query.where(Case.reason == bindparam("reason"))
    if shape.search:
        query = query.where(User.search_text.like(bindparam("needle")))  # one trigram index answers it
    return query


# The export's: the same, with dates as the driver reads them (aware, in the session's zone; csv_cells.iso_utc
# writes them in UTC) rather than through UTCDateTime for each of 300,000 values. In csv_cells.ExportRow's order,
# which a test checks.
EXPORT_COLUMNS = tuple(
    type_coerce(column, DateTime(timezone=True)).label(column.key) if isinstance(column.type, UTCDateTime) else column
    for column in ROW_COLUMNS
)


def _rows_select(columns: tuple) -> Select:
    return (
        select(*columns)
        .join(User, User.id == Case.buyer_id)
        .join(Payment, Payment.id == Case.payment_id)
        .join(Product, Product.id == Payment.product_id)
    )


_ROWS, _EXPORT_ROWS = _rows_select(ROW_COLUMNS), _rows_select(EXPORT_COLUMNS)


# Each sort's ORDER BY, built once (empty values last, then newest id first): (sort key, descending) -> clauses.
def _orders(sorts: Mapping[str, ColumnElement]) -> dict[tuple[str, bool], tuple[ColumnElement, ColumnElement]]:
    return {
        (key, descending): (column.desc().nulls_last() if descending else column.asc().nulls_last(), Case.id.desc())
        for key, column in sorts.items()
        for descending in (True, False)
    }


_ORDERS = _orders(SORTS)
# Sorted by resolution, fewer matches than this are read through the filter's index, then sorted: a few thousand rows
# sort in a millisecond or two. Walking the sort's index instead, the planner counts on meeting 25 matches early, but
# those filters run against that sort (waiting cases have no resolved date; October's cases were resolved after all of
# September's), so it reads most of the business first: 100 ms where the filter's own index takes 20. For the other
# sorts the walk meets its matches early and is the faster.
SPARSE_MATCHES = 20_000
SPARSE_SORTS = frozenset({"resolved"})
# The same orders on expressions no index has (adding nothing changes no value), so PostgreSQL takes the filter's.
_NOTHING = {key: literal_column("0" if key == "amount" else "interval '0'") for key in SORTS}
_SPARSE_ORDERS = _orders({key: column + _NOTHING[key] for key, column in SORTS.items()})


def _rows_query(shape: _Shape, rows: Select = _ROWS) -> Select:
    return _filtered(rows.order_by(*_ORDERS[shape.sort, shape.descending]), shape)


_OFFSET, _LIMIT = bindparam("offset"), bindparam("limit")


@cache
def _count_statement(shape: _Shape) -> Select:
    query = select(func.count()).select_from(Case)  # count(*), not count(id): the index alone can answer it
    if shape.search:
        query = query.join(User, User.id == Case.buyer_id)
    return _filtered(query, shape)


@cache
def _page_statement(shape: _Shape, sparse: bool) -> Select:
    """One page of rows, read the way the number of matches suits (see SPARSE_MATCHES)."""
    if not sparse:
        return _rows_query(shape).offset(_OFFSET).limit(_LIMIT)
    # The page's cases chosen from the case table alone, then joined: joining every match before sorting cost more.
    chosen = select(Case.id).order_by(*_SPARSE_ORDERS[shape.sort, shape.descending]).offset(_OFFSET).limit(_LIMIT)
    chosen = _filtered(chosen, shape).subquery()
    return _ROWS.join(chosen, chosen.c.id == Case.id).order_by(*_ORDERS[shape.sort, shape.descending])


@cache
def _searched_statement(shape: _Shape) -> Select:
    """A search's page and its count in one statement. Its matches are the cases of the customers the trigram index
    found, joined by hash to the business's cases as the covering index ix_case_business_buyer holds them, whatever
    the sort; counting them (a window over the same matches) then costs nothing more, where a count of its own read
    them all a second time. Materialized, so the planner can't sort the business's every case first instead. Walking
    the sort's index took 100-130 ms where the other filters run against the sort (waiting cases have no resolved
    date)."""
    matched = select(Case.id, SORTS[shape.sort].label("sort_value")).join(User, User.id == Case.buyer_id)
    matched = _filtered(matched, shape).cte("matched").prefix_with("MATERIALIZED")
    value = matched.c.sort_value.desc() if shape.descending else matched.c.sort_value.asc()
    chosen = select(matched.c.id, func.count().over().label("total")).order_by(value.nulls_last(), matched.c.id.desc())
    chosen = chosen.offset(_OFFSET).limit(_LIMIT).subquery()
    return (
        _ROWS.add_columns(chosen.c.total)
        .join(chosen, chosen.c.id == Case.id)
        .order_by(*_ORDERS[shape.sort, shape.descending])
    )


def _row(r: Row, now: datetime) -> CaseRow:
    deadline = someones_deadline(CaseStatus(r.status), r.due_at)
    return CaseRow(
        case_id=r.id,
        reason=REASON_LABELS[Reason(r.reason)],
        customer_name=r.customer_name,
        customer_email=r.customer_email,
        customer_username=r.customer_username,
        product=r.product,
        amount_minor=r.amount_minor,
        currency=r.currency,
        amount=format_money(r.amount_minor, r.currency),
        status=r.status,
        status_label=STATUS_LABELS[CaseStatus(r.status)],
        waiting_on_creator=r.status in WAITING_ON_CREATOR,
        opened_at=r.opened_at,
        due_at=deadline,
        overdue=deadline is not None and deadline <= now,
        resolved_at=r.resolved_at,
        refunded_minor=r.refunded_minor,
        payment_status=payment_status_label(r.payment_status, r.amount_minor, r.refunded_minor, r.currency),
    )


def _count(session: Session, shape: _Shape, values: dict[str, object]) -> int:
    return session.connection().execute(_count_statement(shape), values).scalar_one()


def _pages(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


def _page(session: Session, business_ids: list[int], f: CaseFilter, page: int, page_size: int) -> CasePage:
    if not business_ids:
        return CasePage(rows=[], total=0, page=1, pages=1)
    shape, values = _shape(f), _values(f, business_ids)
    if shape.search:
        return _searched_page(session, shape, values, max(1, min(page, MOST_CASES // page_size + 1)), page_size)
    total = _count(session, shape, values)  # first: how many match decides how best to read the page
    pages = _pages(total, page_size)
    page = min(max(1, page), pages)  # past the end (the set shrank, or a typed page number): the last page instead
    statement = _page_statement(shape, sparse=total <= SPARSE_MATCHES and f.sort in SPARSE_SORTS)
    found = session.connection().execute(statement, _window(values, page, page_size))
    return CasePage(rows=_rows(found), total=total, page=page, pages=pages)


def _window(values: dict[str, object], page: int, page_size: int) -> dict[str, object]:
    return values | {"offset": (page - 1) * page_size, "limit": page_size}


def _searched_page(session: Session, shape: _Shape, values: dict[str, object], page: int, page_size: int) -> CasePage:
    found = session.connection().execute(_searched_statement(shape), _window(values, page, page_size)).all()
    if found or page == 1:
        total = found[0].total if found else 0
        return CasePage(rows=_rows(found), total=total, page=page, pages=_pages(total, page_size))
    # Past the end (the set shrank, or a typed page number): the last page instead.
    last = _pages(_count(session, shape, values), page_size)
    return _searched_page(session, shape, values, min(page - 1, last), page_size)


def _rows(found: Iterable[Row]) -> list[CaseRow]:
    now = clock.now()
    return [_row(r, now) for r in found]


def list_cases(user: User, f: CaseFilter, page: int = 1, page_size: int = PAGE_SIZE) -> CasePage:
    """One page of the user's businesses' cases; an empty page for someone who is no creator."""
    with read() as session:
        return _page(session, business_ids_of(session, user), f, page, page_size)


def table_view(user: User, f: CaseFilter, page: int = 1) -> TableView:
    """The Resolution center as the page shows it (the badge, the chosen columns, one page), in three statements."""
    with read() as session:
        frame = creator_frame(session, user)
        return TableView(
            cases=_page(session, frame.business_ids, f, page, PAGE_SIZE),
            open_resolutions=frame.open_resolutions,
            columns=_chosen(frame.columns),
        )


@dataclass(frozen=True)
class CreatorFrame:
    business_ids: list[int]
    open_resolutions: int
    columns: str | None


def _frame_statement() -> Select:
    mine = BusinessMember.user_id == bindparam("user_id")
    business_ids = select(func.array_agg(BusinessMember.business_id)).where(mine)
    memberships = select(BusinessMember.business_id).where(mine)
    waiting = select(func.count()).where(Case.business_id.in_(memberships), Case.status.in_(WAITING_ON_CREATOR))
    saved = select(TablePreference.columns).where(
        TablePreference.user_id == bindparam("user_id"), TablePreference.table == TABLE_NAME
    )
    return select(business_ids.scalar_subquery(), waiting.scalar_subquery(), saved.scalar_subquery())


_FRAME = _frame_statement()  # built once: every table load and every creator page's badge runs it


def creator_frame(session: Session, user: User) -> CreatorFrame:
    """The user's businesses, the badge's count and their saved columns, in one statement (one round trip)."""
    ids, count, columns = session.exec(_FRAME, params={"user_id": user.id}).one()
    return CreatorFrame(business_ids=sorted(ids or []), open_resolutions=count, columns=columns)


def iter_pages(user: User, f: CaseFilter, batch: int = 1000) -> Iterator[list[Row]]:
    """Every matching case in the table's order (the CSV export), as raw rows of EXPORT_COLUMNS in keyset pages of
    `batch`: building a CaseRow for each of 100,000 rows would cost more than reading them.

    Each page is its own short transaction, not one cursor held open while a client downloads at its own pace: that
    would pin a pooled connection and an old snapshot. Keyset on (sort value, id) rather than OFFSET: with the sort
    orders' indexes every page is one index range, where OFFSET re-reads all the rows before it. The cost is no single
    snapshot: a case that changes mid-export shows as it is when its page is read.
    """
    with transaction() as session:
        business_ids = business_ids_of(session, user)
    if not business_ids:
        return
    column, shape, values = SORTS[f.sort], _shape(f), _values(f, business_ids)
    # Empty values sort last: read the cases that have one, then those without, so no page needs an OR of the two.
    for run in (column.is_not(None), column.is_(None)):
        yield from _keyset_pages(_rows_query(shape, _EXPORT_ROWS).where(run).limit(batch), values, f, batch)


def _keyset_pages(query: Select, values: dict[str, object], f: CaseFilter, batch: int) -> Iterator[list[Row]]:
    last: Row | None = None
    while True:
        with read() as session:
            # Core, not session.exec: the ORM's row loading took a third of a 100,000-row export.
            page_query = query if last is None else query.where(_after(f, last))
            page = session.connection().execute(page_query, values).all()
        if page:
            yield page
        if len(page) < batch:
            return
        last = page[-1]
        del page  # before the next page is read: one page in memory at a time, not two


def _after(f: CaseFilter, last: Row) -> ColumnElement[bool]:
    """The cases after `last` in its run (all with a sort value, or all without), in _rows_query's order."""
    column = SORTS[f.sort]
    value = getattr(last, column.key)
    if value is None:
        return Case.id < last.id
    # The first condition bounds the index range; the second drops the ties already sent.
    not_before = column <= value if f.descending else column >= value
    return and_(not_before, or_(column != value, Case.id < last.id))


def open_resolutions_count(user: User) -> int:
    """Cases waiting on the creator's businesses: the header's "N open resolutions"."""
    with read() as session:
        return creator_frame(session, user).open_resolutions


def _chosen(saved: str | None) -> list[str]:
    """The saved column keys that (still) exist, in their order; every column until someone chooses."""
    if saved is None:
        return list(COLUMNS)
    return [key for key in saved.split(",") if key in COLUMNS]


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
