"""How fast the creator's Resolution center table and CSV export are on a big platform. Prints figures; not a test.

    python bench/creator_table.py                                   # a local PostgreSQL in a temporary folder
    BENCH_DATABASE_URL=postgresql://... python bench/creator_table.py  # that database, created or emptied first

One business gets 100,000 cases, the platform 1,000,000 in all. Every figure is the median of a few runs: the
service's time beside a hand-written SQL query that returns the same rows from the same database, so the overhead
of the ORM, authorization and row shaping shows.
"""

import argparse
import csv
import io
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from itertools import chain, combinations
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql
from sqlalchemy import Connection, Engine, Result, bindparam, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `python bench/creator_table.py` from the repo root

from bench_database import bench_database_url, fresh_postgres, use_database  # noqa: E402  (bench/, beside this script)

from resolution_app.domain.enums import (  # noqa: E402
    CaseStatus,
    MemberRole,
    Outcome,
    PaymentMethod,
    PaymentStatus,
    Reason,
)
from resolution_app.infra import migrate  # noqa: E402
from resolution_app.infra.db import transaction  # noqa: E402
from resolution_app.models import User  # noqa: E402
from resolution_app.models.base import UTCDateTime  # noqa: E402
from resolution_app.services.creator.creator_cases import PAGE_SIZE, SORTS, CaseFilter, list_cases  # noqa: E402
from resolution_app.services.creator.exports import export_cases_csv  # noqa: E402

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SPAN = timedelta(days=730)  # cases opened over the last two years, in id order
OTHER_BUSINESS_CASES = 1000
BUYERS = 200_000
PRICES = (1900, 4900, 19900)
FIRST_NAMES = ("Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Niaj", "Olivia")
LAST_NAMES = (
    "Moreno",
    "Chen",
    "Diaz",
    "Okafor",
    "Ito",
    "Smith",
    "Novak",
    "Silva",
    "Haddad",
    "Rossi",
    "Olsen",
    "Petrov",
)
STATUS_WEIGHTS = {  # most cases are long closed; a few wait on someone
    CaseStatus.MERCHANT_RESPONSE_NEEDED: 4,
    CaseStatus.CUSTOMER_INFO_NEEDED: 2,
    CaseStatus.CUSTOMER_RESPONSE_NEEDED: 2,
    CaseStatus.UNDER_PLATFORM_REVIEW: 1,  # 10,000 of 1,000,000 (bench/review_queue.py)
    CaseStatus.MERCHANT_INFO_NEEDED: 1,
    CaseStatus.CUSTOMER_WON: 40,
    CaseStatus.MERCHANT_WON: 36,
    CaseStatus.CUSTOMER_WITHDREW: 14,
}
OUTCOMES = {
    CaseStatus.CUSTOMER_WON: Outcome.REFUND,
    CaseStatus.MERCHANT_WON: Outcome.MERCHANT_WINS,
    CaseStatus.CUSTOMER_WITHDREW: Outcome.WITHDRAWN,
}
TIME_ZONE = "Europe/Berlin"
# Each of the page's filters with a value a creator would pick.
FILTERS: dict[str, dict[str, Any]] = {
    "date": {"opened_from": date(2026, 10, 1), "opened_to": date(2026, 10, 31)},
    "status": {"status": "waiting"},
    "reason": {"reason": Reason.NOT_AS_DESCRIBED.value},
    "search": {"search": "moreno"},
}
LATER_PAGE = 50
TABLE_TARGET_SECONDS = 0.050
OWNER_BUSINESS = 1  # the measured business
T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    total: int  # cases on the platform
    big: int  # cases of the measured business

    @property
    def businesses(self) -> int:
        return 1 + (self.total - self.big) // OTHER_BUSINESS_CASES


# --- The database ----------------------------------------------------------------------------------------------------


