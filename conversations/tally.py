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
# A closed window's counters: every total under TOTAL, and per group shown only what the
# breakdown shows: its answers to the rated items (RATED, ANSWERED) and the favourable ones
# (RATED, FAVOURABLE). The combined group's are under WITHHELD.
TOTAL = "~total"
RATED = "~rated"
FAVOURABLE = "+"
WITHHELD = "~withheld"
# Counters closed by releases before issue 22 kept some groups' counts of an item under MERGED
# (fewer than k of the group answered it): those counts are in no group's figures.
MERGED = "~merged"
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
    """One respondent category's favourable rate (all rated items pooled); one not shown is combined."""

    category: Option
    ballots: int
    shown: bool
    favourable_rate: float | None


class CombinedRow(Frozen):
    """The categories not shown on their own, with the ballots of no category: k or more together."""

    categories: tuple[Option, ...]
    unlabelled: int  # ballots whose 参评对象 row was spoiled on paper
    ballots: int
    favourable_rate: float | None


class Tally(Frozen):
    """A unit's figures as a leader may see them."""

    received: int
    counted: int
    min_group: int
    questions: tuple[QuestionTally, ...]
    suggestions: tuple[str, ...]
    breakdown: tuple[CategoryRow, ...]
    combined: CombinedRow | None = None  # after close, where a category is not shown on its own
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
    category's figures could move by one person within a batch. With it, the counters are
    folded as a closed window keeps them (`fold_counts`), whether or not they already are.
    """
    if by_category:
        counts = fold_counts(
            questionnaire, counts, ballots=counted, min_group=min_group, category_id=category_id
        )
    totals: Counter[tuple[str, str]] = Counter()
    for (group, question_id, option_id), count in counts.items():
        if group == TOTAL or not by_category:
            totals[(question_id, option_id)] += count
    breakdown, combined = (
        _breakdown(questionnaire, counts, category_id, counted) if by_category else ((), None)
    )
    return Tally(
        received=received,
        counted=counted,
        min_group=min_group,
        questions=_questions(questionnaire, totals),
        suggestions=suggestions,
        breakdown=breakdown,
        combined=combined,
        paper=totals.get((PAPER, ANSWERED), 0),
    )


def shown_apart(min_group: int) -> int:
    """Return the fewest ballots a group shown on its own holds: 2k − 1.

    So k − 1 colluders in it (each knowing their own ballot) who subtract themselves from its
    figures are left with k ballots or more, never one person's.
    """
    return 2 * min_group - 1


def favourable_options(questionnaire: Questionnaire) -> dict[str, frozenset[str]]:
    """Return each rated item's favourable options."""
    return {
        q.id: frozenset(o.id for o in q.options if o.polarity is Polarity.FAVOURABLE)
        for q in questionnaire.questions
        if q.rated and q.kind is not QuestionKind.TEXT
    }


def fold_counts(
    questionnaire: Questionnaire,
    counts: Mapping[Cell, int],
    *,
    ballots: int,
    min_group: int,
    category_id: str = "category",
) -> dict[Cell, int]:
    """Return the counters as a closed window keeps them: per group only what the breakdown shows.

    Every count goes into the totals (TOTAL); per group shown (a category shown on its own,
    `hidden_categories`, or the combined group under WITHHELD: the hidden categories and the
    ballots of no category) only its answers to the rated items and the favourable ones among
    them, all items pooled. No option count, no item and no paper or spoiled count is kept per
    group: per-option or per-item figures per category let the rows be sorted back into their
    categories (an integer program does it), pooled ones do not. Counters folded already are
    returned as they are; totals per question and option stay exact.
    """
    if any(group == TOTAL for group, _q, _o in counts):
        return dict(counts)
    favourable = favourable_options(questionnaire)
    sizes = category_sizes(counts, category_id)
    hidden = hidden_categories(counts, ballots=ballots, min_group=min_group, category_id=category_id)
    folded: Counter[Cell] = Counter()
    for category in sizes:
        if category not in hidden:  # a shown group has its cells, even at 0
            folded[(category, RATED, ANSWERED)] += 0
    for (category, question_id, option_id), count in counts.items():
        folded[(TOTAL, question_id, option_id)] += count
        group = category if category in sizes and category not in hidden else WITHHELD
        if category == MERGED or question_id not in favourable:
            continue
        if option_id == ANSWERED:
            folded[(group, RATED, ANSWERED)] += count
        elif option_id in favourable[question_id]:
            folded[(group, RATED, FAVOURABLE)] += count
    return dict(folded)


