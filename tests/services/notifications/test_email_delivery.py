"""Email delivery against a real SMTP server (aiosmtpd): what each change sends, to whom, and what it says; the
server down, slow, greylisting or refusing; header injection; the .eml default; unsubscribing; emails off; and the
one repeat a crash may cause, with its Message-ID unchanged.

Every case here is made through the services, as people make them; the clock is frozen and moved by hand.
"""

import email
import email.policy
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update
from sqlmodel import select

from resolution_app.domain.enums import CaseStatus, Party, PaymentMethod
from resolution_app.domain.errors import NotFound
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra import mail
from resolution_app.infra.db import transaction
from resolution_app.infra.mail import Envelope, FileMailer
from resolution_app.infra.settings import get_settings
from resolution_app.models import Case, Notification, OutboundEmail, Product, User
from resolution_app.services.cases import case_actions
from resolution_app.services.creator.auto_respond import save_settings
from resolution_app.services.notifications import delivery, outbox, preferences, reminders
from resolution_app.services.notifications.delivery import Report
from tests.conftest import NOW
from tests.services.notifications.conftest import send_through
from tests.services.notifications.smtp_server import (
    HungServer,
    Received,
    SelfSignedCertificate,
    SmtpServer,
    refusing_port,
)
from tests.services.review.flows import RATIONALE, act, claimed, opened

B, C, R = Party.BUYER, Party.CREATOR, Party.REVIEWER
DENIAL = "Every module is in the course; see the outline."
APOLOGY = "Sorry the course let you down. Your refund is on its way."
BUYER, CREATOR = "buyer@example.com", "creator@example.com"
# What each email carries, and nothing more: no Bcc, Cc, Reply-To or anything else anyone could slip in.
HEADERS = {
    "Subject",
    "From",
    "To",
    "Date",
    "Message-ID",
    "Auto-Submitted",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
    "Content-Type",
}


# --- Helpers ---------------------------------------------------------------------------------------------------------


def deliver() -> Report:
    return delivery.deliver_due()


def emails(*, user_id: int | None = None, case_id: int | None = None) -> list[OutboundEmail]:
    query = select(OutboundEmail).order_by(OutboundEmail.id)
    if user_id is not None:
        query = query.where(OutboundEmail.user_id == user_id)
    if case_id is not None:
        query = query.where(OutboundEmail.case_id == case_id)
    with transaction() as session:
        return list(session.exec(query))


def pending() -> list[OutboundEmail]:
    return [row for row in emails() if row.status == "pending"]


def the_email(**where: int) -> OutboundEmail:
    (row,) = emails(**where)
    return row


def notifications(user: User, case_id: int) -> list[Notification]:
    with transaction() as session:
        query = select(Notification).where(Notification.user_id == user.id, Notification.case_id == case_id)
        return list(session.exec(query.order_by(Notification.id)))


def text_part(received: Received) -> str:
    return received.message.get_body(("plain",)).get_content()


def html_part(received: Received) -> str:
    return received.message.get_body(("html",)).get_content()


def raw_headers(received: Received) -> dict[str, str]:
    """The header block as it came over the wire, unfolded but not decoded: name → raw value."""
    block = received.data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    unfolded = re.sub(r"\r\n[ \t]", " ", block)
    return dict(line.split(": ", 1) for line in unfolded.split("\r\n"))


def case_link(party: Party, case_id: int) -> str:
    path = {B: f"/cases/{case_id}", C: f"/creator/resolutions/{case_id}", R: f"/review/{case_id}"}[party]
    return get_settings().app_url + path


def unsubscribe_token(received: Received) -> str:
    url = raw_headers(received)["List-Unsubscribe"].strip("<>")
    assert url.startswith(get_settings().public_api_url.rstrip("/") + preferences.UNSUBSCRIBE_PATH)
    return urlsplit(url).path.rsplit("/", 1)[1]


def only_to(server: SmtpServer, address: str) -> Received:
    (received,) = server.to(address)
    return received


def write(user: User, case_id: int, party: Party, body: str) -> None:
    case_actions.send_message(user, case_id, party, body)


def set_name(table, row_id: int, name: str) -> None:
    with transaction() as session:
        session.execute(update(table).where(table.id == row_id).values(name=name))


