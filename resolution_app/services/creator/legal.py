"""A business's terms of service and refund policy: numbered versions, written on the page or uploaded."""

import codecs
import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from resolution_app.domain.enums import LegalDocumentKind
from resolution_app.domain.errors import Conflict, InvalidInput, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.domain.policy import DEFAULT_POLICY, MB
from resolution_app.domain.text import written
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.infra.evidence import AcceptedFile, IncomingFile, display_name
from resolution_app.infra.sniff import HEAD_BYTES, detect_content_type
from resolution_app.models import LegalDocument, User, UserLog
from resolution_app.services import files
from resolution_app.services.access import membership
from resolution_app.services.creator.businesses import creator_business

PDF = "application/pdf"
PLAIN_TEXT = "text/plain"
DOCUMENT_NOT_FOUND = "Document not found."
SAVED_AT_SAME_TIME = "Someone saved a version of this document at the same time. Reload the page and try again."
# A second attempt reads the version the other save just wrote; needing a third would take three saves at once.
SAVE_ATTEMPTS = 2
# Control characters (C0, DEL, C1) other than tab, line feed, form feed and carriage return: binary, not text.
_BINARY_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_READ_BYTES = 64 * 1024


@dataclass(frozen=True)
class LegalDocumentView:
    document_id: int
    kind: str
    version: int
    created_at: datetime
    source: str  # the uploaded file's name, or "Written here"
    url: str  # a short-lived signed link


def list_documents(user: User) -> list[LegalDocumentView]:
    """Every version of both documents of the user's business, newest first within each kind."""
    with transaction() as session:
        business = creator_business(session, user)
        documents = session.exec(
            select(LegalDocument)
            .where(LegalDocument.business_id == business.id)
            .order_by(LegalDocument.kind, LegalDocument.version.desc())
        ).all()
    return [_view(document) for document in documents]


def add_text_version(user: User, kind: str, text: str) -> int:
    """Save text written on the page as the next version; returns its number."""
    chosen = _kind(kind)
    body = written(text).strip()
    if not body:
        raise InvalidInput("Write the document before saving it.")
    if len(body) > DEFAULT_POLICY.legal_text_max_chars:
        raise InvalidInput(f"A document can be at most {DEFAULT_POLICY.legal_text_max_chars:,} characters.")
    return _add_version(user, chosen, body_text=body)


def add_file_version(user: User, kind: str, upload: IncomingFile) -> int:
    """Store an uploaded PDF or plain text file as the next version; returns its number.

    The file is judged by its content, and nothing stays stored when it is refused or the save fails.
    """
    chosen = _kind(kind)
    with transaction() as session:  # refuse early, before the file is stored
        creator_business(session, user, acting=True)
    content_type = _document_type(upload)
    stored = files.get_store().put(upload.stream, content_type)
    accepted = AcceptedFile(
        key=stored.key,
        display_name=display_name(upload.filename),
        content_type=content_type,
        size=stored.size,
        sha256=stored.sha256,
    )
    with files.kept_on_success([accepted]):
        return _add_version(user, chosen, stored=accepted)


def document_link(user: User, document_id: int) -> str:
    """A short-lived link to one version, for members of its business, reviewers and buyers who agreed to it."""
    with transaction() as session:
        document = session.get(LegalDocument, document_id) if is_row_id(document_id) else None
        if document is None or not _may_see(session, user, document):
            raise NotFound(DOCUMENT_NOT_FOUND)
    return files.signed_legal_link(document_id)


def _may_see(session: Session, user: User, document: LegalDocument) -> bool:
    if user.is_reviewer or membership(session, user, document.business_id) is not None:
        return True
    agreed = select(UserLog.id).where(UserLog.legal_document_id == document.id, UserLog.user_id == user.id)
    return session.exec(agreed).first() is not None


def _view(document: LegalDocument) -> LegalDocumentView:
    return LegalDocumentView(
        document_id=document.id,
        kind=document.kind,
        version=document.version,
        created_at=document.created_at,
        source=document.display_name or "Written here",
        url=files.signed_legal_link(document.id),
    )


def _kind(value: str) -> LegalDocumentKind:
    if value not in LegalDocumentKind.__members__.values():
        raise InvalidInput("Unknown kind of document.")
    return LegalDocumentKind(value)


def _add_version(
    user: User, kind: LegalDocumentKind, *, body_text: str | None = None, stored: AcceptedFile | None = None
) -> int:
    """Insert the next version. Two saves at once may pick the same number: the unique (business, kind, version)
    refuses the second, which then tries again with the number after it."""
    for _ in range(SAVE_ATTEMPTS):
        try:
            with transaction() as session:
                business = creator_business(session, user, acting=True)
                version = _latest_version(session, business.id, kind) + 1
                session.add(
                    LegalDocument(
                        business_id=business.id,
                        kind=kind,
                        version=version,
                        body_text=body_text,
                        storage_key=stored.key if stored else None,
                        display_name=stored.display_name if stored else None,
                        content_type=stored.content_type if stored else PLAIN_TEXT,
                        created_at=clock.now(),
                        created_by=user.id,
                    )
                )
            return version
        except IntegrityError:
            continue
    raise Conflict(SAVED_AT_SAME_TIME)


def _latest_version(session: Session, business_id: int, kind: LegalDocumentKind) -> int:
    query = select(func.max(LegalDocument.version)).where(
        LegalDocument.business_id == business_id, LegalDocument.kind == kind
    )
    return session.exec(query).one() or 0


def _document_type(upload: IncomingFile) -> str:
    """PDF or plain text, judged by the bytes; InvalidInput for anything else, an empty or a too large file."""
    name = display_name(upload.filename)
    stream = upload.stream
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    if size == 0:
        raise InvalidInput(f"“{name}” is empty.")
    if size > DEFAULT_POLICY.max_file_bytes:
        raise InvalidInput(f"“{name}” is larger than {DEFAULT_POLICY.max_file_bytes // MB} MB.")
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if detect_content_type(head) == PDF:
        return PDF
    if _is_plain_text(stream):
        return PLAIN_TEXT
    raise InvalidInput(f"“{name}” is not a PDF or a plain text file.")


def _is_plain_text(stream: BinaryIO) -> bool:
    """UTF-8 throughout, with no control characters but line breaks and tabs. Leaves the stream rewound."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_READ_BYTES):
            if _BINARY_CHARACTER.search(decoder.decode(chunk)):
                return False
        return not _BINARY_CHARACTER.search(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
