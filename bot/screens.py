"""Screens: message text plus buttons, built from the survey state (no Telegram calls)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.callback_data import Action, BeginSurvey, SubmitBallot, SurveyPress, encode
from conversations.engine import (
    Back,
    Choose,
    Draft,
    FinishChoices,
    KeepText,
    Revise,
    SkipText,
    Survey,
    Toggle,
)
from conversations.questionnaire import Question, QuestionKind

_REVISE_PER_ROW = 8


@dataclass(frozen=True, slots=True)
class Button:
    """One inline button."""

    label: str
    action: Action


@dataclass(frozen=True, slots=True)
class Screen:
    """What one message shows: HTML text and rows of buttons."""

    text: str
    rows: tuple[tuple[Button, ...], ...] = ()

    def markup(self) -> InlineKeyboardMarkup | None:
        """Return the Telegram keyboard for the buttons, or None without buttons."""
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b.label, callback_data=encode(b.action)) for b in row]
                for row in self.rows
            ]
        )


def welcome(survey: Survey, window_id: int, unit: str, min_group: int) -> Screen:
    """Return the first screen a participant sees after opening the link."""
    text = texts.WELCOME.format(unit=texts.unit(unit), count=survey.questionnaire.size, min_group=min_group)
    return Screen(text, ((Button(texts.BEGIN, BeginSurvey(window_id)),),))


def step(survey: Survey, window_id: int, unit: str, draft: Draft) -> Screen:
    """Return the screen for the step the draft is on."""
    question = survey.current_question(draft)
    if question is None:
        return _review(survey, window_id, unit, draft)
    header = (
        f"<b>{texts.unit(unit)}</b> · {texts.BRAND}　"
        f"{texts.PROGRESS.format(step=draft.step + 1, total=survey.questionnaire.size)}\n\n"
        f"{_title(question)}\n\n"
    )
    back: tuple[Button, ...] = ()
    if draft.step > 0:
        back = (Button(texts.BACK, SurveyPress(window_id, Back(draft.step))),)
    match question.kind:
        case QuestionKind.SINGLE:
            return _single(window_id, header, question, draft, back)
        case QuestionKind.MULTI:
            return _multi(window_id, header, question, draft, back)
        case QuestionKind.TEXT:
            return _text(window_id, header, question, draft, back)


def _title(question: Question) -> str:
    """Return the section heading and, where it adds something, the item in bold."""
    if question.prompt in question.section:
        return f"<b>{escape(question.section)}</b>"
    return f"{escape(question.section)}\n<b>{escape(question.prompt)}</b>"


def _single(
    window_id: int, header: str, question: Question, draft: Draft, back: tuple[Button, ...]
) -> Screen:
    chosen = draft.answers.get(question.id, ())
    rows = tuple(
        (
            Button(
                f"● {option.label}" if option.id in chosen else option.label,
                SurveyPress(window_id, Choose(draft.step, option.id)),
            ),
        )
        for option in question.options
    )
    return Screen(header + texts.PICK_ONE, rows + ((back,) if back else ()))


def _multi(window_id: int, header: str, question: Question, draft: Draft, back: tuple[Button, ...]) -> Screen:
    chosen = draft.answers.get(question.id, ())
    rows = tuple(
        (
            Button(
                f"✅ {option.label}" if option.id in chosen else option.label,
                SurveyPress(window_id, Toggle(draft.step, option.id, selected=option.id not in chosen)),
            ),
        )
        for option in question.options
    )
    done = Button(
        f"{texts.DONE_CHOICES} ({len(chosen)}/{question.max_choices})",
        SurveyPress(window_id, FinishChoices(draft.step)),
    )
    text = header + texts.PICK_UP_TO.format(limit=question.max_choices, chosen=len(chosen))
    return Screen(text, (*rows, (*back, done)))


def _text(window_id: int, header: str, question: Question, draft: Draft, back: tuple[Button, ...]) -> Screen:
    text = header + texts.TEXT_PROMPT.format(limit=question.max_length)
    if draft.suggestion is None:
        buttons = (*back, Button(texts.SKIP_TEXT, SurveyPress(window_id, SkipText(draft.step))))
        return Screen(text, (buttons,))
    text += "\n\n" + texts.TEXT_GIVEN.format(text=escape(draft.suggestion))
    keep = Button(texts.KEEP_TEXT, SurveyPress(window_id, KeepText(draft.step)))
    clear = Button(texts.CLEAR_TEXT, SurveyPress(window_id, SkipText(draft.step)))
    return Screen(text, ((keep,), (*back, clear)))


def answer_summary(survey: Survey, draft: Draft) -> list[str]:
    """Return one numbered line per question with the answer given."""
    lines = []
    for index, question in enumerate(survey.questionnaire.questions):
        if question.kind is QuestionKind.TEXT:
            value = escape(draft.suggestion) if draft.suggestion else texts.REVIEW_NONE
        else:
            labels = [
                option.label for option in question.options if option.id in draft.answers.get(question.id, ())
            ]
            value = "；".join(escape(label) for label in labels) or texts.REVIEW_NONE
        lines.append(f"{index + 1}. {escape(question.prompt)}：{value}")
    return lines


def _review(survey: Survey, window_id: int, unit: str, draft: Draft) -> Screen:
    text = "\n".join(
        [f"<b>{texts.unit(unit)}</b> · {texts.BRAND}", texts.REVIEW_TITLE, "", *answer_summary(survey, draft)]
    )
    numbers = [
        Button(str(index + 1), SurveyPress(window_id, Revise(index)))
        for index in range(survey.questionnaire.size)
    ]
    revise_rows = tuple(
        tuple(numbers[i : i + _REVISE_PER_ROW]) for i in range(0, len(numbers), _REVISE_PER_ROW)
    )
    last = (
        Button(texts.BACK, SurveyPress(window_id, Back(draft.step))),
        Button(texts.SUBMIT, SubmitBallot(window_id)),
    )
    return Screen(text, (*revise_rows, last))
