"""The seeded demo world, and small helpers to reach into it from a test."""

import io
import struct
import zlib
from dataclasses import dataclass

from sqlmodel import select

from resolution_app.domain.enums import PaymentMethod
from resolution_app.infra.db import transaction
from resolution_app.infra.evidence import IncomingFile
from resolution_app.models import Case, Payment, User
from resolution_app.services.cases import claims


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    raw = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name: str = "proof.png") -> IncomingFile:
    return IncomingFile(filename=name, stream=io.BytesIO(png_bytes()))


def pdf(name: str = "receipt.pdf") -> IncomingFile:
    return IncomingFile(filename=name, stream=io.BytesIO(PDF_BYTES))


DESCRIPTION = "The course is missing the modules it advertised on the sales page."
# The seeded payments a claim can be opened on, as nobody has yet.
CLAIMABLE = [
    ("buyer@example.com", PaymentMethod.CARD, 1900),
    ("buyer@example.com", PaymentMethod.PAYPAL, 4900),
    ("lena@example.com", PaymentMethod.CARD, 9900),
    ("henry@example.com", PaymentMethod.PAYPAL, 1900),
]


@dataclass
class World:
    """Ways into the demo world, whose rows the `world` fixture puts in place."""

    def user(self, email: str) -> User:
        with transaction() as session:
            return session.exec(select(User).where(User.email == email)).one()

    @property
    def buyer(self) -> User:
        return self.user("buyer@example.com")

    @property
    def creator(self) -> User:
        return self.user("creator@example.com")

    @property
    def reviewer(self) -> User:
        return self.user("reviewer@example.com")

    @property
    def reviewer2(self) -> User:
        return self.user("reviewer2@example.com")

    def payment(self, email: str, method: PaymentMethod, amount_minor: int) -> Payment:
        with transaction() as session:
            return session.exec(
                select(Payment)
                .join(User, User.id == Payment.buyer_id)
                .where(User.email == email, Payment.method == method, Payment.amount_minor == amount_minor)
            ).one()

    def case(self, case_id: int) -> Case:
        with transaction() as session:
            return session.get(Case, case_id)

    def case_of(self, email: str) -> Case:
        with transaction() as session:
            return session.exec(select(Case).join(User, User.id == Case.buyer_id).where(User.email == email)).one()

    def open_claim(self, which: int = 0) -> int:
        """A claim on the `which`th of the seeded payments nobody has claimed yet (CLAIMABLE)."""
        email, method, amount = CLAIMABLE[which]
        payment = self.payment(email, method, amount)
        return claims.open_claim(self.user(email), payment.id, "not_as_described", DESCRIPTION, [])
