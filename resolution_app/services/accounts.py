"""Sign up, log in, log out, and who is asking."""

import hashlib
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import bindparam, delete, exists, func, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from resolution_app.domain.errors import DomainError, InvalidInput
from resolution_app.domain.login_throttle import Throttle, locked_until, throttles_for
from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.domain.text import CONTROL_CHARACTERS, has_control_characters, written
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.infra.passwords import can_hash, hash_password, verify_password
from resolution_app.infra.settings import get_settings
from resolution_app.models import BusinessMember, LoginThrottle, User, UserSession

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1000
SESSION_COOKIE = "rc_session"  # the browser's cookie holding the session token (pages and API routes alike)
# Uploads go to the backend, whose origin may differ from the page's: the page sends the session in this header.
SESSION_HEADER = "X-Resolution-Session"
WRONG_CREDENTIALS = "Wrong email or password."
T = TypeVar("T")
TOUCH_EVERY = timedelta(minutes=1)  # don't write last_seen_at on every request


class TooManyAttempts(DomainError):
    pass


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str  # goes to the browser once; only its hash is stored


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode(errors="surrogatepass")).hexdigest()  # any text: it just matches no session


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _start_session(session: Session, user: User, now: datetime) -> str:
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash_token(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
        )
    )
    return token


def _unique_username(session: Session, email: str) -> str:
    base = re.sub(r"[^a-z0-9_]", "", email.split("@")[0].lower())[:40] or "user"
    candidate, n = base, 1
    while session.exec(select(User.id).where(User.username == candidate)).first() is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def create_user(session: Session, name: str, email: str, password: str, *, is_reviewer: bool = False) -> User:
    name, email = " ".join(written(name).split()), normalize_email(email)
    if not name or len(name) > 120:
        raise InvalidInput("Enter your name (at most 120 characters).")
    if not EMAIL_PATTERN.match(email) or len(email) > 254 or has_control_characters(email):
        raise InvalidInput("Enter a valid email address.")
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput(f"Choose a password of at least {MIN_PASSWORD_CHARS} characters.")
    if len(password) > MAX_PASSWORD_CHARS or not can_hash(password):
        raise InvalidInput(f"Choose a password of at most {MAX_PASSWORD_CHARS:,} characters.")
    return add_user(session, name, email, hash_password(password), is_reviewer=is_reviewer)


def add_user(session: Session, name: str, email: str, password_hash: str, *, is_reviewer: bool = False) -> User:
    """Store a user whose details are already checked."""
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise InvalidInput("An account with this email already exists. Log in instead.")
    user = User(
        email=email,
        username=_unique_username(session, email),
        name=name,
        password_hash=password_hash,
        is_reviewer=is_reviewer,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return user


def sign_up(name: str, email: str, password: str) -> SignedIn:
    try:
        with transaction() as session:
            user = create_user(session, name, email, password)
            return SignedIn(user=user, token=_start_session(session, user, clock.now()))
    except IntegrityError:  # the same email signed up twice at once
        raise InvalidInput("An account with this email already exists. Log in instead.") from None


def _wait_message(throttles: list[Throttle], rows: list[LoginThrottle], now: datetime) -> str | None:
    counted = {(row.scope, row.key): row for row in rows}
    waits = []
    for throttle in throttles:
        row = counted.get((throttle.scope, throttle.key))
        until = row and locked_until(throttle.scope, row.failures, row.last_failure_at)
        if until and until > now:
            waits.append(until - now)
    if not waits:
        return None
    seconds = math.ceil(max(waits).total_seconds())
    return f"Too many failed attempts. Try again in {seconds} second{'' if seconds == 1 else 's'}."


def _count_failures(throttles: list[Throttle], now: datetime) -> None:
    """One upsert per scope: parallel failures each count, and a first failure never races another."""
    table = LoginThrottle.__table__
    with transaction() as session:
        for throttle in throttles:
            insert = pg_insert(table).values(scope=throttle.scope, key=throttle.key, failures=1, last_failure_at=now)
            latest = func.greatest(table.c.last_failure_at, insert.excluded.last_failure_at)
            session.execute(
                insert.on_conflict_do_update(
                    index_elements=[table.c.scope, table.c.key],
                    set_={"failures": table.c.failures + 1, "last_failure_at": latest},
                )
            )


def purge_stale(now: datetime | None = None) -> int:
    """Forget sessions past their absolute expiry and failure counts after a quiet day; returns rows removed."""
    now = now or clock.now()
    quiet_since = now - DEFAULT_POLICY.login_failures_forgotten_after
    with transaction() as session:
        sessions = session.execute(delete(UserSession).where(UserSession.expires_at <= now)).rowcount
        throttles = session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < quiet_since)).rowcount
    return sessions + throttles


