"""Charts with their numbers beside them: the SVG for the eye, a small table for screen readers and exact values."""

from dataclasses import dataclass

import reflex as rx

from resolution_app.components.layout import NATIVE_SELECT_STYLE, field_label

# Radix colours: readable on the theme's panel, told apart by more than hue in the tables beside them.
PALETTE = ("var(--indigo-9)", "var(--orange-9)", "var(--teal-9)", "var(--crimson-9)", "var(--amber-9)")
CHART_HEIGHT = 260
TICK = {"fontSize": 12}  # the axes' words: small enough that a phone's 320 px hold a reason's name beside its bar
MAX_BAR = 32  # a lone bar (one reviewer, one week) stays a bar, not a block


@dataclass(frozen=True)
class Series:
    key: str  # the rows' key it plots
    name: str  # its legend and tooltip name


def _bars(series: list[Series], stacked: bool) -> list[rx.Component]:
    return [
        rx.recharts.bar(
            data_key=s.key,
            name=s.name,
            fill=PALETTE[n % len(PALETTE)],
            stack_id="stack" if stacked else None,
            max_bar_size=MAX_BAR,
            is_animation_active=False,  # drawn at once: no half-grown bars in a screenshot or for reduced motion
        )
        for n, s in enumerate(series)
    ]


def _lines(series: list[Series], dots: bool) -> list[rx.Component]:
    return [
        rx.recharts.line(
            data_key=s.key,
            name=s.name,
            stroke=PALETTE[n % len(PALETTE)],
            stroke_width=2,
            type_="linear",  # straight between weeks: a curve would invent values between them
            connect_nulls=True,  # a week with nothing to measure leaves no gap in the line
            dot=dots,
            is_animation_active=False,
        )
        for n, s in enumerate(series)
    ]


def _frame(legend: bool) -> list[rx.Component]:
    return [
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.graphing_tooltip(),
        *([rx.recharts.legend()] if legend else []),
    ]


def time_chart(
    data: rx.Var,
    series: list[Series],
    *,
    line: bool = False,
    stacked: bool = False,
    counts: bool = False,
    dots: bool = True,
) -> rx.Component:
    """A figure over time: weeks or days along the bottom; bars for counts and money, lines for rates and times.
    `counts`: whole numbers only on the axis; `dots`: a dot on each point (not for a line of 90 days)."""
    axes = [
        rx.recharts.x_axis(data_key="label", interval="equidistantPreserveStart", tick=TICK),
        rx.recharts.y_axis(width=48, tick=TICK, allow_decimals=not counts),
    ]
    if line:
        return rx.recharts.line_chart(
            *_lines(series, dots), *axes, *_frame(len(series) > 1), data=data, height=CHART_HEIGHT, width="100%"
        )
    return rx.recharts.bar_chart(
        *_bars(series, stacked), *axes, *_frame(len(series) > 1), data=data, height=CHART_HEIGHT, width="100%"
    )


def _category_axes(counts: bool) -> list[rx.Component]:
    return [
        rx.recharts.x_axis(type_="number", tick=TICK, allow_decimals=not counts),
        rx.recharts.y_axis(data_key="label", type_="category", width=110, interval=0, tick=TICK),
    ]


def category_chart(data: rx.Var, series: list[Series], *, stacked: bool = False, counts: bool = False) -> rx.Component:
    """A figure by category (reason, product, reviewer): horizontal bars, so long names stay readable on a phone."""
    return rx.recharts.bar_chart(
        *_bars(series, stacked),
        *_category_axes(counts),
        *_frame(len(series) > 1),
        data=data,
        layout="vertical",
        height=CHART_HEIGHT,
        width="100%",
    )