class Tags(HTMLParser):
    """The elements an HTML part really has (not what its escaped text says), their links and any scripting."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.links: list[str] = []
        self.scripting: list[str] = []

    @classmethod
    def of(cls, html: str) -> "Tags":
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        for name, value in attrs:
            if name == "href":
                self.links.append(value or "")
            if name.startswith("on") or name in ("src", "srcdoc", "formaction"):
                self.scripting.append(f"{tag} {name}={value}")


class Crash(BaseException):
    """The worker process dies: nothing after this line of the delivery runs."""


class CrashAfterSending:
    """A mailer whose worker dies right after the server took the email, before the outcome is recorded."""

    def __init__(self, inner: mail.Mailer) -> None:
        self.inner = inner

    @contextmanager
    def connect(self) -> Iterator["CrashAfterSending"]:
        with self.inner.connect() as connection:
            self.connection = connection
            yield self

    def send(self, envelope: Envelope) -> None:
        self.connection.send(envelope)
        raise Crash


class Both:
    """Each email handed to two mailers at once: what the .eml file holds beside what the SMTP server got."""

    def __init__(self, *mailers: mail.Mailer) -> None:
        self.mailers = mailers

    @contextmanager
    def connect(self) -> Iterator["Both"]:
        with self.mailers[0].connect() as first, self.mailers[1].connect() as second:
            self.connections = (first, second)
            yield self

    def send(self, envelope: Envelope) -> None:
        for connection in self.connections:
            connection.send(envelope)


# --- What each change sends, to whom -------------------------------------------------------------------------------


def test_a_new_case_is_emailed_to_the_creator_with_a_link_into_the_creator_portal(mail_world, smtp):
    case_id = opened(mail_world)
    assert deliver() == Report(sent=1)
    received = only_to(smtp, CREATOR)
    assert received.rcpt_tos == [CREATOR]
    assert received.mail_from == f"no-reply@{get_settings().mail_domain}"
    message = received.message
    assert f"case #{case_id}" in message["Subject"]
    assert message["Subject"].startswith("New case opened")
    assert "Redstone Masterclass" in message["Subject"]
    assert message["To"].addresses[0].addr_spec == CREATOR
    assert message["To"].addresses[0].display_name == "Casey Creator"
    assert message.get_content_type() == "multipart/alternative"
    text, html = text_part(received), html_part(received)
    for part in (text, html):
        assert "The course is missing the modules" in part  # the buyer's words
        assert "Redstone Masterclass" in part and "$19.00" in part and "Waiting on creator" in part
        assert case_link(C, case_id) in part
        assert get_settings().app_url + "/settings/notifications" in part  # the footer's settings link
    assert f'href="{case_link(C, case_id)}"' in html
    row = the_email(case_id=case_id)
    assert (row.status, row.sent_at, row.attempts, row.last_error) == ("sent", NOW, 1, "")
    assert message["Message-ID"] == row.message_id
    assert [n.email_id for n in notifications(mail_world.creator, case_id)] == [row.id]
    assert smtp.to(BUYER) == []  # the buyer opened it: no email to them


def test_a_denial_is_emailed_to_the_buyer_with_the_creators_words_and_a_link_into_the_buyer_portal(mail_world, smtp):
    case_id = opened(mail_world)
    deliver()
    smtp.clear()
    act(mail_world, mail_world.creator, case_id, C, "deny", DENIAL)
    assert deliver() == Report(sent=1)
    received = only_to(smtp, BUYER)
    assert received.message["Subject"] == f"The creator denied your claim · case #{case_id} · Redstone Masterclass"
    for part in (text_part(received), html_part(received)):
        assert DENIAL in part and "The creator wrote:" in part
        assert case_link(B, case_id) in part
        assert "/creator/resolutions/" not in part  # never a link into another portal
    assert smtp.to(CREATOR) == []


def test_a_decision_reaches_both_sides_with_its_rationale_each_in_their_own_portal(mail_world, smtp):
    case_id = claimed(mail_world)
    deliver()
    smtp.clear()
    act(mail_world, mail_world.reviewer, case_id, R, "decide_refund", RATIONALE)
    assert deliver() == Report(sent=2)
    assert sorted(address for received in smtp.received for address in received.rcpt_tos) == [BUYER, CREATOR]
    for address, party in ((BUYER, B), (CREATOR, C)):
        received = only_to(smtp, address)
        assert received.message["Subject"].startswith(f"The platform decided: refund · case #{case_id}")
        assert RATIONALE in text_part(received)
        assert RATIONALE.replace("'", "&#39;") in html_part(received)  # escaped, apostrophe and all
        for part in (text_part(received), html_part(received)):
            assert "The platform wrote:" in part
            assert case_link(party, case_id) in part
    assert smtp.to("reviewer@example.com") == []  # the reviewer decided it: nothing to tell them


def test_an_auto_refund_tells_the_buyer_with_the_business_custom_message(mail_world, smtp):
    save_settings(mail_world.creator, "25", "", ["not_as_described"], APOLOGY)
    case_id = opened(mail_world)
    assert mail_world.case(case_id).status == CaseStatus.CUSTOMER_WON
    deliver()
    received = only_to(smtp, BUYER)
    assert received.message["Subject"].startswith(f"You were refunded automatically · case #{case_id}")
    for part in (text_part(received), html_part(received)):
        assert APOLOGY in part  # the business's own words
        assert "Card payment at or below $25.00" in part and "Buyer won" in part and "$19.00" in part
        assert case_link(B, case_id) in part
    # The creator hears of the case and of its refund (two changes, two emails), each leading into their portal.
    creator_emails = smtp.to(CREATOR)
    assert sorted(r.message["Subject"].split(" · ")[0] for r in creator_emails) == [
        "A case was refunded automatically",
        "New case opened",
    ]
    assert all(case_link(C, case_id) in text_part(r) and "/cases/" not in text_part(r) for r in creator_emails)


def test_chat_messages_go_at_once_then_at_most_once_per_window_as_one_digest(mail_world, smtp, frozen_clock):
    case_id = opened(mail_world)
    deliver()
    smtp.clear()
    write(mail_world.buyer, case_id, B, "First: the outline lists modules 4 to 6.")
    assert deliver() == Report(sent=1)  # the first message goes at once
    first = only_to(smtp, CREATOR)
    assert first.message["Subject"] == f"New message · case #{case_id} · Redstone Masterclass"
    assert "First: the outline" in text_part(first) and "The buyer wrote:" in text_part(first)
    frozen_clock.advance(timedelta(minutes=1))
    write(mail_world.buyer, case_id, B, "Second: module 4 is an empty page.")
    frozen_clock.advance(timedelta(minutes=5))
    write(mail_world.buyer, case_id, B, "Third: so are modules 5 and 6.")
    assert len(notifications(mail_world.creator, case_id)) == 4  # in-app every time: the case and three messages
    assert deliver() == Report()  # within the window: they wait
    frozen_clock.advance(timedelta(minutes=8, seconds=59))  # 14:59 after the first went
    assert deliver() == Report()
    assert len(smtp.received) == 1
    frozen_clock.advance(timedelta(seconds=1))
    assert deliver() == Report(sent=1)
    assert len(smtp.received) == 2
    digest = smtp.received[1]
    assert digest.message["Subject"] == f"2 new messages · case #{case_id} · Redstone Masterclass"
    for part in (text_part(digest), html_part(digest)):
        assert "Second: module 4" in part and "Third: so are" in part
        assert "First: the outline" not in part
        assert part.index("Second") < part.index("Third")
    assert smtp.to(BUYER) == []  # the author hears nothing of their own messages
    digests = [row for row in emails(case_id=case_id) if row.kind == "digest"]
    assert [(row.status, row.not_before) for row in digests] == [
        ("sent", NOW),
        ("sent", NOW + DEFAULT_POLICY.chat_email_window),
    ]


def test_a_person_with_emails_off_gets_no_reminder_but_sees_it_in_app(mail_world, smtp, frozen_clock):
    case_id = opened(mail_world)
    deliver()
    smtp.clear()
    preferences.set_emails_enabled(mail_world.creator, False)
    frozen_clock.advance(timedelta(days=6, hours=1))  # the creator's 7 days end in 23 hours
    assert reminders.send_reminder(case_id, frozen_clock.now())
    deliver()
    assert smtp.received == []
    (reminder,) = [n for n in notifications(mail_world.creator, case_id) if n.kind == "reminder"]
    assert reminder.email_id is None
    assert "Your answer is due by" in reminder.body


def test_a_reminder_is_emailed_once_to_the_waiting_party(mail_world, smtp, frozen_clock):
    case_id = opened(mail_world)
    deliver()
    smtp.clear()
    frozen_clock.advance(timedelta(days=6, hours=1))
    assert reminders.send_reminder(case_id, frozen_clock.now())
    assert not reminders.send_reminder(case_id, frozen_clock.now())  # once per deadline
    deliver()
    received = only_to(smtp, CREATOR)
    assert received.message["Subject"].startswith("Reminder: your deadline is less than a day away")
    assert "Your answer is due by Nov 29, 2026 at 12:00 UTC" in text_part(received)
    assert len(smtp.received) == 1


# --- The server down, slow, greylisting, refusing ------------------------------------------------------------------


def test_a_server_down_for_an_hour_loses_nothing_and_sends_each_email_exactly_once(mail_world, smtp, frozen_clock):
    case_id = opened(mail_world)
    act(mail_world, mail_world.creator, case_id, C, "deny", DENIAL)
    write(mail_world.creator, case_id, C, "Happy to walk you through the outline.")
    queued = pending()
    assert len(queued) == 3  # the case to the creator; the denial and the message to the buyer
    with refusing_port() as down:
        send_through(down)
        assert deliver() == Report(retried=3)  # the first refused; the others not even tried on a dead server
        for row in pending():
            assert row.attempts == 1 and "Connection refused" in row.last_error
        while frozen_clock.now() < NOW + timedelta(hours=1):
            frozen_clock.advance(timedelta(seconds=30))
            assert deliver().sent == 0
        assert len(pending()) == 3
    send_through(smtp.url)
    frozen_clock.advance(DEFAULT_POLICY.email_max_retry)
    assert deliver() == Report(sent=3)
    for _ in range(3):  # later runs find nothing left to send
        frozen_clock.advance(timedelta(minutes=10))
        assert deliver() == Report()
    assert Counter(smtp.message_ids()) == Counter({row.message_id: 1 for row in queued})
    assert {row.status for row in emails(case_id=case_id)} == {"sent"}


def test_retries_wait_30_s_then_double_up_to_10_minutes(mail_world, frozen_clock):
    case_id = opened(mail_world)
    waits = []
    with refusing_port() as down:
        send_through(down)
        for _ in range(7):
            deliver()
            row = the_email(case_id=case_id)
            waits.append(row.next_attempt_at - frozen_clock.now())
            frozen_clock.freeze(row.next_attempt_at)
    minutes = [wait.total_seconds() / 60 for wait in waits]
    assert minutes == [0.5, 1, 2, 4, 8, 10, 10]
    assert the_email(case_id=case_id).attempts == 7


@pytest.mark.parametrize(
    ("command", "reply"),
    [("RCPT", "451 4.7.1 Greylisted, please try again later"), ("DATA", "452 4.3.1 Insufficient system storage")],
)
def test_a_4xx_is_retried_later_and_then_delivered_once(mail_world, smtp, frozen_clock, command, reply):
    first = opened(mail_world)
    second = opened(mail_world, PaymentMethod.PAYPAL, 4900)
    smtp.answer_next(command, reply)
    assert deliver() == Report(sent=1, retried=1)  # one refused for now; the next still goes on the connection
    row = the_email(case_id=first)
    assert (row.status, row.last_error, row.attempts) == ("pending", reply, 1)
    assert row.next_attempt_at == NOW + DEFAULT_POLICY.email_first_retry
    assert the_email(case_id=second).status == "sent"
    frozen_clock.advance(timedelta(seconds=29))
    assert deliver() == Report()  # not before its time
    frozen_clock.advance(timedelta(seconds=1))
    assert deliver() == Report(sent=1)
    row = the_email(case_id=first)
    assert (row.status, row.attempts, row.sent_at, row.last_error) == ("sent", 2, frozen_clock.now(), "")
    assert Counter(smtp.message_ids())[row.message_id] == 1
    assert len(smtp.received) == 2


@pytest.mark.parametrize(
    ("command", "reply"),
    [("RCPT", "550 5.1.1 <creator@example.com>: Recipient address rejected"), ("DATA", "554 5.7.1 Message refused")],
)
def test_a_5xx_is_recorded_as_failed_with_its_reason_and_never_retried(mail_world, smtp, frozen_clock, command, reply):
    case_id = opened(mail_world)
    smtp.answer_next(command, reply)
    assert deliver() == Report(failed=1)
    row = the_email(case_id=case_id)
    assert (row.status, row.last_error, row.attempts, row.lease_until) == ("failed", reply, 1, None)
    frozen_clock.advance(timedelta(days=1))
    assert deliver() == Report()
    assert smtp.received == []
    assert the_email(case_id=case_id).attempts == 1


def test_a_hung_server_times_out_fast_is_retried_and_the_email_goes_once_the_server_answers(
    mail_world, smtp, frozen_clock
):
    opened(mail_world)
    opened(mail_world, PaymentMethod.PAYPAL, 4900)
    with HungServer() as hung:
        send_through(hung.url, timeout=1)
        started = time.monotonic()
        assert deliver() == Report(retried=2)
        took = time.monotonic() - started
        assert hung.connections  # it really connected, and waited for a greeting that never came
    assert took < 3  # one timeout for the batch, not one per email
    for row in pending():
        assert "timed out" in row.last_error
    send_through(smtp.url)
    frozen_clock.advance(DEFAULT_POLICY.email_first_retry)
    assert deliver() == Report(sent=2)
    assert len(set(smtp.message_ids())) == len(smtp.received) == 2


def test_an_email_the_server_keeps_refusing_for_now_is_given_up_after_the_policy_time(mail_world, smtp, frozen_clock):
    case_id = opened(mail_world)
    with refusing_port() as down:
        send_through(down)
        deliver()
        frozen_clock.freeze(NOW + DEFAULT_POLICY.email_give_up_after - timedelta(minutes=1))
        assert deliver() == Report(retried=1)  # still within the time: tried again later
        frozen_clock.freeze(the_email(case_id=case_id).next_attempt_at)
        assert frozen_clock.now() >= NOW + DEFAULT_POLICY.email_give_up_after
        assert deliver() == Report(failed=1)
    row = the_email(case_id=case_id)
    assert row.status == "failed"
    assert row.last_error.startswith("Gave up after 3 tries; the last: ConnectionRefusedError")
    send_through(smtp.url)
    frozen_clock.advance(timedelta(hours=1))
    assert deliver() == Report()
    assert smtp.received == []


def test_a_crash_between_sending_and_recording_resends_with_the_same_message_id(mail_world, smtp, frozen_clock):
    case_id = opened(mail_world)
    mail.use_mailer(CrashAfterSending(mail.SmtpMailer(smtp.url, timeout=2)))
    with pytest.raises(Crash):
        deliver()
    row = the_email(case_id=case_id)
    assert (row.status, row.lease_until) == ("sending", NOW + delivery.LEASE)  # sent, but not recorded
    assert len(smtp.received) == 1
    send_through(smtp.url)
    frozen_clock.advance(delivery.LEASE - timedelta(seconds=1))
    assert deliver() == Report()  # the lease still holds: another worker might be sending it right now
    frozen_clock.advance(timedelta(seconds=1))
    assert deliver() == Report(sent=1)
    first, repeat = smtp.received
    assert first.message_id == repeat.message_id == row.message_id  # recognisable as the same mail
    for header in ("Subject", "Date", "To", "List-Unsubscribe"):
        assert raw_headers(first)[header] == raw_headers(repeat)[header]
    assert text_part(first) == text_part(repeat)
    row = the_email(case_id=case_id)
    assert (row.status, row.attempts, row.lease_until) == ("sent", 2, None)


# --- TLS and logins ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> SelfSignedCertificate:
    return SelfSignedCertificate.make(tmp_path_factory.mktemp("tls"))


def test_starttls_is_used_when_offered_and_the_login_of_the_url_goes_over_it(
    mail_world, certificate, monkeypatch, frozen_clock
):
    logins = {"rc-mailer": "p@ss word:/"}
    with SmtpServer(tls_context=certificate.server_context(), require_tls=True, logins=logins) as server:
        send_through(f"smtp://rc-mailer:p%40ss%20word%3A%2F@127.0.0.1:{server.port}")
        opened(mail_world)
        # Not trusted: the certificate is checked, and nothing goes in the clear instead.
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        assert deliver() == Report(retried=1)
        assert "CERTIFICATE_VERIFY_FAILED" in pending()[0].last_error
        assert server.received == []
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))  # ssl.create_default_context reads it
        frozen_clock.advance(DEFAULT_POLICY.email_first_retry)
        assert deliver() == Report(sent=1)
        (received,) = server.received
        assert received.tls and received.login == "rc-mailer"
        assert received.rcpt_tos == [CREATOR]


def test_a_wrong_smtp_password_is_retried_not_failed(mail_world, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    with SmtpServer(tls_context=certificate.server_context(), logins={"rc-mailer": "right"}) as server:
        send_through(f"smtp://rc-mailer:wrong@127.0.0.1:{server.port}")
        opened(mail_world)
        assert deliver() == Report(retried=1)  # the settings are wrong, not the email: it goes once they're fixed
        assert pending()[0].last_error.startswith("SMTP login refused: ")
        assert server.received == []


def test_smtps_speaks_tls_from_the_first_byte(mail_world, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate.cert))
    with SmtpServer(tls_context=certificate.server_context(), implicit_tls=True) as server:
        send_through(server.url)
        assert server.url.startswith("smtps://")
        opened(mail_world)
        assert deliver() == Report(sent=1)
        (received,) = server.received
        assert received.tls


# --- Nothing anyone writes adds a header, a link or a script ----------------------------------------------------------

INJECTIONS = [
    "\r\nBcc: x@evil.example",
    "\nBcc: x@evil.example",
    "\rBcc: x@evil.example",
    "\u2028Bcc: x@evil.example",
    "\x85Bcc: x@evil.example",
    "=?utf-8?q?=0D=0ABcc=3A_x=40evil=2Eexample?=",
]


def _has_no_extra_header(received: Received) -> None:
    """The message has its own headers and no other, at the top and in each part; what was typed stays words
    inside the one header it was put in (the subject, the display name), on one line."""
    message = received.message
    assert set(message.keys()) == HEADERS
    assert not re.search(rb"(?im)^(bcc|cc|reply-to)[ \t]*:", received.data.split(b"\r\n\r\n", 1)[0])
    for name, value in message.items():
        assert not re.search(r"[\x00-\x1f\x7f\x85\u2028\u2029]", str(value)), name  # decoded, still one line
        if name not in ("Subject", "To"):
            assert "evil" not in str(value), name
    for part in list(message.walk())[1:]:
        assert set(part.keys()) <= {"Content-Type", "Content-Transfer-Encoding", "MIME-Version"}
    assert len(received.rcpt_tos) == 1  # only ever the one recipient in the envelope


@pytest.mark.parametrize("injection", INJECTIONS, ids=["crlf", "lf", "cr", "u2028", "nel", "encoded-word"])
def test_a_product_name_cannot_add_a_header(mail_world, smtp, injection):
    payment = mail_world.payment(BUYER, PaymentMethod.CARD, 1900)
    set_name(Product, payment.product_id, f"Redstone{injection}")
    case_id = opened(mail_world)
    assert deliver() == Report(sent=1)
    received = only_to(smtp, CREATOR)
    _has_no_extra_header(received)
    subject = received.message["Subject"]
    assert f"case #{case_id}" in subject and "\n" not in subject and "\r" not in subject


@pytest.mark.parametrize("injection", INJECTIONS, ids=["crlf", "lf", "cr", "u2028", "nel", "encoded-word"])
def test_a_persons_name_cannot_add_a_header(mail_world, smtp, injection):
    set_name(User, mail_world.creator.id, f"Casey{injection}")
    opened(mail_world)
    assert deliver() == Report(sent=1)
    received = only_to(smtp, CREATOR)
    _has_no_extra_header(received)
    (address,) = received.message["To"].addresses
    assert address.addr_spec == CREATOR


def test_words_with_header_lines_stay_in_the_body(mail_world, smtp):
    case_id = opened(mail_world)
    deliver()
    smtp.clear()
    act(mail_world, mail_world.creator, case_id, C, "deny", "No.\r\nBcc: x@evil.example\r\n\r\nSubject: pwned")
    deliver()
    received = only_to(smtp, BUYER)
    _has_no_extra_header(received)  # the body may quote it; the headers may not
    assert received.message["Subject"].startswith("The creator denied your claim")
    assert "Bcc: x@evil.example" in text_part(received)  # quoted as words, in the body


def test_an_address_that_cannot_be_a_header_is_failed_and_never_sent(mail_world, smtp):
    with transaction() as session:
        session.execute(
            update(User).where(User.id == mail_world.creator.id).values(email="creator@example.com\r\nBcc: x@evil")
        )
    case_id = opened(mail_world)
    assert deliver() == Report(failed=1)
    row = the_email(case_id=case_id)
    assert row.status == "failed" and row.last_error.startswith("The recipient's address can't be used")
    assert smtp.received == []


def test_html_in_names_and_messages_is_escaped_and_no_link_but_the_apps_own_appears(mail_world, smtp):
    payment = mail_world.payment(BUYER, PaymentMethod.CARD, 1900)
    set_name(Product, payment.product_id, 'Course <img src=x onerror="alert(1)">')
    set_name(User, mail_world.creator.id, "Casey <b>Creator</b>")
    case_id = opened(mail_world)
    deliver()
    smtp.clear()
    write(
        mail_world.buyer,
        case_id,
        B,
        "<script>alert('x')</script> see <a href=\"https://evil.example/phish\">the outline</a> javascript:alert(2)",
    )
    deliver()
    received = only_to(smtp, CREATOR)
    html = html_part(received)
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert "Casey &lt;b&gt;Creator&lt;/b&gt;" in html
    tags = Tags.of(html)
    elements = {"html", "head", "meta", "title", "body", "div", "p", "h1", "blockquote", "table", "tr", "td", "a"}
    assert tags.names == elements  # the template's own, and none from what people wrote
    assert not tags.scripting  # no on* handler, no src
    ours = (get_settings().app_url, get_settings().public_api_url.rstrip("/"))
    assert len(tags.links) == 3 and all(link.startswith(ours) for link in tags.links)  # case, settings, unsubscribe
    assert "https://evil.example/phish" in html  # as words in the quote, never as a link target
    assert 'href="https://evil.example' not in html
    assert "<script>alert('x')</script>" in text_part(received)  # plain text is shown as text, never run


# --- The .eml default ----------------------------------------------------------------------------------------------


def test_the_default_writes_each_email_as_one_eml_file_named_by_its_message_id(mail_world, tmp_path, frozen_clock):
    mail.use_mailer(FileMailer(tmp_path / "mail"))
    case_id = opened(mail_world)
    act(mail_world, mail_world.creator, case_id, C, "deny", DENIAL)
    assert deliver() == Report(sent=2)
    files = sorted((tmp_path / "mail").iterdir())
    rows = emails(case_id=case_id)
    assert [path.name for path in files] == sorted(f"{row.message_id.strip('<>')}.eml" for row in rows)
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert f"<{path.stem}>" == message["Message-ID"]
        assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    # A repeat of the same email (a crash before it was recorded) replaces its file: still one per email.
    with transaction() as session:
        session.execute(update(OutboundEmail).where(OutboundEmail.id == rows[0].id).values(status="pending"))
    assert deliver() == Report(sent=1)
    assert sorted((tmp_path / "mail").iterdir()) == files
    assert not list((tmp_path / "mail").glob("*.part"))


def test_with_no_smtp_url_emails_land_under_the_data_folder(mail_world):
    mail.use_mailer(None)
    assert get_settings().smtp_url == ""
    assert isinstance(mail.get_mailer(), FileMailer)
    case_id = opened(mail_world)
    deliver()
    row = the_email(case_id=case_id)
    path = get_settings().data_dir / "mail" / f"{row.message_id.strip('<>')}.eml"
    assert path.is_file() and f"case #{case_id}".encode() in path.read_bytes()


def test_the_eml_file_holds_the_very_bytes_the_smtp_server_receives(mail_world, smtp, tmp_path):
    mail.use_mailer(Both(FileMailer(tmp_path / "mail"), mail.SmtpMailer(smtp.url, timeout=2)))
    opened(mail_world)
    deliver()
    (received,) = smtp.received
    (path,) = (tmp_path / "mail").iterdir()
    assert path.read_bytes() == received.data
    assert b"\n" not in received.data.replace(b"\r\n", b"")  # CRLF line ends throughout, as SMTP wants


# --- Unsubscribing, and emails off -----------------------------------------------------------------------------------


def test_the_one_click_unsubscribe_link_turns_that_persons_emails_off(mail_world, smtp):
    case_id = opened(mail_world)
    deliver()
    received = only_to(smtp, CREATOR)
    headers = raw_headers(received)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # RFC 8058
    assert re.fullmatch(r"<https?://[^<>\s]+>", headers["List-Unsubscribe"])  # the bare <URL>, no encoded words
    url = headers["List-Unsubscribe"].strip("<>")
    assert url in text_part(received) and url in html_part(received)  # the footer's one-click link is the same
    token = unsubscribe_token(received)
    with pytest.raises(NotFound):  # a link altered by one character does nothing
        preferences.unsubscribe(token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert preferences.emails_enabled(mail_world.creator)
    assert preferences.unsubscribe(token) == CREATOR
    assert not preferences.emails_enabled(mail_world.creator)
    assert preferences.emails_enabled(mail_world.buyer)  # only the person the link was made for
    smtp.clear()
    act(mail_world, mail_world.creator, case_id, C, "request_more_info", "Which module is missing?")
    act(mail_world, mail_world.buyer, case_id, B, "reply", "Modules 4 to 6.")
    assert deliver() == Report(sent=1)  # the buyer's; nothing for the creator
    assert smtp.to(CREATOR) == [] and len(smtp.to(BUYER)) == 1
    latest = notifications(mail_world.creator, case_id)[-1]
    assert latest.title == "The buyer answered your question" and latest.email_id is None  # the bell still counts
    assert [row.status for row in emails(user_id=mail_world.creator.id, case_id=case_id)] == ["sent"]  # the first


def test_with_emails_off_no_email_is_written_but_every_notification_is(mail_world, smtp):
    preferences.set_emails_enabled(mail_world.buyer, False)
    case_id = claimed(mail_world)
    act(mail_world, mail_world.reviewer, case_id, R, "decide_refund", RATIONALE)
    deliver()
    assert smtp.to(BUYER) == []
    assert emails(user_id=mail_world.buyer.id, case_id=case_id) == []
    titles = [n.title for n in notifications(mail_world.buyer, case_id)]
    assert titles == [
        "The creator denied your claim",
        "You escalated the case to the platform",
        "The platform decided: refund",
    ]
    assert [r.message["Subject"].split(" · ")[0] for r in smtp.to(CREATOR)] == [
        "New case opened",
        "The buyer escalated the case to the platform",
        "The platform decided: refund",
    ]


def test_emails_turned_off_after_queueing_but_before_delivery_are_skipped(mail_world, smtp, frozen_clock):
    case_id = opened(mail_world)
    write(mail_world.buyer, case_id, B, "One more thing about module 4.")
    assert len(pending()) == 2  # the new case and a digest, both to the creator
    preferences.set_emails_enabled(mail_world.creator, False)
    assert deliver() == Report(skipped=2)
    assert smtp.received == []
    for row in emails(case_id=case_id):
        assert (row.status, row.last_error) == ("skipped", "Resolution Center emails are off.")
    assert len(notifications(mail_world.creator, case_id)) == 2
    preferences.set_emails_enabled(mail_world.creator, True)  # turned on again: what was skipped stays skipped
    frozen_clock.advance(timedelta(hours=1))
    assert deliver() == Report()
    assert smtp.received == []


# --- Many at once --------------------------------------------------------------------------------------------------


def test_two_deliveries_at_once_send_each_email_once(mail_world, smtp):
    case_ids = [opened(mail_world), opened(mail_world, PaymentMethod.PAYPAL, 4900)]
    for case_id in case_ids:
        for n in range(10):
            write(mail_world.creator, case_id, C, f"Note {n}")  # one digest per case for the buyer
    with transaction() as session:  # and plenty of single emails besides
        for case_id in case_ids:
            case = session.get(Case, case_id)
            for _ in range(30):
                outbox.queue(session, case, frozenset({B, C}), "reminder", "Soon.", NOW)
    queued = pending()
    assert len(queued) == 2 + 2 + 2 * 30 * 2
    start = threading.Barrier(2)
    reports: list[Report] = []

    def worker() -> None:
        start.wait()
        reports.append(delivery.deliver_due(batch=10))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in reports) == len(queued)
    assert Counter(smtp.message_ids()) == Counter({row.message_id: 1 for row in queued})
    assert pending() == []


def test_nothing_is_sent_before_the_transaction_that_queued_it_commits(mail_world, smtp):
    case_id = opened(mail_world)
    deliver()
    smtp.clear()
    with pytest.raises(RuntimeError), transaction() as session:
        outbox.queue(session, session.get(Case, case_id), frozenset({B}), "reminder", "Soon.", NOW)
        session.flush()
        assert deliver() == Report()  # written but not committed: no other connection sees it
        raise RuntimeError("the change fails: its notifications go with it")
    assert deliver() == Report()
    assert smtp.received == []
    assert emails(user_id=mail_world.buyer.id, case_id=case_id) == []
