"""What people are told and when (domain/notifications.py, domain/text.py): headlines, the case link in each
portal, email retry times, when a deadline reminder is due and what it says, and text made safe for one header line."""

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolution_app.domain.enums import CLOSED_STATUSES, CaseAction, CaseStatus, Party
from resolution_app.domain.lifecycle import DEADLINE_STATUSES, WAITING_ON
from resolution_app.domain.notifications import (
    MESSAGE,
    OPENED,
    REMINDER,
    case_path,
    email_retry_at,
    headline,
    reminder_due,
    reminder_text,
)
from resolution_app.domain.policy import DEFAULT_POLICY, Policy
from resolution_app.domain.text import one_line, shortened

A, S = CaseAction, CaseStatus
B, C, R = Party.BUYER, Party.CREATOR, Party.REVIEWER
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
LEAD = DEFAULT_POLICY.deadline_reminder_lead


# --- headlines and links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "told", "words"),
    [
        (OPENED, C, "New case opened"),
        (A.ACCEPT, B, "The creator accepted your claim"),
        (A.DENY, B, "The creator denied your claim"),
        (A.REQUEST_MORE_INFO, B, "The creator asked you for more information"),
        (A.WITHDRAW, C, "The buyer withdrew the case"),
        (A.ESCALATE, B, "You escalated the case to the platform"),
        (A.ESCALATE, C, "The buyer escalated the case to the platform"),
        (A.REPLY, C, "The buyer answered your question"),
        (A.REPLY, R, "An answer to the platform's question arrived"),
        (A.APPEAL, B, "A decision was appealed"),
        (A.APPEAL, C, "A decision was appealed"),
        (A.APPEAL, R, "A decision of yours was appealed"),
        (A.REQUEST_BUYER_INFO, B, "The platform asked you for information"),
        (A.REQUEST_MERCHANT_INFO, C, "The platform asked you for information"),
        (A.DECIDE_REFUND, B, "The platform decided: refund"),
        (A.DECIDE_CREDIT, C, "The platform decided: balance credit"),
        (A.DECIDE_MERCHANT_WINS, B, "The platform decided for the creator"),
        (A.AUTO_REFUND, B, "You were refunded automatically"),
        (A.AUTO_REFUND, C, "A case was refunded automatically"),
        (A.EXPIRE, R, "A deadline passed"),
        (MESSAGE, B, "New message"),
        (REMINDER, C, "Reminder: your deadline is less than a day away"),
        ("something new", B, "Your case was updated"),
    ],
)
def test_each_kind_has_its_headline_for_the_person_told(kind, told, words):
    assert headline(kind, told) == words


@pytest.mark.parametrize(
    ("decision", "words"),
    [
        (A.DECIDE_REFUND, "Final decision: refund"),
        (A.DECIDE_CREDIT, "Final decision: balance credit"),
        (A.DECIDE_MERCHANT_WINS, "Final decision: the creator wins"),
    ],
)
@pytest.mark.parametrize("told", [B, C, R])
def test_a_decision_on_appeal_is_worded_final(decision, words, told):
    assert headline(decision, told, final=True) == words


@pytest.mark.parametrize("kind", [A.WITHDRAW, A.EXPIRE, MESSAGE, A.APPEAL])
def test_final_words_only_for_decisions(kind):
    assert headline(kind, C, final=True) == headline(kind, C)


def test_every_action_has_words_of_its_own():
    for action in CaseAction:
        for told in (B, C, R):
            assert headline(action, told) != "Your case was updated", (action, told)


@pytest.mark.parametrize(("party", "path"), [(B, "/cases/42"), (C, "/creator/resolutions/42"), (R, "/review/42")])
def test_the_case_link_is_in_the_portal_of_the_person_told(party, path):
    assert case_path(party, 42) == path


# --- email retries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (0, timedelta(seconds=30)),
        (1, timedelta(seconds=30)),
        (2, timedelta(seconds=60)),
        (3, timedelta(minutes=2)),
        (4, timedelta(minutes=4)),
        (5, timedelta(minutes=8)),
        (6, timedelta(minutes=10)),
        (7, timedelta(minutes=10)),
        (50, timedelta(minutes=10)),
        (1000, timedelta(minutes=10)),  # a server away for days: every ten minutes, no overflow
    ],
)
def test_retries_back_off_from_thirty_seconds_up_to_the_cap(attempts, wait):
    created = NOW - timedelta(hours=1)
    assert email_retry_at(attempts, created, NOW) == NOW + wait


