"""The creator portal's frame: the "N open resolutions" badge and the settings links on every page."""

import reflex as rx

from resolution_app.components.layout import page
from resolution_app.services.creator_cases import WAITING_FILTER
from resolution_app.state.creator import CreatorState


def open_resolutions_badge() -> rx.Component:
    count = CreatorState.open_resolutions
    return rx.link(
        rx.button(
            rx.icon("inbox", size=16),
            count,
            rx.cond(count == 1, " open resolution", " open resolutions"),
            color_scheme=rx.cond(count > 0, "amber", "gray"),
            variant="soft",
            class_name="open-resolutions",
        ),
        href=f"/creator/resolutions?status={WAITING_FILTER}",
    )


def creator_nav() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("settings", size=16), "Settings", variant="ghost", type="button")),
        rx.menu.content(
            rx.menu.item(rx.link("Auto-respond", href="/creator/settings/auto-respond", underline="none")),
            rx.menu.item(rx.link("Legal documents", href="/creator/settings/legal", underline="none")),
        ),
    )


def creator_page(title: str, *children: rx.Component) -> rx.Component:
    return page(title, *children, header_extra=(open_resolutions_badge(), creator_nav()))
