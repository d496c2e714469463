"""How fast the public API lists a big business's cases: the first page and page 50. Prints figures; not a test.

    python bench/api.py                                   # a local PostgreSQL in a temporary folder
    BENCH_DATABASE_URL=postgresql://... python bench/api.py  # that database, created or emptied first

The platform of bench/creator_table.py: 1,000,000 cases, 100,000 of them the measured business's, whose owner makes
a read key. Each figure is the median of a few GET /api/v1/resolution_center_cases?first=25 through the whole app in
this process, handed to it as a server does (`served`: the ASGI scope; every request a task on one event loop):
routing, the query parameters, the thread hop, the key check with its rate-limit count and the keyset query (one
statement), the list entries and their JSON. Page 50 is asked with the cursor a client got walking there. Beside it
the floor, the hand-written SQL for the same rows (the columns a list entry shows, the same keyset predicate and order,
LIMIT 26 for a page of 25), and the same work by hand (the key checked and counted in a transaction, then those rows).
And the API without FastAPI: the same service in a worker thread and the same answer, behind a bare Starlette route
(what FastAPI's parameters, dependencies and layers cost, with the real work around them). The runs take turns, so that
each sees the same load: the bench, the app and PostgreSQL share the machine's cores. Also shown: what the HTTP stack
costs by itself, and what a client library adds (httpx's ASGI client; Starlette's TestClient, which hops threads nine
times a request, cost 2-5 ms of its own).
"""

import argparse
import asyncio
import base64
import hashlib
import inspect
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
import httpx
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import creator_table as platform  # noqa: E402  (bench/, beside this script)
from bench_database import bench_database_url, fresh_postgres, use_database  # noqa: E402

from resolution_app.api.routes import api  # noqa: E402
from resolution_app.api.v1.app import page_response  # noqa: E402
from resolution_app.domain.policy import DEFAULT_POLICY  # noqa: E402
from resolution_app.infra.db import transaction  # noqa: E402
from resolution_app.models import User  # noqa: E402
from resolution_app.services.developers import api_cases, api_keys, rate_limit  # noqa: E402

GOAL_RATIO = 1.5
PAGE = 25
LATER_PAGE = platform.LATER_PAGE  # 50, as in bench/creator_table.py
CASES = "/api/v1/resolution_center_cases"

# What the list entries show (the columns of case_resource.LIST_COLUMNS), the
# service's keyset predicate and the order of ix_case_business_opened_desc, one row more than the page to know
# whether another follows.
PLAIN_ROWS = (
    "SELECT c.id, c.status, c.reason, c.amount_minor, c.currency, c.payment_id, c.opened_at, c.updated_at, c.due_at,"
    ' c.resolved_at, p.id AS product_id, p.name AS product, u.name, u.email, u.username FROM "case" c'
    " JOIN payment pay ON pay.id = c.payment_id JOIN product p ON p.id = pay.product_id"
    ' JOIN "user" u ON u.id = c.buyer_id'
    " WHERE c.business_id = :business_id"
)
PLAIN_AFTER = " AND (c.opened_at, c.id) < (:at, :case_id)"  # the service's keyset: a row value bounds the index scan
PLAIN_ORDER = f" ORDER BY c.opened_at DESC NULLS LAST, c.id DESC LIMIT {PAGE + 1}"
# Where page 50 must start, found without cursors: to check the walk.
PLAIN_OFFSET = (
    'SELECT c.id FROM "case" c WHERE c.business_id = :business_id'
    f" ORDER BY c.opened_at DESC NULLS LAST, c.id DESC LIMIT {PAGE} OFFSET {(LATER_PAGE - 1) * PAGE}"
)
# What api_keys.authenticate asks, by hand: the live key whose maker is still a member, and the minute's count, with
# a commit that doesn't wait for the disk.
PLAIN_KEY = (
    "SELECT k.id, k.business_id, set_config('synchronous_commit', 'off', true)"
    ' FROM api_key k JOIN "user" u ON u.id = k.created_by_id'
    " JOIN business_member m ON m.user_id = u.id AND m.business_id = k.business_id"
    " WHERE k.key_hash = :hash AND k.revoked_at IS NULL"
)
PLAIN_COUNT = (
    "INSERT INTO api_request_count (api_key_id, window_start, requests) VALUES (:key, date_trunc('minute', now()), 1)"
    " ON CONFLICT (api_key_id, window_start) DO UPDATE SET requests = api_request_count.requests + 1 RETURNING requests"
)


