"""Webhooks: endpoints added by owners and managers, events written with the change they tell of, deliveries
signed, retried under the same webhook-id, logged, resent, and an endpoint that keeps failing turned off."""

import json
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import func, select

from resolution_app.domain import webhooks as rules
from resolution_app.domain.enums import MemberRole, Party
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.db import transaction
from resolution_app.infra.settings import get_settings
from resolution_app.models import Notification, WebhookDelivery, WebhookEndpoint, WebhookEvent
from resolution_app.services.cases import case_actions, claims
from resolution_app.services.developers import webhook_delivery, webhook_endpoints
from tests.services.factories import DESCRIPTION
from tests.services.members import add_member, other_creator, seeded_business_id
from tests.webhook_receiver import Receiver

ALL = list(rules.EVENT_TYPES)


@pytest.fixture
def private_urls(monkeypatch):
    monkeypatch.setattr(get_settings(), "webhook_allow_private_urls", True)


@pytest.fixture
def receiver(private_urls):
    started = Receiver().start()
    yield started
    started.stop()


def _endpoint(world, receiver: Receiver, events: list[str] = ALL) -> int:
    added = webhook_endpoints.add_endpoint(world.creator, receiver.url, events)
    receiver.secret = added.secret
    return added.endpoint_id


def _events() -> list[WebhookEvent]:
    with transaction() as session:
        return list(session.exec(select(WebhookEvent).order_by(WebhookEvent.id)))


