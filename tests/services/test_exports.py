"""The creator's CSV export: the table's rows, safely quoted, only the creator's own, in constant memory."""

import tracemalloc
from datetime import timedelta

import pytest
from sqlmodel import select

from resolution_app.domain.csv_cells import EXPORT_HEADER, ExportRow
from resolution_app.domain.enums import CaseStatus, MemberRole, PaymentMethod, PaymentStatus, Reason
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Business, BusinessMember, Case, Payment, Product, User
from resolution_app.services.accounts import add_user
from resolution_app.services.creator import creator_cases
from resolution_app.services.creator.creator_cases import SORTS, WAITING_FILTER, CaseFilter, iter_pages, list_cases
from resolution_app.services.creator.exports import ROWS_PER_CHUNK, export_cases_csv
from resolution_app.services.demo_data import CASES as DEMO_CASES
from tests.conftest import NOW
from tests.services.export_rows import csv_rows, table_rows
from tests.services.factories import DESCRIPTION


def _parsed(user: User, f: CaseFilter) -> list[list[str]]:
    return csv_rows("".join(export_cases_csv(user, f)))


def _customer(name: str, email: str) -> User:
    with transaction() as session:
        return add_user(session, name, email, "not-a-password-hash")


def _product_of(business_id: int) -> Product:
    with transaction() as session:
        return session.exec(select(Product).where(Product.business_id == business_id)).first()


def _creators_product(world) -> Product:
    with transaction() as session:
        query = select(Product).join(BusinessMember, BusinessMember.business_id == Product.business_id)
        return session.exec(query.where(BusinessMember.user_id == world.creator.id)).first()


def _new_business(owner_email: str) -> tuple[User, Product]:
    """Another creator's business with one product: its owner and the product."""
    owner = _customer("Olive Other", owner_email)
    with transaction() as session:
        business = Business(name="Other Academy", created_at=clock.now())
        session.add(business)
        session.flush()
        session.add(BusinessMember(business_id=business.id, user_id=owner.id, role=MemberRole.OWNER))
        session.add(Product(business_id=business.id, name="Other Course", price_minor=2500, currency="USD"))
    return owner, _product_of(business.id)


def _add_cases(buyer: User, product: Product, count: int = 1, **case_fields) -> None:
    """`count` cases of `buyer` against `product`'s business, each on a payment of its own, in one transaction."""
    now = clock.now()
    fields = {
        "reason": Reason.NOT_AS_DESCRIBED,
        "status": CaseStatus.MERCHANT_RESPONSE_NEEDED,
        "amount_minor": product.price_minor,
        "opened_at": now,
    } | case_fields
    with transaction() as session:
        payments = [
            Payment(
                buyer_id=buyer.id,
                business_id=product.business_id,
                product_id=product.id,
                method=PaymentMethod.CARD,
                status=PaymentStatus.SUCCEEDED,
                amount_minor=fields["amount_minor"],
                currency="USD",
                paid_at=now - timedelta(days=1),
            )
            for _ in range(count)
        ]
        session.add_all(payments)
        session.flush()
        session.add_all(
            Case(
                payment_id=payment.id,
                buyer_id=buyer.id,
                business_id=product.business_id,
                description=DESCRIPTION,
                currency="USD",
                updated_at=now,
                **fields,
            )
            for payment in payments
        )


@pytest.fixture
def crowded(world) -> None:
    """The demo cases plus ties on every sort key and empty due and resolved dates, so the order has edge cases."""
    product = _creators_product(world)
    _add_cases(world.buyer, product, 3, opened_at=NOW - timedelta(days=2), amount_minor=4900)
    closed = {"status": CaseStatus.CUSTOMER_WON, "reason": Reason.PRODUCT_NOT_RECEIVED}
    _add_cases(world.buyer, product, 2, resolved_at=NOW - timedelta(hours=1), **closed)
    _add_cases(world.buyer, product, 2, due_at=NOW + timedelta(days=1), opened_at=NOW - timedelta(days=1))


