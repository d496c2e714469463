"""API keys: made by a business's owners and managers, shown once, kept hashed, revoked at once. Like the other
settings pages, they belong to the user's business (services/businesses.creator_business).

A key acts as the member who made it, within its one business and its scope: never more than that member may do
there, so a member who leaves takes their keys' access with them.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from resolution_app.domain.enums import API_SCOPE_LABELS, ApiScope
from resolution_app.domain.errors import Forbidden, InvalidInput, NotFound
from resolution_app.domain.ids import is_row_id
from resolution_app.domain.text import has_control_characters
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.models import ApiKey, Business, BusinessMember, User
from resolution_app.services.access import ACTING_ROLES, membership
from resolution_app.services.businesses import creator_business
from resolution_app.services.developers.rate_limit import count_request

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
    """Who a valid key speaks for: its maker, in its business, within its scope."""

    key_id: int
    business_id: int
    scope: ApiScope
    user: User

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


def authenticate(secret: str) -> ApiCaller | None:
    """The caller a bearer key speaks for; None for a key that is unknown, malformed or revoked, or whose maker is no
    longer a member of its business. Each call counts against the key's rate limit (RateLimited past it)."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    now = clock.now()
    with transaction() as session:
        found = session.exec(
            select(ApiKey, User)
            .join(User, User.id == ApiKey.created_by_id)
            .join(
                BusinessMember, (BusinessMember.user_id == User.id) & (BusinessMember.business_id == ApiKey.business_id)
            )
            .where(ApiKey.key_hash == _hash(secret), ApiKey.revoked_at.is_(None))
        ).first()
        if found is None:
            return None
        key, user = found
        count_request(session, key.id, now)
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
            key.last_used_at = now
            session.add(key)
        return ApiCaller(key_id=key.id, business_id=key.business_id, scope=ApiScope(key.scope), user=user)
