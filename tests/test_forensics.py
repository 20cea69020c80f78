"""Attacks on the files, each shown to work on the naive store and to fail on the real one.

Sixty people fill in the form with their presses interleaved at random (k = 3); the attacker
copies the files after every submit, once more before the close (a plain copy and a backup),
and after the close, and holds the key file and the list of members.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conversations.anonymity import participant_key
from storage.repository import Repository
from tests.forensics import (
    CHANCE_LINKS,
    UNRELATED,
    WINDOW,
    Files,
    NaiveStore,
    Person,
    RealStore,
    Store,
    backup_of,
    briefing,
    correct,
    crowd,
    drafts_left,
    link_by_placement,
    members_of,
    newest_ballot,
    ordered_pairs,
    pairs_from_log,
    placement_against_arrival,
    secrets_in,
    suggestions_in_arrival_order,
)

PEOPLE = 60
K = 3


@dataclass(repr=False)
class Run:
    """What the attacker collected from one briefing."""

    people: list[Person]
    members: dict[bytes, int]
    order: list[Person] = field(default_factory=list)
    after_submits: list[tuple[Person, Files]] = field(default_factory=list)
    copy_while_open: Files | None = None
    backup_while_open: Files | None = None
    after_close: Files | None = None


async def _brief(store: Store, folder: Path) -> Run:
    people = crowd(PEOPLE, seed=9)
    run = Run(people, members_of(store, people))

    async def copy(person: Person) -> None:
        run.after_submits.append((person, Files.copy(store.path)))

    run.order = await briefing(store, people, seed=9, after_submit=copy)
    run.copy_while_open = Files.copy(store.path)
    run.backup_while_open = backup_of(store, folder)
    await store.close()
    run.after_close = Files.copy(store.path)
    return run


async def _real(folder: Path) -> Run:
    async with Repository(folder / "survey.db") as repository:
        return await _brief(await RealStore.open(repository, K), folder)


@pytest.fixture(scope="module")
def naive(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("naive")
    return asyncio.run(_brief(NaiveStore(folder / "survey.db", K), folder))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return asyncio.run(_real(tmp_path_factory.mktemp("real")))


def _links(run: Run, files: Files | None) -> int:
    assert files is not None
    return correct(link_by_placement(files, run.members), run.people)


def test_cell_order_of_register_and_ballots_links_nobody(naive: Run, real: Run) -> None:
    """Pair the n-th register entry with the n-th ballot, from where SQLite put their cells.

    Naive: the register's cells and the index's cells lie in submission order, so every link
    is right, in the files after close and in any copy made while open. Real: after close
    there is no register; while open it is one sorted blob, so the pairing is a random one.
    """
    for moment in ("after_close", "copy_while_open", "backup_while_open"):
        assert _links(naive, getattr(naive, moment)) >= PEOPLE - 2, moment
        assert _links(real, getattr(real, moment)) <= CHANCE_LINKS, moment
    assert _links(real, real.after_close) == 0


def test_where_ballots_lie_says_nothing_of_when_they_arrived(naive: Run, real: Run) -> None:
    """Rank correlation of cell placement and submission order: 1 for naive, chance once rebuilt.

    The real store's rebuilt files (after close, and the backup made while open) place ballots by
    their random ids. (A plain copy of the live file while open still shows batches of k in the
    order they were sealed: the README says so.)
    """
    for moment in ("after_close", "backup_while_open"):
        assert placement_against_arrival(getattr(naive, moment), naive.order) > 0.9, moment
        rho = placement_against_arrival(getattr(real, moment), real.order)
        assert abs(rho) < UNRELATED, (moment, rho)


def test_no_file_holds_a_draft_once_its_submit_returns(naive: Run, real: Run) -> None:
    """Right after each submit, search the main file and the log for that person's drafts.

    Naive: old page images in the log (and stale copies in pages) still hold them. Real: the
    per-person tables are rewritten from zeroed pages and the log is emptied before returning.
    """
    assert sum(drafts_left(files, person) for person, files in naive.after_submits) >= PEOPLE * 2 // 3
    assert sum(drafts_left(files, person) for person, files in real.after_submits) == 0


def test_the_log_pairs_no_register_entry_with_a_ballot(naive: Run, real: Run) -> None:
    """Replay the log of one copy commit by commit: each submit's commit adds one entry and one ballot.

    Naive: the log keeps many submits' commits, each pairing a person with their ballot. Real:
    the log is emptied at every submit, so a copy holds none.
    """
    naive_best = max(
        correct(pairs_from_log(files, naive.members), naive.people) for _p, files in naive.after_submits
    )
    real_best = max(
        correct(pairs_from_log(files, real.members), real.people) for _p, files in real.after_submits
    )
    assert naive_best >= 10
    assert real_best == 0


def test_the_unfinished_batch_does_not_say_who_came_last(naive: Run, real: Run) -> None:
    """Right after a submit that leaves 2 ballots unfinished, guess which one is the newest.

    Naive: the highest batch number and the lowest cell give it every time. Real: the unfinished
    batch is a list sorted by content; the guess is right about half the time, as a coin's.
    """

    def hits(run: Run) -> tuple[int, int]:
        tries = [(p, f) for n, (p, f) in enumerate(run.after_submits, start=1) if n % K == 2]
        return sum(newest_ballot(files) == person.answers for person, files in tries), len(tries)

    assert hits(naive) == (PEOPLE // K, PEOPLE // K)
    right, tries = hits(real)
    assert right < tries * 3 // 4


def test_a_copy_from_while_open_names_nobody_once_the_key_is_destroyed(naive: Run, real: Run) -> None:
    """Take an old copy of the database and the key file as it is after close: find who took part.

    Naive: one secret for every window, kept: every member is found in the old register. Real:
    the window's secret was overwritten at close; no secret left in the key file finds anyone.
    """
    for run, expected in ((naive, PEOPLE), (real, 0)):
        assert run.copy_while_open is not None
        assert run.after_close is not None
        old = run.copy_while_open.database + run.copy_while_open.wal
        found = {
            person.user_id
            for secret in secrets_in(run.after_close.keys)
            for person in run.people
            if participant_key(secret, WINDOW, person.user_id) in old
        }
        assert len(found) == expected


def test_one_copy_while_open_orders_no_suggestion(naive: Run, real: Run) -> None:
    """The page-offset attack: take one copy while open; read the suggestions in the order the file lays them.

    Naive: they sit on their ballots' rows, in arrival order: every pair from different batches
    comes out in order. (Written to their own table batch by batch, they lay in batch order just
    the same.) Real: until close the suggestions are one list sorted by text in the open window's
    intake row, so the copy orders them no better than a guess; the table is empty until close.
    """
    naive_copy, real_copy, real_backup = naive.copy_while_open, real.copy_while_open, real.backup_while_open
    assert naive_copy is not None
    assert real_copy is not None
    assert real_backup is not None
    right, pairs = ordered_pairs(suggestions_in_arrival_order(naive_copy.image()), naive.order, K)
    assert pairs > 40
    assert right == pairs
    for files in (real_copy, real_backup):
        image = files.image()
        assert image.cells("suggestions") == []
        right, pairs = ordered_pairs(suggestions_in_arrival_order(image), real.order, K)
        assert pairs > 40
        assert pairs / 4 < right < pairs * 3 / 4, (right, pairs)
