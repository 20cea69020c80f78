"""The tally messages kept current, so that a restart keeps them current too."""

from __future__ import annotations

from conversations.records import LiveView
from storage.database import Database


class LiveViewRepository(Database):
    """Which messages show a window's live tally."""

    async def add_live_view(self, view: LiveView) -> None:
        """Delete the chat's row for the window and insert this message's, in one transaction."""
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM live_views WHERE chat_id = ? AND window_id = ?", (view.chat_id, view.window_id)
            )
            await db.execute(
                "INSERT INTO live_views (chat_id, message_id, window_id, language) VALUES (?, ?, ?, ?)",
                (view.chat_id, view.message_id, view.window_id, view.language),
            )

    async def live_views(self, window_id: int) -> list[LiveView]:
        """Read the window's rows of live_views."""
        rows = await self.fetchall(
            "SELECT chat_id, message_id, window_id, language FROM live_views WHERE window_id = ?",
            (window_id,),
        )
        return [LiveView(chat_id=r[0], message_id=r[1], window_id=r[2], language=r[3]) for r in rows]

    async def drop_live_views(self, window_id: int) -> None:
        """Stop keeping the window's tally messages current (after its final edit)."""
        async with self.transaction() as db:
            await db.execute("DELETE FROM live_views WHERE window_id = ?", (window_id,))
