"""Evidence intake: a submission is checked whole, and a refused or failed one leaves nothing stored."""

import hashlib
import io
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.policy import Policy
from resolution_app.infra.evidence import (
    AcceptedFile,
    IncomingFile,
    check_files,
    discard,
    display_name,
    store_files,
)
from resolution_app.infra.storage import LocalStore, StoredObject

from .samples import MB, exe_bytes, gif_bytes, mov_bytes, pdf_bytes, png_bytes

TYPES_HINT = "(PNG, JPEG, GIF, WebP, PDF, MP4, MOV or WebM)"


class Uploads:
    """Builds incoming files the way the app receives them, and closes them after the test."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.streams: list[BinaryIO] = []

    def file(self, filename: str, data: bytes) -> IncomingFile:
        # What Starlette hands Reflex: a SpooledTemporaryFile, rewound.
        stream = tempfile.SpooledTemporaryFile(max_size=MB)  # noqa: SIM115 (closed by close_all)
        stream.write(data)
        stream.seek(0)
        return self._track(filename, stream)  # type: ignore[arg-type]

    def sparse(self, filename: str, size: int) -> IncomingFile:
        """A file of `size` bytes that starts like a PNG, without `size` bytes in memory (or on disk)."""
        path = self.tmp_path / f"sparse-{len(self.streams)}.bin"
        with path.open("wb") as handle:
            handle.write(png_bytes())
            handle.truncate(size)
        return self._track(filename, path.open("rb"))

    def _track(self, filename: str, stream: BinaryIO) -> IncomingFile:
        self.streams.append(stream)
        return IncomingFile(filename, stream)

    def close_all(self) -> None:
        for stream in self.streams:
            stream.close()


@pytest.fixture
def uploads(tmp_path: Path) -> Iterator[Uploads]:
    made = Uploads(tmp_path)
    yield made
    made.close_all()


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "evidence")


def stored_count(store: LocalStore) -> int:
    # Every entry counts, half-written temp files included.
    return sum(1 for _ in store.root.iterdir())


class FailingOnSecondPut:
    """A LocalStore whose second put fails, like a disk filling up halfway through a submission."""

    def __init__(self, inner: LocalStore) -> None:
        self.inner = inner
        self.puts = 0

    def put(self, stream: BinaryIO, content_type: str) -> StoredObject:
        self.puts += 1
        if self.puts == 2:
            raise OSError("No space left on device")
        return self.inner.put(stream, content_type)

    def open(self, key: str) -> Iterator[bytes]:
        return self.inner.open(key)

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def exists(self, key: str) -> bool:
        return self.inner.exists(key)


class BrokenStream(io.BytesIO):
    """Starts like a valid PNG, then the read fails part-way (a dropped upload)."""

    def __init__(self) -> None:
        super().__init__(png_bytes() + b"\x00" * (3 * MB))
        self.reads = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        if self.reads > 3:  # size check and sniffing read the head; storing reads on
            raise ConnectionResetError("upload connection lost")
        return super().read(size)


# --- Accepting ----------------------------------------------------------------------------------------------------


def test_up_to_three_allowed_files_are_stored(uploads: Uploads, store: LocalStore) -> None:
    files = [
        uploads.file("screenshot.png", png_bytes()),
        uploads.file("receipt.pdf", pdf_bytes()),
        uploads.file("unboxing.MOV", mov_bytes()),
    ]

    accepted = store_files(store, files)

    assert [(item.display_name, item.content_type) for item in accepted] == [
        ("screenshot.png", "image/png"),
        ("receipt.pdf", "application/pdf"),
        ("unboxing.MOV", "video/quicktime"),
    ]
    for item, data in zip(accepted, [png_bytes(), pdf_bytes(), mov_bytes()], strict=True):
        assert (item.size, item.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert b"".join(store.open(item.key)) == data
    assert stored_count(store) == 3


def test_the_type_comes_from_the_content_not_the_name(uploads: Uploads, store: LocalStore) -> None:
    [accepted] = store_files(store, [uploads.file("photo.jpg", png_bytes())])
    assert accepted.content_type == "image/png"
    assert accepted.display_name == "photo.png"  # the name says what the file is, so it opens as what it is


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("report.html", "report.pdf"),
        ("scan", "scan.pdf"),
        ("RECEIPT.PDF", "RECEIPT.PDF"),
        ("invoice\u202eexe.pdf", "invoiceexe.pdf"),  # a right-to-left override would show "fdp.exe"-style tricks
        (".pdf", ".pdf"),
    ],
)
def test_the_shown_extension_follows_the_content(uploads: Uploads, store: LocalStore, filename: str, shown: str):
    [accepted] = store_files(store, [uploads.file(filename, pdf_bytes())])
    assert accepted.display_name == shown


def test_no_files_is_a_valid_submission(store: LocalStore) -> None:
    assert store_files(store, []) == []
    assert stored_count(store) == 0


def test_a_file_of_exactly_the_limit_is_accepted(uploads: Uploads, store: LocalStore) -> None:
    policy = Policy(max_file_bytes=1 * MB)
    [accepted] = store_files(store, [uploads.sparse("limit.png", 1 * MB)], policy)
    assert accepted.size == 1 * MB


def test_check_files_returns_detected_types_rewinds_and_stores_nothing(uploads: Uploads, store: LocalStore) -> None:
    files = [uploads.file("a.gif", gif_bytes()), uploads.file("b.pdf", pdf_bytes())]

    checked = check_files(files)

    assert [(item.filename, content_type) for item, content_type in checked] == [
        ("a.gif", "image/gif"),
        ("b.pdf", "application/pdf"),
    ]
    assert all(item.stream.tell() == 0 for item in files)
    assert stored_count(store) == 0


# --- Refusing: each refusal stores nothing ------------------------------------------------------------------------


def test_a_fourth_file_is_refused(uploads: Uploads, store: LocalStore) -> None:
    files = [uploads.file(f"photo{number}.png", png_bytes()) for number in range(4)]

    with pytest.raises(InvalidInput, match="^Attach at most 3 files.$"):
        store_files(store, files)

    assert stored_count(store) == 0


def test_a_51_mb_file_is_refused(uploads: Uploads, store: LocalStore) -> None:
    files = [uploads.file("fine.png", png_bytes()), uploads.sparse("huge.png", 51 * MB)]

    with pytest.raises(InvalidInput) as raised:
        store_files(store, files)

    assert raised.value.message == "“huge.png” is larger than 50 MB."
    assert stored_count(store) == 0


def test_one_byte_over_the_limit_is_refused(uploads: Uploads, store: LocalStore) -> None:
    policy = Policy(max_file_bytes=1 * MB)
    with pytest.raises(InvalidInput, match="is larger than 1 MB"):
        store_files(store, [uploads.sparse("over.png", 1 * MB + 1)], policy)
    assert stored_count(store) == 0


def test_an_exe_renamed_png_is_refused(uploads: Uploads, store: LocalStore) -> None:
    files = [uploads.file("receipt.pdf", pdf_bytes()), uploads.file("invoice.png", exe_bytes())]

    with pytest.raises(InvalidInput) as raised:
        store_files(store, files)

    assert raised.value.message == f"“invoice.png” is not an allowed file type {TYPES_HINT}."
    assert stored_count(store) == 0


def test_an_empty_file_is_refused(uploads: Uploads, store: LocalStore) -> None:
    with pytest.raises(InvalidInput) as raised:
        store_files(store, [uploads.file("screenshot.png", b"")])

    assert raised.value.message == "“screenshot.png” is empty."
    assert stored_count(store) == 0


def test_messages_show_the_sanitised_name(uploads: Uploads, store: LocalStore) -> None:
    with pytest.raises(InvalidInput) as raised:
        store_files(store, [uploads.file("../../evil\u202egnp.exe", exe_bytes())])
    assert raised.value.message.startswith("“evilgnp.exe” is not an allowed file type")


def test_messages_follow_the_policy(uploads: Uploads, store: LocalStore) -> None:
    policy = Policy(
        max_files_per_submission=2,
        max_file_bytes=2 * MB,
        allowed_content_types=frozenset({"image/png", "application/pdf"}),
    )
    three = [uploads.file(f"{number}.png", png_bytes()) for number in range(3)]
    with pytest.raises(InvalidInput, match="^Attach at most 2 files.$"):
        store_files(store, three, policy)
    with pytest.raises(InvalidInput, match="larger than 2 MB"):
        store_files(store, [uploads.sparse("big.png", 2 * MB + 1)], policy)
    with pytest.raises(InvalidInput, match=r"“cat.gif” is not an allowed file type \(PNG or PDF\)\.$"):
        store_files(store, [uploads.file("cat.gif", gif_bytes())], policy)
    assert stored_count(store) == 0


# --- Failing half-way ---------------------------------------------------------------------------------------------


def test_a_failure_storing_the_second_file_deletes_the_first(uploads: Uploads, store: LocalStore) -> None:
    failing = FailingOnSecondPut(store)
    files = [uploads.file("a.png", png_bytes()), uploads.file("b.pdf", pdf_bytes()), uploads.file("c.gif", gif_bytes())]

    with pytest.raises(OSError, match="No space left"):
        store_files(failing, files)

    assert failing.puts == 2
    assert stored_count(store) == 0


def test_a_stream_dying_mid_upload_leaves_nothing(uploads: Uploads, store: LocalStore) -> None:
    files = [uploads.file("a.png", png_bytes()), IncomingFile("b.png", BrokenStream())]

    with pytest.raises(ConnectionResetError):
        store_files(store, files)

    assert stored_count(store) == 0


def test_discard_deletes_what_was_stored(uploads: Uploads, store: LocalStore) -> None:
    accepted = store_files(store, [uploads.file("a.png", png_bytes()), uploads.file("b.pdf", pdf_bytes())])

    discard(store, accepted)
    discard(store, accepted)  # twice is harmless

    assert stored_count(store) == 0


def test_discard_carries_on_past_a_failed_delete(
    uploads: Uploads, store: LocalStore, caplog: pytest.LogCaptureFixture
) -> None:
    accepted = store_files(store, [uploads.file("a.png", png_bytes()), uploads.file("b.pdf", pdf_bytes())])
    first_key = accepted[0].key

    class FlakyDelete(FailingOnSecondPut):
        def delete(self, key: str) -> None:
            if key == first_key:
                raise OSError("storage unreachable")
            super().delete(key)

    with caplog.at_level(logging.WARNING):
        discard(FlakyDelete(store), accepted)

    assert store.exists(first_key) and not store.exists(accepted[1].key)
    assert first_key in caplog.text


def test_accepted_file_is_immutable() -> None:
    item = AcceptedFile(key="k" * 43, display_name="a.png", content_type="image/png", size=1, sha256="0" * 64)
    with pytest.raises(AttributeError):
        item.key = "other"  # type: ignore[misc]


# --- Display names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("receipt.pdf", "receipt.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Desktop\\proof.png", "proof.png"),
        ("/var/tmp/a.png", "a.png"),
        ("line\nbreak\ttab.png", "line break tab.png"),
        ("  lots   of\u00a0 spaces .png ", "lots of spaces .png"),
        ("bell\x07and\x00nul.png", "bellandnul.png"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override would show "invoiceexe.pdf"
        ("zero\u200bwidth.png", "zerowidth.png"),
        ("", "file"),
        ("   ", "file"),
        ("..", "file"),
        ("dir/", "file"),
        ("\x00\x01", "file"),
        ("Café.png", "Café.png"),
        ("スクリーンショット.png", "スクリーンショット.png"),
    ],
)
def test_display_name(filename: str, shown: str) -> None:
    assert display_name(filename) == shown


def test_long_display_names_keep_their_extension() -> None:
    shown = display_name("a" * 300 + ".jpeg")
    assert len(shown) == 120
    assert shown.endswith("a.jpeg")


def test_long_names_with_a_huge_pseudo_extension_are_just_cut() -> None:
    shown = display_name("report." + "x" * 300)
    assert len(shown) == 120
    assert shown.startswith("report.")


def test_display_name_composes_unicode() -> None:
    assert display_name("Cafe\u0301.png") == "Café.png"
