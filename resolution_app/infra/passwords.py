"""Password hashing with argon2 through passlib."""

import os
from concurrent.futures import ThreadPoolExecutor

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _context.hash("no-such-user-password")


MAX_PASSWORD_BYTES = 4096  # passlib refuses longer ones
# Where the use cases that hash run, apart from the default executor's few threads (cores + 4): a surge of log-ins,
# every tab at once after a restart, queued there made page loads wait behind ~0.1 s hashes until their state locks
# expired. Argon2 releases the GIL, so one thread per core keeps the cores busy; more would only queue in the OS.
HASHING = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="password-hashing")


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
