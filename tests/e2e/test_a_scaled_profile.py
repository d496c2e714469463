"""The production shape on one machine: the exported frontend and two backend processes on two ports behind Caddy
(deploy/Caddyfile, no sticky sessions), tab states in Redis, a dedicated job worker. A claim with files and its
acceptance pass across the two backends.

This module sorts first among the e2e tests: it exports the frontend for its own address and copies it away before
the shared app of the other modules builds its own.
"""

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, WebSocket, expect

from resolution_app.infra.child_processes import start_child
from resolution_app.infra.local_redis import running_redis
from resolution_app.infra.seaweed import pick_free_s3_port, running_seaweed
from tests.databases import fresh_database
from tests.e2e.buyer_steps import FILES, fill_claim, start_claim, submit_claim
from tests.e2e.conftest import ROOT, START_TIMEOUT, _free_port, log_in, page_maker

CADDYFILE = ROOT / "deploy" / "Caddyfile"


def _process(stack: ExitStack, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    child = start_child(stack, command, env=env, cwd=ROOT, log=log)
    child.log = log  # what _wait_for shows if it dies
    return child


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_for(urls: list[str], children: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not all(_answers(url) for url in urls):
        for child in children:
            if child.poll() is not None:
                raise RuntimeError(f"{child.args[:4]} exited with {child.returncode}:\n{child.log.read_text()[-4000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{urls} did not all answer within {START_TIMEOUT} s")
        time.sleep(1)


@dataclass
class Scaled:
    """The running profile: its address, and its backends, which a test may kill and start again."""

    url: str
    backend_ports: list[int]
    start_backend: Callable[[int], subprocess.Popen]
    restart_redis: Callable[[], None]
    backends: dict[int, subprocess.Popen] = field(default_factory=dict)

    def kill(self, port: int) -> None:
        os.killpg(self.backends[port].pid, signal.SIGKILL)
        self.backends[port].wait(timeout=10)

    def restart(self, port: int) -> None:
        self.backends[port] = self.start_backend(port)
        self.wait_until_healthy()

    def revive(self) -> None:
        """Start again any backend an earlier test killed."""
        for port, backend in self.backends.items():
            if backend.poll() is not None:
                self.restart(port)

    def wait_until_healthy(self) -> None:
        _wait_for([f"http://127.0.0.1:{p}/api/health" for p in self.backend_ports], list(self.backends.values()))


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[Scaled]:
    if shutil.which("caddy") is None:
        raise RuntimeError("caddy not found: `make test` installs Debian's caddy package.")
    folder = tmp_path_factory.mktemp("scaled")
    port, backend_ports, redis_port = _free_port(), [_free_port(), _free_port()], _free_port()
    url = f"http://localhost:{port}"
    with ExitStack() as stack:
        redis = stack.enter_context(ExitStack())

        def restart_redis() -> None:  # the same address, nothing kept: as a Redis restarted without persistence
            redis.close()
            redis.enter_context(running_redis(folder, redis_port))

        env = {
            **os.environ,
            "DATA_DIR": str(folder / "data"),
            "DATABASE_URL": fresh_database(postgres_url, "e2e_scaled"),
            "STORAGE_URL": stack.enter_context(running_seaweed(folder / "seaweed", pick_free_s3_port())),
            "REFLEX_REDIS_URL": redis.enter_context(running_redis(folder, redis_port)),
            "GRANIAN_WORKERS": "1",
            "JOB_WORKER_IN_APP": "0",
            "SECRET_KEY": "scaled-e2e-secret",  # shared by every process, as on several hosts
            "DEMO_DATA": "1",
            "PUBLIC_API_URL": url,
            "ALLOWED_ORIGINS": url,
            "REFLEX_USE_NPM": "1",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        prepare = "from resolution_app.services.startup import prepare; prepare()"
        subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=True)
        reflex = shutil.which("reflex", path=env["PATH"])
        export = [reflex, "export", "--frontend-only", "--no-zip", "--env", "prod"]
        subprocess.run(export, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        frontend = folder / "frontend"
        shutil.copytree(ROOT / ".web" / "build" / "client", frontend)

        def start_backend(backend_port: int) -> subprocess.Popen:
            command = [reflex, "run", "--env", "prod", "--backend-only", "--backend-host", "127.0.0.1"]
            return _process(stack, [*command, "--backend-port", str(backend_port)], env, folder / f"{backend_port}.log")

        profile = Scaled(url, backend_ports, start_backend, restart_redis)
        profile.backends = {backend_port: start_backend(backend_port) for backend_port in backend_ports}
        worker = _process(stack, [sys.executable, "-m", "resolution_app.jobs.worker"], env, folder / "worker.log")
        caddy_env = {
            **env,
            "RC_ADDRESS": f"http://:{port}",
            "RC_FRONTEND": str(frontend),
            "RC_BACKENDS": " ".join(f"127.0.0.1:{p}" for p in backend_ports),
        }
        caddy = _process(stack, ["caddy", "run", "--config", str(CADDYFILE)], caddy_env, folder / "caddy.log")
        health = [f"http://127.0.0.1:{p}/api/health" for p in backend_ports]
        _wait_for([*health, f"{url}/login", f"{url}/api/health"], [worker, *profile.backends.values(), caddy])
        yield profile


@pytest.fixture
def new_scaled_page(browser, scaled):  # noqa: ANN001, ANN201 - Playwright's Browser; a page maker
    """Pages on the scaled profile, in fresh browser contexts, closed after the test."""
    with page_maker(browser, scaled.url) as make:
        yield make


def _claim_with_files(buyer: Page, method: str, amount: str) -> str:
    start_claim(buyer, method, amount)
    fill_claim(buyer, "Product not as described", "Half the lessons of the course are missing from the player.")
    buyer.locator("#claim_files input[type=file]").set_input_files([FILES / "screenshot.png", FILES / "receipt.pdf"])
    expect(buyer.locator(".chosen-file")).to_have_count(2)
    case_id = submit_claim(buyer)
    expect(buyer.locator(".status-badge")).to_have_text("Waiting on creator")
    expect(buyer.locator(".timeline-item").first.locator(".evidence-file")).to_have_count(2)
    return case_id


def _accept(creator: Page, case_id: str, amount: str) -> None:
    creator.goto(f"/creator/resolutions/{case_id}")
    expect(creator.locator(".timeline-item").first.get_by_text("screenshot.png")).to_be_visible()
    creator.get_by_role("button", name="Accept").click()
    expect(creator.locator(".refund-confirmation")).to_contain_text(amount)
    creator.get_by_role("button", name="Confirm: Accept").click()
    expect(creator.locator(".status-badge")).to_have_text("Buyer won")


def _downloads_from_every_backend(creator: Page, case_id: str) -> None:
    """A signed evidence link and the CSV export, asked for twice each: round robin sends one to each backend."""
    creator.goto(f"/creator/resolutions/{case_id}")
    link = creator.locator(".timeline-item").first.locator("a", has_text="screenshot.png").get_attribute("href")
    for _ in range(2):
        response = creator.request.get(link)
        assert response.ok and response.body().startswith(b"\x89PNG"), response.status
    creator.goto("/creator/resolutions")
    for _ in range(2):
        with creator.expect_download() as download:
            creator.get_by_role("button", name="Export CSV").click()
        case_ids = [row[0] for row in csv.reader(io.StringIO(download.value.path().read_text()))]
        assert case_id in case_ids


def test_a_claim_with_files_and_its_acceptance_across_two_backends(new_scaled_page):
    buyer = new_scaled_page()
    log_in(buyer, "buyer@example.com", "/purchases")
    case_id = _claim_with_files(buyer, "Card", "$19.00")
    creator = new_scaled_page()
    log_in(creator, "creator@example.com", "/creator/resolutions")
    _accept(creator, case_id, "$19.00")
    buyer.reload()  # a new page load: any backend may answer it, and the buyer is still signed in
    expect(buyer.locator(".status-badge")).to_have_text("Buyer won")
    _downloads_from_every_backend(creator, case_id)


def _live_socket(sockets: list[WebSocket]) -> WebSocket:
    """The tab's websocket: the one it opened last and still has."""
    live = [ws for ws in sockets if not ws.is_closed()]
    assert len(live) == 1, f"{len(live)} live websockets in one tab"
    return live[0]


def _until(page: Page, done: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        page.wait_for_timeout(200)  # Playwright takes in the page's events while it waits


def _kill_the_backend_of(page: Page, sockets: list[WebSocket], scaled: Scaled) -> None:
    """SIGKILL the backend holding the tab's websocket. Only the socket's closing tells which that is: kill the
    first backend; if the socket lives on, start the first again and kill the other."""
    socket = _live_socket(sockets)
    first, second = scaled.backend_ports
    scaled.kill(first)
    page.wait_for_timeout(1500)  # Playwright sees the close while the page runs
    if not socket.is_closed():
        scaled.restart(first)
        scaled.kill(second)
        socket.wait_for_event("close", timeout=10_000)


def test_a_backend_killed_in_the_middle_of_a_claim_and_the_flow_still_completes(scaled, new_scaled_page):
    buyer = new_scaled_page()
    sockets: list[WebSocket] = []
    buyer.on("websocket", lambda ws: sockets.append(ws))
    log_in(buyer, "buyer@example.com", "/purchases")
    creator = new_scaled_page()
    log_in(creator, "creator@example.com", "/creator/resolutions")
    start_claim(buyer, "PayPal", "$49.00")
    fill_claim(buyer, "Product not received", "The membership never unlocked the private server.")
    buyer.locator("#claim_files input[type=file]").set_input_files([FILES / "screenshot.png"])

    tab_token = buyer.evaluate("sessionStorage.getItem('token')")
    _kill_the_backend_of(buyer, sockets, scaled)
    # The tab reconnects to the survivor by itself, under its own token (infra/tab_failover.py), so its state and
    # the form, with what was typed and chosen, stay as they were.
    _until(buyer, lambda: any(not ws.is_closed() for ws in sockets), "the tab reconnected")
    buyer.wait_for_timeout(500)  # the connect's answer, which would carry a new token, is in
    assert buyer.evaluate("sessionStorage.getItem('token')") == tab_token
    expect(buyer.get_by_label("Reason")).to_have_value("product_not_received")
    # Debian's Caddy 2.6 cannot resend an upload's body to another backend after the dead one refuses it
    # (caddyserver/caddy#7546, fixed in 2.11.2): the health check takes the dead one out within a second.
    buyer.wait_for_timeout(2000)
    case_id = submit_claim(buyer)  # still signed in: the session is in PostgreSQL, the tab's state in Redis
    expect(buyer.locator(".status-badge")).to_have_text("Waiting on creator")
    expect(buyer.locator(".timeline-item").first.locator(".evidence-file")).to_have_count(1)

    _accept(creator, case_id, "$49.00")  # the creator's tab, wherever its socket was, goes on too
    buyer.reload()
    expect(buyer.locator(".status-badge")).to_have_text("Buyer won")


def _send_message(page: Page, text: str) -> None:
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-message", has_text=text)).to_have_count(1)


def test_redis_restarted_the_app_recovers_by_itself_and_nothing_accepted_is_lost(scaled, new_scaled_page):
    scaled.revive()
    buyer = new_scaled_page()
    log_in(buyer, "alice@example.com", "/purchases")
    buyer.goto("/cases")
    buyer.locator("a[href^='/cases/']").first.click()
    buyer.wait_for_url(re.compile(r"/cases/\d+$"))
    _send_message(buyer, "Sent before Redis restarted.")

    scaled.restart_redis()  # every tab's state is gone with it, while its socket stays connected
    scaled.wait_until_healthy()  # each backend reconnects to Redis by itself and says so on /api/health
    # The tab's next click meets a blank state: the page reloads itself instead (state/forgotten_tabs.py), still
    # signed in, its session being in PostgreSQL. That click did nothing, so nothing can happen twice.
    buyer.get_by_label("Message").fill("Typed after Redis restarted.")
    with buyer.expect_event("load"):
        buyer.get_by_role("button", name="Send").click()
    expect(buyer.locator(".chat-message", has_text="Sent before Redis restarted.")).to_have_count(1)
    expect(buyer.locator(".chat-message", has_text="Typed after Redis restarted.")).to_have_count(0)
    _send_message(buyer, "Sent after Redis restarted.")
    buyer.reload()
    expect(buyer.locator(".chat-message", has_text="Sent before Redis restarted.")).to_have_count(1)
    expect(buyer.locator(".chat-message", has_text="Sent after Redis restarted.")).to_have_count(1)
