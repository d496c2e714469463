"""Saved replies: a creator's named texts with placeholders, filled in from a case when inserted into the composer.

A placeholder is one of PLACEHOLDERS in braces, `{buyer_name}`. A brace meant as a brace is written twice, `{{` or
`}}`, as in Python's format strings. Anything else in braces, or a brace left alone, is refused when the reply is
saved, so filling a saved reply never meets a surprise.

Filling is one pass over the parsed text: a value is put in as it is, and never read for placeholders again (a buyer
named "{case_id}" stays "{case_id}"). Values are plain text; the chat shows every message as text, so nothing a
buyer puts in their name becomes markup.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.policy import DEFAULT_POLICY, Policy
from resolution_app.domain.text import has_control_characters, shortened, written

PLACEHOLDERS: dict[str, str] = {  # name -> what it becomes, as the settings page explains it
    "buyer_name": "the buyer's name",
    "product": "the product's name",
    "amount": "the amount paid, e.g. $19.00",
    "case_id": "the case's number",
}
KNOWN = ", ".join(f"{{{name}}}" for name in list(PLACEHOLDERS)[:-1]) + f" or {{{list(PLACEHOLDERS)[-1]}}}"

# A doubled brace, a placeholder (anything in braces but braces), or a brace on its own.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_SHOWN_NAME_CHARS = 40  # of an unknown placeholder, in the message that names it


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Placeholder:
    name: str


Part = Text | Placeholder


def parse(body: str) -> list[Part]:
    """`body` as runs of text and placeholders, in order; InvalidInput naming every unknown placeholder, or the first
    brace left alone."""
    parts: list[Part] = []
    unknown: list[str] = []
    start = 0
    for found in _TOKEN.finditer(body):
        if found.start() > start:
            parts.append(Text(body[start : found.start()]))
        token, name = found.group(), found.group(1)
        if token in ("{{", "}}"):
            parts.append(Text(token[0]))
        elif name is None:
            raise InvalidInput(_lone_brace(body, found.start(), token), field="body")
        elif name in PLACEHOLDERS:
            parts.append(Placeholder(name))
        elif token not in unknown:
            unknown.append(token)
        start = found.end()
    if unknown:
        raise InvalidInput(_unknown(unknown), field="body")
    if start < len(body):
        parts.append(Text(body[start:]))
    return _joined(parts)


def _joined(parts: list[Part]) -> list[Part]:
    """Neighbouring runs of text as one."""
    joined: list[Part] = []
    for part in parts:
        if isinstance(part, Text) and joined and isinstance(joined[-1], Text):
            joined[-1] = Text(joined[-1].text + part.text)
        else:
            joined.append(part)
    return joined


def _unknown(tokens: list[str]) -> str:
    shown = ", ".join(shortened(" ".join(token.split()), _SHOWN_NAME_CHARS) for token in tokens)
    kind = "placeholder" if len(tokens) == 1 else "placeholders"
    return f"Unknown {kind} {shown}. Use {KNOWN}; write {{{{ and }}}} for a brace itself."


def _lone_brace(body: str, at: int, brace: str) -> str:
    line = body.count("\n", 0, at) + 1
    column = at - (body.rfind("\n", 0, at) + 1) + 1
    what = "is never closed" if brace == "{" else "closes nothing"
    return (
        f"The “{brace}” on line {line}, character {column}, {what}. "
        f"Write a placeholder whole, like {{buyer_name}}, or {brace}{brace} for a brace itself."
    )


def placeholders_in(body: str) -> list[str]:
    """The placeholders `body` uses, each once, in order of first use."""
    return list(dict.fromkeys(part.name for part in parse(body) if isinstance(part, Placeholder)))


def fill(body: str, values: Mapping[str, str]) -> str:
    """`body` with each placeholder replaced by its value, taken as plain text. KeyError if one has no value."""
    return "".join(part.text if isinstance(part, Text) else values[part.name] for part in parse(body))


def checked_name(name: str, policy: Policy = DEFAULT_POLICY) -> str:
    """A reply's name as it is kept: on one line, blanks trimmed and runs of blanks made one."""
    name = " ".join(name.split())
    limit = policy.saved_reply_name_max_chars
    if not name:
        raise InvalidInput("Name the reply, e.g. “Refund on its way”.", field="name")
    if len(name) > limit or has_control_characters(name):
        raise InvalidInput(f"A reply's name is at most {limit} plain characters.", field="name")
    return name


def checked_body(body: str, policy: Policy = DEFAULT_POLICY) -> str:
    """A reply's text as it is kept: as long as a chat message may be, and with only placeholders it knows."""
    body = written(body).strip()
    limit = policy.message_max_chars
    if not body:
        raise InvalidInput("Write the reply's text.", field="body")
    if len(body) > limit:
        raise InvalidInput(f"The reply is too long: at most {limit:,} characters, as a message.", field="body")
    parse(body)
    return body
