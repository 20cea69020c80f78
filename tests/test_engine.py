"""The step engine, pure: every item of the form, the up-to-three rule, back, review, submit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.annex2 import ANNEX2
from conversations.engine import (
    Back,
    Choose,
    Draft,
    FinishChoices,
    KeepText,
    Press,
    Revise,
    SkipText,
    Spoil,
    Survey,
    Toggle,
)
from conversations.errors import (
    Incomplete,
    NoChoiceMade,
    NotExpectingText,
    StaleStep,
    SuggestionTooLong,
    SurveyError,
    TooManyChoices,
    UnknownOption,
)
from conversations.questionnaire import Question, QuestionKind

SURVEY = Survey(ANNEX2)
SINGLES = [(i, q) for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.SINGLE]
MULTIS = [(i, q) for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.MULTI]
TEXT_STEP = next(i for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.TEXT)


def at(step: int, answers: dict[str, tuple[str, ...]] | None = None) -> Draft:
    return Draft(step=step, answers=answers or {})


def completed() -> Draft:
    """Return a draft on the review step with the first option of everything chosen."""
    draft = SURVEY.start()
    for question in ANNEX2.questions:
        if question.kind is QuestionKind.SINGLE:
            draft = SURVEY.apply(draft, Choose(draft.step, question.options[0].id))
        elif question.kind is QuestionKind.MULTI:
            draft = SURVEY.apply(draft, Toggle(draft.step, question.options[0].id, selected=True))
            draft = SURVEY.apply(draft, FinishChoices(draft.step))
        else:
            draft = SURVEY.write(draft, "多公开")
    return draft


@pytest.mark.parametrize(("step", "question"), SINGLES, ids=[q.id for _, q in SINGLES])
def test_every_single_choice_option_records_and_advances(step: int, question: Question) -> None:
    """Choosing any option of a single-choice item stores it and moves to the next step."""
    for option in question.options:
        draft = SURVEY.apply(at(step), Choose(step, option.id))
        assert draft.answers[question.id] == (option.id,)
        assert draft.step == step + 1


@pytest.mark.parametrize(("step", "question"), SINGLES, ids=[q.id for _, q in SINGLES])
def test_choosing_again_replaces_the_answer(step: int, question: Question) -> None:
    """Going back and choosing another option keeps only the new one."""
    first = SURVEY.apply(at(step), Choose(step, question.options[0].id))
    again = SURVEY.apply(SURVEY.apply(first, Back(step + 1)), Choose(step, question.options[1].id))
    assert again.answers[question.id] == (question.options[1].id,)


@pytest.mark.parametrize(("step", "question"), MULTIS, ids=[q.id for _, q in MULTIS])
def test_up_to_three_is_enforced(step: int, question: Question) -> None:
    """Three selections are allowed; a fourth raises TooManyChoices and changes nothing."""
    draft = at(step)
    for option in question.options[:3]:
        draft = SURVEY.apply(draft, Toggle(step, option.id, selected=True))
    assert draft.answers[question.id] == tuple(o.id for o in question.options[:3])
    with pytest.raises(TooManyChoices) as refused:
        SURVEY.apply(draft, Toggle(step, question.options[3].id, selected=True))
    assert refused.value.limit == 3
    assert draft.step == step


@pytest.mark.parametrize(("step", "question"), MULTIS, ids=[q.id for _, q in MULTIS])
def test_toggles_are_idempotent_and_keep_form_order(step: int, question: Question) -> None:
    """A doubled 'select' is a no-op; selections are stored in the form's order."""
    last, first = question.options[4].id, question.options[0].id
    draft = SURVEY.apply(at(step), Toggle(step, last, selected=True))
    assert SURVEY.apply(draft, Toggle(step, last, selected=True)) == draft
    draft = SURVEY.apply(draft, Toggle(step, first, selected=True))
    assert draft.answers[question.id] == (first, last)
    draft = SURVEY.apply(draft, Toggle(step, last, selected=False))
    assert draft.answers[question.id] == (first,)


@pytest.mark.parametrize(("step", "question"), MULTIS, ids=[q.id for _, q in MULTIS])
def test_done_needs_one_selection(step: int, question: Question) -> None:
    """完成 with nothing selected is refused; with one it advances."""
    with pytest.raises(NoChoiceMade):
        SURVEY.apply(at(step), FinishChoices(step))
    draft = SURVEY.apply(at(step), Toggle(step, question.options[2].id, selected=True))
    assert SURVEY.apply(draft, FinishChoices(step)).step == step + 1


def test_presses_for_another_step_are_stale() -> None:
    """A button drawn for step 3 does nothing once the draft is on step 4 (a double tap)."""
    with pytest.raises(StaleStep):
        SURVEY.apply(at(4), Choose(3, "a"))
    with pytest.raises(StaleStep):
        SURVEY.apply(at(0), Back(0))
    with pytest.raises(StaleStep):
        SURVEY.apply(at(4), Revise(2))  # revising is only offered on the review


