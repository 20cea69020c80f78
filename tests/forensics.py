"""An auditor's attacks on the files, against the real store and a deliberately naive one.

The naive store is the design before issue 9: a table of register rows, ballots with batch
numbers, counters of the unfinished batch, drafts deleted row by row, the log checkpointed
only at close. Every attack here succeeds against it, which shows the attack can fail a test.
"""

from __future__ import annotations

import json
import random
import secrets
import shutil
import sqlite3
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from conversations.anonymity import participant_key
from conversations.engine import Ballot, Draft
from conversations.tally import ANSWERED, PAPER, SPOILED, ballot_cells
from emulator.respondents import random_ballot
from storage.backup import backup
from storage.intake import REGISTER_KEY, answers_json, row_json, stored_ballot
from storage.repository import Repository
from storage.schema import apply
from tests.sqlite_file import Database, Value, Wal

FIRST_USER = 734_019_001
WINDOW = 1
UNRELATED = 0.5  # |Spearman ρ| over 60 unrelated pairs exceeds 0.5 with probability about 1e-4
CHANCE_LINKS = 6  # a random pairing of 60 gets 6 or more right with probability below 1e-3


@dataclass(frozen=True, repr=False)  # megabytes of file bytes: no repr
class Files:
    """What someone copying the bot's files at one moment takes away."""

    database: bytes
    wal: bytes
    keys: bytes = b""

    @classmethod
    def copy(cls, path: Path) -> Files:
        """Copy the database, its log and its key file as they are now."""
        wal = path.with_name(path.name + "-wal")
        key = path.with_name(path.name + ".key")
        return cls(
            path.read_bytes(),
            wal.read_bytes() if wal.exists() else b"",
            key.read_bytes() if key.exists() else b"",
        )

    def image(self, *, with_wal: bool = True) -> Database:
        """Return the database as SQLite would read it (the log's committed frames laid over)."""
        wal = Wal.parse(self.wal) if with_wal else None
        return Database(self.database, wal.committed() if wal else None)


@dataclass
class Person:
    """A participant: who they are, what they will answer, the drafts they pass through."""

    user_id: int
    ballot: Ballot
    drafts: list[Draft] = field(default_factory=list)

    @property
    def answers(self) -> str:
        """Return the ballot's answers as the attacks compare them: without the 参评对象."""
        return comparable(answers_json(self.ballot))

    def telling_drafts(self) -> list[bytes]:
        """Return the stored form of every draft that already gives most answers away."""
        return [draft.model_dump_json().encode() for draft in self.drafts[10:]]


def comparable(answers: str) -> str:
    """Return stored answers without the 参评对象, which the real store's rows no longer hold."""
    return row_json(stored_ballot(answers))


def crowd(size: int, seed: int) -> list[Person]:
    """Return people with random ballots, each with the drafts the form passes through."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    people = []
    for number in range(size):
        ballot = random_ballot(rng)
        items = list(ballot.answers.items())
        drafts = [Draft(step=step, answers=dict(items[:step])) for step in range(len(items) + 1)]
        drafts.append(Draft(step=len(items) + 1, answers=ballot.answers, suggestion=ballot.suggestion))
        people.append(Person(FIRST_USER + number, ballot, drafts))
    return people


class Store(Protocol):
    """A survey store the briefing drives: the real repository or the naive one."""

    path: Path

    def key(self, user_id: int) -> bytes:
        """Return the person's register key."""

    async def save_draft(self, person: Person, draft: Draft) -> None:
        """Save a draft of the person's form."""

    async def submit(self, person: Person) -> None:
        """Submit the person's ballot."""

    async def close(self) -> None:
        """Close the window."""


