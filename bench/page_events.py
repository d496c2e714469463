"""How long the creator's two busiest page events take through Reflex, beside what they cost. Not a test.

    python bench/page_events.py                                   # a local PostgreSQL in a temporary folder
    BENCH_DATABASE_URL=postgresql://... python bench/page_events.py  # that database, created or emptied first

The platform of bench/creator_table.py (1,000,000 cases, 100,000 of them the measured creator's), one backend worker
(`reflex run --env prod --backend-only`) and one socket.io client (bench/event_loop.py's) sending one thing at a
time, as one person clicking. Two events, each the median of --runs:

- the table's next page (following the link to `?page=N`, as the pager's redirect makes the browser do, until the
  delta carries the page's rows), and the case page's load (until it carries the case);
- its database time: the same service calls its handler makes, called from this process on the same database;
- the floor of a bare handler: following a link to a page with no on-load handler (/login), the same two frames
  through the socket, the state and back, with no code of the app's.

The target is 1.3 x (database time + bare handler). The client and the server share this machine's cores (2 here):
compare the figures of one run with each other.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path

import creator_table as platform  # bench/, beside this script
from backend import backend_environment, free_port, start_backend
from bench_database import bench_database_url, use_database
from event_loop import Browser
from sqlmodel import select

from resolution_app.domain.enums import CaseStatus, Party
from resolution_app.infra.db import transaction
from resolution_app.infra.passwords import hash_password
from resolution_app.models import Case, User
from resolution_app.services import accounts
from resolution_app.services.cases import case_views
from resolution_app.services.creator import creator_cases, customer_context
from resolution_app.services.demo_data import DEMO_PASSWORD
from resolution_app.services.notifications import inbox
from resolution_app.state.creator import CreatorCaseState, CreatorTableState

TARGET_RATIO = 1.3
TABLE, CASE_PAGE, BARE_PAGE = "/creator/resolutions", "/creator/resolutions/{}", "/login"


def sign_in_able(owner_id: int) -> str:
    """The measured business's owner gets the demo password (the fill gives nobody one); their email."""
    with transaction() as session:
        owner = session.get(User, owner_id)
        owner.password_hash = hash_password(DEMO_PASSWORD)
        session.add(owner)
        return owner.email


def a_waiting_case(business_id: int) -> int:
    with transaction() as session:
        waiting = select(Case.id).where(
            Case.business_id == business_id, Case.status == CaseStatus.MERCHANT_RESPONSE_NEEDED
        )
        return session.exec(waiting.order_by(Case.id.desc()).limit(1)).one()


# --- What each event's handler does in the database, called directly -------------------------------------------------


def next_page_work(token: str, page: int) -> None:
    """CreatorTableState._reload: the page of the table, as the signed-in viewer, in one trip."""
    f = creator_cases.filter_from_query({"time_zone": "UTC"})
    viewer, view = accounts.as_signed_in(token, creator_cases.table_view, f, page)
    assert viewer is not None and len(view.cases.rows) == creator_cases.PAGE_SIZE


def case_load_work(token: str, case_id: int) -> None:
    """CreatorCaseState.load_case: the viewer and the badge, the case, the customer card, the bell."""
    viewer, _ = accounts.as_signed_in(token, creator_cases.open_resolutions_count)
    user = viewer.user
    case_views.case_detail(user, case_id, Party.CREATOR)
    customer_context.customer_context(user, case_id)
    inbox.read_case(user, case_id)


async def elapsed_ms(once: Awaitable[object]) -> float:
    started = time.perf_counter()
    await once
    return (time.perf_counter() - started) * 1000


def elapsed_ms_sync(once: Callable[[], object]) -> float:
    started = time.perf_counter()
    once()
    return (time.perf_counter() - started) * 1000


async def measure(url: str, email: str, case_id: int, runs: int) -> list[str]:
    browser = Browser(url)
    await browser.open()
    await browser.log_in(email)
    table, case = CreatorTableState.get_full_name(), CreatorCaseState.get_full_name()
    await browser.follow(TABLE, table, "rows_rx_state_")  # warm: a tab's first table load asks for its time zone
    await browser.follow(CASE_PAGE.format(case_id), case, "detail_rx_state_")
    token = browser.tab.cookie
    times: dict[str, list[float]] = defaultdict(list)
    # Each run times every figure once, in turn, so the database's caches are the same for the event and its floor.
    for run in range(runs):
        page = 2 + run % 2  # pages 2 and 3 in turn, so each load has new rows to send
        times["bare"].append(await elapsed_ms(browser.follow(BARE_PAGE)))
        times["next"].append(await elapsed_ms(browser.follow(f"{TABLE}?page={page}", table, "rows_rx_state_")))
        times["next_db"].append(elapsed_ms_sync(lambda page=page: next_page_work(token, page)))
        times["case"].append(await elapsed_ms(browser.follow(CASE_PAGE.format(case_id), case, "detail_rx_state_")))
        times["case_db"].append(elapsed_ms_sync(lambda: case_load_work(token, case_id)))
    await browser.close()
    median = {name: statistics.median(values) for name, values in times.items()}

    print(f"\nOne client, one event at a time, median of {runs} (ms)")
    print(f"  {'event':<16}{'through Reflex':>15}{'database':>10}{'bare':>7}{'floor':>8}{'ratio':>7}  (target 1.3)")
    lines = []
    for name, key in (("event_next_page", "next"), ("event_case_load", "case")):
        event, database, floor = median[key], median[f"{key}_db"], median[f"{key}_db"] + median["bare"]
        print(f"  {name:<16}{event:>15.1f}{database:>10.1f}{median['bare']:>7.1f}{floor:>8.1f}{event / floor:>7.2f}")
        lines.append(platform.result_line(name, event, floor, "ms"))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=201)
    parser.add_argument("--total", type=int, default=1_000_000, help="cases on the platform")
    parser.add_argument("--big", type=int, default=100_000, help="cases of the measured business")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rc-bench-events-") as folder, ExitStack() as stack:
        url = bench_database_url(stack, Path(folder) / "postgres")
        engine = use_database(url)
        platform.filled(engine, url, "head", platform.Scale(total=args.total, big=args.big))
        email, case_id = sign_in_able(platform.OWNER_BUSINESS), a_waiting_case(platform.OWNER_BUSINESS)
        backend_url = f"http://127.0.0.1:{free_port()}"
        env = {**backend_environment(url, Path(folder), backend_url), "DEMO_DATA": "0"}
        start_backend(stack, env, Path(folder) / "backend.log")
        lines = asyncio.run(measure(backend_url, email, case_id, args.runs))
        engine.dispose()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
