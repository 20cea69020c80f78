"""Tallies that cannot unmask anyone: batch release, small cells, favourable rates, ranking."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations.annex2 import ANNEX2
from conversations.engine import Ballot
from conversations.questionnaire import QuestionKind
from conversations.tally import released_count
from tests.tallies import compute_tally

RATED = [q for q in ANNEX2.questions if q.rated]


def ballot(
    category: str, option: str = "a", risks: tuple[str, ...] = ("a",), suggestion: str | None = None
) -> Ballot:
    """Return a ballot with one option for every rated item: 'a' (best), 'z' (each item's last, worst)."""
    answers: dict[str, tuple[str, ...]] = {
        q.id: (q.options[-1].id if option == "z" else option,) for q in RATED
    }
    answers["category"] = (category,)
    answers["improve"] = ("b",)
    answers["risks"] = risks
    return Ballot(answers=answers, suggestion=suggestion)


@pytest.mark.parametrize(
    ("received", "counted"),
    [(0, 0), (1, 0), (2, 0), (3, 0), (5, 0), (6, 3), (7, 3), (8, 3), (9, 6), (10, 6)],
)
def test_complete_batches_but_the_newest_are_released_while_open(received: int, counted: int) -> None:
    """With k = 3, an open tally covers (⌊N/3⌋ − 1)·3 ballots: the newest batch is held back."""
    assert released_count(received, min_group=3, is_open=True) == counted


def test_closing_releases_everything_but_not_below_the_minimum() -> None:
    """After close all ballots count; a unit with fewer than k ballots still shows none."""
    assert released_count(7, min_group=3, is_open=False) == 7
    assert released_count(2, min_group=3, is_open=False) == 0


@given(
    k=st.integers(min_value=1, max_value=6),
    options=st.lists(st.sampled_from(["a", "b"]), min_size=1, max_size=40),
)
def test_no_two_views_differ_by_fewer_than_k_ballots(k: int, options: list[str]) -> None:
    """Any two views a leader gets, the final one included, differ by 0 or at least k ballots.

    So comparing what a leader saw before and after someone submitted, or the last live view
    and the final report, always mixes at least k ballots.
    """
    ballots = [ballot("leader", option) for option in options]
    views = []
    for received in range(len(ballots) + 1):
        shown = ballots[: released_count(received, min_group=k, is_open=True)]
        views.append(compute_tally(ANNEX2, shown, received=received, min_group=k))
    final = ballots[: released_count(len(ballots), min_group=k, is_open=False)]
    views.append(compute_tally(ANNEX2, final, received=len(ballots), min_group=k))
    for before, after in itertools.combinations(views, 2):
        change = after.counted - before.counted
        assert change == 0 or change >= k
        for item_before, item_after in zip(before.questions, after.questions, strict=True):
            moved = sum(
                abs(a.count - b.count) for a, b in zip(item_after.counts, item_before.counts, strict=True)
            )
            if change == 0:
                assert moved == 0


def test_favourable_rates_against_a_hand_computed_example() -> None:
    """Two ballots with the best option everywhere, two with the worst.

    Per item: 2 favourable of 4 answers → 50 %. Overall: 24 of 48 → 50 %. A fifth, best
    everywhere: 3 of 5 per item, 36 of 60 overall.
    """
    ballots = [ballot("leader"), ballot("leader"), ballot("middle", "z"), ballot("middle", "z")]
    tally = compute_tally(ANNEX2, ballots, min_group=2)
    assert [tally.question(q.id).favourable_rate for q in RATED] == [0.5] * 12
    assert tally.favourable_rate == pytest.approx(0.5)
    one_more = compute_tally(ANNEX2, [*ballots, ballot("leader")], min_group=2)
    assert one_more.favourable_rate == pytest.approx(36 / 60)


def test_neutral_counts_in_the_denominator_only() -> None:
    """预警措施作用一般 is neutral: it lowers the rate without counting as unfavourable."""
    tally = compute_tally(ANNEX2, [ballot("leader"), ballot("leader", "b")], min_group=1)
    warning = tally.question("warning")
    assert warning.counts[1].option.label == "预警措施作用一般"
    assert warning.favourable_rate == 0.5


def test_choose_up_to_three_items_are_ranked() -> None:
    """The most chosen option comes first; ties keep the form's order."""
    ballots = [
        ballot("leader", risks=("c", "e")),
        ballot("leader", risks=("e",)),
        ballot("leader", risks=("a",)),
    ]
    risks = compute_tally(ANNEX2, ballots).question("risks")
    assert [(c.option.id, c.count) for c in risks.ranked()] == [
        ("e", 2),
        ("a", 1),
        ("c", 1),
        ("b", 0),
        ("d", 0),
    ]
    assert risks.question.kind is QuestionKind.MULTI


def test_small_categories_are_suppressed_with_their_complement() -> None:
    """A category with fewer than 2k − 1 ballots is hidden, and so is the next smallest.

    Otherwise the overall rate minus the shown categories would give the small one away.
    """
    ballots = [ballot("leader")] * 5 + [ballot("middle", "z")] * 6 + [ballot("served", "z")]
    rows = {row.category.id: row for row in compute_tally(ANNEX2, ballots, min_group=3).breakdown}
    assert rows["middle"].shown
    assert rows["middle"].favourable_rate == 0.0
    assert not rows["served"].shown
    assert not rows["leader"].shown  # the complement: served alone holds fewer than 5
    assert rows["member"].ballots == 0


def test_large_enough_categories_are_all_shown() -> None:
    """With every present category at 2k − 1 or more, every category is shown, with its pooled rate."""
    ballots = [ballot("leader")] * 5 + [ballot("served", "z")] * 5
    tally = compute_tally(ANNEX2, ballots, min_group=3)
    rows = {row.category.id: row for row in tally.breakdown}
    assert rows["leader"].shown
    assert rows["served"].shown
    assert rows["served"].favourable_rate == 0.0
    assert rows["leader"].favourable_rate == 1.0
    assert tally.combined is None


def test_a_category_of_k_to_2k_minus_2_is_not_shown_alone() -> None:
    """班子成员 3 (k = 3): two of them subtracting themselves would read the third's rate; combined."""
    ballots = [ballot("leader")] * 3 + [ballot("middle", "z")] * 4 + [ballot("served")] * 6
    tally = compute_tally(ANNEX2, ballots, min_group=3)
    rows = {row.category.id: row for row in tally.breakdown}
    assert [c for c, row in rows.items() if row.shown and row.ballots] == ["served"]
    assert tally.combined is not None
    assert tally.combined.ballots == 7
    assert tally.combined.favourable_rate == pytest.approx(3 / 7)


def test_suggestions_are_kept_apart_from_answers() -> None:
    """Suggestions are listed on their own; empty ones are dropped."""
    tally = compute_tally(ANNEX2, [ballot("leader", suggestion="多公开"), ballot("leader")])
    assert tally.suggestions == ("多公开",)


def test_spoiled_rows_count_for_no_option_and_paper_ballots_are_counted() -> None:
    """A spoiled row is in no option's count and no denominator; the form's other rows count."""
    phone = [ballot("leader")] * 3
    paper = ballot("leader", "z").model_copy(update={"paper": True})
    answers = {k: v for k, v in paper.answers.items() if k not in {"education", "risks"}}
    spoiled = paper.model_copy(update={"answers": answers, "spoiled": ("education", "risks")})
    tally = compute_tally(ANNEX2, [*phone, paper, spoiled], min_group=3)
    assert (tally.counted, tally.paper) == (5, 2)
    education = tally.question("education")
    assert (education.answered, education.spoiled) == (4, 1)
    assert sum(c.count for c in education.counts) == 4
    assert education.favourable_rate == 3 / 4
    assert tally.question("risks").spoiled == 1
    assert tally.question("risks").answered == 4
    assert [q.question.id for q in tally.spoiled] == ["education", "risks"]
    assert tally.question("rules").favourable_rate == 3 / 5  # a row that was not spoiled counts


def test_ballots_without_a_category_are_a_hidden_group() -> None:
    """A spoiled 参评对象 row puts the ballot in no category; small, it hides the next smallest too.

    Otherwise the overall figures minus the shown categories would give that one ballot away.
    Such ballots are all paper forms the keyer has read: however many, they protect no one.
    """
    unlabelled = ballot("leader", "z").model_copy(update={"paper": True})
    answers = {k: v for k, v in unlabelled.answers.items() if k != "category"}
    unlabelled = unlabelled.model_copy(update={"answers": answers, "spoiled": ("category",)})
    ballots = [ballot("leader")] * 5 + [ballot("served")] * 6 + [unlabelled]
    rows = {row.category.id: row for row in compute_tally(ANNEX2, ballots, min_group=3).breakdown}
    assert rows["served"].shown
    assert not rows["leader"].shown  # the smallest shown one, hidden with the unlabelled ballot
    assert sum(row.ballots for row in rows.values()) == 11
    bigger = [ballot("leader")] * 5 + [ballot("served")] * 6 + [unlabelled] * 5
    rows = {row.category.id: row for row in compute_tally(ANNEX2, bigger, min_group=3).breakdown}
    assert rows["served"].shown
    assert not rows["leader"].shown  # five forms its keyer has read are no group
