"""The creator's composer: "Insert saved reply" opens a searchable list of the case's business's replies, and the
chosen one goes into the Message box filled in for the case (services/creator/saved_replies.fill_for_case)."""

import asyncio

import reflex as rx

from resolution_app.domain.errors import DomainError
from resolution_app.services.creator import saved_replies
from resolution_app.services.creator.saved_replies import ReplyRow
from resolution_app.state.case_page import MESSAGE_FIELD_ID
from resolution_app.state.ids import parse_id

MESSAGE_MAX_CHARS = 20_000  # what the composer may hold when a reply goes in; the service checks the message itself


def typed(value: object) -> str:
    """Text from the browser; anything else is no text."""
    return value if isinstance(value, str) else ""


class SavedReplyPickerState(rx.State, mixin=True):
    """The creator's composer: "Insert saved reply" opens a searchable list of the case's business's replies; the
    chosen one goes into the Message box filled in for the case, where it can still be changed before sending."""

    picker_open: bool = False
    picker_replies: list[ReplyRow] = []
    picker_total: int = 0
    picker_search: str = ""
    picker_loaded: bool = False
    picker_error: str = ""

    async def _load_picker(self) -> None:
        user = await self._viewer()
        case_id = self._case_id()
        if user is None or case_id is None:
            self.picker_open = False
            return
        try:
            view = await asyncio.to_thread(saved_replies.replies_for_case, user, case_id, self.picker_search)
        except DomainError as error:
            self.picker_replies, self.picker_total, self.picker_error = [], 0, error.message
        else:
            self.picker_replies, self.picker_total, self.picker_error = view.replies, view.total, ""
        self.picker_loaded = True

    @rx.event
    async def set_picker_open(self, is_open: bool):
        self.picker_open = is_open is True
        if self.picker_open:  # a fresh search each time it opens
            self.picker_search, self.picker_loaded = "", False
            await self._load_picker()

    @rx.event
    async def search_picker(self, search: str):
        self.picker_search = typed(search)[: saved_replies.SEARCH_MAX_CHARS]
        await self._load_picker()

    @rx.event
    async def insert_saved_reply(self, reply_id: int, in_the_box: str, start: int, end: int):
        """Put the reply, filled in, where the person's cursor was in the Message box (over what they selected);
        `in_the_box` is what the box holds, read when they chose."""
        user = await self._viewer()
        case_id = self._case_id()
        if user is None or case_id is None:
            self.picker_open = False
            return None
        try:
            filled = await asyncio.to_thread(saved_replies.fill_for_case, user, parse_id(reply_id) or 0, case_id)
        except DomainError as error:
            self.picker_error = error.message
            return None
        self.picker_open = False
        text = typed(in_the_box)[:MESSAGE_MAX_CHARS]
        start, end = _caret(start, text), _caret(end, text)
        start, end = min(start, end), max(start, end)
        return rx.set_value(MESSAGE_FIELD_ID, text[:start] + filled + text[end:])  # the closing picker focuses it


def _caret(position: object, text: str) -> int:
    """The index in `text` of a position the browser gave in UTF-16 code units (an emoji is two of them, one character
    here); the end of the text when it said nothing usable."""
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        return len(text)
    units = 0
    for index, character in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(character) > 0xFFFF else 1
    return len(text)