def migrate_to(engine: Engine, revision: str) -> None:
    if revision == "head":
        migrate.upgrade(engine)  # what the app runs at start-up
        return
    config = Config(str(migrate.ROOT / "alembic.ini"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def load(engine: Engine, table: str, rows: Iterator[dict[str, Any]]) -> int:
    """Bulk-insert rows whose ids are given, with COPY.

    Like a restore, the table's indexes are built after the load rather than kept up row by row, and foreign keys are
    not checked: the generators keep them consistent.
    """
    first = next(rows)  # its keys name the columns
    with _indexes_built_after(engine, table):
        return _copy(engine, table, list(first), chain([first], rows))


@contextmanager
def _indexes_built_after(engine: Engine, table: str) -> Iterator[None]:
    """Drop the table's plain indexes (not those of primary keys and unique constraints), recreate them after."""
    query = (
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :table"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
    )
    with engine.begin() as connection:
        indexes = connection.execute(text(query), {"table": table}).all()
        for name, _ in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    with engine.begin() as connection:
        for _, definition in indexes:
            connection.exec_driver_sql(definition)


def _copy(engine: Engine, table: str, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    # The ids were given, so the id sequence must move past them for the app's own inserts.
    sequence_sql = sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))").format(
        sql.Literal(sql.Identifier(table).as_string()), sql.Identifier(table)
    )
    with psycopg.connect(engine.url.set(drivername="postgresql").render_as_string(hide_password=False)) as connection:
        connection.execute("SET session_replication_role = replica")  # no foreign key triggers for this session
        with connection.cursor() as cursor:
            with cursor.copy(copy_sql) as copy:
                for count, row in enumerate(rows, start=1):  # noqa: B007  (the count is returned)
                    copy.write_row(tuple(row.values()))
            cursor.execute(sequence_sql)
        return count


# --- The data --------------------------------------------------------------------------------------------------------


def users(scale: Scale) -> Iterator[dict[str, Any]]:
    """One owner per business (user id = business id), then the buyers."""
    rng = random.Random(1)
    for n in range(1, scale.businesses + BUYERS + 1):
        role, name = ("creator", f"Creator {n}") if n <= scale.businesses else ("buyer", _person(rng))
        yield {
            "id": n,
            "email": f"{role}{n}@example.com",
            "username": f"{role}{n}",
            "name": name,
            "password_hash": "-",
            "is_reviewer": False,
            "emails_enabled": True,
            "created_at": NOW - SPAN,
        }


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def businesses(scale: Scale) -> Iterator[dict[str, Any]]:
    for n in range(1, scale.businesses + 1):
        yield {"id": n, "name": f"Business {n}", "currency": "USD", "created_at": NOW - SPAN}


def members(scale: Scale) -> Iterator[dict[str, Any]]:
    for n in range(1, scale.businesses + 1):
        yield {"id": n, "business_id": n, "user_id": n, "role": MemberRole.OWNER.value}


def products(scale: Scale) -> Iterator[dict[str, Any]]:
    for n in range(1, scale.businesses + 1):
        for i, price in enumerate(PRICES):
            product_id = (n - 1) * len(PRICES) + i + 1
            yield {
                "id": product_id,
                "business_id": n,
                "name": f"Course {product_id}",
                "price_minor": price,
                "currency": "USD",
            }


@dataclass(frozen=True)
class Sale:
    """A payment and its case (same id). Drawn from a seeded generator, so the two tables' passes agree."""

    id: int
    business_id: int
    buyer_id: int
    product_id: int
    amount_minor: int
    reason: str
    status: CaseStatus
    opened_at: datetime
    took: timedelta  # until resolved, for closed cases

    @property
    def closed(self) -> bool:
        return self.status in OUTCOMES


def sales(scale: Scale) -> Iterator[Sale]:
    rng = random.Random(2)
    owners = [1] * scale.big + [b for b in range(2, scale.businesses + 1) for _ in range(OTHER_BUSINESS_CASES)]
    rng.shuffle(owners)  # businesses' cases interleave on disk, as they do when they arrive over time
    statuses, weights, reasons = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()), list(Reason)
    first_buyer, step = scale.businesses + 1, SPAN / len(owners)
    for n, business_id in enumerate(owners, start=1):
        price = rng.randrange(len(PRICES))
        yield Sale(
            id=n,
            business_id=business_id,
            buyer_id=rng.randrange(first_buyer, first_buyer + BUYERS),
            product_id=(business_id - 1) * len(PRICES) + price + 1,
            amount_minor=PRICES[price],
            reason=rng.choice(reasons).value,
            status=rng.choices(statuses, weights)[0],
            opened_at=NOW - SPAN + step * n,
            took=timedelta(minutes=rng.randrange(60, 14 * 24 * 60)),
        )


def payments(scale: Scale) -> Iterator[dict[str, Any]]:
    for s in sales(scale):
        refunded = s.status == CaseStatus.CUSTOMER_WON
        yield {
            "id": s.id,
            "buyer_id": s.buyer_id,
            "business_id": s.business_id,
            "product_id": s.product_id,
            "method": PaymentMethod.CARD.value,
            "status": (PaymentStatus.REFUNDED if refunded else PaymentStatus.SUCCEEDED).value,
            "amount_minor": s.amount_minor,
            "currency": "USD",
            "paid_at": s.opened_at - timedelta(days=3),
            "refunded_at": s.opened_at + s.took if refunded else None,
        }


