"""The one repository: every read and write of survey data, over one aiosqlite connection."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import sqlite3
import stat
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import aiosqlite

from conversations.engine import Ballot, Draft
from conversations.errors import AlreadySubmitted, SheetFinalised, WindowClosed
from conversations.scoring import Marks
from conversations.tally import Cell, ballot_cells
from storage.intake import (
    answers_json,
    pending_ballots,
    pending_json,
    register_with,
    registered,
    stored_ballot,
)
from storage.keys import WindowKeys
from storage.models import Leader, LiveView, Official, ScoreSheet, Window, WindowSummary
from storage.notes import NoteQueries
from storage.schema import APPLICATION_ID, SCHEMA_VERSION, migrate

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000  # how long a write waits for another writer
# A checkpoint waits for readers of older snapshots only briefly, a few times: a reader that
# holds its snapshot longer must not stall every submit for the whole busy timeout.
CHECKPOINT_TIMEOUT_MS = 50
CHECKPOINT_TRIES = 5
# After a checkpoint a reader kept from finishing, it is tried again this often until it finishes.
CHECKPOINT_RETRY_SECONDS = 1.0

_WINDOW_COLUMNS = (
    "id, token, unit, leader_id, is_open, opened_at, closed_at, min_group, expected, leader_name"
)
_WINDOW_FIELDS = _WINDOW_COLUMNS.split(", ")
# Ballots a window has received: those stored with their batch, and its unfinished batch.
_RECEIVED = (
    "((SELECT count(*) FROM ballots b WHERE b.window_id = w.id) + "
    "coalesce((SELECT json_array_length(pending) FROM intake i WHERE i.window_id = w.id), 0))"
)


class DatabaseRefused(Exception):
    """The file at the database path is not one this program can use."""


def _window(row: sqlite3.Row | tuple[object, ...]) -> Window:
    return Window.model_validate(dict(zip(_WINDOW_FIELDS, row, strict=True)))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Repository(NoteQueries):
    """Async access to windows, ballots, the register, drafts and the windows' secrets."""

    def __init__(self, path: Path, keys: WindowKeys | None = None) -> None:
        self.path = path
        self.keys = keys or WindowKeys(path.with_name(path.name + ".key"))
        self._connection: aiosqlite.Connection | None = None
        # One connection serves every coroutine: the lock keeps each transaction whole.
        self._lock = asyncio.Lock()
        # Windows change only through this repository (open, close): every press reads one.
        self._windows: dict[int, Window] = {}
        self._retry: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def open(self) -> None:
        """Open (creating or migrating) the database; raise DatabaseRefused for a foreign file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _owner_only(self.path)
        connection = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            await self._prepare(connection)
        except sqlite3.DatabaseError as error:
            await connection.close()
            msg = f"{self.path} is not a usable survey database ({error})"
            raise DatabaseRefused(msg) from error
        except DatabaseRefused:
            await connection.close()
            raise
        self._connection = connection
        self.keys.load()
        await self.finish_closing()

    async def close(self) -> None:
        """Checkpoint the log into the main file and close the connection."""
        if self._connection is None:
            return
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        await self.checkpoint(retry_later=False)
        async with self._lock:
            await self._connection.close()
            self._connection = None

    async def _prepare(self, connection: aiosqlite.Connection) -> None:
        application_id = await _scalar(connection, "PRAGMA application_id")
        version = await _scalar(connection, "PRAGMA user_version")
        tables = await _scalar(connection, "SELECT count(*) FROM sqlite_schema")
        if application_id != APPLICATION_ID and (application_id != 0 or tables):
            msg = f"{self.path} is not a survey database (it holds other data)"
            raise DatabaseRefused(msg)
        if version > SCHEMA_VERSION:
            msg = f"{self.path} has schema version {version}, newer than this program's {SCHEMA_VERSION}"
            raise DatabaseRefused(msg)
        await connection.execute("PRAGMA journal_mode = WAL")
        # FULL: a ballot acknowledged to a participant survives a power cut.
        await connection.execute("PRAGMA synchronous = FULL")
        await connection.execute("PRAGMA secure_delete = ON")
        await connection.execute("PRAGMA foreign_keys = ON")
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if version < SCHEMA_VERSION:
            logger.info("Migrating the database from schema version %d to %d", version, SCHEMA_VERSION)
            await asyncio.to_thread(migrate, str(self.path))

    @property
    def _db(self) -> aiosqlite.Connection:
        if self._connection is None:
            msg = "the repository is not open"
            raise RuntimeError(msg)
        return self._connection

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._lock:
            db = self._db
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

    async def _fetchall(self, sql: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        # One trip to aiosqlite's thread (execute, fetch, drop the cursor there), not three.
        async with self._lock:
            return list(await self._db.execute_fetchall(sql, parameters))

    # windows

    async def open_window(
        self, leader_id: int, unit: str, *, min_group: int, expected: int | None = None, leader_name: str = ""
    ) -> tuple[Window, bool]:
        """Open a window for the unit, or return the leader's open one; True if it is new.

        Opening an open unit again with an expected headcount updates the headcount.
        """
        async with self._transaction() as db:
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
                    "leader_name) VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
                    (token, unit, leader_id, _now(), min_group, expected, leader_name),
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
                f"SELECT {_WINDOW_COLUMNS} FROM windows WHERE id = ?", (window_id,)
            ) as cursor:
                found = await cursor.fetchone()
        assert found is not None  # noqa: S101 - just written
        return _window(found), created

    async def window(self, window_id: int) -> Window | None:
        """Return the window with this id, or None."""
        cached = self._windows.get(window_id)
        if cached is not None:
            return cached
        rows = await self._fetchall(f"SELECT {_WINDOW_COLUMNS} FROM windows WHERE id = ?", (window_id,))
        return self._remember(_window(rows[0])) if rows else None

    async def window_by_token(self, token: str) -> Window | None:
        """Return the window a deep-link token opens, or None."""
        rows = await self._fetchall(f"SELECT {_WINDOW_COLUMNS} FROM windows WHERE token = ?", (token,))
        return self._remember(_window(rows[0])) if rows else None

    def _remember(self, window: Window) -> Window:
        self._windows[window.id] = window
        return window

    async def open_windows(self) -> list[Window]:
        """Return every open window."""
        rows = await self._fetchall(f"SELECT {_WINDOW_COLUMNS} FROM windows WHERE is_open = 1 ORDER BY id")
        return [_window(row) for row in rows]

    async def windows_of(self, leader_id: int) -> list[WindowSummary]:
        """Return the leader's windows, newest first, each with its ballot count."""
        rows = await self._fetchall(
            f"SELECT {_WINDOW_COLUMNS}, "
            f"{_RECEIVED} FROM windows w WHERE leader_id = ? ORDER BY is_open DESC, id DESC",
            (leader_id,),
        )
        return [WindowSummary(window=_window(row[:-1]), ballots=row[-1]) for row in rows]

    async def all_windows(self) -> list[WindowSummary]:
        """Return every window, grouped by leader, each with its ballot count."""
        rows = await self._fetchall(
            f"SELECT {_WINDOW_COLUMNS}, {_RECEIVED} FROM windows w ORDER BY leader_id, is_open DESC, id DESC"
        )
        return [WindowSummary(window=_window(row[:-1]), ballots=row[-1]) for row in rows]

    async def close_window(self, window_id: int) -> bool:
        """Close the window for good; return False if it was already closed.

        One transaction turns the open window into a closed one: its unfinished batch joins the
        ballots, every counter is released, and the register and drafts are deleted. Then the
        window's secret is destroyed and the file rebuilt (see `finish_closing`); a kill in
        between is finished by the next start.
        """
        self._windows.pop(window_id, None)
        async with self._transaction() as db:
            cursor = await db.execute(
                "UPDATE windows SET is_open = 0, closed_at = ?, rebuilt = 0 WHERE id = ? AND is_open = 1",
                (_now(), window_id),
            )
            closed = cursor.rowcount == 1
            if closed:
                async with db.execute("SELECT pending FROM intake WHERE window_id = ?", (window_id,)) as rows:
                    row = await rows.fetchone()
                await _store_batch(db, window_id, pending_ballots(row[0]) if row else [])
                await _release_held(db, window_id)
                await db.execute("DELETE FROM intake WHERE window_id = ?", (window_id,))
                await db.execute("DELETE FROM drafts WHERE window_id = ?", (window_id,))
        self._windows.pop(window_id, None)
        if closed:
            await self.finish_closing()
        return closed

    async def finish_closing(self) -> bool:
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
            row[0] for row in await self._fetchall("SELECT id FROM windows WHERE is_open = 0 AND rebuilt = 0")
        ]
        if pending:
            async with self._lock:
                await self._db.execute("VACUUM")
            if not await self.checkpoint():
                return False
            marks = ", ".join("?" for _ in pending)
            async with self._lock:
                await self._db.execute(f"UPDATE windows SET rebuilt = 1 WHERE id IN ({marks})", pending)
        return await self.checkpoint()

    async def checkpoint(self, *, retry_later: bool = True) -> bool:
        """Empty the write-ahead log into the main file: old page images and frame order go.

        A reader holding an older snapshot (a copy, a check, an sqlite3 shell) keeps the log
        from being emptied: tried a few times briefly, then a warning, and (with `retry_later`)
        tried again in the background until it succeeds. Return True if the log is empty.
        """
        for attempt in range(CHECKPOINT_TRIES):
            if attempt:
                await asyncio.sleep(CHECKPOINT_TIMEOUT_MS / 1000)
            async with self._lock:
                if await _empty_log(self._db):
                    return True
        logger.warning(
            "Another reader of %s kept the write-ahead log from being emptied; "
            "deleted drafts stay in it until it is (retried every %.0f s)",
            self.path.name,
            CHECKPOINT_RETRY_SECONDS,
        )
        if retry_later and (self._retry is None or self._retry.done()):
            self._retry = asyncio.create_task(self._checkpoint_until_done())
        return False

    async def _checkpoint_until_done(self) -> None:
        """Retry the checkpoint until the log is empty, then finish any rebuild it held up."""
        while True:
            await asyncio.sleep(CHECKPOINT_RETRY_SECONDS)
            if self._connection is None:
                return
            async with self._lock:
                if await _empty_log(self._db):
                    break
        self._retry = None  # a rebuild held up again schedules a fresh retry
        held_up = await self._fetchall("SELECT count(*) FROM windows WHERE is_open = 0 AND rebuilt = 0")
        if not held_up[0][0] or await self.finish_closing():
            logger.info("The write-ahead log of %s is empty again", self.path.name)

    # participants

    async def participant(self, window_id: int, key: bytes) -> tuple[bool, Draft | None]:
        """Return whether this key has submitted, and its draft: both in one query (every press)."""
        rows = await self._fetchall(
            "SELECT (SELECT register FROM intake WHERE window_id = ?), "
            "(SELECT state FROM drafts WHERE key = ?)",
            (window_id, key),
        )
        register, state = rows[0]
        submitted = register is not None and registered(register, key)
        return submitted, Draft.model_validate_json(state) if state is not None else None

    async def draft(self, key: bytes) -> Draft | None:
        """Return the participant's unfinished form, or None."""
        rows = await self._fetchall("SELECT state FROM drafts WHERE key = ?", (key,))
        return Draft.model_validate_json(rows[0][0]) if rows else None

    async def drafts(self, keys: dict[bytes, int]) -> list[tuple[int, bytes, Draft]]:
        """Return (window id, key, draft) for each of these keys that has a draft."""
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        rows = await self._fetchall(
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
        async with self._transaction() as db:
            found = await _rewrite_without(db, key)
        await self.checkpoint()
        return found

    async def submit(self, key: bytes, window_id: int, ballot: Ballot) -> int:
        """Register the person, keep the ballot and drop the draft, all or nothing.

        The ballot waits in the window's unfinished batch; when the batch is complete it joins
        the ballots in random order and the previous batch is released to the live view. When
        this returns, no file holds the person's draft: the per-person tables were rewritten
        from zeroed pages and the log emptied. Return how many ballots the window holds now.
        """
        async with self._transaction() as db:
            async with db.execute(
                "SELECT w.is_open, max(w.min_group, 1), i.register, i.pending, "
                "(SELECT count(*) FROM ballots WHERE window_id = w.id) "
                "FROM windows w JOIN intake i ON i.window_id = w.id WHERE w.id = ?",
                (window_id,),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None or not row[0]:
                raise WindowClosed
            _open, min_group, register, stored, kept = row
            if registered(register, key):
                raise AlreadySubmitted
            pending = [*pending_ballots(stored), ballot]
            if len(pending) >= min_group:
                await _release_held(db, window_id)
                await _store_batch(db, window_id, pending)
                kept, pending = kept + len(pending), []
            entry = (window_id, register_with(register, key), pending_json(pending))
            await _rewrite_without(db, key, entry)
        await self.checkpoint()
        return int(kept) + len(pending)

    # ballots

    async def ballots(self, window_id: int) -> list[Ballot]:
        """Return the window's stored ballots (in the meaningless order of their random ids)."""
        rows = await self._fetchall(
            "SELECT answers, suggestion FROM ballots WHERE window_id = ?", (window_id,)
        )
        return [stored_ballot(row[0], row[1]) for row in rows]

    async def tally_counts(self, window_id: int, *, released_only: bool) -> dict[Cell, int]:
        """Return the window's counters: the released batches only, or every stored ballot."""
        rows = await self._fetchall(
            "SELECT category, question, option, sum(count) FROM tally_counts "
            "WHERE window_id = ? AND released >= ? GROUP BY category, question, option",
            (window_id, int(released_only)),
        )
        return {(row[0], row[1], row[2]): int(row[3]) for row in rows}

    async def suggestions(self, window_id: int) -> list[str]:
        """Return the window's suggestions, without the answers they came with."""
        rows = await self._fetchall(
            "SELECT suggestion FROM ballots WHERE window_id = ? AND suggestion IS NOT NULL", (window_id,)
        )
        return [row[0] for row in rows]

    # live tally messages

    async def add_live_view(self, view: LiveView) -> None:
        """Keep this message current; it replaces older live views of the window in that chat."""
        async with self._transaction() as db:
            await db.execute(
                "DELETE FROM live_views WHERE chat_id = ? AND window_id = ?", (view.chat_id, view.window_id)
            )
            await db.execute(
                "INSERT INTO live_views (chat_id, message_id, window_id, language) VALUES (?, ?, ?, ?)",
                (view.chat_id, view.message_id, view.window_id, view.language),
            )

    async def live_views(self, window_id: int) -> list[LiveView]:
        """Return the messages showing this window's live tally."""
        rows = await self._fetchall(
            "SELECT chat_id, message_id, window_id, language FROM live_views WHERE window_id = ?",
            (window_id,),
        )
        return [LiveView(chat_id=r[0], message_id=r[1], window_id=r[2], language=r[3]) for r in rows]

    async def drop_live_views(self, window_id: int) -> None:
        """Stop keeping the window's tally messages current (after its final edit)."""
        async with self._transaction() as db:
            await db.execute("DELETE FROM live_views WHERE window_id = ?", (window_id,))

    # Annex 1 score sheets

    async def score_sheet(self, window_id: int) -> ScoreSheet | None:
        """Return the window's score sheet, or None if scoring has not started."""
        rows = await self._fetchall(
            "SELECT window_id, state, updated_at, finalised_by, finalised_name, finalised_at "
            "FROM score_sheets WHERE window_id = ?",
            (window_id,),
        )
        if not rows:
            return None
        window, state, updated, by, name, at = rows[0]
        return ScoreSheet(
            window_id=window,
            marks=_marks(state),
            updated_at=updated,
            finalised_by=by,
            finalised_name=name,
            finalised_at=at,
        )

    async def save_score(self, window_id: int, marks: Marks) -> None:
        """Store the sheet as it stands; raise SheetFinalised once it is finalised."""
        async with self._lock:
            cursor = await self._db.execute(
                "INSERT INTO score_sheets (window_id, state, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (window_id) DO UPDATE SET state = excluded.state, "
                "updated_at = excluded.updated_at WHERE finalised_at IS NULL",
                (window_id, marks.model_dump_json(), _now()),
            )
            if cursor.rowcount != 1:
                raise SheetFinalised

    async def finalise_score(self, window_id: int, user_id: int, name: str) -> bool:
        """Record who finalised the sheet and when; False if it already was."""
        async with self._lock:
            cursor = await self._db.execute(
                "UPDATE score_sheets SET finalised_by = ?, finalised_name = ?, finalised_at = ? "
                "WHERE window_id = ? AND finalised_at IS NULL",
                (user_id, name, _now(), window_id),
            )
            return cursor.rowcount == 1

    # leaders and invites

    async def create_invite(self, created_by: int, expires: datetime) -> str:
        """Make a single-use invite token, valid until `expires`."""
        token = secrets.token_urlsafe(16)
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO invites (token, created_by, expires_at) VALUES (?, ?, ?)",
                (token, created_by, expires.isoformat(timespec="seconds")),
            )
        return token

    async def redeem_invite(self, token: str, user_id: int, name: str) -> bool | None:
        """Make the user a leader with this invite; None if no such invite, False if spent or expired."""
        async with self._transaction() as db:
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
                "UPDATE invites SET used_by = ?, used_at = ? WHERE token = ?", (user_id, _now(), token)
            )
            await db.execute(
                "INSERT INTO leaders (user_id, name, invited_by, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name",
                (user_id, name, created_by, _now()),
            )
        return True

    async def leaders(self) -> list[Leader]:
        """Return the leaders made by invites."""
        rows = await self._fetchall(
            "SELECT user_id, name, invited_by, added_at FROM leaders ORDER BY added_at"
        )
        return [Leader(user_id=r[0], name=r[1], invited_by=r[2], added_at=r[3]) for r in rows]

    async def is_invited_leader(self, user_id: int) -> bool:
        """Return True if an invite made this user a leader."""
        return bool(await self._fetchall("SELECT 1 FROM leaders WHERE user_id = ?", (user_id,)))

    async def revoke_leader(self, user_id: int) -> bool:
        """Remove an invited leader; return False if there was none."""
        async with self._transaction() as db:
            cursor = await db.execute("DELETE FROM leaders WHERE user_id = ?", (user_id,))
            return cursor.rowcount == 1

    # leaders' real names and groups

    async def set_official(self, user_id: int, name: str, group: str) -> Official:
        """Record (or change) a leader's real name and inspection group."""
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO officials (user_id, name, group_name, set_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, "
                "group_name = excluded.group_name, set_at = excluded.set_at",
                (user_id, name, group, _now()),
            )
        found = await self.official(user_id)
        assert found is not None  # noqa: S101 - just written
        return found

    async def official(self, user_id: int) -> Official | None:
        """Return the leader's real name and group, or None until they set them."""
        return (await self.officials([user_id])).get(user_id)

    async def officials(self, user_ids: Sequence[int] | None = None) -> dict[int, Official]:
        """Return the real names and groups of these leaders (of everyone, without a list)."""
        sql = "SELECT user_id, name, group_name, set_at FROM officials"
        parameters: list[int] = []
        if user_ids is not None:
            parameters = list(dict.fromkeys(user_ids))
            if not parameters:
                return {}
            sql += f" WHERE user_id IN ({', '.join('?' for _ in parameters)})"
        rows = await self._fetchall(sql, parameters)
        return {r[0]: Official(user_id=r[0], name=r[1], group=r[2], set_at=r[3]) for r in rows}

    async def ballot_count(self, window_id: int) -> int:
        """Return how many ballots the window has received."""
        rows = await self._fetchall(f"SELECT {_RECEIVED} FROM windows w WHERE id = ?", (window_id,))
        return int(rows[0][0]) if rows else 0


