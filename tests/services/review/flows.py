"""Cases brought to the platform through the real services, for the reviewer-portal tests, and what they hold.

Each helper opens its case on one of the demo buyer's own eligible payments, so a test only ever reads the cases
it made (the demo data around them may grow).
"""

import threading
from collections.abc import Callable

from sqlmodel import SQLModel, select

from resolution_app.domain.enums import Party, PaymentMethod
from resolution_app.domain.errors import DomainError
from resolution_app.infra.db import transaction
from resolution_app.models import CaseEvent, User
from resolution_app.services.cases import case_actions, claims
from resolution_app.services.review import claims as review_claims
from tests.services.factories import DESCRIPTION

B, C, R = Party.BUYER, Party.CREATOR, Party.REVIEWER
RATIONALE = "The buyer's screenshots show modules 4 to 6 empty on the day of purchase."
LOSER = {"decide_refund": C, "decide_credit": C, "decide_merchant_wins": B, "decide_partial_refund": C}


def act(
    world, user: User, case_id: int, party: Party, action: str, text: str = "", uploads=(), amount: str = ""
) -> None:
    """`action` on the case as it stands now (its current version)."""
    version = world.case(case_id).version
    case_actions.act(
        user, case_id, party, action, expected_version=version, text=text, uploads=list(uploads), amount=amount
    )


def opened(world, method: PaymentMethod = PaymentMethod.CARD, amount: int = 1900) -> int:
    """A new claim of the demo buyer, waiting on the creator."""
    payment = world.payment("buyer@example.com", method, amount)
    return claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [])


def escalated(world, method: PaymentMethod = PaymentMethod.CARD, amount: int = 1900) -> int:
    """A claim the creator denied and the buyer escalated: under platform review, unclaimed."""
    case_id = opened(world, method, amount)
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    act(world, world.buyer, case_id, B, "escalate", "Modules 4 to 6 are empty placeholders.")
    return case_id


def claimed(world, reviewer: User | None = None, **case) -> int:
    case_id = escalated(world, **case)
    review_claims.claim(reviewer or world.reviewer, case_id)
    return case_id


def decided(world, decision: str, reviewer: User | None = None, **case) -> int:
    """A first platform decision, by `reviewer` (the first demo reviewer unless told), its appeal window open."""
    reviewer = reviewer or world.reviewer
    case_id = claimed(world, reviewer, **case)
    act(world, reviewer, case_id, R, decision, RATIONALE, amount="8" if decision == "decide_partial_refund" else "")
    return case_id


def appealed(world, decision: str, **case) -> int:
    """A first decision appealed by the side it went against: back under review, unclaimed."""
    case_id = decided(world, decision, **case)
    loser = world.buyer if LOSER[decision] == B else world.creator
    act(world, loser, case_id, LOSER[decision], "appeal", "The first decision overlooked the changelog.")
    return case_id


def decide_appeal(world, case_id: int, decision: str, text: str = "On appeal: the changelog settles it.") -> None:
    """The second reviewer claims the appeal and decides it."""
    review_claims.claim(world.reviewer2, case_id)
    act(world, world.reviewer2, case_id, R, decision, text)


def rows_of(table: type[SQLModel], case_id: int) -> list:
    with transaction() as session:
        return list(session.exec(select(table).where(table.case_id == case_id).order_by(table.id)))


def event_kinds(case_id: int) -> list[str]:
    return [event.kind for event in rows_of(CaseEvent, case_id)]


def race(*attempts: Callable[[], None]) -> list[str]:
    """Run the attempts in threads released together; each outcome is "ok" or the refusal's class name."""
    outcomes: list[str] = [""] * len(attempts)
    start = threading.Barrier(len(attempts))

    def run(index: int, attempt: Callable[[], None]) -> None:
        start.wait()
        try:
            attempt()
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = type(error).__name__

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def acting(
    user: User, case_id: int, party: Party, action: str, version: int, text: str = "", amount: str = ""
) -> Callable[[], None]:
    """An action taken on the version the person saw, to be raced against another."""

    def attempt() -> None:
        case_actions.act(user, case_id, party, action, expected_version=version, text=text, amount=amount)

    return attempt
