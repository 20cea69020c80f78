"""A closed unit's files: no small category's answers, no suggestion's author, figures unchanged.

Thirty-two people answer (k = 3): 13 班子成员 (one of them on paper, a spoiled row), 10 中层干部,
7 一般党员干部, one 服务对象代表, and one paper form whose 参评对象 row is spoiled; half of them
write a suggestion their colleagues would recognise. The unit is closed; the attacker holds the
database, its log and a `python -m bot backup` copy, and reads them as bytes and as SQLite's file
format. Each attack succeeds on the naive store (rows with their 参评对象 and suggestion, counters
per category) and fails on ours.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.annex2 import ANNEX2
from conversations.engine import Ballot, Survey
from conversations.tally import (
    TOTAL,
    WITHHELD,
    Cell,
    Tally,
    ballot_cells,
    category_sizes,
    fold_counts,
    tally_from_counts,
)
from emulator.respondents import random_answers
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
    briefing,
    category_answers,
    category_traces,
    chosen_by,
    isolate,
    suggestion_links,
    suggestions_beside_answers,
)
from tests.tallies import compute_tally
from usecases.results import Results

K = 3
QUESTIONS = [q.id for q in ANNEX2.questions]


def _people() -> list[Person]:
    """Return the room: categories of 13, 10, 7 and 1, and one form of no category."""
    rng = random.Random(15)  # noqa: S311 - reproducible test data
    sizes = {"leader": 13, "middle": 10, "member": 7, "served": 1}
    people: list[Person] = []
    for category in [c for c, n in sizes.items() for _ in range(n)] + [""]:
        answers = {**random_answers(rng), "category": (category,)}
        number = len(people)
        suggestion = f"我是第{number}位，我们科室去年的采购问题希望纪委再查一查" if number % 2 == 0 else None
        ballot = Ballot(answers=answers, suggestion=suggestion)
        if not category:  # a paper form with no 参评对象 ticked: in no category
            del answers["category"]
            ballot = Ballot(answers=answers, suggestion=suggestion, paper=True, spoiled=("category",))
        elif number == 1:  # a paper form with a row ticked twice
            del answers["education"]
            ballot = Ballot(answers=answers, suggestion=suggestion, paper=True, spoiled=("education",))
        people.append(Person(700_000 + number, ballot))
    rng.shuffle(people)
    return people


@dataclass(repr=False)
class Closed:
    """What the attacker took from one store after close."""

    people: list[Person]
    files: Files
    copy: Files  # a backup made after close


async def _close(store: Store, folder: Path) -> Closed:
    people = _people()
    await briefing(store, people, seed=15)
    await store.close()
    return Closed(people, Files.copy(store.path), backup_of(store, folder))


@pytest.fixture(scope="module")
def naive(tmp_path_factory: pytest.TempPathFactory) -> Closed:
    folder = tmp_path_factory.mktemp("naive")
    return asyncio.run(_close(NaiveStore(folder / "survey.db", K), folder))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Closed:
    folder = tmp_path_factory.mktemp("real")

    async def run() -> Closed:
        async with Repository(folder / "survey.db") as repository:
            return await _close(await RealStore.open(repository, K), folder)

    return asyncio.run(run())


def _of(people: list[Person], category: str) -> list[Ballot]:
    return [p.ballot for p in people if p.ballot.answers.get("category", ("",))[0] == category]


def test_the_lone_served_representatives_answers_are_in_no_row_counter_or_freed_page(
    naive: Closed, real: Closed
) -> None:
    """Read the one 服务对象代表's answers from the files after close, and from a backup.

    Naive: their row carries 服务对象代表 and the counters are kept per category, so both give
    every option they chose; the bytes hold their row and their counters. Ours: no row carries a
    参评对象, the counters keep a category of their own only at 2k − 1 or more, and then only its
    pooled counts of the rated items (the 服务对象代表, the next smallest category and the form of
    no category are counted together, 9 ballots): no category's options can be read. And no
    byte of the files (live, freed, or in the log) ties an answer to 服务对象代表. The same for the
    一般党员干部 folded with them.
    """
    served = chosen_by(_of(naive.people, "served"))
    for files in (naive.files, naive.copy):
        assert category_answers(files.image(), "served") == served
        assert category_traces(files.database + files.wal, "served", QUESTIONS) > 0
    for files in (real.files, real.copy):
        image = files.image()
        assert category_answers(image, "served") is None
        assert category_answers(image, "member") is None
        for category in ("served", "member"):
            assert category_traces(files.database + files.wal, category, QUESTIONS) == 0, category
        for category in ("leader", "middle"):  # shown, with their pooled rates only: no option counts
            assert category_answers(image, category) is None
        assert not any("category" in str(cell.values[2]) for cell in image.cells("ballots"))
    assert real.files.wal == b""


def test_no_suggestion_leads_to_its_authors_answers(naive: Closed, real: Closed) -> None:
    """Know a suggestion's author by its wording; look for the answers that came with it.

    Naive: the suggestion sits on its ballot's row, so all 16 lead to their answers. Ours: the
    suggestions are a table apart under ids of their own; pairing them with ballots by where
    their cells lie is a random pairing, and no bytes anywhere hold answers next to a suggestion.
    """
    written = sum(bool(p.ballot.suggestion) for p in naive.people)
    assert written == 16
    for files in (naive.files, naive.copy):
        assert suggestion_links(files.image(), naive.people) == written
        assert suggestions_beside_answers(files.database + files.wal, naive.people) == written
    for files in (real.files, real.copy):
        assert suggestion_links(files.image(), real.people) < CHANCE_LINKS
        assert suggestions_beside_answers(files.database + files.wal, real.people) == 0
        assert sorted(str(c.values[2]) for c in files.image().cells("suggestions")) == sorted(
            str(p.ballot.suggestion) for p in real.people if p.ballot.suggestion
        )


def test_the_closed_tally_keeps_its_totals_and_shows_the_same_categories(tmp_path: Path) -> None:
    """The folded counters give exactly the figures of every ballot counted afresh.

    Totals per question and option, paper ballots and spoiled rows as before; 班子成员 and 中层干部
    shown with their own rates; 一般党员干部, 服务对象代表 and the form of no category as one group
    of 9 whose rate is theirs together.
    """
    people = _people()
    ballots = [p.ballot for p in people]

    async def closed_tally() -> Tally:
        async with Repository(tmp_path / "survey.db") as repository:
            store = await RealStore.open(repository, K)
            await briefing(store, people, seed=15)
            await store.close()
            window = await repository.window(WINDOW)
            assert window is not None
            return await Results(repository, Survey(ANNEX2)).tally(window)

    tally = asyncio.run(closed_tally())
    afresh = compute_tally(ANNEX2, ballots, min_group=K)
    assert tally == afresh.model_copy(update={"suggestions": tally.suggestions})
    assert (afresh.counted, afresh.paper, afresh.question("education").spoiled) == (32, 2, 1)
    rows = {row.category.id: row for row in afresh.breakdown}
    assert [c for c, row in rows.items() if row.shown] == ["leader", "middle"]
    for category in ("leader", "middle"):
        assert rows[category].favourable_rate == compute_tally(ANNEX2, _of(people, category)).favourable_rate
    combined = afresh.combined
    assert combined is not None
    assert ([o.id for o in combined.categories], combined.unlabelled, combined.ballots) == (
        ["member", "served"],
        1,
        9,
    )
    rest = _of(people, "member") + _of(people, "served") + _of(people, "")
    assert combined.favourable_rate == compute_tally(ANNEX2, rest).favourable_rate


def _counters(counts: dict[Cell, int]) -> list[tuple[str, str, str, int]]:
    return [(*cell, count) for cell, count in counts.items()]


def _primary_only(counts: dict[Cell, int]) -> dict[Cell, int]:
    """Fold only the categories under k: the naive way, without complementary suppression."""
    sizes = category_sizes(counts)
    folded: Counter[Cell] = Counter()
    for (category, question, option), count in counts.items():
        folded[(WITHHELD if sizes.get(category, 0) < K else category, question, option)] += count
    return dict(folded)


def test_the_total_minus_the_shown_categories_gives_no_category_of_one_away() -> None:
    """One 服务对象代表 and three large categories: subtract every category shown from the totals.

    Folding only the categories under k leaves the 服务对象代表 alone in the rest: subtraction reads
    their answers exactly. Ours folds the next smallest with them: a rest of 11 ballots.
    """
    rng = random.Random(3)  # noqa: S311 - test data
    categories = ["leader"] * 12 + ["middle"] * 11 + ["member"] * 10 + ["served"]
    ballots = [Ballot(answers={**random_answers(rng), "category": (c,)}) for c in categories]
    counts: Counter[Cell] = Counter()
    for ballot in ballots:
        counts.update(ballot_cells(ballot))
    rows: list[dict[str, list[str]]] = [{} for _ in ballots]  # rows without a 参评对象
    naive = _primary_only(dict(counts))
    assert isolate("served", rows, _counters(naive)) == chosen_by(ballots[-1:])
    ours = fold_counts(ANNEX2, counts, ballots=len(ballots), min_group=K)
    assert isolate("served", rows, _counters(ours)) is None
    combined = tally_from_counts(
        ANNEX2, ours, counted=len(ballots), received=len(ballots), min_group=K
    ).combined
    assert combined is not None
    assert ([o.id for o in combined.categories], combined.ballots) == (["member", "served"], 11)
    assert sum(naive.values()) == sum(n for c, n in ours.items() if c[0] == TOTAL) == sum(counts.values())
