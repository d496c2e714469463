"""Load test: simulated buyers and creators (Locust, bench/locustfile.py) against one backend worker, then two on Redis.

    python bench/load.py                   # make bench-load: 200 users against 1 worker, then 2 workers on Redis
    python bench/load.py --users 50 100 --seconds 30 --workers 2

For each number of workers: a fresh database with the demo data and LOAD_BUYERS buyers, each with an open case; a
Reflex backend (`reflex run --env prod --backend-only`, GRANIAN_WORKERS workers; on Redis when more than one); one
dedicated job worker for the emails the messages queue. Then Locust, headless, spawns the users (3 buyers to each
creator), and 15 s after the last one started (the surge of first log-ins served) resets its figures and measures
for --seconds: per action (log in, list, open case, send message) the count, failures, p50 and p95, and the actions
per second. Reflex's "lock held too long" warnings are counted in the backend's log over the whole run, first
log-ins included. Locust's CSV and HTML reports land in --reports.

Then, with several workers on a Redis of our own, the fault phase: the same load again, Redis restarted (nothing kept)
half-way through. A tab's next action after it meets a state the server has forgotten: the page reloads itself
(resolution_app/state/forgotten_tabs.py), so that action fails, and the tab goes on as a new page load. It prints
the failures before the restart, the tabs that reloaded after it (about one per person), and the actions that failed
again beyond that one reload each (0: the app recovered by itself).

PostgreSQL is BENCH_DATABASE_URL's (its database is emptied first) or a local one in a temporary folder; Redis is
REDIS_URL's (then no fault phase: it is not ours to restart) or a redis-server of our own. The client and the server
share this machine's cores (2 here): compare the figures of one run with each other, not with another machine's.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from backend import backend_environment, free_port, start_backend  # noqa: E402  (bench/, beside this script)
from bench_database import bench_database_url, card_purchase, fresh_postgres  # noqa: E402

from resolution_app.infra.child_processes import start_child  # noqa: E402
from resolution_app.infra.local_redis import running_redis  # noqa: E402

TARGET_USERS = 200
TARGET_P95_MS = 500
ACTIONS = ("log in", "list", "open case", "send message")
LOCK_WARNING = "was held too long"
SEED = "seed-load-buyers"
SETTLE_SECONDS = 15  # after the last user started, before the figures start (bench/locustfile.py)
OVERRUN_SECONDS = 60


class OwnRedis:
    """A redis-server of ours on one port, which the fault phase restarts (nothing kept, as without persistence)."""

    def __init__(self) -> None:
        self.folder, self.port, self._stack = Path(tempfile.mkdtemp(prefix="rc-load-redis-")), free_port(), ExitStack()

    def start(self) -> str:
        return self._stack.enter_context(running_redis(self.folder, self.port))

    def restart(self) -> None:
        self._stack.close()
        self.start()

    def close(self) -> None:
        self._stack.close()


@dataclass(frozen=True)
class Recovery:
    """Redis restarted in the middle of a run: failures before it; after it, the people whose tab reloaded (its next
    action met a forgotten state) and the failures beyond that one each (0: the app recovered by itself)."""

    workers: int
    users: int
    before: int
    tabs_reloaded: int
    failed_again: int

    def result_line(self) -> str:
        return (
            f"RESULT load_w{self.workers}_u{self.users}_redis_restart failures_before={self.before} "
            f"tabs_reloaded={self.tabs_reloaded} failed_again={self.failed_again}"
        )


def load_buyer_email(number: int) -> str:
    return f"load-buyer-{number}@example.com"


@dataclass(frozen=True)
class Figures:
    workers: int
    users: int
    rows: dict[str, dict[str, str]]  # Locust's stats CSV, by action name ("Aggregated" for all)
    lock_warnings: int

    def of(self, name: str, column: str) -> float:
        value = self.rows.get(name, {}).get(column, "N/A")
        return float("nan") if value == "N/A" else float(value)  # N/A: no such request while measured

    @property
    def errors(self) -> int:
        return int(self.of("Aggregated", "Failure Count"))

    def result_line(self) -> str:
        total = "Aggregated"
        return (
            f"RESULT load_w{self.workers}_u{self.users} p50={self.of(total, '50%'):.0f} "
            f"p95={self.of(total, '95%'):.0f} events_per_s={self.of(total, 'Requests/s'):.1f} "
            f"errors={self.errors} lock_warnings={self.lock_warnings}"
        )


def seed_load_buyers(count: int) -> None:
    """LOAD_BUYERS buyers of the demo business, each with a purchase and an open claim on it (run in a child whose
    environment names the database)."""
    from datetime import timedelta

    from sqlmodel import select

    from resolution_app.infra.clock import clock
    from resolution_app.infra.db import transaction
    from resolution_app.infra.passwords import hash_password
    from resolution_app.models import Product
    from resolution_app.services.accounts import add_user
    from resolution_app.services.cases import claims
    from resolution_app.services.demo_data import DEMO_PASSWORD

    shared_hash, now = hash_password(DEMO_PASSWORD), clock.now()
    with transaction() as session:
        product = session.exec(select(Product).order_by(Product.id)).first()
        buyers = [add_user(session, f"Load Buyer {n}", load_buyer_email(n), shared_hash) for n in range(count)]
        payments = [card_purchase(buyer.id, product, now - timedelta(days=3)) for buyer in buyers]
        session.add_all(payments)
        session.flush()
        claimable = [(buyer, payment.id) for buyer, payment in zip(buyers, payments, strict=True)]
    for buyer, payment_id in claimable:
        claims.open_claim(buyer, payment_id, "not_as_described", "The course stops after the second lesson.", [])


# --- One configuration -------------------------------------------------------------------------------------------


def run_configuration(
    args: argparse.Namespace, database_url: str, redis_url: str, workers: int, redis: OwnRedis | None
) -> tuple[list[Figures], list[Recovery]]:
    fresh_postgres(database_url)
    if workers > 1:
        subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], check=True, stdout=subprocess.DEVNULL)
    data = Path(tempfile.mkdtemp(prefix=f"rc-load-w{workers}-"))
    url = f"http://127.0.0.1:{free_port()}"
    env = backend_environment(database_url, data, url, workers, redis_url if workers > 1 else "")
    prepare = "from resolution_app.services.startup import prepare; prepare()"
    subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, __file__, SEED, str(args.buyers)], env=env, cwd=ROOT, check=True)
    figures, recoveries = [], []
    with ExitStack() as stack:
        backend_log = data / "backend.log"
        worker = [sys.executable, "-m", "resolution_app.jobs.worker"]
        start_child(stack, worker, env=env, cwd=ROOT, log=data / "worker.log")
        start_backend(stack, env, backend_log)
        for users in args.users:
            warnings_before = backend_log.read_text().count(LOCK_WARNING)
            rows = _locust(args, env, url, workers, users)
            figures.append(Figures(workers, users, rows, backend_log.read_text().count(LOCK_WARNING) - warnings_before))
            _report_one(figures[-1])
            if redis is not None and workers > 1:
                recoveries.append(_redis_restarted(args, env, url, workers, users, redis))
    return figures, recoveries


def _redis_restarted(
    args: argparse.Namespace, env: dict[str, str], url: str, workers: int, users: int, redis: OwnRedis
) -> Recovery:
    """The same load again, with Redis restarted half-way through the measured time; failures counted per second."""
    restart_after = users / args.spawn_rate + SETTLE_SECONDS + args.seconds / 2
    timer = threading.Timer(restart_after, redis.restart)
    timer.start()
    started = time.time()
    try:
        _locust(args, env, url, workers, users, suffix="_redis_restart")
    finally:
        timer.cancel()
    restarted_at = started + restart_after
    log = _failure_log(args.reports / f"load_w{workers}_u{users}_redis_restart")
    failures = [line.split("\t") for line in log.read_text().splitlines()] if log.exists() else []
    after = [person for at, person, *_ in failures if float(at) >= restarted_at]
    recovery = Recovery(
        workers,
        users,
        before=len(failures) - len(after),
        tabs_reloaded=len(set(after)),
        failed_again=len(after) - len(set(after)),
    )
    print(
        f"  Redis restarted under load: {recovery.before} failures before; after it, {recovery.tabs_reloaded} tabs "
        f"reloaded (their next action failed) and {recovery.failed_again} actions failed again",
        flush=True,
    )
    return recovery


def _locust(
    args: argparse.Namespace, env: dict[str, str], url: str, workers: int, users: int, suffix: str = ""
) -> dict:
    prefix = args.reports / f"load_w{workers}_u{users}{suffix}"
    run_seconds = users / args.spawn_rate + SETTLE_SECONDS + args.seconds
    command = [
        shutil.which("locust", path=env["PATH"]),
        "-f",
        str(BENCH / "locustfile.py"),
        "--headless",
        "--host",
        url,
        "--users",
        str(users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{int(run_seconds)}s",
        "--csv",
        str(prefix),
        "--html",
        f"{prefix}.html",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    _failure_log(prefix).unlink(missing_ok=True)
    locust_env = {
        **env,
        "PYTHONPATH": f"{ROOT}:{BENCH}",
        "LOAD_BUYERS": str(args.buyers),
        "LOAD_SETTLE_SECONDS": str(SETTLE_SECONDS),
        "LOAD_FAILURE_LOG": str(_failure_log(prefix)),
    }
    locust = subprocess.Popen(command, env=locust_env, cwd=ROOT)
    try:
        locust.wait(timeout=run_seconds + OVERRUN_SECONDS)
    except subprocess.TimeoutExpired:
        # Now and then one simulated user never ends its last action, and Locust waits for it; stopped, Locust writes
        # its figures as they stand, and nothing more was being measured.
        print(f"  Locust overran its {run_seconds:.0f} s by {OVERRUN_SECONDS} s: stopped", flush=True)
        locust.terminate()
        locust.wait(timeout=60)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def _failure_log(prefix: Path) -> Path:
    """Each failure of a Locust run, timed to the millisecond (bench/locustfile.py writes it)."""
    return prefix.with_name(f"{prefix.name}_failures.log")


# --- The report --------------------------------------------------------------------------------------------------


def _report_one(figures: Figures) -> None:
    print(f"\n{figures.workers} worker(s), {figures.users} users:", flush=True)
    print(f"  {'action':<14} {'count':>7} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7} {'per s':>7}")
    for name in (*ACTIONS, "Aggregated"):
        if name in figures.rows:
            print(
                f"  {name:<14} {figures.of(name, 'Request Count'):>7.0f} {figures.of(name, 'Failure Count'):>8.0f} "
                f"{figures.of(name, '50%'):>7.0f} {figures.of(name, '95%'):>7.0f} "
                f"{figures.of(name, 'Requests/s'):>7.1f}"
            )
    print(f"  Reflex lock-held-too-long warnings: {figures.lock_warnings}", flush=True)


def _report(all_figures: list[Figures], recoveries: list[Recovery]) -> None:
    print(
        f"\nTarget: {TARGET_USERS} users with p95 under {TARGET_P95_MS} ms and no errors "
        "(2 cores; Locust runs beside the server)."
    )
    for figures in all_figures:
        if figures.users == TARGET_USERS:
            p95 = figures.of("Aggregated", "95%")
            verdict = "meets" if p95 < TARGET_P95_MS and figures.errors == 0 else "MISSES"
            print(f"  {figures.workers} worker(s): p95 {p95:.0f} ms, {figures.errors} errors: {verdict} the target")
    print()
    for figures in all_figures:
        print(figures.result_line())
    for recovery in recoveries:
        print(recovery.result_line())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--users", type=int, nargs="+", default=[TARGET_USERS])
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="users started (and logging in) per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the steady state is measured")
    parser.add_argument("--buyers", type=int, default=200, help="buyer accounts, each with an open case")
    parser.add_argument("--reports", type=Path, default=ROOT / "bench" / "reports", help="Locust's CSV and HTML")
    parser.add_argument(
        "--no-redis-restart",
        action="store_true",
        help="skip the fault phase (with several workers and our own Redis: the load again, Redis restarted in it)",
    )
    args = parser.parse_args()
    args.reports.mkdir(parents=True, exist_ok=True)
    figures, recoveries = [], []
    with ExitStack() as stack:
        database_url = bench_database_url(stack, Path(tempfile.mkdtemp(prefix="rc-load-pg-")))
        redis = None if os.environ.get("REDIS_URL") else OwnRedis()  # someone else's Redis is not ours to restart
        if redis is not None:
            stack.callback(redis.close)
        redis_url = os.environ.get("REDIS_URL") or redis.start()
        for workers in args.workers:
            measured, recovered = run_configuration(
                args, database_url, redis_url, workers, None if args.no_redis_restart else redis
            )
            figures += measured
            recoveries += recovered
    _report(figures, recoveries)


if __name__ == "__main__":
    if sys.argv[1:2] == [SEED]:  # the child run_configuration starts, its environment naming the database
        seed_load_buyers(int(sys.argv[2]))
    else:
        main()
