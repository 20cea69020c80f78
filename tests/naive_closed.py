"""The closed store before issue 22, kept to show the attacks on it: per-option counters per category.

A closed window kept, for every category shown on its own (k ballots or more, 0 or k phone
ballots), the count of each option of each item; the rest under WITHHELD; an item fewer than k
of a group answered under MERGED. The figures are those the bot showed then (the workbook's
rates per item and category are these counters divided). Copied here unchanged so that the
partition and colluders' attacks can be shown to succeed on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from conversations.tally import ANSWERED, MERGED, PAPER, SPOILED, WITHHELD, Cell, category_sizes


def old_fold(counts: Mapping[Cell, int], *, ballots: int, min_group: int) -> dict[Cell, int]:
    """Fold raw counters as a close did before issue 22."""
    hidden = _hidden(counts, ballots=ballots, min_group=min_group)
    sizes = category_sizes(counts)
    grouped: Counter[Cell] = Counter()
    for (category, question_id, option_id), count in counts.items():
        own = category in sizes and category not in hidden and question_id != PAPER and option_id != SPOILED
        grouped[(category if own else WITHHELD, question_id, option_id)] += count
    merged = _merged_items(grouped, min_group)
    folded: Counter[Cell] = Counter()
    for (group, question_id, option_id), count in grouped.items():
        to_merge = (group, question_id) in merged and option_id != SPOILED
        folded[(MERGED if to_merge else group, question_id, option_id)] += count
    return dict(folded)


def _merged_items(counts: Mapping[Cell, int], min_group: int) -> set[tuple[str, str]]:
    answered: dict[str, dict[str, int]] = {}
    for (group, question_id, option_id), count in counts.items():
        if option_id == ANSWERED and count and question_id not in {"category", PAPER}:
            answered.setdefault(question_id, {})[group] = count
    merged: set[tuple[str, str]] = set()
    for question_id, groups in answered.items():
        few = {group for group, count in groups.items() if count < min_group}
        rest = sorted((count, group) for group, count in groups.items() if group not in few)
        while few and sum(groups[g] for g in few) < min_group and rest:
            few.add(rest.pop(0)[1])
        merged |= {(group, question_id) for group in few}
    return merged


def _hidden(counts: Mapping[Cell, int], *, ballots: int, min_group: int) -> set[str]:
    """Return the hidden categories by the rule of issue 16: under k, or 1 to k − 1 phone ballots."""
    sizes = category_sizes(counts)
    phones = {c: n - counts.get((c, PAPER, ANSWERED), 0) for c, n in sizes.items()}
    unlabelled = ballots - sum(sizes.values())
    hidden = {c for c, n in sizes.items() if 0 < n < min_group or 0 < phones[c] < min_group}

    def too_few() -> bool:
        own = sum(sizes[c] for c in hidden)
        phone = sum(phones[c] for c in hidden)
        return bool(hidden or unlabelled) and (own < min_group or 0 < phone < min_group)

    while too_few():
        shown = sorted((n, c) for c, n in sizes.items() if c not in hidden and n > 0)
        if not shown:
            break
        hidden.add(shown[0][1])
    return hidden
