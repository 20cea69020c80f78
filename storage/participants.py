"""Taking part: the register of who submitted, unfinished forms, and the submit itself."""

from __future__ import annotations

import aiosqlite

from conversations.engine import Ballot, Draft
from conversations.errors import AlreadySubmitted, WindowClosed
from conversations.records import room_limit
from conversations.tally import released_count
from storage.database import Database
from storage.intake import (
    pending_ballots,
    pending_json,
    register_with,
    registered,
    release_held,
    store_batch,
    suggestions_json,
)


class ParticipantRepository(Database):
    """The register and the drafts, keyed by participant keys; never joined with ballots."""

    async def participant(self, window_id: int, key: bytes) -> tuple[bool, Draft | None]:
        """Return whether this key has submitted, and its draft: both in one query (every press)."""
        rows = await self.fetchall(
            "SELECT (SELECT register FROM intake WHERE window_id = ?), "
            "(SELECT state FROM drafts WHERE key = ?)",
            (window_id, key),
        )
        register, state = rows[0]
        submitted = register is not None and registered(register, key)
        return submitted, Draft.model_validate_json(state) if state is not None else None

    async def draft(self, key: bytes) -> Draft | None:
        """Return the participant's unfinished form, or None."""
        rows = await self.fetchall("SELECT state FROM drafts WHERE key = ?", (key,))
        return Draft.model_validate_json(rows[0][0]) if rows else None

    async def drafts(self, keys: dict[bytes, int]) -> list[tuple[int, bytes, Draft]]:
        """Return (window id, key, draft) for each of these keys that has a draft."""
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        rows = await self.fetchall(
            f"SELECT window_id, key, state FROM drafts WHERE key IN ({marks}) ORDER BY window_id",
            list(keys),
        )
        return [(row[0], row[1], Draft.model_validate_json(row[2])) for row in rows]

    async def save_draft(self, key: bytes, window_id: int, draft: Draft) -> None:
        """Store the participant's progress; refuse if the window has closed meanwhile."""
        # One statement, so one round trip and atomic on its own: written only while open.
        async with self._lock:
            cursor = await self._db.execute(
                "INSERT INTO drafts (key, window_id, state) "
                "SELECT ?, id, ? FROM windows WHERE id = ? AND is_open = 1 "
                "ON CONFLICT (key) DO UPDATE SET state = excluded.state",
                (key, draft.model_dump_json(), window_id),
            )
            if cursor.rowcount != 1:
                raise WindowClosed

    async def delete_draft(self, key: bytes) -> bool:
        """Discard an unfinished form, leaving no copy of it in any file; False if there was none."""
        async with self.transaction() as db:
            found = await _rewrite_without(db, key)
        await self.checkpoint()
        return found

    async def submit(self, key: bytes, window_id: int, ballot: Ballot, *, register: bool = True) -> int:
        """Register the person, keep the ballot and drop the draft, all or nothing.

        The ballot waits in the window's unfinished batch; when the batch is complete it joins
        the ballots in random order and the previous batch is released to the live view, unless
        the window holds more ballots than its room: then nothing is released until close. When
        this returns, no file holds the person's draft: the per-person tables were rewritten
        from zeroed pages and the log emptied. Return how many ballots the window holds now.

        Without `register` (a paper form keyed in: one keyer enters many) nobody is registered;
        the draft must still be there, so a form is stored once (AlreadySubmitted otherwise).
        """
        async with self.transaction() as db:
            async with db.execute(
                "SELECT w.is_open, max(w.min_group, 1), i.register, i.pending, i.suggestions, "
                "(SELECT count(*) FROM ballots WHERE window_id = w.id), "
                "w.expected, w.slips, w.slips_issued + w.paper_issued, w.frozen "
                "FROM windows w JOIN intake i ON i.window_id = w.id WHERE w.id = ?",
                (window_id,),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None or not row[0]:
                raise WindowClosed
            _open, min_group, registry, stored, suggestions, kept, expected, slips, handed_out, frozen = row
            if register and registered(registry, key):
                raise AlreadySubmitted
            pending = [*pending_ballots(stored), ballot]
            room = room_limit(expected=expected, slips=bool(slips), handed_out=handed_out)
            if frozen is None and room is not None and kept + len(pending) > room:
                # Overfilled: the figures stay as they are until close, whatever arrives.
                frozen = released_count(kept + len(pending) - 1, min_group=min_group, is_open=True)
                await db.execute("UPDATE windows SET frozen = ? WHERE id = ?", (frozen, window_id))
                self._window_changed(window_id)
            if len(pending) >= min_group:
                if frozen is None:
                    await release_held(db, window_id)
                await store_batch(db, window_id, pending)
                kept, pending = kept + len(pending), []
            registry = register_with(registry, key) if register else registry
            suggestions = suggestions_json(suggestions, ballot.suggestion)
            intake = (window_id, registry, pending_json(pending), suggestions)
            dropped = await _rewrite_without(db, key, intake)
            if not register and not dropped:
                raise AlreadySubmitted  # the keyed form went in already: rolled back, counted once
        await self.checkpoint()
        return int(kept) + len(pending)


async def _rewrite_without(
    db: aiosqlite.Connection, key: bytes, intake: tuple[int, bytes, str, str] | None = None
) -> bool:
    """Drop a draft by rewriting the per-person tables from zeroed pages; True if it existed.

    Deleting one row zeroes it (secure_delete), but SQLite leaves stale copies of rows it has
    moved between pages in their unused space. Emptying a table frees and zeroes its pages;
    rows written back land in fresh pages, in key order. `intake` replaces its window's row.
    """
    async with db.execute("SELECT key, window_id, state FROM drafts ORDER BY key") as cursor:
        drafts = [tuple(row) for row in await cursor.fetchall()]
    async with db.execute(
        "SELECT window_id, register, pending, suggestions FROM intake ORDER BY window_id"
    ) as cursor:
        rows = [tuple(row) for row in await cursor.fetchall()]
    if intake is not None:
        rows = [intake if row[0] == intake[0] else row for row in rows]
    await db.execute("DELETE FROM drafts")
    await db.execute("DELETE FROM intake")
    kept = [row for row in drafts if row[0] != key]
    await db.executemany("INSERT INTO drafts (key, window_id, state) VALUES (?, ?, ?)", kept)
    await db.executemany(
        "INSERT INTO intake (window_id, register, pending, suggestions) VALUES (?, ?, ?, ?)", rows
    )
    return len(kept) < len(drafts)