def hidden_categories(
    counts: Mapping[Cell, int], *, ballots: int, min_group: int, category_id: str = "category"
) -> set[str]:
    """Return the categories not shown on their own, from raw counters or those folded before issue 22.

    Raw, each category's paper count is there (`withheld_categories` uses it). Folded by an
    earlier release, a category whose own count is under WITHHELD stays hidden, and the paper
    counts are all under WITHHELD: the shown categories were cleared with them.
    """
    sizes = category_sizes(counts, category_id)
    papers = {c: counts.get((c, PAPER, ANSWERED), 0) for c in sizes}
    folded = {c for c in sizes if counts.get((WITHHELD, category_id, c), 0)}
    unlabelled = ballots - sum(sizes.values())
    return withheld_categories(sizes, min_group, unlabelled, papers=papers, hidden=folded)


def category_sizes(counts: Mapping[Cell, int], category_id: str = "category") -> dict[str, int]:
    """Return how many ballots chose each respondent category (the 参评对象 question's own counts)."""
    sizes: Counter[str] = Counter()
    for (_category, question_id, option_id), count in counts.items():
        if question_id == category_id and option_id not in {ANSWERED, SPOILED} and count:
            sizes[option_id] += count
    return dict(sizes)


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


def _rate(counts: Mapping[Cell, int], group: str) -> float | None:
    """Return a group's favourable answers over its answers to the rated items, or None."""
    answered = counts.get((group, RATED, ANSWERED), 0)
    return counts.get((group, RATED, FAVOURABLE), 0) / answered if answered else None


def _breakdown(
    questionnaire: Questionnaire, folded: Mapping[Cell, int], category_id: str, counted: int
) -> tuple[tuple[CategoryRow, ...], CombinedRow | None]:
    """Return the rows per category and the combined group, from folded counters."""
    category = questionnaire.question(category_id)
    if category is None:
        return (), None
    sizes = {o.id: folded.get((TOTAL, category_id, o.id), 0) for o in category.options}
    # Ballots whose 参评对象 row was spoiled belong to no category: a group that is never shown.
    unlabelled = max(0, counted - sum(sizes.values()))
    hidden = {c for c, n in sizes.items() if n and (c, RATED, ANSWERED) not in folded}
    rows = tuple(
        CategoryRow(
            category=option,
            ballots=sizes[option.id],
            shown=option.id not in hidden,
            favourable_rate=_rate(folded, option.id) if option.id not in hidden else None,
        )
        for option in category.options
    )
    if not hidden and not unlabelled:
        return rows, None
    combined = CombinedRow(
        categories=tuple(o for o in category.options if o.id in hidden),
        unlabelled=unlabelled,
        ballots=unlabelled + sum(sizes[c] for c in hidden),
        favourable_rate=_rate(folded, WITHHELD),
    )
    return rows, combined


def withheld_categories(
    sizes: Mapping[str, int],
    min_group: int,
    unlabelled: int = 0,
    *,
    papers: Mapping[str, int] | None = None,
    hidden: set[str] | frozenset[str] = frozenset(),
) -> set[str]:
    """Return the categories not shown on their own.

    A group shown needs `shown_apart` (2k − 1) ballots, so that k − 1 colluders in it who
    subtract their own are left with k or more. What the keyer of the paper forms has read is
    known to them: a group's protection is its phone ballots, not its size. Primary: every
    category with 0 < n < 2k − 1 ballots, or 0 < p < 2k − 1 phone ballots (`papers` gives its
    paper ones). Secondary: while the hidden categories' own ballots are fewer than 2k − 1 (the
    ballots of no category, all paper, count for nothing), or their phone ballots together are
    0 < p < 2k − 1, hide the smallest shown one too; so that neither the overall figure minus the
    shown groups, nor any group less its paper forms and k − 1 colluders, leaves fewer than k.
    """
    papers = papers or {}
    apart = shown_apart(min_group)
    phones = {c: n - papers.get(c, 0) for c, n in sizes.items()}
    hidden = set(hidden) | {c for c, n in sizes.items() if 0 < n < apart or 0 < phones[c] < apart}

    def too_few() -> bool:
        own = sum(sizes[c] for c in hidden)
        phone = sum(phones[c] for c in hidden)
        return bool(hidden or unlabelled) and (own < apart or 0 < phone < apart)

    while too_few():
        shown = sorted((n, c) for c, n in sizes.items() if c not in hidden and n > 0)
        if not shown:
            break
        hidden.add(shown[0][1])
    return hidden
