"""Stored files and their download links.

A case's evidence is stored a submission at a time and linked to its case; short-lived signed links serve it, and
a business's legal documents too.
"""

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlmodel import Session, func, select

from resolution_app.domain.claims import check_file_room
from resolution_app.domain.enums import Party
from resolution_app.domain.errors import NotFound
from resolution_app.infra import signing
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read
from resolution_app.infra.evidence import AcceptedFile, IncomingFile, discard, store_files
from resolution_app.infra.settings import get_settings
from resolution_app.infra.storage import EvidenceStore, KeyNotFound, make_store
from resolution_app.models import Attachment, Case, LegalDocument, User
from resolution_app.services.access import can_see_case

_override: list[EvidenceStore] = []


@lru_cache
def _configured_store() -> EvidenceStore:
    return make_store(get_settings().storage_url)


def get_store() -> EvidenceStore:
    return _override[0] if _override else _configured_store()


def use_store(store: EvidenceStore | None) -> None:
    """Point every service at another store (tests)."""
    _override.clear()
    if store is not None:
        _override.append(store)


@contextmanager
def stored_evidence(files: Sequence[IncomingFile]) -> Iterator[list[AcceptedFile]]:
    """Check and store a submission's files; if what follows fails, the files go too."""
    with kept_on_success(store_files(get_store(), files) if files else []) as accepted:
        yield accepted


@contextmanager
def kept_on_success(accepted: list[AcceptedFile]) -> Iterator[list[AcceptedFile]]:
    """Files already stored for one submission: if what follows fails, they are deleted again."""
    try:
        yield accepted
    except BaseException:
        discard(get_store(), accepted)
        raise


def attach(
    session: Session,
    case: Case,
    accepted: Sequence[AcceptedFile],
    *,
    user: User,
    party: Party,
    now: datetime,
    event_id: int | None = None,
    message_id: int | None = None,
) -> None:
    """Link a submission's stored files to the case (locked by the caller, so two submissions can't both fit)."""
    require_room(session, case.id, len(accepted))
    for file in accepted:
        session.add(
            Attachment(
                case_id=case.id,
                event_id=event_id,
                message_id=message_id,
                uploaded_by=user.id,
                party=party,
                storage_key=file.key,
                display_name=file.display_name,
                content_type=file.content_type,
                size=file.size,
                sha256=file.sha256,
                created_at=now,
            )
        )


def require_room(session: Session, case_id: int, adding: int) -> None:
    """Refuse files that would take the case past its limit, counting every submission so far."""
    if adding:
        on_case = session.exec(select(func.count()).select_from(Attachment).where(Attachment.case_id == case_id))
        check_file_room(on_case.one(), adding)


@dataclass(frozen=True)
class Download:
    display_name: str
    content_type: str
    size: int | None  # None when only the store knows it
    chunks: Iterator[bytes]


ATTACHMENT_LINK = "attachment"
LEGAL_LINK = "legal"
BAD_LINK = "This link has expired or is not valid."
log = logging.getLogger(__name__)
FILE_NOT_FOUND = "File not found."
FILE_MISSING = "This file can't be found in storage any more. The platform has been told."


def signed_link(attachment_id: int, viewer: User, party: Party) -> str:
    """Mint the link for `viewer`, who has been checked to see the file as `party`; each use checks it again."""
    return _signed(ATTACHMENT_LINK, f"{attachment_id}:{viewer.id}:{Party(party).value}")


def signed_legal_link(document_id: int) -> str:
    """Mint a link to a legal document version; only for callers that have checked the user may see it."""
    return _signed(LEGAL_LINK, document_id)


def _signed(kind: str, subject: int | str) -> str:
    settings = get_settings()
    expires = clock.now() + timedelta(seconds=settings.download_link_seconds)
    token = signing.sign(f"{kind}:{subject}", settings.signing_secret, expires)
    return f"{settings.public_api_url}/api/files/{token}"


def open_download(token: str) -> Download:
    """The file a signed link names; NotFound for a bad, expired or unknown link."""
    try:
        payload = signing.verify(token, get_settings().signing_secret, clock.now())
    except signing.BadSignature:
        raise NotFound(BAD_LINK) from None
    kind, _, subject = payload.partition(":")
    opener = _OPENERS.get(kind)
    if opener is None:
        raise NotFound(BAD_LINK)
    return opener(subject)


def _attachment_download(subject: str) -> Download:
    """The file, if the person the link was made for may still see its case (access lost means the link is dead)."""
    raw_id, raw_user, raw_party = (subject.split(":") + ["", ""])[:3]
    if not (raw_id.isdigit() and raw_user.isdigit()) or raw_party not in Party.__members__.values():
        raise NotFound(BAD_LINK)
    with read() as session:
        attachment = session.get(Attachment, int(raw_id))
        case = session.get(Case, attachment.case_id) if attachment else None
        viewer = session.get(User, int(raw_user))
        if (
            attachment is None
            or case is None
            or viewer is None
            or not can_see_case(session, viewer, case, Party(raw_party))
        ):
            raise NotFound(FILE_NOT_FOUND)
    return Download(
        display_name=attachment.display_name,
        content_type=attachment.content_type,
        size=attachment.size,
        chunks=_stored(attachment.storage_key),
    )


def _legal_download(subject: str) -> Download:
    """A stored legal file as it was uploaded, or a version written on the page as a text file."""
    if not subject.isdigit():
        raise NotFound(BAD_LINK)
    with read() as session:
        document = session.get(LegalDocument, int(subject))
    if document is None:
        raise NotFound(FILE_NOT_FOUND)
    name = document.display_name or f"{document.kind}-v{document.version}.txt"
    if document.storage_key:
        chunks = _stored(document.storage_key)
        return Download(display_name=name, content_type=document.content_type, size=None, chunks=chunks)
    body = (document.body_text or "").encode()
    return Download(display_name=name, content_type="text/plain", size=len(body), chunks=iter([body]))


def _stored(key: str) -> Iterator[bytes]:
    """The stored object's bytes. One that is gone (lost by the store, removed by hand) is "not found", and logged."""
    try:
        return get_store().open(key)
    except KeyNotFound:
        log.error("Stored object %s is missing from %r", key, get_store())
        raise NotFound(FILE_MISSING) from None


_OPENERS: dict[str, Callable[[str], Download]] = {
    ATTACHMENT_LINK: _attachment_download,
    LEGAL_LINK: _legal_download,
}
