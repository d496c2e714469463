"""One browser tab speaking Reflex's `/_event` protocol, as the benchmarks' clients share it (no I/O here).

The frames were copied from a real browser's, captured with Playwright: a tab connects with a token and the hydrate
event in the CONNECT packet, logs in with the form event, and follows a link with `update_vars_internal` (the
session cookie) then `on_load_internal`. A page load is done once a delta says the page is hydrated again. The
sending is left to the callers: `bench/event_loop.py` with python-socketio's asyncio client, `bench/load.py` with
its thread (gevent) client under Locust.
"""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATA_DIR", "/tmp/rc-bench-client")  # the state classes' imports read the settings

from reflex.state import State  # noqa: E402

from resolution_app.services.accounts import SESSION_HEADER  # noqa: E402
from resolution_app.services.demo_data import DEMO_PASSWORD  # noqa: E402
from resolution_app.state.creator import CreatorTableState  # noqa: E402
from resolution_app.state.forgotten_tabs import RELOAD_SCRIPT  # noqa: E402
from resolution_app.state.session import SessionState  # noqa: E402

ROOT_STATE = State.get_full_name()
SESSION = SessionState.get_full_name()
TOKEN_VAR = f"{SESSION}.token_rx_state_"
HYDRATED = "is_hydrated_rx_state_"
TIMEOUT_SECONDS = 30
SOCKET_PATH = "_event"
NAMESPACE = "/_event"


def event(name: str, path: str, payload: dict | None = None) -> dict[str, Any]:
    return {"name": name, "payload": payload or {}, "router_data": {"pathname": path, "asPath": path}}


def hydrated(delta: dict) -> bool:
    return delta.get(ROOT_STATE, {}).get(HYDRATED) is True


@dataclass
class Tab:
    """What a tab knows: its token, its session cookie, the page it is on, whether the server told it to reload."""

    url: str
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    cookie: str = ""
    path: str = "/login"
    reloaded: bool = False

    def connect_url(self) -> str:
        return f"{self.url}?token={self.token}"

    def connect_options(self) -> dict[str, Any]:
        """python-socketio's connect() arguments, besides connect_url(): a browser's websocket, hydrating on connect."""
        return {
            "socketio_path": SOCKET_PATH,
            "transports": ["websocket"],
            "namespaces": [NAMESPACE],
            "auth": {"event": event(f"{ROOT_STATE}.hydrate_and_load", "/login/")},
            "wait_timeout": TIMEOUT_SECONDS,
        }

    def log_in(self, email: str) -> dict[str, Any]:
        form = {"form": {"__reflex_form_data__": [["email", email], ["password", DEMO_PASSWORD]]}}
        return event(f"{SESSION}.log_in", "/login/", form)

    def follow_link(self, path: str) -> list[dict[str, Any]]:
        self.path = path
        vars_event = f"{ROOT_STATE}.reflex___state____update_vars_internal_state.update_vars_internal"
        return [
            event(vars_event, path, {"vars": {TOKEN_VAR: self.cookie}}),
            event(f"{ROOT_STATE}.reflex___state____on_load_internal_state.on_load_internal", path),
        ]

    def take_in(self, update: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """An update the server pushed: its delta, and the events the browser sends in answer (the time-zone
        script the creator's table runs). A tab the server had forgotten is told to reload."""
        delta = update.get("delta") or {}
        if cookie := delta.get(SESSION, {}).get("token_rx_state_"):
            self.cookie = cookie
        scripts = [sent["payload"] for sent in update.get("events") or [] if sent.get("name") == "_call_script"]
        self.reloaded = self.reloaded or any(script.get("javascript_code") == RELOAD_SCRIPT for script in scripts)
        answers = [
            event(f"{CreatorTableState.get_full_name()}.set_zone", self.path, {"zone": "UTC"})
            for script in scripts
            if "set_zone" in (script.get("callback") or "")
        ]
        return delta, answers

    def upload_headers(self, handler: str) -> dict[str, str]:
        """The headers of an upload event's POST to /_upload (a message, with or without files)."""
        return {"Reflex-Client-Token": self.token, "Reflex-Event-Handler": handler, SESSION_HEADER: self.cookie}
