"""Survey windows: opened by a leader, closed for good, and what a close leaves behind erased."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
from pathlib import Path

from conversations.errors import NotWritten
from conversations.records import Window, WindowSummary
from storage.closed import fold_counters
from storage.database import Database, now_text, refused_write
from storage.intake import pending_ballots, release_held, store_batch, store_suggestions
from storage.keys import WindowKeys

_WINDOW_COLUMNS = (
    "id, token, unit, leader_id, is_open, opened_at, closed_at, min_group, expected, leader_name, "
    "slips, slips_issued, paper_issued, paper_invalid, frozen, rebuilt, "
    # which round of its leader's inspections of the unit (the windows table is aliased w)
    "(SELECT count(*) FROM windows r WHERE r.leader_id = w.leader_id AND r.unit = w.unit AND r.id <= w.id)"
)
_WINDOW_FIELDS = [*_WINDOW_COLUMNS.split(", ")[:-1], "round"]
REBUILD_RETRY_SECONDS = 60.0  # a disk that refused a close's rebuild is tried again this often
logger = logging.getLogger(__name__)
# Ballots a window has received: those stored with their batch, and its unfinished batch.
RECEIVED = (
    "((SELECT count(*) FROM ballots b WHERE b.window_id = w.id) + "
    "coalesce((SELECT json_array_length(pending) FROM intake i WHERE i.window_id = w.id), 0))"
)


def _window(row: sqlite3.Row | tuple[object, ...]) -> Window:
    return Window.model_validate(dict(zip(_WINDOW_FIELDS, row, strict=True)))


class WindowRepository(Database):
    """Windows, cached in memory: they change only through here, and every press reads one."""

    def __init__(self, path: Path, keys: WindowKeys | None = None) -> None:
        super().__init__(path, keys)
        self._windows: dict[int, Window] = {}
        self._tokens: dict[str, int] = {}  # a token names one window for good
        self._rebuild_retry: asyncio.Task[None] | None = None

    async def _opened(self) -> None:
        await super()._opened()
        await self._finish_closing()  # a close a kill interrupted is finished at start

    async def _log_emptied(self) -> bool:
        held_up = await self.fetchall("SELECT count(*) FROM windows WHERE is_open = 0 AND rebuilt = 0")
        return await super()._log_emptied() and (not held_up[0][0] or await self._finish_closing())

    async def open_window(  # noqa: PLR0913 - what a window is opened with
        self,
        leader_id: int,
        unit: str,
        *,
        min_group: int,
        expected: int | None = None,
        leader_name: str = "",
        slips: bool = False,
    ) -> tuple[Window, bool]:
        """Open a window for the unit, or return the leader's open one; True if it is new.

        With `slips` a new window admits only holders of its ballot slips (一人一码).
        Opening an open unit again with an expected headcount updates the headcount.
        """
        async with self.transaction() as db:
            async with db.execute(
                "SELECT id FROM windows WHERE leader_id = ? AND unit = ? AND is_open = 1", (leader_id, unit)
            ) as cursor:
                row = await cursor.fetchone()
            if row is not None:
                self._windows.pop(int(row[0]), None)
                if expected is not None:
                    await db.execute("UPDATE windows SET expected = ? WHERE id = ?", (expected, row[0]))
                window_id, created = int(row[0]), False
            else:
                token = secrets.token_urlsafe(16)  # 128 random bits
                cursor = await db.execute(
                    "INSERT INTO windows (token, unit, leader_id, is_open, opened_at, min_group, expected, "
                    "leader_name, slips) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)",
                    (token, unit, leader_id, now_text(), min_group, expected, leader_name, int(slips)),
                )
                assert cursor.lastrowid is not None  # noqa: S101 - an INSERT has a row id
                window_id, created = cursor.lastrowid, True
                await db.execute(
                    "INSERT INTO intake (window_id, register, pending) VALUES (?, x'', '[]')", (window_id,)
                )
                # On disk before the window exists: a kill after this leaves a spare secret,
                # which the next window to get this id replaces.
                self.keys.create(window_id)
            async with db.execute(
                f"SELECT {_WINDOW_COLUMNS} FROM windows w WHERE id = ?", (window_id,)
            ) as cursor:
                found = await cursor.fetchone()
        assert found is not None  # noqa: S101 - just written
        return _window(found), created

    async def window(self, window_id: int) -> Window | None:
        """Read the window from the cache, or its row (then cached)."""
        cached = self._windows.get(window_id)
        if cached is not None:
            return cached
        rows = await self.fetchall(f"SELECT {_WINDOW_COLUMNS} FROM windows w WHERE id = ?", (window_id,))
        return self._remember(_window(rows[0])) if rows else None

    async def window_by_token(self, token: str) -> Window | None:
        """Return the window a deep-link token opens, or None (from the cache when it is there)."""
        known = self._tokens.get(token)
        if known is not None and (cached := self._windows.get(known)) is not None:
            return cached
        rows = await self.fetchall(f"SELECT {_WINDOW_COLUMNS} FROM windows w WHERE token = ?", (token,))
        return self._remember(_window(rows[0])) if rows else None

    def _forget(self, window_id: int) -> None:
        """Drop the cached window after one of its counters changed."""
        self._windows.pop(window_id, None)

    def _window_changed(self, window_id: int) -> None:
        self._forget(window_id)

    def _remember(self, window: Window) -> Window:
        self._windows[window.id] = window
        self._tokens[window.token] = window.id
        return window

    async def open_windows(self) -> list[Window]:
        """Read the open windows' rows, by id."""
        rows = await self.fetchall(f"SELECT {_WINDOW_COLUMNS} FROM windows w WHERE is_open = 1 ORDER BY id")
        return [_window(row) for row in rows]

    async def windows_of(self, leader_id: int) -> list[WindowSummary]:
        """Return the leader's windows, newest first, each with its ballot count."""
        rows = await self.fetchall(
            f"SELECT {_WINDOW_COLUMNS}, "
            f"{RECEIVED} FROM windows w WHERE leader_id = ? ORDER BY is_open DESC, id DESC",
            (leader_id,),
        )
        return [WindowSummary(window=_window(row[:-1]), ballots=row[-1]) for row in rows]

    async def all_windows(self) -> list[WindowSummary]:
        """Read every window's row with its count received, by leader, open ones first, newest first."""
        rows = await self.fetchall(
            f"SELECT {_WINDOW_COLUMNS}, {RECEIVED} FROM windows w ORDER BY leader_id, is_open DESC, id DESC"
        )
        return [WindowSummary(window=_window(row[:-1]), ballots=row[-1]) for row in rows]

    async def close_window(self, window_id: int) -> bool:
        """Close the window for good; return False if it was already closed.

        One transaction turns the open window into a closed one: its unfinished batch joins the
        ballots, its suggestions their table, every counter is released and folded (per group
        only what is shown, see `storage/closed.py`), and the register and drafts are deleted. Then the
        window's secret is destroyed and the file rebuilt (see `_finish_closing`); a kill in
        between is finished by the next start. A disk that refuses the transaction's writes (full,
        read-only) leaves the window open with every ballot: NotWritten. One that refuses the
        rebuild leaves it closed, `rebuilt` false, and the rebuild retried until it is done.
        """
        self._windows.pop(window_id, None)
        try:
            closed = await self._close_in_one_transaction(window_id)
        except (sqlite3.Error, OSError) as error:
            if not refused_write(error):
                raise
            logger.warning("A unit could not be closed, it stays open with every ballot: %s", error)
            raise NotWritten(str(error)) from error
        finally:
            self._windows.pop(window_id, None)
        if closed:
            await self._finish_closing()
        return closed

    async def _close_in_one_transaction(self, window_id: int) -> bool:
        """Turn the open window into a closed one, all or nothing; False if it was closed already."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE windows SET is_open = 0, closed_at = ?, rebuilt = 0 WHERE id = ? AND is_open = 1",
                (now_text(), window_id),
            )
            closed = cursor.rowcount == 1
            if closed:
                async with db.execute(
                    "SELECT pending, suggestions FROM intake WHERE window_id = ?", (window_id,)
                ) as rows:
                    row = await rows.fetchone()
                await store_batch(db, window_id, pending_ballots(row[0]) if row else [])
                await store_suggestions(db, window_id, row[1] if row else "[]")
                await release_held(db, window_id)
                await fold_counters(db, window_id)
                await db.execute("DELETE FROM intake WHERE window_id = ?", (window_id,))
                await db.execute("DELETE FROM drafts WHERE window_id = ?", (window_id,))
                await db.execute("DELETE FROM keyers WHERE window_id = ?", (window_id,))
                await db.execute("DELETE FROM keyer_invites WHERE window_id = ?", (window_id,))
                await db.execute("DELETE FROM slips WHERE window_id = ?", (window_id,))
                await db.execute("DELETE FROM admitted WHERE window_id = ?", (window_id,))
        return closed

    async def _finish_closing(self) -> bool:
        """Finish every close (`_rebuild`); a disk that refuses it leaves it to a retry: return False."""
        try:
            return await self._rebuild()
        except (sqlite3.Error, OSError) as error:
            if not refused_write(error):
                raise
            logger.warning(
                "A closed unit's secret or the rebuild of %s could not be written (%s); retried every %.0f s",
                self.path.name,
                error,
                REBUILD_RETRY_SECONDS,
            )
            if self._rebuild_retry is None or self._rebuild_retry.done():
                self._rebuild_retry = asyncio.create_task(self._rebuild_later())
            return False

    async def _rebuild_later(self) -> None:
        """Try the rebuild again until the disk takes it."""
        while self._connection is not None:
            await asyncio.sleep(REBUILD_RETRY_SECONDS)
            if self._connection is not None and await self._finish_closing():
                logger.info("Every closed unit of %s is rebuilt", self.path.name)
                return

    def _stop_retrying(self) -> None:
        super()._stop_retrying()
        if self._rebuild_retry is not None:
            self._rebuild_retry.cancel()
            self._rebuild_retry = None

    async def _rebuild(self) -> bool:
        """Erase what closed windows leave behind: their secrets, then every trace in the file.

        Rebuilding the file (VACUUM) writes every table afresh in key order, so where a ballot
        lies follows its random id, not when it arrived; deleted rows and old page images go
        with the old pages. The rebuilt pages reach the main file only when the write-ahead log
        is emptied, so a window counts as rebuilt only after a checkpoint that emptied it.
        Idempotent: run at every start, it finishes a close that a kill or a reader interrupted.
        Return False if a reader kept the log from being emptied (it is retried later).
        """
        open_ids = {window.id for window in await self.open_windows()}
        self.keys.keep_only(open_ids)
        pending = [
            row[0] for row in await self.fetchall("SELECT id FROM windows WHERE is_open = 0 AND rebuilt = 0")
        ]
        if pending:
            async with self._lock:
                await self._db.execute("VACUUM")
            if not await self.checkpoint():
                return False
            marks = ", ".join("?" for _ in pending)
            async with self._lock:
                await self._db.execute(f"UPDATE windows SET rebuilt = 1 WHERE id IN ({marks})", pending)
            for window_id in pending:
                self._forget(window_id)
        return await self.checkpoint()
