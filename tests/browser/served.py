"""The browser form served from a thread of its own, on a slips unit, for a real browser to open.

Selenium's calls block, so the server and its database run on their own event loop in a thread;
the tests ask it for slips and counts through `call`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from pathlib import Path
from typing import TypeVar

from tests.web_room import WebRoom, web_room
from web.address import WebAddress
from web.guard import Guesses
from web.server import WebServer

T = TypeVar("T")
_READY_SECONDS = 30


class ServedForm:
    """`with ServedForm(folder) as served:` the form on 127.0.0.1 (a port of the system's choice)."""

    def __init__(self, folder: Path, *, unit: str = "县财政局") -> None:
        self.folder = folder
        self.unit = unit
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="web-form", daemon=True)
        self._stack = AsyncExitStack()
        self._room: WebRoom | None = None
        self._server: WebServer | None = None

    def __enter__(self) -> ServedForm:
        self.thread.start()
        self.call(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        self.call(self._stack.aclose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=_READY_SECONDS)
        self.loop.close()

    async def _start(self) -> None:
        self._room = await self._stack.enter_async_context(web_room(self.folder, unit=self.unit))
        room = self._room
        server = WebServer(
            WebAddress("http://127.0.0.1/", "127.0.0.1", 0),
            room.door,
            room.participation,
            room.form().survey,
            guesses=Guesses(delay=0.05),
        )
        await server.start()
        self._stack.push_async_callback(server.stop)
        self._server = server

    def call(self, coroutine: Coroutine[object, object, T]) -> T:
        """Run a coroutine on the server's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=_READY_SECONDS)

    @property
    def room(self) -> WebRoom:
        """Return the slips unit served."""
        assert self._room is not None
        return self._room

    @property
    def url(self) -> str:
        """Return the form's address (ends in /)."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.port}/"

    def slips(self, count: int) -> tuple[str, ...]:
        """Print `count` new slips; return their codes."""
        return self.call(self.room.issue(count))

    def ballots(self) -> int:
        """Return how many ballots the unit holds."""
        return self.call(self.room.ballots())
