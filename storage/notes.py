"""Queries for what the papers say beyond points: reasons, photos, writings, conclusions, pending input."""

from __future__ import annotations

from datetime import UTC, datetime

from conversations.errors import WritingsFinalised
from conversations.records import ItemNotes, Pending, Reopening, Writings
from storage.database import Database


class NoteRepository(Database):
    """Reasons and photos of score sheets, the leader's sections, conclusions, pending input."""

    async def item_notes(self, window_id: int) -> ItemNotes:
        """Read item_reasons, and item_photos in the order they were added."""
        reasons = await self.fetchall(
            "SELECT item, reason FROM item_reasons WHERE window_id = ?", (window_id,)
        )
        photos: dict[str, list[str]] = {}
        for item, file_id in await self.fetchall(
            "SELECT item, file_id FROM item_photos WHERE window_id = ? ORDER BY rowid", (window_id,)
        ):
            photos.setdefault(item, []).append(file_id)
        return ItemNotes(reasons={str(row[0]): str(row[1]) for row in reasons}, photos=photos)

    async def save_reason(self, window_id: int, item: str, reason: str) -> None:
        """Upsert the item's row of item_reasons."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO item_reasons (window_id, item, reason) VALUES (?, ?, ?) "
                "ON CONFLICT (window_id, item) DO UPDATE SET reason = excluded.reason",
                (window_id, item, reason),
            )

    async def add_photo(self, window_id: int, item: str, file_id: str) -> int:
        """Insert the photo unless it is there, and count the item's photos, in one transaction."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT OR IGNORE INTO item_photos (window_id, item, file_id) VALUES (?, ?, ?)",
                (window_id, item, file_id),
            )
            async with db.execute(
                "SELECT count(*) FROM item_photos WHERE window_id = ? AND item = ?", (window_id, item)
            ) as cursor:
                row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def writings(self, window_id: int) -> Writings:
        """Read the window's rows of writings and, once final, when (writings_final)."""
        texts = await self.fetchall("SELECT section, text FROM writings WHERE window_id = ?", (window_id,))
        final = await self.fetchall(
            "SELECT finalised_at FROM writings_final WHERE window_id = ?", (window_id,)
        )
        reopened = await self.fetchall(
            "SELECT reopened_at, user_id, by_admin, finalised_at FROM writings_reopened "
            "WHERE window_id = ? ORDER BY rowid",
            (window_id,),
        )
        return Writings(
            texts={str(row[0]): str(row[1]) for row in texts},
            finalised_at=final[0][0] if final else None,
            reopenings=tuple(
                Reopening(at=at, user_id=user_id, by_admin=bool(admin), was_finalised_at=was)
                for at, user_id, admin, was in reopened
            ),
        )

    async def reopen_writings(self, window_id: int, user_id: int, *, by_admin: bool) -> bool:
        """Delete the `writings_final` row and add it to `writings_reopened` with who and when, at once."""
        async with self.transaction() as db:
            async with db.execute(
                "DELETE FROM writings_final WHERE window_id = ? RETURNING finalised_at", (window_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return False
            await db.execute(
                "INSERT INTO writings_reopened (window_id, reopened_at, user_id, by_admin, finalised_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (window_id, datetime.now(UTC).isoformat(), user_id, int(by_admin), row[0]),
            )
        return True

    async def save_writing(self, window_id: int, section: str, text: str) -> None:
        """Upsert the section unless writings_final holds the window, in one transaction."""
        async with self.transaction() as db:
            async with db.execute("SELECT 1 FROM writings_final WHERE window_id = ?", (window_id,)) as cursor:
                if await cursor.fetchone():
                    raise WritingsFinalised
            await db.execute(
                "INSERT INTO writings (window_id, section, text) VALUES (?, ?, ?) "
                "ON CONFLICT (window_id, section) DO UPDATE SET text = excluded.text",
                (window_id, section, text),
            )

    async def finalise_writings(self, window_id: int) -> None:
        """Insert the window into writings_final, stamped now, unless it is there."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT OR IGNORE INTO writings_final (window_id, finalised_at) VALUES (?, ?)",
                (window_id, datetime.now(UTC).isoformat()),
            )

    async def conclusions(self, leader_id: int) -> str:
        """Read the leader's row of group_conclusions."""
        rows = await self.fetchall("SELECT text FROM group_conclusions WHERE leader_id = ?", (leader_id,))
        return str(rows[0][0]) if rows else ""

    async def save_conclusions(self, leader_id: int, text: str) -> None:
        """Upsert the leader's row of group_conclusions."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO group_conclusions (leader_id, text) VALUES (?, ?) "
                "ON CONFLICT (leader_id) DO UPDATE SET text = excluded.text",
                (leader_id, text),
            )

    async def pending(self, user_id: int) -> Pending | None:
        """Read the person's row of pending_inputs."""
        rows = await self.fetchall(
            "SELECT window_id, kind, target FROM pending_inputs WHERE user_id = ?", (user_id,)
        )
        return Pending(window_id=rows[0][0], kind=rows[0][1], target=rows[0][2]) if rows else None

    async def set_pending(self, user_id: int, pending: Pending | None) -> None:
        """Delete the person's row of pending_inputs and insert the new one, if any."""
        async with self.transaction() as db:
            await db.execute("DELETE FROM pending_inputs WHERE user_id = ?", (user_id,))
            if pending is not None:
                await db.execute(
                    "INSERT INTO pending_inputs (user_id, window_id, kind, target) VALUES (?, ?, ?, ?)",
                    (user_id, pending.window_id, pending.kind, pending.target),
                )
