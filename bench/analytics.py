"""How fast the analytics pages load on a big platform, beside plain SQL computing the same aggregates. Not a test.

    python bench/analytics.py                                   # a local PostgreSQL in a temporary folder
    BENCH_DATABASE_URL=postgresql://... python bench/analytics.py  # that database, created or emptied first

The platform of bench/creator_table.py (1,000,000 cases over two years, 100,000 of them the measured creator's, about
12,300 in the last 90 days), with the timeline each case would have: its opening; the creator's answer (an accept or
a denial, a third of them after a chat message) for all but the cases still waiting on them; an auto-refund for a
tenth of the buyers' wins, with the business's automatic message; an escalation for the cases in review and a fifth
of the closed ones, and a reviewer's decision for those closed; the refund rows of the buyers' wins (a tenth of them
partial refunds). About 2.7 million timeline events, 260,000 messages and 400,000 refunds in all.

Figures, each the median of --runs, the figure and its floor taken in turns:
- analytics_90d: the creator page's whole load, creator_analytics_page for the default range (the last 90 days in
  the viewer's zone): which businesses, the badge, the cases' figures as a whole, by week, reason and product, the
  payments' counts and the products' names;
- its floor: the same aggregates in plain SQL through one psycopg connection, JIT off as in the service (which
  business the user may see, the cases' grouping sets, the payments' counts);
- the reviewer page's load (review_analytics, the same 90 days), printed for reference beside its own plain SQL.

The target is 300 ms for the creator page.
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import creator_table as platform  # noqa: E402  (bench/, beside this script)
from bench_database import bench_database_url, use_database  # noqa: E402

from resolution_app.domain.analytics import default_range  # noqa: E402
from resolution_app.infra.clock import clock  # noqa: E402
from resolution_app.infra.db import transaction  # noqa: E402
from resolution_app.models import User  # noqa: E402
from resolution_app.services.analytics.creator import creator_analytics_page  # noqa: E402
from resolution_app.services.analytics.review import review_analytics  # noqa: E402

TARGET_MS = 300
TIME_ZONE = platform.TIME_ZONE
OWNER = platform.OWNER_BUSINESS  # user n owns business n
REVIEWER = platform.OWNER_BUSINESS + 1  # another business's owner, made a reviewer after the fill
T, U = TypeVar("T"), TypeVar("U")

# Each case's timeline and money, as the services would have written them (see the module's docstring).
TIMELINES = """
INSERT INTO case_event (case_id, at, actor_id, party, kind, from_status, to_status, detail)
SELECT id, opened_at, buyer_id, 'buyer', 'opened', NULL, 'merchant_response_needed', '' FROM "case";
INSERT INTO case_event (case_id, at, actor_id, party, kind, from_status, to_status, detail)
SELECT id, opened_at, NULL, 'system', 'auto_refund', 'merchant_response_needed', 'customer_won', ''
FROM "case" WHERE status = 'customer_won' AND id % 10 = 0;
INSERT INTO message (case_id, author_id, party, body, created_at)
SELECT id, NULL, 'creator', 'Sorry to hear that: your refund is on its way.', opened_at
FROM "case" WHERE status = 'customer_won' AND id % 10 = 0;
INSERT INTO message (case_id, author_id, party, body, created_at)
SELECT id, business_id, 'creator', 'Could you tell me more?', opened_at + (resolved_at - opened_at) * 0.2
FROM "case" WHERE resolved_at IS NOT NULL AND id % 3 = 0 AND NOT (status = 'customer_won' AND id % 10 = 0);
INSERT INTO case_event (case_id, at, actor_id, party, kind, from_status, to_status, detail)
SELECT id, opened_at + (resolved_at - opened_at) * 0.4, business_id, 'creator',
       CASE WHEN status = 'customer_won' THEN 'accept' ELSE 'deny' END,
       'merchant_response_needed', CASE WHEN status = 'customer_won' THEN 'customer_won'
       ELSE 'customer_response_needed' END, ''
