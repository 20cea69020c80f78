"""A leader's attack on everything they receive, against the release rules before and after issue 9.

Twenty people submit one after another (k = 3). After every ballot the leader looks at the
tally and takes an export; then the unit closes and the final report, workbook and CSV arrive.
The naive rules are those before issue 9: figures over ⌊N/k⌋·k ballots while open, a breakdown
by respondent category and per-ballot rows in every export, and the 参评对象 column in rows
with a placeholder for categories under k.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from conversations.annex2 import ANNEX2
from conversations.anonymity import participant_key
from conversations.engine import Ballot, Survey
from emulator.respondents import random_ballot
from storage.repository import Repository
from tests.leader_views import (
    CATEGORY,
    View,
    breakdowns_before_close,
    from_csv,
    from_tally,
    from_workbook,
    isolating_pairs,
    marked_rows,
    rows_before_close,
)
from tests.tallies import compute_tally
from usecases.results import Results

K = 3
PEOPLE = 20  # 20 = 6 batches and 2: the last live view and the final report differ by 2 naively


def _ballots() -> list[Ballot]:
    """Random ballots, among them exactly one 服务对象代表 (served), as in a real briefing."""
    rng = random.Random(4)  # noqa: S311 - test data
    ballots = []
    for number in range(PEOPLE):
        ballot = random_ballot(rng)
        category = "served" if number == 7 else rng.choice(["leader", "middle", "member"])
        ballots.append(
            Ballot(answers={**ballot.answers, "category": (category,)}, suggestion=ballot.suggestion)
        )
    return ballots


def _naive_views(ballots: list[Ballot]) -> list[View]:
    """Return the views under the rules before issue 9."""
    views = []
    for received in range(1, PEOPLE + 1):
        counted = received - received % K if received >= K else 0
        counts = from_tally("", compute_tally(ANNEX2, ballots[:counted]), is_open=True).counts
        views.append(View(f"after {received}", counted, counts, open=True, rows=counted, by_category=True))
    counts = from_tally("", compute_tally(ANNEX2, ballots), is_open=False).counts
    categories = [b.answers["category"][0] for b in ballots]
    labels = {o.id: o.label for o in CATEGORY.options}
    sizes = Counter(categories)
    marks = Counter(labels[c] if sizes[c] >= K else f"（不足{K}人，不显示）" for c in categories)
    views.append(View("final", PEOPLE, counts, open=False, rows=PEOPLE, by_category=True, marks=marks))
    return views


async def _real_views(ballots: list[Ballot], folder: Path) -> list[View]:
    """Return the views the bot's Results give after each ballot and after close."""
    views = []
    async with Repository(folder / "survey.db") as repository:
        results = Results(repository, Survey(ANNEX2))
        window, _ = await repository.open_window(1, "县财政局", min_group=K)
        secret = repository.keys.secret(window.id)
        for number, ballot in enumerate(ballots, start=1):
            await repository.submit(participant_key(secret, window.id, number), window.id, ballot)
            views.append(from_tally(f"tally after {number}", await results.tally(window), is_open=True))
            exports = await results.exports(await results.snapshot(window))
            assert exports.csv is None
            views.append(from_workbook(f"export after {number}", exports.xlsx, is_open=True))
        await repository.close_window(window.id)
        closed = await repository.window(window.id)
        assert closed is not None
        views.append(from_tally("final tally", await results.tally(closed), is_open=False))
        exports = await results.exports(await results.snapshot(closed))
        views.append(from_workbook("final workbook", exports.xlsx, is_open=False))
        assert exports.csv is not None
        views.append(from_csv("final csv", exports.csv, is_open=False))
    return views


async def test_no_two_things_a_leader_receives_isolate_fewer_than_k_ballots(tmp_path: Path) -> None:
    """Diff every pair of views; look for rows and breakdowns before close and marks in rows after.

    Naive: the last live view and the final report differ by the last 2 ballots; every export
    while open carries rows and a breakdown; the lone 服务对象代表's row carries a placeholder
    no other row has. Real: none of it.
    """
    ballots = _ballots()
    naive = _naive_views(ballots)
    assert ("after 20", "final", 2) in isolating_pairs(naive, K)
    assert rows_before_close(naive)
    assert breakdowns_before_close(naive)
    assert marked_rows(naive, K) == [("final", f"（不足{K}人，不显示）")]

    real = await _real_views(ballots, tmp_path)
    assert len(real) == 2 * PEOPLE + 3
    assert isolating_pairs(real, K) == []
    assert rows_before_close(real) == []
    assert breakdowns_before_close(real) == []
    assert marked_rows(real, K) == []
    final = real[-2]
    assert (final.counted, final.rows, final.by_category) == (PEOPLE, PEOPLE, True)
