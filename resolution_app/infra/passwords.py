"""Password hashing with argon2 through passlib."""

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _context.hash("no-such-user-password")


MAX_PASSWORD_BYTES = 4096  # passlib refuses longer ones


def can_hash(password: str) -> bool:
    """Text a password can be: UTF-8 (no lone surrogates) within passlib's size limit."""
    try:
        return len(password.encode()) <= MAX_PASSWORD_BYTES
    except UnicodeEncodeError:
        return False


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if not can_hash(password):
        return False  # no password was ever set to it
    if password_hash is None:
        _context.verify(password, _DUMMY_HASH)
        return False
    return _context.verify(password, password_hash)
