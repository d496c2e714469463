"""Failed log-ins are counted exactly, under parallel attempts too, per account and address and per address, so
guessing slows down without anyone being able to lock an owner out."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from resolution_app.domain.errors import InvalidInput
from resolution_app.domain.login_throttle import ThrottleScope, wait_after
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.infra.db import transaction
from resolution_app.models import LoginThrottle, UserSession
from resolution_app.services import accounts
from resolution_app.services.accounts import TooManyAttempts

ATTACKER, OWNER = "203.0.113.9", "198.51.100.4"
PASSWORD = "a-long-password"


def _failures(scope: ThrottleScope, key: str) -> int:
    with transaction() as session:
        row = session.exec(select(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key)).first()
        return row.failures if row else 0


def _attempt(email: str, password: str, address: str) -> str:
    try:
        accounts.log_in(email, password, address)
    except TooManyAttempts:
        return "wait"
    except InvalidInput:
        return "wrong"
    return "in"


def test_fifty_parallel_wrong_guesses_count_fifty_and_raise_nothing_else(database, frozen_clock):
    accounts.sign_up("Ann", "ann@example.com", PASSWORD)
    with ThreadPoolExecutor(max_workers=25) as pool:
        outcomes = list(pool.map(lambda _: _attempt("ann@example.com", "guess-guess", ATTACKER), range(50)))
    assert set(outcomes) <= {"wrong", "wait"} and len(outcomes) == 50
    assert _failures(ThrottleScope.ACCOUNT_AND_ADDRESS, f"ann@example.com from {ATTACKER}") == 50
    assert _failures(ThrottleScope.ADDRESS, ATTACKER) == 50


def test_parallel_first_failures_on_a_new_email_all_count(database, frozen_clock):
    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(lambda _: _attempt("nobody@example.com", "guess-guess", ATTACKER), range(20)))
    assert set(outcomes) <= {"wrong", "wait"}
    assert _failures(ThrottleScope.ACCOUNT_AND_ADDRESS, f"nobody@example.com from {ATTACKER}") == 20


def test_the_owner_logs_in_from_another_address_while_an_attacker_waits(database, frozen_clock):
    accounts.sign_up("Ann", "ann@example.com", PASSWORD)
    for _ in range(14):
        _attempt("ann@example.com", "guess-guess", ATTACKER)
        frozen_clock.advance(timedelta(minutes=1))
    assert _attempt("ann@example.com", PASSWORD, ATTACKER) == "wait"  # even the right password, from there
    assert _attempt("ann@example.com", PASSWORD, OWNER) == "in"


def test_one_address_trying_many_accounts_is_slowed(database, frozen_clock):
    free = DEFAULT_POLICY.login_free_failures_per_address
    for n in range(free):
        assert _attempt(f"user{n}@example.com", "guess-guess", ATTACKER) == "wrong"
    assert _attempt("someone-new@example.com", "guess-guess", ATTACKER) == "wait"
    assert _attempt("someone-new@example.com", "guess-guess", OWNER) == "wrong"  # other addresses go on


def test_the_wait_doubles_up_to_its_cap():
    free = DEFAULT_POLICY.login_free_failures_per_account_and_address
    waits = [wait_after(ThrottleScope.ACCOUNT_AND_ADDRESS, free + n) for n in range(15)]
    assert waits[:3] == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8)]
    assert waits[-1] == DEFAULT_POLICY.login_max_wait
    assert wait_after(ThrottleScope.ACCOUNT_AND_ADDRESS, free - 1) == timedelta(0)


@pytest.mark.parametrize("email", ["x" * 300 + "@example.com", "nul\x00@example.com"])
def test_absurd_emails_are_wrong_credentials_not_errors(database, frozen_clock, email):
    assert _attempt(email, "guess-guess", ATTACKER) == "wrong"


def test_stale_sessions_and_quiet_counts_are_purged(database, frozen_clock):
    accounts.sign_up("Ann", "ann@example.com", PASSWORD)
    _attempt("ann@example.com", "guess-guess", ATTACKER)
    frozen_clock.advance(timedelta(days=15))  # past the 14-day absolute session limit and a quiet day
    _attempt("ann@example.com", "guess-again", OWNER)  # a recent count, kept
    assert accounts.purge_stale() == 3  # the sign-up's session and the attacker's two counts
    with transaction() as session:
        assert session.exec(select(UserSession)).all() == []
        assert {row.key for row in session.exec(select(LoginThrottle))} == {f"ann@example.com from {OWNER}", OWNER}
