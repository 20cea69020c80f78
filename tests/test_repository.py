"""The repository on real SQLite files: schema, durability, one ballot per person, anonymity."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.annex2 import ANNEX2
from conversations.anonymity import keyer_key, participant_key
from conversations.engine import Ballot, Draft, Survey
from conversations.errors import AlreadySubmitted, WindowClosed
from conversations.tally import released_count
from emulator.respondents import random_ballot
from storage.intake import answers_json, row_json, stored_ballot
from storage.repository import DatabaseRefused, Repository
from storage.schema import SCHEMA_VERSION
from tests.tallies import compute_tally
from usecases.results import Results

SECRET = b"s" * 32
BALLOT = Ballot(answers={"category": ("leader",), "improve": ("a", "c")}, suggestion="多公开")


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[Repository]:
    async with Repository(tmp_path / "survey.db") as repository:
        yield repository


def _kept(ballot: Ballot) -> Ballot:
    """Return the ballot as its row keeps it: without its 参评对象 and its suggestion."""
    return stored_ballot(row_json(ballot))


def _sql(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


async def test_a_new_database_is_created_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    """First start creates the file at the current schema version, WAL and secure_delete on."""
    path = tmp_path / "sub" / "survey.db"
    async with Repository(path) as repository:
        rows = await repository.fetchall("PRAGMA secure_delete")
        assert rows[0][0] == 1
        rows = await repository.fetchall("PRAGMA synchronous")
        assert rows[0][0] == 2  # FULL
    assert _sql(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert _sql(path, "PRAGMA journal_mode") == [("wal",)]


async def test_open_window_returns_the_open_one_again(repository: Repository) -> None:
    """A second open for the same leader and unit returns the same window and token."""
    first, created = await repository.open_window(1, "县财政局", min_group=3)
    again, created_again = await repository.open_window(1, "县财政局", min_group=3, expected=25)
    other_leader, _ = await repository.open_window(2, "县财政局", min_group=3)
    assert created
    assert not created_again
    assert again == first.model_copy(update={"expected": 25})
    assert other_leader.id != first.id
    assert len(first.token) >= 16  # 128 random bits, url-safe
    assert await repository.window_by_token(first.token) == again
    assert await repository.window_by_token("nope") is None


async def test_submit_stores_once_and_drops_the_draft(repository: Repository) -> None:
    """Submitting inserts the ballot, registers the person and deletes the draft together."""
    window, _ = await repository.open_window(1, "县财政局", min_group=1)
    key = participant_key(SECRET, window.id, 42)
    await repository.save_draft(key, window.id, Draft(step=16))
    assert await repository.participant(window.id, key) == (False, Draft(step=16))
    await repository.submit(key, window.id, BALLOT)
    assert await repository.draft(key) is None
    assert await repository.participant(window.id, key) == (True, None)
    assert await repository.ballots(window.id) == [_kept(BALLOT)]
    assert await repository.suggestions(window.id) == []  # kept apart, sorted, until close
    with pytest.raises(AlreadySubmitted):
        await repository.submit(key, window.id, BALLOT)
    assert await repository.ballot_count(window.id) == 1
    assert await repository.close_window(window.id)
    assert await repository.suggestions(window.id) == ["多公开"]


async def test_a_keyed_paper_form_is_stored_once_and_registers_nobody(repository: Repository) -> None:
    """A keyer's forms: each stored once (its draft goes with it), the keyer never registered."""
    window, _ = await repository.open_window(1, "县财政局", min_group=1)
    desk = keyer_key(SECRET, window.id, 42)
    paper = Ballot(answers={"category": ("served",)}, paper=True, spoiled=("improve",))
    for _ in range(2):
        await repository.save_draft(desk, window.id, Draft(step=16, paper=True))
        await repository.submit(desk, window.id, paper, register=False)
        assert await repository.participant(window.id, desk) == (False, None)
        with pytest.raises(AlreadySubmitted):  # a doubled 录入此份: no draft left, nothing stored
            await repository.submit(desk, window.id, paper, register=False)
    assert await repository.ballots(window.id) == [_kept(paper)] * 2
    assert '"~paper": ["1"]' in answers_json(paper)
    assert '"~spoiled": ["improve"]' in answers_json(paper)


