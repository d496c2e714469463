"""The CSV export's cells: formula-safe text, ISO 8601 UTC dates, plain decimal amounts."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from resolution_app.domain.csv_cells import EXPORT_HEADER, ExportRow, export_cells, iso_utc, safe_cell
from resolution_app.domain.enums import CaseStatus, Reason


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Alice Moreno", "Alice Moreno"),
        ("a=b", "a=b"),  # only a leading sign starts a formula
        (" =1", " =1"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_safe_cell_neutralises_formulas(value: str, cell: str) -> None:
    assert safe_cell(value) == cell


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 22, 12, 0, tzinfo=UTC), "2026-11-22T12:00:00+00:00"),
        (datetime(2026, 11, 22, 12, 0, 5, 123456, tzinfo=UTC), "2026-11-22T12:00:05+00:00"),
        (datetime(2026, 11, 22, 13, 0, tzinfo=timezone(timedelta(hours=1))), "2026-11-22T12:00:00+00:00"),
        (None, ""),
    ],
)
def test_iso_utc(moment: datetime | None, text: str) -> None:
    assert iso_utc(moment) == text


def a_case(**fields: object) -> ExportRow:
    """A row as the database gives it, with these fields changed."""
    defaults = ExportRow(
        id=7,
        reason=Reason.PRODUCT_NOT_RECEIVED.value,
        amount_minor=1900,
        currency="USD",
        status=CaseStatus.MERCHANT_RESPONSE_NEEDED.value,
        opened_at=datetime(2026, 11, 22, 12, 0, tzinfo=UTC),
        due_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        resolved_at=None,
        customer_name="Alice Moreno",
        customer_email="alice@example.com",
        customer_username="alice",
        product="Redstone Masterclass",
        payment_status="succeeded",
        refunded_minor=0,
    )
    return defaults._replace(**fields)


def test_export_cells_follow_the_header() -> None:
    cells = export_cells(a_case())
    assert dict(zip(EXPORT_HEADER, cells, strict=True)) == {
        "Case ID": "7",
        "Reason": "Product not received",
        "Customer name": "Alice Moreno",
        "Customer email": "alice@example.com",
        "Customer username": "alice",
        "Product": "Redstone Masterclass",
        "Amount": "19.00",
        "Currency": "USD",
        "Status": "Waiting on creator",
        "Opened": "2026-11-22T12:00:00+00:00",
        "Due": "2026-11-25T12:00:00+00:00",
        "Resolved": "",
        "Refunded": "0.00",
        "Payment status": "Succeeded",
    }


def test_a_partial_refund_says_how_much_of_the_payment() -> None:
    resolved = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    partly = a_case(
        status="partially_refunded",
        due_at=None,
        resolved_at=resolved,
        payment_status="partially_refunded",
        refunded_minor=800,
    )
    cells = dict(zip(EXPORT_HEADER, export_cells(partly), strict=True))
    assert (cells["Status"], cells["Refunded"]) == ("Resolved: partial refund", "8.00")
    assert cells["Payment status"] == "Partially refunded ($8.00 of $19.00)"


@pytest.mark.parametrize(
    ("amount_minor", "currency", "text"),
    [
        (1900, "USD", "19.00"),
        (5, "USD", "0.05"),
        (1000, "JPY", "1000"),
        (1234, "KWD", "1.234"),
        (12345678, "EUR", "123456.78"),
    ],
)
def test_amount_is_a_plain_decimal(amount_minor: int, currency: str, text: str) -> None:
    cells = export_cells(a_case(amount_minor=amount_minor, currency=currency))
    assert cells[EXPORT_HEADER.index("Amount")] == text
    assert cells[EXPORT_HEADER.index("Currency")] == currency


def test_text_people_typed_is_neutralised_but_our_numbers_are_not() -> None:
    row = a_case(customer_name="=cmd|' /C calc'!A0", product="-Discount", customer_username="@me", amount_minor=-525)
    cells = dict(zip(EXPORT_HEADER, export_cells(row), strict=True))
    assert cells["Customer name"] == "'=cmd|' /C calc'!A0"
    assert cells["Product"] == "'-Discount"
    assert cells["Customer username"] == "'@me"
    assert cells["Amount"] == "-5.25"  # a number, not text


def test_under_review_the_due_time_is_no_ones_deadline() -> None:
    cells = dict(zip(EXPORT_HEADER, export_cells(a_case(status=CaseStatus.UNDER_PLATFORM_REVIEW.value)), strict=True))
    assert cells["Status"] == "Under platform review"
    assert cells["Due"] == ""
