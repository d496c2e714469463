"""Evidence intake: check a whole submission of files, then store it, all or nothing.

Services call store_files() before their database transaction and discard() if that transaction fails,
so a refused or failed submission leaves no object behind.
"""

import io
import logging
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.policy import DEFAULT_POLICY, MB, Policy
from resolution_app.infra.sniff import EXTENSIONS, HEAD_BYTES, detect_content_type
from resolution_app.infra.storage import EvidenceStore

logger = logging.getLogger(__name__)

DISPLAY_NAME_MAX_CHARS = 120
_FALLBACK_NAME = "file"
# An extension longer than this is more likely part of the name than a real extension.
_MAX_EXTENSION_CHARS = 16

# How each allowed type is named in messages, in the order people expect to read them.
_TYPE_LABELS: dict[str, str] = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/pdf": "PDF",
    "video/mp4": "MP4",
    "video/quicktime": "MOV",
    "video/webm": "WebM",
}


@dataclass
class IncomingFile:
    filename: str
    stream: BinaryIO  # seekable: Reflex/Starlette hand over a SpooledTemporaryFile


@dataclass(frozen=True)
class AcceptedFile:
    key: str
    display_name: str
    content_type: str
    size: int
    sha256: str


# --- Names --------------------------------------------------------------------------------------------------------


def display_name(filename: str) -> str:
    """A name fit to show next to the file. It is never used to build a path or a storage key."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[/\\]", name)[-1]  # browsers on Windows may send C:\Users\...\photo.png
    name = " ".join("".join(_visible(char) for char in name).split())
    if not name.strip("."):
        return _FALLBACK_NAME
    return _shorten(name, DISPLAY_NAME_MAX_CHARS)


def named_for(name: str, content_type: str) -> str:
    """The name with an extension that says what the file is: `report.html` holding a PDF downloads as `report.pdf`."""
    extensions = EXTENSIONS.get(content_type)
    if not extensions or name.lower().endswith(extensions):
        return name
    return _shorten(os.path.splitext(name)[0] + extensions[0], DISPLAY_NAME_MAX_CHARS)


def _visible(char: str) -> str:
    if char.isspace():
        return " "  # tabs and line breaks become spaces, collapsed afterwards
    # Cc: control characters; Cf: invisible format characters such as the right-to-left override that
    # makes "gpj.exe" display as "exe.jpg".
    return "" if unicodedata.category(char) in {"Cc", "Cf"} else char


def _shorten(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    stem, extension = os.path.splitext(name)
    if not stem or len(extension) > _MAX_EXTENSION_CHARS:
        return name[:limit].rstrip()
    return stem[: limit - len(extension)].rstrip() + extension


# --- Checking -----------------------------------------------------------------------------------------------------


def check_files(files: Sequence[IncomingFile], policy: Policy = DEFAULT_POLICY) -> list[tuple[IncomingFile, str]]:
    """Validate every file of a submission, storing nothing. Returns each file with its detected content type.

    Raises InvalidInput naming the first problem. Every stream is left rewound to its start.
    """
    if len(files) > policy.max_files_per_submission:
        raise InvalidInput(f"Attach at most {policy.max_files_per_submission} files.", "files")
    return [(incoming, _check_file(incoming, policy)) for incoming in files]


def _check_file(incoming: IncomingFile, policy: Policy) -> str:
    name = display_name(incoming.filename)
    size = _stream_size(incoming.stream)
    if size > policy.max_file_bytes:
        raise InvalidInput(f"“{name}” is larger than {_megabytes(policy.max_file_bytes)} MB.", "files")
    if size == 0:
        raise InvalidInput(f"“{name}” is empty.", "files")
    content_type = _sniff(incoming.stream)
    if content_type is None or content_type not in policy.allowed_content_types:
        raise InvalidInput(f"“{name}” is not an allowed file type ({allowed_types_label(policy)}).", "files")
    return content_type


def _stream_size(stream: BinaryIO) -> int:
    # Seeking to the end measures a spooled upload without reading it.
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return size


def _sniff(stream: BinaryIO) -> str | None:
    try:
        return detect_content_type(stream.read(HEAD_BYTES))
    finally:
        stream.seek(0)


def _megabytes(byte_count: int) -> str:
    return f"{byte_count / MB:g}"


def allowed_types_label(policy: Policy = DEFAULT_POLICY) -> str:
    """'PNG, JPEG, … or WebM': the allowed types as people name them, for messages and the upload hint."""
    labels = [label for content_type, label in _TYPE_LABELS.items() if content_type in policy.allowed_content_types]
    labels += sorted(set(policy.allowed_content_types) - set(_TYPE_LABELS))  # a type added to policy without a label
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


# --- Storing ------------------------------------------------------------------------------------------------------


def store_files(
    store: EvidenceStore, files: Sequence[IncomingFile], policy: Policy = DEFAULT_POLICY
) -> list[AcceptedFile]:
    """Check the whole submission, then store each file. If any file fails to store, none stays stored."""
    checked = check_files(files, policy)
    accepted: list[AcceptedFile] = []
    try:
        for incoming, content_type in checked:
            accepted.append(_store_one(store, incoming, content_type))
    except BaseException:
        discard(store, accepted)
        raise
    return accepted


def _store_one(store: EvidenceStore, incoming: IncomingFile, content_type: str) -> AcceptedFile:
    stored = store.put(incoming.stream, content_type)
    return AcceptedFile(
        key=stored.key,
        display_name=named_for(display_name(incoming.filename), content_type),
        content_type=content_type,
        size=stored.size,
        sha256=stored.sha256,
    )


def discard(store: EvidenceStore, accepted: Sequence[AcceptedFile]) -> None:
    """Delete stored files whose submission did not go through.

    Best effort: a failed delete is logged, not raised, so it never hides the error that made us discard.
    The worst case is an unreferenced object, never a reference to a missing one.
    """
    for item in accepted:
        try:
            store.delete(item.key)
        except Exception:
            logger.warning("Could not delete discarded evidence object %s", item.key, exc_info=True)
