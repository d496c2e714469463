"""How many page loads a Reflex worker serves while its event loop stays free: N simulated browsers at once.

Each simulated browser is a socket.io client speaking Reflex's `/_event` protocol as Chromium does (the frames were
copied from a real browser's, captured with Playwright): it connects with a token and the hydrate event in the
CONNECT packet, logs in with the form event, then loads a page again and again as following a link does
(`update_vars_internal` with the session cookie, then `on_load_internal`), answering the page's `call_script` the
way the browser would. A load counts only when a delta has carried the signed-in user's rows and the page is
hydrated again. Clients send back to back: each starts its next load as soon as the last one is done.

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
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATA_DIR", "/tmp/rc-bench-event-loop")  # the state classes' imports read the settings

from reflex.state import State  # noqa: E402

from resolution_app.services.demo_data import DEMO_PASSWORD  # noqa: E402
from resolution_app.state.buyer import BuyerCasesState  # noqa: E402
from resolution_app.state.creator import CreatorTableState  # noqa: E402
from resolution_app.state.session import SessionState  # noqa: E402

ROOT_STATE = State.get_full_name()
SESSION = SessionState.get_full_name()
TOKEN_VAR = f"{SESSION}.token_rx_state_"
HYDRATED = "is_hydrated_rx_state_"
LOAD_TIMEOUT_SECONDS = 30
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


def _event(name: str, path: str, payload: dict | None = None) -> dict[str, Any]:
    return {"name": name, "payload": payload or {}, "router_data": {"pathname": path, "asPath": path}}


@dataclass
class Browser:
    """One tab: its socket, its token, and the updates the server pushed that nobody has read yet."""

    url: str
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    cookie: str = ""
    path: str = "/login"
    client: socketio.AsyncClient = field(default_factory=lambda: socketio.AsyncClient(reconnection=False))
    updates: asyncio.Queue = field(default_factory=asyncio.Queue)

    async def open(self) -> None:
        self.client.on("event", self.updates.put_nowait, namespace="/_event")
        hydrate = _event(f"{ROOT_STATE}.hydrate_and_load", "/login/")
        await self.client.connect(
            f"{self.url}?token={self.token}",
            socketio_path="_event",
            transports=["websocket"],
            namespaces=["/_event"],
            auth={"event": hydrate},
            wait_timeout=LOAD_TIMEOUT_SECONDS,
        )
        await self._until(lambda delta: delta.get(ROOT_STATE, {}).get(HYDRATED) is True)

    async def log_in(self, email: str) -> None:
        form = {"form": {"__reflex_form_data__": [["email", email], ["password", DEMO_PASSWORD]]}}
        await self._send(_event(f"{SESSION}.log_in", "/login/", form))
        await self._until(lambda delta: bool(delta.get(SESSION, {}).get("token_rx_state_")), remember_cookie=True)

    async def load(self, page: Page) -> int:
        """Follow a link to the page; returns how many rows the user's delta carried."""
        self.path = page.path
        await self._send(
            _event(
                f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal",
                page.path,
                {"vars": {TOKEN_VAR: self.cookie}},
            )
        )
        await self._send(_event(f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal", page.path))
        rows: list | None = None
        hydrated = False
        while rows is None or not hydrated:
            delta = await self._next()
            if page.rows_var in delta.get(page.state, {}):
                rows = delta[page.state][page.rows_var]
            hydrated = hydrated or delta.get(ROOT_STATE, {}).get(HYDRATED) is True
        if not rows:
            raise RuntimeError(f"{page.path}: the delta carried no rows for {page.email}")
        return len(rows)

    async def close(self) -> None:
        await self.client.disconnect()

    async def _send(self, event: dict[str, Any]) -> None:
        await self.client.emit("event", event, namespace="/_event")

    async def _next(self) -> dict[str, Any]:
        """The next delta; events the page sends the browser (call_script) are answered as the browser would."""
        update = await asyncio.wait_for(self.updates.get(), LOAD_TIMEOUT_SECONDS)
        for event in update.get("events") or []:
            if event.get("name") == "_call_script" and "set_zone" in event["payload"]["callback"]:
                await self._send(_event(f"{CreatorTableState.get_full_name()}.set_zone", self.path, {"zone": "UTC"}))
        return update.get("delta") or {}

    async def _until(self, done: Callable[[dict], bool], remember_cookie: bool = False) -> None:
        while True:
            delta = await self._next()
            if remember_cookie and delta.get(SESSION, {}).get("token_rx_state_"):
                self.cookie = delta[SESSION]["token_rx_state_"]
            if done(delta):
                return


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
