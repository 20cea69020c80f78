"""Tallies computed straight from ballots, for tests (the bot keeps running counts instead)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from conversations.engine import Ballot
from conversations.questionnaire import Questionnaire
from conversations.tally import Cell, Tally, ballot_cells, tally_from_counts


def compute_tally(
    questionnaire: Questionnaire,
    ballots: Sequence[Ballot],
    *,
    received: int | None = None,
    min_group: int = 1,
    category_id: str = "category",
) -> Tally:
    """Count every option over the (already released) ballots, with a category breakdown."""
    counts: Counter[Cell] = Counter()
    for ballot in ballots:
        counts.update(ballot_cells(ballot, category_id))
    return tally_from_counts(
        questionnaire,
        counts,
        counted=len(ballots),
        received=len(ballots) if received is None else received,
        min_group=min_group,
        suggestions=tuple(b.suggestion for b in ballots if b.suggestion),
        category_id=category_id,
    )
