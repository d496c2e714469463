"""The case page, shared by the portals: each portal's state names the party it acts as."""

import asyncio
from functools import partial
from typing import ClassVar

import reflex as rx

from resolution_app.domain.confirmations import claim_outcome, done_message
from resolution_app.domain.enums import CaseAction, CaseStatus, Party
from resolution_app.domain.errors import DomainError, NotFound
from resolution_app.infra.evidence import IncomingFile
from resolution_app.services.cases import case_actions, case_views
from resolution_app.services.cases.case_views import CaseDetail
from resolution_app.services.notifications import inbox
from resolution_app.state.ids import parse_id

MESSAGE_UPLOAD_ID = "message_files"
ACTION_UPLOAD_ID = "action_files"
MESSAGE_FIELD_ID = "message"
ACTION_FIELD_ID = "action_text"
AMOUNT_FIELD_ID = "action_amount"


def incoming(files: list[rx.UploadFile]) -> list[IncomingFile]:
    return [IncomingFile(filename=file.filename or "file", stream=file.file) for file in files]


class CasePageState(rx.State, mixin=True):
    _party: ClassVar[Party]

    detail: CaseDetail | None = None
    not_found: bool = False
    pending_action: str = ""  # the action whose form is open
    error: str = ""
    notice: str = ""
    busy: bool = False
    unfolded: list[str] = []  # long thread entries the viewer opened with "Show more"

    @rx.var
    def party(self) -> str:
        return self._party.value

    @rx.var
    def replying(self) -> bool:
        """A question waits on the viewer: the composer sends their reply."""
        return bool(self.detail and self.detail.question)

    async def _viewer(self):  # noqa: ANN202 - the signed-in user; portals may check more (and refresh their frame)
        return await self._user()

    def _case_id(self) -> int | None:
        return parse_id(self.router.url.path.rstrip("/").split("/")[-1])

    async def _refresh(self, user) -> None:  # noqa: ANN001
        case_id = self._case_id()
        try:
            if case_id is None:
                raise NotFound("Case not found.")
            self.detail = await asyncio.to_thread(case_views.case_detail, user, case_id, self._party)
            self.not_found = False
        except NotFound:
            self.detail, self.not_found = None, True

    @rx.event
    async def load_case(self):
        user = await self._viewer()
        if user is None:
            return self._login_redirect()
        self.error, self.pending_action, self.busy, self.unfolded = "", "", False, []
        await self._refresh(user)
        if self.detail is not None:  # what the bell said about this case is read now
            self._show_unread(await asyncio.to_thread(inbox.read_case, user, self.detail.summary.case_id))
        submitted = self.just_opened_case == self._case_id()
        if self.just_opened_case:
            self.just_opened_case = 0
        self.notice = self._claim_outcome() if submitted else ""

    def _done_message(self, action: str) -> str:
        d = self.detail
        asked_by = d.question.asked_by if d and d.question else "the creator"
        return done_message(action, amount=d.summary.amount, buyer=d.summary.buyer, asked_by=asked_by) if d else ""

    def _claim_outcome(self) -> str:
        d = self.detail
        if d is None:
            return ""
        refunded = d.summary.status == CaseStatus.CUSTOMER_WON
        return claim_outcome(refunded=refunded, amount=d.summary.amount, method=d.method, business=d.summary.business)

    @rx.event
    def open_action(self, action: str):
        """Show the form of an action that needs text (or a confirmation)."""
        self.pending_action = str(action) if self.detail and action in self.detail.actions else ""
        self.error = ""

    @rx.event
    def close_action(self):
        self.pending_action = ""

    @rx.event
    def toggle_fold(self, key: str):
        key = str(key)
        self.unfolded = [k for k in self.unfolded if k != key] if key in self.unfolded else [*self.unfolded, key][-50:]

    async def _run(self, work, success: str, clear: str):  # noqa: ANN001
        """Call `work(user)` (a service) off the event loop; show its refusal, refresh the case either way."""
        self.busy, self.error, self.notice = True, "", ""
        yield  # the button shows it is working; set here, not in a separate event that could arrive after this one
        yield await self._finish(work, success, clear)

    async def _finish(self, work, success: str, clear: str):  # noqa: ANN001
        user = await self._viewer()
        if user is None:
            self.busy = False
            return self._login_redirect()
        try:
            await asyncio.to_thread(work, user)
        except DomainError as error:
            self.error = error.message
            await self._refresh(user)
            self.busy = False
            return None
        self.notice, self.pending_action = success, ""
        await self._refresh(user)
        self.busy = False
        return [
            rx.clear_selected_files(clear),
            rx.set_value(MESSAGE_FIELD_ID, ""),
            rx.set_value(ACTION_FIELD_ID, ""),
            rx.set_value(AMOUNT_FIELD_ID, ""),
        ]

    @rx.event
    async def send(self, files: list[rx.UploadFile], body: str):
        """The composer: my reply while a question waits on me, otherwise a chat message."""
        case_id, body, uploads = self._case_id(), str(body), incoming(files)
        if case_id is None or self.detail is None:
            return
        if self.replying:
            work = partial(
                case_actions.act,
                case_id=case_id,
                party=self._party,
                action=CaseAction.REPLY.value,
                expected_version=self.detail.version,
                text=body,
                uploads=uploads,
            )
            success = self._done_message(CaseAction.REPLY.value)
        else:
            work = partial(case_actions.send_message, case_id=case_id, party=self._party, body=body, uploads=uploads)
            success = "Message sent."
        async for update in self._run(work, success, MESSAGE_UPLOAD_ID):
            yield update

    @rx.event
    async def take_action(self, files: list[rx.UploadFile], text: str):
        """The pending action (Withdraw, Deny, Send reply, Appeal...), with its text and files."""
        async for update in self._take_action(files, text, ""):
            yield update

    @rx.event
    async def take_amount_action(self, files: list[rx.UploadFile], text: str, amount: str):
        """The pending action that names an amount (a partial refund offered or decided), with its text."""
        async for update in self._take_action(files, text, amount):
            yield update

    async def _take_action(self, files: list[rx.UploadFile], text: str, amount: str):
        case_id, action, text, uploads = self._case_id(), self.pending_action, str(text), incoming(files)
        version = self.detail.version if self.detail else 0
        if case_id is None or not action:
            return
        work = partial(
            case_actions.act,
            case_id=case_id,
            party=self._party,
            action=action,
            expected_version=version,
            text=text,
            uploads=uploads,
            amount=str(amount),
        )
        success = self._done_message(action)
        async for update in self._run(work, success, ACTION_UPLOAD_ID):
            yield update