FROM "case" WHERE resolved_at IS NOT NULL AND NOT (status = 'customer_won' AND id % 10 = 0);
INSERT INTO case_event (case_id, at, actor_id, party, kind, from_status, to_status, detail)
SELECT id, opened_at + interval '3 days', buyer_id, 'buyer', 'escalate', 'customer_response_needed',
       'under_platform_review', ''
FROM "case" WHERE status = 'under_platform_review' OR (resolved_at IS NOT NULL AND id % 5 = 1);
INSERT INTO case_event (case_id, at, actor_id, party, kind, from_status, to_status, detail)
SELECT id, greatest(resolved_at, opened_at + interval '3 days 1 hour'), :reviewer, 'reviewer',
       CASE WHEN status = 'merchant_won' THEN 'decide_merchant_wins' ELSE 'decide_refund' END,
       'under_platform_review', status, ''
FROM "case" WHERE resolved_at IS NOT NULL AND id % 5 = 1 AND status IN ('customer_won', 'merchant_won');
INSERT INTO refund (payment_id, case_id, amount_minor, currency, gateway_reference, created_at)
SELECT payment_id, id, CASE WHEN id % 10 = 3 THEN amount_minor / 2 ELSE amount_minor END, currency,
       'ledger_bench_' || id, resolved_at
FROM "case" WHERE status = 'customer_won';
"""


COUNTS = "SELECT (SELECT count(*) FROM case_event), (SELECT count(*) FROM message), (SELECT count(*) FROM refund)"


def shape_the_timelines(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text('UPDATE "user" SET is_reviewer = true WHERE id = :reviewer'), {"reviewer": REVIEWER})
        for statement in TIMELINES.split(";"):
            if statement.strip():
                connection.execute(text(statement), {"reviewer": REVIEWER})
    platform.refresh_statistics(engine)
    with engine.connect() as connection:
        events, messages, refunds = connection.execute(text(COUNTS)).one()
    print(f"Timelines: {events:,} events, {messages:,} messages, {refunds:,} refunds")


# --- The same aggregates, asked by hand ------------------------------------------------------------------------------

PLAIN_CASES = """
WITH scoped AS MATERIALIZED (
    SELECT c.reason, c.status, date_trunc('week', c.opened_at AT TIME ZONE %(tz)s)::date AS week,
           (SELECT p.product_id FROM payment p WHERE p.id = c.payment_id) AS product_id,
           r.amount_minor AS refunded_minor, r.currency AS refund_currency,
           coalesce(ev.auto_refunded, false) AS auto_refunded, coalesce(ev.escalated, false) AS escalated,
           extract(epoch FROM least(ev.creator_first, msg.creator_first) - c.opened_at) AS response_seconds
    FROM "case" c
    LEFT JOIN LATERAL (SELECT amount_minor, currency FROM refund WHERE case_id = c.id LIMIT 1) r ON true
    CROSS JOIN LATERAL (
        SELECT bool_or(e.kind = 'auto_refund') AS auto_refunded,
               bool_or(e.to_status = 'under_platform_review') AS escalated,
               min(e.at) FILTER (WHERE e.party = 'creator') AS creator_first
        FROM case_event e
        WHERE e.case_id = c.id AND (e.party = 'creator' OR e.kind = 'auto_refund'
            OR e.to_status = 'under_platform_review' OR e.from_status = 'under_platform_review')
    ) ev
    CROSS JOIN LATERAL (
        SELECT min(m.created_at) AS creator_first FROM message m
        WHERE m.case_id = c.id AND m.party = 'creator' AND m.author_id IS NOT NULL
    ) msg
    WHERE c.business_id = %(business)s::integer AND c.opened_at >= %(start)s AND c.opened_at < %(end)s
)
SELECT grouping(week, reason, product_id, refund_currency), week, reason, product_id, refund_currency,
       count(*), count(refunded_minor), coalesce(sum(refunded_minor), 0),
       count(*) FILTER (WHERE auto_refunded), count(*) FILTER (WHERE escalated), count(response_seconds),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY response_seconds),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY response_seconds),
       count(*) FILTER (WHERE status = 'customer_won'), count(*) FILTER (WHERE status = 'merchant_won'),
       count(*) FILTER (WHERE status = 'partially_refunded'), count(*) FILTER (WHERE status = 'customer_withdrew')
