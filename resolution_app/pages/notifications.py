"""`/notifications`, the in-app list behind the bell, and `/settings/notifications`, the email switch."""

import reflex as rx

from resolution_app.components.layout import error_callout, local_time, notice_callout, page, pager, placeholder
from resolution_app.services.notifications.inbox import NotificationRow
from resolution_app.state.notifications import NotificationSettingsState, NotificationsState

EMAILS_LABEL = "Resolution Center emails"


def _notification(row: NotificationRow) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.box(
                width="0.6em",
                height="0.6em",
                border_radius="50%",
                flex_shrink="0",
                margin_top="0.45em",
                background=rx.cond(row.unread, "var(--accent-9)", "transparent"),
                aria_hidden="true",
            ),
            rx.vstack(
                rx.link(
                    rx.cond(row.unread, rx.text.strong(row.title), rx.text.span(row.title)),
                    href=row.href,
                    on_click=NotificationsState.open_notification(row.id).prevent_default,
                    size="3",
                    class_name="notification-link",
                ),
                rx.cond(row.snippet != "", rx.text(row.snippet, size="2", color_scheme="gray")),
                rx.hstack(
                    rx.text(row.case_label, size="1", weight="medium"),
                    rx.text(local_time(row.created_at), size="1", color_scheme="gray"),
                    rx.cond(
                        row.status_label != "",
                        rx.badge(row.status_label, variant="soft", high_contrast=True, white_space="normal"),
                    ),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                spacing="1",
                align="start",
                flex="1",
                min_width="0",  # long words wrap inside the card instead of pushing "Mark read" out of it
            ),
            rx.cond(
                row.unread,
                rx.button(
                    "Mark read",
                    size="1",
                    variant="ghost",
                    on_click=NotificationsState.mark_read(row.id),
                    aria_label="Mark read: " + row.title,
                    flex_shrink="0",
                ),
            ),
            align="start",
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name=rx.cond(row.unread, "notification unread", "notification"),
    )


def notifications_page() -> rx.Component:
    s = NotificationsState
    return page(
        "Notifications",
        error_callout(s.error),
        rx.cond(
            s.loaded,
            rx.cond(
                s.rows.length() > 0,
                rx.vstack(
                    rx.hstack(
                        rx.text(
                            rx.cond(s.unread_notifications == 1, "1 unread", f"{s.unread_notifications} unread"),
                            size="2",
                            color_scheme="gray",
                        ),
                        rx.spacer(),
                        rx.button(
                            "Mark all read",
                            variant="soft",
                            on_click=s.mark_all_read,
                            disabled=s.unread_notifications == 0,
                        ),
                        rx.link("Notification settings", href="/settings/notifications", size="2"),
                        align="center",
                        spacing="4",
                        width="100%",
                        wrap="wrap",
                    ),
                    rx.vstack(rx.foreach(s.rows, _notification), spacing="2", width="100%"),
                    rx.cond(s.pages > 1, pager(s)),
                    spacing="3",
                    width="100%",
                ),
                rx.text("No notifications yet. News about your cases will show here.", color_scheme="gray"),
            ),
            placeholder("Loading your notifications"),
        ),
    )


def notification_settings_page() -> rx.Component:
    s = NotificationSettingsState
    return page(
        "Notification settings",
        notice_callout(s.notice),
        rx.cond(
            s.loaded,
            rx.card(
                rx.vstack(
                    rx.text(
                        rx.flex(
                            rx.switch(checked=s.emails_on, on_change=s.set_emails, id="emails-switch"),
                            EMAILS_LABEL,
                            spacing="2",
                            align="center",
                        ),
                        as_="label",
                        size="3",
                        weight="medium",
                    ),
                    rx.text(
                        "Emails about your cases: a new case, an answer, a decision, a deadline that is near, and "
                        "chat messages (at most one email per case every 15 minutes). Turned off, no email is sent, "
                        "not even one already waiting; the bell still shows everything.",
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="2",
                ),
                width="100%",
            ),
            placeholder("Loading your settings", rows=1),
        ),
    )
