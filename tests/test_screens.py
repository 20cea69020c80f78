"""Keyboards are made once per distinct screen, and the Bot API receives exactly what it did before."""

from __future__ import annotations

import json

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.request._requestparameter import RequestParameter

from bot import screens
from bot.callback_data import encode
from bot.texts import EN, ZH, Texts
from conversations.annex2 import ANNEX2
from conversations.engine import Draft, Survey
from conversations.questionnaire import QuestionKind

SURVEY = Survey(ANNEX2)
QUESTIONS = ANNEX2.questions
MULTI = next(i for i, q in enumerate(QUESTIONS) if q.kind is QuestionKind.MULTI)
TEXT = next(i for i, q in enumerate(QUESTIONS) if q.kind is QuestionKind.TEXT)
FIRST = QUESTIONS[0]
DRAFTS = {
    "first step": Draft(step=0),
    "single, answered": Draft(step=1, answers={FIRST.id: (FIRST.options[0].id,)}),
    "multi, two chosen": Draft(
        step=MULTI, answers={QUESTIONS[MULTI].id: tuple(o.id for o in QUESTIONS[MULTI].options[:2])}
    ),
    "text, none given": Draft(step=TEXT),
    "text, given": Draft(step=TEXT, suggestion="加强公开 <b>&"),
    "review": Draft(step=len(QUESTIONS), answers={FIRST.id: (FIRST.options[1].id,)}),
    "paper form": Draft(step=1, paper=True, spoiled=(FIRST.id,)),
}


def _wire(markup: InlineKeyboardMarkup | None) -> object:
    """Return the keyboard as the request to the Bot API carries it."""
    return json.loads(RequestParameter.from_input("reply_markup", markup).json_value or "null")


def _plain(screen: screens.Screen) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(b.label, callback_data=encode(b.action)) for b in row] for row in screen.rows
    ]
    return InlineKeyboardMarkup(rows)


@pytest.mark.parametrize("name", list(DRAFTS))
@pytest.mark.parametrize("t", [ZH, EN], ids=["zh", "en"])
def test_the_bot_api_receives_the_keyboard_it_always_did(name: str, t: Texts) -> None:
    screen = screens.step(t, SURVEY, 7, "县财政局", DRAFTS[name])
    markup = screen.markup()
    assert markup is not None
    assert _wire(markup) == _wire(_plain(screen))
    assert markup.to_dict(recursive=False) == _plain(screen).to_dict(recursive=False)


def test_a_screen_shown_again_reuses_its_keyboard_and_another_gets_its_own() -> None:
    """Everyone on the same step of a unit shares one keyboard; a choice or another unit changes it."""
    draft = DRAFTS["multi, two chosen"]
    shown = screens.step(ZH, SURVEY, 7, "县财政局", draft).markup()
    assert screens.step(ZH, SURVEY, 7, "县财政局", draft.model_copy()).markup() is shown
    one_chosen = draft.model_copy(
        update={"answers": {QUESTIONS[MULTI].id: (QUESTIONS[MULTI].options[0].id,)}}
    )
    assert _wire(screens.step(ZH, SURVEY, 7, "县财政局", one_chosen).markup()) != _wire(shown)
    assert _wire(screens.step(ZH, SURVEY, 8, "县财政局", draft).markup()) != _wire(shown)


def test_what_one_request_does_with_the_keyboard_leaves_the_next_alone() -> None:
    markup = screens.step(ZH, SURVEY, 7, "县财政局", DRAFTS["review"]).markup()
    assert markup is not None
    before = _wire(markup)
    markup.to_dict()["inline_keyboard"] = []
    assert _wire(markup) == before


def test_a_screen_without_buttons_has_no_keyboard() -> None:
    assert screens.Screen("谢谢").markup() is None
