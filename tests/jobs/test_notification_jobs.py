"""Notification jobs in real worker processes: email delivery from two workers at once sends each email once, to a
real SMTP server; deadline reminders run by both at once remind once per deadline."""

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from resolution_app.domain.enums import Party, PaymentMethod
from resolution_app.domain.notifications import REMINDER
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.models import Case, Notification, OutboundEmail
from resolution_app.services.cases import claims
from resolution_app.services.notifications import outbox, reminders
from resolution_app.services.notifications.outbox import DELIVER_TASK
from tests.conftest import NOW
from tests.jobs.conftest import WORKER, jobs, queue_jobs, wait_for
from tests.services.factories import DESCRIPTION
from tests.services.notifications.smtp_server import SmtpServer

BOTH = frozenset({Party.BUYER, Party.CREATOR})
REASON = "not_as_described"
EXTRA_JOBS = 6  # on top of the one the outbox queued: more deliveries at once than the two workers have slots for
# Every reminder run reads the due cases, then waits a little before reminding: all the runs at once then race for
# the same deadlines, and one worker can't have finished them all before the other starts.
SLOW_REMINDERS = """
import time
from resolution_app.services.notifications import reminders
due_case_ids = reminders.due_case_ids
def due_then_wait(now, limit=500):
    found = due_case_ids(now, limit)
    time.sleep(0.5)
    return found
reminders.due_case_ids = due_then_wait
from resolution_app.jobs.worker import main; main()
"""


def _workers_registered() -> int:
    with transaction() as session:
        return session.execute(text("SELECT count(*) FROM procrastinate_workers")).scalar_one()


def _emails() -> list[OutboundEmail]:
    with transaction() as session:
        return list(session.exec(select(OutboundEmail).order_by(OutboundEmail.id)))


def _settled(task_name: str) -> bool:
    return not {"todo", "doing"} & set(jobs(task_name))


def _start_two_workers(worker_process, monkeypatch, server: SmtpServer, script: str = WORKER) -> list:
    monkeypatch.setenv("SMTP_URL", server.url)  # the workers inherit this process's environment
    monkeypatch.setenv("SMTP_TIMEOUT_SECONDS", "5")
    workers = [worker_process(script), worker_process(script)]
    wait_for(lambda: _workers_registered() == 2, "both workers listening", workers)
    return workers


def _jobs_run_by_each(workers: list, task_name: str) -> list[int]:
    """How many jobs of the task each worker process started, from its log."""
    return [Path(worker.args[-1]).read_text().count(f"Starting job {task_name}[") for worker in workers]


def test_two_worker_processes_deliver_each_pending_email_exactly_once(world, worker_process, monkeypatch):
    with SmtpServer(delay=0.005) as server:
        workers = _start_two_workers(worker_process, monkeypatch, server)
        with transaction() as session:
            case_ids = list(session.exec(select(Case.id).order_by(Case.id)))
        for case_id in case_ids:  # 16 emails a case beside those the seeded world's cases queued
            with transaction() as session:  # one case a transaction, as every change is (the sweep runs meanwhile)
                case = session.exec(select(Case).where(Case.id == case_id).with_for_update()).one()
                for _ in range(8):
                    outbox.queue(session, case, BOTH, REMINDER, "Your deadline is near.", NOW)
        queue_jobs(DELIVER_TASK, EXTRA_JOBS)
        assert len(_emails()) > 16 * len(case_ids)
        wait_for(lambda: all(row.status == "sent" for row in _emails()), "every email sent", workers)
        wait_for(lambda: _settled(DELIVER_TASK), "deliveries finished", workers)
        rows = _emails()
        counts = Counter(server.message_ids())
        assert counts == Counter({row.message_id: 1 for row in rows})  # each once, none missing, none extra
        assert {row.attempts for row in rows} == {1}
        assert set(jobs(DELIVER_TASK)) == {"succeeded"}
        assert all(_jobs_run_by_each(workers, DELIVER_TASK)), "both workers delivered"


def _open_claims(world) -> list[int]:
    """Two claims of the demo buyer, opened now (by the test's clock), waiting on the creator."""
    return [
        claims.open_claim(world.buyer, world.payment("buyer@example.com", method, amount).id, REASON, DESCRIPTION, [])
        for method, amount in ((PaymentMethod.CARD, 1900), (PaymentMethod.PAYPAL, 4900))
    ]


def _reminders_of(case_id: int) -> list[Notification]:
    with transaction() as session:
        query = select(Notification).where(Notification.case_id == case_id, Notification.kind == REMINDER)
        return list(session.exec(query))


def test_reminders_run_by_two_worker_processes_at_once_remind_once_per_deadline(world, worker_process, monkeypatch):
    with clock.kept():  # the workers run on the real clock: the creator's 7 days end 12 hours from now
        clock.freeze(datetime.now(UTC) - DEFAULT_POLICY.creator_response_time + timedelta(hours=12))
        case_ids = _open_claims(world)
    with SmtpServer() as server:
        workers = _start_two_workers(worker_process, monkeypatch, server, SLOW_REMINDERS)
        queue_jobs("send_deadline_reminders", EXTRA_JOBS, args='{"timestamp": N}')
        wait_for(lambda: all(_reminders_of(case_id) for case_id in case_ids), "every deadline reminded", workers)
        wait_for(lambda: _settled("send_deadline_reminders"), "reminder runs finished", workers)
        wait_for(lambda: all(row.status == "sent" for row in _emails()), "every email sent", workers)
        wait_for(lambda: _settled(DELIVER_TASK), "deliveries finished", workers)
        for case_id in case_ids:
            (reminder,) = _reminders_of(case_id)  # one, to the creator, whose answer is due
            assert reminder.user_id == world.creator.id and reminder.party == Party.CREATOR
            case = world.case(case_id)
            assert case.reminded_due_at == case.due_at
        subjects = [received.message["Subject"] for received in server.received]
        for case_id in case_ids:
            reminded = [s for s in subjects if s.startswith("Reminder:") and f"case #{case_id} " in s]
            assert len(reminded) == 1, subjects
        assert Counter(server.message_ids()).most_common(1)[0][1] == 1
        assert sum(jobs("send_deadline_reminders").values()) > EXTRA_JOBS  # the periodic one too
        assert all(_jobs_run_by_each(workers, "send_deadline_reminders")), "both workers sent reminders"


def test_reminders_sent_from_two_threads_at_once_remind_once_per_deadline(world, frozen_clock, monkeypatch):
    case_ids = _open_claims(world)
    frozen_clock.advance(timedelta(days=6, hours=12))
    now = frozen_clock.now()
    due = reminders.due_case_ids(now)
    assert set(case_ids) <= set(due)
    both_read = threading.Barrier(2)
    due_case_ids = reminders.due_case_ids

    def due_then_wait(now, limit=500):  # both have read the same due cases before either reminds
        found = due_case_ids(now, limit)
        both_read.wait(timeout=10)
        return found

    monkeypatch.setattr(reminders, "due_case_ids", due_then_wait)
    sent: list[int] = []

    def worker() -> None:
        sent.append(reminders.send_due(now))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == len(due)  # each due deadline once, between the two
    for case_id in due:
        reminded = _reminders_of(case_id)
        assert reminded and len({n.user_id for n in reminded}) == len(reminded)  # one per person told
        assert world.case(case_id).reminded_due_at == world.case(case_id).due_at
    for case_id in case_ids:
        assert [n.user_id for n in _reminders_of(case_id)] == [world.creator.id]
    monkeypatch.setattr(reminders, "due_case_ids", due_case_ids)
    assert reminders.send_due(now) == 0
