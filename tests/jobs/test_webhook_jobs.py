"""Webhook jobs: the change's own transaction queues the delivery, which a worker runs; two worker processes
delivering at once send each event once, signed, under its one webhook-id."""

from collections import Counter

import pytest

from resolution_app.domain.webhooks import CREATED, EVENT_TYPES
from resolution_app.infra.settings import get_settings
from resolution_app.services.developers import webhook_endpoints
from resolution_app.services.developers.webhook_events import DELIVER_TASK
from tests.jobs.conftest import jobs, queue_jobs, run_jobs_until_idle, wait_for
from tests.webhook_receiver import Receiver


@pytest.fixture
def receiver(monkeypatch):
    monkeypatch.setattr(get_settings(), "webhook_allow_private_urls", True)
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_URLS", "1")  # for the worker processes, which inherit the environment
    started = Receiver().start()
    yield started
    started.stop()


def _subscribe(world, receiver: Receiver) -> None:
    receiver.secret = webhook_endpoints.add_endpoint(world.creator, receiver.url, list(EVENT_TYPES)).secret


def test_opening_a_claim_queues_the_delivery_a_worker_runs(world, job_queue, receiver):
    _subscribe(world, receiver)
    case_id = world.open_claim()
    assert jobs(DELIVER_TASK) == {"todo": 1}
    run_jobs_until_idle()
    (got,) = receiver.received
    assert got.verified and got.payload["data"]["id"] == case_id
    assert set(jobs(DELIVER_TASK)) == {"succeeded"}  # the claim's job (and perhaps the minute's wake-up's)


def test_two_worker_processes_send_each_event_once(world, worker_process, receiver):
    _subscribe(world, receiver)
    opened = [world.open_claim(which) for which in range(4)]
    queue_jobs(DELIVER_TASK, 4)  # more deliveries at once than the one the claims queued
    workers = [worker_process(), worker_process()]
    # The workers' clock is the real one, weeks past the seeded deadlines: their sweeps expire cases too, and those
    # updates are events as well. The four openings are what this test counts.
    wait_for(lambda: receiver.types().count(CREATED) >= len(opened), "every opening delivered", workers)
    wait_for(lambda: "todo" not in jobs(DELIVER_TASK) and "doing" not in jobs(DELIVER_TASK), "jobs done", workers)
    assert all(item.verified for item in receiver.received)
    assert sorted(item.payload["data"]["id"] for item in receiver.received if item.payload["type"] == CREATED) == opened
    assert set(Counter(receiver.ids()).values()) == {1}
