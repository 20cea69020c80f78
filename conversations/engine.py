"""The survey step engine: pure functions from (draft, press) to the next draft."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from conversations.errors import (
    Incomplete,
    NoChoiceMade,
    NotExpectingText,
    StaleStep,
    SuggestionTooLong,
    TooManyChoices,
    UnknownOption,
)
from conversations.questionnaire import Frozen, Question, QuestionKind, Questionnaire
from conversations.steps import Position, Steps

Answers = dict[str, tuple[str, ...]]


class Draft(Position):
    """A respondent's progress: the step they are on and what they answered so far.

    Steps 0 … size-1 are the questions; step `size` is the review before submitting. A paper
    form being keyed in (`paper`) may have spoiled rows: ticked more than the row allows, or not
    at all; they are recorded as such instead of an answer.
    """

    answers: Answers = Field(default_factory=dict)
    suggestion: str | None = None
    paper: bool = False
    spoiled: tuple[str, ...] = ()


class Ballot(Frozen):
    """What is stored of a submitted form: the answers and the suggestion, nothing else.

    A ballot keyed in from paper says so (for the split 共 N 份，其中纸质 M 份) and names its spoiled
    rows, which count as unanswered for their item; nothing says who keyed it or when.
    """

    answers: Answers
    suggestion: str | None = None
    paper: bool = False
    spoiled: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Choose:
    """Pick the one option of a single-choice step."""

    step: int
    option_id: str


@dataclass(frozen=True, slots=True)
class Toggle:
    """Select (or unselect) one option of a choose-up-to-N step; idempotent."""

    step: int
    option_id: str
    selected: bool


@dataclass(frozen=True, slots=True)
class ChooseSet:
    """Answer a choose-up-to-N step with exactly these options and move on (a page of checkboxes)."""

    step: int
    option_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FinishChoices:
    """Leave a choose-up-to-N step with the current selection."""

    step: int


@dataclass(frozen=True, slots=True)
class SkipText:
    """Leave the free-text step without a suggestion (clears one given earlier)."""

    step: int


@dataclass(frozen=True, slots=True)
class KeepText:
    """Leave the free-text step keeping the suggestion already given."""

    step: int


@dataclass(frozen=True, slots=True)
class Back:
    """Return to the previous step."""

    step: int


@dataclass(frozen=True, slots=True)
class Revise:
    """From the review, go to one question to change its answer."""

    question_index: int


@dataclass(frozen=True, slots=True)
class Spoil:
    """Key a paper form's row as spoiled: two ticks on a single-choice row, four on 限选三项, or none."""

    step: int


Press = Choose | Toggle | ChooseSet | FinishChoices | SkipText | KeepText | Back | Revise | Spoil