def _deliveries() -> list[WebhookDelivery]:
    with transaction() as session:
        return list(session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_an_endpoint_s_secret_is_shown_once_and_its_url_checked(world, monkeypatch):
    made = webhook_endpoints.add_endpoint(world.creator, "https://93.184.215.14/hooks", [rules.CREATED])
    assert made.secret.startswith("whsec_") and len(made.secret) > 30
    (row,) = webhook_endpoints.webhooks_view(world.creator).endpoints
    assert (row.url, row.events, row.disabled) == ("https://93.184.215.14/hooks", [rules.CREATED], False)
    assert made.secret not in repr(webhook_endpoints.webhooks_view(world.creator))
    for url in ("http://127.0.0.1:9/hooks", "https://169.254.169.254/latest", "ftp://example.com", "not a url"):
        with pytest.raises(InvalidInput) as refused:
            webhook_endpoints.add_endpoint(world.creator, url, ALL)
        assert refused.value.field == "url" and refused.value.message
    for events in ([], ["resolution_center_case.deleted"], [rules.CREATED, "x"]):
        with pytest.raises(InvalidInput):
            webhook_endpoints.add_endpoint(world.creator, "https://93.184.215.14/hooks", events)
    assert len(webhook_endpoints.webhooks_view(world.creator).endpoints) == 1


def test_only_owners_and_managers_manage_endpoints_and_only_their_business_s(world, receiver):
    endpoint_id = _endpoint(world, receiver)
    viewer = add_member("viewer@example.com", MemberRole.VIEWER, seeded_business_id())
    with pytest.raises(Forbidden):
        webhook_endpoints.add_endpoint(viewer, receiver.url, ALL)
    assert webhook_endpoints.webhooks_view(viewer).may_manage is False
    stranger = other_creator()
    assert webhook_endpoints.webhooks_view(stranger).endpoints == []
    for attempt in (
        lambda: webhook_endpoints.remove_endpoint(stranger, endpoint_id),
        lambda: webhook_endpoints.enable_endpoint(stranger, endpoint_id),
        lambda: webhook_endpoints.delivery_log(stranger, endpoint_id),
    ):
        with pytest.raises(NotFound):
            attempt()
    world.open_claim()
    webhook_delivery.deliver_due()
    with pytest.raises(NotFound):
        webhook_endpoints.resend(stranger, _deliveries()[0].id)
    with pytest.raises(Forbidden):
        webhook_endpoints.remove_endpoint(viewer, endpoint_id)


def test_no_endpoint_no_event_and_a_change_rolled_back_takes_its_events_with_it(world, receiver, monkeypatch):
    world.open_claim(1)
    assert _events() == []
    _endpoint(world, receiver)

    def broken(*args: object) -> None:
        raise RuntimeError("the database went away midway")

    monkeypatch.setattr(claims, "respond_to_new_case", broken)  # after the case and its event are noted
    with pytest.raises(RuntimeError):
        world.open_claim()
    assert _events() == [] and _deliveries() == []
    monkeypatch.undo()
    monkeypatch.setattr(get_settings(), "webhook_allow_private_urls", True)
    world.open_claim()
    assert [event.type for event in _events()] == [rules.CREATED]


def test_an_opened_case_is_a_created_event_with_the_case_as_the_api_shows_it(world, receiver):
    _endpoint(world, receiver)
    case_id = world.open_claim()
    (event,) = _events()
    body = json.loads(event.body)
    assert set(body) == {"id", "type", "timestamp", "api_version", "company_id", "data"}
    assert (body["id"], body["type"], body["company_id"]) == (event.message_id, rules.CREATED, seeded_business_id())
    assert body["data"]["id"] == case_id and body["data"]["status"] == "merchant_response_needed"
    assert body["data"]["available_actions"] == ["accept", "deny", "request_info", "send_message"]
    assert body["data"]["description"] == DESCRIPTION
    assert [delivery.event_id for delivery in _deliveries()] == [event.id]


def test_accepting_is_an_update_and_a_decision_telling_what_changed(world, receiver):
    _endpoint(world, receiver)
    case_id = world.open_claim()
    case_actions.act(world.creator, case_id, Party.CREATOR, "accept", expected_version=world.case(case_id).version)
    created, updated, decided = (json.loads(event.body) for event in _events())
    assert (created["type"], updated["type"], decided["type"]) == (rules.CREATED, rules.UPDATED, rules.DECIDED)
    assert updated["previous_attributes"]["status"] == "merchant_response_needed"
    assert updated["previous_attributes"]["outcome"] is None and updated["data"]["outcome"] == "refund"
    assert updated["data"]["status"] == "customer_won" and decided["data"] == updated["data"]


def test_a_message_is_an_update_and_a_subscription_filters_events(world, receiver):
    _endpoint(world, receiver, [rules.UPDATED])
    case_id = world.open_claim()
    case_actions.send_message(world.creator, case_id, Party.CREATOR, "Could you say more?")
    (event,) = _events()
    body = json.loads(event.body)
    assert body["type"] == rules.UPDATED and body["previous_attributes"] == {"message_count": 0}
    assert body["data"]["messages"][0]["body"] == "Could you say more?"


def test_deliveries_are_signed_logged_and_resent_with_the_same_id(world, receiver):
    endpoint_id = _endpoint(world, receiver)
    world.open_claim()
    assert webhook_delivery.deliver_due().delivered == 1
    (got,) = receiver.received
    assert got.verified and got.webhook_id == _events()[0].message_id and got.body == _events()[0].body
    (logged,) = webhook_endpoints.delivery_log(world.creator, endpoint_id)
    assert (logged.status_code, logged.attempt, logged.event_type, logged.delivery_status) == (
        200,
        1,
        rules.CREATED,
        "delivered",
    )
    assert logged.latency_ms >= 0
    webhook_endpoints.resend(world.creator, logged.delivery_id)
    webhook_delivery.deliver_due()
    assert [item.webhook_id for item in receiver.received] == [got.webhook_id] * 2
    assert {item.body for item in receiver.received} == {got.body} and receiver.received[1].verified


def test_a_receiver_down_then_up_misses_nothing_and_each_id_has_one_payload(world, receiver, frozen_clock):
    _endpoint(world, receiver)
    receiver.stop()
    opened = [world.open_claim(which) for which in range(3)]
    report = webhook_delivery.deliver_due()
    assert (report.delivered, report.retried) == (0, 1)  # one try; the others wait behind it, untried
    assert [delivery.attempts for delivery in _deliveries()] == [1, 0, 0]
    frozen_clock.advance(DEFAULT_POLICY.webhook_retry_pauses[0])
    webhook_delivery.deliver_due()
    assert [delivery.attempts for delivery in _deliveries()] == [2, 0, 0]
    receiver.start()
    assert webhook_delivery.deliver_due().delivered == 0  # not due before its retry time
    frozen_clock.advance(DEFAULT_POLICY.webhook_retry_pauses[1])
    assert webhook_delivery.deliver_due().delivered == 3
    assert all(item.verified for item in receiver.received)
    assert sorted(receiver.ids()) == sorted(event.message_id for event in _events())
    assert [item.payload["data"]["id"] for item in receiver.received] == opened
    assert {delivery.status for delivery in _deliveries()} == {"delivered"}


def test_a_delivery_is_given_up_after_a_day_of_pauses(world, receiver, frozen_clock):
    _endpoint(world, receiver)
    receiver.answer = 500
    world.open_claim()
    for pause in DEFAULT_POLICY.webhook_retry_pauses:
        webhook_delivery.deliver_due()
        frozen_clock.advance(pause)
    assert sum(DEFAULT_POLICY.webhook_retry_pauses, timedelta()) >= timedelta(hours=24)
    webhook_delivery.deliver_due()
    (delivery,) = _deliveries()
    assert (delivery.status, delivery.attempts) == ("failed", len(DEFAULT_POLICY.webhook_retry_pauses) + 1)
    assert len(receiver.received) == delivery.attempts and len(set(receiver.ids())) == 1


def test_an_endpoint_failing_for_three_days_is_turned_off_and_its_owner_told(world, receiver, frozen_clock):
    endpoint_id = _endpoint(world, receiver)
    receiver.answer = 503
    world.open_claim()
    webhook_delivery.deliver_due()
    frozen_clock.advance(DEFAULT_POLICY.webhook_disable_after)
    world.open_claim(1)
    webhook_delivery.deliver_due()
    (row,) = webhook_endpoints.webhooks_view(world.creator).endpoints
    assert row.disabled
    with transaction() as session:
        told = session.exec(select(Notification).where(Notification.kind == rules.ENDPOINT_DISABLED)).all()
    assert [note.user_id for note in told] == [world.creator.id] and receiver.url in told[0].body
    tries = len(receiver.received)
    world.open_claim(2)
    frozen_clock.advance(timedelta(days=1))
    webhook_delivery.deliver_due()
    assert len(receiver.received) == tries  # off: nothing is sent, nothing new is queued for it
    receiver.answer = 200
    webhook_endpoints.enable_endpoint(world.creator, endpoint_id)
    assert webhook_delivery.deliver_due().delivered == 2  # what waited for it
    with transaction() as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id)
    assert endpoint.disabled_at is None and endpoint.failing_since is None


