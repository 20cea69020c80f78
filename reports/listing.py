"""The per-ballot listing of a closed unit (the 答卷 sheet and the CSV): every ballot, no row singled out.

A paper form's spoiled row shows as 作废, and only paper forms have them: the 作废 cells of a
row mark it. Shown where fewer than k rows carry the same marks, they single those rows out
(a form seen left blank on 科技防控 is the one row with 作废 there: all its other answers are
read off the listing). Leaving those ballots out instead gave them back (the summary's totals
less the listed rows are exactly their answers), and so did the rule before this one, which
listed every ballot once at least k forms had a spoiled row, whichever rows.

The rule: every ballot is listed, and an item's column is left out when keeping it would leave
a pattern of 作废 marks (over the columns kept) on 1 to k − 1 rows, the clean pattern
included. Columns are left out one at a time, the one with the fewest spoiled rows first (the
form's order breaks ties), until every pattern is on none or at least k rows; at worst every
column with a spoiled row goes, and no row carries a mark. The rule reads the ballots only, so
every export of the unit leaves out the same columns. What a column left out held is still in
the summary's totals, which link to no row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from conversations.engine import Ballot
from conversations.questionnaire import Question, QuestionKind, Questionnaire


@dataclass(frozen=True, slots=True)
class Listing:
    """The columns a unit's listing shows, the items left out (with their spoiled rows), the ballots."""

    columns: tuple[Question, ...]
    left_out: tuple[tuple[Question, int], ...]  # an item left out, and how many of its rows are spoiled
    ballots: tuple[Ballot, ...]


def _marks(ballot: Ballot, kept: Sequence[Question]) -> frozenset[str]:
    return frozenset(q.id for q in kept if q.id in ballot.spoiled)


def small_patterns(
    ballots: Sequence[Ballot], kept: Sequence[Question], min_group: int
) -> list[frozenset[str]]:
    """Return the patterns of 作废 marks over `kept` that fewer than `min_group` rows (but some) carry."""
    patterns = Counter(_marks(ballot, kept) for ballot in ballots)
    return [pattern for pattern, rows in patterns.items() if rows < min_group]


def listing(
    questionnaire: Questionnaire, ballots: Sequence[Ballot], min_group: int, category_id: str = "category"
) -> Listing:
    """Return what the unit's listing shows: every ballot, the columns that single out no row."""
    questions = [
        q for q in questionnaire.questions if q.kind is not QuestionKind.TEXT and q.id != category_id
    ]
    spoiled = Counter(question for ballot in ballots for question in ballot.spoiled)
    kept = list(questions)
    while small_patterns(ballots, kept, min_group):
        marked = [q for q in kept if spoiled[q.id]]
        if not marked:
            break  # no mark left: one pattern, every row (fewer than k only in a unit never counted)
        kept.remove(min(marked, key=lambda q: spoiled[q.id]))  # the first of the fewest
    left_out = tuple((q, spoiled[q.id]) for q in questions if q not in kept)
    return Listing(columns=tuple(kept), left_out=left_out, ballots=tuple(ballots))


def left_out_note(left: Sequence[tuple[Question, int]], min_group: int) -> str:
    """Return the workbook's note on the items left out of the listing, or '' when none is."""
    if not left:
        return ""
    items = "、".join(f"{question.prompt}（{rows} 份作废）" for question, rows in left)
    return (
        f"逐份答卷中略去以下题目：{items}。这些题的纸质表作废行（多勾或未勾）不足 {min_group} 份"
        "或组合起来可辨认出个别答卷，列出会暴露这几份答卷的全部答案；"
        "各题的统计（含这些题）见“汇总”表，全部答卷均已计入。"
    )
