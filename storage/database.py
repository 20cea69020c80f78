"""The one aiosqlite connection every repository shares: opened, migrated, checkpointed here.

One connection serves every coroutine; a lock keeps each transaction whole. The file is the
survey's own (checked at open), owner-only, in WAL mode with secure_delete, and its log is
emptied after every write that removes personal data.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import stat
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self, TypeVar

import aiosqlite

from storage.keys import WindowKeys
from storage.schema import APPLICATION_ID, SCHEMA_VERSION, migrate

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000  # how long a write waits for another writer
# A checkpoint waits for readers of older snapshots only briefly, a few times: a reader that
# holds its snapshot longer must not stall every submit for the whole busy timeout.
CHECKPOINT_TIMEOUT_MS = 50
CHECKPOINT_TRIES = 5
# After a checkpoint a reader kept from finishing, it is tried again this often until it finishes.
CHECKPOINT_RETRY_SECONDS = 1.0


class DatabaseRefused(Exception):
    """The file at the database path is not one this program can use."""


# What a full disk or a file that cannot be written looks like from SQLite (primary result codes).
_REFUSED_WRITES = {
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CANTOPEN,
}


def refused_write(error: BaseException) -> bool:
    """Return True if the error says the disk or file would not take a write (not a bug of ours)."""
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", 0) & 0xFF in _REFUSED_WRITES
    return isinstance(error, OSError)


def now_text() -> str:
    """Return the current moment in UTC as stored: ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Database:
    """The connection, its lock and its lifecycle; each repository adds the queries of one aggregate."""

    def __init__(self, path: Path, keys: WindowKeys | None = None) -> None:
        self.path = path
        self.keys = keys or WindowKeys(path.with_name(path.name + ".key"))
        self._connection: aiosqlite.Connection | None = None
        # One connection serves every coroutine: the lock keeps each transaction whole.
        self._lock = asyncio.Lock()
        self._retry: asyncio.Task[None] | None = None
        self._writes: list[_Write] = []  # single statements waiting for the next group commit

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
        await self._opened()

    async def close(self) -> None:
        """Checkpoint the log into the main file and close the connection."""
        if self._connection is None:
            return
        self._stop_retrying()
        await self.checkpoint(retry_later=False)
        async with self._lock:
            await self._connection.close()
            self._connection = None

    async def _opened(self) -> None:
        """Finish opening, once the connection is ready (the repositories add their own work)."""

    def _stop_retrying(self) -> None:
        """Cancel the work retried in the background (at close; the repositories add theirs)."""
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None

    def _window_changed(self, window_id: int) -> None:
        """Forget what is cached of a window another repository changed (the windows' own cache)."""

    async def _log_emptied(self) -> bool:
        """Finish what a full write-ahead log held up; True once nothing is left."""
        return True

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
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one immediate transaction, rolled back if it raises."""
        async with self._lock:
            db = self._db
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                await db.execute("COMMIT")
            except BaseException:
                # A full disk can make SQLite roll back on its own (and a commit fail): then
                # there is nothing left to roll back, and the first error is the one to raise.
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise

    async def write(self, sql: str, parameters: Sequence[object] = ()) -> int:
        """Run one writing statement, durable when this returns; return how many rows it changed.

        Statements that arrive while another write holds the connection are committed together
        when it is free, in one transaction (a group commit): one commit and one fsync for a
        room's worth of presses instead of one each. Each runs as if alone, in arrival order; a
        statement a constraint refuses raises for its caller only.
        """
        return await in_turn(_Write(sql, parameters), self._writes, self._lock, self._commit_writes)

    async def _commit_writes(self, own: _Write) -> None:
        """Run the statements queued so far (this caller's among them) together, until its own has run."""
        while own.outcome is None:
            batch, self._writes = self._writes, []
            try:
                outcomes = await self._run_together(batch)
            except _StatementFailed as failed:
                # One statement broke the transaction: it fails alone, the rest go round again.
                batch[failed.index].outcome = failed.error
                self._writes[:0] = [entry for entry in batch if entry.outcome is None]
                continue
            except BaseException:
                # Nothing of the batch was written: each other statement tries again in its own turn.
                self._writes[:0] = [entry for entry in batch if entry is not own]
                raise
            for entry, outcome in zip(batch, outcomes, strict=True):
                entry.outcome = outcome

    async def _run_together(self, batch: list[_Write]) -> list[int | Exception]:
        """Run the statements in one transaction; return each one's row count or constraint error."""
        db = self._db
        outcomes: list[int | Exception] = []
        await db.execute("BEGIN IMMEDIATE")
        try:
            for index, entry in enumerate(batch):
                try:
                    cursor = await db.execute(entry.sql, entry.parameters)
                except sqlite3.IntegrityError as error:  # this statement undone, the others kept
                    outcomes.append(error)
                except sqlite3.Error as error:
                    raise _StatementFailed(index, error) from error
                else:
                    outcomes.append(cursor.rowcount)
            await db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
        return outcomes

    async def fetchall(self, sql: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Return every row of one query."""
        # One trip to aiosqlite's thread (execute, fetch, drop the cursor there), not three.
        async with self._lock:
            return list(await self._db.execute_fetchall(sql, parameters))

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
        """Retry the checkpoint until the log is empty, then finish what it held up."""
        while True:
            await asyncio.sleep(CHECKPOINT_RETRY_SECONDS)
            if self._connection is None:
                return
            async with self._lock:
                if await _empty_log(self._db):
                    break
        self._retry = None  # work held up again schedules a fresh retry
        if await self._log_emptied():
            logger.info("The write-ahead log of %s is empty again", self.path.name)


class Queued(Protocol):
    """Work waiting for a group commit: its outcome (a count, or the error for its caller) once done."""

    outcome: int | Exception | None


Q = TypeVar("Q", bound=Queued)


async def in_turn(entry: Q, queue: list[Q], turn: asyncio.Lock, run: Callable[[Q], Awaitable[None]]) -> int:
    """Queue the entry and wait for the turn: whoever gets it runs what is queued (`run`, given its own).

    The entry may have been done by an earlier turn meanwhile. A caller that leaves before its
    entry was taken leaves nothing behind: no work is done for somebody no longer waiting.
    """
    queue.append(entry)
    try:
        async with turn:
            if entry.outcome is None:
                await run(entry)
    except asyncio.CancelledError:
        if entry in queue:
            queue.remove(entry)
        raise
    if isinstance(entry.outcome, int):
        return entry.outcome
    raise entry.outcome or RuntimeError("a queued write was left undone")


class _StatementFailed(Exception):
    """A statement of a group commit failed in a way that undid the whole transaction."""

    def __init__(self, index: int, error: sqlite3.Error) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


@dataclass(eq=False)
class _Write:
    """One statement waiting for a group commit; its outcome is set once the commit is done."""

    sql: str
    parameters: Sequence[object]
    outcome: int | Exception | None = None


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
