"""/creator/payments: every payment of the business, newest first, and the way to each one's case."""

import reflex as rx

from resolution_app.components.case_view import status_badge
from resolution_app.components.creator_layout import creator_page
from resolution_app.components.layout import link_button, local_time, pager, placeholder
from resolution_app.state.creator import CreatorPaymentsState

S = CreatorPaymentsState
HEADERS = ("Date", "Customer", "Product", "Amount", "Method", "Payment", "Case", "")


def _cell(label: str, *content: rx.Component | rx.Var | str) -> rx.Component:
    return rx.table.cell(*content, custom_attrs={"data-label": label})


def _row(row) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        _cell("Date", local_time(row.paid_at, "MMM D, YYYY")),
        _cell(
            "Customer",
            rx.text(row.customer_name, weight="medium"),
            rx.text(row.customer_email, size="1", color_scheme="gray"),
        ),
        _cell("Product", row.product),
        _cell("Amount", row.amount),
        _cell("Method", row.method),
        _cell("Payment", rx.text(row.status, class_name="payment-status")),
        _cell("Case", rx.cond(row.case_id, status_badge(row.case_status, row.case_status_label), "—")),
        rx.table.cell(
            rx.cond(
                row.case_id,
                link_button(
                    rx.cond(row.waiting_on_creator, "Respond", "View details"),
                    href=f"/creator/resolutions/{row.case_id}",
                    size="1",
                    variant=rx.cond(row.waiting_on_creator, "solid", "outline"),
                ),
            )
        ),
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
                rx.box(
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in HEADERS])),
                        rx.table.body(rx.foreach(S.rows, _row)),
                        variant="surface",
                        width="100%",
                    ),
                    class_name="stacked-table",
                    width="100%",
                ),
                rx.cond(S.total == 0, rx.text("No payments match.", color_scheme="gray")),
                pager(S),
            ),
            placeholder("Loading payments", rows=6),
        ),
    )
