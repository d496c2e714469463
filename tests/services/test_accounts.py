from datetime import timedelta

import pytest

from resolution_app.domain.errors import InvalidInput
from resolution_app.services import accounts
from resolution_app.services.accounts import WRONG_CREDENTIALS, TooManyAttempts


def test_sign_up_then_log_in_and_out(database, frozen_clock):
    signed = accounts.sign_up("Nora New", " Nora@Example.com ", "a-long-password")
    assert signed.user.email == "nora@example.com"
    assert accounts.user_for_token(signed.token).id == signed.user.id
    again = accounts.log_in("NORA@example.com", "a-long-password")
    accounts.log_out(again.token)
    assert accounts.user_for_token(again.token) is None
    assert accounts.user_for_token(signed.token) is not None  # other sessions live on


def test_password_is_hashed_with_argon2(database, frozen_clock):
    signed = accounts.sign_up("Nora", "nora@example.com", "a-long-password")
    assert signed.user.password_hash.startswith("$argon2")
    assert "a-long-password" not in signed.user.password_hash


@pytest.mark.parametrize(
    ("name", "email", "password", "message"),
    [
        ("", "a@example.com", "a-long-password", "Enter your name"),
        ("Ann", "not-an-email", "a-long-password", "valid email"),
        ("Ann", "a@example.com", "short", "at least 10"),
    ],
)
def test_sign_up_refuses_bad_input(database, frozen_clock, name, email, password, message):
    with pytest.raises(InvalidInput, match=message):
        accounts.sign_up(name, email, password)


def test_duplicate_email_refused(database, frozen_clock):
    accounts.sign_up("Ann", "ann@example.com", "a-long-password")
    with pytest.raises(InvalidInput, match="already exists"):
        accounts.sign_up("Ann Again", "ANN@example.com", "a-long-password")


def test_wrong_password_and_unknown_email_get_the_same_message(database, frozen_clock):
    accounts.sign_up("Ann", "ann@example.com", "a-long-password")
    with pytest.raises(InvalidInput) as wrong:
        accounts.log_in("ann@example.com", "wrong-password")
    with pytest.raises(InvalidInput) as unknown:
        accounts.log_in("nobody@example.com", "wrong-password")
    assert wrong.value.message == unknown.value.message == WRONG_CREDENTIALS


def test_repeated_failures_slow_down(database, frozen_clock):
    accounts.sign_up("Ann", "ann@example.com", "a-long-password")
    for _ in range(5):
        with pytest.raises(InvalidInput):
            accounts.log_in("ann@example.com", "wrong-password")
    with pytest.raises(TooManyAttempts, match="Try again in 2 seconds"):
        accounts.log_in("ann@example.com", "a-long-password")  # even the right password waits (and counts)
    frozen_clock.advance(timedelta(seconds=3))  # the wait is now 4 s: the attempt while waiting counted
    with pytest.raises(TooManyAttempts, match="Try again in 1 second[.]"):
        accounts.log_in("ann@example.com", "a-long-password")  # and this one makes it 8 s
    frozen_clock.advance(timedelta(seconds=9))
    assert accounts.log_in("ann@example.com", "a-long-password").user.email == "ann@example.com"


def test_session_expires_when_idle_and_when_too_old(database, frozen_clock):
    signed = accounts.sign_up("Ann", "ann@example.com", "a-long-password")
    frozen_clock.advance(timedelta(hours=13))  # idle limit is 12 h
    assert accounts.user_for_token(signed.token) is None
    token = accounts.log_in("ann@example.com", "a-long-password").token
    started = frozen_clock.now()
    while frozen_clock.now() - started < timedelta(days=14) - timedelta(hours=11):
        frozen_clock.advance(timedelta(hours=11))  # active within the idle limit...
        assert accounts.user_for_token(token) is not None
    frozen_clock.advance(timedelta(hours=11))  # ...but the absolute limit is 14 days
    assert accounts.user_for_token(token) is None


def test_unknown_or_empty_token_is_nobody(database, frozen_clock):
    assert accounts.user_for_token("") is None
    assert accounts.user_for_token("made-up-token") is None


@pytest.mark.parametrize("email", ["ann\x00@example.com", "a" * 300 + "@example.com", "ann@exa\tmple.com"])
def test_sign_up_refuses_emails_no_one_could_have(database, frozen_clock, email):
    with pytest.raises(InvalidInput, match="valid email"):
        accounts.sign_up("Ann", email, "a-long-password")
