"""Taking part: the register of who submitted, unfinished forms, and the submit itself."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from conversations.engine import Ballot, Draft
from conversations.errors import AlreadySubmitted, WindowClosed
from conversations.records import room_limit
from conversations.tally import released_count
from storage.database import Database, in_turn
from storage.intake import (
    pending_ballots,
    pending_json,
    register_with,
    registered,
    release_held,
    store_batch,
    suggestions_json,
)
from storage.keys import WindowKeys


class ParticipantRepository(Database):
    """The register and the drafts, keyed by participant keys; never joined with ballots."""

    def __init__(self, path: Path, keys: WindowKeys | None = None) -> None:
        super().__init__(path, keys)
        self._submissions: list[_Submission] = []  # submits waiting for the next group commit
        self._submitting = asyncio.Lock()

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
        # One statement, atomic on its own, committed with the other presses of the moment:
        # written only while the window is open.
        changed = await self.write(
            "INSERT INTO drafts (key, window_id, state) "
            "SELECT ?, id, ? FROM windows WHERE id = ? AND is_open = 1 "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state",
            (key, draft.model_dump_json(), window_id),
        )
        if changed != 1:
            raise WindowClosed

    async def delete_draft(self, key: bytes) -> bool:
        """Discard an unfinished form, leaving no copy of it in any file; False if there was none."""
        async with self.transaction() as db:
            found = await _rewrite_without(db, {key})
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

        Submits that arrive while one is being written are written together, in one
        transaction, one rewrite and one checkpoint (a group commit): at the end of a briefing
        hundreds arrive within seconds, and a rewrite and checkpoint each would queue them.
        Each is decided exactly as if it had been written alone, in the order they arrived.
        """
        entry = _Submission(key, window_id, ballot, register)
        return await in_turn(entry, self._submissions, self._submitting, self._write_queued)

    async def _write_queued(self, own: _Submission) -> None:
        """Write every submit queued so far (this caller's among them) in one transaction."""
        batch, self._submissions = self._submissions, []
        try:
            outcomes = await self._submit_together(batch)
        except BaseException:
            # Nothing of the batch was stored: each other submit tries again in its own turn.
            self._submissions[:0] = [entry for entry in batch if entry is not own]
            raise
        for entry, outcome in zip(batch, outcomes, strict=True):
            entry.outcome = outcome
        await self.checkpoint()

    async def _submit_together(self, batch: list[_Submission]) -> list[int | Exception]:
        """Decide and store each submit in turn, one transaction and one rewrite for them all."""
        async with self.transaction() as db:
            intakes: dict[int, _Intake | None] = {}
            marks = ", ".join("?" for _ in batch)
            async with db.execute(
                f"SELECT key FROM drafts WHERE key IN ({marks})", [entry.key for entry in batch]
            ) as cursor:
                drafted = {row[0] for row in await cursor.fetchall()}
            dropped: set[bytes] = set()
            outcomes: list[int | Exception] = []
            for entry in batch:
                if entry.window_id not in intakes:
                    intakes[entry.window_id] = await _read_intake(db, entry.window_id)
                intake = intakes[entry.window_id]
                if intake is None:
                    outcomes.append(WindowClosed())
                elif entry.register and registered(intake.registry, entry.key):
                    outcomes.append(AlreadySubmitted())
                elif not entry.register and entry.key not in drafted:
                    outcomes.append(AlreadySubmitted())  # the keyed form went in already: counted once
                else:
                    outcomes.append(await self._take(db, intake, entry))
                    drafted.discard(entry.key)
                    dropped.add(entry.key)
            changed = [intake.row() for intake in intakes.values() if intake is not None and intake.changed]
            if dropped or changed:
                await _rewrite_without(db, dropped, changed)
        return outcomes

    async def _take(self, db: aiosqlite.Connection, intake: _Intake, entry: _Submission) -> int:
        """Add one ballot to its window's intake; return how many ballots the window holds then."""
        pending = [*intake.pending, entry.ballot]
        if intake.frozen is None and intake.room is not None and intake.kept + len(pending) > intake.room:
            # Overfilled: the figures stay as they are until close, whatever arrives.
            intake.frozen = released_count(
                intake.kept + len(pending) - 1, min_group=intake.min_group, is_open=True
            )
            await db.execute("UPDATE windows SET frozen = ? WHERE id = ?", (intake.frozen, intake.window_id))
            self._window_changed(intake.window_id)
        if len(pending) >= intake.min_group:
            if intake.frozen is None:
                await release_held(db, intake.window_id)
            await store_batch(db, intake.window_id, pending)
            intake.kept, pending = intake.kept + len(pending), []
        intake.pending = pending
        if entry.register:
            intake.registry = register_with(intake.registry, entry.key)
        intake.suggestions = suggestions_json(intake.suggestions, entry.ballot.suggestion)
        intake.changed = True
        return intake.kept + len(pending)


