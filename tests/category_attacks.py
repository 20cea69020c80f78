"""Attacks on a closed unit's breakdown by category: sorting rows back into categories, colluders.

Both read only what a closed unit leaves: its ballot rows (the file's `ballots`, or the CSV and
the 答卷 sheet, which list the same answers) and its counters (`tally_counts`), from which every
figure the leader's exports show is divided out (`workbook_rates` checks the workbook agrees).
A counter is read as a linear sum over the rows of its group: a group's count of one option is
how many of its rows chose it, its pooled counts are its rows' answers to the rated items and
the favourable ones among them.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import openpyxl
from scipy.optimize import Bounds, LinearConstraint, milp

from conversations.annex2 import ANNEX2
from conversations.tally import (
    ANSWERED,
    FAVOURABLE,
    MERGED,
    PAPER,
    RATED,
    SPOILED,
    TOTAL,
    WITHHELD,
    favourable_options,
)

Row = Mapping[str, list[str]]  # a ballot row as stored: question id → options chosen
Counters = Mapping[tuple[str, str, str], int]
CATEGORY = "category"
_FAVOURABLE = favourable_options(ANNEX2)


def feature(row: Row, question: str, option: str) -> int:
    """Return what one row adds to a group's counter (question, option)."""
    if question == RATED:
        rated = [q for q in _FAVOURABLE if row.get(q)]
        if option == ANSWERED:
            return len(rated)
        return sum(1 for q in rated if set(row[q]) & _FAVOURABLE[q])
    chosen = row.get(question, [])
    return int(bool(chosen)) if option == ANSWERED else int(option in chosen)


def groups_and_sums(
    rows: Sequence[Row], counters: Counters
) -> dict[str, tuple[int, dict[tuple[str, str], int]]]:
    """Return each group the counters keep figures for: its ballots, and its sums per (question, option).

    A group's ballots are its categories' 参评对象 counts; the combined group (WITHHELD) holds the
    rows no other group does. Counts of paper forms and spoiled rows, and MERGED ones, are left
    out (they pin nothing in these rooms).
    """
    sums: dict[str, dict[tuple[str, str], int]] = {}
    sizes: Counter[str] = Counter()
    for (group, question, option), count in counters.items():
        if question == CATEGORY and option not in {ANSWERED, SPOILED}:
            sizes[option if group in {TOTAL, option} else group] += count
        elif group not in {TOTAL, MERGED} and question != PAPER and option != SPOILED:
            sums.setdefault(group, {})[(question, option)] = count
    shown = {g: sizes[g] for g in sums if g != WITHHELD}
    if WITHHELD in sums:
        shown[WITHHELD] = len(rows) - sum(shown.values())
    return {group: (ballots, sums[group]) for group, ballots in shown.items()}


def forced_rows(rows: Sequence[Row], counters: Counters, truth: list[str]) -> int:
    """Return how many rows every assignment agreeing with the counters puts in their own group.

    An integer program per row (scipy's HiGHS): rows with the same features are one variable
    per group (how many of them it holds); the row's own group may hold one fewer of its kind.
    Infeasible: the row can be in no other group, it is placed. `truth` is each row's group.
    """
    groups = groups_and_sums(rows, counters)
    names = sorted(groups)
    keys = sorted({key for _n, sums in groups.values() for key in sums})
    pattern = [tuple(feature(row, q, o) for q, o in keys) for row in rows]
    kinds = sorted(set(pattern))
    count = Counter(pattern)
    width = len(kinds) * len(names)

    def at(kind: int, group: int) -> int:
        return kind * len(names) + group

    matrix: list[np.ndarray] = []
    target: list[int] = []
    for kind, features in enumerate(kinds):  # every row in some group
        line = np.zeros(width)
        line[[at(kind, g) for g in range(len(names))]] = 1
        matrix.append(line)
        target.append(count[features])
    for g, name in enumerate(names):
        ballots, sums = groups[name]
        line = np.zeros(width)
        line[[at(kind, g) for kind in range(len(kinds))]] = 1
        matrix.append(line)
        target.append(ballots)
        for index, key in enumerate(keys):
            if key in sums:
                line = np.zeros(width)
                for kind, features in enumerate(kinds):
                    line[at(kind, g)] = features[index]
                matrix.append(line)
                target.append(sums[key])
    agree = LinearConstraint(np.array(matrix), np.array(target), np.array(target))
    upper = np.array([count[features] for features in kinds for _ in names], dtype=float)
    placed = 0
    for features, group in zip(pattern, truth, strict=True):
        bounds = upper.copy()
        bounds[at(kinds.index(features), names.index(group))] -= 1
        found = milp(np.zeros(width), constraints=agree, integrality=np.ones(width), bounds=Bounds(0, bounds))
        placed += found.status != 0
    return placed


def colluders_learn(
    rows: Sequence[Row], counters: Counters, colluders: Sequence[Row]
) -> dict[tuple[str, str], int] | None:
    """Return what k − 1 colluders read of one person: their group's figures less their own rows.

    They find the group of figures that holds them all and exactly one ballot more; what is left
    of each counter is that person's. None if no group leaves one person.
    """
    for ballots, sums in groups_and_sums(rows, counters).values():
        if ballots != len(colluders) + 1:
            continue
        left = {key: total - sum(feature(row, *key) for row in colluders) for key, total in sums.items()}
        if all(value >= 0 for value in left.values()):
            return left
    return None


def ballot_items(left: Mapping[tuple[str, str], int]) -> set[str]:
    """Return the items whose answer the colluders' figures give (an option counted once)."""
    return {q for (q, o), n in left.items() if o not in {ANSWERED, FAVOURABLE} and q != RATED and n == 1}


def workbook_rates(xlsx: bytes) -> dict[str, tuple[int, object]]:
    """Return the workbook's breakdown: per group (a category, or the 合并 row) its ballots and rate."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    rows = list(book["汇总"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "按参评对象的满意率")
    found: dict[str, tuple[int, object]] = {}
    for row in rows[start + 2 :]:
        if row[0] is None or row[1] is None:
            break
        found[str(row[0])] = (int(str(row[1])), row[2])
    return found
