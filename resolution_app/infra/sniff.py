"""What a file really is, judged by its first bytes (magic numbers), never by its name or the browser's word."""

import filetype

# filetype itself never looks further than 8 KiB, so reading more would only cost memory.
HEAD_BYTES = 8192

# The kinds of evidence we recognise, keyed by the MIME type filetype reports.
_RECOGNISED: dict[str, str] = {
    "image/png": "image/png",
    # An animated PNG is a valid PNG (same signature and chunks); filetype just names it separately.
    "image/apng": "image/png",
    "image/jpeg": "image/jpeg",
    "image/gif": "image/gif",
    "image/webp": "image/webp",
    "application/pdf": "application/pdf",
    "video/mp4": "video/mp4",
    "video/quicktime": "video/quicktime",
    "video/webm": "video/webm",
}


# The extensions a name may keep for each type; the first is the one a name gets when it has none of them.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    "video/mp4": (".mp4", ".m4v"),
    "video/quicktime": (".mov", ".qt"),
    "video/webm": (".webm",),
}


def detect_content_type(head: bytes) -> str | None:
    """The content type of a file starting with `head`, or None when it is not a kind we recognise.

    All of filetype's matchers run, in its order, so a format that merely resembles an allowed one
    (HEIC or AVIF share MP4's ftyp box, Matroska shares WebM's EBML header) is named for what it is
    and refused, rather than slipping through a narrower check.
    """
    kind = filetype.guess(bytes(head[:HEAD_BYTES]))
    if kind is None:
        return None
    return _RECOGNISED.get(kind.mime)
