"""The reviewer portal: the queue of cases waiting on the platform, and the case page with claims and decisions."""

import reflex as rx

from resolution_app.components.case_pdf import REVIEW_PDF_PATH, case_pdf_button
from resolution_app.components.case_view import ACTIONS, case_workspace, file_links
from resolution_app.components.customer_card import customer_card
from resolution_app.components.layout import (
    countdown,
    dom_value,
    error_callout,
    field_label,
    labelled_cell,
    link_button,
    local_time,
    page,
    pager,
    placeholder,
    roomy_text,
    stacked_table,
)
from resolution_app.state.review import NOTE_FIELD_ID, ReviewCaseState, ReviewQueueState, ReviewState

Q = ReviewQueueState
REVIEW_ACTIONS = [
    "request_buyer_info",
    "request_merchant_info",
    "decide_refund",
    "decide_credit",
    "decide_merchant_wins",
    "decide_partial_refund",
]
HEADERS = ("Case", "Kind", "Reason", "Amount", "Business", "Buyer", "Opened", "In review since", "Target", "Claimed by")
KIND_CHOICES = [["", "Escalations and appeals"], ["escalation", "Escalations"], ["appeal", "Appeals"]]
CLAIM_CHOICES = [["", "Claimed or not"], ["unclaimed", "Unclaimed"], ["mine", "Mine"]]


def unclaimed_badge() -> rx.Component:
    return link_button(
        rx.icon("scale", size=16),
        ReviewState.unclaimed,
        roomy_text(" unclaimed", from_width=1280),
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


def _typed(name: str, label: str, placeholder: str) -> rx.Component:
    return rx.vstack(
        field_label(label, f"queue-{name}"),
        rx.input(id=f"queue-{name}", name=name, placeholder=placeholder, width="8em", inputmode="decimal"),
        spacing="1",
    )


def _typed_filters() -> rx.Component:
    return rx.form(
        rx.flex(
            _typed("amount_from", "Amount from", "0.00"),
            _typed("amount_to", "Amount to", "any"),
            _typed("older_than", "Older than (days)", "any"),
            rx.button("Apply", type="submit", variant="soft"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=Q.apply_typed_filters,
        reset_on_submit=False,
    )


def _count(label: str, value: rx.Var) -> rx.Component:
    return rx.card(rx.text(value, size="5", weight="bold"), rx.text(label, size="1", color_scheme="gray"))


def _row(row) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        labelled_cell("Case", rx.text("#", row.case_id, weight="medium")),
        labelled_cell(
            "Kind",
            rx.badge(row.kind, color_scheme=rx.cond(row.kind == "appeal", "orange", "purple"), high_contrast=True),
        ),
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
                    _typed_filters(),
                    spacing="3",
                    wrap="wrap",
                    align="end",
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
    s, claim = ReviewCaseState, ReviewCaseState.case_file.claim
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
            rx.cond(
                claim.decided_first,
                rx.callout(
                    "You made the first decision: another reviewer decides the appeal.",
                    icon="info",
                    size="1",
                    class_name="decided-first",
                ),
            ),
            width="100%",
            spacing="2",
        ),
        width="100%",
    )


STATEMENT_LABELS = (
    ("opened", "Claim"),
    ("deny", "Denial"),
    ("escalate", "Escalation"),
    ("reply", "Answer to a question"),
    ("appeal", "Appeal statement"),
)
DECISION_LABELS = tuple((action, ACTIONS[action][0]) for action in REVIEW_ACTIONS if action.startswith("decide"))


def _statement(item) -> rx.Component:  # noqa: ANN001
    return rx.box(
        rx.text(rx.match(item.kind, *STATEMENT_LABELS, item.kind), " · ", local_time(item.at), size="1", weight="bold"),
        rx.text(rx.foreach(item.body, lambda part: rx.text.span(part.text)), size="2", white_space="pre-wrap"),
        rx.cond(item.files.length() > 0, rx.text(item.files.length(), " file(s)", size="1", color_scheme="gray")),
        class_name="statement",
    )


def _side(title: str, statements: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="2"),
        rx.foreach(statements, _statement),
        rx.cond(statements.length() == 0, rx.text("Nothing yet.", size="2", color_scheme="gray")),
        spacing="2",
        class_name="statement-side",
    )


def _statements_and_evidence() -> rx.Component:
    s = ReviewCaseState
    return rx.card(
        rx.vstack(
            rx.heading("Statements", size="3"),
            rx.box(
                _side("Buyer", s.buyer_statements),
                _side("Creator", s.creator_statements),
                class_name="statements",
            ),
            rx.heading("Evidence", size="3"),
            rx.cond(
                s.detail.files.length() > 0,
                file_links(s.detail.files, with_source=True),
                rx.text("Neither side has added a file.", size="2", color_scheme="gray"),
            ),
            width="100%",
            spacing="3",
        ),
        width="100%",
        class_name="evidence-gallery",
    )


def _first_decision_card() -> rx.Component:
    first = ReviewCaseState.case_file.first_decision
    return rx.card(
        rx.vstack(
            rx.heading("Under appeal: the first decision", size="3"),
            rx.text(
                rx.text.strong(rx.match(first.action, *DECISION_LABELS, first.action)),
                " by ",
                first.by,
                " · ",
                local_time(first.at),
                size="2",
            ),
            rx.text(first.rationale, size="2", white_space="pre-wrap", class_name="first-rationale"),
            rx.text("Another reviewer decides the appeal; that decision is final.", size="1", color_scheme="gray"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="first-decision",
    )


def _notes_card() -> rx.Component:
    s = ReviewCaseState
    return rx.card(
        rx.vstack(
            rx.heading("Internal notes", size="3"),
            rx.text("Only reviewers see these.", size="1", color_scheme="gray"),
            rx.foreach(
                s.case_file.notes,
                lambda note: rx.box(
                    rx.text(note.author, " · ", local_time(note.at), size="1", color_scheme="gray"),
                    rx.text(note.body, size="2", white_space="pre-wrap"),
                    class_name="review-note",
                ),
            ),
            rx.text_area(
                id=NOTE_FIELD_ID, aria_label="Internal note", placeholder="Internal note", rows="3", width="100%"
            ),
            rx.button("Add note", variant="soft", on_click=s.add_note(dom_value(NOTE_FIELD_ID)), type="button"),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def review_case_page() -> rx.Component:
    s = ReviewCaseState
    return review_page(
        "Case under review",
        rx.flex(
            rx.link("← Review queue", href="/review", size="2"),
            rx.cond(s.detail, case_pdf_button(s.detail.summary.case_id, REVIEW_PDF_PATH)),
            justify="between",
            align="center",
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        case_workspace(
            s,
            REVIEW_ACTIONS,
            rx.cond(s.case_file, _claim_card()),
            rx.cond(s.case_file.first_decision, _first_decision_card()),
            rx.cond(s.case_file, _notes_card()),
            rx.cond(s.customer, customer_card(s, "Payments with this business")),
            lead=_statements_and_evidence(),
        ),
    )