# --- Through the API -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.body)


async def served(app: ASGIApp, path: str, query: dict[str, Any] | None = None, headers: dict | None = None) -> Answer:
    """A GET as a server hands it to the app, and the app's answer: the ASGI scope (the HTTP request as uvicorn parses
    it, in C), an empty body, the answer's messages collected. Everything the app does is measured, and nothing a
    client library does: httpx's own URL, header and answer handling cost 0.6-1 ms a request here, more than the
    app's routing and the key's dependency together (shown apart, below the figures).

    Every call is a task on the bench's one event loop (asyncio.run's), as a server's loop would run it: the thread
    pool keeps its workers between requests. (A loop run once per request ends anyio's root task each time, and with
    it the worker thread: a thread started per request, as no server does.)"""
    sent_headers = (headers or {}).items()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "server": ("bench", 80),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": urlencode(query or {}).encode(),
        "headers": [(b"host", b"bench")] + [(name.lower().encode(), value.encode()) for name, value in sent_headers],
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(message["status"] for message in sent if message["type"] == "http.response.start")
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return Answer(status, body)


def list_query(after: str | None) -> dict[str, Any]:
    return {"first": PAGE} | ({"after": after} if after else {})


async def api_get(headers: dict[str, str], after: str | None) -> Answer:
    return await served(api, CASES, list_query(after), headers)


def api_page(answer: Answer) -> tuple[list[tuple], str]:
    """The page's entries (id, product, buyer, amount) and its end cursor."""
    if answer.status_code != 200:
        raise SystemExit(f"The API answered {answer.status_code}: {answer.text}")
    page = answer.json()
    if not page["page_info"]["has_next_page"]:
        raise SystemExit("The API says no page follows, with tens of thousands of cases to go.")
    entries = [(c["id"], c["product"]["name"], c["buyer"]["username"], c["amount"]["amount"]) for c in page["data"]]
    return entries, page["page_info"]["end_cursor"]


async def walk_to(headers: dict[str, str], page: int) -> str:
    """The `after` cursor of the page, as a client gets it: following end_cursor from the first page."""
    cursor = None
    for _ in range(page - 1):
        cursor = api_page(await api_get(headers, cursor))[1]
    return cursor


# --- The same rows, asked by hand ------------------------------------------------------------------------------------


def position(cursor: str) -> tuple[datetime, int]:
    """The (opened_at, id) of the case a cursor follows: the API's cursors are base64 of "<opened_at>|<id>"."""
    moment, _, case_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
    return datetime.fromisoformat(moment), int(case_id)


def page_sql(business_id: int, after: str | None) -> tuple[str, dict[str, Any]]:
    if after is None:
        return PLAIN_ROWS + PLAIN_ORDER, {"business_id": business_id}
    at, case_id = position(after)
    return PLAIN_ROWS + PLAIN_AFTER + PLAIN_ORDER, {"business_id": business_id, "at": at, "case_id": case_id}


def plain_page(reads: Engine, business_id: int, after: str | None) -> list[tuple]:
    """The page the plainest way: one statement on a pooled connection, without BEGIN and COMMIT, as the app reads."""
    with reads.connect() as connection:
        rows = platform.run_sql(connection, *page_sql(business_id, after)).all()
    if len(rows) != PAGE + 1:
        raise SystemExit("The plain SQL found no page after this one.")
    return [(row.id, row.product, row.username, row.amount_minor) for row in rows[:PAGE]]


