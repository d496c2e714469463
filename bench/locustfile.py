"""Locust's simulated buyers and creators for `bench/load.py`: browser tabs on Reflex's `/_event` socket.

Each user is one tab (`bench/reflex_tab.py`, the protocol `bench/event_loop.py` speaks too) that logs in, then,
pausing a few seconds between clicks as a person does: lists their cases, opens one, sends a message on it (the
upload POST the composer makes), and now and then opens a new tab and logs in again. Every action is timed from the
first frame sent to the delta that shows its result, and reported to Locust under its name; one that times out,
or whose result is not what the page would show, is a failure.

    locust -f bench/locustfile.py --host http://127.0.0.1:8000   # against a running backend; bench/load.py runs it
"""

from __future__ import annotations

import json
import os
import queue
import random
import time
from collections.abc import Callable
from itertools import count
from typing import Any

import gevent
import requests
import socketio
from load import load_buyer_email  # bench/, beside this file
from locust import User, between, events, task
from locust.env import Environment
from reflex_tab import NAMESPACE, TIMEOUT_SECONDS, Tab, hydrated

from resolution_app.state.buyer import BuyerCasesState, BuyerCaseState
from resolution_app.state.creator import CreatorCaseState, CreatorTableState

LOAD_BUYERS = int(os.environ.get("LOAD_BUYERS", "100"))
SETTLE_SECONDS = float(os.environ.get("LOAD_SETTLE_SECONDS", "10"))
FAILURE_LOG = os.environ.get("LOAD_FAILURE_LOG", "")
CREATOR = "creator@example.com"
CLOSE_SECONDS = 5
_buyer_numbers = count()


@events.init.add_listener
def _measure_the_steady_state(environment: Environment, **_: object) -> None:
    """Figures start SETTLE_SECONDS after the last user started: the surge of first log-ins has been served."""

    def settle(**_: object) -> None:
        gevent.spawn_later(SETTLE_SECONDS, environment.runner.stats.reset_all)

    environment.events.spawning_complete.add_listener(settle)


@events.request.add_listener
def _log_failure(name: str, exception: Exception | None, context: dict, **_: object) -> None:
    """Each failure: when, whose and why, for bench/load.py to place against the Redis restart."""
    if exception is not None and FAILURE_LOG:
        with open(FAILURE_LOG, "a") as log:
            log.write(f"{time.time():.3f}\t{context['person']}\t{name}\t{exception}\n")


class Failed(Exception):
    """The page would not have shown what the action was for."""


