"""/creator/analytics and /review/analytics: a range's figures, charts with their numbers, and the CSV export."""

import reflex as rx

from resolution_app.components.charts import (
    Series,
    category_chart,
    chart_panel,
    currency_bars,
    date_input,
    figure_cards,
    native_select,
    numbers_table,
    time_chart,
)
from resolution_app.components.creator_layout import creator_page
from resolution_app.components.layout import error_callout, placeholder
from resolution_app.pages.review import review_page
from resolution_app.state.analytics import CREATOR_FIGURES, RANGE_FIELDS, CreatorAnalyticsState, ReviewAnalyticsState

C, R = CreatorAnalyticsState, ReviewAnalyticsState


def _range_bar(state) -> rx.Component:  # noqa: ANN001 - either page's state
    return rx.flex(
        date_input("from", "From", RANGE_FIELDS["from"], lambda value: state.set_date("from", value)),
        date_input("to", "To", RANGE_FIELDS["to"], lambda value: state.set_date("to", value)),
        rx.spacer(),
        rx.button(rx.icon("download", size=16), "Export CSV", on_click=rx.download(url=state.export_url)),
        spacing="3",
        wrap="wrap",
        align="end",
        width="100%",
    )


# --- The creator's page ----------------------------------------------------------------------------------------------

# Each figure: its series, drawn as lines (rates, times) or bars (counts, stacked outcomes), what its table shows, and
# what it counts.
PERCENT_NOTE = "Share of the cases opened in each slice."
COUNTED_FIGURES = frozenset({"cases", "outcomes"})  # whole numbers: their axes have no 0.5
CREATOR_CHARTS: dict[str, tuple[list[Series], bool, bool, list[tuple[str, str]], str]] = {
    "cases": ([Series("cases", "Cases opened")], False, False, [("cases_text", "Cases")], "Cases opened."),
    "claim_rate": (
        [Series("claim_rate", "Claim rate (%)")],
        True,
        False,
        [("claim_rate_text", "Claim rate")],
        "Cases per payment made in the same slice (a reason's: per payment in the whole range).",
    ),
    "refund_rate": (
        [Series("refund_rate", "Refund rate (%)")],
        True,
        False,
        [("refund_rate_text", "Refunded")],
        "Cases refunded in whole or in part. " + PERCENT_NOTE,
    ),
    "refunded": ([], False, False, [("refunded_text", "Amount refunded")], "Refunds paid through the gateway."),
    "auto_refund": (
        [Series("auto_refund_share", "Auto-refunded (%)")],
        True,
        False,
        [("auto_refund_text", "Auto-refunded")],
        "Cases an auto-respond rule refunded as they opened. " + PERCENT_NOTE,
    ),
    "first_response": (
        [Series("response_median_hours", "Median (hours)"), Series("response_p90_hours", "90th percentile (hours)")],
        True,
        False,
        [("response_median_text", "Median"), ("response_p90_text", "90th pct."), ("responded_text", "Answered")],
        "From the case opening to your first action or message; unanswered cases are left out.",
    ),
    "outcomes": (
        [
            Series("buyer_won", "Buyer won"),
            Series("creator_won", "Creator won"),
            Series("partial", "Partial refund"),
            Series("withdrawn", "Withdrawn"),
        ],
        False,
        True,
        [
            ("buyer_won", "Buyer won"),
            ("creator_won", "Creator won"),
            ("partial", "Partial"),
            ("withdrawn", "Withdrawn"),
            ("still_open", "Open"),
        ],
        "How the cases opened in each slice ended (so far).",
    ),
    "escalation": (
        [Series("escalation_rate", "Escalation rate (%)")],
        True,
        False,
        [("escalation_text", "Escalated")],
        "Cases that went to platform review. " + PERCENT_NOTE,
    ),
}


