"""Webhook rules: which events a change makes, and when a failed delivery is tried again."""

from datetime import datetime

from resolution_app.domain.enums import Outcome
from resolution_app.domain.policy import DEFAULT_POLICY, Policy

CREATED = "resolution_center_case.created"
UPDATED = "resolution_center_case.updated"
DECIDED = "resolution_center_case.decided"
EVENT_TYPES = (CREATED, UPDATED, DECIDED)
EVENT_LABELS = {CREATED: "Case opened", UPDATED: "Case updated", DECIDED: "Case decided"}
ENDPOINT_DISABLED = "webhook_disabled"  # the notification that tells owners an endpoint was turned off
SETTINGS_PATH = "/creator/settings/developers"  # where endpoints are managed


def events_of_change(*, opened: bool, outcome_before: str | None, outcome_after: str | None) -> list[str]:
    """The events one transaction's change of a case makes, in order. Every change is an update (or the opening);
    one that settles who gets the money — a refund, a credit, the creator winning, or a reviewer changing it on
    appeal — is a decision too. A buyer withdrawing is an update only: nobody decided anything."""
    found = [CREATED if opened else UPDATED]
    if outcome_after not in (None, Outcome.WITHDRAWN) and outcome_after != outcome_before:
        found.append(DECIDED)
    return found


def delivery_retry_at(attempts: int, now: datetime, policy: Policy = DEFAULT_POLICY) -> datetime | None:
    """When a delivery that failed its `attempts`-th try goes again; None once the pauses (over a day) are spent."""
    pauses = policy.webhook_retry_pauses
    return now + pauses[attempts - 1] if attempts <= len(pauses) else None


def should_disable(failing_since: datetime | None, now: datetime, policy: Policy = DEFAULT_POLICY) -> bool:
    """An endpoint that has failed every delivery for the policy's days is switched off."""
    return failing_since is not None and now - failing_since >= policy.webhook_disable_after
