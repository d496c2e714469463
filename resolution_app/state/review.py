"""The reviewer portal's states: the frame with the unclaimed count, the queue, and the case page."""

import asyncio
from functools import partial
from urllib.parse import urlencode

import reflex as rx

from resolution_app.domain.enums import REASON_LABELS, Party
from resolution_app.domain.errors import DomainError, NotFound
from resolution_app.models import User
from resolution_app.services.cases.case_views import ThreadItem
from resolution_app.services.review import claims as review_claims
from resolution_app.services.review import notes as review_notes
from resolution_app.services.review import queue
from resolution_app.services.review.case_file import ReviewCaseFile, review_case_file
from resolution_app.services.review.queue import QueueCounts, QueueFilter, QueueRow
from resolution_app.state.case_page import CasePageState
from resolution_app.state.customer_card import CustomerCardState
from resolution_app.state.ids import page_number
from resolution_app.state.inputs import fill_inputs
from resolution_app.state.session import SessionState

QUEUE_PATH = "/review"
QUEUE_FILTERS = ("kind", "reason", "claimed", "amount_from", "amount_to", "older_than")
TYPED_FILTERS = ("amount_from", "amount_to", "older_than")  # typed, not chosen: the page doesn't bind their inputs


class ReviewState(SessionState):
    """Every reviewer page: platform staff only (anyone else finds nothing here) and the unclaimed count."""

    unclaimed: int = 0
    page_not_found: bool = False

    async def _reviewer(self) -> User | None:
        user = await self._user()
        if user is None or not self.is_reviewer:
            self.page_not_found = user is not None
            return None
        self.page_not_found = False
        self.unclaimed = await asyncio.to_thread(queue.unclaimed_count, user)
        return user

    def _login_redirect(self):
        """Signed in but no reviewer: the page says "not found" rather than asking them to log in again."""
        return None if self.page_not_found else super()._login_redirect()


class ReviewQueueState(ReviewState):
    rows: list[QueueRow] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    counts: QueueCounts | None = None
    kind: str = ""
    reason: str = ""
    claimed: str = ""
    amount_from: str = ""
    amount_to: str = ""
    older_than: str = ""  # days
    error: str = ""
    loaded: bool = False

    @rx.var
    def reason_choices(self) -> list[list[str]]:
        return [["", "All reasons"]] + [[reason.value, label] for reason, label in REASON_LABELS.items()]

    @rx.event
    async def load_queue(self):
        params = self.router.url.query_parameters
        for name in QUEUE_FILTERS:
            setattr(self, name, str(params.get(name, ""))[:40])
        self.page = page_number(params.get("page"))
        redirect = await self._reload()
        filled = fill_inputs({f"queue-{name}": getattr(self, name) for name in TYPED_FILTERS})
        return [redirect, filled] if redirect else filled

    async def _reload(self):
        user = await self._reviewer()
        if user is None:
            return self._login_redirect()
        older_than = self.older_than or "0"
        if not older_than.isdigit():
            self.rows, self.total, self.error, self.loaded = [], 0, "Age is a number of days, like 3.", True
            return None
        f = QueueFilter(
            kind=self.kind,
            reason=self.reason,
            claimed=self.claimed,
            amount_from=self.amount_from,
            amount_to=self.amount_to,
            older_than_days=int(older_than),
        )
        try:
            view = await asyncio.to_thread(queue.review_queue, user, f, self.page)
        except DomainError as error:
            self.rows, self.total, self.error, self.loaded = [], 0, error.message, True
            return None
        self.rows, self.total, self.page, self.pages = view.rows, view.total, view.page, view.pages
        self.counts, self.unclaimed, self.error, self.loaded = view.counts, view.counts.unclaimed, "", True
        return None

    def _url(self, **changes: str) -> str:
        query = {name: getattr(self, name) for name in QUEUE_FILTERS} | {"page": str(self.page), **changes}
        query = {key: value for key, value in query.items() if value and not (key == "page" and value == "1")}
        return f"{QUEUE_PATH}?{urlencode(query)}" if query else QUEUE_PATH

    @rx.event
    def set_filter(self, name: str, value: str):
        if name not in QUEUE_FILTERS:
            return None
        return rx.redirect(self._url(**{name: str(value)[:40], "page": "1"}))

    @rx.event
    def apply_typed_filters(self, form: dict):
        """The amount range and age, applied together when the reviewer presses Apply (or Enter)."""
        typed = {name: str(form.get(name, "")).strip()[:40] for name in TYPED_FILTERS}
        return rx.redirect(self._url(**typed, page="1"))

    @rx.event
    def go_to_page(self, page: int):
        return rx.redirect(self._url(page=str(page_number(page))))

    @rx.event
    async def claim(self, case_id: int):
        """Claim from the queue, then open the case."""
        user = await self._reviewer()
        if user is None:
            return None
        try:
            await asyncio.to_thread(review_claims.claim, user, int(case_id))
        except (DomainError, TypeError, ValueError) as error:
            self.error = error.message if isinstance(error, DomainError) else "Unknown case."
            return await self._reload()
        return rx.redirect(f"{QUEUE_PATH}/{int(case_id)}")


class ReviewCaseState(CasePageState, CustomerCardState, ReviewState):
    _party = Party.REVIEWER
    case_file: ReviewCaseFile | None = None

    @rx.var
    def buyer_statements(self) -> list[ThreadItem]:
        return self._statements(Party.BUYER)

    @rx.var
    def creator_statements(self) -> list[ThreadItem]:
        return self._statements(Party.CREATOR)

    def _statements(self, party: Party) -> list[ThreadItem]:
        """What one side put forward (claim, denial, escalation, answers, appeal), for reading side by side."""
        thread = self.detail.thread if self.detail else []
        return [item for item in thread if item.party == party and item.kind in STATEMENT_KINDS]

    async def _viewer(self) -> User | None:
        return await self._reviewer()

    async def _refresh(self, user: User) -> None:
        await super()._refresh(user)
        case_id = self._case_id()
        try:
            found = self.detail is not None and case_id is not None
            self.case_file = await asyncio.to_thread(review_case_file, user, case_id) if found else None
        except NotFound:
            self.case_file = None
        self.customer = self.case_file.customer if self.case_file else None

    @rx.event
    async def change_claim(self, change: str):
        """Claim, Release or Take over, as the page offers them."""
        move = CLAIM_MOVES.get(str(change))
        if move is not None:
            await self._change(*move)

    @rx.event
    async def add_note(self, body: str):
        if await self._change(partial(review_notes.add_note, body=str(body)), "Note added. Only reviewers see it."):
            return rx.set_value(NOTE_FIELD_ID, "")
        return None

    async def _change(self, work, success: str) -> bool:  # noqa: ANN001
        """`work(user, case_id)` off the event loop; its refusal is shown, and the page refreshed either way."""
        case_id = self._case_id()
        user = await self._viewer() if case_id is not None else None
        if user is None:
            return False
        self.error, self.notice = "", ""
        try:
            await asyncio.to_thread(work, user, case_id)
            self.notice = success
        except DomainError as error:
            self.error = error.message
        await self._refresh(user)
        return not self.error


CLAIM_MOVES = {
    "claim": (review_claims.claim, "You have claimed the case: only you can ask questions or decide it now."),
    "release": (review_claims.release, "Released: the case is back in the queue for any reviewer."),
    "take_over": (review_claims.take_over, "You have taken the case over; the timeline records it."),
}
NOTE_FIELD_ID = "review_note"
STATEMENT_KINDS = frozenset({"opened", "deny", "escalate", "reply", "appeal"})