FROM scoped
GROUP BY GROUPING SETS ((), (week), (reason), (product_id),
    (refund_currency), (week, refund_currency), (reason, refund_currency), (product_id, refund_currency))
"""
PLAIN_PAYMENTS = """
SELECT grouping(week, product_id), week, product_id, count(*)
FROM (SELECT date_trunc('week', paid_at AT TIME ZONE %(tz)s)::date AS week, product_id FROM payment
      WHERE business_id = %(business)s::integer AND paid_at >= %(start)s AND paid_at < %(end)s
        AND status IN ('succeeded', 'refunded', 'partially_refunded')) paid
GROUP BY GROUPING SETS ((), (week), (product_id))
"""
PLAIN_REVIEW = """
SELECT count(*), count(*) FILTER (WHERE due_at <= %(now)s) FROM "case" WHERE status = 'under_platform_review';
WITH decided AS MATERIALIZED (
    SELECT e.kind, e.actor_id, date_trunc('week', e.at AT TIME ZONE %(tz)s)::date AS week,
           extract(epoch FROM e.at - (SELECT max(x.at) FROM case_event x WHERE x.case_id = e.case_id
               AND x.to_status = 'under_platform_review' AND x.at <= e.at
               AND coalesce(x.from_status, '') NOT IN ('customer_info_needed', 'merchant_info_needed'))) AS seconds,
           (SELECT p.kind FROM case_event p WHERE p.case_id = e.case_id AND p.from_status = 'under_platform_review'
               AND p.kind LIKE 'decide%%' AND p.at < e.at ORDER BY p.at DESC LIMIT 1) AS earlier_kind,
           EXISTS (SELECT 1 FROM appeal a WHERE a.case_id = e.case_id) AS appealed
    FROM case_event e
    WHERE e.kind IN ('decide_refund', 'decide_credit', 'decide_merchant_wins', 'decide_partial_refund')
      AND e.at >= %(start)s AND e.at < %(end)s
)
SELECT grouping(week, kind, actor_id), week, kind, actor_id, count(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds), percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds),
       count(*) FILTER (WHERE earlier_kind IS NULL), count(*) FILTER (WHERE earlier_kind IS NULL AND appealed),
       count(*) FILTER (WHERE earlier_kind IS NOT NULL), count(*) FILTER (WHERE earlier_kind <> kind)
FROM decided GROUP BY GROUPING SETS ((), (week), (kind), (actor_id));
WITH moves AS (
    SELECT (at AT TIME ZONE %(tz)s)::date AS day,
           sum(CASE WHEN to_status = 'under_platform_review' THEN 1 ELSE -1 END) AS net
    FROM case_event
    WHERE (to_status = 'under_platform_review' OR from_status = 'under_platform_review')
      AND to_status IS DISTINCT FROM from_status AND at >= %(start)s AND at <= %(now)s
    GROUP BY 1
)
SELECT d::date, sum(moves.net) OVER (ORDER BY d DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') d LEFT JOIN moves ON moves.day = d::date
"""


def plain_creator(connection: psycopg.Connection, values: dict[str, Any]) -> int:
    """Which business the user may see, then the cases' and the payments' aggregates. Returns the cases counted."""
    (business,) = connection.execute(
        "SELECT business_id FROM business_member WHERE user_id = %(user)s", values
    ).fetchone()
    rows = connection.execute(PLAIN_CASES, {**values, "business": business}).fetchall()
    connection.execute(PLAIN_PAYMENTS, {**values, "business": business}).fetchall()
    return next(row[5] for row in rows if row[0] == 0b1111)


def plain_review(connection: psycopg.Connection, values: dict[str, Any]) -> int:
    decisions = 0
    for statement in PLAIN_REVIEW.split(";"):
        if statement.strip():
            rows = connection.execute(statement, values).fetchall()
            decisions = next((row[4] for row in rows if row[0] == 0b111), decisions)
    return decisions


def interleaved(figure: Callable[[], T], floor: Callable[[], U], runs: int) -> tuple[tuple[float, T], tuple[float, U]]:
    """The median seconds of `runs` calls of each, taken in turns: the machine is shared, and its load changes from
    one second to the next, so the figure and its floor meet the same load. And the last call's results."""
    figure_times, floor_times = [], []
    for _ in range(runs):
        for call, times in ((figure, figure_times), (floor, floor_times)):
            started = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - started)
            if call is figure:
                figure_result = result
            else:
                floor_result = result
    return (statistics.median(figure_times), figure_result), (statistics.median(floor_times), floor_result)


