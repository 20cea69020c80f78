"""Count ballots for leaders without unmasking anyone: batches, small cells, favourable rates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from conversations.engine import Ballot
from conversations.questionnaire import Frozen, Option, Polarity, Question, QuestionKind, Questionnaire


def released_count(received: int, *, min_group: int, is_open: bool) -> int:
    """Return how many ballots a leader's figures may cover.

    While open: the complete batches of `min_group` ballots but the newest, (⌊N/k⌋ − 1)·k. So
    any two views differ by 0 or at least k ballots, the final one too: closing adds the held
    batch and the unfinished one, k + (N mod k). After close: all N. Below k in all: none.
    """
    if received < min_group:
        return 0
    if not is_open:
        return received
    return max(0, received // min_group - 1) * min_group


ANSWERED = "*"  # the pseudo-option that counts the ballots answering a question
SPOILED = "!"  # the pseudo-option that counts a question's rows spoiled on paper forms
PAPER = "~paper"  # the pseudo-question that counts the ballots keyed in from paper
Cell = tuple[str, str, str]  # (respondent category, question id, option id or ANSWERED or SPOILED)


def ballot_cells(ballot: Ballot, category_id: str = "category") -> list[Cell]:
    """Return the counter cells one ballot adds to: each chosen option, and 'answered', per question.

    A spoiled row adds to its question's spoiled count only: it is in no option's count and in no
    denominator. A paper ballot also adds to the paper count.
    """
    category = next(iter(ballot.answers.get(category_id, ())), "")
    cells: list[Cell] = []
    for question_id, chosen in ballot.answers.items():
        if chosen:
            cells.append((category, question_id, ANSWERED))
            cells += [(category, question_id, option_id) for option_id in chosen]
    cells += [(category, question_id, SPOILED) for question_id in ballot.spoiled]
    if ballot.paper:
        cells.append((category, PAPER, ANSWERED))
    return cells


class OptionCount(Frozen):
    """How many counted ballots ticked one option."""

    option: Option
    count: int

    def percent(self, ballots: int) -> float:
        """Return the count as a percentage of `ballots` (0 when there are none)."""
        return 100.0 * self.count / ballots if ballots else 0.0


class QuestionTally(Frozen):
    """The counts of every option of one choice question, in the form's order."""

    question: Question
    counts: tuple[OptionCount, ...]
    answered: int
    spoiled: int = 0  # paper rows ticked more than allowed, or not at all: counted in no option

    @property
    def favourable(self) -> int:
        """Return how many answers were favourable (0 for unrated questions)."""
        return sum(c.count for c in self.counts if c.option.polarity is Polarity.FAVOURABLE)

    @property
    def favourable_rate(self) -> float | None:
        """Return favourable answers / answers, or None if unrated or unanswered."""
        if not self.question.rated or not self.answered:
            return None
        return self.favourable / self.answered

    def ranked(self) -> tuple[OptionCount, ...]:
        """Return the counts, most chosen first (the form's order breaks ties)."""
        return tuple(sorted(self.counts, key=lambda c: -c.count))


class CategoryRow(Frozen):
    """One respondent category's favourable rates, or None where the cell is suppressed."""

    category: Option
    ballots: int
    shown: bool
    item_rates: tuple[float | None, ...]
    favourable_rate: float | None


class Tally(Frozen):
    """A unit's figures as a leader may see them."""

    received: int
    counted: int
    min_group: int
    questions: tuple[QuestionTally, ...]
    suggestions: tuple[str, ...]
    breakdown: tuple[CategoryRow, ...]
    paper: int = 0  # how many of the counted ballots were keyed in from paper forms

    @property
    def spoiled(self) -> tuple[QuestionTally, ...]:
        """Return the questions with spoiled rows, in the form's order."""
        return tuple(q for q in self.questions if q.spoiled)

    @property
    def favourable_rate(self) -> float | None:
        """Return 民主测评满意率: favourable answers over all answers to the rated items."""
        rated = [q for q in self.questions if q.question.rated]
        answered = sum(q.answered for q in rated)
        return sum(q.favourable for q in rated) / answered if answered else None

    def question(self, question_id: str) -> QuestionTally:
        """Return the tally of one question."""
        return next(q for q in self.questions if q.question.id == question_id)