def test_the_cap_is_the_policys():
    policy = Policy(email_first_retry=timedelta(seconds=1), email_max_retry=timedelta(seconds=5))
    waits = [email_retry_at(n, NOW, NOW, policy) - NOW for n in range(1, 6)]
    assert waits == [timedelta(seconds=s) for s in (1, 2, 4, 5, 5)]


def test_an_email_is_given_up_after_the_policys_age():
    give_up = DEFAULT_POLICY.email_give_up_after
    assert email_retry_at(3, NOW - give_up + timedelta(seconds=1), NOW) == NOW + timedelta(minutes=2)
    assert email_retry_at(3, NOW - give_up, NOW) is None
    assert email_retry_at(1000, NOW - give_up - timedelta(days=1), NOW) is None


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=3 * 24 * 3600 - 1))
def test_a_retry_is_always_within_the_first_wait_and_the_cap(attempts, age_seconds):
    retry = email_retry_at(attempts, NOW - timedelta(seconds=age_seconds), NOW)
    assert retry is not None
    assert DEFAULT_POLICY.email_first_retry <= retry - NOW <= DEFAULT_POLICY.email_max_retry


# --- reminders ----------------------------------------------------------------------------------------------

DUE = NOW + timedelta(days=3)


@pytest.mark.parametrize("status", sorted(DEADLINE_STATUSES))
def test_a_party_deadline_is_reminded_within_the_last_day_only(status):
    waiting = WAITING_ON[status]
    assert waiting in (B, C)
    assert reminder_due(status, DUE, None, DUE - LEAD - timedelta(seconds=1)) is None  # not earlier
    assert reminder_due(status, DUE, None, DUE - LEAD) == waiting
    assert reminder_due(status, DUE, None, DUE - timedelta(hours=1)) == waiting
    assert reminder_due(status, DUE, None, DUE - timedelta(seconds=1)) == waiting
    assert reminder_due(status, DUE, None, DUE) is None  # the deadline itself: the case moves on now
    assert reminder_due(status, DUE, None, DUE + timedelta(days=1)) is None


@pytest.mark.parametrize(
    ("status", "waiting"),
    [
        (S.MERCHANT_RESPONSE_NEEDED, C),
        (S.CUSTOMER_INFO_NEEDED, B),
        (S.CUSTOMER_RESPONSE_NEEDED, B),
        (S.MERCHANT_INFO_NEEDED, C),
    ],
)
def test_the_waiting_party_is_reminded(status, waiting):
    assert reminder_due(status, DUE, None, DUE - timedelta(hours=2)) == waiting


@pytest.mark.parametrize("status", sorted(DEADLINE_STATUSES))
def test_once_per_deadline(status):
    soon = DUE - timedelta(hours=2)
    assert reminder_due(status, DUE, DUE, soon) is None  # this deadline's reminder went
    earlier_deadline = DUE - timedelta(days=5)
    assert reminder_due(status, DUE, earlier_deadline, soon) == WAITING_ON[status]  # a new deadline, a new one


@pytest.mark.parametrize("status", sorted({S.UNDER_PLATFORM_REVIEW, *CLOSED_STATUSES}))
def test_the_reviewers_target_and_closed_cases_are_never_reminded(status):
    for moment in (DUE - LEAD, DUE - timedelta(hours=1), DUE - timedelta(seconds=1)):
        assert reminder_due(status, DUE, None, moment) is None


@pytest.mark.parametrize("status", sorted(DEADLINE_STATUSES))
def test_no_deadline_no_reminder(status):
    assert reminder_due(status, None, None, NOW) is None


def test_the_lead_is_the_policys():
    policy = Policy(deadline_reminder_lead=timedelta(hours=2))
    status = S.MERCHANT_RESPONSE_NEEDED
    assert reminder_due(status, DUE, None, DUE - timedelta(hours=3), policy) is None
    assert reminder_due(status, DUE, None, DUE - timedelta(hours=2), policy) == C


