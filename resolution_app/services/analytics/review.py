"""/review/analytics: how the platform's review keeps up, for staff only.

- queue size by day: the cases under platform review at the end of each day of the range (today: now), counted back
  from today's queue through the timeline's moves into and out of review since the range began;
- overdue: the cases in review now past their 2-business-day target;
- decisions made in the range, by week, by kind and by reviewer, with the time to decision: from the case entering
  review (an escalation, a missed deadline, an appeal) to the decision, time spent waiting on a party's answer to
  the platform's question included;
- appeal rate: of the first decisions made in the range, the share appealed (so far);
- overturned: of the decisions on appeal made in the range, the share that differ from the first decision.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, bindparam, text
from sqlmodel import Session, select

from resolution_app.domain.analytics import (
    DECISION_LABELS,
    DateRange,
    SummaryCard,
    decision_label,
    duration_label,
    hours,
    percent,
    percent_label,
    share_label,
    short_day,
    today_in,
    weeks,
)
from resolution_app.domain.enums import DECISIONS, CaseStatus
from resolution_app.infra.clock import clock
from resolution_app.models import User
from resolution_app.models.base import UTCDateTime
from resolution_app.services.access import require_reviewer
from resolution_app.services.analytics.session import aggregates
from resolution_app.services.review.queue import queue_counts

UNDER_REVIEW = CaseStatus.UNDER_PLATFORM_REVIEW.value
# A move into review from these statuses is the answer to the platform's own question: the case was in review before.
ANSWERED = (CaseStatus.CUSTOMER_INFO_NEEDED.value, CaseStatus.MERCHANT_INFO_NEEDED.value)
DECISION_KINDS = sorted(action.value for action in DECISIONS)
# grouping(week, kind, actor_id): a bit for each column left out of the row's grouping set.
WHOLE, BY_WEEK, BY_KIND, BY_REVIEWER = 0b111, 0b011, 0b101, 0b110

# Statuses are written into the statements, not bound: they must match the partial indexes' predicates (b5d1e9c4a7f3),
# which keep the look-ups index-only.
_DECISIONS = text(
    f"""
WITH decided AS MATERIALIZED (
    SELECT e.kind,
           e.actor_id,
           CAST(date_trunc('week', e.at AT TIME ZONE :time_zone) AS date) AS week,
           extract(epoch FROM e.at - entered.at) AS seconds,
           earlier.kind AS earlier_kind,
           EXISTS (SELECT 1 FROM appeal a WHERE a.case_id = e.case_id) AS appealed
    FROM case_event e
    CROSS JOIN LATERAL (
        SELECT max(x.at) AS at
        FROM case_event x
        WHERE x.case_id = e.case_id AND x.to_status = '{UNDER_REVIEW}' AND x.at <= e.at
          AND coalesce(x.from_status, '') <> ALL(:answered)
    ) entered
    LEFT JOIN LATERAL (
        SELECT p.kind
        FROM case_event p
        WHERE p.case_id = e.case_id AND p.from_status = '{UNDER_REVIEW}' AND p.kind = ANY(:decisions) AND p.at < e.at
        ORDER BY p.at DESC
        LIMIT 1
    ) earlier ON true
    WHERE e.kind = ANY(:decisions) AND e.at >= :start AND e.at < :end
)
SELECT grouping(week, kind, actor_id) AS grouped, week, kind, actor_id,
       count(*) AS decisions,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90,
       count(*) FILTER (WHERE earlier_kind IS NULL) AS first_decisions,
       count(*) FILTER (WHERE earlier_kind IS NULL AND appealed) AS appealed,
       count(*) FILTER (WHERE earlier_kind IS NOT NULL) AS appeal_decisions,
       count(*) FILTER (WHERE earlier_kind <> kind) AS overturned
