"""The one clock every rule reads. Tests move it; production reads the system time."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self) -> None:
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        return self._frozen if self._frozen is not None else datetime.now(UTC)

    def freeze(self, at: datetime) -> None:
        self._frozen = at.astimezone(UTC)

    def advance(self, by: timedelta) -> None:
        self.freeze(self.now() + by)

    def unfreeze(self) -> None:
        self._frozen = None

    @contextmanager
    def kept(self) -> Iterator[None]:
        """Whatever the block does to the clock is undone after it."""
        saved = self._frozen
        try:
            yield
        finally:
            self._frozen = saved


clock = Clock()
