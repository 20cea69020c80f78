"""Schema migrations: a database from every earlier release opens, migrated, with its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conversations.anonymity import participant_key
from conversations.engine import Ballot
from storage.repository import Repository
from storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, statements


def make_database(path: Path, version: int) -> None:
    """Build a database as release `version` left it, with one open window and two ballots."""
    with sqlite3.connect(path) as connection:
        for step in range(version):
            for statement in statements(MIGRATIONS[step]):
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {version}")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        if version >= 1:
            connection.execute(
                "INSERT INTO windows (id, token, unit, leader_id, is_open, opened_at) "
                "VALUES (1, 'tok', '县财政局', 7, 1, '2026-11-01T09:00:00+00:00')"
            )
            for number in range(2):
                connection.execute(
                    "INSERT INTO ballots (id, window_id, answers, suggestion) VALUES (?, 1, ?, NULL)",
                    (bytes([number]) * 16, '{"category": ["leader"]}'),
                )
            connection.execute("INSERT INTO participations (key, window_id) VALUES (?, 1)", (b"k" * 32,))


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
async def test_every_earlier_schema_migrates(tmp_path: Path, version: int) -> None:
    """Opening an older database brings it to the current version and keeps what it held."""
    path = tmp_path / "survey.db"
    make_database(path, version)
    async with Repository(path) as repository:
        if version >= 1:
            window = await repository.window(1)
            assert window is not None
            assert window.unit == "县财政局"
            assert window.min_group == 3
            stored = await repository.ballots(1)
            assert [b.ballot for b in stored] == [Ballot(answers={"category": ("leader",)})] * 2
            assert (await repository.participant(b"k" * 32))[0]
            # and the migrated database takes new ballots, batched from where it stands
            count = await repository.submit(participant_key(b"s", 1, 99), 1, Ballot(answers={}))
            assert count == 3
        assert await repository.leaders() == []
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
