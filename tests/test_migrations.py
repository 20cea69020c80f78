"""Schema migrations: a database from every earlier release opens, migrated, with its data."""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from conversations.annex2 import ANNEX2
from conversations.anonymity import participant_key
from conversations.engine import Ballot, Draft, Survey
from conversations.tally import ballot_cells
from emulator.respondents import random_answers, random_ballot
from storage.intake import answers_json
from storage.keys import WindowKeys
from storage.repository import Repository
from storage.schema import APPLICATION_ID, SCHEMA_VERSION, apply
from tests.forensics import (
    CHANCE_LINKS,
    Files,
    Person,
    category_answers,
    category_traces,
    chosen_by,
    suggestion_links,
    suggestions_beside_answers,
)
from tests.tallies import compute_tally
from usecases.results import Results

OPEN, CLOSED = 1, 2
SECRET = b"old master secret"
BATCHES_FROM = 2  # schema 2 gave ballots their batch number


def _key(window_id: int, user_id: int) -> bytes:
    return participant_key(SECRET, window_id, user_id)


def make_database(path: Path, version: int) -> list[str]:
    """Build a database as release `version` left it: an open window with 7 ballots, a closed one with 4.

    Return the suggestions the open window's ballots came with.
    """
    rng = random.Random(version)  # noqa: S311 - reproducible test data
    written: list[str] = []
    with sqlite3.connect(path, isolation_level=None) as db:
        for step in range(min(version, BATCHES_FROM)):
            apply(db, step)
        if version >= 1:
            db.execute(
                "INSERT INTO windows (id, token, unit, leader_id, is_open, opened_at) VALUES "
                "(1, 'tok', '县财政局', 7, 1, '2026-11-01T09:00:00+00:00'), "
                "(2, 'old', '县教育局', 7, 0, '2026-10-01T09:00:00+00:00')"
            )
            for window_id, count in ((OPEN, 7), (CLOSED, 4)):
                for number in range(count):
                    ballot = random_ballot(rng)
                    written += [ballot.suggestion] if ballot.suggestion and window_id == OPEN else []
                    row = (bytes([window_id, number]) * 8, window_id, answers_json(ballot), ballot.suggestion)
                    if version >= BATCHES_FROM:  # closing reset batches to 0
                        batch = number // 3 if window_id == OPEN else 0
                        db.execute("INSERT INTO ballots VALUES (?, ?, ?, ?, ?)", (*row, batch))
                    else:
                        db.execute("INSERT INTO ballots VALUES (?, ?, ?, ?)", row)
                    key = _key(window_id, number)
                    db.execute("INSERT INTO participations VALUES (?, ?)", (key, window_id))
            db.execute(
                "INSERT INTO drafts VALUES (?, 1, ?)", (_key(OPEN, 99), Draft(step=2).model_dump_json())
            )
        for step in range(min(version, BATCHES_FROM), version):
            apply(db, step)
        db.execute(f"PRAGMA user_version = {version}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return written


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
async def test_every_earlier_schema_migrates(tmp_path: Path, version: int) -> None:
    """An older database comes to the current version with its data, and closed windows scrubbed.

    The open window keeps its register, draft and ballots (newest batch held back); the closed
    one keeps its ballots and loses its register, which no longer lies anywhere in the file.
    """
    path = tmp_path / "survey.db"
    written = make_database(path, version)
    keys = WindowKeys(tmp_path / "survey.db.key", SECRET)  # the master secret the old release used
    async with Repository(path, keys) as repository:
        assert await repository.leaders() == []
        if version == 0:
            return
        results = Results(repository, Survey(ANNEX2))
        window = await repository.window(OPEN)
        assert window is not None
        assert (window.unit, window.is_open, window.min_group) == ("县财政局", True, 3)
        assert await repository.participant(OPEN, _key(OPEN, 0)) == (True, None)
        assert await repository.participant(OPEN, _key(OPEN, 99)) == (False, Draft(step=2))
        tally = await results.tally(window)
        assert (tally.received, tally.counted, tally.question("category").answered) == (7, 3, 3)
        for user_id in (100, 101):  # the new ballots complete a batch: the held one is released
            ballot = random_ballot(random.Random(user_id))  # noqa: S311 - test data
            written += [ballot.suggestion] if ballot.suggestion else []
            await repository.submit(_key(OPEN, user_id), OPEN, ballot)
        # Until close, an open window's suggestions are one sorted list, none in their table.
        assert await repository.suggestions(OPEN) == []
        (waiting,) = (
            await repository.fetchall("SELECT suggestions FROM intake WHERE window_id = ?", (OPEN,))
        )[0]
        assert json.loads(waiting) == sorted(written)
        tally = await results.tally(window)
        assert (tally.received, tally.counted, tally.question("category").answered) == (9, 6, 6)
        closed = await repository.window(CLOSED)
        assert closed is not None
        assert len(await repository.ballots(CLOSED)) == 4
        assert (await results.tally(closed)).counted == 4
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert connection.execute("SELECT window_id FROM intake").fetchall() == [(OPEN,)]
        assert connection.execute("SELECT id, rebuilt FROM windows WHERE is_open = 0").fetchall() == [(2, 1)]
    everything = path.read_bytes()
    assert not any(_key(CLOSED, number) in everything for number in range(4))


BEFORE_APART = 8  # the schema whose ballot rows still held the 参评对象 and the suggestion


def closed_under_an_old_schema(path: Path, ballots: list[Ballot], version: int = BEFORE_APART) -> None:
    """Write a unit closed by an earlier release: rows as `answers_json` wrote them, counters per category.

    Up to BEFORE_APART a row also holds its suggestion; every row keeps its paper mark.
    """
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA secure_delete = ON")
        for step in range(version):
            apply(db, step)
        db.execute(
            "INSERT INTO windows (id, token, unit, leader_id, is_open, opened_at, closed_at, min_group, "
            "rebuilt) VALUES (1, 'tok', '县财政局', 7, 0, '2026-11-01T09:00:00+00:00', "
            "'2026-11-01T10:00:00+00:00', 3, 1)"
        )
        if version <= BEFORE_APART:
            rows = sorted((secrets.token_bytes(16), 1, answers_json(b), b.suggestion) for b in ballots)
            db.executemany(
                "INSERT INTO ballots (id, window_id, answers, suggestion) VALUES (?, ?, ?, ?)", rows
            )
        else:
            plain = sorted((secrets.token_bytes(16), 1, answers_json(b)) for b in ballots)
            db.executemany("INSERT INTO ballots (id, window_id, answers) VALUES (?, ?, ?)", plain)
        counts = Counter(cell for b in ballots for cell in ballot_cells(b))
        db.executemany(
            "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
            "VALUES (1, 1, ?, ?, ?, ?)",
            [(*cell, count) for cell, count in sorted(counts.items())],
        )
        db.execute(f"PRAGMA user_version = {version}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def test_a_unit_closed_before_keeps_no_small_category_or_suggestion_author(tmp_path: Path) -> None:
    """A unit closed by the release before: its file names what the lone 服务对象代表 chose; no longer.

    Before: its rows carry 参评对象 and suggestion, its counters are per category, so the file
    gives the 服务对象代表's answers and each suggestion's author. After the migration and the
    start's rebuild: neither, anywhere in the file, and the tally is the same.
    """
    rng = random.Random(8)  # noqa: S311 - test data
    categories = ["leader"] * 8 + ["middle"] * 6 + ["member"] * 5 + ["served"]
    people = [
        Person(
            n, Ballot(answers={**random_answers(rng), "category": (c,)}, suggestion=f"第{n}条：采购要公开")
        )
        for n, c in enumerate(categories)
    ]
    path = tmp_path / "survey.db"
    closed_under_an_old_schema(path, [p.ballot for p in people])
    served = chosen_by([people[-1].ballot])
    before = Files.copy(path)
    assert category_answers(before.image(), "served") == served
    assert suggestion_links(before.image(), people) == len(people)
    async with Repository(path) as repository:
        window = await repository.window(1)
        assert window is not None
        tally = await Results(repository, Survey(ANNEX2)).tally(window)
        assert sorted(await repository.suggestions(1)) == sorted(str(p.ballot.suggestion) for p in people)
    afresh = compute_tally(ANNEX2, [p.ballot for p in people], min_group=3)
    assert tally == afresh.model_copy(update={"suggestions": tally.suggestions})
    assert afresh.combined is not None
    assert [o.id for o in afresh.combined.categories] == ["member", "served"]
    after = Files.copy(path)
    assert after.wal == b""
    data = after.database
    assert category_answers(after.image(), "served") is None
    assert category_traces(data, "served", [q.id for q in ANNEX2.questions]) == 0
    assert suggestions_beside_answers(data, people) == 0
    assert suggestion_links(after.image(), people) < CHANCE_LINKS
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT rebuilt FROM windows").fetchall() == [(1,)]
        assert connection.execute(
            "SELECT count(*) FROM ballots WHERE answers LIKE '%category%'"
        ).fetchone() == (0,)
