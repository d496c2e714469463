"""The creator portal's states: the frame with its badge, the Resolution center table and the case page."""

import asyncio
from urllib.parse import urlencode
from zoneinfo import available_timezones

import reflex as rx

from resolution_app.domain.enums import REASON_LABELS, STATUS_LABELS, Party
from resolution_app.domain.errors import DomainError
from resolution_app.models import User
from resolution_app.services.creator import creator_cases, creator_payments, customer_context
from resolution_app.services.creator.creator_cases import COLUMNS, SORTS, WAITING_FILTER, CaseRow
from resolution_app.services.creator.creator_payments import PaymentRow
from resolution_app.state.case_page import CasePageState
from resolution_app.state.customer_card import CustomerCardState
from resolution_app.state.ids import page_number
from resolution_app.state.inputs import fill_inputs
from resolution_app.state.saved_reply_picker import SavedReplyPickerState
from resolution_app.state.session import SessionState


class CreatorState(SessionState):
    """Every creator page: who is asking (a member of a business) and the "N open resolutions" badge."""

    open_resolutions: int = 0

    async def _creator(self) -> User | None:
        """The signed-in creator, with the badge brought up to date; None for anyone else."""
        user, count = await self._as_user(creator_cases.open_resolutions_count)
        if user is None or not self.is_creator:
            return None
        self.open_resolutions = count
        return user

    def _not_creator(self):
        return self._login_redirect() if not self.signed_in else rx.redirect("/purchases")

    @rx.event
    async def refresh_badge(self):
        if await self._creator() is None:
            return self._not_creator()


class CreatorCaseState(CasePageState, CustomerCardState, SavedReplyPickerState, CreatorState):
    _party = Party.CREATOR

    async def _viewer(self) -> User | None:
        return await self._creator()

    async def _refresh(self, user: User) -> None:
        await super()._refresh(user)
        case_id = self._case_id()
        found = self.detail and case_id
        self.customer = await asyncio.to_thread(customer_context.customer_context, user, case_id) if found else None
        if self.busy:  # after an action: the badge counts what is left waiting
            self.open_resolutions = await asyncio.to_thread(creator_cases.open_resolutions_count, user)