async def test_concurrent_submits_by_one_person_make_one_ballot(repository: Repository) -> None:
    """Ten submits at once from the same person leave exactly one ballot."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3)
    key = participant_key(SECRET, window.id, 42)
    results = await asyncio.gather(
        *(repository.submit(key, window.id, BALLOT) for _ in range(10)), return_exceptions=True
    )
    assert sum(result == 1 for result in results) == 1  # the one that counted the first ballot
    assert sum(isinstance(r, AlreadySubmitted) for r in results) == 9
    assert await repository.ballot_count(window.id) == 1


async def test_a_closed_window_takes_no_drafts_or_ballots(repository: Repository) -> None:
    """After close, saving or submitting raises WindowClosed and open drafts are gone."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3)
    key = participant_key(SECRET, window.id, 7)
    await repository.save_draft(key, window.id, Draft(step=3))
    assert await repository.close_window(window.id)
    assert not await repository.close_window(window.id)
    assert await repository.draft(key) is None
    with pytest.raises(WindowClosed):
        await repository.save_draft(key, window.id, Draft(step=4))
    with pytest.raises(WindowClosed):
        await repository.submit(key, window.id, BALLOT)
    closed = await repository.window(window.id)
    assert closed is not None
    assert not closed.is_open
    assert closed.closed_at is not None


async def test_data_survives_reopening(tmp_path: Path) -> None:
    """What was acknowledged is there after the process restarts."""
    path = tmp_path / "survey.db"
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        key = participant_key(SECRET, window.id, 5)
        await repository.save_draft(key, window.id, Draft(step=5, answers={"category": ("middle",)}))
        await repository.submit(participant_key(SECRET, window.id, 6), window.id, BALLOT)
    async with Repository(path) as repository:
        assert await repository.draft(key) == Draft(step=5, answers={"category": ("middle",)})
        summaries = await repository.windows_of(1)
        assert [(s.window.unit, s.ballots) for s in summaries] == [("县财政局", 1)]
        await repository.close_window(window.id)  # the unfinished batch joins the ballots
        assert await repository.ballots(window.id) == [_kept(BALLOT)]


async def test_ballots_hold_no_person_time_or_order(tmp_path: Path) -> None:
    """Ballots hold window and answers, suggestions a table apart, random ids; closing drops the register."""
    path = tmp_path / "survey.db"
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        for user_id in range(31):
            ballot = Ballot(answers={"category": ("leader",)}, suggestion=f"第{user_id}")
            await repository.submit(participant_key(SECRET, window.id, user_id), window.id, ballot)
        (register,) = _sql(path, "SELECT register FROM intake")[0]
        assert isinstance(register, bytes)
        keys = [register[at : at + 32] for at in range(0, len(register), 32)]
        assert keys == sorted(participant_key(SECRET, window.id, user_id) for user_id in range(31))
        assert len(_sql(path, "SELECT id FROM ballots")) == 30  # the 31st waits for its batch
        await repository.close_window(window.id)
    columns = [row[1] for row in _sql(path, "PRAGMA table_info(ballots)")]
    assert columns == ["id", "window_id", "answers"]
    assert [row[1] for row in _sql(path, "PRAGMA table_info(suggestions)")] == ["id", "window_id", "text"]
    tables = "SELECT count(*) FROM pragma_table_list WHERE name IN ('ballots', 'suggestions') AND wr = 1"
    assert _sql(path, tables) == [(2,)]
    assert _sql(path, "SELECT count(*) FROM ballots WHERE answers LIKE '%category%'") == [(0,)]
    stored = [str(row[0]) for row in _sql(path, "SELECT text FROM suggestions")]
    submitted = [f"第{user_id}" for user_id in range(31)]
    assert sorted(stored) == sorted(submitted)
    assert stored != submitted  # the stored order is the random ids', not the submission order
    assert _sql(path, "SELECT count(*) FROM intake") == [(0,)]  # the register went with the close
    everything = path.read_bytes()
    for key in keys:
        assert key not in everything
    assert f"{window.id}:7".encode() not in everything


