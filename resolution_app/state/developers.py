"""/creator/settings/developers: the business's API keys, made, shown once and revoked."""

import asyncio

import reflex as rx

from resolution_app.domain.errors import DomainError
from resolution_app.services.developers import api_keys
from resolution_app.services.developers.api_keys import KeyRow
from resolution_app.state.creator import CreatorState

KEY_NAME_FIELD = "key_name"
KEY_SCOPE_FIELD = "key_scope"


class DevelopersState(CreatorState):
    keys: list[KeyRow] = []
    may_manage: bool = False
    loaded: bool = False
    # The key just made, shown until the person leaves the page or says they have copied it; never again after.
    new_key: str = ""
    new_key_name: str = ""
    revoking: int = 0  # the key whose "Revoke?" confirmation is open
    error: str = ""
    error_field: str = ""
    notice: str = ""

    async def _refresh(self, user) -> None:  # noqa: ANN001
        view = await asyncio.to_thread(api_keys.keys_view, user)
        self.keys, self.may_manage, self.loaded = view.keys, view.may_manage, True

    @rx.event
    async def load_keys(self):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self.new_key, self.new_key_name, self.revoking, self.error, self.error_field, self.notice = (
            "",
            "",
            0,
            "",
            "",
            "",
        )
        try:
            await self._refresh(user)
        except DomainError as error:
            self.error = error.message
        return None

    @rx.event
    async def create_key(self, form: dict):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        name, scope = str(form.get(KEY_NAME_FIELD, "")), str(form.get(KEY_SCOPE_FIELD, ""))
        self.error, self.error_field, self.notice = "", "", ""
        try:
            made = await asyncio.to_thread(api_keys.create_key, user, name, scope)
        except DomainError as error:
            self.error, self.error_field = error.message, error.field
            return rx.set_focus(KEY_NAME_FIELD if error.field == "name" else KEY_SCOPE_FIELD)
        self.new_key, self.new_key_name = made.secret, name.strip()
        await self._refresh(user)
        return rx.set_value(KEY_NAME_FIELD, "")

    @rx.event
    def forget_new_key(self):
        self._forget_new_key()

    def _forget_new_key(self) -> None:
        if self.new_key:
            self.new_key, self.new_key_name = "", ""

    @rx.event
    def ask_to_revoke(self, key_id: int):
        self.revoking = key_id if isinstance(key_id, int) else 0

    @rx.event
    def keep_key(self):
        self.revoking = 0

    @rx.event
    async def revoke(self):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        key_id, self.revoking = self.revoking, 0
        revoked = next((key.name for key in self.keys if key.key_id == key_id), "The key")
        try:
            await asyncio.to_thread(api_keys.revoke_key, user, key_id)
        except DomainError as error:
            self.error, self.notice = error.message, ""
        else:
            self.error, self.notice = "", f"{revoked} is revoked: requests with it are refused from now on."
        await self._refresh(user)
        return None
