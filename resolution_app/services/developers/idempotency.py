"""Idempotent writes: a request repeated with the same Idempotency-Key gets the first answer and acts no more.

The first request claims the key with an insert that the unique (key, Idempotency-Key) pair lets through once, so of
two arriving at the same moment only one acts; the other waits for its answer. The answer is kept whatever it was,
errors included: a repeat never runs the action a second time, not even after a failure midway.
"""

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, text, update
from sqlmodel import select

from resolution_app.domain.errors import Conflict, InvalidInput
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.models import IdempotentRequest

KEY_MAX_CHARS = 255
WAIT_FOR_FIRST = 10.0  # seconds a repeat waits for the first request's answer before saying it is still running
POLL_SECONDS = 0.05
INTERRUPTED_AFTER = timedelta(minutes=2)  # no answer by then: the first request's worker died midway

_CLAIM = text(
    """
    INSERT INTO api_idempotent_request (api_key_id, idempotency_key, request_hash, created_at)
    VALUES (:key_id, :key, :hash, :now)
    ON CONFLICT (api_key_id, idempotency_key) DO NOTHING
    RETURNING id
    """
)


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: str  # the JSON text as first sent


def request_hash(method: str, path: str, body: object) -> str:
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(key_id: int, key: str, fingerprint: str) -> Answer | None:
    """None: this request is the first with `key` and must act, then `keep` its answer. Otherwise the first
    request's answer. InvalidInput for the key used with another request; Conflict while the first is unanswered."""
    if not 0 < len(key) <= KEY_MAX_CHARS or not key.isprintable():
        raise InvalidInput(f"An Idempotency-Key is 1 to {KEY_MAX_CHARS} printable characters.", field="idempotency_key")
    with read() as session:  # the insert commits at once: a concurrent repeat sees the claim
        claimed = session.execute(
            _CLAIM, {"key_id": key_id, "key": key, "hash": fingerprint, "now": clock.now()}
        ).first()
    if claimed is not None:
        return None
    deadline = time.monotonic() + WAIT_FOR_FIRST
    while True:
        first = _first(key_id, key)
        if first.request_hash != fingerprint:
            raise InvalidInput("This Idempotency-Key was used with another request. Use a new key for this one.")
        if first.status_code is not None:
            return Answer(first.status_code, first.response_body or "")
        if clock.now() - first.created_at > INTERRUPTED_AFTER:
            raise Conflict(
                "The first request with this Idempotency-Key was interrupted. Check the case before you "
                "try again with a new key."
            )
        if time.monotonic() > deadline:
            raise Conflict("The first request with this Idempotency-Key is still being answered. Try again shortly.")
        time.sleep(POLL_SECONDS)


def _first(key_id: int, key: str) -> IdempotentRequest:
    with read() as session:
        return session.exec(
            select(IdempotentRequest).where(
                IdempotentRequest.api_key_id == key_id, IdempotentRequest.idempotency_key == key
            )
        ).one()


def keep(key_id: int, key: str, answer: Answer) -> None:
    """The first request's answer, for its repeats."""
    with read() as session:
        session.execute(
            update(IdempotentRequest)
            .where(IdempotentRequest.api_key_id == key_id, IdempotentRequest.idempotency_key == key)
            .values(status_code=answer.status_code, response_body=answer.body)
        )


def forget_old() -> int:
    """Keys older than the policy's day are forgotten (a maintenance job)."""
    old = clock.now() - DEFAULT_POLICY.api_idempotency_kept
    with read() as session:
        return session.execute(delete(IdempotentRequest).where(IdempotentRequest.created_at < old)).rowcount
