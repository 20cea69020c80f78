"""The audit's attacks on the breakdown by category (issue 22), on the store before and on ours.

The store before kept per-option counters for every category shown (`tests/naive_closed.py`);
ours keeps the totals and, per group shown, its pooled answers to the rated items and the
favourable ones (`conversations.tally.fold_counts`), with groups of 2k − 1 ballots or more.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.tally import RATED, TOTAL, WITHHELD, Cell, ballot_cells, fold_counts, shown_apart
from storage.intake import row_json
from storage.repository import Repository
from storage.schema import MIGRATIONS
from tests.audit_attacks import K, Voter, file_rows_and_counters, make_voter, run_unit, skewed_answers
from tests.category_attacks import (
    ballot_items,
    colluders_learn,
    forced_rows,
    groups_and_sums,
    workbook_rates,
)
from tests.naive_closed import old_fold
from tests.tallies import compute_tally
from tests.test_migrations import closed_under_an_old_schema
from usecases.results import Results

AUDIT_ROOM = {"leader": 5, "middle": 10, "member": 20, "served": 5}  # the audit's 40 people
LABELS = {"leader": "班子成员", "middle": "中层干部", "member": "一般党员干部", "served": "服务对象代表"}


def _room(sizes: dict[str, int], seed: int) -> list[Voter]:
    rng = random.Random(seed)  # noqa: S311 - test data
    return [make_voter(c, skewed_answers(rng), paper=False) for c, n in sizes.items() for _ in range(n)]


def _rows(voters: list[Voter]) -> list[dict[str, list[str]]]:
    """Return the voters' rows as the file keeps them (no 参评对象), in the voters' order."""
    return [json.loads(row_json(v.ballot)) for v in voters]


def _raw(voters: list[Voter]) -> dict[Cell, int]:
    """Return the counters an open unit keeps: per category, every option."""
    return dict(Counter(cell for v in voters for cell in ballot_cells(v.ballot)))


def _truth(voters: list[Voter], counters: dict[Cell, int]) -> list[str]:
    """Return each voter's group: their category where it has figures of its own, else the combined one."""
    own = {group for group, _q, _o in counters}
    return [v.label if v.label in own else WITHHELD for v in voters]


@pytest.mark.parametrize("seed", [0, 1])
async def test_no_row_can_be_sorted_back_into_its_category(tmp_path: Path, seed: int) -> None:
    """The audit's room of 40 (班子成员 5, 中层干部 10, 一般党员干部 20, 服务对象代表 5), skewed answers.

    An integer program per row over the rows and every counter the closed file holds (the
    workbook's rates are those counters divided): is there an assignment of rows to groups that
    agrees with every figure and puts this row elsewhere? Before, per-option counters per
    category left none: 40 of 40 rows placed, every one right. Ours keeps per group only its
    pooled favourable and answered counts: 0 of 40.
    """
    voters = _room(AUDIT_ROOM, seed)
    rows = _rows(voters)
    naive = old_fold(_raw(voters), ballots=len(voters), min_group=K)
    assert forced_rows(rows, naive, _truth(voters, naive)) == len(voters)

    unit = await run_unit(tmp_path, voters, seed)
    stored, counters = file_rows_and_counters(unit.path)
    assert sorted(map(json.dumps, stored)) == sorted(map(json.dumps, rows))
    ours = {(c, q, o): n for c, q, o, n in counters}
    assert {q for _c, q, _o in ours if _c != "~total"} == {RATED}  # per group: the pooled counts only
    assert forced_rows(rows, ours, _truth(voters, ours)) == 0
    shown = workbook_rates(unit.xlsx)  # what the leader reads is what the counters give, no more
    for group, (ballots, sums) in groups_and_sums(rows, ours).items():
        rate = sums[(RATED, "+")] / sums[(RATED, "*")]
        assert shown[LABELS[group]] == (ballots, pytest.approx(rate))


