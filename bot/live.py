"""Tally messages the bot keeps current: edited when a batch is released, at a bounded rate."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.pacing import broadcast
from bot.screens import Screen
from bot.texts import Texts, by_language
from storage.models import LiveView, Window
from storage.repository import Repository
from usecases.events import BatchReleased

logger = logging.getLogger(__name__)

Renderer = Callable[[Texts, Window], Awaitable[Screen]]


class LiveTallies:
    """Keep every live tally message of a window current, one edit per interval per message."""

    def __init__(self, repository: Repository, interval: float) -> None:
        self.repository = repository
        self.interval = interval
        self.bot: Bot | None = None
        self.render: Renderer | None = None
        self._last_edit: dict[tuple[int, int], float] = {}
        self._pending: dict[int, asyncio.Task[None]] = {}

    def attach(self, bot: Bot, render: Renderer) -> None:
        """Give the service the bot to edit with and the function that draws a tally screen."""
        self.bot = bot
        self.render = render

    async def track(self, view: LiveView) -> None:
        """Keep this freshly posted message current from now on."""
        await self.repository.add_live_view(view)
        self._last_edit[(view.chat_id, view.message_id)] = time.monotonic()

    async def on_batch_released(self, event: BatchReleased) -> None:
        """Schedule an update of the window's live messages; several batches coalesce."""
        window_id = event.window.id
        if window_id not in self._pending:
            self._pending[window_id] = asyncio.get_running_loop().create_task(self._update_later(window_id))

    async def finish(self, window: Window) -> None:
        """Show the final figures in every live message of a closed window, then let them go."""
        pending = self._pending.pop(window.id, None)
        if pending is not None:
            pending.cancel()
        await self._edit_all(window)
        await self.repository.drop_live_views(window.id)

    async def stop(self) -> None:
        """Cancel scheduled updates (on shutdown); live views stay stored for the next start."""
        for task in self._pending.values():
            task.cancel()
        self._pending.clear()

    async def _update_later(self, window_id: int) -> None:
        try:
            views = await self.repository.live_views(window_id)
            now = time.monotonic()
            wait = max(
                (self._last_edit.get((v.chat_id, v.message_id), 0.0) + self.interval - now for v in views),
                default=0.0,
            )
            await asyncio.sleep(max(0.0, wait))
        finally:
            self._pending.pop(window_id, None)
        window = await self.repository.window(window_id)
        if window is not None and window.is_open:
            await self._edit_all(window)

    async def _edit_all(self, window: Window) -> None:
        if self.bot is None or self.render is None:
            return
        for view in await self.repository.live_views(window.id):
            screen = await self.render(by_language(view.language), window)
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
            self._last_edit[(view.chat_id, view.message_id)] = time.monotonic()