def _marks(state: str) -> Marks:
    """Read a stored score sheet; sheets saved before it had its own model held survey-style answers."""
    stored = json.loads(state)
    if "answers" in stored:  # {"answers": {"s1_1": ["p4"]}, ...}: the option id "p<points>"
        answers = stored.pop("answers")
        stored.pop("suggestion", None)
        stored["points"] = {
            item: int(chosen[0].removeprefix("p")) for item, chosen in answers.items() if chosen
        }
    return Marks.model_validate(stored)


def _owner_only(path: Path) -> None:
    """Create the database file readable by its owner only, and take others' access from older files.

    SQLite creates the write-ahead log and shared-memory files with the database file's
    permissions, so those follow. A file that cannot be created here is left to SQLite to
    report; one that cannot be narrowed (another owner) gets a warning.
    """
    with suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(FileNotFoundError):
            mode = stat.S_IMODE(companion.stat().st_mode)
            if mode & 0o077:
                try:
                    companion.chmod(mode & 0o700)
                except OSError as error:
                    logger.warning("%s is readable by others and could not be narrowed: %s", companion, error)


async def _empty_log(db: aiosqlite.Connection) -> bool:
    """Checkpoint and truncate the log, waiting for readers only briefly; True if it is empty."""
    await db.execute(f"PRAGMA busy_timeout = {CHECKPOINT_TIMEOUT_MS}")
    try:
        rows = list(await db.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    busy, log_frames, checkpointed = rows[0]
    return bool(busy == 0 and log_frames == checkpointed)


async def _scalar(connection: aiosqlite.Connection, sql: str) -> int:
    async with connection.execute(sql) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def _release_held(db: aiosqlite.Connection, window_id: int) -> None:
    """Release the batch held back so far: a newer complete batch now takes its place."""
    await db.execute(
        "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
        "SELECT window_id, 1, category, question, option, count FROM tally_counts "
        "WHERE window_id = ? AND released = 0 "
        "ON CONFLICT DO UPDATE SET count = count + excluded.count",
        (window_id,),
    )
    await db.execute("DELETE FROM tally_counts WHERE window_id = ? AND released = 0", (window_id,))


async def _store_batch(db: aiosqlite.Connection, window_id: int, batch: list[Ballot]) -> None:
    """Store a batch as ballots, in the order of their random ids, and count it as held back."""
    rows = sorted(
        (secrets.token_bytes(16), window_id, answers_json(ballot), ballot.suggestion) for ballot in batch
    )
    await db.executemany("INSERT INTO ballots (id, window_id, answers, suggestion) VALUES (?, ?, ?, ?)", rows)
    counts: dict[Cell, int] = {}
    for ballot in batch:
        for cell in ballot_cells(ballot):
            counts[cell] = counts.get(cell, 0) + 1
    await db.executemany(
        "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
        "VALUES (?, 0, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count",
        [(window_id, *cell, count) for cell, count in sorted(counts.items())],
    )


async def _rewrite_without(
    db: aiosqlite.Connection, key: bytes, intake: tuple[int, bytes, str] | None = None
) -> bool:
    """Drop a draft by rewriting the per-person tables from zeroed pages; True if it existed.

    Deleting one row zeroes it (secure_delete), but SQLite leaves stale copies of rows it has
    moved between pages in their unused space. Emptying a table frees and zeroes its pages;
    rows written back land in fresh pages, in key order. `intake` replaces its window's row.
    """
    async with db.execute("SELECT key, window_id, state FROM drafts ORDER BY key") as cursor:
        drafts = [tuple(row) for row in await cursor.fetchall()]
    async with db.execute("SELECT window_id, register, pending FROM intake ORDER BY window_id") as cursor:
        rows = [tuple(row) for row in await cursor.fetchall()]
    if intake is not None:
        rows = [intake if row[0] == intake[0] else row for row in rows]
    await db.execute("DELETE FROM drafts")
    await db.execute("DELETE FROM intake")
    kept = [row for row in drafts if row[0] != key]
    await db.executemany("INSERT INTO drafts (key, window_id, state) VALUES (?, ?, ?)", kept)
    await db.executemany("INSERT INTO intake (window_id, register, pending) VALUES (?, ?, ?)", rows)
    return len(kept) < len(drafts)