def cases(scale: Scale) -> Iterator[dict[str, Any]]:
    for s in sales(scale):
        resolved_at = s.opened_at + s.took if s.closed else None
        yield {
            "id": s.id,
            "payment_id": s.id,
            "buyer_id": s.buyer_id,
            "business_id": s.business_id,
            "reason": s.reason,
            "description": "Bench case.",
            "status": s.status.value,
            "due_at": None if s.closed else s.opened_at + timedelta(days=3),
            "decided_by_reviewer": False,
            "appealed": False,
            "paid_out": False,
            "creator_paid": False,
            "outcome": OUTCOMES[s.status].value if s.closed else None,
            "amount_minor": s.amount_minor,
            "currency": "USD",
            "opened_at": s.opened_at,
            "resolved_at": resolved_at,
            "updated_at": resolved_at or s.opened_at,
            "version": 1,
        }


TABLES: dict[str, Callable[[Scale], Iterator[dict[str, Any]]]] = {
    "user": users,
    "business": businesses,
    "business_member": members,
    "product": products,
    "payment": payments,
    "case": cases,
}


def filled(engine: Engine, url: str, revision: str, scale: Scale) -> None:
    """An empty database at `revision`, filled to `scale`."""
    engine.dispose()  # no pooled connection may hold the schema being dropped
    fresh_postgres(url)
    migrate_to(engine, revision)
    fill(engine, scale)


def fill(engine: Engine, scale: Scale) -> None:
    started = time.perf_counter()
    counts = {table: load(engine, table, rows(scale)) for table, rows in TABLES.items()}
    filled = time.perf_counter() - started
    refresh_statistics(engine)
    print("Fill: " + ", ".join(f"{count:,} {table}" for table, count in counts.items()), end="")
    print(f" in {filled:.0f} s (index builds included); statistics {time.perf_counter() - started - filled:.0f} s")


def refresh_statistics(engine: Engine) -> None:
    """Statistics and the visibility map as autovacuum would leave them soon after such a load."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


# --- The same questions, asked by hand -------------------------------------------------------------------------------

PLAIN_SELECT = (
    "SELECT c.id, c.reason, c.status, c.amount_minor, c.currency, c.opened_at, c.due_at, c.resolved_at,"
    " u.name, u.email, u.username, p.name AS product, pay.status AS payment_status, pay.refunded_minor"
    ' FROM "case" c JOIN "user" u ON u.id = c.buyer_id'
    " JOIN payment pay ON pay.id = c.payment_id JOIN product p ON p.id = pay.product_id"
)


def plain_where(f: CaseFilter, business_id: int) -> tuple[str, dict[str, Any]]:
    clauses, values = ["c.business_id = :business_id"], {"business_id": business_id}
    zone = ZoneInfo(f.time_zone)
    if f.opened_from:
        clauses.append("c.opened_at >= :opened_from")
        values["opened_from"] = datetime.combine(f.opened_from, day_time.min, zone)
    if f.opened_to:
        clauses.append("c.opened_at < :opened_before")
        values["opened_before"] = datetime.combine(f.opened_to + timedelta(days=1), day_time.min, zone)
    if f.status == "waiting":
        clauses.append("c.status IN ('merchant_response_needed', 'merchant_info_needed')")
    if f.reason:
        clauses.append("c.reason = :reason")
        values["reason"] = f.reason
    if f.search:
        clauses.append("u.search_text LIKE :needle")
        values["needle"] = f"%{f.search.lower()}%"
    return " AND ".join(clauses), values


def plain_order(f: CaseFilter) -> str:
    return f"c.{SORTS[f.sort].key} {'DESC' if f.descending else 'ASC'} NULLS LAST, c.id DESC"


def run_sql(connection: Connection, statement: str, values: dict[str, Any]) -> Result:
    # Datetimes go through the app's column type, as the ORM's do.
    typed = [bindparam(name, type_=UTCDateTime()) for name, value in values.items() if isinstance(value, datetime)]
    return connection.execute(text(statement).bindparams(*typed), values)


MEMBERSHIP = "SELECT business_id FROM business_member WHERE user_id = :user_id"


def plain_page(engine: Engine, f: CaseFilter, user_id: int, page: int) -> tuple[int, list[int]]:
    """The same work as the service, the plainest way: which business the user may see, then its count and page."""
    counted = 'FROM "case" c JOIN "user" u ON u.id = c.buyer_id' if f.search else 'FROM "case" c'
    limit = f"LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}"
    with engine.begin() as connection:
        (business_id,) = connection.execute(text(MEMBERSHIP), {"user_id": user_id}).scalars().all()
        where, values = plain_where(f, business_id)
        total = run_sql(connection, f"SELECT count(*) {counted} WHERE {where}", values).scalar_one()
        rows = run_sql(connection, f"{PLAIN_SELECT} WHERE {where} ORDER BY {plain_order(f)} {limit}", values)
        return total, [row.id for row in rows]


def _psycopg_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _plain_export_sql(business_id: int) -> str:
    f = CaseFilter()
    return f"{PLAIN_SELECT} WHERE c.business_id = {int(business_id)} ORDER BY {plain_order(f)}"


def plain_export(engine: Engine, business_id: int) -> int:
    """The floor: the same rows in the same order through psycopg (one server-side cursor), written with Python's csv
    module in chunks as the service writes them. Returns the characters written."""
    buffer, size = io.StringIO(), 0
    writer = csv.writer(buffer)
    with psycopg.connect(_psycopg_url(engine)) as connection, connection.cursor(name="export") as cursor:
        cursor.itersize = 1000
        cursor.execute(_plain_export_sql(business_id))
        while rows := cursor.fetchmany(1000):
            writer.writerows(rows)
            size += len(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    return size


def copy_export(engine: Engine, business_id: int) -> int:
    """A lower reference: PostgreSQL writes the CSV itself (COPY ... TO STDOUT WITH CSV). Returns the bytes."""
    copy_sql = f"COPY ({_plain_export_sql(business_id)}) TO STDOUT WITH CSV"
    with psycopg.connect(_psycopg_url(engine)) as connection, connection.cursor().copy(copy_sql) as copy:
        return sum(len(data) for data in copy)


# --- Measuring -------------------------------------------------------------------------------------------------------

SORT_ORDERS = [(sort, descending) for sort in SORTS for descending in (True, False)]


def timed(call: Callable[[], T], runs: int) -> tuple[float, T]:
    """The median seconds of `runs` calls, and the last call's result."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def service_page(owner: User, f: CaseFilter, page: int) -> tuple[int, list[int]]:
    result = list_cases(owner, f, page)
    return result.total, [row.case_id for row in result.rows]


