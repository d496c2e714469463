"""The analytics pages' states: the creator's (/creator/analytics) and the reviewers' (/review/analytics).

The range lives in the URL (`?from=…&to=…`), so reload, Back and a shared link show the same figures; the time zone
is the browser's. Only aggregated rows reach the state: a few dozen weeks, five reasons, the top products.
"""

from dataclasses import asdict
from typing import Any, ClassVar
from urllib.parse import urlencode

import reflex as rx

from resolution_app.domain.analytics import DateRange, range_from_query
from resolution_app.domain.errors import DomainError, NotFound
from resolution_app.infra.clock import clock
from resolution_app.services.analytics.creator import TOP_PRODUCTS, creator_analytics_page
from resolution_app.services.analytics.review import review_analytics
from resolution_app.state.creator import TIME_ZONES, CreatorState
from resolution_app.state.inputs import fill_inputs
from resolution_app.state.review import ReviewState

CREATOR_PATH, REVIEW_PATH = "/creator/analytics", "/review/analytics"
CREATOR_EXPORT, REVIEW_EXPORT = "/api/creator/analytics.csv", "/api/review/analytics.csv"
RANGE_FIELDS = {"from": "analytics-from", "to": "analytics-to"}  # the URL's names -> the inputs' ids
# The creator page's charts: one figure at a time, by week, by reason and by product.
CREATOR_FIGURES = {
    "cases": "Cases opened",
    "claim_rate": "Claim rate",
    "refund_rate": "Refund rate",
    "refunded": "Amount refunded",
    "auto_refund": "Auto-refunded",
    "first_response": "First response time",
    "outcomes": "Outcomes",
    "escalation": "Escalation rate",
}


class AnalyticsRange(rx.State, mixin=True):
    """What both pages share: the range in the URL and the inputs, the browser's time zone, the export's link."""

    _path: ClassVar[str]  # the page's own address

    first: str = ""  # ISO dates of the range shown
    last: str = ""
    time_zone: str = ""  # the browser's, once it has said
    error: str = ""
    loaded: bool = False  # until the figures arrive the page shows placeholders, not zeros

    @rx.event
    async def load_analytics(self):
        if not self.time_zone:  # a new tab: the figures wait for its time zone, so the weeks are its weeks
            return rx.call_script("Intl.DateTimeFormat().resolvedOptions().timeZone", callback=type(self).set_zone)
        return await self._reload()

    @rx.event
    async def set_zone(self, zone: str):
        self.time_zone = str(zone) if str(zone) in TIME_ZONES else "UTC"
        return await self._reload()

    async def _reload(self):
        try:
            r = self._range()
        except DomainError as error:
            self.error, self.loaded = error.message, True
            return None
        return await self._load_figures(r)

    async def _load_figures(self, r: DateRange):  # noqa: ANN202 - each page's own figures, and where to go if refused
        raise NotImplementedError

    def _range(self) -> DateRange:
        params = self.router.url.query_parameters
        return range_from_query(
            str(params.get("from", ""))[:20], str(params.get("to", ""))[:20], self.time_zone or "UTC", clock.now()
        )

    def _show_range(self, r: DateRange) -> rx.event.EventSpec:
        self.first, self.last = r.first.isoformat(), r.last.isoformat()
        return fill_inputs({RANGE_FIELDS["from"]: self.first, RANGE_FIELDS["to"]: self.last})

    def _export(self, path: str) -> str:
        query = {"from": self.first, "to": self.last, "time_zone": self.time_zone or "UTC"}
        return f"{path}?{urlencode(query)}"

    @rx.event
    def set_date(self, name: str, value: str):
        """The page at its new range's address; a date that can't be read says why and changes nothing."""
        name = str(name)
        if name not in RANGE_FIELDS:
            return None
        wanted = {"from": self.first, "to": self.last, name: str(value)[:20]}
        try:
            r = range_from_query(wanted["from"], wanted["to"], self.time_zone or "UTC", clock.now())
        except DomainError as error:
            self.error = error.message
            return None
        return rx.redirect(f"{self._path}?{urlencode({'from': r.first.isoformat(), 'to': r.last.isoformat()})}")


def _rows(figures: list) -> list[dict[str, Any]]:
    return [f.row() for f in figures]


class CreatorAnalyticsState(AnalyticsRange, CreatorState):
    _path: ClassVar[str] = CREATOR_PATH
    figure: str = "cases"
    cards: list[dict[str, str]] = []
    weeks: list[dict[str, Any]] = []
    reasons: list[dict[str, Any]] = []
    products: list[dict[str, Any]] = []
    currencies: list[str] = []  # the amount chart's series
    products_note: str = ""

    @rx.var
    def export_url(self) -> str:
        return self._export(CREATOR_EXPORT)

    @rx.var
    def figure_choices(self) -> list[list[str]]:
        return [[key, label] for key, label in CREATOR_FIGURES.items()]

    async def _load_figures(self, r: DateRange):
        try:
            user, page = await self._as_user(creator_analytics_page, r)
        except NotFound:
            user, page = await self._user(), None
        if user is None or page is None or not self.is_creator:
            return self._not_creator()
        analytics = page.analytics
        self.open_resolutions, self.currencies = page.open_resolutions, analytics.currencies
        self.cards = [asdict(card) for card in analytics.cards()]
        self.weeks, self.reasons = _rows(analytics.weeks), _rows(analytics.reasons)
        self.products = _rows(analytics.products)
        shown = len(analytics.products)
        self.products_note = (
            f"The {TOP_PRODUCTS} products with the most cases, of {analytics.products_in_range}."
            if analytics.products_in_range > shown
            else ""
        )
        self.error, self.loaded = "", True
        return self._show_range(r)

    @rx.event
    def show_figure(self, figure: str):
        if str(figure) in CREATOR_FIGURES:
            self.figure = str(figure)


class ReviewAnalyticsState(AnalyticsRange, ReviewState):
    _path: ClassVar[str] = REVIEW_PATH
    cards: list[dict[str, str]] = []
    queue_days: list[dict[str, Any]] = []
    weeks: list[dict[str, Any]] = []
    kinds: list[dict[str, Any]] = []
    reviewers: list[dict[str, Any]] = []

    @rx.var
    def export_url(self) -> str:
        return self._export(REVIEW_EXPORT)

    async def _load_figures(self, r: DateRange):
        try:
            user, analytics = await self._as_user(review_analytics, r)
        except NotFound:
            user, analytics = await self._user(), None
        if user is None or analytics is None or not self.is_reviewer:
            self.page_not_found = user is not None
            return self._login_redirect()
        self.page_not_found, self.unclaimed = False, analytics.unclaimed
        self.cards = [asdict(card) for card in analytics.cards()]
        self.queue_days = [{"label": d.label, "day": d.day.isoformat(), "size": d.size} for d in analytics.queue_days]
        self.weeks, self.kinds = _rows(analytics.weeks), _rows(analytics.kinds)
        self.reviewers = _rows(analytics.reviewers)
        self.error, self.loaded = "", True
        return self._show_range(r)