@pytest.mark.parametrize(
    "f",
    [
        CaseFilter(),
        CaseFilter(status=WAITING_FILTER),
        CaseFilter(status=CaseStatus.CUSTOMER_WON),
        CaseFilter(reason=Reason.NOT_AS_DESCRIBED, sort="amount", descending=False),
        CaseFilter(search="carol"),
        CaseFilter(search="EXAMPLE.COM", sort="due"),
        CaseFilter(opened_from=(NOW - timedelta(days=7)).date(), opened_to=NOW.date(), sort="resolved"),
        CaseFilter(opened_from=NOW.date(), time_zone="Pacific/Kiritimati"),  # UTC+14: the day starts 14 hours early
    ],
    ids=lambda f: repr(f)[len("CaseFilter(") : 60],
)
def test_export_has_the_tables_rows_in_its_order(world, crowded, f):
    table = table_rows(world.creator, f)
    assert len(table) > 1
    assert _parsed(world.creator, f) == table


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [True, False])
def test_keyset_pages_keep_the_order_across_ties_and_empty_dates(world, crowded, sort, descending):
    f = CaseFilter(sort=sort, descending=descending)
    expected = [row.case_id for row in list_cases(world.creator, f, page_size=500).rows]
    for batch in (2, len(expected)):
        assert [row.id for page in iter_pages(world.creator, f, batch) for row in page] == expected


def test_commas_quotes_and_line_breaks_survive_the_round_trip(world):
    name = 'Doe, "Jane"\nSmith'
    _add_cases(_customer(name, "jane@example.com"), _creators_product(world))
    text = "".join(export_cases_csv(world.creator, CaseFilter(search="jane")))
    assert '"Doe, ""Jane""\nSmith"' in text
    assert text.endswith("\r\n")
    rows = csv_rows(text)
    assert len(rows) == 2
    assert rows[1][EXPORT_HEADER.index("Customer name")] == name


def test_a_name_that_is_a_formula_is_neutralised(world):
    _add_cases(_customer('=HYPERLINK("http://evil.example","Refund")', "mallory@example.com"), _creators_product(world))
    rows = _parsed(world.creator, CaseFilter(search="mallory"))
    assert rows[1][EXPORT_HEADER.index("Customer name")] == '\'=HYPERLINK("http://evil.example","Refund")'


def test_no_match_gives_the_header_alone(world):
    assert _parsed(world.creator, CaseFilter(search="nobody-by-this-name")) == [EXPORT_HEADER]


def test_a_buyer_gets_the_header_alone(world):
    assert _parsed(world.buyer, CaseFilter()) == [EXPORT_HEADER]


def test_each_business_exports_only_its_own_cases(world):
    other_owner, other_product = _new_business("olive@example.com")
    _add_cases(world.buyer, other_product)
    theirs, ours = _parsed(other_owner, CaseFilter()), _parsed(world.creator, CaseFilter())
    assert [row[EXPORT_HEADER.index("Product")] for row in theirs[1:]] == ["Other Course"]
    assert {row[0] for row in theirs[1:]}.isdisjoint(row[0] for row in ours[1:])
    assert len(ours) == 1 + len(DEMO_CASES)  # the header and the demo cases


def test_no_connection_is_held_while_the_export_waits_for_the_client(world, database):
    """Between chunks no transaction is open: a slow client must not pin a pooled connection and an old snapshot."""
    _add_cases(world.buyer, _creators_product(world), ROWS_PER_CHUNK + 10)
    chunks = export_cases_csv(world.creator, CaseFilter())
    next(chunks), next(chunks)  # the header, then the first rows: the client is now reading slowly
    assert database.pool.checkedout() == 0
    _add_cases(world.buyer, _creators_product(world))  # and writers go on meanwhile
    assert sum(chunk.count("\r\n") for chunk in chunks) > 0


def _export_peak(user: User) -> tuple[int, int]:
    """The export's size in characters, and the most memory Python held at once while producing it."""
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in export_cases_csv(user, CaseFilter()))
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_however_many_cases(world):
    product = _creators_product(world)
    _add_cases(world.buyer, product, 1000)
    _export_peak(world.creator)  # warm up: compiled statements and caches are not the export's rows
    small_size, small_peak = _export_peak(world.creator)
    _add_cases(world.buyer, product, 4000)
    large_size, large_peak = _export_peak(world.creator)
    assert large_size > 4 * small_size
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [True, False])
def test_a_few_matches_and_many_are_read_into_the_same_page(world, crowded, sort, descending, monkeypatch):
    """Pages of few matches are chosen from the case table, then joined; of many, through the sort's index."""
    f = CaseFilter(sort=sort, descending=descending, status=WAITING_FILTER)
    monkeypatch.setattr(creator_cases, "SPARSE_SORTS", frozenset(SORTS))
    few = [[row.case_id for row in list_cases(world.creator, f, page, page_size=3).rows] for page in (1, 2)]
    monkeypatch.setattr(creator_cases, "SPARSE_MATCHES", 0)
    many = [[row.case_id for row in list_cases(world.creator, f, page, page_size=3).rows] for page in (1, 2)]
    assert few == many and few[0]


def test_the_exports_columns_are_in_the_order_its_cells_unpack_them():
    assert [column.key for column in creator_cases.EXPORT_COLUMNS] == list(ExportRow._fields)
