"""/creator/payments: every payment of the business, newest first, and the way to each one's case."""

import reflex as rx

from resolution_app.components.case_view import case_button, status_badge
from resolution_app.components.creator_layout import creator_page
from resolution_app.components.layout import labelled_cell, local_time, pager, placeholder, stacked_table
from resolution_app.state.creator import CreatorPaymentsState

S = CreatorPaymentsState
HEADERS = ("Date", "Customer", "Product", "Amount", "Method", "Payment", "Case", "")


def _row(row) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        labelled_cell("Date", local_time(row.paid_at, "MMM D, YYYY")),
        labelled_cell(
            "Customer",
            rx.text(row.customer_name, weight="medium"),
            rx.text(row.customer_email, size="1", color_scheme="gray"),
        ),
        labelled_cell("Product", row.product),
        labelled_cell("Amount", row.amount),
        labelled_cell("Method", row.method),
        labelled_cell("Payment", rx.text(row.status, class_name="payment-status")),
        labelled_cell("Case", rx.cond(row.case_id, status_badge(row.case_status, row.case_status_label), "—")),
        rx.table.cell(rx.cond(row.case_id, case_button(row.case_id, row.waiting_on_creator))),
        class_name="payment-row",
    )


def payments_page() -> rx.Component:
    return creator_page(
        "Payments",
        rx.text(
            "Every payment to your business. Resolution Center cases can be actioned from here.",
            size="2",
            color_scheme="gray",
        ),
        rx.checkbox("With an open case", checked=S.with_open_case, on_change=S.show_open_only),
        rx.cond(
            S.loaded,
            rx.fragment(
                rx.text(S.total, rx.cond(S.total == 1, " payment", " payments"), size="2", color_scheme="gray"),
                stacked_table([rx.table.column_header_cell(h) for h in HEADERS], S.rows, _row),
                rx.cond(S.total == 0, rx.text("No payments match.", color_scheme="gray")),
                pager(S),
            ),
            placeholder("Loading payments", rows=6),
        ),
    )
