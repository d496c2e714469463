"""/creator/analytics: the figures of the user's businesses' cases opened in a date range, as a whole, by week, by
reason and by product, each computed by the database in two statements (the cases', the payments').

What each figure counts, of the cases opened in the range:
- claim rate: those cases per payment made in the range (succeeded, whether refunded since or not);
- refund rate and amount refunded: the cases the gateway refunded (whole or part; the refund rows), per currency;
- auto-refunded: the cases an auto-respond rule refunded as they opened;
- first response: from opening to the creator's first action or message written by a person (the auto-respond
  message is the business's, not an answer); cases nobody answered are left out of the median and 90th percentile;
- outcomes: buyer won, creator won, partial refund, withdrawn (the rest are still open);
- escalation rate: the cases that went to platform review (an escalation, a missed deadline).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ARRAY, Integer, Row, bindparam, text
from sqlmodel import Session, select

from resolution_app.domain.analytics import (
    DateRange,
    SummaryCard,
    duration_label,
    hours,
    per_payment_label,
    percent,
    percent_label,
    share_label,
    short_day,
    weeks,
)
from resolution_app.domain.enums import REASON_LABELS, CaseAction, CaseStatus, Party, PaymentStatus, Reason
from resolution_app.domain.errors import NotFound
from resolution_app.domain.money import format_money, to_decimal
from resolution_app.models import Product, User
from resolution_app.models.base import UTCDateTime
from resolution_app.services.analytics.session import aggregates
from resolution_app.services.creator.creator_cases import creator_frame

TOP_PRODUCTS = 10  # the page's product chart: the products with the most cases (the export has them all)
COUNTED_PAYMENTS = (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED)
NOT_FOUND = "Page not found."

# grouping(week, reason, product_id, refund_currency): a bit for each column left out of the row's grouping set.
WHOLE, BY_WEEK, BY_REASON, BY_PRODUCT = 0b1111, 0b0111, 0b1011, 0b1101
CURRENCY_OF = {0b1110: WHOLE, 0b0110: BY_WEEK, 0b1010: BY_REASON, 0b1100: BY_PRODUCT}  # the same, per currency

# The statuses and kinds are written into the statement, not bound: they must match the partial indexes' predicates
# (b5d1e9c4a7f3), which keep each case's look-ups index-only.
UNDER_REVIEW = CaseStatus.UNDER_PLATFORM_REVIEW.value
CREATOR, AUTO_REFUND = Party.CREATOR.value, CaseAction.AUTO_REFUND.value
EVENT_FACTS = (
    f"(e.party = '{CREATOR}' OR e.kind = '{AUTO_REFUND}'"
    f" OR e.to_status = '{UNDER_REVIEW}' OR e.from_status = '{UNDER_REVIEW}')"
)

# Each case of the range with its facts (a look-up per case in each of payment, refund, case_event and message: the
# LATERAL ... LIMIT 1 keeps the refund a look-up rather than a hash of every refund), then every slice's aggregates
# in one pass of grouping sets; the sets with the refund's currency give each slice's amounts per currency.
_CASES = text(
    f"""
