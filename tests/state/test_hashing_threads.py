"""Log-ins and sign-ups hash passwords on threads of their own (infra/passwords.HASHING). On the default executor's
few threads a surge of them, every tab logging in again after a restart, held up every page load behind it."""

import asyncio
import inspect
import threading

from resolution_app.infra.passwords import hash_password
from resolution_app.state.session import SessionState, hashing
from tests.event_loops import run_apart

MORE_THAN_THE_DEFAULT_EXECUTOR_HAS = 40  # it has min(32, cores + 4)


def test_a_hash_needs_no_thread_of_the_default_executor():
    assert run_apart(_hash_with_every_default_thread_held()).startswith("$argon2")


async def _hash_with_every_default_thread_held() -> str:
    loop = asyncio.get_running_loop()
    release = threading.Event()
    every_thread_held = [loop.run_in_executor(None, release.wait) for _ in range(MORE_THAN_THE_DEFAULT_EXECUTOR_HAS)]
    try:
        return await asyncio.wait_for(hashing(hash_password, "correct horse battery"), timeout=10)
    finally:
        release.set()
        await asyncio.gather(*every_thread_held)


def test_log_in_and_sign_up_hash_there():
    for handler in (SessionState.log_in, SessionState.sign_up):
        source = inspect.getsource(handler.fn)
        assert "await hashing(accounts." in source and "to_thread" not in source
