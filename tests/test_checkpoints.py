"""Attacks that need a second reader of the live file: it keeps the write-ahead log from emptying.

Audit 1, findings 2 and 3: while an sqlite3 shell, a check or a copy holds a read snapshot, a
checkpoint cannot empty the log, so drafts a submit deleted stay in it and a close's rebuild
stays in the log while the main file keeps its old pages. A repository that ignores the
checkpoint's result (the naive one here) records the close as done and never tries again.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conversations.anonymity import participant_key
from storage import database
from storage.backup import snapshot
from storage.repository import Repository
from tests.forensics import UNRELATED, Files, Person, crowd, drafts_left, placement_against_arrival

K = 3
PEOPLE = 6


class IgnoringCheckpoints(Repository):
    """The repository before audit 1: the checkpoint's result is not looked at."""

    async def checkpoint(self, *, retry_later: bool = True) -> bool:
        """Run the checkpoint (waiting briefly, as the auditor did) and report success regardless."""
        async with self._lock:
            await self._db.execute("PRAGMA busy_timeout = 50")
            await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True


@contextmanager
def reader_of(path: Path) -> Iterator[None]:
    """Hold a read snapshot of the file (as a long copy or an sqlite3 shell does) until the block ends."""
    started, stop = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        connection.execute("BEGIN")
        connection.execute("SELECT count(*) FROM windows").fetchone()
        started.set()
        stop.wait()
        connection.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry a held-up checkpoint every 0.1 s instead of every second."""
    monkeypatch.setattr(database, "CHECKPOINT_RETRY_SECONDS", 0.1)


def _main_file(path: Path) -> Files:
    """Copy the main file alone: what the log has not reached is not in it."""
    return Files(path.read_bytes(), b"")


async def _settled(repository: Repository, seconds: float) -> None:
    """Wait (at most so long) until the log is empty and no closed window waits for its rebuild."""
    wal = repository.path.with_name(repository.path.name + "-wal")
    for _ in range(int(seconds * 10)):
        await asyncio.sleep(0.1)
        pending = await repository.fetchall("SELECT count(*) FROM windows WHERE rebuilt = 0 AND is_open = 0")
        if wal.stat().st_size == 0 and not pending[0][0]:
            return


async def _answer(repository: Repository, people: list[Person], *, drafts: bool = True) -> int:
    """Let these people answer (passing through their drafts) and submit; return the window's id."""
    window, _ = await repository.open_window(1, "县财政局", min_group=K)
    for person in people:
        key = participant_key(repository.keys.secret(window.id), window.id, person.user_id)
        for draft in person.drafts if drafts else []:
            await repository.save_draft(key, window.id, draft)
        await repository.submit(key, window.id, person.ballot)
    return window.id


async def _drafts_after_reader(store: type[Repository], path: Path) -> tuple[int, int]:
    people = crowd(PEOPLE, seed=3)
    async with store(path) as repository:
        with reader_of(path):
            await _answer(repository, people)
            during = Files.copy(path)
        await asyncio.sleep(0.5)  # long enough for a few retries
        after = Files.copy(path)
    return sum(drafts_left(during, p) for p in people), sum(drafts_left(after, p) for p in people)


def test_drafts_a_reader_kept_in_the_log_go_as_soon_as_it_lets_go(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Six people answer while a reader holds a snapshot; the reader then lets go.

    While it holds, no checkpoint can empty the log: both stores still have every draft there.
    Naive: nothing tries again, so the drafts stay until some later submit. Real: the failed
    checkpoint is reported (a warning) and retried in the background until the log is empty.
    """
    naive = asyncio.run(_drafts_after_reader(IgnoringCheckpoints, tmp_path / "naive" / "survey.db"))
    with caplog.at_level(logging.WARNING, logger="storage.database"):
        real = asyncio.run(_drafts_after_reader(Repository, tmp_path / "real" / "survey.db"))
    assert naive == (PEOPLE, PEOPLE)
    assert real == (PEOPLE, 0)
    assert any("kept the write-ahead log from being emptied" in r.getMessage() for r in caplog.records)


async def _close_with_reader(store: type[Repository], path: Path) -> tuple[int, float, float]:
    people = crowd(60, seed=5)
    async with store(path) as repository:
        window_id = await _answer(repository, people, drafts=False)
        with reader_of(path):
            assert await repository.close_window(window_id)
            rows = await repository.fetchall("SELECT rebuilt FROM windows")
            during = _main_file(path)
        await _settled(repository, 10 if store is Repository else 0.5)
        after = _main_file(path)
    return rows[0][0], placement_against_arrival(during, people), placement_against_arrival(after, people)


def test_a_close_counts_as_rebuilt_only_once_the_rebuild_reached_the_main_file(tmp_path: Path) -> None:
    """Sixty ballots; a reader holds a snapshot while the unit is closed, then lets go.

    Naive: `rebuilt = 1` is recorded while the main file still lies in arrival order (ρ ≈ 1) and
    nothing ever rebuilds it again. Real: `rebuilt` stays 0 while the reader holds; once it
    lets go the rebuild is finished and the main file's order says nothing of arrival.
    """
    naive = asyncio.run(_close_with_reader(IgnoringCheckpoints, tmp_path / "naive" / "survey.db"))
    real = asyncio.run(_close_with_reader(Repository, tmp_path / "real" / "survey.db"))
    assert naive[0] == 1
    assert naive[1] > 0.9
    assert real[0] == 0
    assert real[1] > 0.9  # the reader still saw the old pages: nothing can change them meanwhile
    assert abs(real[2]) < UNRELATED


def test_a_start_finishes_a_rebuild_a_reader_held_up(tmp_path: Path) -> None:
    """The bot stops while the reader still holds: the next start rebuilds and records it."""
    path = tmp_path / "survey.db"
    people = crowd(30, seed=6)

    async def close_then_stop() -> None:
        async with Repository(path) as repository:
            window_id = await _answer(repository, people, drafts=False)
            with reader_of(path):
                await repository.close_window(window_id)

    async def start() -> int:
        async with Repository(path) as repository:
            rows = await repository.fetchall("SELECT rebuilt FROM windows")
        return int(rows[0][0])

    asyncio.run(close_then_stop())
    assert asyncio.run(start()) == 1
    assert abs(placement_against_arrival(_main_file(path), people)) < UNRELATED


def test_a_snapshot_for_a_copy_or_a_check_leaves_the_file_at_once(tmp_path: Path) -> None:
    """While a backup or a check works on its snapshot, the bot's checkpoint still empties the log.

    The old way (a read transaction on the file for the whole `VACUUM INTO` or integrity
    check) keeps the checkpoint from finishing.
    """
    path = tmp_path / "survey.db"

    async def checkpoints() -> tuple[bool, bool]:
        async with Repository(path) as repository:
            await _answer(repository, crowd(3, seed=1))
            copy = snapshot(path)
            try:
                await repository.save_draft(b"k" * 32, 1, crowd(1, seed=2)[0].drafts[3])
                ours = await repository.checkpoint(retry_later=False)
            finally:
                copy.close()
            with reader_of(path):
                await repository.save_draft(b"k" * 32, 1, crowd(1, seed=2)[0].drafts[4])
                old_way = await repository.checkpoint(retry_later=False)
        return ours, old_way

    assert asyncio.run(checkpoints()) == (True, False)
