"""The in-app notifications page and the notification settings: every handler re-reads the signed-in user, and the
services only ever touch that user's own rows."""

import asyncio

import reflex as rx

from resolution_app.domain.errors import DomainError
from resolution_app.services.notifications import inbox, preferences
from resolution_app.services.notifications.inbox import NotificationRow
from resolution_app.state.ids import page_number
from resolution_app.state.session import SessionState


class NotificationsState(SessionState):
    rows: list[NotificationRow] = []
    page: int = 1
    pages: int = 1
    loaded: bool = False
    error: str = ""

    @rx.event
    async def load_notifications(self):
        return await self._show(page_number(self.router.url.query_parameters.get("page", "1")))

    @rx.event
    async def go_to_page(self, page: int):
        return await self._show(page_number(page))

    async def _show(self, page: int):
        user, found = await self._as_user(inbox.inbox_page, page)
        if user is None:
            return self._login_redirect()
        self.rows, self.page, self.pages, self.loaded, self.error = found.rows, found.page, found.pages, True, ""
        self._show_unread(found.unread)
        return None

    @rx.event
    async def open_notification(self, notification_id: int):
        """Read it and go to its case, in the portal it belongs to."""
        user = await self._user()
        if user is None:
            return self._login_redirect()
        try:
            href = await asyncio.to_thread(inbox.mark_read, user, notification_id)
        except DomainError as error:
            self.error = error.message
            return None
        return rx.redirect(href)

    @rx.event
    async def mark_read(self, notification_id: int):
        user = await self._user()
        if user is None:
            return self._login_redirect()
        try:
            await asyncio.to_thread(inbox.mark_read, user, notification_id)
        except DomainError as error:
            self.error = error.message
        return await self._show(self.page)

    @rx.event
    async def mark_all_read(self):
        user = await self._user()
        if user is None:
            return self._login_redirect()
        await asyncio.to_thread(inbox.mark_all_read, user)
        return await self._show(self.page)


class NotificationSettingsState(SessionState):
    emails_on: bool = True
    loaded: bool = False
    notice: str = ""

    @rx.event
    async def load_settings(self):
        user, enabled = await self._as_user(preferences.emails_enabled)
        if user is None:
            return self._login_redirect()
        self.emails_on, self.loaded, self.notice = enabled, True, ""
        return None

    @rx.event
    async def set_emails(self, enabled: bool):
        """Saved at once, for every email not yet sent."""
        user = await self._user()
        if user is None:
            return self._login_redirect()
        self.emails_on = await asyncio.to_thread(preferences.set_emails_enabled, user, enabled is True)
        self.notice = "Resolution Center emails are on." if self.emails_on else "Resolution Center emails are off."
        return None