def log_in(email: str, password: str, address: str = "") -> SignedIn:
    """Sign in from `address` (the client's IP). Failures are counted per account and address, and per address."""
    # No account has a longer email or control characters in it; such text is still counted, never sent to the DB raw.
    email, now = CONTROL_CHARACTERS.sub("", normalize_email(email))[:254], clock.now()
    throttles = throttles_for(email, CONTROL_CHARACTERS.sub("", address)[:45])
    keys = [(throttle.scope, throttle.key) for throttle in throttles]
    with read() as session:
        rows = list(session.exec(select(LoginThrottle).where(tuple_(LoginThrottle.scope, LoginThrottle.key).in_(keys))))
        user = session.exec(select(User).where(User.email == email)).first()
    if wait := _wait_message(throttles, rows, now):
        _count_failures(throttles, now)  # no password is tried, and hammering on only makes the wait longer
        raise TooManyAttempts(wait)
    # The hash is checked outside any transaction: it takes a tenth of a second and needs no connection.
    if verify_password(password, user.password_hash if user else None) and user:
        pair = throttles[0]  # this account from this address; the address's own count stays
        with transaction() as session:
            session.execute(
                delete(LoginThrottle).where(LoginThrottle.scope == pair.scope, LoginThrottle.key == pair.key)
            )
            return SignedIn(user=user, token=_start_session(session, user, now))
    _count_failures(throttles, now)
    raise InvalidInput(WRONG_CREDENTIALS)


def log_out(token: str) -> None:
    with transaction() as session:
        row = session.exec(select(UserSession).where(UserSession.token_hash == _hash_token(token))).first()
        if row and row.revoked_at is None:
            row.revoked_at = clock.now()
            session.add(row)


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and which portals are theirs."""

    user: User
    is_creator: bool


# Built once: every page event runs it, and building a statement costs about as much as running it.
_SIGNED_IN = (
    select(
        UserSession.id,
        UserSession.revoked_at,
        UserSession.expires_at,
        UserSession.last_seen_at,
        User,
        exists().where(BusinessMember.user_id == User.id),
    )
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def _signed_in(session: Session, token: str) -> Viewer | None:
    """One statement: the session, its user and whether they belong to a business (every page event asks this)."""
    if not token:
        return None
    now, settings = clock.now(), get_settings()
    found = session.exec(_SIGNED_IN, params={"token_hash": _hash_token(token)}).first()
    if found is None:
        return None
    session_id, revoked_at, expires_at, last_seen_at, user, is_creator = found
    if revoked_at is not None or expires_at <= now:
        return None
    if now - last_seen_at > timedelta(minutes=settings.session_idle_minutes):
        return None
    if now - last_seen_at > TOUCH_EVERY:
        session.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now))
    return Viewer(user=user, is_creator=is_creator)


def viewer_for_token(token: str) -> Viewer | None:
    """The signed-in user with their portals, or None when the token is unknown, revoked, idle too long or too old."""
    with read() as session:
        return _signed_in(session, token)


def as_signed_in(token: str, use_case: Callable[..., T], *args: object) -> tuple[Viewer | None, T | None]:
    """Who is asking, and `use_case(user, *args)` run as them (it authorizes): a page load's one trip to a thread."""
    viewer = viewer_for_token(token)
    return viewer, (use_case(viewer.user, *args) if viewer else None)


def user_for_token(token: str) -> User | None:
    viewer = viewer_for_token(token)
    return viewer.user if viewer else None
