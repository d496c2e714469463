"""The case PDF (issue 15): what the packet holds, read back with pypdf; who may have it; the reviewer's internal
notes only in the reviewer's copy; image evidence as thumbnails; any text without a crash; memory bounded."""

import io
import os
import struct
import tracemalloc
import zlib
from datetime import timedelta

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlmodel import select

from resolution_app.domain.enums import MemberRole, Party
from resolution_app.domain.errors import InvalidInput, NotFound
from resolution_app.infra.db import transaction
from resolution_app.infra.evidence import IncomingFile
from resolution_app.models import Attachment, User
from resolution_app.services.cases import case_actions
from resolution_app.services.cases.case_pdf import case_pdf
from resolution_app.services.review import claims as review_claims
from resolution_app.services.review.notes import add_note
from tests.services.factories import PDF_BYTES, png_bytes
from tests.services.members import add_member, add_person, other_creator, seeded_business_id
from tests.services.review.flows import B, C, R, act, opened

SECRET = "INTERNAL-9c1e: the buyer's card was flagged twice this year."
RATIONALE = "The access log shows modules 4 to 6 were never opened."


def _pdf(user: User, case_id: int, party: Party, time_zone: str = "UTC") -> bytes:
    document = case_pdf(user, case_id, party, time_zone)
    data = b"".join(document.chunks)
    assert len(data) == document.size
    return data


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _flat(text: str) -> str:
    """The extracted text with every run of blanks and line breaks as one space (tables wrap their cells)."""
    return " ".join(text.split())


def _images(data: bytes) -> list[dict]:
    """The image XObjects the pages draw."""
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        objects = page["/Resources"].get("/XObject", {})
        found += [o.get_object() for o in objects.values() if o.get_object()["/Subtype"] == "/Image"]
    return found


