"""/creator/settings/saved-replies: the business's saved replies, added, changed and deleted."""

import asyncio
from collections.abc import Mapping

import reflex as rx

from resolution_app.domain.errors import DomainError
from resolution_app.models import User
from resolution_app.services.creator import saved_replies
from resolution_app.services.creator.saved_replies import ReplyRow
from resolution_app.state.creator import CreatorState
from resolution_app.state.ids import parse_id
from resolution_app.state.saved_reply_picker import typed

REPLY_NAME_FIELD = "reply_name"
REPLY_BODY_FIELD = "reply_body"


class SavedRepliesState(CreatorState):
    """/creator/settings/saved-replies: the business's replies (one window of them), one form to add or change one."""

    replies: list[ReplyRow] = []
    total: int = 0
    may_manage: bool = False
    loaded: bool = False
    search: str = ""
    editing: int = 0  # the reply the form changes; 0 while it adds a new one
    editing_name: str = ""
    # The form's fields are uncontrolled: they start from these, and changing the key remounts them.
    form_name: str = ""
    form_body: str = ""
    form_key: int = 0
    deleting: int = 0  # the reply whose "Delete?" confirmation is open
    error: str = ""
    error_field: str = ""  # "name" or "body": the page says it under that field and focuses it
    notice: str = ""

    async def _refresh(self, user: User) -> None:
        view = await asyncio.to_thread(saved_replies.replies_view, user, self.search)
        self.replies, self.total, self.may_manage, self.loaded = view.replies, view.total, view.may_manage, True

    async def _refresh_or_tell(self, user: User) -> None:
        """The list as it is now, or why it can't be shown."""
        try:
            await self._refresh(user)
        except DomainError as error:
            self._tell(error=error.message)

    def _tell(self, *, error: str = "", field: str = "", notice: str = "") -> None:
        self.error, self.error_field, self.notice = error, field, notice

    def _fresh_form(self, name: str = "", body: str = "", editing: int = 0) -> None:
        self.form_name, self.form_body, self.editing, self.editing_name = name, body, editing, name
        self.form_key += 1

    @rx.event
    async def load_replies(self):
        # Runs again on every reconnect: it leaves the form alone, so nothing being typed is lost.
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self._tell()
        self.deleting = 0
        await self._refresh_or_tell(user)
        return None

    @rx.event
    async def search_replies(self, search: str):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self.search = typed(search)[: saved_replies.SEARCH_MAX_CHARS]
        await self._refresh_or_tell(user)
        return None

    @rx.event
    async def save_reply(self, form: dict):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self._tell()
        fields = form if isinstance(form, Mapping) else {}
        name, body = typed(fields.get(REPLY_NAME_FIELD)), typed(fields.get(REPLY_BODY_FIELD))
        try:
            if self.editing:
                await asyncio.to_thread(saved_replies.update_reply, user, self.editing, name, body)
            else:
                await asyncio.to_thread(saved_replies.create_reply, user, name, body)
        except DomainError as error:
            self._tell(error=error.message, field=error.field)
            return rx.set_focus(REPLY_BODY_FIELD if error.field == "body" else REPLY_NAME_FIELD)
        saved = " ".join(name.split())
        self._tell(notice=f"Saved “{saved}”." if self.editing else f"Added “{saved}”.")
        self._fresh_form()
        await self._refresh(user)
        return None

    @rx.event
    async def edit_reply(self, reply_id: int):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        self._tell()
        try:
            reply = await asyncio.to_thread(saved_replies.reply_text, user, parse_id(reply_id) or 0)
        except DomainError as error:
            self._tell(error=error.message)
            await self._refresh(user)
            return None
        self._fresh_form(reply.name, reply.body, reply.reply_id)
        return rx.set_focus(REPLY_NAME_FIELD)

    @rx.event
    def cancel_edit(self):
        self._tell()
        self._fresh_form()

    @rx.event
    def ask_to_delete(self, reply_id: int):
        self.deleting = parse_id(reply_id) or 0

    @rx.event
    def keep_reply(self):
        self.deleting = 0

    @rx.event
    async def delete_reply(self):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        reply_id, self.deleting = self.deleting, 0
        try:
            name = await asyncio.to_thread(saved_replies.delete_reply, user, reply_id)
        except DomainError as error:
            self._tell(error=error.message)
        else:
            self._tell(notice=f"Deleted “{name}”.")
            if self.editing == reply_id:
                self._fresh_form()
        await self._refresh(user)
        return None
