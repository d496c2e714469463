"""The creator portal's states: the frame with its badge, the Resolution center table and the case page."""

import asyncio
from urllib.parse import urlencode
from zoneinfo import available_timezones

import reflex as rx

from resolution_app.domain.enums import REASON_LABELS, STATUS_LABELS, Party
from resolution_app.domain.errors import DomainError
from resolution_app.models import User
from resolution_app.services import creator_cases, customer_context
from resolution_app.services.creator_cases import COLUMNS, SORTS, WAITING_FILTER, CaseRow
from resolution_app.services.customer_context import CustomerContext
from resolution_app.state.case_page import CasePageState
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


class CreatorCaseState(CasePageState, CreatorState):
    _party = Party.CREATOR
    customer: CustomerContext | None = None
    all_logs: bool = False  # the customer's logs of every purchase, not only the disputed one

    @rx.var
    def has_other_logs(self) -> bool:
        return bool(self.customer and any(not log.this_purchase for log in self.customer.logs))

    @rx.event
    def toggle_all_logs(self):
        self.all_logs = not self.all_logs

    async def _viewer(self) -> User | None:
        return await self._creator()

    async def _refresh(self, user: User) -> None:
        await super()._refresh(user)
        case_id = self._case_id()
        found = self.detail and case_id
        self.customer = await asyncio.to_thread(customer_context.customer_context, user, case_id) if found else None


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
        return None

    @rx.event
    async def load_table(self):
        requested = self.router.url.query_parameters.get("status", "")
        self.status = requested if requested in {c[0] for c in self.status_choices} else ""
        self.page = 1
        if not self.time_zone:  # a new tab: the rows wait for its time zone, so "opened between" means its days
            return rx.call_script(
                "Intl.DateTimeFormat().resolvedOptions().timeZone", callback=CreatorTableState.set_zone
            )
        return await self._reload()

    @rx.event
    async def set_zone(self, zone: str):
        self.time_zone = str(zone) if str(zone) in TIME_ZONES else "UTC"
        return await self._reload()

    @rx.event
    async def set_filter(self, name: str, value: str):
        """One filter changed: back to the first page."""
        if name not in FILTER_FIELDS:
            return None
        setattr(self, name, str(value)[:200])
        self.page = 1
        return await self._reload()

    @rx.event
    async def search_customers(self, form: dict):
        return await self.set_filter("search", str(form.get("search", "")))

    @rx.event
    async def sort_by(self, key: str):
        if key not in SORTS:
            return None
        self.descending = not self.descending if self.sort == key else True
        self.sort, self.page = key, 1
        return await self._reload()

    @rx.event
    async def go_to_page(self, page: int):
        try:
            self.page = max(1, int(page))
        except (TypeError, ValueError):
            return None
        return await self._reload()

    @rx.event
    async def clear_filters(self):
        self.opened_from = self.opened_to = self.status = self.reason = self.search = ""
        self.page = 1
        redirect = await self._reload()
        return [*(rx.set_value(field, "") for field in UNCONTROLLED_INPUTS), *([redirect] if redirect else [])]

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


TIME_ZONES = frozenset(available_timezones())  # read from disk once, at import, never on the event loop
FILTER_FIELDS = frozenset({"opened_from", "opened_to", "status", "reason", "search"})
UNCONTROLLED_INPUTS = ("opened_from", "opened_to", "search")  # the page doesn't bind them: clearing sets them
