"""Fixtures shared by every test: a private data folder, the clock, and settings that never touch real data."""

import os
import tempfile

# Settings are read once per process: point them at a throw-away folder before anything imports them.
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="rc-test-data-")
os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("STORAGE_URL", None)

from datetime import UTC, datetime  # noqa: E402

import pytest  # noqa: E402

from resolution_app.infra.clock import clock  # noqa: E402

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock():
    """The one clock, stopped at NOW; tests move it with clock.advance()."""
    clock.freeze(NOW)
    yield clock
    clock.unfreeze()
