"""Attacks on the files of a slips unit (一人一码), each shown to work on a naive store and to fail on ours.

Eighteen slip holders answer in the browser, presses interleaved at random (k = 3). The attacker
holds every code (the leader printed them), copies the files after every submit, once before
the close (a plain copy and a backup) and after it, and holds the key file. A slip holder is
whoever the leader handed that slip to; linking a code to a ballot is linking a person to it.

The naive store keeps the codes as they are printed and marks a slip used as soon as its
ballot is in; ours keeps an unused slip as a keyed hash, spends it when its form begins (long
before any ballot), and answers under the slip's key exactly as a Telegram account does.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conversations.engine import Draft
from conversations.slips import new_code, printed, slip_check, slip_key
from storage.repository import Repository
from tests.forensics import (
    CHANCE_LINKS,
    WINDOW,
    Files,
    NaiveStore,
    Person,
    RealStore,
    Store,
    backup_of,
    ballots_in_arrival_order,
    briefing,
    correct,
    crowd,
    drafts_left,
)
from tests.sqlite_file import Database, Wal

PEOPLE = 18
K = 3


class SlipsRealStore(RealStore):
    """A slips unit on the repository the bot uses: the holder of a slip answers under its key."""

    codes: dict[int, str]
    begun: set[int]
    secret: bytes  # the unit's own, kept by the attacker from a copy of the key file while open

    @classmethod
    async def open_slips(cls, repository: Repository, people: list[Person]) -> SlipsRealStore:
        """Open a slips unit and print a slip for everyone."""
        window, _ = await repository.open_window(1, "县财政局", min_group=K, slips=True)
        assert window.id == WINDOW
        store = cls(repository, K)
        store.codes = {person.user_id: new_code() for person in people}
        secret = repository.keys.secret(WINDOW)
        await repository.add_slips(
            WINDOW, [slip_check(secret, WINDOW, code) for code in store.codes.values()]
        )
        store.begun = set()
        store.secret = secret
        return store

    def key(self, user_id: int) -> bytes:
        """Return the key of the person's slip (what the leader's codes and the key file give)."""
        return slip_key(self.repository.keys.secret(WINDOW), WINDOW, self.codes[user_id])

    async def save_draft(self, person: Person, draft: Draft) -> None:
        """Spend the slip when its form begins (as `Participation.begin` does), then save."""
        if person.user_id not in self.begun:
            check = slip_check(self.repository.keys.secret(WINDOW), WINDOW, self.codes[person.user_id])
            assert await self.repository.spend_slip(WINDOW, check)
            self.begun.add(person.user_id)
        await super().save_draft(person, draft)


class SlipsNaiveStore(NaiveStore):
    """The obvious design: the printed codes in a table, each marked used once its ballot is in."""

    def __init__(self, path: Path, people: list[Person]) -> None:
        super().__init__(path, K)
        self.codes = {person.user_id: new_code() for person in people}
        self.db.execute("CREATE TABLE slips (code TEXT PRIMARY KEY, used INTEGER NOT NULL DEFAULT 0)")
        self.db.executemany("INSERT INTO slips (code) VALUES (?)", [(code,) for code in self.codes.values()])

    async def submit(self, person: Person) -> None:
        """Store the ballot, then mark its slip used."""
        await super().submit(person)
        self.db.execute("UPDATE slips SET used = 1 WHERE code = ?", (self.codes[person.user_id],))


@dataclass(repr=False)
class Run:
    """What the attacker collected from one briefing, and the codes they hold."""

    people: list[Person]
    codes: dict[int, str]
    store: Store
    after_submits: list[tuple[Person, Files]] = field(default_factory=list)
    copy_while_open: Files | None = None
    backup_while_open: Files | None = None
    after_close: Files | None = None

    def every_copy(self) -> list[Files]:
        """Return every set of files the attacker took."""
        taken = [self.copy_while_open, self.backup_while_open, self.after_close]
        return [files for _person, files in self.after_submits] + [f for f in taken if f is not None]


async def _brief(store: Store, people: list[Person], codes: dict[int, str], folder: Path) -> Run:
    run = Run(people, codes, store)

    async def copy(person: Person) -> None:
        run.after_submits.append((person, Files.copy(store.path)))

    await briefing(store, people, seed=11, after_submit=copy)
    run.copy_while_open = Files.copy(store.path)
    run.backup_while_open = backup_of(store, folder)
    await store.close()
    run.after_close = Files.copy(store.path)
    return run


async def _real(folder: Path) -> Run:
    people = crowd(PEOPLE, seed=11)
    async with Repository(folder / "survey.db") as repository:
        store = await SlipsRealStore.open_slips(repository, people)
        return await _brief(store, people, store.codes, folder)


@pytest.fixture(scope="module")
def naive(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("naive")
    people = crowd(PEOPLE, seed=11)
    store = SlipsNaiveStore(folder / "survey.db", people)
    return asyncio.run(_brief(store, people, store.codes, folder))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return asyncio.run(_real(tmp_path_factory.mktemp("real")))


def codes_in(files: Files, codes: dict[int, str]) -> int:
    """Return how many codes any file holds, as stored or as printed."""
    data = files.database + files.wal + files.keys
    return sum(code.encode() in data or printed(code).encode() in data for code in codes.values())


def used_slips(image: Database, run: Run) -> set[int]:
    """Return whose slips the file shows as used: marked used (naive), or no longer among the unused."""
    cells = image.cells("slips")
    if not cells:
        return set()
    if isinstance(run.store, SlipsNaiveStore):
        used = {str(cell.values[1]) for cell in cells if cell.values[2]}  # rowid, code, used
        return {user_id for user_id, code in run.codes.items() if code in used}
    unused = {cell.values[1] for cell in cells if isinstance(cell.values[1], bytes)}  # window, hash
    secret = run.store.repository.keys.secret(WINDOW) if isinstance(run.store, SlipsRealStore) else b""
    return {user_id for user_id, code in run.codes.items() if slip_check(secret, WINDOW, code) not in unused}


def slips_paired_by_the_log(files: Files, run: Run) -> dict[int, str]:
    """Replay the log commit by commit: a slip turning used next to one ballot turning up pairs them."""
    wal = Wal.parse(files.wal)
    if wal is None:
        return {}
    pages: dict[int, bytes] = {}
    image = Database(files.database)
    used, ballots = used_slips(image, run), set(ballots_in_arrival_order(image))
    fresh: set[str] = set()
    found: dict[int, str] = {}
    for commit in wal.commits():
        pages.update({frame.page: frame.data for frame in commit})
        image = Database(files.database, pages)
        now_used, now_ballots = used_slips(image, run), set(ballots_in_arrival_order(image))
        fresh = (now_ballots - ballots) or fresh  # a ballot, and the slip marked right after it
        if len(now_used - used) == 1 and len(fresh) == 1:
            found[next(iter(now_used - used))] = next(iter(fresh))
        used, ballots = now_used, now_ballots
    return found


def test_no_file_holds_a_code(naive: Run, real: Run) -> None:
    """Search every copy for every code the leader printed.

    Naive: the codes are in the file. Ours: only keyed hashes of unused slips, gone at close.
    """
    assert all(codes_in(files, naive.codes) == PEOPLE for files in naive.every_copy()[:-1])
    assert sum(codes_in(files, real.codes) for files in real.every_copy()) == 0


def test_the_log_pairs_no_slip_with_its_ballot(naive: Run, real: Run) -> None:
    """Replay each copy's log: the commit marking a slip used follows its ballot's (naive).

    Ours: a slip is spent when its form begins, in a commit with no ballot, and the log is
    emptied at every submit; pairing the slips spent with the ballots that turn up is chance.
    """
    naive_best = max(
        correct(slips_paired_by_the_log(files, naive), naive.people) for _p, files in naive.after_submits
    )
    real_links = sum(
        correct(slips_paired_by_the_log(files, real), real.people) for _p, files in real.after_submits
    )
    assert naive_best >= PEOPLE // 2
    assert real_links <= CHANCE_LINKS


def test_a_slip_holders_drafts_leave_no_file_once_submitted(real: Run) -> None:
    """A browser's drafts live under the slip's key like a Telegram draft: gone from every file at submit."""
    assert sum(drafts_left(files, person) for person, files in real.after_submits) == 0


def test_after_close_nothing_tells_which_slips_were_used(real: Run) -> None:
    """After close no slip row, no register and no draft is left: the codes find nothing."""
    assert real.after_close is not None
    image = real.after_close.image()
    assert image.cells("slips") == []
    assert image.cells("admitted") == []
    assert all(json.loads(str(cell.values[3])) == [] for cell in image.cells("intake"))
    assert isinstance(real.store, SlipsRealStore)
    secret = real.store.secret
    files = real.after_close.database + real.after_close.wal
    assert [code for code in real.codes.values() if slip_key(secret, WINDOW, code) in files] == []