# Calls of each page before it is timed, so that both sides are measured as a running server runs them: psycopg
# prepares a statement on its sixth run on a connection, and PostgreSQL plans a prepared statement afresh for five
# runs before it may settle on one generic plan. The two plans of one page differed by up to 5x, either way, so
# fewer warm calls compared one side's settled plan with the other's first.
WARM_CALLS = 12


def compare_page(engine: Engine, owner: User, f: CaseFilter, page: int, runs: int) -> tuple[float, float, int]:
    """Seconds of the service and of the plain SQL for one page, checked to be the same rows; and the match count."""
    for _ in range(WARM_CALLS):
        service_page(owner, f, page), plain_page(engine, f, owner.id, page)
    service, (total, ids) = timed(lambda: service_page(owner, f, page), runs)
    plain, plain_result = timed(lambda: plain_page(engine, f, owner.id, page), runs)
    if (total, ids) != plain_result:
        raise SystemExit(f"The plain SQL disagrees with the service for {f}, page {page}.")
    return service, plain, total


def ms(seconds: float) -> str:
    millis = seconds * 1000
    return f"{millis:.0f}" if millis >= 9.95 else f"{millis:.1f}"


def sort_label(sort: str, descending: bool) -> str:
    return f"{sort} {'desc' if descending else 'asc'}"


def print_pages(engine: Engine, owner: User, runs: int) -> None:
    print(f"\nlist_cases without filters, pages 1 and {LATER_PAGE} (ms, service / plain SQL; a page = count + 25 rows)")
    for sort, descending in SORT_ORDERS:
        f = CaseFilter(sort=sort, descending=descending, time_zone=TIME_ZONE)
        cells = []
        for page in (1, LATER_PAGE):
            service, plain, _ = compare_page(engine, owner, f, page, runs)
            cells.append(f"page {page:>2}: {ms(service):>5} / {ms(plain):<5}")
        print(f"  {sort_label(sort, descending):<15}" + "  ".join(cells))