def _jpeg(width: int = 800, height: int = 600, color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG")
    return out.getvalue()


def _upload(name: str, data: bytes) -> IncomingFile:
    return IncomingFile(filename=name, stream=io.BytesIO(data))


def _a_full_case(world, frozen_clock) -> int:
    """Opened, asked, answered with files, chatted, denied, escalated, noted by a reviewer and decided."""
    case_id = opened(world)
    act(world, world.creator, case_id, C, "request_more_info", "Which modules were empty?")
    frozen_clock.advance(timedelta(hours=2))
    act(
        world,
        world.buyer,
        case_id,
        B,
        "reply",
        "Modules 4 to 6, see the screenshot.",
        [_upload("empty.png", png_bytes(40, 30))],
    )
    frozen_clock.advance(timedelta(hours=1))
    case_actions.send_message(world.creator, case_id, C, "Those modules were published on Monday.")
    case_actions.send_message(
        world.buyer,
        case_id,
        B,
        "Here is my receipt and a photo.",
        [_upload("receipt.pdf", PDF_BYTES), _upload("photo.jpg", _jpeg())],
    )
    frozen_clock.advance(timedelta(minutes=5))
    act(world, world.creator, case_id, C, "deny", "Every module is in the course.")
    act(world, world.buyer, case_id, B, "escalate", "The modules are still placeholders.")
    review_claims.claim(world.reviewer, case_id)
    add_note(world.reviewer, case_id, SECRET)
    act(world, world.reviewer, case_id, R, "decide_refund", RATIONALE)
    return case_id


def test_the_creators_copy_holds_the_parties_payment_logs_timeline_messages_files_and_decisions(
    world, store, frozen_clock
):
    case_id = _a_full_case(world, frozen_clock)
    text = _flat(_text(_pdf(world.creator, case_id, C)))
    for expected in (
        f"Case #{case_id}: Product not as described",
        "Creator's copy",
        "All times are in UTC",
        # parties
        "Blair Buyer",
        "buyer@example.com",
        "Username buyer",
        "Business Pickaxe Academy",
        # payment
        "Product Redstone Masterclass",
        "Amount $19.00",
        "Method Card",
        "Paid 2026-11-12 12:00 UTC",
        "Status Refunded",
        "$19.00 refunded to the buyer's payment",
        # user logs with the legal versions agreed to
        "Agreed to the terms of service",
        "Terms of service v1",
        "Refund policy v1",
        "Bought access",
        # timeline and every message, with authors and times
        "Blair Buyer (buyer) opened the case",
        "Casey Creator (creator) asked for more information",
        "Which modules were empty?",
        "Modules 4 to 6, see the screenshot.",
        "Casey Creator (creator) wrote",
        "Those modules were published on Monday.",
        "Here is my receipt and a photo.",
        "2026-11-22 15:00 UTC",
        "Blair Buyer (buyer) escalated the case to the platform",
        # files, listed by name, type and size
        "empty.png image/png",
        "receipt.pdf application/pdf",
        "photo.jpg image/jpeg",
        # decisions with rationales
        "Casey Creator (creator) denied the claim",
        "Every module is in the course.",
        "Riley Reviewer (platform) decided: refund, paid by the creator",
        f"Rationale: {RATIONALE}",
    ):
        assert expected in text, expected
    assert text.count("Those modules were published on Monday.") == 1


def test_a_partial_refund_and_the_buyers_claims_on_the_platform_are_in_it(world, store, frozen_clock):
    case_id = opened(world)
    version = world.case(case_id).version
    case_actions.act(
        world.creator,
        case_id,
        C,
        "offer_partial_refund",
        expected_version=version,
        text="Half of modules 4 to 6 were published.",
        amount="8.00",
    )
    act(world, world.buyer, case_id, B, "accept_offer")
    text = _flat(_text(_pdf(world.creator, case_id, C)))
    assert "Resolved: partial refund" in text
    assert "Status Partially refunded ($8.00 of $19.00)" in text
    assert "Claims on the platform 1 claim in the last 12 months across the platform" in text


def test_the_creators_copy_never_holds_internal_notes_the_reviewers_copy_does(world, store, frozen_clock):
    case_id = _a_full_case(world, frozen_clock)
    add_note(world.reviewer2, case_id, SECRET + " (second look)")
    creator_copy = _pdf(world.creator, case_id, C)
    assert "INTERNAL-9c1e" not in _text(creator_copy)
    assert b"INTERNAL-9c1e" not in creator_copy  # nor anywhere in the file (metadata, uncompressed streams)
    assert "Internal notes" not in _text(creator_copy)

    reviewer_copy = _flat(_text(_pdf(world.reviewer2, case_id, R)))
    assert "Reviewer's copy: it contains the platform's internal notes" in reviewer_copy
    assert "Internal notes (reviewers only)" in reviewer_copy
    assert f"Riley Reviewer {SECRET}" in reviewer_copy
    assert f"Sam Second-Reviewer {SECRET} (second look)" in reviewer_copy
    assert f"Rationale: {RATIONALE}" in reviewer_copy


def test_a_team_member_who_only_reads_cases_may_download_it(world, store, frozen_clock):
    case_id = opened(world)
    viewer = add_member("viewer@example.com", MemberRole.VIEWER, seeded_business_id())
    assert f"Case #{case_id}" in _text(_pdf(viewer, case_id, C))


@pytest.mark.parametrize(
    ("who", "party"),
    [
        ("other business's owner", C),
        ("buyer", B),
        ("buyer", C),
        ("buyer", R),
        ("stranger", C),
        ("stranger", R),
        ("creator", R),  # a creator is no reviewer
        ("creator", B),
        ("reviewer", C),  # a reviewer gets the reviewer's copy, never a member's
    ],
)
def test_anyone_else_gets_not_found(world, store, frozen_clock, who, party):
    case_id = _a_full_case(world, frozen_clock)
    people = {
        "other business's owner": other_creator,
        "buyer": lambda: world.buyer,
        "stranger": lambda: add_person("stranger@example.com"),
        "creator": lambda: world.creator,
        "reviewer": lambda: world.reviewer,
    }
    with pytest.raises(NotFound, match="Case not found."):
        case_pdf(people[who](), case_id, party)


@pytest.mark.parametrize("case_id", [0, -1, 10**30, 999_999])
def test_a_case_that_does_not_exist_is_not_found(world, store, case_id):
    with pytest.raises(NotFound):
        case_pdf(world.creator, case_id, C)


def test_image_evidence_is_embedded_as_thumbnails_and_other_files_are_listed(world, store, frozen_clock):
    case_id = opened(world)
    case_actions.send_message(
        world.buyer,
        case_id,
        B,
        "Evidence.",
        [
            _upload("big.jpg", _jpeg(3000, 2000)),
            _upload("receipt.pdf", PDF_BYTES),
            _upload("tiny.png", png_bytes(8, 8)),
        ],
    )
    data = _pdf(world.creator, case_id, C)
    images = _images(data)
    assert len(images) == 2  # the JPEG and the PNG; the PDF file is listed, not drawn
    assert max(int(i["/Width"]) for i in images) <= 480  # thumbnails, not the 3000 px original
    text = _flat(_text(data))
    assert f"receipt.pdf application/pdf {len(PDF_BYTES)} bytes" in text
    assert "big.jpg image/jpeg" in text


def test_a_missing_or_undecodable_image_is_listed_without_a_preview(world, store, frozen_clock):
    case_id = opened(world)
    case_actions.send_message(
        world.buyer, case_id, B, "Two images.", [_upload("a.png", png_bytes()), _upload("b.jpg", _jpeg())]
    )
    with transaction() as session:
        first, second = session.exec(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id))
    store.delete(first.storage_key)
    with open(store.root / second.storage_key, "r+b") as stored:  # a damaged JPEG: its header, then nothing
        stored.truncate(20)
    data = _pdf(world.creator, case_id, C)
    assert _images(data) == []
    text = _flat(_text(data))
    assert "Missing from storage a.png" in text
    assert "No preview (too large or damaged) b.jpg" in text