class Survey:
    """Apply presses and text to drafts of one questionnaire."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self.steps = Steps(questionnaire.size)
        self.review_step = self.steps.review

    def start(self, *, paper: bool = False) -> Draft:
        """Return a fresh draft on the first question (`paper`: a paper form being keyed in)."""
        return Draft(paper=paper)

    def current_question(self, draft: Draft) -> Question | None:
        """Return the question the draft is on, or None on the review step."""
        if draft.step >= self.review_step:
            return None
        return self.questionnaire.questions[draft.step]

    def apply(self, draft: Draft, press: Press) -> Draft:  # noqa: PLR0911 - one return per press kind
        """Return the draft after a button press; raise a SurveyError to refuse it."""
        if isinstance(press, Revise):
            return self.steps.revise(draft, press.question_index)
        if isinstance(press, Back):
            return self.steps.back(draft, press.step)
        self.steps.at(draft, press.step)
        question = self.current_question(draft)
        if question is None:
            raise StaleStep
        match press:
            case Choose(option_id=option_id):
                return self._choose(draft, question, option_id)
            case Toggle(option_id=option_id, selected=selected):
                return self._toggle(draft, question, option_id, selected=selected)
            case ChooseSet(option_ids=option_ids):
                return self._choose_set(draft, question, option_ids)
            case FinishChoices():
                return self._finish_choices(draft, question)
            case SkipText():
                return self._leave_text(draft, question, keep=False)
            case KeepText():
                return self._leave_text(draft, question, keep=True)
            case Spoil():
                return self._spoil(draft, question)

    def write(self, draft: Draft, text: str) -> Draft:
        """Return the draft with the free-text answer set; refuse text off that step."""
        question = self.current_question(draft)
        if question is None or question.kind is not QuestionKind.TEXT:
            raise NotExpectingText
        cleaned = text.strip()
        if len(cleaned) > question.max_length:
            raise SuggestionTooLong(question.max_length, len(cleaned))
        return self._advance(draft.model_copy(update={"suggestion": cleaned or None}))

    def ballot(self, draft: Draft) -> Ballot:
        """Return the ballot a complete draft makes; raise Incomplete otherwise."""
        if draft.step != self.review_step:
            raise StaleStep
        answers: Answers = {}
        for index, question in enumerate(self.questionnaire.questions):
            if question.kind is QuestionKind.TEXT:
                continue
            chosen = draft.answers.get(question.id, ())
            valid = all(question.option(option_id) for option_id in chosen)
            spoiled = question.id in draft.spoiled
            if (
                not valid
                or len(chosen) > question.max_choices
                or (question.required and not chosen and not spoiled)
            ):
                raise Incomplete(index)
            if chosen:
                answers[question.id] = chosen
        spoiled_rows = tuple(q.id for q in self.questionnaire.questions if q.id in draft.spoiled)
        return Ballot(answers=answers, suggestion=draft.suggestion, paper=draft.paper, spoiled=spoiled_rows)

    def _advance(self, draft: Draft) -> Draft:
        return self.steps.advance(draft, self._first_missing(draft))

    def _first_missing(self, draft: Draft) -> int | None:
        for index, question in enumerate(self.questionnaire.questions):
            if question.required and not draft.answers.get(question.id) and question.id not in draft.spoiled:
                return index
        return None

    def _choose(self, draft: Draft, question: Question, option_id: str) -> Draft:
        if question.kind is not QuestionKind.SINGLE or question.option(option_id) is None:
            raise UnknownOption
        answers = {**draft.answers, question.id: (option_id,)}
        return self._advance(_unspoiled(draft.model_copy(update={"answers": answers}), question))

    def _spoil(self, draft: Draft, question: Question) -> Draft:
        """Record the row as spoiled (its answer cleared) and go on; only a paper form has such rows."""
        if not draft.paper or question.kind is QuestionKind.TEXT:
            raise UnknownOption
        answers = {k: v for k, v in draft.answers.items() if k != question.id}
        spoiled = (*(q for q in draft.spoiled if q != question.id), question.id)
        return self._advance(draft.model_copy(update={"answers": answers, "spoiled": spoiled}))

    def _toggle(self, draft: Draft, question: Question, option_id: str, *, selected: bool) -> Draft:
        if question.kind is not QuestionKind.MULTI or question.option(option_id) is None:
            raise UnknownOption
        chosen = draft.answers.get(question.id, ())
        if selected == (option_id in chosen):
            return draft  # a doubled press: already in the asked-for state
        if selected and len(chosen) >= question.max_choices:
            raise TooManyChoices(question.max_choices)
        wanted = set(chosen) ^ {option_id}
        # keep the form's option order, whatever order the presses came in
        ordered = tuple(option.id for option in question.options if option.id in wanted)
        return _unspoiled(
            draft.model_copy(update={"answers": {**draft.answers, question.id: ordered}}), question
        )

    def _choose_set(self, draft: Draft, question: Question, option_ids: tuple[str, ...]) -> Draft:
        if question.kind is not QuestionKind.MULTI or any(question.option(o) is None for o in option_ids):
            raise UnknownOption
        wanted = set(option_ids)
        if len(wanted) > question.max_choices:
            raise TooManyChoices(question.max_choices)
        if not wanted:
            raise NoChoiceMade
        ordered = tuple(option.id for option in question.options if option.id in wanted)
        answers = {**draft.answers, question.id: ordered}
        return self._advance(_unspoiled(draft.model_copy(update={"answers": answers}), question))

    def _finish_choices(self, draft: Draft, question: Question) -> Draft:
        if question.kind is not QuestionKind.MULTI:
            raise UnknownOption
        if not draft.answers.get(question.id):
            raise NoChoiceMade
        return self._advance(draft)

    def _leave_text(self, draft: Draft, question: Question, *, keep: bool) -> Draft:
        if question.kind is not QuestionKind.TEXT:
            raise UnknownOption
        if keep and draft.suggestion is None:
            raise StaleStep
        suggestion = draft.suggestion if keep else None
        return self._advance(draft.model_copy(update={"suggestion": suggestion}))


def _unspoiled(draft: Draft, question: Question) -> Draft:
    """Return the draft with the row no longer spoiled: an answer was given to it after all."""
    if question.id not in draft.spoiled:
        return draft
    return draft.model_copy(update={"spoiled": tuple(q for q in draft.spoiled if q != question.id)})
