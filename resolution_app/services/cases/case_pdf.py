"""The case PDF: the packet a creator sends to a card network in a chargeback, and the reviewer's copy of it.

It holds what the case page shows its reader (case_views.case_detail, customer_context), with thumbnails of the
image evidence. Internal notes are read only for a reviewer's copy, so the creator's copy can't hold them. The PDF is
written into a spooled temporary file (on disk past SPOOL_BYTES), then streamed from it in chunks; evidence images
are read one at a time and only their thumbnails are kept.
"""

import io
import logging
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Table, TableStyle
from sqlmodel import select

from resolution_app.domain.enums import DECISIONS, Party
from resolution_app.domain.errors import InvalidInput, NotFound
from resolution_app.domain.partial_refunds import payment_status_label
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.text import shortened
from resolution_app.infra import pdf
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.infra.storage import KeyNotFound
from resolution_app.infra.thumbnails import IMAGE_TYPES, thumbnail_jpeg
from resolution_app.models import Attachment, Payment, User
from resolution_app.services import files
from resolution_app.services.access import CASE_NOT_FOUND, require_case, require_reviewer
from resolution_app.services.cases import case_views
from resolution_app.services.cases.case_views import PARTY_NAMES, CaseDetail, ThreadItem
from resolution_app.services.creator.customer_context import CustomerContext, customer_context
from resolution_app.services.review.notes import NoteView, case_notes

CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 4 * 1024 * 1024  # a case's PDF is text and small thumbnails: in memory up to this, then on disk
PREVIEW_BOX = (42 * mm, 32 * mm)  # a thumbnail's size on the page
CELL_MAX_CHARS = 400  # a table row can't break across pages: cells are cut; the claim and messages are whole
TIME_FORMAT = "%Y-%m-%d %H:%M %Z"
MARGIN = 16 * mm
# The moves that settle something, and the words that came with them (a reviewer's rationale, a denial's reasons).
DECISION_KINDS = frozenset({d.value for d in DECISIONS} | {"accept", "deny", "auto_refund", "accept_offer"})
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CasePdf:
    file_name: str
    size: int
    chunks: Iterator[bytes]


@dataclass(frozen=True)
class _Evidence:
    name: str
    content_type: str
    size: int
    by: str
    added_at: datetime
    thumbnail: bytes | None
    missing: bool  # gone from storage


@dataclass(frozen=True)
class _Packet:
    detail: CaseDetail
    customer: CustomerContext
    payment_id: int
    payment_status: str
    evidence: list[_Evidence]
    notes: list[NoteView] | None  # None in a party's copy: never read for it
    reader: str
    party: Party


def case_pdf(user: User, case_id: int, party: Party, time_zone: str = "UTC") -> CasePdf:
    """The case as a PDF for `user` as `party`: a member of the case's business (CREATOR) or a reviewer (REVIEWER).
    NotFound for anyone else and for a buyer; InvalidInput for a time zone that doesn't exist. The PDF is written
    before this returns, so a refusal comes before any byte is sent."""
    if party not in (Party.CREATOR, Party.REVIEWER):
        raise NotFound(CASE_NOT_FOUND)
    zone = _zone(time_zone)
    packet = _packet(user, case_id, party)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the stream closes it
    try:
        _write(packet, zone, spool)
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return CasePdf(file_name=f"case-{packet.detail.summary.case_id}.pdf", size=size, chunks=_chunks(spool))


def _zone(name: str) -> ZoneInfo:
    """An IANA time zone by its name: only the names the system lists, never a path it would try to open."""
    name = name or "UTC"
    if name not in _known_zones():
        raise InvalidInput("Unknown time zone.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("Unknown time zone.") from None


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())  # reads the zone folder: once per process


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk


def _packet(user: User, case_id: int, party: Party) -> _Packet:
    detail = case_views.case_detail(user, case_id, party)  # authorizes: NotFound for anyone else
    customer = customer_context(user, case_id, party)
    with read() as session:
        case = require_case(session, user, case_id, party)
        payment = session.get(Payment, case.payment_id)
        attachments = list(
            session.exec(
                select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.created_at, Attachment.id)
            )
        )
        notes = None
        if party == Party.REVIEWER:
            require_reviewer(user)
            notes = case_notes(session, case.id)
    return _Packet(
        detail=detail,
        customer=customer,
        payment_id=payment.id,
        payment_status=payment_status_label(
            payment.status, payment.amount_minor, payment.refunded_minor, payment.currency
        ),
        evidence=[_evidence(a) for a in attachments],  # after the session: no connection held while storage reads
        notes=notes,
        reader=user.name,
        party=party,
    )