@pytest.mark.parametrize(
    "press",
    [Choose(0, "nope"), Toggle(0, "leader", selected=True), FinishChoices(0), SkipText(0)],
)
def test_presses_that_do_not_fit_the_question_are_refused(press: Press) -> None:
    """An option or action the current question does not have raises UnknownOption."""
    with pytest.raises(UnknownOption):
        SURVEY.apply(at(0), press)


def test_text_step_takes_text_or_skip() -> None:
    """The suggestion is trimmed, limited to 1,000 characters, and may be skipped."""
    draft = at(TEXT_STEP)
    assert SURVEY.write(draft, "  建议  ").suggestion == "建议"
    assert SURVEY.write(draft, "x" * 1000).suggestion == "x" * 1000
    with pytest.raises(SuggestionTooLong) as refused:
        SURVEY.write(draft, "x" * 1001)
    assert (refused.value.limit, refused.value.length) == (1000, 1001)
    skipped = SURVEY.apply(SURVEY.write(draft, "建议"), Back(TEXT_STEP + 1))
    assert SURVEY.apply(skipped, SkipText(TEXT_STEP)).suggestion is None
    kept = SURVEY.apply(skipped, KeepText(TEXT_STEP))
    assert kept.suggestion == "建议"
    assert kept.step == SURVEY.review_step
    with pytest.raises(NotExpectingText):
        SURVEY.write(at(0), "hello")


def test_revise_from_review_returns_to_review() -> None:
    """Changing one answer from the review goes back to the review, not on through the form."""
    draft = completed()
    assert draft.step == SURVEY.review_step
    editing = SURVEY.apply(draft, Revise(0))
    assert editing.step == 0
    back = SURVEY.apply(editing, Choose(0, "served"))
    assert back.step == SURVEY.review_step
    assert back.answers["category"] == ("served",)
    assert not back.revising


def test_revising_cannot_leave_an_answer_empty() -> None:
    """Unselecting everything while revising, then leaving by 上一题, leads back to that item."""
    draft = completed()
    risks = next(i for i, q in enumerate(ANNEX2.questions) if q.id == "risks")
    draft = SURVEY.apply(draft, Revise(risks))
    chosen = draft.answers["risks"][0]
    draft = SURVEY.apply(draft, Toggle(risks, chosen, selected=False))
    draft = SURVEY.apply(draft, Back(risks))
    draft = SURVEY.apply(draft, Toggle(risks - 1, "e", selected=True))
    draft = SURVEY.apply(draft, FinishChoices(risks - 1))
    assert draft.step == risks
    draft = SURVEY.apply(draft, Toggle(risks, "b", selected=True))
    draft = SURVEY.apply(draft, FinishChoices(risks))
    assert draft.step == SURVEY.review_step
    assert SURVEY.ballot(draft).answers["risks"] == ("b",)


def test_ballot_holds_answers_and_suggestion_only() -> None:
    """A complete draft makes a ballot of its answers and suggestion."""
    ballot = SURVEY.ballot(completed())
    assert set(ballot.answers) == {q.id for q in ANNEX2.questions if q.kind is not QuestionKind.TEXT}
    assert ballot.suggestion == "多公开"
    assert set(ballot.model_dump()) == {"answers", "suggestion", "paper", "spoiled"}
    assert not ballot.paper
    assert ballot.spoiled == ()


def test_incomplete_or_tampered_drafts_cannot_be_submitted() -> None:
    """A missing answer, or more than three picks, raises Incomplete naming the question."""
    draft = completed()
    missing = draft.model_copy(update={"answers": {k: v for k, v in draft.answers.items() if k != "rules"}})
    with pytest.raises(Incomplete) as refused:
        SURVEY.ballot(missing)
    assert ANNEX2.questions[refused.value.question_index].id == "rules"
    greedy = draft.model_copy(update={"answers": {**draft.answers, "risks": ("a", "b", "c", "d")}})
    with pytest.raises(Incomplete):
        SURVEY.ballot(greedy)
    with pytest.raises(StaleStep):
        SURVEY.ballot(at(3))


FOREIGN = "zz"  # an option id no question has
FORWARD = None  # the press that answers the current question, whatever its kind
# Mostly presses that move the form along, so that drafts go deep (to the review, revising,
# back), while every kind of press, stale steps and foreign options keep coming.
KINDS: list[type | None] = [FORWARD] * 6 + [Choose, Toggle, FinishChoices, SkipText, KeepText, Back, Revise]
OFFSETS = [0] * 5 + [-1, 1]
# One press as drawn: its kind, its step relative to the draft's, which option of the current
# question (5: a foreign one), a flag, and a question number for 修改.
PRESS_PARTS = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(OFFSETS),
    st.integers(min_value=0, max_value=5),
    st.booleans(),
    st.integers(min_value=-1, max_value=17),
)
Parts = tuple[type | None, int, int, bool, int]


