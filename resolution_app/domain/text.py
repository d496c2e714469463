"""What text people may type: no control characters (NUL among them, which PostgreSQL refuses in text)."""

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None
