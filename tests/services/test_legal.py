import io
import threading

import pytest
from sqlmodel import func, select

from resolution_app.domain.enums import LegalDocumentKind, MemberRole
from resolution_app.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from resolution_app.infra.db import transaction
from resolution_app.infra.evidence import IncomingFile
from resolution_app.models import LegalDocument
from resolution_app.services import files
from resolution_app.services.creator import legal
from tests.services.factories import PDF_BYTES, pdf, png
from tests.services.members import add_member, add_person, other_creator, seeded_business_id

TERMS, POLICY = LegalDocumentKind.TERMS_OF_SERVICE.value, LegalDocumentKind.REFUND_POLICY.value
NEW_POLICY = "Refunds are considered within 30 days of purchase."


def _versions(user, kind: str) -> list[int]:
    return [d.version for d in legal.list_documents(user) if d.kind == kind]


def _document_count() -> int:
    with transaction() as session:
        return session.exec(select(func.count()).select_from(LegalDocument)).one()


def _stored(store) -> int:
    return sum(1 for _ in store.root.iterdir())


def _download(url: str) -> tuple[str, bytes]:
    download = files.open_download(url.rsplit("/", 1)[1])
    return download.content_type, b"".join(download.chunks)


def _seeded(kind: str) -> int:
    with transaction() as session:
        return session.exec(select(LegalDocument.id).where(LegalDocument.kind == kind)).one()


def test_text_versions_count_up_per_document_newest_first(world, store):
    assert legal.add_text_version(world.creator, POLICY, NEW_POLICY) == 2
    assert legal.add_text_version(world.creator, POLICY, "Version three.") == 3
    assert _versions(world.creator, POLICY) == [3, 2, 1]
    assert _versions(world.creator, TERMS) == [1]
    newest = legal.list_documents(world.creator)[0]
    assert newest.kind == POLICY and newest.source == "Written here"
    assert _download(newest.url) == ("text/plain", b"Version three.")


def test_a_pdf_upload_is_stored_and_served_as_it_was_uploaded(world, store):
    assert legal.add_file_version(world.creator, TERMS, pdf("terms-2026.pdf")) == 2
    newest = next(d for d in legal.list_documents(world.creator) if d.kind == TERMS)
    assert (newest.version, newest.source) == (2, "terms-2026.pdf")
    assert _download(newest.url) == ("application/pdf", PDF_BYTES)
    assert _stored(store) == 1


def test_a_plain_text_upload_is_accepted(world, store):
    text = "Refund policy\n\nRefunds within 30 days — café owners included.\r\n".encode()
    legal.add_file_version(world.creator, POLICY, IncomingFile("policy.txt", io.BytesIO(text)))
    newest = next(d for d in legal.list_documents(world.creator) if d.kind == POLICY)
    assert _download(newest.url) == ("text/plain", text)


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (IncomingFile("terms.pdf", io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)), "“terms.pdf” is not a PDF or a plain"),
        (png("terms.png"), "“terms.png” is not a PDF or a plain text file."),  # fine as evidence, not as terms
        (IncomingFile("notes.txt", io.BytesIO(b"caf\xe9 latin-1")), "“notes.txt” is not a PDF or a plain text file."),
        (IncomingFile("empty.pdf", io.BytesIO(b"")), "“empty.pdf” is empty."),
    ],
)
def test_anything_but_pdf_or_text_is_refused_and_nothing_is_stored(world, store, upload, error):
    with pytest.raises(InvalidInput) as refused:
        legal.add_file_version(world.creator, TERMS, upload)
    assert refused.value.message.startswith(error)
    assert _stored(store) == 0
    assert _versions(world.creator, TERMS) == [1]