class CreatorTableState(CreatorState):
    """The Resolution center table. Only one page of rows is ever in the state."""

    rows: list[CaseRow] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    columns: list[str] = list(COLUMNS)
    opened_from: str = ""
    opened_to: str = ""
    status: str = ""
    reason: str = ""
    search: str = ""
    sort: str = "opened"
    descending: bool = True
    time_zone: str = ""  # the browser's, once it has said
    error: str = ""
    loaded: bool = False  # until the first rows arrive the page shows placeholders, not "0 cases"

    @rx.var
    def column_choices(self) -> list[list[str]]:
        return [[key, label] for key, label in COLUMNS.items()]

    @rx.var
    def status_choices(self) -> list[list[str]]:
        return [["", "All statuses"], [WAITING_FILTER, "Waiting on you"]] + [
            [status.value, label] for status, label in STATUS_LABELS.items()
        ]

    @rx.var
    def reason_choices(self) -> list[list[str]]:
        return [["", "All reasons"]] + [[reason.value, label] for reason, label in REASON_LABELS.items()]

    def _query(self) -> dict[str, str]:
        """The filters as text: what the table asks for, and what the export link carries."""
        return {
            "opened_from": self.opened_from,
            "opened_to": self.opened_to,
            "status": self.status,
            "reason": self.reason,
            "search": self.search,
            "sort": self.sort,
            "descending": "1" if self.descending else "0",
            "time_zone": self.time_zone,
        }

    @rx.var
    def export_url(self) -> str:
        return f"/api/creator/cases.csv?{urlencode({k: v for k, v in self._query().items() if v})}"

    async def _reload(self):
        try:
            query = creator_cases.filter_from_query(self._query())
        except DomainError as error:
            self.error = error.message
            return None
        user, view = await self._as_user(creator_cases.table_view, query, self.page)
        if user is None or not self.is_creator:
            return self._not_creator()
        self.error = ""
        cases = view.cases
        self.rows, self.total, self.page, self.pages = cases.rows, cases.total, cases.page, cases.pages
        self.open_resolutions, self.columns = view.open_resolutions, view.columns
        self.loaded = True
        return None

    def _url(self, **changes: str) -> str:
        """This view's address with `changes`: the table's state lives in the URL, so reload, Back and a shared
        link show the same view."""
        query = {**self._query(), "page": str(self.page), **changes}
        query.pop("time_zone")
        defaults = {"sort": "opened", "descending": "1", "page": "1"}
        return f"{TABLE_PATH}?{urlencode({k: v for k, v in query.items() if v and defaults.get(k) != v})}"

    def _take_query(self) -> None:
        """The view the URL names; anything unknown there is left out rather than refused."""
        params = self.router.url.query_parameters
        for name in FILTER_FIELDS:
            setattr(self, name, str(params.get(name, ""))[:200])
        if self.status not in {choice[0] for choice in self.status_choices}:
            self.status = ""
        self.sort = params.get("sort", "opened") if params.get("sort") in SORTS else "opened"
        self.descending = params.get("descending", "1") != "0"
        self.page = page_number(params.get("page"))

    @rx.event
    async def load_table(self):
        self._take_query()
        filled = [fill_inputs({field: getattr(self, field) for field in UNCONTROLLED_INPUTS})]
        if not self.time_zone:  # a new tab: the rows wait for its time zone, so "opened between" means its days
            zone = rx.call_script(
                "Intl.DateTimeFormat().resolvedOptions().timeZone", callback=CreatorTableState.set_zone
            )
            return [*filled, zone]
        redirect = await self._reload()
        return [*filled, *([redirect] if redirect else [])]

    @rx.event
    async def set_zone(self, zone: str):
        self.time_zone = str(zone) if str(zone) in TIME_ZONES else "UTC"
        return await self._reload()

    @rx.event
    def set_filter(self, name: str, value: str):
        """One filter changed: the first page of the new view, at its own address (a bad date says why)."""
        if name not in FILTER_FIELDS:
            return None
        value = str(value)[:200]
        try:
            creator_cases.filter_from_query({**self._query(), name: value})
        except DomainError as error:
            self.error = error.message
            return None
        setattr(self, name, value)  # a second change before the page has reloaded builds on this one
        return rx.redirect(self._url(**{name: value, "page": "1"}))

    @rx.event
    def search_customers(self, form: dict):
        return self.set_filter("search", str(form.get("search", "")))

    @rx.event
    def sort_by(self, key: str):
        if key not in SORTS:
            return None
        descending = not self.descending if self.sort == key else True
        return rx.redirect(self._url(sort=str(key), descending="1" if descending else "0", page="1"))

    @rx.event
    def go_to_page(self, page: int):
        return rx.redirect(self._url(page=str(page_number(page))))

    @rx.event
    def clear_filters(self):
        self.error = ""
        return [rx.set_value(field, "") for field in UNCONTROLLED_INPUTS] + [
            rx.redirect(self._url(**dict.fromkeys(FILTER_FIELDS, ""), page="1"))
        ]

    @rx.event
    async def toggle_column(self, key: str):
        user = await self._creator()
        if user is None:
            return self._not_creator()
        wanted = [c for c in self.columns if c != key] if key in self.columns else [*self.columns, str(key)]
        try:
            self.columns = await asyncio.to_thread(creator_cases.save_columns, user, wanted)
        except DomainError as error:
            self.error = error.message
        return None


TABLE_PATH = "/creator/resolutions"
TIME_ZONES = frozenset(available_timezones())  # read from disk once, at import, never on the event loop
FILTER_FIELDS = frozenset({"opened_from", "opened_to", "status", "reason", "search"})
UNCONTROLLED_INPUTS = ("opened_from", "opened_to", "search")  # the page doesn't bind them: clearing sets them


class CreatorPaymentsState(CreatorState):
    """/creator/payments: one page of the business's payments; the filter and page live in the URL."""

    rows: list[PaymentRow] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    with_open_case: bool = False
    loaded: bool = False

    @rx.event
    async def load_payments(self):
        params = self.router.url.query_parameters
        self.with_open_case = params.get("open") == "1"
        user, found = await self._as_user(
            creator_payments.payments_page, page_number(params.get("page")), self.with_open_case
        )
        if user is None or not self.is_creator:
            return self._not_creator()
        self.rows, self.total, self.page, self.pages = found.rows, found.total, found.page, found.pages
        self.open_resolutions, self.loaded = found.open_resolutions, True
        return None

    def _url(self, page: int, with_open_case: bool) -> str:
        query = urlencode({k: v for k, v in {"open": "1" if with_open_case else "", "page": page}.items() if v})
        return f"{PAYMENTS_PATH}?{query}" if query else PAYMENTS_PATH

    @rx.event
    def show_open_only(self, checked: bool):
        return rx.redirect(self._url(1, bool(checked)))

    @rx.event
    def go_to_page(self, page: int):
        return rx.redirect(self._url(page_number(page), self.with_open_case))


PAYMENTS_PATH = "/creator/payments"
