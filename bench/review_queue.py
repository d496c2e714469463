"""How fast the reviewers' queue is on a big platform: its first page and each filter. Prints figures; not a test.

    python bench/review_queue.py                                   # a local PostgreSQL in a temporary folder
    BENCH_DATABASE_URL=postgresql://... python bench/review_queue.py  # that database, created or emptied first

The platform of bench/creator_table.py (1,000,000 cases), of which 10,000 wait on the platform: a tenth of them
appeals, a fifth claimed by the measuring reviewer. Each case has the timeline events it would have (opened; the
move into review; a decision for some closed ones), so the queue's "in review since" and "decided today" read a
table of the real size. Every figure is the median of a few runs of review_queue (count, page, the four counts)
beside the same statements written by hand; the target is 50 ms for each.
"""

import argparse
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import creator_table as platform  # noqa: E402  (bench/, beside this script)
from bench_database import bench_database_url, use_database  # noqa: E402

from resolution_app.domain.enums import CaseAction, CaseStatus  # noqa: E402
from resolution_app.infra.db import transaction  # noqa: E402
from resolution_app.models import User  # noqa: E402
from resolution_app.services.review.queue import PAGE_SIZE, QueueFilter, review_queue  # noqa: E402

TARGET_MS = 50
REVIEWER = 1  # user 1, made a reviewer after the fill
UNDER_REVIEW = CaseStatus.UNDER_PLATFORM_REVIEW.value
FILTERS: dict[str, QueueFilter] = {
    "first page": QueueFilter(),
    "escalations": QueueFilter(kind="escalation"),
    "appeals": QueueFilter(kind="appeal"),
    "reason": QueueFilter(reason="not_as_described"),
    "amount 40-100": QueueFilter(amount_from="40", amount_to="100"),
    "older than 30 days": QueueFilter(older_than_days=30),
    "unclaimed": QueueFilter(claimed="unclaimed"),
    "mine": QueueFilter(claimed="mine"),
    "appeals, mine, reason": QueueFilter(kind="appeal", claimed="mine", reason="not_as_described"),
}
EVENTS = """
INSERT INTO case_event (case_id, at, party, kind, from_status, to_status, detail)
SELECT id, opened_at, 'buyer', 'opened', NULL, 'merchant_response_needed', '' FROM "case";
INSERT INTO case_event (case_id, at, party, kind, from_status, to_status, detail)
SELECT id, opened_at + interval '3 days', 'creator', 'escalate', 'merchant_response_needed', status, '' FROM "case"
WHERE status = :under_review;
INSERT INTO case_event (case_id, at, party, kind, from_status, to_status, detail)
SELECT id, resolved_at, 'reviewer', :decision, 'under_platform_review', status, '' FROM "case"
WHERE resolved_at IS NOT NULL AND id % 5 = 0;
"""


def shape_the_queue(engine: Engine) -> None:
    """A reviewer, appeals and claims among the cases in review, and every case's timeline events."""
    values = {"under_review": UNDER_REVIEW, "decision": CaseAction.DECIDE_REFUND.value, "reviewer": REVIEWER}
    with engine.begin() as connection:
        connection.execute(text('UPDATE "user" SET is_reviewer = true WHERE id = :reviewer'), values)
        connection.execute(
            text('UPDATE "case" SET appealed = true WHERE status = :under_review AND id % 10 = 0'), values
        )
        connection.execute(
            text('UPDATE "case" SET assigned_reviewer_id = :reviewer WHERE status = :under_review AND id % 5 = 1'),
            values,
        )
        for statement in EVENTS.split(";"):
            if statement.strip():
                connection.execute(text(statement), values)
    platform.refresh_statistics(engine)
    with engine.connect() as connection:
        counts = connection.execute(
            text(
                'SELECT count(*) FILTER (WHERE status = :under_review), (SELECT count(*) FROM case_event) FROM "case"'
            ),
            values,
        ).one()
    print(f"Queue: {counts[0]:,} cases waiting on the platform; {counts[1]:,} timeline events")


# --- The same questions, asked by hand -------------------------------------------------------------------------------

