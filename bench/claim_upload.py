"""Three 50 MB files into a claim, the way the claim form's rx.upload sends them. Prints figures; not a test.

    python bench/claim_upload.py

One backend worker (`reflex run --env prod --backend-only`) on a PostgreSQL of its own (BENCH_DATABASE_URL's, else
a local one) with its evidence on a local SeaweedFS. A buyer's tab logs in and opens the claim form over the
socket (bench/reflex_tab.py), then sends what Chromium sends on Submit: one multipart POST to /_upload naming the
claim handler, with the reason, the description and three 50 MB PDFs. Timed from the first byte sent to the end of
the streamed answer (the case opened), for each of --runs claims; the backend's memory is read
from /proc every 20 ms meanwhile (its processes' resident memory together, above what it held before). The client,
the backend, PostgreSQL and SeaweedFS share this machine's cores (2 here).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import requests
import socketio
from backend import ROOT, backend_environment, free_port, start_backend  # bench/, beside this script
from bench_database import bench_database_url, card_purchase, fresh_postgres, use_database
from reflex_tab import NAMESPACE, SESSION, TIMEOUT_SECONDS, Tab, hydrated
from sqlmodel import select

from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.infra.seaweed import pick_free_s3_port, running_seaweed
from resolution_app.models import Product, User
from resolution_app.state.buyer import ClaimState
from uploads import MB, evidence_file

PREPARE = "from resolution_app.services.startup import prepare; prepare()"
BUYER = "buyer@example.com"  # the demo buyer
FILES, FILE_MB = 3, 50


def claimable_payments(count: int) -> list[int]:
    """`count` fresh purchases of the demo buyer, bought yesterday, each open to a claim."""
    with transaction() as session:
        buyer = session.exec(select(User).where(User.email == BUYER)).one()
        product = session.exec(select(Product).order_by(Product.id)).first()
        payments = [card_purchase(buyer.id, product, clock.now() - timedelta(days=1)) for _ in range(count)]
        session.add_all(payments)
        session.flush()
        return [payment.id for payment in payments]


class BuyerTab:
    """A signed-in tab of the demo buyer on python-socketio's thread client."""

    def __init__(self, url: str) -> None:
        self.tab, self.updates, self._arrived = Tab(url), [], threading.Condition()
        self.socket = socketio.Client(reconnection=False, websocket_extra_options={"suppress_origin": True})
        self.socket.on("event", self._take, namespace=NAMESPACE)
        self.socket.connect(self.tab.connect_url(), **self.tab.connect_options())
        self._until(hydrated)
        self.socket.emit("event", self.tab.log_in(BUYER), namespace=NAMESPACE)
        self._until(lambda _: bool(self.tab.cookie))

    def open_claim_form(self, payment_id: int) -> None:
        for sent in self.tab.follow_link(f"/purchases/{payment_id}/claim"):
            self.socket.emit("event", sent, namespace=NAMESPACE)
        self._until(lambda delta: delta.get(ClaimState.get_full_name(), {}).get("found_rx_state_") is True)

    def _take(self, update: dict) -> None:
        with self._arrived:
            self.updates.append(update)
            self._arrived.notify_all()

    def _until(self, done: object) -> None:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        with self._arrived:
            while True:
                while self.updates:
                    delta, _ = self.tab.take_in(self.updates.pop(0))
                    if done(delta):
                        return
                if not self._arrived.wait(timeout=max(0.0, deadline - time.monotonic())):
                    sys.exit("The backend did not answer the tab in time.")

    def close(self) -> None:
        self.socket.disconnect()


def submit_claim(tab: BuyerTab, files: list[Path]) -> int:
    """The claim form's Submit: the POST rx.upload makes; the case it opened."""
    handler = f"{ClaimState.get_full_name()}.submit_claim"
    arguments = {"reason": "not_as_described", "description": "The course stops after the second lesson."}
    with ExitStack() as opened:
        parts = [("files", (path.name, opened.enter_context(path.open("rb")), "application/pdf")) for path in files]
        parts.append(("__reflex_event_args", (None, json.dumps(arguments))))
        answer = requests.post(
            f"{tab.tab.url}/_upload", headers=tab.tab.upload_headers(handler), files=parts, timeout=300
        )
    answer.raise_for_status()
    deltas = [json.loads(line)["delta"] for line in answer.text.splitlines() if line]
    opened_cases = [delta.get(SESSION, {}).get("just_opened_case_rx_state_") for delta in deltas]
    if not any(opened_cases):
        sys.exit(f"The claim was not opened: {answer.text[-800:]}")
    return next(case_id for case_id in opened_cases if case_id)


class MemoryWatch:
    """The most resident memory a process and its children held together while watched, every 20 ms from /proc."""

    def __init__(self, root_pid: int) -> None:
        self.root, self.peak, self._stop = root_pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def resident_bytes(self) -> int:
        return sum(_resident_bytes(pid) for pid in _tree(self.root))

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.resident_bytes())


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting += children.get(pid, [])
    return found


def _resident_bytes(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1]) * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="claims sent, one after another; the median is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rc-bench-claim-") as folder, ExitStack() as stack:
        work = Path(folder)
        (work / "seaweed").mkdir()
        database_url = bench_database_url(stack, work / "postgres")
        fresh_postgres(database_url)
        storage_url = stack.enter_context(running_seaweed(work / "seaweed", pick_free_s3_port()))
        backend_url = f"http://127.0.0.1:{free_port()}"
        env = {**backend_environment(database_url, work, backend_url), "STORAGE_URL": storage_url}
        # The schema and the demo data, as `make run` has them, in a child: this process read its settings already.
        subprocess.run([sys.executable, "-c", PREPARE], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        use_database(database_url)
        payment_ids = claimable_payments(args.runs)
        files = [evidence_file(work, FILE_MB).rename(work / f"evidence-{n}.pdf") for n in range(FILES)]
        backend = start_backend(stack, env, work / "backend.log")
        tab = BuyerTab(backend_url)
        seconds, peaks = [], []
        for payment_id in payment_ids:
            tab.open_claim_form(payment_id)
            with MemoryWatch(backend.pid) as memory:
                before = memory.resident_bytes()
                started = time.perf_counter()
                submit_claim(tab, files)
                seconds.append(time.perf_counter() - started)
            peaks.append(memory.peak - before)
        tab.close()
    total_mb = FILES * FILE_MB
    took, grew = statistics.median(seconds), max(peaks)
    print(f"A claim with {FILES} files of {FILE_MB} MB through POST /_upload, as the claim form sends it")
    print(f"  {args.runs} claims, one after another: " + ", ".join(f"{s:.2f} s" for s in seconds))
    print(f"  median {took:.2f} s = {total_mb / took:.0f} MB/s, from the first byte sent to the case opened")
    print(f"  the backend's resident memory grew by at most {grew / MB:.0f} MB above what it held before")
    print(f"RESULT upload_claim_3x50mb seconds={took:.2f} mb_per_s={total_mb / took:.0f} memory_mb={grew / MB:.0f}")


if __name__ == "__main__":
    main()