WITH scoped AS MATERIALIZED (
    SELECT c.reason,
           c.status,
           CAST(date_trunc('week', c.opened_at AT TIME ZONE :time_zone) AS date) AS week,
           (SELECT p.product_id FROM payment p WHERE p.id = c.payment_id) AS product_id,
           r.amount_minor AS refunded_minor,
           r.currency AS refund_currency,
           coalesce(ev.auto_refunded, false) AS auto_refunded,
           coalesce(ev.escalated, false) AS escalated,
           extract(epoch FROM least(ev.creator_first, msg.creator_first) - c.opened_at) AS response_seconds
    FROM "case" c
    LEFT JOIN LATERAL (
        SELECT r.amount_minor, r.currency FROM refund r WHERE r.case_id = c.id LIMIT 1
    ) r ON true
    CROSS JOIN LATERAL (
        SELECT bool_or(e.kind = '{AUTO_REFUND}') AS auto_refunded,
               bool_or(e.to_status = '{UNDER_REVIEW}') AS escalated,
               min(e.at) FILTER (WHERE e.party = '{CREATOR}') AS creator_first
        FROM case_event e
        WHERE e.case_id = c.id AND {EVENT_FACTS}
    ) ev
    CROSS JOIN LATERAL (
        SELECT min(m.created_at) AS creator_first
        FROM message m
        WHERE m.case_id = c.id AND m.party = '{CREATOR}' AND m.author_id IS NOT NULL
    ) msg
    WHERE c.business_id = ANY(:business_ids) AND c.opened_at >= :start AND c.opened_at < :end
)
SELECT grouping(week, reason, product_id, refund_currency) AS grouped,
       week, reason, product_id, refund_currency,
       count(*) AS cases,
       count(refunded_minor) AS refunded,
       coalesce(sum(refunded_minor), 0) AS refunded_minor,
       count(*) FILTER (WHERE auto_refunded) AS auto_refunded,
       count(*) FILTER (WHERE escalated) AS escalated,
       count(response_seconds) AS responded,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY response_seconds) AS response_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY response_seconds) AS response_p90,
       count(*) FILTER (WHERE status = :customer_won) AS buyer_won,
       count(*) FILTER (WHERE status = :merchant_won) AS creator_won,
       count(*) FILTER (WHERE status = :partially_refunded) AS partial,
       count(*) FILTER (WHERE status = :customer_withdrew) AS withdrawn
FROM scoped
GROUP BY GROUPING SETS (
    (), (week), (reason), (product_id),
    (refund_currency), (week, refund_currency), (reason, refund_currency), (product_id, refund_currency)
)
"""
).bindparams(
    bindparam("business_ids", type_=ARRAY(Integer)),
    bindparam("start", type_=UTCDateTime()),
    bindparam("end", type_=UTCDateTime()),
    customer_won=CaseStatus.CUSTOMER_WON.value,
    merchant_won=CaseStatus.MERCHANT_WON.value,
    partially_refunded=CaseStatus.PARTIALLY_REFUNDED.value,
    customer_withdrew=CaseStatus.CUSTOMER_WITHDREW.value,
)

_PAYMENTS = text(
    """
SELECT grouping(week, product_id) AS grouped, week, product_id, count(*) AS payments
FROM (
    SELECT CAST(date_trunc('week', p.paid_at AT TIME ZONE :time_zone) AS date) AS week, p.product_id
    FROM payment p
    WHERE p.business_id = ANY(:business_ids) AND p.paid_at >= :start AND p.paid_at < :end
      AND p.status = ANY(:counted)
) paid
GROUP BY GROUPING SETS ((), (week), (product_id))
"""
).bindparams(
    bindparam("business_ids", type_=ARRAY(Integer)),
    bindparam("start", type_=UTCDateTime()),
    bindparam("end", type_=UTCDateTime()),
    counted=[status.value for status in COUNTED_PAYMENTS],
)
# grouping(week, product_id) of the payments' rows.
PAID_WHOLE, PAID_BY_WEEK, PAID_BY_PRODUCT = 0b11, 0b01, 0b10


@dataclass(frozen=True)
class Amount:
    currency: str
    amount_minor: int
    label: str  # "$19.00"


@dataclass(frozen=True)
class CreatorFigures:
    """The figures of one slice of the range's cases: the whole range, a week, a reason or a product."""

    key: str  # "" for the whole range; a week's Monday (ISO date), a Reason value or a product id
    label: str
    cases: int = 0
    payments: int = 0  # made in the slice (for a reason: all the range's payments)
    refunded: int = 0
    auto_refunded: int = 0
    escalated: int = 0
    responded: int = 0
    response_median: float | None = None  # seconds
    response_p90: float | None = None
    buyer_won: int = 0
    creator_won: int = 0
    partial: int = 0
    withdrawn: int = 0
    refunded_amounts: tuple[Amount, ...] = ()

    @property
    def still_open(self) -> int:
        return self.cases - self.buyer_won - self.creator_won - self.partial - self.withdrawn

    @property
    def refunded_label(self) -> str:
        return "; ".join(amount.label for amount in self.refunded_amounts) or "No refunds"

    def row(self) -> dict[str, str | float | int | None]:
        """What a chart plots (numbers: percentages, hours, major units per currency) and what its table says."""
        return {
            "key": self.key,
            "label": self.label,
            "cases": self.cases,
            "claim_rate": percent(self.cases, self.payments),
            "refund_rate": percent(self.refunded, self.cases),
            "auto_refund_share": percent(self.auto_refunded, self.cases),
            "escalation_rate": percent(self.escalated, self.cases),
            "response_median_hours": hours(self.response_median),
            "response_p90_hours": hours(self.response_p90),
            "buyer_won": self.buyer_won,
            "creator_won": self.creator_won,
            "partial": self.partial,
            "withdrawn": self.withdrawn,
            "still_open": self.still_open,
            # A chart's bar heights only: the table beside it says the exact amounts.
            **{f"refunded_{a.currency}": float(to_decimal(a.amount_minor, a.currency)) for a in self.refunded_amounts},
            "cases_text": f"{self.cases:,}",
            "claim_rate_text": per_payment_label(self.cases, self.payments),
            "refund_rate_text": share_label(self.refunded, self.cases),
            "refunded_text": self.refunded_label,
            "auto_refund_text": share_label(self.auto_refunded, self.cases),
            "escalation_text": share_label(self.escalated, self.cases),
            "response_median_text": duration_label(self.response_median),
            "response_p90_text": duration_label(self.response_p90),
            "responded_text": f"{self.responded:,}",
        }