def test_a_slow_receiver_slows_no_other_endpoint(world, receiver, monkeypatch):
    monkeypatch.setattr(webhook_delivery, "DEFAULT_POLICY", replace(DEFAULT_POLICY, webhook_timeout_seconds=3))
    slow = Receiver(delay_seconds=5).start()
    try:
        _endpoint(world, receiver)
        slow.secret = webhook_endpoints.add_endpoint(world.creator, slow.url, ALL).secret
        world.open_claim()
        started = time.monotonic()
        worker = threading.Thread(target=webhook_delivery.deliver_due)
        worker.start()
        while not receiver.received and time.monotonic() - started < 3:
            time.sleep(0.02)
        assert receiver.received and time.monotonic() - started < 2  # while the slow one still hangs
        worker.join()
    finally:
        slow.stop()
    with transaction() as session:
        statuses = dict(session.exec(select(WebhookDelivery.endpoint_id, WebhookDelivery.status)).all())
    assert sorted(statuses.values()) == ["delivered", "pending"]


def test_a_removed_endpoint_gets_nothing_more(world, receiver):
    endpoint_id = _endpoint(world, receiver)
    webhook_endpoints.remove_endpoint(world.creator, endpoint_id)
    world.open_claim()
    webhook_delivery.deliver_due()
    assert receiver.received == [] and webhook_endpoints.webhooks_view(world.creator).endpoints == []
    with transaction() as session:
        assert session.exec(select(func.count()).select_from(WebhookEvent)).one() == 0