def _creator_figure(key: str) -> rx.Component:
    series, line, stacked, columns, note = CREATOR_CHARTS[key]
    if key == "refunded":
        charts = [
            currency_bars(C.weeks, C.currencies),
            currency_bars(C.reasons, C.currencies, categories=True),
            currency_bars(C.products, C.currencies, categories=True),
        ]
    else:
        counts = key in COUNTED_FIGURES
        charts = [
            time_chart(C.weeks, series, line=line, stacked=stacked, counts=counts),
            category_chart(C.reasons, series, stacked=stacked, counts=counts),
            category_chart(C.products, series, stacked=stacked, counts=counts),
        ]
    return rx.vstack(
        rx.text(note, size="2", color_scheme="gray", as_="p"),
        chart_panel(
            "By week", charts[0], numbers_table(f"{CREATOR_FIGURES[key]} by week", "Week of", C.weeks, columns)
        ),
        chart_panel(
            "By reason", charts[1], numbers_table(f"{CREATOR_FIGURES[key]} by reason", "Reason", C.reasons, columns)
        ),
        chart_panel(
            "By product",
            charts[2],
            numbers_table(f"{CREATOR_FIGURES[key]} by product", "Product", C.products, columns),
            note=C.products_note,
        ),
        spacing="4",
        width="100%",
        class_name=f"figure-{key}",
    )


def creator_analytics_page() -> rx.Component:
    return creator_page(
        "Analytics",
        rx.text(
            "The cases opened in the range, and what became of them. Days and weeks are your time zone's.",
            size="2",
            color_scheme="gray",
        ),
        _range_bar(C),
        error_callout(C.error),
        rx.cond(
            C.loaded,
            rx.vstack(
                figure_cards(C.cards),
                rx.heading("Charts", as_="h2", size="4"),
                native_select("analytics-figure", "Figure", C.figure_choices, C.figure, C.show_figure),
                rx.match(C.figure, *[(key, _creator_figure(key)) for key in CREATOR_CHARTS], _creator_figure("cases")),
                spacing="4",
                width="100%",
            ),
            placeholder("Loading analytics", rows=6),
        ),
    )


# --- The reviewers' page ---------------------------------------------------------------------------------------------

DECISION_COLUMNS = [("decisions_text", "Decisions"), ("median_text", "Median"), ("p90_text", "90th pct.")]


def review_analytics_page() -> rx.Component:
    decisions = [Series("decisions", "Decisions")]
    times = [Series("median_hours", "Median (hours)"), Series("p90_hours", "90th percentile (hours)")]
    return review_page(
        "Review analytics",
        rx.text(
            "How review keeps up: the queue day by day and the decisions made in the range, in your time zone.",
            size="2",
            color_scheme="gray",
        ),
        _range_bar(R),
        error_callout(R.error),
        rx.cond(
            R.loaded,
            rx.vstack(
                figure_cards(R.cards),
                rx.heading("Charts", as_="h2", size="4"),
                chart_panel(
                    "Queue size by day",
                    time_chart(R.queue_days, [Series("size", "Cases in review")], line=True, counts=True, dots=False),
                    numbers_table("Queue size by day", "Day", R.queue_days, [("size", "In review")]),
                    note="Cases under platform review at the end of each day; today's is the queue now.",
                ),
                chart_panel(
                    "Decisions by week",
                    time_chart(R.weeks, decisions, counts=True),
                    numbers_table(
                        "Decisions by week",
                        "Week of",
                        R.weeks,
                        [("decisions_text", "Decisions"), ("appeal_text", "Appealed"), ("overturn_text", "Overturned")],
                    ),
                    note="Appealed: of the first decisions. Overturned: of the decisions on appeal, those that went "
                    "the other way.",
                ),
                chart_panel(
                    "Time to decision by week",
                    time_chart(R.weeks, times, line=True),
                    numbers_table("Time to decision by week", "Week of", R.weeks, DECISION_COLUMNS),
                    note="From the case entering review (an escalation, a missed deadline, an appeal) to the "
                    "decision, waits for a party's answer included.",
                ),
                chart_panel(
                    "Decisions by kind",
                    category_chart(R.kinds, decisions, counts=True),
                    numbers_table("Decisions by kind", "Decision", R.kinds, DECISION_COLUMNS),
                ),
                chart_panel(
                    "Decisions by reviewer",
                    category_chart(R.reviewers, decisions, counts=True),
                    numbers_table(
                        "Decisions by reviewer",
                        "Reviewer",
                        R.reviewers,
                        [*DECISION_COLUMNS, ("appeal_text", "Appealed")],
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            placeholder("Loading analytics", rows=6),
        ),
    )
