"""Short-lived signed tokens, for download links a handler mints after checking the user's right to the file.

Token: base64url(payload) "." expiry (Unix seconds) "." base64url(HMAC-SHA256(secret, first two parts)).
The payload travels readable (it holds ids, not secrets); the MAC makes it unforgeable and the expiry final.
"""

import base64
import binascii
import hashlib
import hmac
from datetime import datetime


class BadSignature(Exception):
    """The token was not signed by us with this secret, was altered, or is malformed."""


class SignatureExpired(BadSignature):
    """The token was genuine but its time is up."""


def sign(payload: str, secret: str, expires_at: datetime) -> str:
    _require_secret(secret)
    body = f"{_encode(payload.encode())}.{_unix_seconds(expires_at)}"
    return f"{body}.{_mac(body, secret)}"


def verify(token: str, secret: str, now: datetime) -> str:
    """The payload of a genuine, unexpired token; BadSignature (or SignatureExpired) otherwise."""
    _require_secret(secret)
    body, _, mac = token.rpartition(".")
    encoded_payload, _, expiry = body.partition(".")
    if not (token.isascii() and encoded_payload and expiry.isdigit() and mac):  # tokens we mint are ASCII
        raise BadSignature("Malformed token.")
    # Check the MAC before trusting or even decoding anything else in the token.
    if not hmac.compare_digest(mac.encode(), _mac(body, secret).encode()):
        raise BadSignature("Signature does not match.")
    if _unix_seconds(now) >= int(expiry):
        raise SignatureExpired("Link expired.")
    return _decode(encoded_payload)


def _mac(body: str, secret: str) -> str:
    return _encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> str:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadSignature("Malformed token.") from None


def _unix_seconds(moment: datetime) -> int:
    # A naive datetime would silently mean the server's local time; every time in this app is UTC-aware.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("sign/verify need a timezone-aware datetime (UTC).")
    return int(moment.timestamp())


def _require_secret(secret: str) -> None:
    if not secret:
        raise ValueError("A signing secret is required.")
