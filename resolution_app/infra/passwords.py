"""Password hashing with argon2 through passlib."""

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _context.hash("no-such-user-password")


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _context.verify(password, _DUMMY_HASH)
        return False
    return _context.verify(password, password_hash)