async def test_colluders_who_subtract_themselves_are_left_with_k_ballots(tmp_path: Path) -> None:
    """A lone 服务对象代表 and two 班子成员 (中层干部 6, 一般党员干部 8): the two 班子成员 collude.

    Before, the two small categories made a combined group of 3 = k: its per-option counters
    less the colluders' own two ballots were the 服务对象代表's whole ballot, every item. Now a
    group is shown on its own only with 2k − 1 ballots: the combined group takes 中层干部 too
    (9 ballots), and whichever k − 1 people of any group subtract themselves, k or more are left.
    """
    voters = _room({"leader": 2, "served": 1, "middle": 6, "member": 8}, 4)
    rows = _rows(voters)
    colluders = [row for row, v in zip(rows, voters, strict=True) if v.label == "leader"]
    target = next(row for row, v in zip(rows, voters, strict=True) if v.label == "served")
    naive = old_fold(_raw(voters), ballots=len(voters), min_group=K)
    left = colluders_learn(rows, naive, colluders)
    assert left is not None
    assert ballot_items(left) == set(target)  # every item of the target's ballot
    assert {(q, o) for (q, o), n in left.items() if n == 1 and o != "*"} == {
        (q, o) for q, chosen in target.items() for o in chosen
    }

    unit = await run_unit(tmp_path, voters, 4)
    _stored, counters = file_rows_and_counters(unit.path)
    ours = {(c, q, o): n for c, q, o, n in counters}
    assert colluders_learn(rows, ours, colluders) is None
    groups = groups_and_sums(rows, ours)
    assert sorted(n for n, _sums in groups.values()) == [8, 9]
    assert all(ballots - (K - 1) >= K for ballots, _sums in groups.values())
    combined = unit.tally.combined
    assert combined is not None
    assert ([o.id for o in combined.categories], combined.ballots) == (["leader", "middle", "served"], 9)


def test_a_group_shown_alone_needs_2k_minus_1_ballots() -> None:
    """For k = 2 … 5 and random rooms: every group shown leaves k or more once k − 1 subtract themselves."""
    rng = random.Random(8)  # noqa: S311 - test data
    for k in range(2, 6):
        for _ in range(40):
            sizes = {c: rng.randint(0, 12) for c in AUDIT_ROOM}
            voters = _room(sizes, rng.randrange(10**6))
            if len(voters) < k:
                continue
            folded = fold_counts(ANNEX2, _raw(voters), ballots=len(voters), min_group=k)
            groups = groups_and_sums(_rows(voters), folded)
            if len(groups) > 1:  # one group is the whole room: the totals, not a breakdown
                assert all(n >= shown_apart(k) for n, _sums in groups.values()), (k, sizes)


async def test_a_unit_closed_before_keeps_only_pooled_figures_after_the_upgrade(tmp_path: Path) -> None:
    """A unit closed by the release before: per-option counters per category; after the upgrade, none.

    The migration folds its counters again (totals exact, per group the pooled counts only) and
    the first start rebuilds the file, so no page keeps the counters it replaced.
    """
    voters = _room(AUDIT_ROOM, 0)
    path = tmp_path / "survey.db"
    before_pooling = [getattr(step, "__name__", "") for step in MIGRATIONS].index("_pooled")
    closed_under_an_old_schema(path, [v.ballot for v in voters], before_pooling)
    before = old_fold(_raw(voters), ballots=len(voters), min_group=K)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM tally_counts")
        db.executemany(
            "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
            "VALUES (1, 1, ?, ?, ?, ?)",
            [(*cell, n) for cell, n in before.items()],
        )
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"leaderpoints" in path.read_bytes()
    async with Repository(path) as repository:
        window = await repository.window(1)
        assert window is not None
        tally = await Results(repository, Survey(ANNEX2)).tally(window)
    _rows, counters = file_rows_and_counters(path)
    assert {q for c, q, _o, _n in counters if c != TOTAL} == {RATED}
    assert tally.questions == compute_tally(ANNEX2, [v.ballot for v in voters], min_group=K).questions
    assert [row.ballots for row in tally.breakdown] == list(AUDIT_ROOM.values())
    assert b"leaderpoints" not in path.read_bytes()  # an old per-category counter's key, in no page
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT rebuilt FROM windows").fetchall() == [(1,)]
