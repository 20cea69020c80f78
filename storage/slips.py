"""Ballot slips at rest: keyed hashes of unused slips, the accounts and slips spent, and the counts."""

from __future__ import annotations

from conversations.records import Window
from storage.windows import WindowRepository


class SlipRepository(WindowRepository):
    """Slips of a unit, stored only as keyed hashes; every row goes when the unit closes."""

    async def add_slips(self, window_id: int, checks: list[bytes]) -> int | None:
        """Add to the open window's slips_issued and insert the hashes, in one transaction."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE windows SET slips_issued = slips_issued + ? WHERE id = ? AND is_open = 1",
                (len(checks), window_id),
            )
            if cursor.rowcount != 1:
                return None
            await db.executemany(
                "INSERT INTO slips (window_id, check_hash) VALUES (?, ?)",
                [(window_id, check) for check in checks],
            )
            async with db.execute("SELECT slips_issued FROM windows WHERE id = ?", (window_id,)) as rows:
                row = await rows.fetchone()
        self._forget(window_id)
        assert row is not None  # noqa: S101 - updated just above
        return int(row[0])

    async def slip_unused(self, window_id: int, check: bytes) -> bool:
        """Look the hash up in the window's rows of slips."""
        rows = await self.fetchall(
            "SELECT 1 FROM slips WHERE window_id = ? AND check_hash = ?", (window_id, check)
        )
        return bool(rows)

    async def spend_slip(self, window_id: int, check: bytes, admit: tuple[bytes, ...] = ()) -> bool:
        """Delete the slip's row; with keys to admit, insert them in the same transaction."""
        spend = ("DELETE FROM slips WHERE window_id = ? AND check_hash = ?", (window_id, check))
        if not admit:  # a slip in the browser: one statement, committed with others of the moment
            return await self.write(*spend) == 1
        async with self.transaction() as db:
            cursor = await db.execute(*spend)
            if cursor.rowcount != 1:
                return False
            await db.executemany(
                "INSERT OR IGNORE INTO admitted (window_id, key) VALUES (?, ?)",
                [(window_id, key) for key in admit],
            )
        return True

    async def admitted(self, window_id: int, key: bytes) -> bool:
        """Return True if a slip let this key in (an account that spent one, or a slip spent so)."""
        rows = await self.fetchall("SELECT 1 FROM admitted WHERE window_id = ? AND key = ?", (window_id, key))
        return bool(rows)

    async def count_paper(self, window_id: int, *, issued: int = 0, invalid: int = 0) -> Window | None:
        """Add to the open window's paper counters (never below 0) and read the window back."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE windows SET paper_issued = max(paper_issued + ?, 0), "
                "paper_invalid = max(paper_invalid + ?, 0) WHERE id = ? AND is_open = 1",
                (issued, invalid, window_id),
            )
            changed = cursor.rowcount == 1
        self._forget(window_id)
        return await self.window(window_id) if changed else None
