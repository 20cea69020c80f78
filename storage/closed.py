"""What a closed window keeps of its counters: the totals, and per group only what is shown.

While open, counters are kept per respondent category (the breakdown after close needs them).
At close they are folded (`conversations.tally.fold_counts`): every count stays in the totals,
and each group the breakdown shows (a category of 2k − 1 ballots or more, or the combined
group) keeps only its answers to the rated items and the favourable ones, pooled: nothing from
which the ballot rows could be sorted back into their categories. The close does this inside
its transaction (`fold_counters`); the migrations that changed the rule do the same to windows
closed before (`fold_counters_now`).
"""

from __future__ import annotations

import sqlite3

import aiosqlite

from conversations.annex2 import ANNEX2
from conversations.tally import Cell, fold_counts
from storage.intake import CATEGORY

_SIZE = (
    "SELECT (SELECT count(*) FROM ballots WHERE window_id = w.id), max(w.min_group, 1) "
    "FROM windows w WHERE id = ?"
)
_COUNTS = (
    "SELECT category, question, option, sum(count) FROM tally_counts WHERE window_id = ? "
    "GROUP BY category, question, option"
)
_DELETE = "DELETE FROM tally_counts WHERE window_id = ?"
_INSERT = (
    "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
    "VALUES (?, 1, ?, ?, ?, ?)"
)
FoldedRow = tuple[int, str, str, str, int]


def _folded(
    window_id: int, size: tuple[int, int], counts: list[tuple[str, str, str, int]]
) -> list[FoldedRow]:
    """Return the window's counter rows once folded, in key order (the order they are written in)."""
    ballots, min_group = size
    kept: dict[Cell, int] = {(c, q, o): int(n) for c, q, o, n in counts}
    folded = fold_counts(ANNEX2, kept, ballots=ballots, min_group=min_group, category_id=CATEGORY)
    return sorted((window_id, *cell, count) for cell, count in folded.items())


async def fold_counters(db: aiosqlite.Connection, window_id: int) -> None:
    """Fold a closing window's counters (inside the caller's transaction; every batch released)."""
    async with db.execute(_SIZE, (window_id,)) as cursor:
        size = await cursor.fetchone()
    async with db.execute(_COUNTS, (window_id,)) as cursor:
        counts = await cursor.fetchall()
    assert size is not None  # noqa: S101 - the window being closed exists
    rows = _folded(window_id, (int(size[0]), int(size[1])), [tuple(row) for row in counts])
    await db.execute(_DELETE, (window_id,))
    await db.executemany(_INSERT, rows)


def fold_counters_now(db: sqlite3.Connection, window_id: int) -> None:
    """Fold a closed window's counters over a plain connection (inside the migration's transaction)."""
    size = db.execute(_SIZE, (window_id,)).fetchone()
    rows = _folded(window_id, (int(size[0]), int(size[1])), db.execute(_COUNTS, (window_id,)).fetchall())
    db.execute(_DELETE, (window_id,))
    db.executemany(_INSERT, rows)
