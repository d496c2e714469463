"""API keys: made by a business's owners and managers, shown once, kept hashed, revoked at once. Like the other
settings pages, they belong to the user's business (services/creator/businesses.creator_business).

A key acts as the member who made it, within its one business and its scope: never more than that member may do
there, so a member who leaves takes their keys' access with them.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, select

from resolution_app.domain.enums import API_SCOPE_LABELS, ApiScope
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.domain.text import has_control_characters
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.models import ApiKey, Business, User
from resolution_app.services.access import ACTING_ROLES, membership
from resolution_app.services.creator.businesses import creator_business
from resolution_app.services.developers.rate_limit import COUNT_CTE, check, window_of

KEY_PREFIX = "rc_key_"
SHOWN_CHARS = len(KEY_PREFIX) + 6
NAME_MAX_CHARS = 80
# "Last used" is for people telling live keys from forgotten ones: a write per minute, not one per request.
LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewKey:
    key_id: int
    secret: str  # shown once; only its hash is kept


@dataclass(frozen=True)
class KeyRow:
    key_id: int
    name: str
    scope: str
    scope_label: str
    shown_prefix: str
    created_by: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class ApiCaller:
    """Who a valid key speaks for: its maker, in its business, within its scope. The maker is loaded only by what
    acts or mints file links as them (api_cases), not for every request."""

    key_id: int
    business_id: int
    scope: ApiScope
    user_id: int

    @property
    def may_write(self) -> bool:
        return self.scope == ApiScope.READ_WRITE


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode(errors="surrogatepass")).hexdigest()


MANAGERS_ONLY = "Only the business's owners and managers can manage API keys and webhooks."


def managers_business(session: Session, user: User) -> Business:
    """The user's business, for its owners and managers: who may manage its keys and webhooks."""
    business = creator_business(session, user)
    member = membership(session, user, business.id)
    if member is None or member.role not in ACTING_ROLES:
        raise Forbidden(MANAGERS_ONLY)
    return business


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("Name the key, e.g. after the tool that will use it.", field="name")
    if len(name) > NAME_MAX_CHARS or has_control_characters(name):
        raise InvalidInput(f"A key's name is at most {NAME_MAX_CHARS} plain characters.", field="name")
    return name


def create_key(user: User, name: str, scope: str) -> NewKey:
    name = _checked_name(name)
    if scope not in ApiScope.__members__.values():
        raise InvalidInput("Choose Read, or Read and write.", field="scope")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction() as session:
        key = ApiKey(
            business_id=managers_business(session, user).id,
            name=name,
            scope=ApiScope(scope),
            key_hash=_hash(secret),
            shown_prefix=secret[:SHOWN_CHARS],
            created_by_id=user.id,
            created_at=clock.now(),
        )
        session.add(key)
        session.flush()
        return NewKey(key_id=key.id, secret=secret)


@dataclass(frozen=True)
class KeysView:
    keys: list[KeyRow]
    may_manage: bool  # an owner or manager: may make and revoke keys


def keys_view(user: User) -> KeysView:
    """The developers page: the business's live keys, newest first (any member may see that they exist, never the
    keys themselves), and whether this member may manage them."""
    with read() as session:
        business = creator_business(session, user)
        member = membership(session, user, business.id)
        return KeysView(keys=_live_keys(session, business.id), may_manage=member.role in ACTING_ROLES)


def _live_keys(session: Session, business_id: int) -> list[KeyRow]:
    found = session.exec(
        select(ApiKey, User.name)
        .join(User, User.id == ApiKey.created_by_id)
        .where(ApiKey.business_id == business_id, ApiKey.revoked_at.is_(None))
        .order_by(ApiKey.id.desc())
    ).all()
    return [
        KeyRow(
            key_id=key.id,
            name=key.name,
            scope=key.scope,
            scope_label=API_SCOPE_LABELS[ApiScope(key.scope)],
            shown_prefix=key.shown_prefix,
            created_by=maker,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
        )
        for key, maker in found
    ]


def revoke_key(user: User, key_id: int) -> None:
    """Revoked at once: the next request with it is refused."""
    with transaction() as session:
        business = managers_business(session, user)
        key = session.get(ApiKey, key_id, with_for_update=True) if is_row_id(key_id) else None
        if key is None or key.revoked_at is not None or key.business_id != business.id:
            raise NotFound("Key not found.")
        key.revoked_at = clock.now()
        session.add(key)


# The live key whose maker is still a member of its business, its request counted and, once a minute, its "last used"
# moved on: one statement, one round trip, as it comes before every API request.
_AUTHENTICATE = text(
    f"""
    WITH caller AS (
        SELECT k.id, k.business_id, k.scope, k.created_by_id FROM api_key k
        JOIN business_member m ON m.user_id = k.created_by_id AND m.business_id = k.business_id
        WHERE k.key_hash = :hash AND k.revoked_at IS NULL
    ),
    {COUNT_CTE},
    touched AS (
        UPDATE api_key SET last_used_at = :now
        WHERE id = (SELECT id FROM caller) AND (last_used_at IS NULL OR last_used_at <= :stale)
    )
    SELECT caller.*, counted.requests FROM caller, counted
    """
)


def looks_like_key(secret: str) -> bool:
    return secret.startswith(KEY_PREFIX) and len(secret) <= 200


def authenticate(secret: str) -> ApiCaller | None:
    """The caller a bearer key speaks for; None for a key that is unknown, malformed or revoked, or whose maker is no
    longer a member of its business. Each call counts against the key's rate limit (RateLimited past it)."""
    if not looks_like_key(secret):
        return None
    now = clock.now()
    values = {"hash": _hash(secret), "window": window_of(now), "now": now, "stale": now - LAST_USED_EVERY}
    with read() as session:  # the statement commits as it runs
        found = session.execute(_AUTHENTICATE, values).first()
    if found is None:
        return None
    check(found.requests, now)
    return ApiCaller(found.id, found.business_id, ApiScope(found.scope), user_id=found.created_by_id)