class RealStore:
    """The repository as the bot uses it."""

    def __init__(self, repository: Repository, min_group: int) -> None:
        self.repository = repository
        self.path = repository.path
        self.min_group = min_group

    @classmethod
    async def open(cls, repository: Repository, min_group: int) -> RealStore:
        """Open the window the briefing fills."""
        window, _ = await repository.open_window(1, "县财政局", min_group=min_group)
        assert window.id == WINDOW
        return cls(repository, min_group)

    def key(self, user_id: int) -> bytes:
        """Return the person's key under the window's own secret."""
        return participant_key(self.repository.keys.secret(WINDOW), WINDOW, user_id)

    async def save_draft(self, person: Person, draft: Draft) -> None:
        """Save through the repository."""
        await self.repository.save_draft(self.key(person.user_id), WINDOW, draft)

    async def submit(self, person: Person) -> None:
        """Submit through the repository."""
        await self.repository.submit(self.key(person.user_id), WINDOW, person.ballot)

    async def close(self) -> None:
        """Close through the repository."""
        assert await self.repository.close_window(WINDOW)


class NaiveStore:
    """The store before issue 9, reduced to what matters here (schema 4, one connection)."""

    SECRET = b"one secret for every window".ljust(32)

    def __init__(self, path: Path, min_group: int) -> None:
        self.path = path
        self.min_group = min_group
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA secure_delete = ON")
        self.db.execute("PRAGMA synchronous = OFF")  # quicker to fill; it changes no byte of the files
        for step in range(4):
            apply(self.db, step)
        self.db.execute(
            "INSERT INTO windows (id, token, unit, leader_id, is_open, opened_at, min_group) "
            "VALUES (?, 't', '县财政局', 1, 1, '2026-11-26T09:00:00+00:00', ?)",
            (WINDOW, min_group),
        )
        path.with_name(path.name + ".key").write_bytes(self.SECRET)

    def key(self, user_id: int) -> bytes:
        """Return HMAC(secret, window:user) under the one secret."""
        return participant_key(self.SECRET, WINDOW, user_id)

    async def save_draft(self, person: Person, draft: Draft) -> None:
        """Upsert the draft row."""
        self.db.execute(
            "INSERT INTO drafts (key, window_id, state) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state",
            (self.key(person.user_id), WINDOW, draft.model_dump_json()),
        )

    async def submit(self, person: Person) -> None:
        """Register, insert the ballot with its batch, count it, delete the draft: one transaction."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "INSERT INTO participations (key, window_id) VALUES (?, ?)", (self.key(person.user_id), WINDOW)
        )
        (before,) = db.execute("SELECT count(*) FROM ballots").fetchone()
        db.execute(
            "INSERT INTO ballots (id, window_id, answers, suggestion, batch) VALUES (?, ?, ?, ?, ?)",
            (
                secrets.token_bytes(16),
                WINDOW,
                answers_json(person.ballot),
                person.ballot.suggestion,
                before // self.min_group,
            ),
        )
        db.executemany(
            "INSERT INTO tally_counts (window_id, sealed, category, question, option, count) "
            "VALUES (?, 0, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET count = count + 1",
            [(WINDOW, *cell) for cell in ballot_cells(person.ballot)],
        )
        if (before + 1) % self.min_group == 0:
            self._seal()
        db.execute("DELETE FROM drafts WHERE key = ?", (self.key(person.user_id),))
        db.execute("COMMIT")

    def _seal(self) -> None:
        self.db.execute(
            "INSERT INTO tally_counts (window_id, sealed, category, question, option, count) "
            "SELECT window_id, 1, category, question, option, count FROM tally_counts WHERE sealed = 0 "
            "ON CONFLICT DO UPDATE SET count = count + excluded.count"
        )
        self.db.execute("DELETE FROM tally_counts WHERE sealed = 0")

    async def close(self) -> None:
        """Mark closed, drop drafts, reset batches, checkpoint."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE windows SET is_open = 0 WHERE id = ?", (WINDOW,))
        db.execute("DELETE FROM drafts")
        db.execute("UPDATE ballots SET batch = 0")
        self._seal()
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def backup_of(store: Store, folder: Path) -> Files:
    """Back the store up into `folder` as its release would: pages as they are (naive), or `bot backup`."""
    target = folder / "backup" / "survey.db"
    target.parent.mkdir()
    if isinstance(store, NaiveStore):  # the backup API copies pages as they are
        with sqlite3.connect(target) as copy:
            store.db.backup(copy)
        shutil.copy(store.path.with_name("survey.db.key"), target.with_name("survey.db.key"))
    else:
        backup(store.path, target, store.path.with_name("survey.db.key"))
    return Files.copy(target)


