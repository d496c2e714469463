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


SETTINGS_LINKS = [("Auto-respond", "/creator/settings/auto-respond"), ("Legal documents", "/creator/settings/legal")]


def creator_nav() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("settings", size=16), "Settings", variant="ghost", type="button")),
        rx.menu.content(
            *[rx.menu.item(rx.link(text, href=href, underline="none")) for text, href in SETTINGS_LINKS],
        ),
    )


def creator_page(title: str, *children: rx.Component) -> rx.Component:
    return page(
        title,
        rx.box(open_resolutions_badge(), class_name="narrow-only"),  # on a phone, under the title
        *children,
        header_extra=(open_resolutions_badge(), creator_nav()),
        header_links=SETTINGS_LINKS,
    )
