"""The reviewer portal: the queue of cases waiting on the platform, and the case page with claims and decisions."""

import reflex as rx

from resolution_app.components.case_view import case_workspace
from resolution_app.components.layout import (
    countdown,
    error_callout,
    field_label,
    labelled_cell,
    link_button,
    local_time,
    page,
    pager,
    placeholder,
    stacked_table,
)
from resolution_app.state.review import ReviewCaseState, ReviewQueueState, ReviewState

Q = ReviewQueueState
REVIEW_ACTIONS = [
    "request_buyer_info",
    "request_merchant_info",
    "decide_refund",
    "decide_credit",
    "decide_merchant_wins",
]
HEADERS = ("Case", "Kind", "Reason", "Amount", "Business", "Buyer", "Opened", "In review since", "Target", "Claimed by")
KIND_CHOICES = [["", "Escalations and appeals"], ["escalation", "Escalations"], ["appeal", "Appeals"]]
CLAIM_CHOICES = [["", "Claimed or not"], ["unclaimed", "Unclaimed"], ["mine", "Mine"]]


def unclaimed_badge() -> rx.Component:
    return link_button(
        rx.icon("scale", size=16),
        ReviewState.unclaimed,
        rx.text.span(" unclaimed", class_name="wide-only-text"),
        href="/review?claimed=unclaimed",
        variant="soft",
        high_contrast=True,
        class_name="unclaimed-cases",
        aria_label=f"{ReviewState.unclaimed} unclaimed cases",
    )


def review_page(title: str, *children: rx.Component) -> rx.Component:
    return page(
        title,
        rx.cond(
            ReviewState.page_not_found,
            rx.callout("Page not found.", icon="search-x", color_scheme="gray"),
            rx.fragment(*children),
        ),
        header_always=rx.cond(ReviewState.is_reviewer, unclaimed_badge()),
        header_links=[("Review queue", "/review")],
    )


def _select(name: str, label: str, choices: rx.Var | list, value: rx.Var) -> rx.Component:
    return rx.vstack(
        field_label(label, f"queue-{name}"),
        rx.el.select(
            rx.foreach(choices, lambda c: rx.el.option(c[1], value=c[0])),
            id=f"queue-{name}",
            value=value,
            on_change=lambda v: Q.set_filter(name, v),
            style={"padding": "6px 8px", "border": "1px solid var(--gray-a7)", "border_radius": "var(--radius-2)"},
        ),
        spacing="1",
    )


def _count(label: str, value: rx.Var) -> rx.Component:
    return rx.card(rx.text(value, size="5", weight="bold"), rx.text(label, size="1", color_scheme="gray"))


def _row(row) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        labelled_cell("Case", rx.text("#", row.case_id, weight="medium")),
        labelled_cell("Kind", rx.badge(row.kind, color_scheme=rx.cond(row.kind == "appeal", "orange", "purple"))),
        labelled_cell("Reason", row.reason),
        labelled_cell("Amount", row.amount),
        labelled_cell("Business", row.business),
        labelled_cell("Buyer", row.buyer),
        labelled_cell("Opened", local_time(row.opened_at, "MMM D, YYYY")),
        labelled_cell("In review since", rx.cond(row.in_review_since, local_time(row.in_review_since), "—")),
        labelled_cell("Target", rx.box(countdown(row.target), class_name=rx.cond(row.overdue, "overdue", ""))),
        labelled_cell("Claimed by", rx.cond(row.claimed_by != "", row.claimed_by, "—")),
        rx.table.cell(
            rx.cond(
                row.claimed_by == "",
                rx.button("Claim", size="1", on_click=Q.claim(row.case_id), type="button"),
                link_button("Open", href=f"/review/{row.case_id}", size="1", variant="outline"),
            )
        ),
        class_name="queue-row",
    )


def queue_page() -> rx.Component:
    c = Q.counts
    return review_page(
        "Review queue",
        rx.cond(
            Q.loaded,
            rx.fragment(
                rx.flex(
                    _count("unclaimed", c.unclaimed),
                    _count("mine", c.mine),
                    _count("waiting on a party", c.waiting_on_a_party),
                    _count("decided today", c.decided_today),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.flex(
                    _select("kind", "Kind", KIND_CHOICES, Q.kind),
                    _select("reason", "Reason", Q.reason_choices, Q.reason),
                    _select("claimed", "Claimed", CLAIM_CHOICES, Q.claimed),
                    spacing="3",
                    wrap="wrap",
                ),
                error_callout(Q.error),
                stacked_table(
                    [*[rx.table.column_header_cell(h) for h in HEADERS], rx.table.column_header_cell("")],
                    Q.rows,
                    _row,
                ),
                rx.cond(Q.total == 0, rx.text("Nothing waits on the platform here.", color_scheme="gray")),
                pager(Q),
            ),
            placeholder("Loading the queue", rows=6),
        ),
    )


def _claim_card() -> rx.Component:
    s, claim = ReviewCaseState, ReviewCaseState.claim_status
    return rx.card(
        rx.vstack(
            rx.heading("Review", size="3"),
            rx.cond(
                claim.claimed_by != "",
                rx.text("Claimed by ", rx.text.strong(claim.claimed_by), size="2", class_name="claimed-by"),
                rx.text("Nobody has claimed this case.", size="2", class_name="claimed-by"),
            ),
            rx.cond(
                claim.mine,
                rx.button("Release", variant="soft", on_click=s.change_claim("release"), type="button"),
                rx.cond(
                    claim.claimed_by == "",
                    rx.button("Claim", on_click=s.change_claim("claim"), type="button"),
                    rx.cond(
                        claim.lapsed,
                        rx.button("Take over", variant="soft", on_click=s.change_claim("take_over"), type="button"),
                    ),
                ),
            ),
            rx.text("Only the reviewer who claimed the case asks questions or decides.", size="1", color_scheme="gray"),
            width="100%",
            spacing="2",
        ),
        width="100%",
    )


def review_case_page() -> rx.Component:
    return review_page(
        "Case under review",
        rx.link("← Review queue", href="/review", size="2"),
        case_workspace(ReviewCaseState, REVIEW_ACTIONS, rx.cond(ReviewCaseState.claim_status, _claim_card())),
    )
