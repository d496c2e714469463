"""The frame around every page: header with the portal's links, the user's menu, and the content."""

from typing import Literal

import reflex as rx

from resolution_app.state.session import SessionState

PORTAL_LINKS = [("Purchases", "/purchases"), ("My cases", "/cases"), ("Balance", "/balance")]
CREATOR_LINKS = [
    ("Resolution center", "/creator/resolutions"),
    ("Payments", "/creator/payments"),
    ("Analytics", "/creator/analytics"),
]
REVIEWER_LINKS = [("Review queue", "/review"), ("Review analytics", "/review/analytics")]


def _nav_link(text: str, href: str) -> rx.Component:
    return rx.link(
        text, href=href, size="2", weight="medium", color_scheme="gray", high_contrast=True, white_space="nowrap"
    )


def roomy_text(text: str | rx.Var, *, from_width: Literal[1280, 1366] = 1366) -> rx.Component:
    """A header button's words beside its icon, shown from a window `from_width` px wide (assets/app.css); narrower,
    they are visually hidden, so the button keeps its name (not as an aria-label, which `get_by_label("To")` would
    find in "Casey Creator")."""
    return rx.text.span(text, class_name=f"roomy-{from_width}")


def _menu_link(text: str, href: str) -> rx.Component:
    return rx.menu.item(rx.link(text, href=href, underline="none", color_scheme="gray", high_contrast=True))


def notification_bell() -> rx.Component:
    """The bell: unread notifications, kept current by a half-minute timer; it leads to `/notifications`."""
    count = SessionState.unread_notifications
    return rx.link(
        rx.icon("bell", size=18, aria_hidden="true"),
        rx.cond(
            count > 0,
            rx.badge(
                count, color_scheme="red", variant="solid", high_contrast=True, radius="full", class_name="bell-count"
            ),
        ),
        rx.moment(interval=30_000, on_change=SessionState.refresh_bell, display="none"),
        href="/notifications",
        aria_label=rx.cond(count == 1, "Notifications: 1 unread", f"Notifications: {count} unread"),
        color_scheme="gray",
        high_contrast=True,
        underline="none",
        display="inline-flex",
        align_items="center",
        gap="0.25em",
        class_name="notification-bell",
    )


def _phone_menu(extra_links: list[tuple[str, str]]) -> rx.Component:
    """On a phone the header's links, the portal's own and the user's go into one menu."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(rx.icon("menu", size=18), variant="ghost", aria_label="Menu", type="button"),
        ),
        rx.menu.content(
            *[_menu_link(text, href) for text, href in PORTAL_LINKS],
            rx.cond(SessionState.is_creator, rx.fragment(*[_menu_link(text, href) for text, href in CREATOR_LINKS])),
            rx.cond(SessionState.is_reviewer, rx.fragment(*[_menu_link(text, href) for text, href in REVIEWER_LINKS])),
            *[_menu_link(text, href) for text, href in extra_links],
            rx.menu.separator(),
            _menu_link("Notification settings", "/settings/notifications"),
            rx.menu.item("Log out", on_click=SessionState.log_out),
        ),
    )


def header(
    *extra: rx.Component, always: rx.Component | None = None, extra_links: list[tuple[str, str]] | None = None
) -> rx.Component:
    """`extra` shows beside the user's menu on wide screens, and `extra_links` are what it offers, for the phone
    menu; `always` shows on every screen (the creator's open-resolutions badge)."""
    return rx.hstack(
        rx.link(
            rx.hstack(rx.icon("scale", size=20), rx.heading("Resolution Center", size="4"), align="center"),
            href="/",
            underline="none",
            color_scheme="gray",
            high_contrast=True,
        ),
        rx.cond(
            SessionState.signed_in,
            rx.hstack(
                *[_nav_link(text, href) for text, href in PORTAL_LINKS],
                rx.cond(SessionState.is_creator, rx.fragment(*[_nav_link(t, h) for t, h in CREATOR_LINKS])),
                rx.cond(SessionState.is_reviewer, rx.fragment(*[_nav_link(t, h) for t, h in REVIEWER_LINKS])),
                spacing="4",
                class_name="wide-only",
            ),
        ),
        rx.cond(
            SessionState.signed_in,
            rx.hstack(
                notification_bell(),
                always or rx.fragment(),
                rx.hstack(
                    *extra,
                    rx.menu.root(
                        rx.menu.trigger(
                            rx.button(
                                rx.icon("circle-user", size=16),
                                roomy_text(SessionState.user_name),
                                variant="ghost",
                                type="button",
                            )
                        ),
                        rx.menu.content(
                            _menu_link("Notification settings", "/settings/notifications"),
                            rx.menu.item("Log out", on_click=SessionState.log_out),
                        ),
                    ),
                    spacing="4",
                    align="center",
                    class_name="wide-only",
                ),
                rx.box(_phone_menu(extra_links or []), class_name="narrow-only"),
                spacing="4",
                align="center",
                margin_left="auto",
            ),
        ),
        align="center",
        spacing="4",
        # A creator's or reviewer's links need a laptop's width; below it they go into the menu, as on a phone.
        class_name=rx.cond(SessionState.is_creator | SessionState.is_reviewer, "site-header many-links", "site-header"),
        padding_x=rx.breakpoints(initial="1em", sm="1.5em"),
        padding_y="0.9em",
        border_bottom="1px solid var(--gray-a5)",
        width="100%",
        background="var(--color-panel-solid)",
    )


def page(
    title: str,
    *children: rx.Component,
    header_extra: tuple[rx.Component, ...] = (),
    header_links: list[tuple[str, str]] | None = None,
    header_always: rx.Component | None = None,
) -> rx.Component:
    return rx.box(
        header(*header_extra, always=header_always, extra_links=header_links),
        rx.container(
            rx.vstack(rx.heading(title, size="6"), *children, spacing="4", width="100%"),
            size="4",
            padding_y="1.5em",
        ),
        min_height="100vh",
        background="var(--gray-2)",
    )


def error_callout(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", width="100%"),
    )


def notice_callout(message: rx.Var) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="check", color_scheme="green", role="status", width="100%"),
    )