@pytest.mark.parametrize(
    "setup",
    [
        "CREATE TABLE notes (x)",  # someone else's database
        "PRAGMA user_version = 99",  # a future version of ours
    ],
)
async def test_foreign_or_newer_databases_are_refused(tmp_path: Path, setup: str) -> None:
    """A database that is not ours, or from a newer release, is refused with a clear error."""
    path = tmp_path / "survey.db"
    with sqlite3.connect(path) as connection:
        connection.execute(setup)
    with pytest.raises(DatabaseRefused):
        await Repository(path).open()


async def test_a_corrupt_file_is_refused(tmp_path: Path) -> None:
    """A file that is not SQLite at all is refused, not overwritten."""
    path = tmp_path / "survey.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseRefused, match="not"):
        await Repository(path).open()
    assert path.read_bytes().startswith(b"this is not a database")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    size=st.integers(min_value=0, max_value=14), k=st.integers(min_value=1, max_value=4), seed=st.integers()
)
async def test_running_counters_match_a_recount_of_the_released_ballots(
    tmp_path_factory: pytest.TempPathFactory, size: int, k: int, seed: int
) -> None:
    """The counters kept by batch give the same tally as counting the released ballots again.

    While open that is the first (⌊N/k⌋ − 1)·k ballots to arrive, without a breakdown by
    category; after close every ballot, with it.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    path = tmp_path_factory.mktemp("counters") / "survey.db"
    submitted = [random_ballot(rng) for _ in range(size)]
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=k)
        results = Results(repository, Survey(ANNEX2))
        for number, ballot in enumerate(submitted):
            await repository.submit(participant_key(SECRET, window.id, number), window.id, ballot)
        for is_open in (True, False):
            if not is_open:
                await repository.close_window(window.id)
            current = await repository.window(window.id)
            assert current is not None
            shown = submitted[: released_count(size, min_group=k, is_open=is_open)]
            recount = compute_tally(ANNEX2, shown, received=size, min_group=k)
            kept = await results.tally(current)
            assert kept.questions == recount.questions
            assert kept.breakdown == (() if is_open else recount.breakdown)
            assert (kept.counted, kept.received) == (recount.counted, recount.received)
            if not is_open:  # suggestions are read only once closed
                assert sorted(kept.suggestions) == sorted(recount.suggestions)
                stored = await repository.ballots(window.id)
                assert sorted(map(answers_json, stored)) == sorted(row_json(b) for b in submitted)


async def test_a_leaders_real_name_and_group_are_kept_and_can_change(tmp_path: Path) -> None:
    """/me stores name and group per leader; setting them again replaces them."""
    async with Repository(tmp_path / "survey.db") as repository:
        assert await repository.official(7) is None
        first = await repository.set_official(7, "张三", "第一检查组")
        assert first.label == "张三（第一检查组）"
        await repository.set_official(8, "王五", "第三检查组")
        await repository.set_official(7, "张三", "第二检查组")
        officials = await repository.officials()
        assert {k: v.label for k, v in officials.items()} == {
            7: "张三（第二检查组）",
            8: "王五（第三检查组）",
        }
        assert list(await repository.officials([8, 9])) == [8]
        assert await repository.officials([]) == {}


async def test_a_cancelled_draft_leaves_no_copy_in_any_file(tmp_path: Path) -> None:
    """/cancel: the discarded form is in neither the database file nor its log afterwards."""
    path = tmp_path / "survey.db"
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        secret = repository.keys.secret(window.id)
        mine = participant_key(secret, window.id, 1)
        for version in range(5):  # saved again and again among others' drafts (pages split)
            await repository.save_draft(
                mine, window.id, Draft(step=16, suggestion=f"撤回的建议{version}" * 40)
            )
            for user_id in range(2, 40):
                draft = Draft(step=version, suggestion=f"别人的进度{user_id}" * 20)
                await repository.save_draft(participant_key(secret, window.id, user_id), window.id, draft)
        assert await repository.delete_draft(mine)
        wal = path.with_name("survey.db-wal")
        files = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
        assert "撤回的建议".encode() not in files
        assert "别人的进度39".encode() in files  # the others' drafts are still there
