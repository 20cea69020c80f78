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
# The pseudo-category a closed window keeps every count under that no shown category owns.
WITHHELD = "~withheld"
# The pseudo-category of an item's counts in groups where fewer than k ballots answered it
# (spoiled rows), with the smallest other groups' counts of that item until k answers are in it.
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
    """One respondent category's favourable rates; a category not shown is in the combined group."""

    category: Option
    ballots: int
    shown: bool
    item_rates: tuple[float | None, ...]
    favourable_rate: float | None  # over the items not merged
    merged: tuple[bool, ...] = ()  # per rated item: fewer than k answered it here, counted with others


class CombinedRow(Frozen):
    """The categories not shown on their own, with the ballots of no category: k or more together."""

    categories: tuple[Option, ...]
    unlabelled: int  # ballots whose 参评对象 row was spoiled on paper
    ballots: int
    item_rates: tuple[float | None, ...]
    favourable_rate: float | None  # over the items not merged
    merged: tuple[bool, ...] = ()  # per rated item, as in CategoryRow


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
        counts = fold_counts(counts, ballots=counted, min_group=min_group, category_id=category_id)
    totals: Counter[tuple[str, str]] = Counter()
    per_category: dict[str, Counter[tuple[str, str]]] = {}
    for (category, question_id, option_id), count in counts.items():
        totals[(question_id, option_id)] += count
        per_category.setdefault(category, Counter())[(question_id, option_id)] += count
    breakdown, combined = (
        _breakdown(questionnaire, per_category, min_group, category_id, counted)
        if by_category
        else ((), None)
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


def fold_counts(
    counts: Mapping[Cell, int], *, ballots: int, min_group: int, category_id: str = "category"
) -> dict[Cell, int]:
    """Return the counters as a closed window keeps them: per category only what a breakdown shows.

    A category keeps counts of its own (its options chosen, its answers) only if it is shown
    (`hidden_categories`). Every other count goes under WITHHELD: the hidden categories', the
    ballots of no category, and every category's paper and spoiled counts (a cross-tab no view
    shows, which would say which category a marked row is in). Then an item's counts go under
    MERGED from every group where fewer than k answered it (`merged_items`). Totals per
    question and option stay exact; folding folded counters changes nothing.
    """
    hidden = hidden_categories(counts, ballots=ballots, min_group=min_group, category_id=category_id)
    sizes = category_sizes(counts, category_id)
    grouped: Counter[Cell] = Counter()
    for (category, question_id, option_id), count in counts.items():
        own = category in sizes and category not in hidden and question_id != PAPER and option_id != SPOILED
        group = category if own or category == MERGED else WITHHELD
        grouped[(group, question_id, option_id)] += count
    merged = merged_items(grouped, min_group, category_id)
    folded: Counter[Cell] = Counter()
    for (group, question_id, option_id), count in grouped.items():
        to_merge = (group, question_id) in merged and option_id != SPOILED
        folded[(MERGED if to_merge else group, question_id, option_id)] += count
    return dict(folded)


def merged_items(
    counts: Mapping[Cell, int], min_group: int, category_id: str = "category"
) -> set[tuple[str, str]]:
    """Return the (group, question) cells whose counts a closed window keeps only under MERGED.

    A group (a shown category, or the combined group) shows an item's figures only if at least
    k of its ballots answered it: a spoiled row reduces that. Fewer, its counts of the item are
    merged, with the smallest other groups' counts of it until k answers are merged together, so
    that the item's total minus the figures shown never leaves fewer than k answers.
    """
    answered: dict[str, dict[str, int]] = {}
    for (group, question_id, option_id), count in counts.items():
        if option_id == ANSWERED and count and group != MERGED and question_id not in {category_id, PAPER}:
            answered.setdefault(question_id, {})[group] = count
    merged: set[tuple[str, str]] = set()
    for question_id, groups in answered.items():
        few = {group for group, count in groups.items() if count < min_group}
        rest = sorted((count, group) for group, count in groups.items() if group not in few)
        while few and sum(groups[g] for g in few) < min_group and rest:
            few.add(rest.pop(0)[1])
        merged |= {(group, question_id) for group in few}
    return merged


def hidden_categories(
    counts: Mapping[Cell, int], *, ballots: int, min_group: int, category_id: str = "category"
) -> set[str]:
    """Return the categories not shown on their own, from unfolded or folded counters alike.

    Unfolded, each category's paper count is there (`withheld_categories` uses it). Folded, a
    category whose own count is under WITHHELD stays hidden, and the paper counts are all
    under WITHHELD: the shown categories were cleared with them, so none is taken as paper.
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


def _rates(
    questionnaire: Questionnaire, counts: Mapping[tuple[str, str], int]
) -> tuple[tuple[float | None, ...], float | None]:
    """Return the favourable rate of each rated item, and of all of them, over one group's counts."""
    rated = [q for q in _questions(questionnaire, counts) if q.question.rated]
    answered = sum(q.answered for q in rated)
    overall = sum(q.favourable for q in rated) / answered if answered else None
    return tuple(q.favourable_rate for q in rated), overall


def _breakdown(
    questionnaire: Questionnaire,
    by_category: Mapping[str, Mapping[tuple[str, str], int]],
    min_group: int,
    category_id: str,
    counted: int,
) -> tuple[tuple[CategoryRow, ...], CombinedRow | None]:
    category = questionnaire.question(category_id)
    if category is None:
        return (), None
    sizes = {o.id: sum(c.get((category_id, o.id), 0) for c in by_category.values()) for o in category.options}
    # Ballots whose 参评对象 row was spoiled belong to no category: a group that is never shown.
    unlabelled = max(0, counted - sum(sizes.values()))
    hidden = {c for c, n in sizes.items() if n and not by_category.get(c, {}).get((category_id, c))}
    merged = by_category.get(MERGED, {})
    rows = []
    for option in category.options:
        shown = option.id not in hidden
        counts = by_category.get(option.id, {}) if shown and sizes[option.id] else None
        item_rates, overall = _rates(questionnaire, counts) if counts else ((), None)
        rows.append(
            CategoryRow(
                category=option,
                ballots=sizes[option.id],
                shown=shown,
                item_rates=item_rates,
                favourable_rate=overall,
                merged=_merged_flags(questionnaire, counts, merged) if counts else (),
            )
        )
    if not hidden and not unlabelled:
        return tuple(rows), None
    withheld = by_category.get(WITHHELD, {})
    item_rates, overall = _rates(questionnaire, withheld)
    combined = CombinedRow(
        categories=tuple(o for o in category.options if o.id in hidden),
        unlabelled=unlabelled,
        ballots=unlabelled + sum(sizes[c] for c in hidden),
        item_rates=item_rates,
        favourable_rate=overall,
        merged=_merged_flags(questionnaire, withheld, merged),
    )
    return tuple(rows), combined


def any_merged(tally: Tally) -> bool:
    """Return True if some group's figure for some item is merged (see `merged_items`)."""
    groups: list[CategoryRow | CombinedRow] = [
        *tally.breakdown,
        *([tally.combined] if tally.combined else []),
    ]
    return any(any(group.merged) for group in groups)


def _merged_flags(
    questionnaire: Questionnaire, counts: Mapping[tuple[str, str], int], merged: Mapping[tuple[str, str], int]
) -> tuple[bool, ...]:
    """Return, per rated item, whether the group's answers to it are counted only under MERGED."""
    rated = [q for q in questionnaire.questions if q.rated and q.kind is not QuestionKind.TEXT]
    return tuple(not counts.get((q.id, ANSWERED)) and bool(merged.get((q.id, ANSWERED))) for q in rated)


def withheld_categories(
    sizes: Mapping[str, int],
    min_group: int,
    unlabelled: int = 0,
    *,
    papers: Mapping[str, int] | None = None,
    hidden: set[str] | frozenset[str] = frozenset(),
) -> set[str]:
    """Return the categories whose cells are hidden.

    What the keyer of the paper forms has read is known to them: a group's protection is its
    phone ballots, not its size. Primary: every category with 0 < n < k ballots, or with
    0 < p < k phone ballots (`papers` gives its paper ones; the keyer subtracts the forms they
    keyed from its figures). Secondary: while the hidden categories' own ballots are fewer than
    k (the ballots of no category, all paper, count for nothing), or their phone ballots
    together are 0 < p < k, hide the smallest shown one too; so that neither the overall figure
    minus the shown cells, nor the combined group minus its paper forms, gives away fewer than k.
    """
    papers = papers or {}
    phones = {c: n - papers.get(c, 0) for c, n in sizes.items()}
    hidden = set(hidden) | {c for c, n in sizes.items() if 0 < n < min_group or 0 < phones[c] < min_group}

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
