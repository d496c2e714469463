"""A tab whose backend died keeps its token, and so its state, on the backend it reconnects to.

Reflex records in Redis which backend holds each tab's socket. When a tab reconnects, a record naming another
backend is taken for a second tab with the same token (a duplicated browser tab), and the tab is given a new token:
a fresh state, so the page re-renders from its defaults and loses what the person had typed. After a backend is
killed its records stay for an hour, so every tab it held would lose its form. Here each backend holds a Redis
subscription for as long as it lives (Redis drops it the moment the process dies); a record naming a backend with
no subscription is stale, and the reconnecting tab takes its token over.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import reflex as rx
from redis.exceptions import RedisError
from reflex.utils.token_manager import RedisTokenManager, SocketRecord

log = logging.getLogger(__name__)
PRESENCE_CHECK_SECONDS = 1.0  # how soon a changed worker identity is subscribed again


def _presence_channel(instance_id: str) -> str:
    return f"resolution_center_backend_alive_{instance_id}"


class FailoverTokenManager(RedisTokenManager):
    """Reflex 0.10.1's manager (its record helpers included), with stale records of dead backends dropped. In the
    second after Redis restarts, before a backend has subscribed again, it may look dead: a tab reconnecting then
    keeps its token even if a twin tab holds it, which is how Reflex behaved before it told duplicates apart."""

    async def link_token_to_sid(self, token: str, sid: str) -> str | None:
        try:
            record = await self._fetch_socket_record(token)
            if record is not None and record.instance_id != self.instance_id and not await self._alive(record):
                await self.redis.delete(self._get_redis_key(token))
        except RedisError as error:  # Reflex's own handling follows, and logs it
            log.warning("Could not check whether a tab's last backend is alive: %s", error)
        return await super().link_token_to_sid(token, sid)

    async def _alive(self, record: SocketRecord) -> bool:
        [(_, subscribers)] = await self.redis.pubsub_numsub(_presence_channel(record.instance_id))
        return subscribers > 0

    async def hold_presence(self) -> None:
        """Subscribe to this backend's channel until cancelled, again after Redis comes back, and again when Reflex
        gives the worker a new identity (it does at start-up, after a fork)."""
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    subscribed = self.instance_id
                    await pubsub.subscribe(_presence_channel(subscribed))
                    while subscribed == self.instance_id:
                        await pubsub.get_message(timeout=PRESENCE_CHECK_SECONDS)
            except (RedisError, OSError) as error:
                log.warning("Redis lost, presence to be announced again: %s", error)
                await asyncio.sleep(PRESENCE_CHECK_SECONDS)


@asynccontextmanager
async def failover_for_tabs(app: rx.App) -> AsyncIterator[None]:
    """A lifespan task: on Redis, the app's token manager becomes a FailoverTokenManager holding its presence."""
    namespace = app.event_namespace
    current = namespace._token_manager if namespace is not None else None
    if not isinstance(current, RedisTokenManager):
        yield
        return
    manager = FailoverTokenManager(current.redis)
    namespace._token_manager = manager
    presence = asyncio.create_task(manager.hold_presence(), name="tab failover presence")
    try:
        yield
    finally:
        presence.cancel()
        with suppress(asyncio.CancelledError):
            await presence
