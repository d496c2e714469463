"""The production shape on one machine: the exported frontend and two backend processes on two ports behind Caddy
(deploy/Caddyfile, no sticky sessions), tab states in Redis, a dedicated job worker. A claim with files and its
acceptance pass across the two backends.

This module sorts first among the e2e tests: it exports the frontend for its own address and copies it away before
the shared app of the other modules builds its own.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from resolution_app.infra.local_redis import running_redis
from resolution_app.infra.seaweed import pick_free_s3_port, running_seaweed
from tests.databases import fresh_database
from tests.e2e.buyer_steps import FILES, fill_claim, start_claim, submit_claim
from tests.e2e.conftest import ROOT, START_TIMEOUT, _free_port, log_in, page_maker

CADDYFILE = ROOT / "deploy" / "Caddyfile"


def _process(stack: ExitStack, command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        child = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    stack.callback(_stop, child)
    return child


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_for(urls: list[str], children: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not all(_answers(url) for url in urls):
        for child, log in zip(children, logs, strict=True):
            if child.poll() is not None:
                raise RuntimeError(f"{child.args[:4]} exited with {child.returncode}:\n{log.read_text()[-4000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{urls} did not all answer within {START_TIMEOUT} s")
        time.sleep(1)


@pytest.fixture(scope="module")
def scaled_url(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[str]:
    if shutil.which("caddy") is None:
        raise RuntimeError("caddy not found: `make test` installs Debian's caddy package.")
    folder = tmp_path_factory.mktemp("scaled")
    port, backend_ports = _free_port(), [_free_port(), _free_port()]
    url = f"http://localhost:{port}"
    with ExitStack() as stack:
        env = {
            **os.environ,
            "DATA_DIR": str(folder / "data"),
            "DATABASE_URL": fresh_database(postgres_url, "rc_e2e_scaled"),
            "STORAGE_URL": stack.enter_context(running_seaweed(folder / "seaweed", pick_free_s3_port())),
            "REFLEX_REDIS_URL": stack.enter_context(running_redis(folder)),
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

        logs = [folder / "worker.log", *(folder / f"backend-{p}.log" for p in backend_ports), folder / "caddy.log"]
        worker = _process(stack, [sys.executable, "-m", "resolution_app.jobs.worker"], env, logs[0])
        backends = [
            _process(
                stack,
                [reflex, "run", "--env", "prod", "--backend-only", "--backend-host", "127.0.0.1"]
                + ["--backend-port", str(backend_port)],
                env,
                log,
            )
            for backend_port, log in zip(backend_ports, logs[1:3], strict=True)
        ]
        caddy_env = {
            **env,
            "RC_ADDRESS": f"http://:{port}",
            "RC_FRONTEND": str(frontend),
            "RC_BACKENDS": " ".join(f"127.0.0.1:{p}" for p in backend_ports),
        }
        caddy = _process(stack, ["caddy", "run", "--config", str(CADDYFILE)], caddy_env, logs[3])
        health = [f"http://127.0.0.1:{p}/api/health" for p in backend_ports]
        _wait_for([*health, f"{url}/login", f"{url}/api/health"], [worker, *backends, caddy], logs)
        yield url


@pytest.fixture
def new_scaled_page(browser, scaled_url):  # noqa: ANN001, ANN201 - Playwright's Browser; a page maker
    """Pages on the scaled profile, in fresh browser contexts, closed after the test."""
    with page_maker(browser, scaled_url) as make:
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


def test_a_claim_with_files_and_its_acceptance_across_two_backends(new_scaled_page):
    buyer = new_scaled_page()
    log_in(buyer, "buyer@example.com", "/purchases")
    case_id = _claim_with_files(buyer, "Card", "$19.00")
    creator = new_scaled_page()
    log_in(creator, "creator@example.com", "/creator/resolutions")
    _accept(creator, case_id, "$19.00")
    buyer.reload()  # a new page load: any backend may answer it, and the buyer is still signed in
    expect(buyer.locator(".status-badge")).to_have_text("Buyer won")