def currency_bars(data: rx.Var, currencies: rx.Var, *, categories: bool = False) -> rx.Component:
    """Amounts refunded, a bar per currency (their keys are `refunded_<code>`)."""
    bars = rx.foreach(
        currencies,
        lambda code: rx.recharts.bar(
            data_key="refunded_" + code, name=code, fill=PALETTE[0], max_bar_size=MAX_BAR, is_animation_active=False
        ),
    )
    if categories:
        axes = _category_axes(counts=False)
        return rx.recharts.bar_chart(
            bars, *axes, *_frame(True), data=data, layout="vertical", height=CHART_HEIGHT, width="100%"
        )
    axes = [
        rx.recharts.x_axis(data_key="label", interval="equidistantPreserveStart", tick=TICK),
        rx.recharts.y_axis(width=56, tick=TICK),
    ]
    return rx.recharts.bar_chart(bars, *axes, *_frame(True), data=data, height=CHART_HEIGHT, width="100%")


def numbers_table(title: str, first_header: str, data: rx.Var, columns: list[tuple[str, str]]) -> rx.Component:
    """The chart's numbers, row by row: what a screen reader reads, and the exact values for everyone."""
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(first_header),
                    *[rx.table.column_header_cell(header) for _, header in columns],
                )
            ),
            rx.table.body(
                rx.foreach(
                    data,
                    lambda row: rx.table.row(
                        rx.table.row_header_cell(row["label"]),
                        *[rx.table.cell(row[key]) for key, _ in columns],
                    ),
                )
            ),
            size="1",
            variant="surface",
            width="100%",
        ),
        role="region",
        aria_label=f"{title}: the numbers",
        tab_index=0,  # it scrolls: the keyboard must reach it
        max_height=f"{CHART_HEIGHT + 40}px",
        overflow_y="auto",
        width="100%",
        class_name="chart-numbers",
    )


def chart_panel(title: str, chart: rx.Component, table: rx.Component, note: str | rx.Var = "") -> rx.Component:
    """A chart and its numbers side by side on a wide screen, one above the other on a phone."""
    return rx.card(
        rx.vstack(
            rx.heading(title, as_="h3", size="3"),
            _note(note),
            rx.box(
                rx.box(chart, width="100%", min_width="0", class_name="chart"),
                table,
                display="grid",
                grid_template_columns=rx.breakpoints(initial="minmax(0, 1fr)", md="minmax(0, 3fr) minmax(0, 2fr)"),
                gap="var(--space-4)",
                align_items="start",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="chart-panel",
    )


def _note(note: str | rx.Var) -> rx.Component:
    if isinstance(note, rx.Var):
        return rx.cond(note != "", rx.text(note, size="1", color_scheme="gray", as_="p"))
    return rx.text(note, size="1", color_scheme="gray", as_="p") if note else rx.fragment()


def figure_cards(cards: rx.Var) -> rx.Component:
    """The range's headline figures: each a label, its value and a line that says what it counts."""
    return rx.grid(
        rx.foreach(
            cards,
            lambda card: rx.card(
                rx.text(card["label"], size="2", color_scheme="gray", high_contrast=True),
                rx.text(card["value"], size="6", weight="bold", as_="p", class_name="figure-value"),
                rx.text(card["detail"], size="1", color_scheme="gray", as_="p"),
                class_name="figure-card",
            ),
        ),
        columns=rx.breakpoints(initial="1", xs="2", md="4"),
        spacing="3",
        width="100%",
    )


def date_input(field: str, label: str, element_id: str, on_change) -> rx.Component:  # noqa: ANN001 - an event
    # Uncontrolled, as the Resolution center's dates: a reload landing while the person types must not undo it.
    return rx.vstack(
        field_label(label, element_id),
        rx.input(type="date", id=element_id, on_change=on_change),
        spacing="1",
    )


def native_select(element_id: str, label: str, choices: rx.Var, value: rx.Var, on_change) -> rx.Component:  # noqa: ANN001
    return rx.vstack(
        field_label(label, element_id),
        rx.el.select(
            rx.foreach(choices, lambda c: rx.el.option(c[1], value=c[0])),
            id=element_id,
            value=value,
            on_change=on_change,
            style=NATIVE_SELECT_STYLE,
        ),
        spacing="1",
    )
