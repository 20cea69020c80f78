"""Group members invited to key in one open unit's paper forms, and their single-use invites."""

from __future__ import annotations

import secrets

from storage.database import Database


class KeyerRepository(Database):
    """Who may key a unit's paper forms besides its leader; nothing about what they keyed."""

    async def create_keyer_invite(self, window_id: int) -> str:
        """Insert a random URL-safe token for the window into keyer_invites."""
        token = secrets.token_urlsafe(16)
        async with self.transaction() as db:
            await db.execute("INSERT INTO keyer_invites (token, window_id) VALUES (?, ?)", (token, window_id))
        return token

    async def redeem_keyer_invite(self, token: str, user_id: int) -> int | None:
        """Delete the invite if its window is open and add the user to keyers, in one transaction."""
        async with self.transaction() as db:
            async with db.execute(
                "DELETE FROM keyer_invites WHERE token = ? AND window_id IN "
                "(SELECT id FROM windows WHERE is_open = 1) RETURNING window_id",
                (token,),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return None
            await db.execute(
                "INSERT INTO keyers (window_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (row[0], user_id),
            )
        return int(row[0])

    async def is_keyer(self, window_id: int, user_id: int) -> bool:
        """Look the pair up in keyers."""
        rows = await self.fetchall(
            "SELECT 1 FROM keyers WHERE window_id = ? AND user_id = ?", (window_id, user_id)
        )
        return bool(rows)

    async def keyers(self, window_id: int) -> list[int]:
        """Read the window's rows of `keyers` (deleted at close), by user id."""
        rows = await self.fetchall(
            "SELECT user_id FROM keyers WHERE window_id = ? ORDER BY user_id", (window_id,)
        )
        return [int(row[0]) for row in rows]

    async def keyed_windows(self, user_id: int) -> list[int]:
        """Join the user's rows of keyers with the open windows, newest first."""
        rows = await self.fetchall(
            "SELECT k.window_id FROM keyers k JOIN windows w ON w.id = k.window_id "
            "WHERE k.user_id = ? AND w.is_open = 1 ORDER BY k.window_id DESC",
            (user_id,),
        )
        return [int(row[0]) for row in rows]
