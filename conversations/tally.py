"""Count ballots for leaders without unmasking anyone: batches, small cells, favourable rates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from conversations.engine import Ballot
from conversations.questionnaire import Frozen, Option, Polarity, Question, QuestionKind, Questionnaire


class BatchedBallot(Frozen):
    """A stored ballot with the batch it arrived in (⌊ballots before it / k⌋), nothing more."""

    ballot: Ballot
    batch: int


def released(ballots: Sequence[BatchedBallot], *, min_group: int, is_open: bool) -> list[Ballot]:
    """Return the ballots whose figures may be shown.

    While the window is open only complete batches of `min_group` ballots count, so a view never
    moves by a single ballot. After close every ballot counts. Below `min_group` ballots in all,
    nothing counts, open or closed.
    """
    if len(ballots) < min_group:
        return []
    if not is_open:
        return [item.ballot for item in ballots]
    complete_batches = len(ballots) // min_group
    return [item.ballot for item in ballots if item.batch < complete_batches]


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

    @property
    def favourable_rate(self) -> float | None:
        """Return 民主测评满意率: favourable answers over all answers to the rated items."""
        rated = [q for q in self.questions if q.question.rated]
        answered = sum(q.answered for q in rated)
        return sum(q.favourable for q in rated) / answered if answered else None

    def question(self, question_id: str) -> QuestionTally:
        """Return the tally of one question."""
        return next(q for q in self.questions if q.question.id == question_id)


def compute_tally(
    questionnaire: Questionnaire,
    ballots: Sequence[Ballot],
    *,
    received: int | None = None,
    min_group: int = 1,
    category_id: str = "category",
) -> Tally:
    """Count every option over the (already released) ballots, with a category breakdown."""
    questions = _count(questionnaire, ballots)
    return Tally(
        received=len(ballots) if received is None else received,
        counted=len(ballots),
        min_group=min_group,
        questions=questions,
        suggestions=tuple(b.suggestion for b in ballots if b.suggestion),
        breakdown=_breakdown(questionnaire, ballots, min_group, category_id),
    )


def _count(questionnaire: Questionnaire, ballots: Sequence[Ballot]) -> tuple[QuestionTally, ...]:
    counters: dict[str, Counter[str]] = {q.id: Counter() for q in questionnaire.questions}
    answered: Counter[str] = Counter()
    for ballot in ballots:
        for question_id, chosen in ballot.answers.items():
            counter = counters.get(question_id)
            if counter is not None and chosen:
                counter.update(chosen)
                answered[question_id] += 1
    return tuple(
        QuestionTally(
            question=question,
            counts=tuple(OptionCount(option=o, count=counters[question.id][o.id]) for o in question.options),
            answered=answered[question.id],
        )
        for question in questionnaire.questions
        if question.kind is not QuestionKind.TEXT
    )


def _breakdown(
    questionnaire: Questionnaire, ballots: Sequence[Ballot], min_group: int, category_id: str
) -> tuple[CategoryRow, ...]:
    category = questionnaire.question(category_id)
    if category is None:
        return ()
    groups: dict[str, list[Ballot]] = {o.id: [] for o in category.options}
    for ballot in ballots:
        for option_id in ballot.answers.get(category_id, ()):
            groups.setdefault(option_id, []).append(ballot)
    hidden = _suppressed({o.id: len(groups[o.id]) for o in category.options}, min_group)
    rows = []
    for option in category.options:
        members = groups[option.id]
        shown = option.id not in hidden
        tally = _count(questionnaire, members) if shown and members else ()
        rates = tuple(q.favourable_rate for q in tally if q.question.rated)
        rated = [q for q in tally if q.question.rated]
        answered = sum(q.answered for q in rated)
        rows.append(
            CategoryRow(
                category=option,
                ballots=len(members),
                shown=shown,
                item_rates=rates,
                favourable_rate=sum(q.favourable for q in rated) / answered if answered else None,
            )
        )
    return tuple(rows)


def _suppressed(sizes: dict[str, int], min_group: int) -> set[str]:
    """Return the categories whose cells are hidden.

    Primary: every category with 0 < n < k. Secondary: while the hidden ones hold fewer than k
    ballots together, hide the smallest shown one too, so that the overall figure minus the shown
    cells never gives away a group smaller than k.
    """
    hidden = {c for c, n in sizes.items() if 0 < n < min_group}
    while hidden and sum(sizes[c] for c in hidden) < min_group:
        shown = sorted((n, c) for c, n in sizes.items() if c not in hidden and n > 0)
        if not shown:
            break
        hidden.add(shown[0][1])
    return hidden