Hook = Callable[[Person], Awaitable[None]]


async def briefing(
    store: Store, people: list[Person], seed: int, after_submit: Hook | None = None
) -> list[Person]:
    """Let everyone fill in their form, presses interleaved at random; return them in submit order."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    progress = {person.user_id: 0 for person in people}
    active = list(people)
    order = []
    while active:
        person = rng.choice(active)
        step = progress[person.user_id]
        if step < len(person.drafts):
            await store.save_draft(person, person.drafts[step])
            progress[person.user_id] += 1
            continue
        await store.submit(person)
        active.remove(person)
        order.append(person)
        if after_submit is not None:
            await after_submit(person)
    return order


# The attacks. Each one gets only the files (and, where it says so, the list of members).


def register_in_arrival_order(image: Database) -> list[bytes]:
    """Read the register in the order its entries were written, as far as the file tells it."""
    rows = image.cells("participations")
    if rows:  # SQLite carves each new cell below the previous one in its page
        return [_blob(cell.values[0]) for cell in sorted(rows, key=lambda c: (c.page, -c.offset))]
    found: list[bytes] = []
    for cell in image.cells("intake"):
        blob = _blob(cell.values[2])
        found += [blob[at : at + REGISTER_KEY] for at in range(0, len(blob), REGISTER_KEY)]
    return found


def _blob(value: Value) -> bytes:
    assert isinstance(value, bytes)
    return value


def ballots_in_arrival_order(image: Database) -> list[str]:
    """Read the ballots in the order they were written, as far as the file tells it.

    Index entries lie in one page, newest lowest; an unfinished batch is the newest of all.
    """
    answers = {cell.values[0]: comparable(str(cell.values[2])) for cell in image.cells("ballots")}
    index = sorted(image.cells("ballots_by_window"), key=lambda c: (c.page, -c.offset))
    found = [answers[cell.values[1]] for cell in index if cell.values[1] in answers]
    for cell in image.cells("intake"):
        found += [comparable(entry) for entry in json.loads(str(cell.values[3]))]
    return found


def suggestions_in_arrival_order(image: Database) -> list[str]:
    """Read the suggestions in the order they were written, as far as one copy of the file tells it.

    On the naive store they sit on their ballots' rows: the index's order. Written to a table of
    their own batch by batch, the index's cells lie in batch order (page, then carved lowest
    newest), as the ballots' do. Then whatever an open window's intake row still holds.
    """
    cells = image.cells("ballots")
    if cells and len(cells[0].values) > 3:  # rows with a suggestion column
        texts = {c.values[0]: str(c.values[3]) for c in cells if c.values[3]}
        index = sorted(image.cells("ballots_by_window"), key=lambda c: (c.page, -c.offset))
        return [texts[c.values[1]] for c in index if c.values[1] in texts]
    texts = {c.values[0]: str(c.values[2]) for c in image.cells("suggestions")}
    index = sorted(image.cells("suggestions_by_window"), key=lambda c: (c.page, -c.offset))
    found = [texts[c.values[1]] for c in index if c.values[1] in texts]
    for cell in image.cells("intake"):
        if len(cell.values) > 4:  # the suggestions column
            found += json.loads(str(cell.values[4]))
    return found


def ordered_pairs(found: list[str], order: list[Person], min_group: int) -> tuple[int, int]:
    """Return how many pairs of suggestions of different batches the copy puts in order, of how many.

    Guessing gets about half; a copy that orders them by batch gets them all.
    """
    batch = {p.ballot.suggestion: rank // min_group for rank, p in enumerate(order) if p.ballot.suggestion}
    placed = [text for text in found if text in batch]
    pairs = [(placed[i], placed[j]) for i in range(len(placed)) for j in range(i + 1, len(placed))]
    apart = [(a, b) for a, b in pairs if batch[a] != batch[b]]
    return sum(batch[a] < batch[b] for a, b in apart), len(apart)


def link_by_placement(files: Files, members: dict[bytes, int]) -> dict[int, str]:
    """Pair the register's order with the ballots' order: the n-th to register cast the n-th ballot."""
    image = files.image()
    people = [members.get(key) for key in register_in_arrival_order(image)]
    return {
        user_id: answers
        for user_id, answers in zip(people, ballots_in_arrival_order(image), strict=False)
        if user_id is not None
    }


def spearman(first: list[int], second: list[int]) -> float:
    """Return Spearman's rank correlation of two permutations of 0 … n-1."""
    n = len(first)
    d2 = sum((a - b) ** 2 for a, b in zip(first, second, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


def placement_against_arrival(files: Files, order: list[Person]) -> float:
    """Return ρ between where the ballots lie (index cell order) and the order they were submitted in."""
    arrival = {person.answers: rank for rank, person in enumerate(order)}
    placed = [answers for answers in ballots_in_arrival_order(files.image()) if answers in arrival]
    assert len(placed) == len(order)
    return spearman(list(range(len(placed))), [arrival[answers] for answers in placed])


def drafts_left(files: Files, person: Person) -> bool:
    """Return True if any file still holds a draft that gives the person's answers away."""
    return any(draft in files.database or draft in files.wal for draft in person.telling_drafts())


def pairs_from_log(files: Files, members: dict[bytes, int]) -> dict[int, str]:
    """Replay the log commit by commit: a commit adding one register entry and one ballot pairs them."""
    wal = Wal.parse(files.wal)
    if wal is None:
        return {}
    pages: dict[int, bytes] = {}
    image = Database(files.database)
    before = (set(register_in_arrival_order(image)), set(ballots_in_arrival_order(image)))
    found = {}
    for commit in wal.commits():
        pages.update({frame.page: frame.data for frame in commit})
        if len(commit) < 3:  # a draft saved (one page or two) registers nobody
            continue
        image = Database(files.database, pages)
        after = (set(register_in_arrival_order(image)), set(ballots_in_arrival_order(image)))
        keys, ballots = after[0] - before[0], after[1] - before[1]
        if len(keys) == 1 and len(ballots) == 1 and (user_id := members.get(next(iter(keys)))):
            found[user_id] = next(iter(ballots))
        before = after
    return found


def newest_ballot(files: Files) -> str | None:
    """Guess which ballot arrived last: the newest index entry, or the unfinished batch's last entry."""
    image = files.image()
    batches = {
        cell.values[0]: int(cell.values[4] or 0) for cell in image.cells("ballots") if len(cell.values) > 4
    }
    if batches:  # the naive store: the highest batch number, then the lowest cell
        top = max(batches.values())
        index = [c for c in image.cells("ballots_by_window") if batches.get(c.values[1]) == top]
        newest = min(index, key=lambda c: c.offset)
        ballot = next(str(c.values[2]) for c in image.cells("ballots") if c.values[0] == newest.values[1])
        return comparable(ballot)
    ordered = ballots_in_arrival_order(image)
    return ordered[-1] if ordered else None


def secrets_in(key_file: bytes) -> list[bytes]:
    """Return every secret a key file holds: its first 32 bytes, and each 64-byte record's."""
    records = [key_file[at + 8 : at + 40] for at in range(64, len(key_file) - 63, 64)]
    return [key_file[:32], *(secret for secret in records if any(secret))]


def members_of(store: Store, people: list[Person]) -> dict[bytes, int]:
    """Return the register key of every member, as someone holding the key file computes it."""
    return {store.key(person.user_id): person.user_id for person in people}


def correct(guesses: dict[int, str], people: list[Person]) -> int:
    """Return how many guessed links are right."""
    truth = {person.user_id: person.answers for person in people}
    return sum(truth[user_id] == answers for user_id, answers in guesses.items())


# Attacks on a closed window's files: the answers of a small category, a suggestion's author.

CATEGORY = "category"
_PSEUDO = {ANSWERED, SPOILED}


def category_answers(image: Database, category: str) -> Counter[tuple[str, str]] | None:
    """Recover the options one category's people chose, from the rows and counters of a file.

    Rows carrying the category give it away, and so do counters kept under it. Failing both,
    the totals minus every other category with counters of its own leave a rest: when the rest
    holds no more ballots than the category has (the 参评对象 counts say how many), it is that
    category's answers. None when nothing isolates it.
    """
    rows = [json.loads(str(cell.values[2])) for cell in image.cells("ballots")]
    counters = [
        (str(c.values[2]), str(c.values[3]), str(c.values[4]), int(c.values[5] or 0))
        for c in image.cells("tally_counts")
    ]
    return isolate(category, rows, counters)


Kept = tuple[str, str, str, int]  # a counter as stored: category, question, option, count


def isolate(
    category: str, rows: list[dict[str, list[str]]], counters: list[Kept]
) -> Counter[tuple[str, str]] | None:
    """Return the options one category chose, where the rows or counters isolate it (`category_answers`)."""
    marked = [row for row in rows if row.get(CATEGORY) == [category]]
    if marked:
        return Counter((q, o) for row in marked for q, chosen in row.items() if q[0] != "~" for o in chosen)
    sizes: Counter[str] = Counter()
    for _c, q, o, n in counters:
        if q == CATEGORY and o not in _PSEUDO:
            sizes[o] += n
    own = {c for c, q, o, _n in counters if q == CATEGORY and o == c}  # categories with counters of their own
    rest: Counter[tuple[str, str]] = Counter()
    for c, q, o, n in counters:
        left = c == category if category in own else c not in own
        if left and o not in _PSEUDO and q != PAPER:
            rest[(q, o)] += n
    ballots_left = sizes[category] if category in own else len(rows) - sum(sizes[c] for c in own)
    return +rest if sizes[category] and ballots_left <= sizes[category] else None


def chosen_by(ballots: list[Ballot]) -> Counter[tuple[str, str]]:
    """Return the options the ballots chose, counted: what `category_answers` tries to recover."""
    return Counter((q, o) for ballot in ballots for q, chosen in ballot.answers.items() for o in chosen)


def category_traces(data: bytes, category: str, question_ids: list[str]) -> int:
    """Count the places in raw bytes (live, freed or in old log frames) that tie answers to a category.

    A ballot row carrying it (`"category": ["served"]`), and a counter record kept under it: its
    body holds the category's id followed at once by a question's.
    """
    marks = [f'"{CATEGORY}": ["{category}"]'.encode()]
    marks += [(category + question).encode() for question in question_ids if question != CATEGORY]
    return sum(data.count(mark) for mark in marks)


def suggestions_beside_answers(data: bytes, people: list[Person]) -> int:
    """Count the suggestions that lie, anywhere in raw bytes, right after their author's answers.

    That is how a row holding both is written (answers, then suggestion), live or a stale copy.
    """
    found = 0
    for person in people:
        suggestion = (person.ballot.suggestion or "").encode()
        forms = {answers_json(person.ballot).encode(), person.answers.encode()}
        found += bool(suggestion) and any(form + suggestion in data for form in forms)
    return found


def suggestion_links(image: Database, people: list[Person]) -> int:
    """Pair suggestions and ballots by where their cells lie (or by the row itself); count right pairs.

    A row holding both pairs them outright. Otherwise the n-th suggestion cell (by page, then
    carved order) is paired with the n-th ballot cell: where both were written in one order,
    that order pairs them.
    """
    by_text = {person.ballot.suggestion: person.answers for person in people if person.ballot.suggestion}
    cells = image.cells("ballots")
    if cells and len(cells[0].values) > 3:  # rows with a suggestion column
        pairs = [(str(c.values[3]), comparable(str(c.values[2]))) for c in cells if c.values[3]]
    else:
        placed = sorted(image.cells("suggestions"), key=lambda c: (c.page, -c.offset))
        ballots = sorted(cells, key=lambda c: (c.page, -c.offset))
        pairs = [
            (str(s.values[2]), comparable(str(b.values[2]))) for s, b in zip(placed, ballots, strict=False)
        ]
    return sum(by_text.get(text) == answers for text, answers in pairs)
