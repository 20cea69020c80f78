"""A leader's attack: compare everything the bot sent them, two things at a time.

A view is what one message or file shows: how many ballots its figures cover, every option
count, and whether it carries per-ballot rows or figures by respondent category. Two views whose
figures cover sets of ballots differing by fewer than k isolate those few ballots.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from dataclasses import dataclass, field

import openpyxl

from conversations.annex2 import ANNEX2
from conversations.questionnaire import QuestionKind
from conversations.tally import Tally
from tests.e2e.flows import shown_counts

CATEGORY = ANNEX2.questions[0]
CHOICES = [q for q in ANNEX2.questions if q.kind is not QuestionKind.TEXT]


@dataclass(frozen=True)
class View:
    """What one thing a leader received shows."""

    what: str
    counted: int
    counts: dict[tuple[str, str], int]  # (question prompt, option label) → count
    open: bool
    rows: int = 0  # per-ballot rows it carries
    by_category: bool = False  # figures per respondent category
    marks: Counter[str] = field(default_factory=Counter)  # 参评对象 values the rows carry, and how often


def from_tally(what: str, tally: Tally, *, is_open: bool) -> View:
    """Return the view of a tally as the bot computed it."""
    counts = {
        (item.question.prompt, count.option.label): count.count
        for item in tally.questions
        for count in item.counts
    }
    return View(what, tally.counted, counts, is_open, by_category=bool(tally.breakdown))


def from_text(what: str, text: str, *, is_open: bool) -> View:
    """Return the view of a tally message: its option lines, read question by question."""
    lines = shown_counts(text)
    counts: dict[tuple[str, str], int] = {}
    for question in CHOICES if lines else []:
        part, lines = lines[: len(question.options)], lines[len(question.options) :]
        counts.update({(question.prompt, label): count for label, count in part})
    counted = sum(count for (prompt, _label), count in counts.items() if prompt == CATEGORY.prompt)
    return View(what, counted, counts, is_open, by_category="按参评对象：" in text)


def from_workbook(what: str, data: bytes, *, is_open: bool) -> View:
    """Return the view of an exported workbook: 汇总's counts, 答卷's rows and their marks."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = list(book["汇总"].iter_rows(values_only=True))
    counted = next(int(row[1]) for row in summary if row[0] == "统计答卷")
    counts = {
        (str(row[0]), str(row[1])): int(row[2])
        for row in summary
        if row[1] is not None and isinstance(row[2], int) and (str(row[0]), str(row[1])) in _OPTIONS
    }
    answers = list(book["答卷"].iter_rows(values_only=True)) if "答卷" in book.sheetnames else []
    rows = answers[:1] + [row for row in answers[1:] if isinstance(row[0], int)]  # not the legend
    by_category = any(row[0] == "按参评对象的满意率" for row in summary)
    return View(what, counted, counts, is_open, max(0, len(rows) - 1), by_category, _marks(rows))


def from_csv(what: str, data: bytes, *, is_open: bool) -> View:
    """Return the view of the CSV of ballots: only its rows and their marks matter."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return View(what, -1, {}, is_open, max(0, len(rows) - 1), marks=_marks(rows))


_OPTIONS = {(q.prompt, o.label) for q in CHOICES for o in q.options}
_CATEGORY_MARKS = {o.label for o in CATEGORY.options}


def _marks(rows: list[tuple[object, ...]] | list[list[str]]) -> Counter[str]:
    """Count the cells that say a respondent category (or stand in for one) in per-ballot rows."""
    header = [str(cell) for cell in rows[0]] if rows else []
    column = header.index(CATEGORY.prompt) if CATEGORY.prompt in header else None
    if column is None:
        return Counter()
    return Counter(str(row[column]) for row in rows[1:])


def isolating_pairs(views: list[View], min_group: int) -> list[tuple[str, str, int]]:
    """Return the pairs of views whose figures differ by fewer than k ballots (but some)."""
    found = []
    for first, second in itertools.combinations([v for v in views if v.counted >= 0], 2):
        gap = abs(first.counted - second.counted)
        differs = _nonzero(first.counts) != _nonzero(second.counts)
        if (0 < gap < min_group) or (gap == 0 and differs):
            found.append((first.what, second.what, gap))
    return found


def _nonzero(counts: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    return {option: count for option, count in counts.items() if count}


def rows_before_close(views: list[View]) -> list[str]:
    """Return the views that carry per-ballot rows while the unit is open."""
    return [view.what for view in views if view.open and view.rows]


def breakdowns_before_close(views: list[View]) -> list[str]:
    """Return the views that carry figures by respondent category while the unit is open."""
    return [view.what for view in views if view.open and view.by_category]


def marked_rows(views: list[View], min_group: int) -> list[tuple[str, str]]:
    """Return (view, mark) for marks in per-ballot rows that fewer than k rows share."""
    return [(view.what, mark) for view in views for mark, count in view.marks.items() if count < min_group]