def print_figures(engine: Engine, runs: int) -> str:
    with transaction() as session:
        owner, reviewer = session.get(User, OWNER), session.get(User, REVIEWER)
    r = default_range(clock.now(), TIME_ZONE)
    values = {
        "user": OWNER,
        "tz": TIME_ZONE,
        "start": r.start,
        "end": r.end,
        "now": clock.now(),
        "first": r.first,
        "last": r.last,
    }
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SET jit = off")  # as the services' statements run (services/analytics/session.py)
        (page, view), (floor, counted) = interleaved(
            lambda: creator_analytics_page(owner, r), lambda: plain_creator(connection, values), runs
        )
        if counted != view.analytics.total.cases:
            raise SystemExit(f"The plain SQL counts {counted} cases, the page {view.analytics.total.cases}.")
        (review, review_view), (review_floor, decisions) = interleaved(
            lambda: review_analytics(reviewer, r), lambda: plain_review(connection, values), runs
        )
        if decisions != review_view.total.decisions:
            raise SystemExit(f"The plain SQL counts {decisions} decisions, the page {review_view.total.decisions}.")
    total = view.analytics.total
    print(f"\nThe last 90 days ({r.first} to {r.last}, {TIME_ZONE}); ms, median of {runs} runs")
    print(
        f"  creator page: {total.cases:,} cases, {total.payments:,} payments, {len(view.analytics.weeks)} weeks,"
        f" {len(view.analytics.products)} products"
    )
    mark = "" if page * 1000 <= TARGET_MS else f"  over {TARGET_MS} ms"
    print(f"    creator_analytics_page {platform.ms(page):>6}   plain SQL {platform.ms(floor):>6}", end="")
    print(f"   ratio {page / floor:.2f}{mark}")
    print(f"  reviewer page: {review_view.total.decisions:,} decisions, {len(review_view.queue_days)} days of queue")
    print(
        f"    review_analytics       {platform.ms(review):>6}   plain SQL {platform.ms(review_floor):>6}"
        f"   ratio {review / review_floor:.2f}"
    )
    print(platform.result_line("analytics_review_90d", review * 1000, review_floor * 1000, "ms"))
    return platform.result_line("analytics_90d", page * 1000, floor * 1000, "ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="runs per figure; the median is shown")
    parser.add_argument("--total", type=int, default=1_000_000, help="cases on the platform")
    parser.add_argument("--big", type=int, default=100_000, help="cases of the measured business")
    parser.add_argument("--revision", default="head", help="migrate only this far, e.g. to compare without an index")
    parser.add_argument("--keep", action="store_true", help="measure the database as the last run left it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rc-bench-") as folder, ExitStack() as stack:
        url = bench_database_url(stack, Path(folder) / "postgres")
        engine = use_database(url)
        print(f"{platform.server_version(engine)}; {args.total:,} cases on the platform, {args.big:,} the creator's")
        if not args.keep:
            platform.filled(engine, url, args.revision, platform.Scale(total=args.total, big=args.big))
            shape_the_timelines(engine)
        with clock.kept():
            clock.freeze(platform.NOW)
            result = print_figures(engine, args.runs)
        engine.dispose()
    print(result)


if __name__ == "__main__":
    main()
