"""Audit 1, finding 5: the database and its log must not be readable by other users of the machine."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from conversations.anonymity import participant_key
from storage.repository import Repository
from tests.forensics import crowd

FILES = ("survey.db", "survey.db-wal", "survey.db-shm")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Create files the way a shell outside systemd does: readable by everyone (umask 022)."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(folder: Path) -> dict[str, str]:
    return {name: f"{stat.S_IMODE((folder / name).stat().st_mode):03o}" for name in FILES}


async def _answer_one(path: Path) -> dict[str, str]:
    """Open the database, take one submit, and read the files' modes while it is open."""
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        person = crowd(1, seed=1)[0]
        key = participant_key(repository.keys.secret(window.id), window.id, person.user_id)
        await repository.save_draft(key, window.id, person.drafts[5])
        return _modes(path.parent)


@pytest.mark.usefixtures("open_umask")
def test_the_database_its_log_and_shared_memory_are_owner_only(tmp_path: Path) -> None:
    """Naive (SQLite creating the file under umask 022): 644, any local user reads drafts. Real: 600."""
    naive = tmp_path / "naive"
    naive.mkdir()
    db = sqlite3.connect(naive / "survey.db")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE drafts (state TEXT)")
    db.execute("INSERT INTO drafts VALUES ('x')")
    db.commit()
    assert _modes(naive) == dict.fromkeys(FILES, "644")
    db.close()
    real = tmp_path / "real"
    assert asyncio.run(_answer_one(real / "survey.db")) == dict.fromkeys(FILES, "600")


@pytest.mark.usefixtures("open_umask")
def test_files_left_readable_by_an_earlier_release_are_narrowed_at_start(tmp_path: Path) -> None:
    """A database made before this fix, 644 with its log and shared memory: the next start leaves them 600."""
    path = tmp_path / "survey.db"
    asyncio.run(_answer_one(path))
    for name in FILES:  # the log and shared memory as a crash leaves them: still there
        (tmp_path / name).touch()
        (tmp_path / name).chmod(0o644)
    assert asyncio.run(_answer_one(path)) == dict.fromkeys(FILES, "600")
