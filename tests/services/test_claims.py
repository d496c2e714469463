import io
import threading
from datetime import timedelta

import pytest
from sqlmodel import func, select

from resolution_app.domain.enums import CaseStatus, PaymentMethod, PaymentStatus
from resolution_app.domain.errors import InvalidInput, NotEligible, NotFound
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.infra.evidence import IncomingFile
from resolution_app.models import Attachment, Case, CaseEvent, Message, Notification, Refund
from resolution_app.services.buyers import purchases
from resolution_app.services.cases import claims
from resolution_app.services.demo_data import CASES as DEMO_CASES
from tests.services.factories import DESCRIPTION, pdf, png


def _count(model) -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _stored(store) -> int:
    return sum(1 for _ in store.root.iterdir())


def test_purchases_say_which_payments_can_be_claimed_and_why_not(world):
    rows = {(r.method, r.amount): r.refusal for r in purchases.list_purchases(world.buyer)}
    assert rows[("Card", "$19.00")] is None
    assert rows[("PayPal", "$49.00")] is None
    assert rows[("Klarna", "$199.00")] is None
    assert rows[("Crypto", "$99.00")] == "Crypto payments can't be claimed."
    assert rows[("Card", "$29.00")] == "This payment was refunded."
    assert rows[("Card", "$15.00")] == "This payment is more than 120 days old."


def test_open_claim_with_files_sets_deadline_event_and_notifies_creator(world, store):
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [png(), pdf()])
    case = world.case(case_id)
    assert case.status == CaseStatus.MERCHANT_RESPONSE_NEEDED
    assert case.due_at == clock.now() + timedelta(days=7)
    with transaction() as session:
        event = session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id)).one()
        files = session.exec(select(Attachment).where(Attachment.case_id == case_id)).all()
        notes = session.exec(select(Notification).where(Notification.case_id == case_id)).all()
    assert event.kind == "opened" and event.detail == DESCRIPTION
    assert sorted(f.content_type for f in files) == ["application/pdf", "image/png"]
    assert all(f.event_id == event.id for f in files)
    assert [n.user_id for n in notes] == [world.creator.id]
    assert _stored(store) == 2


def test_klarna_claim_is_refunded_at_once(world, store):
    payment = world.payment("buyer@example.com", PaymentMethod.KLARNA, 19900)
    case = world.case(claims.open_claim(world.buyer, payment.id, "product_unacceptable", DESCRIPTION, []))
    assert case.status == CaseStatus.CUSTOMER_WON and case.paid_out
    with transaction() as session:
        refund = session.exec(select(Refund).where(Refund.payment_id == payment.id)).one()
        events = [e.kind for e in session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id))]
    assert refund.amount_minor == 19900
    assert events == ["opened", "auto_refund"]
    assert world.payment("buyer@example.com", PaymentMethod.KLARNA, 19900).status == PaymentStatus.REFUNDED


def _exe(name: str = "invoice.png") -> IncomingFile:
    return IncomingFile(filename=name, stream=io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200))


class _Huge(io.RawIOBase):
    """51 MB that never sits in memory."""

    size = 51 * 1024 * 1024

    def __init__(self) -> None:
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        head = b"\x89PNG\r\n\x1a\n" if self.position == 0 else b""
        n = min(len(buffer), self.size - self.position)
        buffer[:n] = (head + b"\x00" * n)[:n]
        self.position += n
        return n


BAD_CLAIMS = [
    (
        "a fourth file",
        "card",
        1900,
        DESCRIPTION,
        lambda: [png("1.png"), png("2.png"), pdf("3.pdf"), png("4.png")],
        InvalidInput,
        "at most 3",
    ),
    ("a 51 MB file", "card", 1900, DESCRIPTION, lambda: [IncomingFile("big.png", _Huge())], InvalidInput, "50 MB"),
    ("an .exe renamed .png", "card", 1900, DESCRIPTION, lambda: [png(), _exe()], InvalidInput, "not an allowed"),
    ("an empty description", "card", 1900, "   ", lambda: [png()], InvalidInput, "at least 20"),
    ("5,001 characters", "card", 1900, "x" * 5001, lambda: [png()], InvalidInput, "too long"),
    ("a crypto payment", "crypto", 9900, DESCRIPTION, lambda: [png()], NotEligible, "Crypto"),
    ("a refunded payment", "card", 2900, DESCRIPTION, lambda: [png()], NotEligible, "refunded"),
    ("a too old payment", "card", 1500, DESCRIPTION, lambda: [png()], NotEligible, "120 days"),
]


@pytest.mark.parametrize(
    ("what", "method", "amount", "description", "uploads", "error", "message"),
    BAD_CLAIMS,
    ids=[c[0] for c in BAD_CLAIMS],
)
def test_bad_claims_are_refused_and_store_nothing(
    world, store, what, method, amount, description, uploads, error, message
):
    payment = world.payment("buyer@example.com", PaymentMethod(method), amount)
    with pytest.raises(error, match=message):
        claims.open_claim(world.buyer, payment.id, "not_as_described", description, uploads())
    assert _count(Case) == len(DEMO_CASES)  # the seeded ones only
    assert _count(Attachment) == 0
    assert _stored(store) == 0


def test_claim_on_someone_elses_payment_is_not_found(world, store):
    frank_payment = world.payment("frank@example.com", PaymentMethod.CARD, 1900)
    with pytest.raises(NotFound):
        claims.open_claim(world.buyer, frank_payment.id, "not_as_described", DESCRIPTION, [png()])
    with pytest.raises(NotFound):
        claims.claimable_payment(world.buyer, frank_payment.id)
    assert _stored(store) == 0


def test_second_claim_on_a_payment_is_refused(world, store):
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [])
    with pytest.raises(NotEligible, match="already has a case"):
        claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [png()])
    assert _stored(store) == 0


def test_unknown_reason_refused(world, store):
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    with pytest.raises(InvalidInput, match="reason"):
        claims.open_claim(world.buyer, payment.id, "because", DESCRIPTION, [])


def test_two_simultaneous_claims_make_exactly_one_case(world, store):
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    buyer, results, barrier = world.buyer, [], threading.Barrier(4)

    def claim() -> None:
        barrier.wait()
        try:
            results.append(claims.open_claim(buyer, payment.id, "not_as_described", DESCRIPTION, [png()]))
        except NotEligible as error:
            results.append(error)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    case_ids = [r for r in results if isinstance(r, int)]
    assert len(case_ids) == 1 and len(results) == 4
    assert _count(Case) == len(DEMO_CASES) + 1
    assert _stored(store) == 1  # the losers' files were removed again
    with transaction() as session:
        assert session.exec(select(func.count()).select_from(Message)).one() == 0


def test_control_characters_never_reach_the_database(world, store):
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    described = "Missing\x00 modules, as the page said."
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", described, [])
    assert world.case(case_id).description == "Missing modules, as the page said."