def _aimed(draft: Draft, parts: Parts) -> Press:
    """Return the press these parts describe, aimed at a step next to the draft's."""
    kind, offset, option, flag, question_index = parts
    step = max(0, draft.step + offset)
    question = SURVEY.current_question(draft)
    options = question.options if question is not None else ()
    option_id = options[option % len(options)].id if options and option < 5 else FOREIGN
    if kind is FORWARD:
        kind = _forward(question, flag)
    if kind is Choose:
        return Choose(step, option_id)
    if kind is Toggle:
        return Toggle(step, option_id, selected=flag)
    if kind is Revise:
        return Revise(question_index)
    assert kind is not None
    return kind(step)  # type: ignore[no-any-return]


def _forward(question: Question | None, flag: bool) -> type:  # noqa: FBT001 - a drawn flag
    """Return the kind of press that answers this question (on the review: revise one)."""
    if question is None:
        return Revise
    if question.kind is QuestionKind.SINGLE:
        return Choose
    if question.kind is QuestionKind.MULTI:
        return Toggle if flag else FinishChoices
    return SkipText


@settings(max_examples=100, deadline=None)
@given(st.lists(PRESS_PARTS, min_size=120, max_size=120))
def test_any_sequence_of_presses_keeps_the_draft_valid(presses: list[Parts]) -> None:
    """Whatever is pressed, in whatever order, no draft ever breaks the form's rules.

    The presses lean towards answering, so most sequences reach the review, revise and go back.
    """
    draft = SURVEY.start()
    for parts in presses:
        try:
            draft = SURVEY.apply(draft, _aimed(draft, parts))
        except SurveyError:
            continue
        assert 0 <= draft.step <= SURVEY.review_step
        for question in ANNEX2.questions:
            chosen = draft.answers.get(question.id, ())
            assert len(chosen) <= question.max_choices
            assert all(question.option(option_id) for option_id in chosen)
        if draft.step == SURVEY.review_step:
            SURVEY.ballot(draft)  # a draft on the review is always complete


def keyed_with_spoiled_rows(spoiled: set[str]) -> Draft:
    """Key a paper form with these rows spoiled and the first option everywhere else."""
    draft = SURVEY.start(paper=True)
    for question in ANNEX2.questions:
        if question.id in spoiled:
            draft = SURVEY.apply(draft, Spoil(draft.step))
        elif question.kind is QuestionKind.SINGLE:
            draft = SURVEY.apply(draft, Choose(draft.step, question.options[0].id))
        elif question.kind is QuestionKind.MULTI:
            draft = SURVEY.apply(draft, Toggle(draft.step, question.options[0].id, selected=True))
            draft = SURVEY.apply(draft, FinishChoices(draft.step))
        else:
            draft = SURVEY.apply(draft, SkipText(draft.step))
    return draft


def test_a_phone_form_has_no_spoiled_rows() -> None:
    """Only a paper form being keyed can have a row keyed as spoiled; a phone's press is refused."""
    with pytest.raises(UnknownOption):
        SURVEY.apply(SURVEY.start(), Spoil(0))


@pytest.mark.parametrize("question_id", ["category", "education", "improve", "risks"])
def test_a_spoiled_row_counts_as_unanswered_for_its_item_only(question_id: str) -> None:
    """Two ticks on a single-choice row or four on 限选三项 (or none): that item is empty, the rest counts."""
    ballot = SURVEY.ballot(keyed_with_spoiled_rows({question_id}))
    assert ballot.paper
    assert ballot.spoiled == (question_id,)
    assert question_id not in ballot.answers
    answered = {q.id for q in ANNEX2.questions if q.kind is not QuestionKind.TEXT} - {question_id}
    assert set(ballot.answers) == answered


def test_a_spoiled_row_can_be_keyed_again_from_the_review() -> None:
    """Revising a spoiled row and choosing an option makes it an answer again, spoiled no more."""
    draft = keyed_with_spoiled_rows({"education", "risks"})
    index = next(i for i, q in enumerate(ANNEX2.questions) if q.id == "education")
    revised = SURVEY.apply(SURVEY.apply(draft, Revise(index)), Choose(index, "b"))
    assert revised.step == SURVEY.review_step
    ballot = SURVEY.ballot(revised)
    assert ballot.spoiled == ("risks",)
    assert ballot.answers["education"] == ("b",)


def test_a_paper_form_keeps_the_up_to_three_rule() -> None:
    """A fourth pick is refused on paper too: the keyer keys that row as spoiled instead."""
    draft = keyed_with_spoiled_rows(set())
    index = next(i for i, q in enumerate(ANNEX2.questions) if q.id == "improve")
    draft = SURVEY.apply(draft, Revise(index))
    for option in ("b", "c"):
        draft = SURVEY.apply(draft, Toggle(index, option, selected=True))
    with pytest.raises(TooManyChoices):
        SURVEY.apply(draft, Toggle(index, "d", selected=True))
    spoiled = SURVEY.apply(draft, Spoil(index))
    assert SURVEY.ballot(spoiled).spoiled == ("improve",)
    with pytest.raises(UnknownOption):  # the suggestion is copied or skipped, never spoiled
        SURVEY.apply(keyed_with_spoiled_rows(set()).model_copy(update={"step": TEXT_STEP}), Spoil(TEXT_STEP))
