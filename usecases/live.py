"""The live tally messages: which messages show a window's tally, and what they show now.

`bot/live.py` decides when to edit them (after a batch, at a bounded rate) and draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.records import LiveView, Window
from conversations.tally import Tally
from usecases.ports import LiveViewStore, WindowStore
from usecases.results import Results


@dataclass(frozen=True, slots=True)
class Board:
    """A window's live tally messages and the figures to show in them (None: there are none)."""

    window: Window
    views: list[LiveView]
    tally: Tally | None


class LiveBoards:
    """Keep track of the live tally messages and count what they show."""

    def __init__(self, windows: WindowStore, views: LiveViewStore, results: Results) -> None:
        self.windows = windows
        self.views = views
        self.results = results

    async def track(self, view: LiveView) -> None:
        """Keep this freshly posted message current from now on."""
        await self.views.add_live_view(view)

    async def messages(self, window_id: int) -> list[LiveView]:
        """Return the messages showing this window's live tally."""
        return await self.views.live_views(window_id)

    async def board(self, window: Window) -> Board:
        """Return the window's live messages and, if there are any, its tally as it stands."""
        views = await self.views.live_views(window.id)
        return Board(window, views, await self.results.tally(window) if views else None)

    async def open_board(self, window_id: int) -> Board | None:
        """Return the board of a window still open; None once it is closed (its last edit is done)."""
        window = await self.windows.window(window_id)
        return await self.board(window) if window is not None and window.is_open else None

    async def let_go(self, window_id: int) -> None:
        """Stop keeping the window's tally messages current (it closed)."""
        await self.views.drop_live_views(window_id)