def plain_key_check(engine: Engine, secret: str) -> int:
    """The key's business, checked and counted in one transaction as authenticate does (a commit per request)."""
    with engine.begin() as connection:
        key = connection.execute(text(PLAIN_KEY), {"hash": hashlib.sha256(secret.encode()).hexdigest()}).one()
        connection.execute(text(PLAIN_COUNT), {"key": key.id}).scalar_one()
    return key.business_id


async def _nothing(_: Request) -> Response:
    return Response()


async def _list_without_fastapi(request: Request) -> Response:
    """The list's service and its answer, in a worker thread as the route runs them, behind a bare Starlette route:
    what the API would cost without FastAPI's parameters, dependencies and layers."""
    key = request.headers["authorization"].removeprefix("Bearer ")
    asked = api_cases.CaseQuery(first=int(request.query_params["first"]), after=request.query_params.get("after"))
    return page_response(await anyio.to_thread.run_sync(api_cases.list_cases, key, asked))


BARE = Starlette(routes=[Route("/", _nothing), Route(CASES, _list_without_fastapi)])


# --- Measuring -------------------------------------------------------------------------------------------------------


async def outcome(call: Callable[[], Any]) -> Any:
    """What a call gives: a request is awaited; the SQL by hand runs right on the loop, as nothing else is waiting."""
    result = call()
    return await result if inspect.isawaitable(result) else result


async def timed_together(calls: dict[str, Callable[[], Any]], runs: int) -> dict[str, tuple[float, Any]]:
    """Each call's median seconds and last result. A round makes each call once, so that all of them see the same
    load on the machine (the client, the app and PostgreSQL share its cores)."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    results: dict[str, Any] = {}
    for name, call in calls.items():
        results[name] = await outcome(call)  # warm: a statement's first run compiles and caches it
    for _ in range(runs):
        for name, call in calls.items():
            started = time.perf_counter()
            results[name] = await outcome(call)
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(times[name]), results[name]) for name in calls}


async def print_stack(headers: dict[str, str], runs: int) -> None:
    """What the HTTP stack costs by itself, and what httpx's client adds to the first page (not in the figures)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://bench") as client:
        (bare, bare_answer), (refused, refusal), (api_alone, _), (through_httpx, answer) = (
            await timed_together(
                {
                    "bare": lambda: served(BARE, "/"),
                    "no key": lambda: served(api, CASES),
                    "api": lambda: api_get(headers, None),
                    "httpx": lambda: client.get(CASES, params=list_query(None), headers=headers),
                },
                runs,
            )
        ).values()
    if bare_answer.status_code != 200 or refusal.status_code != 401 or answer.status_code != 200:
        raise SystemExit("The bare route failed, a request without a key was not refused, or httpx's was.")
    print(f"  a bare Starlette route: {platform.ms(bare)} ms")
    print(f"  the HTTP stack, a request refused before any SQL (no key, 401): {platform.ms(refused)} ms")
    print(f"  page 1 through httpx's ASGI client: {platform.ms(through_httpx)} ms, {platform.ms(api_alone)} without")