@dataclass(eq=False)
class _Submission:
    """One submit waiting to be written; its outcome is set once its transaction has committed."""

    key: bytes
    window_id: int
    ballot: Ballot
    register: bool
    outcome: int | Exception | None = None


@dataclass
class _Intake:
    """An open window's intake as a batch of submits changes it (written back once, at the end)."""

    window_id: int
    min_group: int
    registry: bytes
    pending: list[Ballot]
    suggestions: str
    kept: int
    room: int | None
    frozen: int | None
    changed: bool = False

    def row(self) -> tuple[int, bytes, str, str]:
        """Return the intake's row as stored."""
        return (self.window_id, self.registry, pending_json(self.pending), self.suggestions)


async def _read_intake(db: aiosqlite.Connection, window_id: int) -> _Intake | None:
    """Return an open window's intake, or None if the window is closed (or unknown)."""
    async with db.execute(
        "SELECT w.is_open, max(w.min_group, 1), i.register, i.pending, i.suggestions, "
        "(SELECT count(*) FROM ballots WHERE window_id = w.id), "
        "w.expected, w.slips, w.slips_issued + w.paper_issued, w.frozen "
        "FROM windows w JOIN intake i ON i.window_id = w.id WHERE w.id = ?",
        (window_id,),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None or not row[0]:
        return None
    _open, min_group, registry, stored, suggestions, kept, expected, slips, handed_out, frozen = row
    room = room_limit(expected=expected, slips=bool(slips), handed_out=handed_out)
    return _Intake(window_id, min_group, registry, pending_ballots(stored), suggestions, kept, room, frozen)


async def _rewrite_without(
    db: aiosqlite.Connection, keys: set[bytes], intakes: Sequence[tuple[int, bytes, str, str]] = ()
) -> bool:
    """Drop drafts by rewriting the per-person tables from zeroed pages; True if any existed.

    Deleting one row zeroes it (secure_delete), but SQLite leaves stale copies of rows it has
    moved between pages in their unused space. Emptying a table frees and zeroes its pages;
    rows written back land in fresh pages, in key order. Each of `intakes` replaces its
    window's row.
    """
    async with db.execute("SELECT key, window_id, state FROM drafts ORDER BY key") as cursor:
        drafts = [tuple(row) for row in await cursor.fetchall()]
    async with db.execute(
        "SELECT window_id, register, pending, suggestions FROM intake ORDER BY window_id"
    ) as cursor:
        rows = [tuple(row) for row in await cursor.fetchall()]
    replaced = {intake[0]: intake for intake in intakes}
    rows = [replaced.get(row[0], row) for row in rows]
    await db.execute("DELETE FROM drafts")
    await db.execute("DELETE FROM intake")
    kept = [row for row in drafts if row[0] not in keys]
    await db.executemany("INSERT INTO drafts (key, window_id, state) VALUES (?, ?, ?)", kept)
    await db.executemany(
        "INSERT INTO intake (window_id, register, pending, suggestions) VALUES (?, ?, ?, ?)", rows
    )
    return len(kept) < len(drafts)