def tally_from_counts(  # noqa: PLR0913 - keyword-only, each one a figure of the tally
    questionnaire: Questionnaire,
    counts: Mapping[Cell, int],
    *,
    counted: int,
    received: int,
    min_group: int,
    suggestions: tuple[str, ...] = (),
    by_category: bool = True,
    category_id: str = "category",
) -> Tally:
    """Build the tally from per-category counters (kept by the repository as batches arrive).

    Without `by_category` (every view of an open window) there is no breakdown at all: a
    category's figures could move by one person within a batch.
    """
    totals: Counter[tuple[str, str]] = Counter()
    per_category: dict[str, Counter[tuple[str, str]]] = {}
    for (category, question_id, option_id), count in counts.items():
        totals[(question_id, option_id)] += count
        per_category.setdefault(category, Counter())[(question_id, option_id)] += count
    return Tally(
        received=received,
        counted=counted,
        min_group=min_group,
        questions=_questions(questionnaire, totals),
        suggestions=suggestions,
        breakdown=_breakdown(questionnaire, per_category, min_group, category_id, counted)
        if by_category
        else (),
        paper=totals.get((PAPER, ANSWERED), 0),
    )


def _questions(
    questionnaire: Questionnaire, totals: Mapping[tuple[str, str], int]
) -> tuple[QuestionTally, ...]:
    return tuple(
        QuestionTally(
            question=question,
            counts=tuple(
                OptionCount(option=o, count=totals.get((question.id, o.id), 0)) for o in question.options
            ),
            answered=totals.get((question.id, ANSWERED), 0),
            spoiled=totals.get((question.id, SPOILED), 0),
        )
        for question in questionnaire.questions
        if question.kind is not QuestionKind.TEXT
    )


def _breakdown(
    questionnaire: Questionnaire,
    by_category: Mapping[str, Mapping[tuple[str, str], int]],
    min_group: int,
    category_id: str,
    counted: int,
) -> tuple[CategoryRow, ...]:
    category = questionnaire.question(category_id)
    if category is None:
        return ()
    sizes = {o.id: by_category.get(o.id, {}).get((category_id, ANSWERED), 0) for o in category.options}
    # Ballots whose 参评对象 row was spoiled belong to no category: a group that is never shown.
    unlabelled = max(0, counted - sum(sizes.values()))
    hidden = _suppressed(sizes, min_group, unlabelled)
    rows = []
    for option in category.options:
        shown = option.id not in hidden
        rated = [q for q in _questions(questionnaire, by_category.get(option.id, {})) if q.question.rated]
        answered = sum(q.answered for q in rated) if shown else 0
        rows.append(
            CategoryRow(
                category=option,
                ballots=sizes[option.id],
                shown=shown,
                item_rates=tuple(q.favourable_rate for q in rated) if shown and sizes[option.id] else (),
                favourable_rate=sum(q.favourable for q in rated) / answered if answered else None,
            )
        )
    return tuple(rows)


def _suppressed(sizes: dict[str, int], min_group: int, unlabelled: int = 0) -> set[str]:
    """Return the categories whose cells are hidden.

    Primary: every category with 0 < n < k. Secondary: while the hidden ones (with the ballots of
    no category, never shown) hold fewer than k ballots together, hide the smallest shown one too,
    so that the overall figure minus the shown cells never gives away a group smaller than k.
    """
    hidden = {c for c, n in sizes.items() if 0 < n < min_group}
    while (hidden or unlabelled) and sum(sizes[c] for c in hidden) + unlabelled < min_group:
        shown = sorted((n, c) for c, n in sizes.items() if c not in hidden and n > 0)
        if not shown:
            break
        hidden.add(shown[0][1])
    return hidden
