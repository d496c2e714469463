"""How many page loads a Reflex worker serves while its event loop stays free: N simulated browsers at once.

Each simulated browser is a socket.io client speaking Reflex's `/_event` protocol as Chromium does
(`bench/reflex_tab.py`, shared with `bench/load.py`): it connects, logs in, then loads a page again and again as
following a link does, answering the page's `call_script` the way the browser would. A load counts only when a
delta has carried the signed-in user's rows and the page is hydrated again. Clients send back to back: each starts
its next load as soon as the last one is done.

    make run                       # in one terminal: the app with its demo data on http://localhost:3000
    python bench/event_loop.py     # in another (make bench-event-loop)

The client and the server share this machine's cores: the figures are the server's throughput with a Python client
beside it, to be compared with each other within one run rather than with another machine's. The first hydrate
carries no state hashes (a browser sends those to skip its compiled defaults), so it gets a little more than a
browser would.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import socketio
from reflex_tab import NAMESPACE, TIMEOUT_SECONDS, Tab, hydrated  # bench/, beside this script

from resolution_app.state.buyer import BuyerCasesState
from resolution_app.state.creator import CreatorTableState

TARGET_P95_MS = 300  # at 50 clients, for both pages (issue 7)
TARGET_CLIENTS = 50


@dataclass(frozen=True)
class Page:
    name: str
    email: str
    path: str
    state: str  # the state whose delta carries the rows
    rows_var: str


PAGES = [
    Page("buyer_cases", "alice@example.com", "/cases", BuyerCasesState.get_full_name(), "cases_rx_state_"),
    Page(
        "creator_table",
        "creator@example.com",
        "/creator/resolutions",
        CreatorTableState.get_full_name(),
        "rows_rx_state_",
    ),
]


@dataclass
class Browser:
    """One tab over python-socketio's asyncio client, and the updates the server pushed that nobody has read yet."""

    url: str
    tab: Tab = field(init=False)
    client: socketio.AsyncClient = field(default_factory=lambda: socketio.AsyncClient(reconnection=False))
    updates: asyncio.Queue = field(default_factory=asyncio.Queue)

    def __post_init__(self) -> None:
        self.tab = Tab(self.url)

    async def open(self) -> None:
        self.client.on("event", self.updates.put_nowait, namespace=NAMESPACE)
        await self.client.connect(self.tab.connect_url(), **self.tab.connect_options())
        await self._until(hydrated)

    async def log_in(self, email: str) -> None:
        await self._send(self.tab.log_in(email))
        await self._until(lambda delta: bool(self.tab.cookie))

    async def load(self, page: Page) -> int:
        """Follow a link to the page; returns how many rows the user's delta carried."""
        rows = await self.follow(page.path, page.state, page.rows_var)
        if not rows:
            raise RuntimeError(f"{page.path}: the delta carried no rows for {page.email}")
        return len(rows)

    async def follow(self, path: str, state: str = "", var: str = "") -> Any:  # noqa: ANN401 - the var's JSON
        """Follow a link to `path` until the page is hydrated again and, if named, `state.var` has arrived; its
        value."""
        for sent in self.tab.follow_link(path):
            await self._send(sent)
        value, arrived, done = None, not var, False
        while not (arrived and done):
            delta = await self._next()
            if var in delta.get(state, {}):
                value, arrived = delta[state][var], True
            done = done or hydrated(delta)
        return value

    async def close(self) -> None:
        await self.client.disconnect()

    async def _send(self, sent: dict[str, Any]) -> None:
        await self.client.emit("event", sent, namespace=NAMESPACE)

    async def _next(self) -> dict[str, Any]:
        delta, answers = self.tab.take_in(await asyncio.wait_for(self.updates.get(), TIMEOUT_SECONDS))
        for answer in answers:
            await self._send(answer)
        return delta

    async def _until(self, done: Callable[[dict], bool]) -> None:
        while not done(await self._next()):
            pass


@dataclass
class Level:
    page: Page
    clients: int
    latencies_ms: list[float]
    seconds: float

    @property
    def loads_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def percentile(self, p: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]


async def _signed_in_browsers(url: str, page: Page, count: int) -> list[Browser]:
    browsers = [Browser(url) for _ in range(count)]
    for chunk in range(0, count, 10):  # sockets open ten at a time, as a crowd of tabs would, not all at once
        await asyncio.gather(*(b.open() for b in browsers[chunk : chunk + 10]))
    for browser in browsers:  # log-ins one after another: each is a password hash, not what this measures
        await browser.log_in(page.email)
        await browser.load(page)  # warm: the first load of a tab answers the time-zone script too
    return browsers


async def run_level(url: str, page: Page, clients: int, seconds: float) -> Level:
    browsers = await _signed_in_browsers(url, page, clients)
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def keep_loading(browser: Browser) -> None:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            await browser.load(page)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(keep_loading(b) for b in browsers))
    elapsed = time.perf_counter() - started
    await asyncio.gather(*(b.close() for b in browsers))
    return Level(page, clients, latencies, elapsed)


def _report(levels: list[Level]) -> None:
    print(f"\n{'page':<14} {'clients':>7} {'loads':>7} {'loads/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for level in levels:
        print(
            f"{level.page.name:<14} {level.clients:>7} {len(level.latencies_ms):>7} {level.loads_per_second:>8.1f} "
            f"{level.percentile(50):>8.1f} {level.percentile(95):>8.1f} {level.percentile(99):>8.1f}"
        )
    print(
        f"\nTarget: p95 under {TARGET_P95_MS} ms at {TARGET_CLIENTS} clients for both pages (2 cores, client beside)."
    )
    for level in levels:
        if level.clients == TARGET_CLIENTS:
            verdict = "meets" if level.percentile(95) < TARGET_P95_MS else "MISSES"
            print(f"  {level.page.name}: p95 {level.percentile(95):.0f} ms, {verdict} the target")
    print()
    for level in levels:
        print(
            f"RESULT event_loop_{level.page.name}_c{level.clients} p50={level.percentile(50):.1f} "
            f"p95={level.percentile(95):.1f} p99={level.percentile(99):.1f} loads_per_s={level.loads_per_second:.1f}"
        )


async def main_async(args: argparse.Namespace) -> None:
    pages = [page for page in PAGES if not args.page or page.name in args.page]
    levels = []
    for page in pages:
        for clients in args.clients:
            level = await run_level(args.url, page, clients, args.seconds)
            print(
                f"{page.name} c={clients}: {len(level.latencies_ms)} loads, p95 {level.percentile(95):.0f} ms",
                flush=True,
            )
            levels.append(level)
    _report(levels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:3000", help="the running app (default: make run's)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50, 100])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each level sends loads")
    parser.add_argument("--page", nargs="*", choices=[page.name for page in PAGES], help="only these pages")
    try:
        asyncio.run(main_async(parser.parse_args()))
    except (socketio.exceptions.ConnectionError, OSError) as error:
        sys.exit(f"Could not reach the app ({error}). Start it with `make run` and try again.")


if __name__ == "__main__":
    main()