@dataclass(frozen=True)
class CreatorAnalytics:
    period: DateRange
    total: CreatorFigures
    weeks: list[CreatorFigures]
    reasons: list[CreatorFigures]
    products: list[CreatorFigures]  # the most claimed first; TOP_PRODUCTS of them on the page
    products_in_range: int  # how many products had a case or a payment in the range
    currencies: list[str]  # of the refunds, for the amount chart's series

    def cards(self) -> list[SummaryCard]:
        t = self.total
        outcomes = (
            f"Buyer won {t.buyer_won:,} · Creator won {t.creator_won:,} · Partial refund {t.partial:,}"
            f" · Withdrawn {t.withdrawn:,} · Open {t.still_open:,}"
        )
        # No "N cases" in the words: "0 cases" reads as an empty page to people (and to the layout sweep).
        of_cases = f"of {t.cases:,} opened"
        return [
            SummaryCard("Cases opened", f"{t.cases:,}", f"from {t.payments:,} payments in the range"),
            SummaryCard("Claim rate", percent_label(t.cases, t.payments), "claims per payment"),
            SummaryCard("Refund rate", percent_label(t.refunded, t.cases), f"refunded {t.refunded:,} {of_cases}"),
            SummaryCard("Amount refunded", t.refunded_label, "whole and partial refunds"),
            SummaryCard("Auto-refunded", percent_label(t.auto_refunded, t.cases), f"{t.auto_refunded:,} {of_cases}"),
            SummaryCard(
                "First response, median",
                duration_label(t.response_median),
                f"90th percentile {duration_label(t.response_p90)} · answered {t.responded:,} {of_cases}",
            ),
            SummaryCard(
                "Escalation rate",
                percent_label(t.escalated, t.cases),
                f"to platform review: {t.escalated:,} {of_cases}",
            ),
            SummaryCard("Outcomes", f"{t.buyer_won + t.creator_won + t.partial + t.withdrawn:,} resolved", outcomes),
        ]


@dataclass(frozen=True)
class CreatorAnalyticsPage:
    analytics: CreatorAnalytics
    open_resolutions: int  # the header's badge


def creator_analytics_page(user: User, r: DateRange) -> CreatorAnalyticsPage:
    """The page's figures and its header badge; someone who is no member of a business finds no page."""
    with aggregates() as session:
        frame = creator_frame(session, user)
        if not frame.business_ids:
            raise NotFound(NOT_FOUND)
        analytics = _analytics(session, frame.business_ids, r, TOP_PRODUCTS)
        return CreatorAnalyticsPage(analytics=analytics, open_resolutions=frame.open_resolutions)


def creator_analytics(user: User, r: DateRange, product_limit: int | None = TOP_PRODUCTS) -> CreatorAnalytics:
    """The figures of the user's businesses' cases opened in `r` (every product when `product_limit` is None)."""
    with aggregates() as session:
        frame = creator_frame(session, user)
        if not frame.business_ids:
            raise NotFound(NOT_FOUND)
        return _analytics(session, frame.business_ids, r, product_limit)


