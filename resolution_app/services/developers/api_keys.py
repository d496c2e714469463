"""API keys: made by a business's owners and managers, shown once, kept hashed, revoked at once. Like the other
settings pages, they belong to the user's business (services/creator/businesses.creator_business).

A key acts as the member who made it, within its one business and its scope: never more than that member may do
there, so a member who leaves takes their keys' access with them.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import FromClause, Row, Select, bindparam, func, true, update
from sqlmodel import Session, select

from resolution_app.domain.enums import API_SCOPE_LABELS, ApiScope
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.domain.text import has_control_characters
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, read_rows, transaction
from resolution_app.models import ApiKey, Business, BusinessMember, User
from resolution_app.services.access import ACTING_ROLES, membership
from resolution_app.services.creator.businesses import creator_business
from resolution_app.services.developers.rate_limit import check, counted, window_of

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


# The live key whose maker is still a member of its business. Its request is counted (rate_limit.counted) and, once a
# minute, its "last used" moved on (_TOUCHED), in the statement that checks it: one round trip, as it comes before
# every API request. Losing the last moment's counts and stamps in a crash is harmless, so that statement's commit
# doesn't wait for the disk: set_config(..., true) is SET LOCAL, for the statement's own transaction (0.2 ms a request).
# So an authenticating statement runs alone, in infra.db.read_rows(), never in a transaction with writes that must last.
CALLER = (
    select(
        ApiKey.id.label("key_id"),
        ApiKey.business_id,
        ApiKey.scope,
        ApiKey.created_by_id,
        func.set_config("synchronous_commit", "off", True).label("commit_unflushed"),
    )
    .join(
        BusinessMember,
        (BusinessMember.user_id == ApiKey.created_by_id) & (BusinessMember.business_id == ApiKey.business_id),
    )
    .where(ApiKey.key_hash == bindparam("hash"), ApiKey.revoked_at.is_(None))
    .cte("caller")
)
_COUNTED = counted(CALLER)
_TOUCHED = (
    update(ApiKey)
    .where(
        ApiKey.id == select(CALLER.c.key_id).scalar_subquery(),
        ApiKey.last_used_at.is_(None) | (ApiKey.last_used_at <= bindparam("stale")),
    )
    .values(last_used_at=bindparam("now"))
    .cte("touched")
)


def authenticating(found: FromClause | None = None) -> Select:
    """The key's check and count, and `found` (a LATERAL subquery on CALLER.c.business_id: what the request reads of
    the key's business) in the same statement. No row for a key that is not live; else a row per row found (one with
    its columns null if none), each with the caller's columns and the minute's `requests`."""
    joined = CALLER.join(_COUNTED, true())
    if found is not None:
        joined = joined.outerjoin(found, true())
    return select(*joined.exported_columns).select_from(joined).add_cte(_TOUCHED)


_AUTHENTICATE = authenticating()


def looks_like_key(secret: str) -> bool:
    return secret.startswith(KEY_PREFIX) and len(secret) <= 200


def key_values(secret: str, now: datetime) -> dict[str, object]:
    """The values of an authenticating statement's key check."""
    return {"hash": _hash(secret), "window": window_of(now), "now": now, "stale": now - LAST_USED_EVERY}


def caller_of(row: Row, now: datetime) -> ApiCaller:
    """Who an authenticating statement's row speaks for; RateLimited once the key's minute is used up."""
    check(row.requests, now)
    return ApiCaller(row.key_id, row.business_id, ApiScope(row.scope), user_id=row.created_by_id)


def authenticate(secret: str) -> ApiCaller | None:
    """The caller a bearer key speaks for; None for a key that is unknown, malformed or revoked, or whose maker is no
    longer a member of its business. Each call counts against the key's rate limit (RateLimited past it)."""
    if not looks_like_key(secret):
        return None
    now = clock.now()
    with read_rows() as connection:  # the statement commits as it runs
        found = connection.execute(_AUTHENTICATE, key_values(secret, now)).first()
    return None if found is None else caller_of(found, now)
