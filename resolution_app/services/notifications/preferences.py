"""Each person's "Resolution Center emails" switch: in Settings → Notifications, or one click in any email.

Turning emails off applies to every email not yet sent (delivery checks the switch again before sending); in-app
notifications never stop.
"""

from datetime import datetime, timedelta

from sqlalchemy import update

from resolution_app.domain.errors import NotFound
from resolution_app.infra import signing
from resolution_app.infra.clock import clock
from resolution_app.infra.db import read, transaction
from resolution_app.infra.settings import get_settings
from resolution_app.models import User

UNSUBSCRIBE_LINK_LIFETIME = timedelta(days=365)  # an old email's link still works for a year
UNSUBSCRIBE_PATH = "/api/notifications/unsubscribe/"
LINK_NOT_VALID = "This link isn't valid any more. Turn emails off in Settings → Notifications instead."


def emails_enabled(user: User) -> bool:
    with read() as session:
        current = session.get(User, user.id)
        return bool(current and current.emails_enabled)


def set_emails_enabled(user: User, enabled: bool) -> bool:
    """The person's own switch; returns what is saved now."""
    _switch(user.id, bool(enabled))
    return bool(enabled)


def unsubscribe_url(user_id: int, issued_at: datetime) -> str:
    """The one-click link an email carries (RFC 8058). Minted from the email's own time, so every try of the same
    email carries the same link."""
    token = signing.sign(f"unsubscribe:{user_id}", get_settings().signing_secret, issued_at + UNSUBSCRIBE_LINK_LIFETIME)
    return get_settings().public_api_url.rstrip("/") + UNSUBSCRIBE_PATH + token


def unsubscribe_subject(token: str) -> int:
    """The id of the person an unsubscribe link was made for, changing nothing. NotFound when the link is not one
    of ours (a download link's token included), was altered, or is too old."""
    try:
        payload = signing.verify(token, get_settings().signing_secret, clock.now())
    except signing.BadSignature:
        raise NotFound(LINK_NOT_VALID) from None
    kind, _, subject = payload.partition(":")
    if kind != "unsubscribe" or not subject.isdigit():
        raise NotFound(LINK_NOT_VALID)
    return int(subject)


def unsubscribe(token: str) -> str:
    """Turn emails off for the person the link was made for; their email address, to say whose. NotFound when the
    link is not one of ours, was altered, or is too old."""
    address = _switch(unsubscribe_subject(token), False)
    if address is None:
        raise NotFound(LINK_NOT_VALID)
    return address


def _switch(user_id: int, enabled: bool) -> str | None:
    with transaction() as session:
        result = session.execute(
            update(User).where(User.id == user_id).values(emails_enabled=enabled).returning(User.email)
        )
        return result.scalar_one_or_none()