def _analytics(session: Session, business_ids: list[int], r: DateRange, product_limit: int | None) -> CreatorAnalytics:
    values = {"business_ids": business_ids, "start": r.start, "end": r.end, "time_zone": r.time_zone}
    case_rows = session.connection().execute(_CASES, values).all()
    paid = {
        (row.grouped, _key(row.week or row.product_id)): row.payments
        for row in session.connection().execute(_PAYMENTS, values)
    }
    amounts = _amounts(case_rows)
    figures = {
        (row.grouped, _key(row.week or row.reason or row.product_id)): row for row in case_rows if row.grouped in _SETS
    }

    def slice_of(grouped: int, key: str, label: str, payments: int) -> CreatorFigures:
        return _figures(figures.get((grouped, key)), key, label, payments, amounts.get((grouped, key), ()))

    total_paid = paid.get((PAID_WHOLE, ""), 0)
    week_list = [
        slice_of(BY_WEEK, monday.isoformat(), short_day(monday), paid.get((PAID_BY_WEEK, monday.isoformat()), 0))
        for monday in weeks(r)
    ]
    reason_list = [slice_of(BY_REASON, reason.value, REASON_LABELS[reason], total_paid) for reason in Reason]
    product_ids = {int(key) for grouped, key in figures if grouped == BY_PRODUCT} | {
        int(key) for grouped, key in paid if grouped == PAID_BY_PRODUCT
    }
    names = _product_names(session, product_ids)
    product_list = sorted(
        (
            slice_of(BY_PRODUCT, str(pid), names.get(pid, f"Product {pid}"), paid.get((PAID_BY_PRODUCT, str(pid)), 0))
            for pid in product_ids
        ),
        key=lambda f: (-f.cases, -f.payments, f.label),
    )
    return CreatorAnalytics(
        period=r,
        total=slice_of(WHOLE, "", "All cases", total_paid),
        weeks=week_list,
        reasons=reason_list,
        products=product_list[:product_limit] if product_limit is not None else product_list,
        products_in_range=len(product_list),
        currencies=sorted({a.currency for a in amounts.get((WHOLE, ""), ())}),
    )


_SETS = frozenset({WHOLE, BY_WEEK, BY_REASON, BY_PRODUCT})


def _key(value: object) -> str:
    """A slice's key as text: a week's Monday, a reason, a product id; "" for the whole range."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _amounts(rows: Iterable[Row]) -> dict[tuple[int, str], tuple[Amount, ...]]:
    """Each slice's refunded amounts, one per currency, from the grouping sets that add the refund's currency."""
    found: dict[tuple[int, str], list[Amount]] = {}
    for row in rows:
        if row.grouped in CURRENCY_OF and row.refund_currency is not None:
            slice_key = (CURRENCY_OF[row.grouped], _key(row.week or row.reason or row.product_id))
            amount = Amount(
                row.refund_currency, row.refunded_minor, format_money(row.refunded_minor, row.refund_currency)
            )
            found.setdefault(slice_key, []).append(amount)
    return {key: tuple(sorted(amounts, key=lambda a: a.currency)) for key, amounts in found.items()}


def _figures(row: Row | None, key: str, label: str, payments: int, amounts: tuple[Amount, ...]) -> CreatorFigures:
    if row is None:
        return CreatorFigures(key=key, label=label, payments=payments)
    return CreatorFigures(
        key=key,
        label=label,
        cases=row.cases,
        payments=payments,
        refunded=row.refunded,
        auto_refunded=row.auto_refunded,
        escalated=row.escalated,
        responded=row.responded,
        response_median=row.response_median,
        response_p90=row.response_p90,
        buyer_won=row.buyer_won,
        creator_won=row.creator_won,
        partial=row.partial,
        withdrawn=row.withdrawn,
        refunded_amounts=amounts,
    )


def _product_names(session: Session, product_ids: set[int]) -> dict[int, str]:
    if not product_ids:
        return {}
    return dict(session.exec(select(Product.id, Product.name).where(Product.id.in_(product_ids))).all())
