"""Evidence files of a case: storing a submission, linking it to the case, and minting download links."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlmodel import Session

from resolution_app.domain.enums import Party
from resolution_app.domain.errors import NotFound
from resolution_app.infra import signing
from resolution_app.infra.clock import clock
from resolution_app.infra.db import transaction
from resolution_app.infra.evidence import AcceptedFile, IncomingFile, discard, store_files
from resolution_app.infra.settings import get_settings
from resolution_app.infra.storage import EvidenceStore, make_store
from resolution_app.models import Attachment, Case, User
from resolution_app.services.access import require_case

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
    store = get_store()
    accepted = store_files(store, files) if files else []
    try:
        yield accepted
    except BaseException:
        discard(store, accepted)
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


@dataclass(frozen=True)
class Download:
    display_name: str
    content_type: str
    size: int
    chunks: Iterator[bytes]


def _token_payload(attachment_id: int) -> str:
    return f"attachment:{attachment_id}"


def download_link(user: User, attachment_id: int, party: Party) -> str:
    """A short-lived link to one file, for a user who may see its case."""
    with transaction() as session:
        attachment = session.get(Attachment, attachment_id)
        if attachment is None:
            raise NotFound("File not found.")
        require_case(session, user, attachment.case_id, party)
    return signed_link(attachment_id)


def signed_link(attachment_id: int) -> str:
    """Mint the link; only for callers that have checked the user may see the file."""
    settings = get_settings()
    expires = clock.now() + timedelta(seconds=settings.download_link_seconds)
    token = signing.sign(_token_payload(attachment_id), settings.signing_secret, expires)
    return f"{settings.public_api_url}/api/files/{token}"


def open_download(token: str) -> Download:
    """The file a signed link names; NotFound for a bad, expired or unknown link."""
    try:
        payload = signing.verify(token, get_settings().signing_secret, clock.now())
    except signing.BadSignature:
        raise NotFound("This link has expired or is not valid.") from None
    kind, _, raw_id = payload.partition(":")
    if kind != "attachment" or not raw_id.isdigit():
        raise NotFound("This link has expired or is not valid.")
    with transaction() as session:
        attachment = session.get(Attachment, int(raw_id))
    if attachment is None:
        raise NotFound("File not found.")
    return Download(
        display_name=attachment.display_name,
        content_type=attachment.content_type,
        size=attachment.size,
        chunks=get_store().open(attachment.storage_key),
    )
