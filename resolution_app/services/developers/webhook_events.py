"""Webhook events, written in the transaction of the change they tell of, by the same services the pages use.

A service notes the case before it changes it (`note_case`); just before that transaction commits, each noted case
becomes its events, rendered once as the API shows the case, with one delivery per subscribed endpoint and the
delivery job queued. Rolled back, the change takes its events with it; committed, nothing is lost.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, func
from sqlmodel import Session, select

from resolution_app.domain import webhooks as rules
from resolution_app.infra.job_queue import defer_with
from resolution_app.models import Case, Message, WebhookDelivery, WebhookEndpoint, WebhookEvent
from resolution_app.services.developers.case_resource import (
    API_VERSION,
    available_actions,
    case_resource,
    changing_fields,
)

DELIVER_TASK = "deliver_webhooks"  # jobs/webhooks.py
_NOTED = "webhook_cases"  # session.info: the cases noted in this transaction, by id
_ENDPOINTS = "webhook_endpoints"  # session.info: the endpoints taking events, by business


@dataclass(frozen=True)
class _Noted:
    """A case noted before its change: what it was, to tell what changed."""

    case: Case
    opened: bool
    before: dict  # its changing_fields before the change; {} for a case just opened
    now: datetime


def note_case(session: Session, case: Case, now: datetime, *, opened: bool = False) -> None:
    """Call before changing `case` in `session` (or once it is added, for a new one): its events are written as the
    transaction commits. Nothing is noted for a business without an endpoint."""
    noted = session.info.setdefault(_NOTED, {})
    if case.id in noted or not _endpoints(session, case.business_id):
        return
    if not noted:
        event.listen(session, "before_commit", _write_events, once=True)
    noted[case.id] = _Noted(case=case, opened=opened, before={} if opened else _tracked(session, case), now=now)


def _endpoints(session: Session, business_id: int) -> list[tuple[int, list[str]]]:
    """The business's endpoints that take events, once per transaction."""
    cache = session.info.setdefault(_ENDPOINTS, {})
    if business_id not in cache:
        cache[business_id] = list(
            session.exec(
                select(WebhookEndpoint.id, WebhookEndpoint.events).where(
                    WebhookEndpoint.business_id == business_id,
                    WebhookEndpoint.deleted_at.is_(None),
                    WebhookEndpoint.disabled_at.is_(None),
                )
            )
        )
    return cache[business_id]


def _tracked(session: Session, case: Case) -> dict:
    count = session.exec(select(func.count()).select_from(Message).where(Message.case_id == case.id)).one()
    return changing_fields(case, count)


def _write_events(session: Session) -> None:
    noted: dict[int, _Noted] = session.info.pop(_NOTED, {})
    wrote = False
    for item in noted.values():
        wrote |= _write_case_events(session, item)
    if wrote:
        defer_with(session, DELIVER_TASK)


def _write_case_events(session: Session, item: _Noted) -> bool:
    case, now = item.case, item.now
    data = case_resource(session, case, now, actions=available_actions(case, now, may_act=True), links_for=None)
    shown = data.model_dump(mode="json")
    changed = {name: was for name, was in item.before.items() if was != shown[name]}
    kinds = rules.events_of_change(
        opened=item.opened, outcome_before=item.before.get("outcome"), outcome_after=shown["outcome"]
    )
    wrote = False
    for kind in kinds:
        subscribed = [endpoint_id for endpoint_id, events in _endpoints(session, case.business_id) if kind in events]
        if not subscribed:
            continue
        message_id = f"msg_{uuid.uuid4().hex}"
        payload = {
            "id": message_id,
            "type": kind,
            "timestamp": now.isoformat(),
            "api_version": API_VERSION,
            "company_id": case.business_id,
            "data": shown,
        } | ({} if item.opened else {"previous_attributes": changed})
        sent = WebhookEvent(
            message_id=message_id,
            business_id=case.business_id,
            case_id=case.id,
            type=kind,
            body=json.dumps(payload, separators=(",", ":")),
            created_at=now,
        )
        session.add(sent)
        session.flush()
        session.add_all(
            WebhookDelivery(event_id=sent.id, endpoint_id=endpoint_id, next_attempt_at=now)
            for endpoint_id in subscribed
        )
        wrote = True
    return wrote
