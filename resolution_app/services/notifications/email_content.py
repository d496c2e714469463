"""What a notification email says: its headers and its plain-text and HTML parts, from Jinja2 templates.

Everything people wrote is escaped in the HTML and kept out of headers except as one flattened line, so nothing the
other side types can add a header, a link target or a script. The only links are the app's own.
"""

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from resolution_app.domain.enums import Party
from resolution_app.domain.notifications import MESSAGE, case_path
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.text import one_line, shortened
from resolution_app.infra.mail import Envelope
from resolution_app.infra.settings import get_settings

SETTINGS_PATH = "/settings/notifications"
# Headers are folded only past RFC 5322's 998: folded at 78, the long one-click URL would come out as RFC 2047
# encoded words, which no mail client reads in List-Unsubscribe (RFC 2369 wants the bare <URL>). Bodies keep 78.
WIRE_POLICY = SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class Item:
    """One notification in the email: what happened, and the words that came with it."""

    kind: str
    title: str
    status_label: str
    body: str
    author: str


@dataclass(frozen=True)
class EmailFacts:
    """All an email is made from, read in one go for a batch of emails."""

    message_id: str
    created_at: datetime
    name: str
    address: str
    party: Party
    case_id: int
    product: str
    amount: str
    items: list[Item]
    unsubscribe_url: str


@lru_cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def subject(facts: EmailFacts) -> str:
    messages = sum(item.kind == MESSAGE for item in facts.items)
    only_chat = messages == len(facts.items) and messages > 1
    what = f"{messages} new messages" if only_chat else facts.items[-1].title
    return header_text(f"{what} · case #{facts.case_id} · {facts.product}", 150)


def header_text(text: str, max_chars: int) -> str:
    """`text` as one line of a header. The email package decodes RFC 2047 encoded words in the strings it is given,
    and then writes what they decode to as it is: "=?utf-8?q?=0D=0ABcc=3A_x=40evil?=" in a product name would put a
    Bcc header on the wire (CVE-2024-6923; patched Pythons refuse to write such a message instead). So anything that
    looks like the start of an encoded word is broken up: it reads the same and is never decoded."""
    return one_line(text, max_chars).replace("=?", "= ?")


def render(facts: EmailFacts) -> Envelope:
    """The email as it goes over the wire. ValueError when the recipient's address can't be written in a header."""
    settings = get_settings()
    context = {
        "subject": subject(facts),
        "name": header_text(facts.name, 80),
        "items": [_shown(item) for item in facts.items],
        "case": {
            "id": facts.case_id,
            "product": one_line(facts.product, 200),
            "amount": facts.amount,
            "status": facts.items[-1].status_label,
        },
        "case_url": settings.app_url + case_path(facts.party, facts.case_id),
        "settings_url": settings.app_url + SETTINGS_PATH,
        "unsubscribe_url": facts.unsubscribe_url,
    }
    message = EmailMessage(policy=SMTP)
    message["Subject"] = context["subject"]
    message["From"] = settings.mail_sender
    message["To"] = Address(display_name=context["name"], addr_spec=facts.address)
    message["Date"] = format_datetime(facts.created_at)
    message["Message-ID"] = facts.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to us
    message["List-Unsubscribe"] = f"<{facts.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    message.set_content(_templates().get_template("notification.txt.j2").render(context))
    message.add_alternative(_templates().get_template("notification.html.j2").render(context), subtype="html")
    return Envelope(
        sender=parseaddr(settings.mail_sender)[1],
        recipient=facts.address,
        message_id=facts.message_id,
        data=message.as_bytes(policy=WIRE_POLICY),
    )


def _shown(item: Item) -> dict[str, str]:
    return {
        "title": item.title,
        "body": shortened(item.body.strip(), DEFAULT_POLICY.email_quote_max_chars),
        "author": item.author,
    }
