"""A clock that moves only when a test moves it: pacing and live-tally tests never wait on the wall clock."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math

# Turns of the event loop that let whoever a moment woke run to its next wait (a request's round
# trip in the tests' fake Bot API is one turn).
_TURNS = 20


async def _let_run() -> None:
    for _ in range(_TURNS):
        await asyncio.sleep(0)


class FakeClock:
    """The time (call it) and a `sleep` that returns when `advance` has moved the time far enough."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        """Return the time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wait until the clock has been moved `seconds` on (no wait at all for none)."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        # A wait too short to move a float this large still moves it: by one step, so a sleeper
        # that waits again for what rounding left over does not wait at the same moment for ever.
        moment = max(self.now + seconds, math.nextafter(self.now, math.inf))
        heapq.heappush(self._sleepers, (moment, next(self._order), woken))
        await woken

    async def advance(self, seconds: float) -> None:
        """Move the time on, waking each sleeper at its moment in turn and letting it run."""
        until = self.now + seconds
        await _let_run()
        while self._sleepers and self._sleepers[0][0] <= until:
            moment, _, woken = heapq.heappop(self._sleepers)
            self.now = max(self.now, moment)
            if not woken.done():  # a cancelled sleeper is simply forgotten
                woken.set_result(None)
            await _let_run()
        self.now = until
        await _let_run()
