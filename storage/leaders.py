"""Leaders made by invites, the invites themselves, and leaders' registered names and groups."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from conversations.records import Leader, Official
from storage.database import Database, now_text


class LeaderRepository(Database):
    """Invites (single use, until they expire) and the leaders they made."""

    async def create_invite(self, created_by: int, expires: datetime) -> str:
        """Insert a random URL-safe token and its expiry (ISO, to the second) into invites."""
        token = secrets.token_urlsafe(16)
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO invites (token, created_by, expires_at) VALUES (?, ?, ?)",
                (token, created_by, expires.isoformat(timespec="seconds")),
            )
        return token

    async def redeem_invite(self, token: str, user_id: int, name: str) -> bool | None:
        """Make the user a leader with this invite; None if no such invite, False if spent or expired."""
        async with self.transaction() as db:
            async with db.execute(
                "SELECT created_by, expires_at, used_by FROM invites WHERE token = ?", (token,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return None
            created_by, expires_at, used_by = row
            if used_by is not None or datetime.fromisoformat(expires_at) <= datetime.now(UTC):
                return False
            await db.execute(
                "UPDATE invites SET used_by = ?, used_at = ? WHERE token = ?", (user_id, now_text(), token)
            )
            await db.execute(
                "INSERT INTO leaders (user_id, name, invited_by, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name",
                (user_id, name, created_by, now_text()),
            )
        return True

    async def leaders(self) -> list[Leader]:
        """Read the leaders table, oldest first."""
        rows = await self.fetchall(
            "SELECT user_id, name, invited_by, added_at FROM leaders ORDER BY added_at"
        )
        return [Leader(user_id=r[0], name=r[1], invited_by=r[2], added_at=r[3]) for r in rows]

    async def revoke_leader(self, user_id: int) -> bool:
        """Delete the user's row of leaders."""
        async with self.transaction() as db:
            cursor = await db.execute("DELETE FROM leaders WHERE user_id = ?", (user_id,))
            return cursor.rowcount == 1


class OfficialRepository(Database):
    """Leaders' real names and inspection groups, which official records carry."""

    async def set_official(self, user_id: int, name: str, group: str) -> Official:
        """Upsert the user's row of officials, stamped now, and read it back."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO officials (user_id, name, group_name, set_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, "
                "group_name = excluded.group_name, set_at = excluded.set_at",
                (user_id, name, group, now_text()),
            )
        found = await self.official(user_id)
        assert found is not None  # noqa: S101 - just written
        return found

    async def official(self, user_id: int) -> Official | None:
        """Read the user's row of officials (through `officials`)."""
        return (await self.officials([user_id])).get(user_id)

    async def officials(self, user_ids: Sequence[int] | None = None) -> dict[int, Official]:
        """Read the rows of officials, only those of these ids (each once) when given."""
        sql = "SELECT user_id, name, group_name, set_at FROM officials"
        parameters: list[int] = []
        if user_ids is not None:
            parameters = list(dict.fromkeys(user_ids))
            if not parameters:
                return {}
            sql += f" WHERE user_id IN ({', '.join('?' for _ in parameters)})"
        rows = await self.fetchall(sql, parameters)
        return {r[0]: Official(user_id=r[0], name=r[1], group=r[2], set_at=r[3]) for r in rows}