@pytest.mark.parametrize(
    ("status", "asked_by", "text"),
    [
        (
            S.MERCHANT_RESPONSE_NEEDED,
            None,
            "Your answer is due by Nov 25, 2026 at 12:00 UTC. If it doesn't come by then, the case goes to the "
            "platform to decide.",
        ),
        (
            S.MERCHANT_INFO_NEEDED,
            R,
            "Your answer is due by Nov 25, 2026 at 12:00 UTC. If it doesn't come by then, the platform decides "
            "without your answer.",
        ),
        (
            S.CUSTOMER_INFO_NEEDED,
            C,
            "Your answer is due by Nov 25, 2026 at 12:00 UTC. If it doesn't come by then, the case closes in the "
            "creator's favour.",
        ),
        (
            S.CUSTOMER_INFO_NEEDED,
            R,
            "Your answer is due by Nov 25, 2026 at 12:00 UTC. If it doesn't come by then, the platform decides "
            "without your answer.",
        ),
        (
            S.CUSTOMER_RESPONSE_NEEDED,
            None,
            "You can escalate the case to the platform until Nov 25, 2026 at 12:00 UTC. After that, the creator's "
            "denial stands and the case closes.",
        ),
    ],
)
def test_the_reminder_says_when_and_what_happens_then(status, asked_by, text):
    assert reminder_text(status, asked_by, DUE) == text


def test_the_reminder_text_writes_single_digit_days_and_minutes():
    due = datetime(2026, 12, 3, 9, 5, tzinfo=UTC)
    assert "Dec 3, 2026 at 09:05 UTC" in reminder_text(S.MERCHANT_RESPONSE_NEEDED, None, due)


@pytest.mark.parametrize("status", sorted(DEADLINE_STATUSES))
@pytest.mark.parametrize("asked_by", [None, B, C, R])
def test_every_deadline_has_a_reminder_text(status, asked_by):
    """Whoever is recorded as asking (even nobody, on an old row), the reminder has words, never a KeyError."""
    assert reminder_text(status, asked_by, DUE).endswith(".")


# --- one header line ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("a\r\nBcc: x", "a Bcc: x"),
        ("Refund\nSubject: free money", "Refund Subject: free money"),
        ("tab\there", "tab here"),
        ("nul\x00byte", "nul byte"),
        ("  spaces   everywhere  ", "spaces everywhere"),
        ("next\x85line", "next line"),
        ("line\u2028separator", "line separator"),
        ("c1\x9bcontrol", "c1 control"),
        ("half\ud800char", "half char"),
    ],
)
def test_one_line_leaves_nothing_that_starts_another_header(typed, line):
    assert one_line(typed) == line


def _is_control(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Cs")


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())), st.integers(min_value=1, max_value=200))
def test_one_line_is_one_short_line_of_no_control_characters(text, max_chars):
    line = one_line(text, max_chars)
    assert len(line) <= max_chars
    assert len(line.splitlines()) <= 1
    assert "\r" not in line and "\n" not in line
    assert not any(_is_control(character) for character in line)


@given(st.text(alphabet=st.sampled_from("ab \r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029:Bc")))
def test_no_mix_of_breaks_makes_a_second_line(text):
    assert len(one_line(text, 500).splitlines()) <= 1


def test_shortened_text_is_cut_at_a_word_with_an_ellipsis():
    text = "The course is missing the modules it advertised on the sales page, all of them."
    assert shortened(text, len(text)) == text
    cut = shortened(text, 30)
    assert cut == "The course is missing the…"
    assert len(cut) <= 30


def test_shortened_without_a_space_near_the_end_cuts_the_word():
    assert shortened("a" * 50, 10) == "a" * 9 + "…"


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_shortened_keeps_within_the_limit_and_the_start(text, max_chars):
    cut = shortened(text, max_chars)
    assert len(cut) <= max_chars
    if len(text) <= max_chars:
        assert cut == text
    else:
        assert cut.endswith("…") and text.startswith(cut[:-1])