class TabUser(User):
    abstract = True
    wait_time = between(2, 6)  # a person reading, then clicking
    list_path: str
    list_state: str
    rows_var: str
    case_path: str
    case_state: str

    def email(self) -> str:
        raise NotImplementedError

    def on_start(self) -> None:
        self.socket: socketio.Client | None = None
        self.case_ids: list[int] = []
        self.open_case: int | None = None
        self.broken = False  # the last action failed: the person reloads, as they would a page that went wrong
        self._timed("log in", self._new_tab)
        self._timed("list", self._list)

    def on_stop(self) -> None:
        self._close()

    @task(20)
    def list_cases(self) -> None:
        self._timed("list", self._list)

    @task(20)
    def open_a_case(self) -> None:
        if self.case_ids:
            self._timed("open case", self._open, random.choice(self.case_ids))

    @task(9)
    def send_a_message(self) -> None:
        if self.open_case is not None:
            self._timed("send message", self._send_message)

    @task(1)  # one click in 50: a tab logs in again every few minutes (a log-in is a ~0.1 s password hash)
    def log_in_again(self) -> None:
        self._timed("log in", self._new_tab)
        self.open_case = None

    # --- the actions ---------------------------------------------------------------------------------------------

    def _new_tab(self) -> None:
        self._close()
        self.tab, self.updates = Tab(self.host), queue.Queue()
        # No Origin header, as bench/event_loop.py's client sends none: the browser's origin check is not measured.
        self.socket = socketio.Client(reconnection=False, websocket_extra_options={"suppress_origin": True})
        self.socket.on("event", self.updates.put, namespace=NAMESPACE)
        self.socket.connect(self.tab.connect_url(), **self.tab.connect_options())
        self._until(hydrated)
        self._send(self.tab.log_in(self.email()))
        self._until(lambda delta: bool(self.tab.cookie))

    def _list(self) -> None:
        rows = self._load(self.list_path, self.list_state, self.rows_var)
        if not rows:
            raise Failed(f"{self.list_path} showed no cases")
        self.case_ids = [row["case_id"] for row in rows]
        self.open_case = None

    def _open(self, case_id: int) -> None:
        detail = self._load(self.case_path.format(case_id), self.case_state, "detail_rx_state_")
        if not detail or detail["summary"]["case_id"] != case_id:
            raise Failed(f"case {case_id} did not open")
        self.open_case = case_id

    def _send_message(self) -> None:
        self._drain()
        handler = f"{self.case_state}.send"
        body = f"Load test message at {time.time():.3f}: still waiting on an answer about my refund."
        response = requests.post(
            f"{self.host}/_upload",
            headers=self.tab.upload_headers(handler),
            files={"__reflex_event_args": (None, json.dumps({"body": body}))},
            timeout=TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        said = [json.loads(line)["delta"].get(self.case_state, {}) for line in response.text.splitlines() if line]
        notices = [delta["notice_rx_state_"] for delta in said if delta.get("notice_rx_state_")]
        errors = [delta["error_rx_state_"] for delta in said if delta.get("error_rx_state_")]
        if errors or notices != ["Message sent."]:
            raise Failed(f"the message was not sent: {errors or notices}")

    # --- the tab's socket ----------------------------------------------------------------------------------------

    def _load(self, path: str, state: str, var: str) -> Any:  # noqa: ANN401 - a row list or a case, as JSON
        """Follow a link to `path`; what the delta carried in `state.var` once the page is hydrated."""
        self._drain()
        for sent in self.tab.follow_link(path):
            self._send(sent)
        found, done = None, False
        while found is None or not done:
            delta = self._next()
            found = delta.get(state, {}).get(var, found)
            done = done or hydrated(delta)
        return found

    def _send(self, sent: dict[str, Any]) -> None:
        self.socket.emit("event", sent, namespace=NAMESPACE)

    def _next(self) -> dict[str, Any]:
        try:
            update = self.updates.get(timeout=TIMEOUT_SECONDS)
        except queue.Empty:
            raise Failed(f"no answer within {TIMEOUT_SECONDS} s") from None
        delta, answers = self.tab.take_in(update)
        if self.tab.reloaded:
            raise Failed("the page reloaded itself: the server had forgotten the tab")
        for answer in answers:
            self._send(answer)
        return delta

    def _drain(self) -> None:
        """Take in what came after the last action finished (its set_value events), so it is not read as news."""
        while not self.updates.empty():
            self.tab.take_in(self.updates.get_nowait())

    def _until(self, done: Callable[[dict], bool]) -> None:
        while not done(self._next()):
            pass

    def _close(self) -> None:
        if self.socket is not None:
            # Bounded: python-socketio waits for its read loop to end, and a socket whose peer never answers the close
            # held one user, and with it Locust's whole run, past its end.
            with gevent.Timeout(CLOSE_SECONDS, False):
                self.socket.disconnect()
            self.socket = None

    def _timed(self, name: str, action: Callable[..., None], *args: object) -> None:
        if self.broken and action != self._new_tab:  # the person reloads; what they meant to click waits a turn
            self.broken, self.open_case = False, None
            self._timed("log in", self._new_tab)
            return
        started, error = time.perf_counter(), None
        try:
            action(*args)
        except Exception as caught:  # noqa: BLE001 - every failure is Locust's to count, with its reason
            error, self.broken = caught, True
        self.environment.events.request.fire(
            request_type="reflex",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={"person": id(self)},  # one simulated person: creators share an account
        )


class Buyer(TabUser):
    weight = 3  # a platform has many more buyers with a claim open than creators answering them
    list_path, list_state, rows_var = "/cases", BuyerCasesState.get_full_name(), "cases_rx_state_"
    case_path, case_state = "/cases/{}", BuyerCaseState.get_full_name()

    def on_start(self) -> None:
        self.number = next(_buyer_numbers) % LOAD_BUYERS  # each buyer their own account and case
        super().on_start()

    def email(self) -> str:
        return load_buyer_email(self.number)


class Creator(TabUser):
    list_path, list_state, rows_var = "/creator/resolutions", CreatorTableState.get_full_name(), "rows_rx_state_"
    case_path, case_state = "/creator/resolutions/{}", CreatorCaseState.get_full_name()

    def email(self) -> str:
        return CREATOR
