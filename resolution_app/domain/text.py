"""What text people may type: no control characters (NUL among them, which PostgreSQL refuses in text), and no
lone surrogates (half a character: a browser's JSON can carry "\\ud800", and no text with one can be stored)."""

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def written(text: str) -> str:
    """Text as a person meant it: invisible control characters (NUL, escapes, carriage returns) are dropped, line
    breaks and tabs kept. Harmless to strip, and PostgreSQL refuses NUL in text."""
    return CONTROL_CHARACTERS.sub(lambda found: found.group() if found.group() in "\n\t" else "", text)


# A link is http(s)://, then anything up to a blank or an angle bracket; trailing punctuation stays text.
LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'’”]", re.IGNORECASE)


def linked_parts(text: str) -> list[tuple[str, str]]:
    """`text` as runs of (text, url): url is set for an http or https link, and empty for plain text around it.

    Only these two schemes ever become links: "javascript:" and the like stay words on the screen.
    """
    parts, start = [], 0
    for found in LINK.finditer(text):
        if found.start() > start:
            parts.append((text[start : found.start()], ""))
        parts.append((found.group(), found.group()))
        start = found.end()
    if start < len(text) or not parts:
        parts.append((text[start:], ""))
    return parts


# What no header line may hold: C0 and C1 controls (line breaks among them), DEL, and lone surrogates.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def one_line(text: str, max_chars: int = 120) -> str:
    """Text safe for one line of a mail header (a subject, a display name): every control character, line breaks
    included, becomes a space, so nothing anyone types can start a header of its own (`\\r\\nBcc: …`)."""
    flat = " ".join(_NOT_IN_A_LINE.sub(" ", text).split())
    return shortened(flat, max_chars)


def shortened(text: str, max_chars: int) -> str:
    """`text`, cut at a word near `max_chars` with an ellipsis when it is longer."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    if " " in cut[max_chars // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"
