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