def local_time(value: rx.Var, fmt: str = "MMM D, YYYY HH:mm") -> rx.Component:
    """A UTC time shown in the viewer's time zone."""
    return rx.moment(value, format=fmt, local=True)


def absolute_time(value: rx.Var) -> rx.Component:
    """A UTC time as the viewer's clock shows it, with its zone: "Nov 29, 4:03 PM PST"."""
    text = rx.Var(
        _js_expr=(
            f"(({value}) ? new Date(String({value}).replace(' ', 'T')).toLocaleString('en-US', "
            "{month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short'}) : '')"
        ),
        _var_type=str,
        _var_data=value._get_all_var_data(),
    )
    return rx.text.span(text, class_name="absolute-time")


def placeholder(label: str, rows: int = 3) -> rx.Component:
    """What a page shows until its data has arrived: grey bars, never an empty state or a zero."""
    return rx.vstack(
        *[rx.skeleton(rx.box(height="1.4em", width="100%")) for _ in range(rows)],
        width="100%",
        spacing="3",
        aria_label=label,
        aria_busy="true",
        class_name="loading-placeholder",
    )


def countdown(due: rx.Var) -> rx.Component:
    """Time left to a deadline, and the deadline itself: "in 3 days · Nov 29, 4:03 PM PST"; a dash for none. In a
    narrow column it breaks only between the two, never inside either."""
    return rx.cond(
        due,
        rx.hstack(
            rx.icon("clock", size=14, aria_hidden="true"),
            rx.text(
                rx.text.span(rx.moment(due, from_now=True, interval=30000), white_space="nowrap"),
                " · ",
                rx.text.span(absolute_time(due), white_space="nowrap"),
                size="2",
            ),
            align="center",
            spacing="1",
            class_name="countdown",
        ),
        rx.text("—", size="2", color_scheme="gray"),
    )


def link_button(*children: rx.Component | str, href: str | rx.Var, **props: object) -> rx.Component:
    """A button that takes the person to `href`: one element, one Tab stop (never a button inside a link). Its words
    stay on one line: a button is one line high, and in a narrow table cell "View details" spilt out of it."""
    return rx.button(*children, on_click=rx.redirect(href), type="button", white_space="nowrap", **props)


def stacked_table(header_cells: list[rx.Component], rows: rx.Var, row: object) -> rx.Component:
    """A table that becomes a stack of cards on a phone (cells carry `data-label` to say what they are there)."""
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*header_cells)),
            rx.table.body(rx.foreach(rows, row)),
            variant="surface",
            width="100%",
        ),
        class_name="stacked-table",
        width="100%",
    )


def labelled_cell(label: str, *content: rx.Component | rx.Var | str, **props: object) -> rx.Component:
    """A table cell that says what it is when its table is stacked into cards."""
    return rx.table.cell(*content, custom_attrs={"data-label": label}, **props)


def pager(state) -> rx.Component:  # noqa: ANN001 - any state with page, pages and go_to_page
    return rx.hstack(
        rx.button("Previous", variant="soft", disabled=state.page <= 1, on_click=state.go_to_page(state.page - 1)),
        rx.text("Page ", state.page, " of ", state.pages, size="2"),
        rx.button(
            "Next", variant="soft", disabled=state.page >= state.pages, on_click=state.go_to_page(state.page + 1)
        ),
        align="center",
    )


# A native <select>, drawn like the theme's fields: it keeps the platform's own keyboard and screen-reader behaviour.
NATIVE_SELECT_STYLE = {
    "padding": "6px 10px",
    "border": "1px solid var(--gray-a7)",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "min_width": "280px",
    "font_size": "var(--font-size-2)",
}


def field_label(text: str, for_id: str) -> rx.Component:
    return rx.el.label(text, html_for=for_id, style={"font-size": "var(--font-size-2)", "font-weight": "500"})


def dom_value(element_id: str) -> rx.Var[str]:
    """What the person typed or chose in a form field, read when the event fires.

    Used for submissions that carry files: the upload travels apart from the websocket, so state set by
    on_change events might not have arrived yet.
    """
    return rx.Var(_js_expr=f"(document.getElementById({element_id!r})?.value ?? '')", _var_type=str)
