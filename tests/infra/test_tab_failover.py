"""Two backends on one Redis: a tab whose backend died keeps its token on the other; a second live tab with the same
token (a duplicated browser tab) still gets a new one."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from resolution_app.infra.tab_failover import FailoverTokenManager
from tests.event_loops import run_apart


@asynccontextmanager
async def _backend(redis_url: str) -> AsyncIterator[FailoverTokenManager]:
    """A backend's token manager holding its presence, on a Redis connection of its own (as a process has)."""
    manager = FailoverTokenManager(Redis.from_url(redis_url))
    presence = asyncio.create_task(manager.hold_presence())
    await _until(lambda: manager.redis.pubsub_numsub(f"resolution_center_backend_alive_{manager.instance_id}"), 1)
    try:
        yield manager
    finally:
        presence.cancel()
        await asyncio.gather(presence, return_exceptions=True)
        await manager.redis.aclose()


async def _until(count: Callable, expected: int) -> None:
    for _ in range(100):
        [(_, subscribers)] = await count()
        if subscribers == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"subscribers never became {expected}")


def test_a_tab_whose_backend_died_keeps_its_token_on_the_other(redis_url):
    async def scenario() -> None:
        async with _backend(redis_url) as survivor:
            async with _backend(redis_url) as doomed:
                assert await doomed.link_token_to_sid("tab-1", "sid-on-doomed") is None
                channel = f"resolution_center_backend_alive_{doomed.instance_id}"
            # The doomed backend is gone and its record stays behind in Redis, as after a SIGKILL.
            await _until(lambda: survivor.redis.pubsub_numsub(channel), 0)
            assert await survivor.redis.exists("token_manager_socket_record_tab-1")
            assert await survivor.link_token_to_sid("tab-1", "sid-on-survivor") is None
            assert (await survivor._fetch_socket_record("tab-1")).instance_id == survivor.instance_id

    run_apart(scenario())


def test_a_duplicated_tab_on_a_live_backend_still_gets_a_token_of_its_own(redis_url):
    async def scenario() -> None:
        async with _backend(redis_url) as first, _backend(redis_url) as second:
            assert await first.link_token_to_sid("tab-2", "sid-a") is None
            new_token = await second.link_token_to_sid("tab-2", "sid-b")
            assert new_token not in (None, "tab-2")
            assert (await second._fetch_socket_record("tab-2")).instance_id == first.instance_id

    run_apart(scenario())
