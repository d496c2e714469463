"""The creator portal's frame: the "N open resolutions" badge and the settings links on every page."""

import reflex as rx

from resolution_app.components.layout import link_button, page, roomy_text
from resolution_app.services.creator.creator_cases import WAITING_FILTER
from resolution_app.state.creator import CreatorState


def open_resolutions_badge() -> rx.Component:
    count = CreatorState.open_resolutions
    return link_button(
        rx.icon("inbox", size=16),
        count,
        roomy_text(rx.cond(count == 1, " open resolution", " open resolutions"), from_width=1280),
        href=f"/creator/resolutions?status={WAITING_FILTER}",
        color_scheme=rx.cond(count > 0, "amber", "gray"),
        variant="soft",
        high_contrast=True,
        class_name="open-resolutions",
        aria_label=rx.cond(count == 1, "1 open resolution", f"{count} open resolutions"),
    )


SETTINGS_LINKS = [
    ("Auto-respond", "/creator/settings/auto-respond"),
    ("Legal documents", "/creator/settings/legal"),
    ("Saved replies", "/creator/settings/saved-replies"),
    ("Developers", "/creator/settings/developers"),
    ("Notifications", "/settings/notifications"),
]


def creator_nav() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("settings", size=16),
                roomy_text("Settings"),
                variant="ghost",
                type="button",
            )
        ),
        rx.menu.content(
            *[rx.menu.item(rx.link(text, href=href, underline="none")) for text, href in SETTINGS_LINKS],
        ),
    )


def creator_page(title: str, *children: rx.Component) -> rx.Component:
    return page(
        title,
        *children,
        header_always=open_resolutions_badge(),
        header_extra=(creator_nav(),),
        header_links=SETTINGS_LINKS,
    )
