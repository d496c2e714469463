"""How fast the outbox's emails go out: 10,000 pending emails delivered to a local SMTP server (aiosmtpd), and the
delay from the commit that queued each to its arrival at the server. Prints figures; not a test.

    python bench/mail_outbox.py                                      # a local PostgreSQL in a temporary folder
    BENCH_DATABASE_URL=postgresql://... python bench/mail_outbox.py  # that database, created or emptied first

Three runs against the same server, a process of its own that notes when each Message-ID arrives:

- reference: plain smtplib sending already-rendered emails over 2 connections, no database: what the SMTP exchange
  itself costs here, the floor of the time per email;
- backlog: 10,000 pending emails committed at once on the seeded demo world (as after a mail server outage), sent
  by `delivery.deliver_due` from 2 threads, as 2 workers would. Its commit-to-server delay is mostly the queue's
  length: the last email waits for the 9,999 before it;
- trickle: emails committed one per transaction through the outbox at a steady rate, delivered by 2 real worker
  processes (`python -m resolution_app.jobs.worker`) woken by the job each commit queues: the delay a person's email
  sees in normal running.

The client, the workers, the SMTP server and PostgreSQL share this machine's cores: compare the figures with each
other within one run rather than with another machine's.
"""

import argparse
import multiprocessing
import os
import re
import shutil
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/mail_outbox.py` from the repo root

from bench_database import bench_database_url, fresh_postgres, use_database  # noqa: E402  (bench/, beside this script)

FOLDER = Path(tempfile.mkdtemp(prefix="rc-bench-mail-"))
# Settings are read once per process: a throw-away data folder and evidence store, before anything reads them.
os.environ["DATA_DIR"] = str(FOLDER / "data")
os.environ["STORAGE_URL"] = f"file://{FOLDER / 'uploads'}"
os.environ.setdefault("SECRET_KEY", "bench-secret-key")
os.environ["JOB_WORKER_IN_APP"] = "0"
os.environ.pop("SMTP_URL", None)

from sqlalchemy import text  # noqa: E402
from sqlmodel import select  # noqa: E402

from resolution_app.domain.enums import STATUS_LABELS, CaseStatus, Party  # noqa: E402
from resolution_app.domain.notifications import REMINDER  # noqa: E402
from resolution_app.infra import db, mail, migrate  # noqa: E402
from resolution_app.infra.clock import clock  # noqa: E402
from resolution_app.infra.db import transaction  # noqa: E402
from resolution_app.infra.settings import get_settings  # noqa: E402
from resolution_app.models import BusinessMember, Case, OutboundEmail  # noqa: E402
from resolution_app.services.demo_data import seed_demo_data  # noqa: E402
from resolution_app.services.notifications import delivery, outbox  # noqa: E402

HOST = "127.0.0.1"
WORKERS = 2
SMTP_TIMEOUT_SECONDS = 20.0
CORES = os.cpu_count() or 1
MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>\r\n]+>)", re.MULTILINE | re.IGNORECASE)
REMINDER_TITLE = "Reminder: your deadline is less than a day away"
BODY = "Your answer is due by Nov 29, 2026 at 12:00 UTC. If it doesn't come by then, the case goes to the platform."


# --- The SMTP server, in a process of its own ------------------------------------------------------------------------


class _Arrivals:
    """The aiosmtpd handler: accepts everything and notes (Message-ID, arrival time)."""

    def __init__(self) -> None:
        self.arrived: list[tuple[str, float]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        found = MESSAGE_ID.search(envelope.original_content)
        with self.lock:
            self.arrived.append((found.group(1).decode() if found else "", time.time()))
        return "250 2.0.0 Accepted"

    def take(self) -> list[tuple[str, float]]:
        with self.lock:
            taken, self.arrived = self.arrived, []
        return taken


def _serve(port: int, commands: Connection) -> None:
    from aiosmtpd.controller import Controller

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it
    handler = _Arrivals()
    controller = Controller(handler, hostname=HOST, port=port, server_hostname="bench-smtp", data_size_limit=0)
    controller.start()
    commands.send("ready")
    while (command := commands.recv()) != "stop":
        if command == "take":
            commands.send(handler.take())
    controller.stop()


class SmtpServerProcess:
    def __init__(self) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        self.url = f"smtp://{HOST}:{self.port}"
        # Forked before the bench opens any connection or starts any thread: its own interpreter, its own GIL.
        context = multiprocessing.get_context("fork")
        self._commands, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(self.port, child), daemon=True)

    def take(self) -> list[tuple[str, float]]:
        """What arrived since the last take: (Message-ID, time.time() on arrival)."""
        self._commands.send("take")
        return self._commands.recv()

    def __enter__(self) -> "SmtpServerProcess":
        self.process.start()
        if self._commands.recv() != "ready":
            raise SystemExit("The SMTP server did not start.")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._commands.send("stop")
        self.process.join(timeout=10)


# --- The database ----------------------------------------------------------------------------------------------------


def server_facts() -> str:
    with db.current_engine().connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar_one().split()[0]
        durable = connection.exec_driver_sql("SHOW synchronous_commit").scalar_one()
    return f"PostgreSQL {version} (synchronous_commit={durable})"


def settle_seeded_emails() -> None:
    """The seeding queued emails for the demo cases: they count as sent, so every figure is of the bench's own."""
    with transaction() as session:
        session.execute(text("UPDATE outbound_email SET status = 'sent', sent_at = not_before WHERE status <> 'sent'"))


# The outbox's rows, in bulk: one email and its in-app notification per row, to the buyer or the creator of each
# seeded case in turn, all due now.
_BACKLOG = text(
    """
    WITH pairs AS (
        SELECT * FROM unnest(CAST(:case_ids AS integer[]), CAST(:user_ids AS integer[]), CAST(:parties AS text[]),
                             CAST(:labels AS text[])) WITH ORDINALITY AS p(case_id, user_id, party, label, n)
    ), emails AS (
        INSERT INTO outbound_email (user_id, case_id, kind, message_id, created_at, not_before, status, attempts,
                                    next_attempt_at, last_error)
        SELECT p.user_id, p.case_id, 'single',
               '<' || replace(gen_random_uuid()::text, '-', '') || '@' || :domain || '>',
               now(), now(), 'pending', 0, now(), ''
        FROM generate_series(0, :count - 1) AS g JOIN pairs AS p ON p.n = g % :pairs + 1
        RETURNING id, user_id, case_id
    )
    INSERT INTO notification (user_id, case_id, party, kind, title, status_label, body, author, created_at, email_id)
    SELECT e.user_id, e.case_id, p.party, :kind, :title, p.label, :body, '', now(), e.id
    FROM emails AS e JOIN pairs AS p ON p.case_id = e.case_id AND p.user_id = e.user_id
    """
)


def recipients() -> list[tuple[int, int, Party, str]]:
    """(case, user, party, status label): each seeded case's buyer and its business's owner."""
    with transaction() as session:
        rows = session.exec(
            select(Case.id, Case.buyer_id, BusinessMember.user_id, Case.status)
            .join(BusinessMember, BusinessMember.business_id == Case.business_id)
            .order_by(Case.id)
        ).all()
    pairs = []
    for case_id, buyer_id, owner_id, status in rows:
        label = STATUS_LABELS[CaseStatus(status)]
        pairs += [(case_id, buyer_id, Party.BUYER, label), (case_id, owner_id, Party.CREATOR, label)]
    return pairs


def queue_backlog(count: int) -> tuple[set[str], float]:
    """`count` pending emails in one transaction; their Message-IDs and the moment the commit returned."""
    pairs = recipients()
    with transaction() as session:
        session.execute(
            _BACKLOG,
            {
                "case_ids": [p[0] for p in pairs],
                "user_ids": [p[1] for p in pairs],
                "parties": [str(p[2]) for p in pairs],
                "labels": [p[3] for p in pairs],
                "pairs": len(pairs),
                "count": count,
                "domain": get_settings().mail_domain,
                "kind": REMINDER,
                "title": REMINDER_TITLE,
                "body": BODY,
            },
        )
    committed = time.time()
    with transaction() as session:
        ids = set(session.exec(select(OutboundEmail.message_id).where(OutboundEmail.status == "pending")))
    if len(ids) != count:
        raise SystemExit(f"{len(ids):,} pending emails, not {count:,}.")
    return ids, committed


# --- Measuring -------------------------------------------------------------------------------------------------------


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def check_once(
    arrived: list[tuple[str, float]], expected: set[str], what: str, *, others: bool = False
) -> dict[str, float]:
    """Every expected email arrived exactly once, and nothing else did (`others`: other emails may have, such as
    those the workers' periodic jobs sent); Message-ID → arrival time."""
    counts = Counter(message_id for message_id, _ in arrived)
    twice = [message_id for message_id, n in counts.items() if n > 1]
    missing, extra = expected - set(counts), set() if others else set(counts) - expected
    if twice or missing or extra:
        raise SystemExit(f"{what}: {len(twice)} sent twice, {len(missing)} missing, {len(extra)} unexpected.")
    return dict(arrived)


def run_threads(count: int, target) -> float:
    """Seconds for `count` threads running `target(index)` from a common start."""
    start = threading.Barrier(count + 1)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        start.wait()
        try:
            target(index)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def reference(server: SmtpServerProcess, count: int) -> float:
    """Emails per second of plain smtplib, 2 connections, sending rendered emails of the same shape and size."""
    with transaction() as session:
        sample = session.exec(select(OutboundEmail.id).order_by(OutboundEmail.id).limit(1)).one()
        facts = delivery._facts(session, [sample], clock.now())[0].facts  # an email as the delivery renders it
    from resolution_app.services.notifications.email_content import render

    envelope = render(facts)
    data = envelope.data
    per_thread = count // WORKERS

    def send(index: int) -> None:
        with smtplib.SMTP(HOST, server.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            smtp.ehlo()
            for n in range(per_thread):
                # A Message-ID of its own per email, as the real ones have; the rest is the same bytes.
                unique = data.replace(envelope.message_id.encode(), f"<ref-{index}-{n}@bench>".encode(), 1)
                smtp.sendmail(envelope.sender, [envelope.recipient], unique)

    seconds = run_threads(WORKERS, send)
    arrived = server.take()
    check_once(arrived, {f"<ref-{i}-{n}@bench>" for i in range(WORKERS) for n in range(per_thread)}, "reference")
    return per_thread * WORKERS / seconds


def backlog(server: SmtpServerProcess, count: int) -> tuple[float, list[float]]:
    """Emails per second of the delivery draining `count` pending emails, and each one's commit-to-server delay."""
    expected, committed = queue_backlog(count)
    reports: list[delivery.Report] = [delivery.Report() for _ in range(WORKERS)]

    def work(index: int) -> None:
        reports[index] = delivery.deliver_due()

    seconds = run_threads(WORKERS, work)
    arrived = check_once(server.take(), expected, "backlog")
    if sum(report.sent for report in reports) != count:
        raise SystemExit(f"The delivery reports {[r.sent for r in reports]} sent, not {count:,} in all.")
    delays = [(at - committed) * 1000 for at in arrived.values()]
    return count / seconds, delays


@contextmanager
def worker_processes(database_url: str, smtp_url: str) -> Iterator[None]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SMTP_URL": smtp_url,
        "PYTHONPATH": str(ROOT),
    }
    processes = []
    for n in range(WORKERS):
        log = (FOLDER / f"worker-{n}.log").open("w")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "resolution_app.jobs.worker"],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    try:
        deadline = time.monotonic() + 60
        while _workers_registered() < WORKERS:
            if time.monotonic() > deadline or any(process.poll() is not None for process in processes):
                raise SystemExit(f"The workers did not start; see {FOLDER}/worker-*.log")
            time.sleep(0.1)
        yield
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


def _workers_registered() -> int:
    with transaction() as session:
        return session.execute(text("SELECT count(*) FROM procrastinate_workers")).scalar_one()


def trickle(server: SmtpServerProcess, database_url: str, count: int, rate: float) -> list[float]:
    """Each email committed in a transaction of its own, `rate` a second, through the outbox (which queues the
    delivery job in the same transaction); delivered by real workers. Each one's commit-to-server delay."""
    pairs = [pair for pair in recipients() if pair[2] == Party.CREATOR]
    committed: dict[str, float] = {}
    with worker_processes(database_url, server.url):
        server.take()  # anything the workers' start-up sent (nothing is pending)
        started = time.perf_counter()
        for n in range(count):
            case_id = pairs[n % len(pairs)][0]
            with transaction() as session:
                case = session.get(Case, case_id)
                (notification,) = outbox.queue(session, case, frozenset({Party.CREATOR}), REMINDER, BODY, clock.now())
                message_id = session.get(OutboundEmail, notification.email_id).message_id
            committed[message_id] = time.time()
            pause = started + (n + 1) / rate - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        deadline = time.monotonic() + 120
        arrived: list[tuple[str, float]] = []
        while not set(committed) <= {message_id for message_id, _ in arrived} and time.monotonic() < deadline:
            time.sleep(0.2)
            arrived += server.take()
        time.sleep(1)  # anything sent twice would come now
        arrived += server.take()
    at = check_once(arrived, set(committed), "trickle", others=True)
    return [(at[message_id] - commit) * 1000 for message_id, commit in committed.items()]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=10_000, help="pending emails in the backlog")
    parser.add_argument("--trickle", type=int, default=600, help="emails committed one by one (0: no trickle run)")
    parser.add_argument("--rate", type=float, default=30.0, help="commits per second in the trickle run")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    with ExitStack() as stack:
        server = stack.enter_context(SmtpServerProcess())
        url = bench_database_url(stack, FOLDER / "postgres")
        fresh_postgres(url)
        engine = use_database(url)
        migrate.upgrade(engine)
        seed_demo_data()
        settle_seeded_emails()
        mail.use_mailer(mail.SmtpMailer(server.url, timeout=SMTP_TIMEOUT_SECONDS))
        print(
            f"{server_facts()}; aiosmtpd in a process of its own; {WORKERS} delivering threads or workers; "
            f"client, workers, SMTP server and database share this machine's {CORES} cores"
        )

        reference_rate = reference(server, args.emails)
        rate, delays = backlog(server, args.emails)
        print(f"\nReference (the floor of the time per email): plain smtplib, {args.emails:,} rendered emails over")
        print(
            f"  {WORKERS} connections, no database: {reference_rate:,.0f} emails/s = "
            f"{1000 / reference_rate:.2f} ms each"
        )
        print(
            f"\nBacklog: {args.emails:,} pending emails committed at once, delivery.deliver_due from {WORKERS} threads"
        )
        print(f"  {rate:,.0f} emails/s = {1000 / rate:.2f} ms each, {rate / reference_rate:.0%} of the reference rate")
        print(
            f"  commit → server: p50 {percentile(delays, 50):,.0f} ms, p95 {percentile(delays, 95):,.0f} ms, "
            f"max {max(delays):,.0f} ms (the queue's length: the last email waits for all before it)"
        )
        print("  each email arrived exactly once")
        trickle_delays: list[float] = []
        if args.trickle:
            trickle_delays = trickle(server, url, args.trickle, args.rate)
            print(
                f"\nTrickle: {args.trickle:,} emails, one commit each, {args.rate:g} commits/s, "
                f"delivered by {WORKERS} worker processes"
            )
            print("  (the commit queues the delivery job; a worker is woken by PostgreSQL's NOTIFY, then delivers)")
            print(
                f"  commit → server: p50 {percentile(trickle_delays, 50):,.0f} ms, "
                f"p95 {percentile(trickle_delays, 95):,.0f} ms, max {max(trickle_delays):,.0f} ms"
            )
            print("  each email arrived exactly once")
        engine.dispose()
    shutil.rmtree(FOLDER, ignore_errors=True)  # kept when the run fails: the workers' logs are there
    print(f"\nTotal {time.perf_counter() - started:.0f} s ({CORES} cores shared by client and server)\n")
    print(f"RESULT mail_outbox_reference emails_per_second={reference_rate:.0f}")
    print(
        f"RESULT mail_outbox emails_per_second={rate:.0f} p50_ms={percentile(delays, 50):.0f} "
        f"p95_ms={percentile(delays, 95):.0f}"
    )
    if trickle_delays:
        print(
            f"RESULT mail_outbox_trickle commits_per_second={args.rate:g} p50_ms={percentile(trickle_delays, 50):.0f} "
            f"p95_ms={percentile(trickle_delays, 95):.0f}"
        )


if __name__ == "__main__":
    main()
