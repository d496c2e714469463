"""End-to-end: the real app (production build, demo data, PostgreSQL, S3 evidence on SeaweedFS) driven by Chromium.

If Chromium or the app can't start, these tests fail with the reason; they never skip.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from resolution_app.infra.child_processes import start_child
from resolution_app.infra.seaweed import pick_free_s3_port, running_seaweed

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
START_TIMEOUT = 300
DEMO_PASSWORD = "demo-password-1"
BROWSER_ZONE = "Europe/Berlin"  # the browsers' time zone: the app shows and filters by the viewer's days
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

expect.set_options(timeout=20_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, app: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise RuntimeError(f"The app exited with {app.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with (
                urllib.request.urlopen(f"{url}/api/health", timeout=5) as health,
                urllib.request.urlopen(f"{url}/login", timeout=5) as page,
            ):
                if health.status == 200 and page.status == 200:
                    return
        except OSError:
            pass
        time.sleep(2)
    raise RuntimeError(f"The app did not answer within {START_TIMEOUT}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's DATA_DIR: its emails land in `mail/` as .eml files."""
    return tmp_path_factory.mktemp("e2e-data")


@pytest.fixture(scope="session")
def app_url(app_data_dir: Path, e2e_database_url: str) -> Iterator[str]:
    data_dir = app_data_dir
    port = _free_port()
    url = f"http://localhost:{port}"
    with running_seaweed(data_dir / "seaweed", pick_free_s3_port()) as storage_url:
        env = {
            **os.environ,
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": e2e_database_url,
            "JOB_WORKER_IN_APP": "1",
            "WEBHOOK_ALLOW_PRIVATE_URLS": "1",  # the tests' webhook receiver listens on 127.0.0.1
            "STORAGE_URL": storage_url,
            "DEMO_DATA": "1",
            "PUBLIC_API_URL": url,
            "ALLOWED_ORIGINS": url,
            "REFLEX_USE_NPM": "1",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        subprocess.run(
            [sys.executable, "-c", "from resolution_app.services.startup import prepare; prepare()"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        log = data_dir / "app.log"
        command = [
            shutil.which("reflex", path=env["PATH"]),
            "run",
            "--env",
            "prod",
            "--backend-host",
            "127.0.0.1",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
        ]
        with ExitStack() as stack:
            app = start_child(stack, command, env=env, cwd=ROOT, log=log)
            _wait_until_up(url, app, log)
            yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser, app_url: str):
    """Pages in fresh browser contexts (each its own cookies), closed after the test."""
    with page_maker(browser, app_url) as make:
        yield make


@contextmanager
def page_maker(browser: Browser, base_url: str) -> Iterator[Callable[[], Page]]:
    """A maker of pages on `base_url`, each in a browser context of its own, all closed at the end."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(base_url=base_url, timezone_id=BROWSER_ZONE)
        contexts.append(context)
        return context.new_page()

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


def log_in(page: Page, email: str, landing: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{landing}", timeout=30_000)


@pytest.fixture
def buyer_page(new_page) -> Page:
    page = new_page()
    log_in(page, "buyer@example.com", "/purchases")
    return page
