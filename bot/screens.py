"""Screens: message text plus buttons, built from the survey state (no Telegram calls)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram._utils.types import JSONDict

from bot import texts
from bot.callback_data import Action, BeginSurvey, PaperPress, SubmitBallot, SubmitPaper, SurveyPress, encode
from bot.texts import Texts
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
from conversations.questionnaire import Question, QuestionKind
from conversations.tally import shown_apart

_REVISE_PER_ROW = 8
# Keyboards kept, newest first: everyone on the same step of a unit is shown the same one.
_KEYBOARDS = 4096


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
        return _keyboard(self.rows)


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard that works out its JSON form once, not on every request that carries it.

    python-telegram-bot's objects cannot be changed once made, so the form stays true; each
    request gets its own outer dict (the rows inside are shared and never changed).
    """

    __slots__ = ("_wire",)

    def __init__(self, rows: list[list[InlineKeyboardButton]]) -> None:
        super().__init__(rows)
        with self._unfrozen():
            self._wire = super().to_dict()

    def to_dict(self, recursive: bool = True) -> JSONDict:  # noqa: FBT001, FBT002 - the library's signature
        """Return the keyboard as the Bot API takes it."""
        return dict(self._wire) if recursive else super().to_dict(recursive=False)


@functools.lru_cache(maxsize=_KEYBOARDS)
def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> Keyboard:
    """Return the keyboard for these rows, made once while it is in use (it cannot be changed)."""
    return Keyboard(
        [[InlineKeyboardButton(b.label, callback_data=encode(b.action)) for b in row] for row in rows]
    )


def welcome(t: Texts, survey: Survey, window_id: int, unit: str, min_group: int) -> Screen:
    """Return the first screen a participant sees after opening the link."""
    text = t.WELCOME.format(
        unit=texts.html(unit),
        count=survey.questionnaire.size,
        min_group=min_group,
        group_min=shown_apart(min_group),
    )
    return Screen(text, ((Button(t.BEGIN, BeginSurvey(window_id)),),))


@dataclass(frozen=True, slots=True)
class _Step:
    """What every question screen is drawn from."""

    t: Texts
    window_id: int
    header: str
    question: Question
    draft: Draft
    back: tuple[Button, ...]
    press: Callable[[Press], Action]

    def spoil(self) -> tuple[tuple[Button, ...], ...]:
        """Return the 本项作废 row on a paper form's choice step (none on a phone's)."""
        if not self.draft.paper:
            return ()
        return ((Button(self.t.SPOIL, self.press(Spoil(self.draft.step))),),)


def presses(window_id: int, draft: Draft) -> Callable[[Press], Action]:
    """Return how a press on this draft's screens is sent: a phone's survey, or a paper form's keying."""
    kind = PaperPress if draft.paper else SurveyPress
    return lambda press: kind(window_id, press)


def step(t: Texts, survey: Survey, window_id: int, unit: str, draft: Draft) -> Screen:
    """Return the screen for the step the draft is on."""
    question = survey.current_question(draft)
    if question is None:
        return _review(t, survey, window_id, unit, draft)
    press = presses(window_id, draft)
    spoiled = f"{t.SPOILED_NOTE}\n" if question.id in draft.spoiled else ""
    header = (
        f"<b>{texts.html(unit)}</b> · {t.PAPER_BRAND if draft.paper else t.BRAND}　"
        f"{t.PROGRESS.format(step=draft.step + 1, total=survey.questionnaire.size)}\n\n"
        f"{_title(question)}\n\n{spoiled}"
    )
    back: tuple[Button, ...] = ()
    if draft.step > 0:
        back = (Button(t.BACK, press(Back(draft.step))),)
    context = _Step(t, window_id, header, question, draft, back, press)
    match question.kind:
        case QuestionKind.SINGLE:
            return _single(context)
        case QuestionKind.MULTI:
            return _multi(context)
        case QuestionKind.TEXT:
            return _text(context)