PLAIN_FROM = (
    ' FROM "case" c JOIN business b ON b.id = c.business_id JOIN "user" buyer ON buyer.id = c.buyer_id'
    ' LEFT JOIN "user" claimer ON claimer.id = c.assigned_reviewer_id'
)
PLAIN_ROWS = (
    "SELECT c.*, b.name, buyer.name, claimer.name, (SELECT max(e.at) FROM case_event e WHERE e.case_id = c.id"
    f" AND e.to_status = '{UNDER_REVIEW}')" + PLAIN_FROM
)
PLAIN_COUNTS = f"""SELECT
 (SELECT count(*) FROM "case" WHERE status = '{UNDER_REVIEW}' AND assigned_reviewer_id IS NULL),
 (SELECT count(*) FROM "case" WHERE status = '{UNDER_REVIEW}' AND assigned_reviewer_id = :reviewer),
 (SELECT count(*) FROM "case" WHERE status IN ('customer_info_needed', 'merchant_info_needed')
   AND info_requested_by = 'reviewer'),
 (SELECT count(*) FROM case_event WHERE kind IN ('decide_refund', 'decide_credit', 'decide_merchant_wins')
   AND at >= date_trunc('day', now()))"""


def plain_where(f: QueueFilter) -> str:
    clauses = [f"c.status = '{UNDER_REVIEW}'"]
    if f.kind:
        clauses.append(f"c.appealed = {'true' if f.kind == 'appeal' else 'false'}")
    if f.reason:
        clauses.append(f"c.reason = '{f.reason}'")
    if f.amount_from:
        clauses.append(f"c.amount_minor >= {int(float(f.amount_from) * 100)}")
    if f.amount_to:
        clauses.append(f"c.amount_minor <= {int(float(f.amount_to) * 100)}")
    if f.older_than_days:
        clauses.append(f"c.opened_at <= now() - interval '{f.older_than_days} days'")
    if f.claimed:
        clauses.append("c.assigned_reviewer_id " + ("= :reviewer" if f.claimed == "mine" else "IS NULL"))
    return " AND ".join(clauses)


def plain_queue(engine: Engine, f: QueueFilter) -> tuple[int, list[int]]:
    where, values = plain_where(f), {"reviewer": REVIEWER}
    with engine.connect() as connection:
        total = connection.execute(text(f'SELECT count(*) FROM "case" c WHERE {where}'), values).scalar_one()
        order = f"ORDER BY c.due_at ASC NULLS LAST, c.id LIMIT {PAGE_SIZE}"
        rows = connection.execute(text(f"{PLAIN_ROWS} WHERE {where} {order}"), values).all()
        connection.execute(text(PLAIN_COUNTS), values).one()
        return total, [row.id for row in rows]


def service_queue(reviewer: User, f: QueueFilter) -> tuple[int, list[int]]:
    view = review_queue(reviewer, f)
    return view.total, [row.case_id for row in view.rows]


def print_queue(engine: Engine, reviewer: User, runs: int) -> str:
    print(f"\nreview_queue page 1 with each filter (ms: service / plain SQL; count + {PAGE_SIZE} rows + 4 counts)")
    worst: tuple[float, float] = (0.0, 1.0)
    for name, f in FILTERS.items():
        service, result = platform.timed(lambda f=f: service_queue(reviewer, f), runs)
        plain, plain_result = platform.timed(lambda f=f: plain_queue(engine, f), runs)
        if result != plain_result:
            raise SystemExit(f"The plain SQL disagrees with the service for {name}.")
        mark = "" if service * 1000 <= TARGET_MS else f"  over {TARGET_MS} ms"
        print(f"  {name:<24}{result[0]:>7,} cases  {platform.ms(service):>5} / {platform.ms(plain):<5}{mark}")
        worst = max(worst, (service, plain))
    return platform.result_line("queue_worst", worst[0] * 1000, worst[1] * 1000, "ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is shown")
    parser.add_argument("--total", type=int, default=1_000_000, help="cases on the platform")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rc-bench-") as folder, ExitStack() as stack:
        url = bench_database_url(stack, Path(folder) / "postgres")
        engine = use_database(url)
        print(f"{platform.server_version(engine)}; {args.total:,} cases on the platform; median of {args.runs} runs")
        platform.filled(engine, url, "head", platform.Scale(total=args.total, big=args.total // 10))
        shape_the_queue(engine)
        with transaction() as session:
            reviewer = session.get(User, REVIEWER)
        result = print_queue(engine, reviewer, args.runs)
        engine.dispose()
    print(result)


if __name__ == "__main__":
    main()
