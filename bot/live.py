"""Tally messages the bot keeps current: edited when a batch is released, at a bounded rate.

It listens to the application layer's events (`BatchReleased`, `SurveyClosed`) and draws the
tally the way /tally does; nothing calls it back from a handler.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.pacing import broadcast
from bot.screens import Screen
from bot.tally_view import tally_screen
from bot.texts import by_language, html
from conversations.records import LiveView, Window
from usecases.events import BatchReleased, Events, RoomOverfilled, SurveyClosed
from usecases.live import Board, LiveBoards

logger = logging.getLogger(__name__)


class LiveTallies:
    """Keep every live tally message of a window current, one edit per interval per message."""

    def __init__(  # noqa: PLR0913 - keyword-only, each one a dependency
        self,
        bot: Bot,
        *,
        boards: LiveBoards,
        zone: ZoneInfo,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self.boards = boards
        self.zone = zone
        self.interval = interval
        self.clock = clock  # the time and the waiting, both a test's to move
        self.sleep = sleep
        self._last_edit: dict[tuple[int, int], float] = {}
        self._pending: dict[int, asyncio.Task[None]] = {}
        self._finishing: set[asyncio.Task[None]] = set()
        # window id → chat id → the message a close is being confirmed on (it shows the final tally)
        self._closing: dict[int, dict[int, int]] = {}

    def listen(self, events: Events) -> None:
        """Follow the application's announcements: batches released, windows closed."""
        events.subscribe(BatchReleased, self.on_batch_released)
        events.subscribe(RoomOverfilled, self.on_room_overfilled)
        events.subscribe(SurveyClosed, self.on_survey_closed)

    async def track(self, view: LiveView) -> None:
        """Keep this freshly posted message current from now on."""
        await self.boards.track(view)
        self._last_edit[(view.chat_id, view.message_id)] = self.clock()

    def closing(self, window_id: int, chat_id: int, message_id: int) -> None:
        """Say that a close is confirmed on this message: the final tally is drawn there.

        The chat's other live message of the window then says where the results are, instead of
        a second copy of the same final tally.
        """
        self._closing.setdefault(window_id, {})[chat_id] = message_id

    def not_closing(self, window_id: int, chat_id: int) -> None:
        """Forget a close that did not happen (refused, already closed, or the disk said no)."""
        chats = self._closing.get(window_id, {})
        chats.pop(chat_id, None)
        if not chats:
            self._closing.pop(window_id, None)

    async def on_batch_released(self, event: BatchReleased) -> None:
        """Schedule an update of the window's live messages; several batches coalesce."""
        window_id = event.window.id
        if window_id not in self._pending:
            self._pending[window_id] = asyncio.get_running_loop().create_task(self._update_later(window_id))

    async def on_room_overfilled(self, event: RoomOverfilled) -> None:
        """Say at once, in every live message, that the figures stay where they are until close.

        Not paced: the notice must be there before anything else; the figures do not move.
        """
        pending = self._pending.pop(event.window.id, None)
        if pending is not None:
            pending.cancel()
        task = asyncio.get_running_loop().create_task(self._edit_current(event.window.id))
        self._finishing.add(task)
        task.add_done_callback(self._finishing.discard)

    async def _edit_current(self, window_id: int) -> None:
        board = await self.boards.open_board(window_id)
        if board is not None:
            await self._edit_all(board)

    async def on_survey_closed(self, event: SurveyClosed) -> None:
        """Show the final figures in every live message of a closed window, then let them go.

        The edits run on their own, so that the leader's press is answered first.
        """
        pending = self._pending.pop(event.window.id, None)
        if pending is not None:
            pending.cancel()
        task = asyncio.get_running_loop().create_task(self._finish(event.window))
        self._finishing.add(task)
        task.add_done_callback(self._finishing.discard)

    async def stop(self) -> None:
        """Cancel scheduled updates (on shutdown); live views stay stored for the next start."""
        for task in [*self._pending.values(), *self._finishing]:
            task.cancel()
        self._pending.clear()

    async def _finish(self, window: Window) -> None:
        await self._edit_all(await self.boards.board(window), self._closing.pop(window.id, {}))
        await self.boards.let_go(window.id)

    async def _update_later(self, window_id: int) -> None:
        try:
            views = await self.boards.messages(window_id)
            now = self.clock()
            wait = max(
                (self._last_edit.get((v.chat_id, v.message_id), 0.0) + self.interval - now for v in views),
                default=0.0,
            )
            await self.sleep(max(0.0, wait))
        finally:
            self._pending.pop(window_id, None)
        await self._edit_current(window_id)

    async def _edit_all(self, board: Board, closed_from: dict[int, int] | None = None) -> None:
        """Edit every live message of the window; in a chat the close came from, point to its final tally."""
        closed_from = closed_from or {}
        window, tally = board.window, board.tally
        for view in board.views:
            assert tally is not None  # noqa: S101 - counted when there are views
            t = by_language(view.language)
            if view.chat_id in closed_from:
                if closed_from[view.chat_id] == view.message_id:
                    continue  # the message the close was confirmed on: its handler draws the tally
                screen = Screen(t.TALLY_CLOSED_BELOW.format(unit=html(window.unit)))
            else:
                screen = tally_screen(t, window, tally, self.zone)
            try:
                with broadcast():  # one notice to several chats: under the ceiling over all chats
                    await self.bot.edit_message_text(
                        screen.text,
                        chat_id=view.chat_id,
                        message_id=view.message_id,
                        reply_markup=screen.markup(),
                    )
            except BadRequest as error:
                if "not modified" not in str(error).lower():
                    logger.warning("A live tally message could not be edited: %s", error)
            except TelegramError as error:
                logger.warning("A live tally message could not be edited: %s", error)
            self._last_edit[(view.chat_id, view.message_id)] = self.clock()
