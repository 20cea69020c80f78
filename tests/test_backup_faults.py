"""`python -m bot backup` killed, or refused by the disk, at each line: never a file that looks finished.

The backup is traced line by line (its own module's lines: `storage/backup.py`). A kill is
`os._exit` in a forked copy of the process at that line: no `finally` runs, as with SIGKILL.
A refusal raises the disk's error (no space, read-only) at that line, as the statement there
would. Afterwards the target name holds a whole backup (the database and its key file,
integrity checked) or nothing; what a kill leaves is named `.NAME.partial`.
"""

from __future__ import annotations

import asyncio
import errno
import linecache
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import storage.backup
from conversations.engine import Draft
from emulator.respondents import random_ballot
from storage.backup import BackupFailed, backup
from storage.repository import Repository

KILLED = 9  # the exit status of the forked backup killed at its line
Tracer = Callable[[FrameType, str, Any], Any]
BACKUP_SOURCE = storage.backup.__file__


async def _database(folder: Path) -> Path:
    """Return a database with an open unit of 7 ballots and a closed one."""
    import random  # noqa: PLC0415 - test data only

    rng = random.Random(5)  # noqa: S311 - test data
    path = folder / "survey.db"
    async with Repository(path) as repository:
        for unit in ("县财政局", "县教育局"):
            window, _ = await repository.open_window(1, unit, min_group=3)
            for _ in range(7):
                key = os.urandom(32)
                await repository.save_draft(key, window.id, Draft(step=1))
                await repository.submit(key, window.id, random_ballot(rng))
        assert await repository.close_window(2)
    return path


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return asyncio.run(_database(tmp_path_factory.mktemp("live")))


# A line that reads or writes the disk (or SQLite): where a full or read-only disk shows.
TOUCHES = (
    *("os.", ".execute(", ".unlink(", ".mkdir(", ".read_bytes(", ".connect(", "snapshot(", ".write("),
    *(".backup(", "fsync", ".is_file(", ".exists(", "_write(", "_sync", "_open_windows(", ".chmod("),
)


def _touches_disk(frame: FrameType) -> bool:
    return any(call in linecache.getline(frame.f_code.co_filename, frame.f_lineno) for call in TOUCHES)


def _at_line(number: int, act: Callable[[], None], *, disk_only: bool = False) -> Tracer:
    """Return a tracer that calls `act` at the number-th line run in storage/backup.py (touching the disk)."""
    seen = 0

    def local(frame: FrameType, event: str, _arg: object) -> Tracer | None:
        nonlocal seen
        if event == "line" and (not disk_only or _touches_disk(frame)):
            seen += 1
            if seen == number:
                act()
        return local

    def tracer(frame: FrameType, event: str, _arg: object) -> Tracer | None:
        return local if frame.f_code.co_filename == BACKUP_SOURCE else None

    return tracer


def _lines(database: Path, target: Path, *, disk_only: bool = False) -> int:
    """Count the lines a whole backup runs in storage/backup.py (those touching the disk)."""
    count = 0

    def local(frame: FrameType, event: str, _arg: object) -> Tracer | None:
        nonlocal count
        count += event == "line" and (not disk_only or _touches_disk(frame))
        return local

    def tracer(frame: FrameType, event: str, _arg: object) -> Tracer | None:
        return local if frame.f_code.co_filename == BACKUP_SOURCE else None

    sys.settrace(tracer)
    try:
        backup(database, target, database.with_name("survey.db.key"))
    finally:
        sys.settrace(None)
    return count


def _left(target: Path) -> str:
    """Say what the folder holds: 'finished' (checked whole), 'nothing', or 'partial' files only."""
    key = target.with_name(target.name + ".key")
    names = {p.name for p in target.parent.iterdir()}
    if target.exists():
        assert key.exists(), names  # never a database without its key file
        with sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert copy.execute("SELECT count(*) FROM windows").fetchone() == (2,)
        assert target.stat().st_mode & 0o077 == 0
        return "finished"
    assert all(name.endswith(".partial") or name == key.name for name in names), names
    return "partial" if names else "nothing"


def test_a_kill_at_any_line_of_a_backup_leaves_no_file_that_looks_finished(
    database: Path, tmp_path: Path
) -> None:
    """Fork, trace, `os._exit` at line n: the target is a whole backup or absent, for every n."""
    lines = _lines(database, tmp_path / "whole" / "copy.db")
    outcomes: dict[str, int] = {}
    for number in range(1, lines + 1):
        target = tmp_path / f"kill-{number}" / "copy.db"
        target.parent.mkdir()
        child = os.fork()
        if child == 0:  # the backup process, killed at that line
            sys.settrace(_at_line(number, lambda: os._exit(KILLED)))
            try:
                backup(database, target, database.with_name("survey.db.key"))
            finally:
                os._exit(0)
        _pid, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == KILLED, number
        state = _left(target)
        outcomes[state] = outcomes.get(state, 0) + 1
    print(f"backup: {lines} lines; after a kill at each: {outcomes}")
    assert outcomes.get("partial")
    assert outcomes.get("finished")


@pytest.mark.parametrize(
    ("error", "words"),
    [(errno.ENOSPC, "is full"), (errno.EROFS, "cannot be written")],
    ids=["full", "read-only"],
)
def test_a_disk_that_refuses_a_backup_at_any_line_leaves_nothing_and_says_why(
    database: Path, tmp_path: Path, error: int, words: str
) -> None:
    """The disk's error at each line that touches it: BackupFailed in words, nothing that looks finished."""
    lines = _lines(database, tmp_path / "whole" / "copy.db", disk_only=True)
    outcomes: list[str] = []
    for number in range(1, lines + 1):
        target = tmp_path / f"refused-{number}" / "copy.db"
        target.parent.mkdir()

        def refuse() -> None:
            raise OSError(error, os.strerror(error))

        sys.settrace(_at_line(number, refuse, disk_only=True))
        try:
            backup(database, target, database.with_name("survey.db.key"))
        except BackupFailed as failure:
            outcomes.append(str(failure))
        else:
            outcomes.append("")
        finally:
            sys.settrace(None)
        left = _left(target)  # partial: the disk refused the clean-up too
        assert left == "finished" if not outcomes[-1] else left in {"nothing", "partial"}, number
    whole = outcomes.index("")  # from the rename on, the backup is whole whatever the disk says
    assert all(outcomes[:whole])
    assert not any(outcomes[whole:])
    assert whole > lines // 2
    assert all(words in said for said in outcomes[:whole]), outcomes