def print_filter_matrix(engine: Engine, owner: User, runs: int) -> str:
    print("\nlist_cases page 1, every filter combination by every sort (ms, service/plain SQL)")
    print(f"  {'filters':<26}{'rows':>8}" + "".join(f"{sort_label(*order):>15}" for order in SORT_ORDERS))
    figures: list[tuple[float, float, str]] = []  # (service, plain, which) of every page
    for size in range(len(FILTERS) + 1):
        for chosen in combinations(FILTERS, size):
            fields = {key: value for name in chosen for key, value in FILTERS[name].items()}
            cells = []
            for sort, descending in SORT_ORDERS:
                f = CaseFilter(sort=sort, descending=descending, time_zone=TIME_ZONE, **fields)
                service, plain, total = compare_page(engine, owner, f, 1, runs)
                cells.append(f"{ms(service)}/{ms(plain)}")
                figures.append((service, plain, f"{'+'.join(chosen) or 'none'}, {sort_label(sort, descending)}"))
            print(f"  {'+'.join(chosen) or 'none':<26}{total:>8,}" + "".join(f"{cell:>15}" for cell in cells))
    slowest, widest = max(figures), max(figures, key=lambda figure: figure[0] / figure[1])
    print(f"  slowest: {slowest[2]}, {ms(slowest[0])} ms (target 50); plain SQL {ms(slowest[1])} ms")
    print(f"  largest ratio: {widest[2]}, {widest[0] / widest[1]:.2f} (target 1.5)")
    over = [figure[2] for figure in figures if figure[0] > TABLE_TARGET_SECONDS]
    print(f"  over 50 ms: {', '.join(over) or 'none'}")
    return result_line("table_worst", slowest[0] * 1000, slowest[1] * 1000, "ms")


def service_export(user: User) -> int:
    return sum(len(chunk) for chunk in export_cases_csv(user, CaseFilter()))


def export_peak(user: User) -> tuple[int, int]:
    """The characters exported and the most memory Python held at once meanwhile (tracemalloc: slower, so apart)."""
    tracemalloc.start()
    try:
        return service_export(user), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def print_export(engine: Engine, owner: User, scale: Scale, runs: int) -> str:
    service, text_size = timed(lambda: service_export(owner), runs)
    plain, _ = timed(lambda: plain_export(engine, OWNER_BUSINESS), runs)
    copied, _ = timed(lambda: copy_export(engine, OWNER_BUSINESS), runs)
    rows = scale.big
    print(f"\nCSV export of the business's {rows:,} cases, opened desc ({text_size / 1e6:.1f} MB of CSV)")
    print(f"  service, exports.export_cases_csv:      {service:6.2f} s = {rows / service:>9,.0f} rows/s")
    print(f"  floor, the same SQL via psycopg + csv:   {plain:6.2f} s = {rows / plain:>9,.0f} rows/s")
    print(f"  reference, COPY ... TO STDOUT WITH CSV:  {copied:6.2f} s = {rows / copied:>9,.0f} rows/s")
    print(f"  ratio to the floor: {service / plain:.2f} (target 1.5)")
    print_export_peak(owner, rows)
    return result_line("export_100k", service, plain, "s")


def print_export_peak(owner: User, rows: int) -> None:
    size, peak = export_peak(owner)
    print(f"  peak Python memory exporting {rows:>9,} rows ({size / 1e6:4.0f} MB of CSV): {peak / 1e6:5.1f} MB")


def result_line(name: str, value: float, floor: float, unit: str) -> str:
    return f"RESULT {name} value={value:.4g} floor={floor:.4g} ratio={value / floor:.2f} unit={unit}"


def server_version(engine: Engine) -> str:
    with engine.connect() as connection:
        return "PostgreSQL " + connection.exec_driver_sql("SHOW server_version").scalar_one().split()[0]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown")
    parser.add_argument("--total", type=int, default=1_000_000, help="cases on the platform")
    parser.add_argument("--big", type=int, default=100_000, help="cases of the measured business")
    parser.add_argument("--revision", default="head", help="migrate only this far, e.g. to compare without an index")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rc-bench-") as folder, ExitStack() as stack:
        url = bench_database_url(stack, Path(folder) / "postgres")
        engine = use_database(url)
        scale = Scale(total=args.total, big=args.big)
        print(
            f"{server_version(engine)}, migrations at {args.revision}; {scale.total:,} cases on the platform, ", end=""
        )
        print(f"{scale.big:,} in the measured business; median of {args.runs} runs")
        filled(engine, url, args.revision, scale)
        with transaction() as session:
            owner = session.get(User, OWNER_BUSINESS)  # user n owns business n
        print_pages(engine, owner, args.runs)
        results = [print_filter_matrix(engine, owner, args.runs), print_export(engine, owner, scale, args.runs)]
        # Memory must not grow with the rows: the same export again, the business now owning every case.
        filled(engine, url, args.revision, Scale(total=args.total, big=args.total))
        print_export_peak(owner, args.total)
        engine.dispose()
    print(f"\nTotal {time.perf_counter() - started:.0f} s")
    print("\n".join(results))


if __name__ == "__main__":
    main()