FROM decided
GROUP BY GROUPING SETS ((), (week), (kind), (actor_id))
"""
).bindparams(
    bindparam("start", type_=UTCDateTime()),
    bindparam("end", type_=UTCDateTime()),
    answered=list(ANSWERED),
    decisions=DECISION_KINDS,
)

# The queue at the end of each day: today's size less the moves into review (plus those out of it) after that day.
_QUEUE_DAYS = text(
    f"""
WITH moves AS (
    SELECT CAST(e.at AT TIME ZONE :time_zone AS date) AS day,
           sum(CASE WHEN e.to_status = '{UNDER_REVIEW}' THEN 1 ELSE -1 END) AS net
    FROM case_event e
    WHERE (e.to_status = '{UNDER_REVIEW}' OR e.from_status = '{UNDER_REVIEW}')
      AND e.to_status IS DISTINCT FROM e.from_status
      AND e.at >= :start AND e.at <= :now
    GROUP BY 1
), days AS (
    SELECT CAST(day AS date) AS day
    FROM generate_series(CAST(:first AS date), CAST(:through AS date), interval '1 day') AS day
)
SELECT days.day,
       :size_now - coalesce(
           sum(moves.net) OVER (ORDER BY days.day DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0
       ) AS size
FROM days LEFT JOIN moves ON moves.day = days.day
ORDER BY days.day
"""
).bindparams(bindparam("start", type_=UTCDateTime()), bindparam("now", type_=UTCDateTime()))

_QUEUE_NOW = text(
    f"""SELECT count(*) AS size, count(*) FILTER (WHERE due_at <= :now) AS overdue
    FROM "case" WHERE status = '{UNDER_REVIEW}'"""
).bindparams(bindparam("now", type_=UTCDateTime()))


@dataclass(frozen=True)
class QueueDay:
    day: date
    label: str  # "Nov 17"
    size: int


@dataclass(frozen=True)
class DecisionFigures:
    """The decisions of one slice of the range: all of them, a week's, a kind's or a reviewer's."""

    key: str  # "" for all; a week's Monday (ISO date), a decision kind or a reviewer's id
    label: str
    decisions: int = 0
    median: float | None = None  # seconds from entering review to the decision
    p90: float | None = None
    first_decisions: int = 0
    appealed: int = 0  # of the first decisions
    appeal_decisions: int = 0
    overturned: int = 0  # of the decisions on appeal

    def row(self) -> dict[str, str | float | int | None]:
        """What a chart plots and what its table says."""
        return {
            "key": self.key,
            "label": self.label,
            "decisions": self.decisions,
            "median_hours": hours(self.median),
            "p90_hours": hours(self.p90),
            "appeal_rate": percent(self.appealed, self.first_decisions),
            "overturn_rate": percent(self.overturned, self.appeal_decisions),
            "decisions_text": f"{self.decisions:,}",
            "median_text": duration_label(self.median),
            "p90_text": duration_label(self.p90),
            "appeal_text": share_label(self.appealed, self.first_decisions),
            "overturn_text": share_label(self.overturned, self.appeal_decisions),
        }


@dataclass(frozen=True)
class ReviewAnalytics:
    period: DateRange
    queue_now: int
    overdue_now: int
    queue_days: list[QueueDay]  # through today at most
    total: DecisionFigures
    weeks: list[DecisionFigures]
    kinds: list[DecisionFigures]
    reviewers: list[DecisionFigures]  # the most decisions first
    unclaimed: int  # the header's badge

    def cards(self) -> list[SummaryCard]:
        t = self.total
        return [
            SummaryCard("In the queue now", f"{self.queue_now:,}", "cases under platform review"),
            SummaryCard("Overdue now", f"{self.overdue_now:,}", "past the 2-business-day target"),
            SummaryCard(
                "Decisions", f"{t.decisions:,}", f"{t.first_decisions:,} first, {t.appeal_decisions:,} on appeal"
            ),
            SummaryCard(
                "Time to decision, median", duration_label(t.median), f"90th percentile {duration_label(t.p90)}"
            ),
            SummaryCard(
                "Appeal rate",
                percent_label(t.appealed, t.first_decisions),
                f"appealed: {t.appealed:,} of {t.first_decisions:,} first decisions"
                if t.first_decisions
                else "no first decisions in the range",
            ),
            SummaryCard(
                "Overturned on appeal",
                percent_label(t.overturned, t.appeal_decisions),
                f"went the other way: {t.overturned:,} of {t.appeal_decisions:,} decisions on appeal"
                if t.appeal_decisions
                else "no decisions on appeal in the range",
            ),
        ]


def review_analytics(user: User, r: DateRange) -> ReviewAnalytics:
    """For reviewers only: anyone else is "not found"."""
    require_reviewer(user)
    now = clock.now()
    with aggregates() as session:
        connection = session.connection()
        size_now, overdue_now = connection.execute(_QUEUE_NOW, {"now": now}).one()
        decisions = connection.execute(_DECISIONS, {"start": r.start, "end": r.end, "time_zone": r.time_zone}).all()
        names = _reviewer_names(session, {row.actor_id for row in decisions if row.grouped == BY_REVIEWER})
        return ReviewAnalytics(
            period=r,
            queue_now=size_now,
            overdue_now=overdue_now,
            queue_days=_queue_days(session, r, now, size_now),
            unclaimed=queue_counts(session, user, now).unclaimed,
            **_decision_slices(r, decisions, names),
        )


def _queue_days(session: Session, r: DateRange, now: datetime, size_now: int) -> list[QueueDay]:
    through = today_in(now, r.time_zone)
    if through < r.first:
        return []  # the range is still to come
    values = {
        "time_zone": r.time_zone,
        "start": r.start,
        "now": now,
        "first": r.first,
        "through": through,
        "size_now": size_now,
    }
    rows = session.connection().execute(_QUEUE_DAYS, values)
    return [QueueDay(day=row.day, label=short_day(row.day), size=row.size) for row in rows if row.day <= r.last]


def _decision_slices(r: DateRange, rows: list[Row], names: dict[int, str]) -> dict[str, object]:
    found = {(row.grouped, _key(row)): row for row in rows}

    def slice_of(grouped: int, key: str, label: str) -> DecisionFigures:
        return _figures(found.get((grouped, key)), key, label)

    kinds = [slice_of(BY_KIND, kind, decision_label(kind)) for kind in DECISION_KINDS]
    kinds.sort(key=lambda f: list(DECISION_LABELS).index(f.key) if f.key in DECISION_LABELS else len(DECISION_LABELS))
    reviewers = sorted(
        (
            slice_of(BY_REVIEWER, key, names.get(int(key), "Former reviewer") if key else "Nobody")
            for grouped, key in found
            if grouped == BY_REVIEWER
        ),
        key=lambda f: (-f.decisions, f.label),
    )
    return {
        "total": slice_of(WHOLE, "", "All decisions"),
        "weeks": [slice_of(BY_WEEK, monday.isoformat(), short_day(monday)) for monday in weeks(r)],
        "kinds": kinds,
        "reviewers": reviewers,
    }


def _key(row: Row) -> str:
    if row.grouped == BY_WEEK:
        return row.week.isoformat()
    if row.grouped == BY_KIND:
        return row.kind
    if row.grouped == BY_REVIEWER:
        return "" if row.actor_id is None else str(row.actor_id)
    return ""


def _figures(row: Row | None, key: str, label: str) -> DecisionFigures:
    if row is None:
        return DecisionFigures(key=key, label=label)
    return DecisionFigures(
        key=key,
        label=label,
        decisions=row.decisions,
        median=row.median,
        p90=row.p90,
        first_decisions=row.first_decisions,
        appealed=row.appealed,
        appeal_decisions=row.appeal_decisions,
        overturned=row.overturned,
    )


def _reviewer_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    known = {i for i in ids if i is not None}
    if not known:
        return {}
    return dict(session.exec(select(User.id, User.name).where(User.id.in_(known))).all())