def _evidence(attachment: Attachment) -> _Evidence:
    """The file as listed; an image (by its sniffed type, within the upload limit) with its thumbnail."""
    thumbnail, missing = None, False
    if attachment.content_type in IMAGE_TYPES and attachment.size <= DEFAULT_POLICY.max_file_bytes:
        try:
            thumbnail = thumbnail_jpeg(files.get_store().open(attachment.storage_key))
        except KeyNotFound:
            log.error("Stored object %s of attachment %s is missing", attachment.storage_key, attachment.id)
            missing = True
    return _Evidence(
        name=attachment.display_name,
        content_type=attachment.content_type,
        size=attachment.size,
        by=PARTY_NAMES[Party(attachment.party)],
        added_at=attachment.created_at,
        thumbnail=thumbnail,
        missing=missing,
    )


# --- Layout -------------------------------------------------------------------------------------------------------


class _Writer:
    """The story of flowables, with the reader's time zone for every time in it."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.styles = pdf.styles()
        self.story: list[Flowable] = []

    def when(self, at: datetime | None) -> str:
        return at.astimezone(self.zone).strftime(TIME_FORMAT) if at else "—"

    def text(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(pdf.markup(text), self.styles[style])

    def add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)

    def paragraph(self, text: str, style: str = "body") -> None:
        self.add(self.text(text, style))

    def heading(self, text: str) -> None:
        self.paragraph(text, "h2")

    def facts(self, rows: list[tuple[str, str]]) -> None:
        """Label and value pairs, two columns."""
        cells = [
            [self.text(label, "head"), self.text(shortened(value, CELL_MAX_CHARS), "cell")] for label, value in rows
        ]
        self.add(_table(cells, [40 * mm, None], header=False))

    def table(self, header: list[str], rows: list[list[str | Flowable]], widths: list[float | None]) -> None:
        cells = [[self.text(h, "head") for h in header]]
        cells += [
            [c if isinstance(c, Flowable) else self.text(shortened(c, CELL_MAX_CHARS), "cell") for c in row]
            for row in rows
        ]
        self.add(_table(cells, widths, header=True))


def _table(cells: list[list], widths: list[float | None], *, header: bool) -> Table:
    frame_width = A4[0] - 2 * MARGIN
    fixed = sum(w for w in widths if w)
    flexible = [w for w in widths if not w]
    widths = [w or (frame_width - fixed) / len(flexible) for w in widths]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
    else:
        style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f4f4f4")))
    table.setStyle(TableStyle(style))
    return table


def _write(packet: _Packet, zone: ZoneInfo, out: IO[bytes]) -> None:
    d, c = packet.detail, packet.customer
    case_id = d.summary.case_id
    copy = "Reviewer's copy" if packet.party == Party.REVIEWER else "Creator's copy"
    w = _Writer(zone)
    w.paragraph(f"Case #{case_id}: {d.summary.reason}", "title")
    w.paragraph(f"{d.summary.business} · {d.summary.status_label}")
    zone_said = "UTC" if zone.key == "UTC" else f"{zone.key}, the time zone of the browser that asked for this file"
    w.paragraph(
        f"{copy}, prepared {w.when(clock.now())} for {packet.reader} by the Resolution Center. "
        f"All times are in {zone_said}.",
        "small",
    )
    if packet.notes is not None:
        w.paragraph(
            "Reviewer's copy: it contains the platform's internal notes (last section). Never send it to a buyer, "
            "a creator or a card network.",
            "warning",
        )

    w.heading("Case")
    case_facts = [
        ("Case", f"#{case_id}"),
        ("Status", d.summary.status_label),
        ("Reason", d.summary.reason),
        ("Amount claimed", d.summary.amount),
        ("Opened", w.when(d.summary.opened_at)),
    ]
    if d.summary.due_at:
        case_facts.append(("Due", w.when(d.summary.due_at)))
    if d.summary.resolved_at:
        case_facts.append(("Resolved", w.when(d.summary.resolved_at)))
    w.facts(case_facts)
    w.paragraph("The buyer's claim", "subhead")
    w.paragraph(d.description, "quote")

    w.heading("Parties")
    w.facts(
        [
            ("Buyer", c.name),
            ("Email", c.email),
            ("Username", c.username),
            ("Customer since", w.when(c.customer_since)),
            ("Claims on the platform", c.history.summary),
            *([("Frequent claimant", c.history.mark_note)] if c.history.frequent else []),
            ("Business", d.summary.business),
        ]
    )

    w.heading("Payment")
    w.facts(
        [
            ("Payment", f"#{packet.payment_id}"),
            ("Product", d.summary.product),
            ("Amount", d.summary.amount),
            ("Method", d.method),
            ("Paid", w.when(d.paid_at)),
            ("Status", packet.payment_status),
        ]
    )
    if d.money:
        w.paragraph("Money moved by this case", "subhead")
        for line in d.money:
            w.paragraph(f"{w.when(line.at)}: {line.text}")

    w.heading("Decisions")
    decisions = [item for item in d.thread if item.kind in DECISION_KINDS]
    if not decisions:
        w.paragraph("No decision yet.")
    for item in decisions:
        w.paragraph(f"{w.when(item.at)}: {item.who} {item.text}", "head")
        words = _words(item)
        w.paragraph(f"Rationale: {words}" if item.kind in {x.value for x in DECISIONS} else words or "—", "quote")

    w.heading("Timeline and messages")
    w.paragraph(f"Every move on the case and every message, oldest first ({len(d.thread)} entries).", "small")
    for item in d.thread:
        action = "wrote" if item.is_message else item.text
        w.paragraph(f"{w.when(item.at)} · {'Message' if item.is_message else 'Event'}", "meta")
        w.paragraph(f"{item.who} {action}", "head")
        if words := _words(item):
            w.paragraph(words, "quote")
        if item.files:
            names = ", ".join(f"{f.name} ({f.content_type}, {f.size})" for f in item.files)
            w.paragraph(f"Files: {names}", "small")

    w.heading("Files")
    if not packet.evidence:
        w.paragraph("No files.")
    else:
        w.table(
            ["Preview", "File", "Type", "Size", "From", "Added"],
            [_evidence_row(w, e) for e in packet.evidence],
            [PREVIEW_BOX[0] + 8, None, 30 * mm, 18 * mm, 16 * mm, 34 * mm],
        )

    w.heading("User logs")
    w.paragraph(
        f"What {c.name} did with {d.summary.business}: purchases, the legal documents they agreed to (the exact "
        "version), access and use. Entries about the disputed payment first.",
        "small",
    )
    if not c.logs:
        w.paragraph("No entries.")
    else:
        w.table(
            ["When", "Purchase", "What", "Legal document", "Detail"],
            [
                [
                    w.when(log.at),
                    log.product + (" (disputed)" if log.this_purchase else ""),
                    log.what,
                    log.document,
                    log.detail,
                ]
                for log in c.logs
            ],
            [34 * mm, 34 * mm, 34 * mm, 30 * mm, None],
        )

    w.heading(f"Payments with {d.summary.business}")
    w.table(
        ["Paid", "Product", "Amount", "Method", "Status", "Case"],
        [
            [
                w.when(p.paid_at),
                p.product,
                p.amount,
                p.method,
                p.status,
                ("this case" if p.this_case else f"#{p.case_id} {p.case_status}") if p.case_id else "",
            ]
            for p in c.payments
        ],
        [34 * mm, None, 20 * mm, 18 * mm, 24 * mm, 32 * mm],
    )

    if packet.notes is not None:
        w.heading("Internal notes (reviewers only)")
        w.paragraph("Written by the platform's reviewers for each other. Neither party ever sees them.", "warning")
        if not packet.notes:
            w.paragraph("No internal notes.")
        for note in packet.notes:
            w.paragraph(f"{w.when(note.at)}: {note.author}", "head")
            w.paragraph(note.body, "quote")

    footer = f"Case #{case_id} · {copy}"
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"Case #{case_id}",
        author="Resolution Center",
        subject=f"Case #{case_id}, {d.summary.business}: {copy.lower()}",
        creator="Resolution Center",
    )

    def on_page(canvas, document) -> None:  # noqa: ANN001 - ReportLab's callback
        canvas.saveState()
        canvas.setFont(pdf.FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, f"Page {document.page}")
        canvas.restoreState()

    doc.build(w.story, onFirstPage=on_page, onLaterPages=on_page)


def _words(item: ThreadItem) -> str:
    return "".join(part.text for part in item.body).strip()


def _evidence_row(w: _Writer, e: _Evidence) -> list[str | Flowable]:
    if e.thumbnail:
        preview: str | Flowable = _image(e.thumbnail)
    elif e.missing:
        preview = "Missing from storage"
    elif e.content_type in IMAGE_TYPES:
        preview = "No preview (too large or damaged)"
    else:
        preview = "—"
    return [preview, e.name, e.content_type, _size(e.size), e.by, w.when(e.added_at)]


def _image(jpeg: bytes) -> Image:
    """The thumbnail, fitted into PREVIEW_BOX with its proportions."""
    image = Image(io.BytesIO(jpeg))
    scale = min(PREVIEW_BOX[0] / image.imageWidth, PREVIEW_BOX[1] / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _size(size: int) -> str:
    for unit in ("bytes", "KB"):
        if size < 1024:
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MB"