def _title(question: Question) -> str:
    """Return the section heading and, where it adds something, the item in bold."""
    if question.repeats_section:
        return f"<b>{escape(question.section)}</b>"
    return f"{escape(question.section)}\n<b>{escape(question.prompt)}</b>"


def _single(c: _Step) -> Screen:
    chosen = c.draft.answers.get(c.question.id, ())
    rows = tuple(
        (
            Button(
                f"● {option.label}" if option.id in chosen else option.label,
                c.press(Choose(c.draft.step, option.id)),
            ),
        )
        for option in c.question.options
    )
    return Screen(c.header + c.t.PICK_ONE, (*rows, *c.spoil(), *((c.back,) if c.back else ())))


def _multi(c: _Step) -> Screen:
    chosen = c.draft.answers.get(c.question.id, ())
    rows = tuple(
        (
            Button(
                f"✅ {option.label}" if option.id in chosen else option.label,
                c.press(Toggle(c.draft.step, option.id, selected=option.id not in chosen)),
            ),
        )
        for option in c.question.options
    )
    done = Button(
        c.t.DONE_CHOICES.format(chosen=len(chosen), limit=c.question.max_choices),
        c.press(FinishChoices(c.draft.step)),
    )
    text = c.header + c.t.PICK_UP_TO.format(limit=c.question.max_choices, chosen=len(chosen))
    return Screen(text, (*rows, *c.spoil(), (*c.back, done)))


def _text(c: _Step) -> Screen:
    text = c.header + c.t.TEXT_PROMPT.format(limit=c.question.max_length)
    skip = c.press(SkipText(c.draft.step))
    if c.draft.suggestion is None:
        return Screen(text, ((*c.back, Button(c.t.SKIP_TEXT, skip)),))
    text += "\n\n" + c.t.TEXT_GIVEN.format(text=escape(c.draft.suggestion))
    keep = Button(c.t.KEEP_TEXT, c.press(KeepText(c.draft.step)))
    return Screen(text, ((keep,), (*c.back, Button(c.t.CLEAR_TEXT, skip))))


def answer_summary(t: Texts, survey: Survey, draft: Draft) -> list[str]:
    """Return one numbered line per question with the answer given."""
    lines = []
    for index, question in enumerate(survey.questionnaire.questions):
        if question.kind is QuestionKind.TEXT:
            value = escape(draft.suggestion) if draft.suggestion else t.REVIEW_NONE
        elif question.id in draft.spoiled:
            value = t.REVIEW_SPOILED
        else:
            labels = [
                option.label for option in question.options if option.id in draft.answers.get(question.id, ())
            ]
            value = t.LIST_SEPARATOR.join(escape(label) for label in labels) or t.REVIEW_NONE
        lines.append(t.REVIEW_LINE.format(number=index + 1, prompt=escape(question.prompt), value=value))
    return lines


def _review(t: Texts, survey: Survey, window_id: int, unit: str, draft: Draft) -> Screen:
    brand, title = (t.PAPER_BRAND, t.PAPER_REVIEW_TITLE) if draft.paper else (t.BRAND, t.REVIEW_TITLE)
    text = "\n".join([f"<b>{texts.html(unit)}</b> · {brand}", title, "", *answer_summary(t, survey, draft)])
    press = presses(window_id, draft)
    numbers = [Button(str(index + 1), press(Revise(index))) for index in range(survey.questionnaire.size)]
    revise_rows = tuple(
        tuple(numbers[i : i + _REVISE_PER_ROW]) for i in range(0, len(numbers), _REVISE_PER_ROW)
    )
    submit = (
        Button(t.PAPER_SUBMIT, SubmitPaper(window_id))
        if draft.paper
        else Button(t.SUBMIT, SubmitBallot(window_id))
    )
    last = (Button(t.BACK, press(Back(draft.step))), submit)
    return Screen(text, (*revise_rows, last))
