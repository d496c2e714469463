"""The creator portal: the Resolution center table and the case page."""

import reflex as rx

from resolution_app.components.case_pdf import CREATOR_PDF_PATH, case_pdf_button
from resolution_app.components.case_view import case_button, case_workspace, status_badge
from resolution_app.components.creator_layout import creator_page
from resolution_app.components.customer_card import customer_card
from resolution_app.components.layout import (
    countdown,
    error_callout,
    field_label,
    labelled_cell,
    local_time,
    pager,
    placeholder,
    stacked_table,
)
from resolution_app.components.saved_reply_picker import saved_reply_picker
from resolution_app.services.creator.creator_cases import COLUMNS
from resolution_app.state.creator import CreatorCaseState, CreatorTableState

CREATOR_ACTIONS = ["accept", "request_more_info", "offer_partial_refund", "deny", "appeal"]
T = CreatorTableState
SORTABLE = {"amount", "opened", "due", "resolved"}
EXPORT_ALL_URL = "/api/creator/cases.csv?all=1"


def _select(choices: rx.Var, value: rx.Var, field: str, label: str) -> rx.Component:
    return rx.vstack(
        field_label(label, field),
        rx.el.select(
            rx.foreach(choices, lambda c: rx.el.option(c[1], value=c[0])),
            id=field,
            value=value,
            on_change=lambda v: T.set_filter(field, v),
            style={
                "padding": "6px 8px",
                "border": "1px solid var(--gray-a7)",
                "border_radius": "var(--radius-2)",
                "max_width": "240px",
            },
        ),
        spacing="1",
    )


def _date(field: str, label: str) -> rx.Component:
    # Uncontrolled: a reload landing while the person types must not put the old value back.
    return rx.vstack(
        field_label(label, field),
        rx.input(type="date", id=field, on_change=lambda v: T.set_filter(field, v)),
        spacing="1",
    )


def _filters() -> rx.Component:
    return rx.flex(
        _date("opened_from", "Opened from"),
        _date("opened_to", "Opened to"),
        _select(T.status_choices, T.status, "status", "Status"),
        _select(T.reason_choices, T.reason, "reason", "Reason"),
        rx.form(
            rx.vstack(
                field_label("Search customer", "search"),
                rx.hstack(
                    rx.input(id="search", name="search", placeholder="Name, email or username"),
                    rx.button("Search", type="submit", variant="soft"),
                ),
                spacing="1",
            ),
            on_submit=T.search_customers,
            reset_on_submit=False,
        ),
        rx.button("Clear filters", variant="soft", color_scheme="gray", on_click=T.clear_filters),
        spacing="3",
        wrap="wrap",
        align="end",
    )


def _edit_columns() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(rx.button(rx.icon("columns-3", size=16), "Edit columns", variant="outline")),
        rx.popover.content(
            rx.vstack(
                rx.foreach(
                    T.column_choices,
                    lambda c: rx.checkbox(
                        c[1],
                        checked=T.columns.contains(c[0]),
                        on_change=lambda _: T.toggle_column(c[0]),
                        class_name="column-choice",
                    ),
                ),
                spacing="2",
            ),
        ),
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.cond(
            T.loaded,
            rx.text(
                T.total,
                rx.cond(T.total == 1, " case", " cases"),
                size="2",
                color_scheme="gray",
                class_name="case-total",
            ),
        ),
        rx.spacer(),
        rx.button(  # a link that looks like the seeds' button (and is no second "Respond" button)
            rx.link(rx.icon("zap", size=16), "Auto respond", href="/creator/settings/auto-respond", underline="none"),
            as_child=True,
            variant="outline",
        ),
        _edit_columns(),
        rx.button(rx.icon("download", size=16), "Export CSV", on_click=rx.download(url=T.export_url)),
        rx.button("Export all", variant="soft", on_click=rx.download(url=EXPORT_ALL_URL)),
        width="100%",
        align="center",
        spacing="3",
        wrap="wrap",
    )


def _header_cell(key: str, label: str) -> rx.Component:
    if key not in SORTABLE:
        return rx.cond(T.columns.contains(key), rx.table.column_header_cell(label, class_name=f"col-{key}"))
    sorted_here = T.sort == key
    button = rx.button(
        label,
        rx.cond(sorted_here, rx.cond(T.descending, " ↓", " ↑"), ""),
        variant="ghost",
        size="1",
        type="button",
        on_click=T.sort_by(key),
        class_name=f"sort-{key}",
    )
    aria_sort = rx.cond(sorted_here, rx.cond(T.descending, "descending", "ascending"), "none")
    return rx.cond(
        T.columns.contains(key),
        rx.table.column_header_cell(button, class_name=f"col-{key}", custom_attrs={"aria-sort": aria_sort}),
    )


def _cell(key: str, content: rx.Component) -> rx.Component:
    return rx.cond(T.columns.contains(key), labelled_cell(COLUMNS[key], content, class_name=f"col-{key}"))


def _row(row) -> rx.Component:  # noqa: ANN001
    return rx.table.row(
        _cell("reason", rx.text(row.reason)),
        _cell(
            "customer",
            rx.vstack(
                rx.text(row.customer_name, weight="medium"),
                rx.text(row.customer_email, " · @", row.customer_username, size="1", color_scheme="gray"),
                spacing="0",
            ),
        ),
        _cell("product", rx.text(row.product)),
        _cell("amount", rx.text(row.amount)),
        _cell("status", status_badge(row.status, row.status_label)),
        _cell("opened", local_time(row.opened_at, "YYYY-MM-DD HH:mm")),
        _cell("due", rx.box(countdown(row.due_at), class_name=rx.cond(row.overdue, "overdue", ""))),
        _cell("resolved", rx.cond(row.resolved_at, local_time(row.resolved_at, "YYYY-MM-DD HH:mm"), "—")),
        rx.table.cell(case_button(row.case_id, row.waiting_on_creator)),
        class_name="resolution-row",
    )


def resolutions_page() -> rx.Component:
    return creator_page(
        "Resolution center",
        _filters(),
        error_callout(T.error),
        _toolbar(),
        rx.cond(
            T.loaded,
            rx.fragment(
                stacked_table(
                    [
                        *[_header_cell(k, label) for k, label in COLUMNS.items()],
                        rx.table.column_header_cell(rx.text.span("Open", class_name="visually-hidden")),
                    ],
                    T.rows,
                    _row,
                ),
                rx.cond(T.total == 0, rx.text("No cases match these filters.", color_scheme="gray")),
                pager(T),
            ),
            placeholder("Loading cases", rows=6),
        ),
    )


def creator_case_page() -> rx.Component:
    return creator_page(
        "Case",
        rx.flex(
            rx.link("← Resolution center", href="/creator/resolutions", size="2"),
            rx.cond(
                CreatorCaseState.detail,
                case_pdf_button(CreatorCaseState.detail.summary.case_id, CREATOR_PDF_PATH),
            ),
            justify="between",
            align="center",
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        case_workspace(
            CreatorCaseState,
            CREATOR_ACTIONS,
            rx.cond(CreatorCaseState.customer, customer_card(CreatorCaseState, "Payments with your business")),
            composer_tools=saved_reply_picker(CreatorCaseState),
        ),
    )
