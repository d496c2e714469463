"""/creator/settings/developers, its webhooks: endpoints added with a secret shown once, their delivery logs."""

import asyncio
from collections.abc import Mapping

import reflex as rx

from resolution_app.domain.errors import DomainError
from resolution_app.domain.webhooks import EVENT_TYPES
from resolution_app.services.developers import webhook_endpoints
from resolution_app.services.developers.webhook_endpoints import AttemptRow, EndpointRow
from resolution_app.state.creator import CreatorState

URL_FIELD = "webhook_url"
EVENT_FIELD_PREFIX = "webhook_event_"


def event_field(kind: str) -> str:
    return EVENT_FIELD_PREFIX + kind.removeprefix("resolution_center_case.")


def _chosen_events(form: Mapping) -> list[str]:
    """The events whose box is ticked ("on" is what a ticked box submits)."""
    return [kind for kind in EVENT_TYPES if form.get(event_field(kind)) == "on"]


class WebhooksState(CreatorState):
    endpoints: list[EndpointRow] = []
    may_manage: bool = False
    loaded: bool = False
    # The secret of the endpoint just added, shown until the person says they have copied it; never again after.
    new_secret: str = ""
    new_secret_url: str = ""
    removing: int = 0  # the endpoint whose "Remove?" confirmation is open
    log_for: int = 0  # the endpoint whose delivery log is open
    log: list[AttemptRow] = []
    error: str = ""
    error_field: str = ""
    notice: str = ""

    async def _refresh(self, user) -> None:  # noqa: ANN001
        view = await asyncio.to_thread(webhook_endpoints.webhooks_view, user)
        self.endpoints, self.may_manage, self.loaded = view.endpoints, view.may_manage, True
        if self.log_for:
            await self._load_log(user, self.log_for)

    async def _load_log(self, user, endpoint_id: int) -> None:  # noqa: ANN001
        try:
            self.log = await asyncio.to_thread(webhook_endpoints.delivery_log, user, endpoint_id)
            self.log_for = endpoint_id
        except DomainError as error:
            self.error, self.log, self.log_for = error.message, [], 0

    def _said(self, error: str = "", notice: str = "") -> None:
        self.error, self.error_field, self.notice = error, "", notice

    @rx.event
    async def load_endpoints(self):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self.new_secret, self.new_secret_url, self.removing, self.log_for, self.log = "", "", 0, 0, []
        self._said()
        try:
            await self._refresh(user)
        except DomainError as error:
            self.error = error.message
        return None

    @rx.event
    async def add_endpoint(self, form: dict):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        url = form.get(URL_FIELD, "")
        self._said()
        try:
            added = await asyncio.to_thread(webhook_endpoints.add_endpoint, user, str(url), _chosen_events(form))
        except DomainError as error:
            self.error, self.error_field = error.message, error.field
            return rx.set_focus(URL_FIELD)
        self.new_secret, self.new_secret_url = added.secret, str(url).strip()
        await self._refresh(user)
        return rx.set_value(URL_FIELD, "")

    @rx.event
    def forget_new_secret(self):
        self.new_secret, self.new_secret_url = "", ""

    @rx.event
    def ask_to_remove(self, endpoint_id: int):
        self.removing = endpoint_id if isinstance(endpoint_id, int) else 0

    @rx.event
    def keep_endpoint(self):
        self.removing = 0

    @rx.event
    async def remove(self):
        endpoint_id, self.removing = self.removing, 0
        if self.log_for == endpoint_id:
            self.log_for, self.log = 0, []
        return await self._manage(webhook_endpoints.remove_endpoint, endpoint_id, "Removed: nothing more goes to it.")

    @rx.event
    async def enable(self, endpoint_id: int):
        return await self._manage(webhook_endpoints.enable_endpoint, endpoint_id, "On again: what waited is sent now.")

    @rx.event
    async def resend(self, delivery_id: int):
        return await self._manage(webhook_endpoints.resend, delivery_id, "Sent again, with the same webhook-id.")

    async def _manage(self, action, row_id: int, done: str):  # noqa: ANN001, ANN202
        user = await self._creator()
        if user is None:
            return self._not_creator()
        try:
            await asyncio.to_thread(action, user, row_id)
        except DomainError as error:
            self._said(error=error.message)
        else:
            self._said(notice=done)
        await self._refresh(user)
        return None

    @rx.event
    async def show_log(self, endpoint_id: int):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        if self.log_for == endpoint_id:
            self.log_for, self.log = 0, []
            return None
        await self._load_log(user, endpoint_id)
        return None

    @rx.event
    async def refresh_log(self):
        user = await self._creator()
        if user is not None and self.log_for:
            await self._load_log(user, self.log_for)
