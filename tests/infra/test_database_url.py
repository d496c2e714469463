"""A DATABASE_URL that can't be reached stops start-up within seconds, with a message naming it."""

import os
import socket
import subprocess
import sys
import time

import pytest

from resolution_app.infra.db import CONNECT_TIMEOUT_SECONDS, DatabaseUnreachable, ensure_reachable, make_engine
from resolution_app.infra.migrate import ROOT


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def _silent_listener() -> socket.socket:
    """Accepts TCP connections and never says a word, like a firewall that swallows packets."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    return sock


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_unreachable_server_is_reported_within_seconds_without_the_password(kind):
    listener = _silent_listener() if kind == "silent" else None
    port = listener.getsockname()[1] if listener else _closed_port()
    engine = make_engine(f"postgresql+psycopg://app:hunter2-secret@127.0.0.1:{port}/resolution")
    started = time.monotonic()
    try:
        with pytest.raises(DatabaseUnreachable) as refusal:
            ensure_reachable(engine)
    finally:
        if listener:
            listener.close()
    assert time.monotonic() - started < CONNECT_TIMEOUT_SECONDS + 3
    message = str(refusal.value)
    assert message.startswith(f"DATABASE_URL (postgresql://app:***@127.0.0.1:{port}/resolution) can't be reached")
    assert "hunter2" not in message


def test_start_up_stops_with_the_message_and_a_failing_exit_code(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DATABASE_URL": f"postgresql://app@127.0.0.1:{_closed_port()}/x"}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", "from resolution_app.services.startup import prepare; prepare()"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL (postgresql://app@127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 30
