"""Group commits: writes and submits that arrive together share a transaction, each decided as if alone."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from conversations.anonymity import participant_key
from conversations.engine import Ballot, Draft
from conversations.errors import AlreadySubmitted
from storage.repository import Repository
from tests.sqlite_file import Wal

SECRET = b"g" * 32
BALLOT = Ballot(answers={"category": ("leader",), "improve": ("a",)})
PEOPLE = 40


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[Repository]:
    async with Repository(tmp_path / "survey.db") as repository:
        yield repository


async def commits_during(repository: Repository) -> list[str]:
    """Start counting the statements the connection runs; return the list they go into."""
    seen: list[str] = []
    await repository._db.set_trace_callback(seen.append)
    return seen


def commits(statements: list[str]) -> int:
    """Return how many transactions were committed among these statements."""
    return sum(1 for statement in statements if statement.strip().upper() == "COMMIT")


async def test_drafts_saved_together_share_commits_and_each_is_durable(
    repository: Repository, tmp_path: Path
) -> None:
    """40 presses at once: every draft is in the file when its save returns, in a handful of commits."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3)
    keys = [participant_key(SECRET, window.id, person) for person in range(PEOPLE)]
    assert await repository.checkpoint()  # an empty log: every commit from here on is a frame in it
    await asyncio.gather(
        *(repository.save_draft(key, window.id, Draft(step=person)) for person, key in enumerate(keys))
    )
    log = Wal.read(tmp_path / "survey.db-wal")
    assert log is not None
    assert sum(1 for frame in log.current() if frame.commit_size) <= 3  # the first alone, then 1-2 groups
    with sqlite3.connect(tmp_path / "survey.db") as other:  # another reader sees them all, committed
        stored = dict(other.execute("SELECT key, state FROM drafts").fetchall())
    assert len(stored) == PEOPLE
    assert all(Draft.model_validate_json(stored[key]).step == person for person, key in enumerate(keys))


async def test_a_statement_a_constraint_refuses_fails_alone(repository: Repository) -> None:
    """One write in a group breaks a constraint: its caller gets the error, the others are written."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3)
    insert = "INSERT INTO drafts (key, window_id, state) VALUES (?, ?, '{}')"
    writes = [repository.write(insert, (bytes([n]) * 32, window.id)) for n in range(10)]
    writes.insert(5, repository.write(insert, (bytes([3]) * 32, window.id)))  # the same key twice
    outcomes = await asyncio.gather(*writes, return_exceptions=True)
    assert sum(isinstance(outcome, sqlite3.IntegrityError) for outcome in outcomes) == 1
    assert outcomes.count(1) == 10
    assert len(await repository.fetchall("SELECT key FROM drafts")) == 10


async def test_a_group_that_fails_as_a_whole_lets_each_other_write_try_alone(repository: Repository) -> None:
    """A statement that aborts its group (not a constraint) fails alone: the others queued with it go in."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3)
    insert = "INSERT INTO drafts (key, window_id, state) VALUES (?, ?, '{}')"
    blocker = asyncio.create_task(repository.fetchall("SELECT 1"))  # holds the connection a moment
    writes = [repository.write(insert, (bytes([n]) * 32, window.id)) for n in range(5)]
    writes.insert(2, repository.write("INSERT INTO no_such_table VALUES (1)"))
    outcomes = await asyncio.gather(*writes, return_exceptions=True)
    await blocker
    assert isinstance(outcomes[2], sqlite3.OperationalError)
    assert [outcome for index, outcome in enumerate(outcomes) if index != 2] == [1] * 5
    assert len(await repository.fetchall("SELECT key FROM drafts")) == 5


async def test_a_write_whose_caller_left_before_its_turn_is_not_run(repository: Repository) -> None:
    """A press given up while waiting for the connection (its task cancelled) writes nothing."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3)
    key = participant_key(SECRET, window.id, 1)
    async with repository._lock:
        waiting = asyncio.create_task(repository.save_draft(key, window.id, Draft(step=2)))
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    assert await repository.draft(key) is None
    await repository.save_draft(
        participant_key(SECRET, window.id, 2), window.id, Draft(step=1)
    )  # still works


async def test_submits_together_make_one_ballot_each_and_refuse_the_doubled_one(
    repository: Repository,
) -> None:
    """40 submits at once and one doubled: 40 ballots, one AlreadySubmitted, every draft gone, few commits."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3)
    keys = [participant_key(SECRET, window.id, person) for person in range(PEOPLE)]
    for key in keys:
        await repository.save_draft(key, window.id, Draft(step=16))
    statements = await commits_during(repository)
    submits = [repository.submit(key, window.id, BALLOT) for key in keys]
    submits.append(repository.submit(keys[7], window.id, BALLOT))
    outcomes = await asyncio.gather(*submits, return_exceptions=True)
    assert sum(isinstance(outcome, AlreadySubmitted) for outcome in outcomes) == 1
    assert max(outcome for outcome in outcomes if isinstance(outcome, int)) == PEOPLE
    assert commits(statements) <= 3
    assert await repository.ballot_count(window.id) == PEOPLE  # stored and waiting in the batch
    stored = await repository.fetchall("SELECT count(*) FROM ballots WHERE window_id = ?", (window.id,))
    assert stored[0][0] + len(await _pending(repository, window.id)) == PEOPLE
    assert await repository.fetchall("SELECT key FROM drafts") == []
    for key in keys:
        assert await repository.participant(window.id, key) == (True, None)


async def _pending(repository: Repository, window_id: int) -> list[str]:
    rows = await repository.fetchall("SELECT pending FROM intake WHERE window_id = ?", (window_id,))
    return list(json.loads(rows[0][0]))
