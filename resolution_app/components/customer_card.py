"""The customer as the creator and the reviewer see them: identity, their claims across the platform (counts and the
"Frequent claimant" mark), the user logs with the exact legal versions agreed to (the disputed purchase first), and
their payments with the business."""

import reflex as rx

from resolution_app.components.layout import local_time
from resolution_app.domain.buyer_history import FREQUENT_CLAIMANT


def _log_entry(log) -> rx.Component:  # noqa: ANN001
    return rx.box(
        rx.text(local_time(log.at), " · ", log.product, size="1", color_scheme="gray"),
        rx.text(log.what, size="2", weight="medium"),
        rx.cond(
            log.document != "",
            rx.link(log.document, href=log.document_url, is_external=True, size="2", class_name="agreed-document"),
            rx.cond(log.detail != log.what, rx.text(log.detail, size="2", color_scheme="gray")),
        ),
        class_name="user-log",
    )


def _payment_entry(p) -> rx.Component:  # noqa: ANN001
    return rx.box(
        rx.flex(
            rx.text(p.product, size="2", weight="medium"), rx.text(p.amount, size="2"), justify="between", spacing="2"
        ),
        rx.text(
            local_time(p.paid_at, "MMM D, YYYY"),
            " · ",
            p.method,
            " · ",
            rx.text.span(p.status, class_name="payment-status"),
            size="1",
            color_scheme="gray",
        ),
        rx.cond(
            p.this_case,
            rx.badge("This case", size="1"),
            rx.cond(p.case_id, rx.text("Case: ", p.case_status, size="1")),
        ),
        class_name="customer-payment",
    )


def _claim_history(history) -> rx.Component:  # noqa: ANN001 - a BuyerHistory var
    """Counts across the platform, never whose cases they were; the mark says in words what it means."""
    return rx.box(
        rx.heading("Claims on the platform", size="2"),
        rx.cond(
            history.frequent,
            rx.flex(
                rx.badge(FREQUENT_CLAIMANT, color_scheme="amber", high_contrast=True, class_name="frequent-claimant"),
                rx.text(history.mark_note, size="1", color_scheme="gray"),
                spacing="2",
                align="center",
                wrap="wrap",
                margin_top="0.25em",
            ),
        ),
        rx.text(history.summary, size="2", class_name="claim-history", margin_top="0.25em"),
        margin_top="0.5em",
    )


def customer_card(state, payments_heading: str) -> rx.Component:  # noqa: ANN001 - a CustomerCardState
    c, s = state.customer, state
    return rx.card(
        rx.vstack(
            rx.heading("Customer", size="3"),
            rx.text(rx.text.strong(c.name), size="2"),
            rx.text(c.email, " · @", c.username, size="2", class_name="customer-identity"),
            rx.text("Customer since ", local_time(c.customer_since, "MMM D, YYYY"), size="2", color_scheme="gray"),
            _claim_history(c.history),
            rx.heading("User logs", size="2", margin_top="0.5em"),
            rx.text("This purchase first.", size="1", color_scheme="gray"),
            rx.foreach(c.logs, lambda log: rx.cond(log.this_purchase | s.all_logs, _log_entry(log))),
            rx.cond(
                s.has_other_logs,
                rx.button(
                    rx.cond(s.all_logs, "Show this purchase only", "Show all purchases"),
                    variant="ghost",
                    size="1",
                    on_click=s.toggle_all_logs,
                ),
            ),
            rx.heading(payments_heading, size="2", margin_top="0.5em"),
            rx.foreach(c.payments, _payment_entry),
            width="100%",
            spacing="2",
        ),
        width="100%",
    )
