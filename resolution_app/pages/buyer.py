"""The buyer portal: /purchases, the claim form, /cases and the case page."""

import reflex as rx

from resolution_app.components.case_view import case_workspace, status_badge
from resolution_app.components.file_picker import file_picker, picked_files
from resolution_app.components.layout import (
    NATIVE_SELECT_STYLE,
    countdown,
    dom_value,
    error_callout,
    field_label,
    labelled_cell,
    link_button,
    local_time,
    page,
    placeholder,
    stacked_table,
)
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.state.buyer import (
    CLAIM_UPLOAD_ID,
    BalanceState,
    BuyerCasesState,
    BuyerCaseState,
    ClaimState,
    PurchasesState,
)

BUYER_ACTIONS = ["escalate", "propose_partial_refund", "appeal", "withdraw"]


def _table(headers: tuple[str, ...], rows: rx.Var, row: object) -> rx.Component:
    return stacked_table([rx.table.column_header_cell(h) for h in headers], rows, row)


def _purchase_row(row) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        labelled_cell(
            "Product", rx.text(row.product, weight="medium"), rx.text(row.business, size="1", color_scheme="gray")
        ),
        labelled_cell("Amount", row.amount),
        labelled_cell("Method", row.method),
        labelled_cell("Date", local_time(row.paid_at, "MMM D, YYYY")),
        rx.table.cell(
            rx.cond(
                row.case_id,
                rx.vstack(
                    rx.cond(
                        row.payment_status != "Succeeded",
                        rx.text(row.payment_status, size="2", weight="medium", class_name="purchase-status"),
                    ),
                    rx.link("View case", href=f"/cases/{row.case_id}"),
                    spacing="1",
                ),
                rx.cond(
                    row.refusal,
                    rx.text(row.refusal, size="2", color_scheme="gray", class_name="claim-refusal"),
                    link_button("Open a claim", href=f"/purchases/{row.payment_id}/claim", size="2"),
                ),
            ),
        ),
        class_name="purchase-row",
    )


def purchases_page() -> rx.Component:
    s = PurchasesState
    return page(
        "Your purchases",
        rx.cond(
            ~s.loaded,
            placeholder("Loading your purchases"),
            rx.cond(
                s.purchases.length() == 0,
                rx.text("No purchases yet.", color_scheme="gray"),
                _table(("Product", "Amount", "Method", "Date", "Claim"), s.purchases, _purchase_row),
            ),
        ),
    )


def _field_error(state, field: str) -> rx.Component:  # noqa: ANN001
    """The refusal about `field`, said beside it (and read out by screen readers)."""
    return rx.cond(
        state.error_field == field,
        rx.text(state.error, color_scheme="red", size="2", id=f"{field}-error", role="alert"),
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
            custom_attrs={"aria-invalid": s.error_field == "reason", "aria-describedby": "reason-error"},
        ),
        _field_error(s, "reason"),
        field_label("Describe the issue", "description"),
        rx.text_area(
            id="description",
            placeholder="What went wrong?",
            rows="6",
            width="100%",
            max_length=DEFAULT_POLICY.description_max_chars,
            on_change=s.count_description,
            custom_attrs={"aria-invalid": s.error_field == "description", "aria-describedby": "description-help"},
        ),
        rx.text(
            s.description_length,
            f" / {DEFAULT_POLICY.description_max_chars:,} characters (at least {DEFAULT_POLICY.description_min_chars})",
            size="1",
            color_scheme=rx.cond(s.description_length < DEFAULT_POLICY.description_min_chars, "gray", "green"),
            id="description-help",
            class_name="description-counter",
        ),
        _field_error(s, "description"),
        file_picker(CLAIM_UPLOAD_ID),
        _field_error(s, "files"),
        rx.cond(s.error_field == "", error_callout(s.error)),
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
        labelled_cell("Case", rx.link(f"Case #{case.case_id}", href=f"/cases/{case.case_id}")),
        labelled_cell(
            "Product", rx.text(case.product, weight="medium"), rx.text(case.business, size="1", color_scheme="gray")
        ),
        labelled_cell("Amount", case.amount),
        labelled_cell("Status", status_badge(case.status, case.status_label)),
        labelled_cell("Due", countdown(case.due_at)),
        labelled_cell("Opened", local_time(case.opened_at, "MMM D, YYYY")),
        class_name="case-row",
    )


def cases_page() -> rx.Component:
    s = BuyerCasesState
    return page(
        "Your cases",
        rx.cond(
            ~s.loaded,
            placeholder("Loading your cases"),
            rx.cond(
                s.cases.length() == 0,
                rx.text("You have no cases. Open a claim from ", rx.link("your purchases", href="/purchases"), "."),
                _table(("Case", "Product", "Amount", "Status", "Due", "Opened"), s.cases, _case_row),
            ),
        ),
    )


def _balance_row(entry) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        labelled_cell("Credited", local_time(entry.credited_at, "MMM D, YYYY")),
        labelled_cell("Amount", rx.text(entry.amount, weight="medium")),
        labelled_cell(
            "For", rx.text(entry.product, weight="medium"), rx.text(entry.business, size="1", color_scheme="gray")
        ),
        labelled_cell("Case", rx.link(f"Case #{entry.case_id}", href=f"/cases/{entry.case_id}")),
        class_name="balance-entry",
    )


def balance_page() -> rx.Component:
    b = BalanceState.balance
    return page(
        "Your balance",
        rx.cond(
            b,
            rx.vstack(
                rx.card(
                    rx.text("Platform balance", size="2", color_scheme="gray"),
                    rx.heading(
                        rx.cond(b.totals.length() > 0, b.totals.join(" · "), "$0.00"), size="7", class_name="balance"
                    ),
                    rx.text(
                        "Credits from the platform's decisions on your cases, to spend on the platform.",
                        size="2",
                        color_scheme="gray",
                    ),
                ),
                rx.cond(
                    b.credits.length() > 0,
                    _table(("Credited", "Amount", "For", "Case"), b.credits, _balance_row),
                    rx.text("No credits yet.", color_scheme="gray"),
                ),
                width="100%",
                spacing="4",
            ),
            placeholder("Loading your balance"),
        ),
    )


def buyer_case_page() -> rx.Component:
    return page("Your case", case_workspace(BuyerCaseState, BUYER_ACTIONS))