def test_unicode_names_and_messages_never_crash_and_latin_1_reads_back(world, store, frozen_clock):
    with transaction() as session:
        buyer = session.get(User, world.buyer.id)
        buyer.name = "Zoë Ångström-Müller 山田太郎 Ωμέγα Привет 😀"
        session.add(buyer)
    case_id = opened(world)
    case_actions.send_message(
        world.buyer, case_id, B, "Crème brûlée à 5 €, naïve façade — «ß» ¿¡ 你好 <b>&amp;</b>\tend"
    )
    text = _text(_pdf(world.creator, case_id, C))
    assert "Zoë Ångström-Müller" in text
    assert "Crème brûlée à 5 €, naïve façade — «ß» ¿¡" in text
    assert "<b>&amp;</b>" in text  # written, not taken as markup
    assert "山田太郎" in text and "你好" in text  # in the fallback font, still in the text layer


def test_times_are_in_the_readers_time_zone_and_the_pdf_says_which(world, store, frozen_clock):
    case_id = opened(world)
    text = _flat(_text(_pdf(world.creator, case_id, C, "America/New_York")))
    assert "All times are in America/New_York, the time zone of the browser that asked for this file" in text
    assert "Opened 2026-11-22 07:00 EST" in text  # 12:00 UTC


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus", "../../etc/passwd", "x" * 300, "zone.tab", "America", "\x00", "\ud800"]
)
def test_an_unknown_time_zone_is_refused(world, store, zone):
    case_id = opened(world)
    with pytest.raises(InvalidInput, match="Unknown time zone."):
        case_pdf(world.creator, case_id, C, zone)


def test_three_50_mb_images_and_a_decompression_bomb_in_bounded_memory(world, store, frozen_clock):
    """Stored evidence is read in chunks, spooled and thumbnailed one image at a time: no file is ever held whole
    in Python's memory, and an image that would decode to gigabytes is listed without a preview."""
    case_id = opened(world)
    uploads = [_upload(f"huge-{n}.png", _noise_png()) for n in range(3)]
    assert all(len(upload.stream.getvalue()) > 48 * 1024 * 1024 for upload in uploads)
    case_actions.send_message(world.buyer, case_id, B, "Three big screenshots.", uploads)
    del uploads
    bombs = [
        _upload("bomb.png", _png_claiming(50_000, 50_000)),  # past Pillow's own limit: it refuses to open it
        _upload("too-big.png", _blank_png(7_000, 7_000)),  # a real image within Pillow's limit, past the thumbnailer's
    ]
    case_actions.send_message(world.buyer, case_id, B, "And these.", bombs)

    tracemalloc.start()
    try:
        data = _pdf(world.creator, case_id, C)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, peak
    assert len(_images(data)) == 3
    text = _flat(_text(data))
    assert "No preview (too large or damaged) bomb.png" in text
    assert "No preview (too large or damaged) too-big.png" in text


def _noise_png(side: int = 4096) -> bytes:
    """RGB noise, side x side: a PNG of ~48 MB at 4096 that doesn't compress, and different every time (the PDF
    would draw identical thumbnails as one image)."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG", compress_level=0)
    return out.getvalue()


def _blank_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height), 1).save(out, "PNG")  # one bit a pixel: small to make, 49 million to decode
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims `width` x `height` pixels: what a decompression bomb looks like to a
    decoder before it decodes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 100_000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
