"""The buyer portal: /purchases, the claim form, /cases and the case page."""

import reflex as rx

from resolution_app.components.case_view import case_workspace, status_badge
from resolution_app.components.file_picker import file_picker, picked_files
from resolution_app.components.layout import countdown, dom_value, error_callout, field_label, local_time, page
from resolution_app.state.buyer import CLAIM_UPLOAD_ID, BuyerCasesState, BuyerCaseState, ClaimState, PurchasesState

NATIVE_SELECT_STYLE = {
    "padding": "6px 10px",
    "border": "1px solid var(--gray-a7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "min_width": "280px",
    "font_size": "var(--font-size-2)",
}
BUYER_ACTIONS = ["escalate", "appeal", "withdraw"]


def _purchase_row(row) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        rx.table.cell(rx.text(row.product, weight="medium"), rx.text(row.business, size="1", color_scheme="gray")),
        rx.table.cell(row.amount),
        rx.table.cell(row.method),
        rx.table.cell(local_time(row.paid_at, "MMM D, YYYY")),
        rx.table.cell(
            rx.cond(
                row.case_id,
                rx.link("View case", href=f"/cases/{row.case_id}"),
                rx.cond(
                    row.refusal,
                    rx.text(row.refusal, size="2", color_scheme="gray", class_name="claim-refusal"),
                    rx.link(rx.button("Open a claim", size="2"), href=f"/purchases/{row.payment_id}/claim"),
                ),
            ),
        ),
        class_name="purchase-row",
    )


def purchases_page() -> rx.Component:
    return page(
        "Your purchases",
        rx.cond(
            PurchasesState.purchases.length() == 0,
            rx.text("No purchases yet.", color_scheme="gray"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(*[rx.table.column_header_cell(h) for h in ("Product", "Amount", "Method", "Date", "")])
                ),
                rx.table.body(rx.foreach(PurchasesState.purchases, _purchase_row)),
                variant="surface",
                width="100%",
            ),
        ),
    )


def claim_page() -> rx.Component:
    s = ClaimState
    form = rx.vstack(
        field_label("Reason", "reason"),
        rx.el.select(
            rx.el.option("Choose a reason", value=""),
            rx.foreach(s.reasons, lambda r: rx.el.option(r[1], value=r[0])),
            id="reason",
            style=NATIVE_SELECT_STYLE,
        ),
        field_label("Describe the issue", "description"),
        rx.text_area(id="description", placeholder="What went wrong?", rows="6", width="100%", max_length=5000),
        rx.text("Between 20 and 5,000 characters.", size="1", color_scheme="gray"),
        file_picker(CLAIM_UPLOAD_ID),
        error_callout(s.error),
        rx.button(
            "Submit claim",
            size="3",
            loading=s.submitting,
            disabled=s.submitting,
            on_click=s.submit_claim(picked_files(CLAIM_UPLOAD_ID), dom_value("reason"), dom_value("description")),
        ),
        spacing="3",
        width="100%",
        align="start",
    )
    return page(
        "Open a claim",
        rx.cond(
            s.found,
            rx.vstack(
                rx.card(rx.text(rx.text.strong(s.product), " from ", s.business, " · ", s.amount), width="100%"),
                rx.cond(s.refusal, rx.callout(s.refusal, icon="ban", color_scheme="gray"), form),
                width="100%",
            ),
            error_callout(s.error),
        ),
    )


def _case_row(case) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        rx.table.cell(rx.link(f"#{case.case_id}", href=f"/cases/{case.case_id}")),
        rx.table.cell(rx.text(case.product, weight="medium"), rx.text(case.business, size="1", color_scheme="gray")),
        rx.table.cell(case.amount),
        rx.table.cell(status_badge(case.status, case.status_label)),
        rx.table.cell(countdown(case.due_at)),
        rx.table.cell(local_time(case.opened_at, "MMM D, YYYY")),
        class_name="case-row",
    )


def cases_page() -> rx.Component:
    return page(
        "Your cases",
        rx.cond(
            BuyerCasesState.cases.length() == 0,
            rx.text("You have no cases. Open a claim from ", rx.link("your purchases", href="/purchases"), "."),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("Case", "Product", "Amount", "Status", "Due", "Opened")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(BuyerCasesState.cases, _case_row)),
                variant="surface",
                width="100%",
            ),
        ),
    )


def buyer_case_page() -> rx.Component:
    return page("Your case", case_workspace(BuyerCaseState, BUYER_ACTIONS))