@pytest.mark.parametrize(
    ("kind", "text", "error"),
    [
        ("privacy_policy", NEW_POLICY, "Unknown kind of document."),
        (POLICY, "   \n ", "Write the document before saving it."),
        (POLICY, "x" * 100_001, "A document can be at most 100,000 characters."),
    ],
)
def test_bad_text_versions_are_refused(world, store, kind, text, error):
    with pytest.raises(InvalidInput, match=error):
        legal.add_text_version(world.creator, kind, text)
    assert _document_count() == 2


def test_team_roles_decide_who_adds_versions(world, store):
    business_id = seeded_business_id()
    viewer = add_member("viewer@example.com", MemberRole.VIEWER, business_id)
    manager = add_member("manager@example.com", MemberRole.MANAGER, business_id)
    assert _versions(viewer, TERMS) == [1]
    with pytest.raises(Forbidden):
        legal.add_text_version(viewer, TERMS, NEW_POLICY)
    with pytest.raises(Forbidden):
        legal.add_file_version(viewer, TERMS, pdf())
    assert legal.add_text_version(manager, TERMS, NEW_POLICY) == 2
    assert _stored(store) == 0


def test_people_outside_the_business_see_and_add_nothing(world, store):
    for outsider in (world.buyer, world.reviewer):
        with pytest.raises(NotFound):
            legal.list_documents(outsider)
        with pytest.raises(NotFound):
            legal.add_text_version(outsider, TERMS, NEW_POLICY)
    stranger = other_creator()
    assert legal.list_documents(stranger) == []
    assert legal.add_text_version(stranger, TERMS, NEW_POLICY) == 1  # the first version of their own terms
    assert _versions(world.creator, TERMS) == [1]


def test_document_link_for_members_reviewers_and_buyers_who_agreed(world, store):
    agreed = _seeded(TERMS)
    legal.add_text_version(world.creator, TERMS, "Version two, which nobody agreed to yet.")
    newer = next(d.document_id for d in legal.list_documents(world.creator) if d.version == 2)
    viewer = add_member("viewer@example.com", MemberRole.VIEWER, seeded_business_id())
    for user in (world.creator, viewer, world.reviewer, world.buyer):
        assert _download(legal.document_link(user, agreed))[0] == "text/plain"
    with pytest.raises(NotFound):
        legal.document_link(world.buyer, newer)  # they agreed to v1, not to this one
    for stranger in (other_creator(), add_person("stranger@example.com")):
        with pytest.raises(NotFound):
            legal.document_link(stranger, agreed)
    with pytest.raises(NotFound):
        legal.document_link(world.creator, 999_999)


def test_concurrent_saves_get_distinct_versions(world, store):
    barrier = threading.Barrier(2)
    versions: list[int] = []

    def save(text: str) -> None:
        barrier.wait()
        versions.append(legal.add_text_version(world.creator, POLICY, text))

    threads = [threading.Thread(target=save, args=(text,)) for text in ("Version A.", "Version B.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(versions) == [2, 3]
    assert _versions(world.creator, POLICY) == [3, 2, 1]


def test_a_save_that_lost_the_race_retries_with_the_next_number(world, store, monkeypatch):
    real = legal._latest_version
    calls: list[int] = []

    def stale_once(session, business_id, kind):
        calls.append(1)
        # The first attempt reads the number before the other save's: its insert hits the unique constraint.
        return real(session, business_id, kind) - (1 if len(calls) == 1 else 0)

    monkeypatch.setattr(legal, "_latest_version", stale_once)
    assert legal.add_file_version(world.creator, TERMS, pdf()) == 2
    assert len(calls) == 2 and _stored(store) == 1


def test_a_save_that_keeps_losing_reports_it_and_keeps_no_file(world, store, monkeypatch):
    monkeypatch.setattr(legal, "_latest_version", lambda session, business_id, kind: 0)
    with pytest.raises(Conflict, match="at the same time"):
        legal.add_file_version(world.creator, TERMS, pdf())
    assert _stored(store) == 0
    assert _versions(world.creator, TERMS) == [1]