async def print_list(engine: Engine, owner: User, runs: int) -> list[str]:
    business_id = platform.OWNER_BUSINESS
    reads = engine.execution_options(isolation_level="AUTOCOMMIT")  # what services read with (infra.db.read)
    secret = api_keys.create_key(owner, "Bench", "read").secret
    headers = {"Authorization": f"Bearer {secret}"}
    print(f"\nGET {CASES}?first={PAGE}, ms: the API in this process beside the same rows by hand")
    print(f"  {'':<9}{'API':>6}{'rows by hand':>14}{'ratio':>7}{'key check + rows by hand':>26}{'ratio':>7}", end="")
    print(f"{'API without FastAPI':>21}{'ratio':>7}")
    figures: dict[str, tuple[float, float]] = {}  # (API, rows by hand) seconds by RESULT name
    later = await walk_to(headers, LATER_PAGE)
    with reads.connect() as connection:
        expected = platform.run_sql(connection, PLAIN_OFFSET, {"business_id": business_id}).scalars().all()
    if [entry[0] for entry in api_page(await api_get(headers, later))[0]] != expected:
        raise SystemExit(f"Page {LATER_PAGE} by the cursors is not the cases {LATER_PAGE - 1} pages in.")
    for page, after in ((1, None), (LATER_PAGE, later)):
        calls = {
            "api": lambda after=after: api_get(headers, after),
            "no FastAPI": lambda after=after: served(BARE, CASES, list_query(after), headers),
            "rows": lambda after=after: plain_page(reads, business_id, after),
            "same work": lambda after=after: plain_page(reads, plain_key_check(engine, secret), after),
        }
        found = await timed_together(calls, runs)
        (answered, answer), (plain, rows), (whole, _) = found["api"], found["rows"], found["same work"]
        bare, bare_answer = found["no FastAPI"]
        if not rows == found["same work"][1] == api_page(answer)[0] == api_page(bare_answer)[0]:
            raise SystemExit(f"The plain SQL disagrees with the API on page {page}.")
        cells = f"{platform.ms(answered):>6}{platform.ms(plain):>14}{answered / plain:>7.2f}"
        cells += f"{platform.ms(whole):>26}{answered / whole:>7.2f}{platform.ms(bare):>21}{bare / plain:>7.2f}"
        print(f"  page {page:<4}{cells}")
        figures["api_list_first_page" if page == 1 else f"api_list_page_{page}"] = answered, plain
    await print_stack(headers, runs)
    print(f"  the bench, the app and PostgreSQL share this machine's {os.cpu_count()} cores")
    worse = max(figures.values(), key=lambda figure: figure[0] / figure[1])
    print(f"  the worse ratio to the rows by hand: {worse[0] / worse[1]:.2f} (goal {GOAL_RATIO})")
    figures["api_list"] = worse
    return [platform.result_line(name, value * 1000, floor * 1000, "ms") for name, (value, floor) in figures.items()]


def checkpoint(engine: Engine) -> None:
    """The fill's writes flushed now, so that the checkpoint they call for does not run while requests are timed
    (its writes slow every commit, and the key check commits). Skipped for a role that may not."""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("CHECKPOINT")
    except ProgrammingError:
        print("(no CHECKPOINT for this role: the fill's may still be running)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=31, help="runs per figure; the median is shown")
    parser.add_argument("--total", type=int, default=1_000_000, help="cases on the platform")
    parser.add_argument("--big", type=int, default=100_000, help="cases of the measured business")
    args = parser.parse_args()
    # The bench asks far more than a key's 120 requests a minute: the limit is raised, not skipped, so every request
    # still counts itself in the database as a client's does.
    rate_limit.DEFAULT_POLICY = replace(DEFAULT_POLICY, api_requests_per_minute=10**9)
    # The clock runs free: the list reads no time, and the key's rate-limit windows and "last used" are for now.
    with tempfile.TemporaryDirectory(prefix="rc-bench-") as folder, ExitStack() as stack:
        url = bench_database_url(stack, Path(folder) / "postgres")
        fresh_postgres(url)  # BENCH_DATABASE_URL's database may not exist yet
        engine = use_database(url)
        print(f"{platform.server_version(engine)}; {args.total:,} cases on the platform, ", end="")
        print(f"{args.big:,} in the measured business; median of {args.runs} runs")
        platform.filled(engine, url, "head", platform.Scale(total=args.total, big=args.big))
        checkpoint(engine)
        with transaction() as session:
            owner = session.get(User, platform.OWNER_BUSINESS)  # user n owns business n
        results = asyncio.run(print_list(engine, owner, args.runs))
        engine.dispose()
    print("\n".join(results))


if __name__ == "__main__":
    main()
