"""The default pace against Telegram's flood limits: quick taps, 429s in one chat, nothing lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import TELEGRAM_LIMITS
from bot.pacing import Limits
from bot.texts import ZH
from conversations.annex2 import ANNEX2
from conversations.engine import Choose
from conversations.questionnaire import QuestionKind
from emulator import ApiError, BotApiEmulator, BotMessage
from emulator.flood import FloodRules
from emulator.people import Person
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import begin, open_unit
from usecases.participation import Account

FIRST_MULTI = next(i for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.MULTI)


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """Start an emulator that refuses what Telegram would refuse (per chat, with retry_after)."""
    emulator = BotApiEmulator(flood=FloodRules())
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
def limits() -> Limits:
    """Use Telegram's pace, the default, not the quick one the other end-to-end tests use."""
    return TELEGRAM_LIMITS


async def _at_first_multi_choice(bot: RunningBot, person: Person, token: str) -> BotMessage:
    """Store a draft that has reached the first choose-up-to-three item; reopen the link."""
    services = bot.services
    window = await services.repository.window_by_token(token)
    assert window is not None
    draft = services.survey.start()
    for question in ANNEX2.questions[:FIRST_MULTI]:
        draft = services.survey.apply(draft, Choose(draft.step, question.options[0].id))
    key = services.participation.key(window.id, Account(person.user_id))
    await services.repository.save_draft(key, window.id, draft)
    resumed = await person.send(f"/start {token}")
    assert resumed is not None
    assert ZH.PROGRESS.format(step=FIRST_MULTI + 1, total=16) in resumed.text
    return resumed


async def test_taps_faster_than_the_pace_end_on_the_last_screen(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Three ticks in a third of a second: each answered at once, fewer redraws, the last one shown."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 21)
    survey = await _at_first_multi_choice(bot, person, token)
    picks = [survey.button(label).callback_data or "" for label in survey.labels()[:3]]
    answers = []
    for data in picks:
        answers.append(await person.press_data(survey, data, settle=False))
        await asyncio.sleep(0.1)
    assert all(not answer.get("text") for answer in answers)  # counted, none refused
    three = ZH.PICK_UP_TO.format(limit=3, chosen=3)
    await emulator.wait_chat(person.user_id, lambda: three in survey.text, timeout=10)
    assert sum(label.startswith("✅") for label in survey.labels()) == 3
    assert survey.edits < len(picks)  # intermediate screens skipped
    await asyncio.sleep(1.5)  # nothing older arrives afterwards
    assert three in survey.text
    assert emulator.rejected == []


async def test_a_429_in_one_chat_does_not_hold_back_another(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """One person's redraw is refused for 3 s: another's arrives meanwhile; the first follows."""
    token = await open_unit(leader, "县财政局")
    held, other = Person(emulator, 22), Person(emulator, 23)
    held_survey, other_survey = await begin(held, token), await begin(other, token)
    emulator.failures["editMessageText"] = [ApiError(429, "Too Many Requests: retry after 3", retry_after=3)]
    data = held_survey.button(held_survey.labels()[0]).callback_data or ""
    await held.press_data(held_survey, data, settle=False)  # answered; the redraw's handler waits 3 s
    assert ZH.PROGRESS.format(step=1, total=16) in held_survey.text  # refused: still the old screen
    await other.press(other_survey, other_survey.labels()[0])
    assert ZH.PROGRESS.format(step=2, total=16) in other_survey.text
    assert ZH.PROGRESS.format(step=1, total=16) in held_survey.text  # still held back
    await emulator.wait_chat(
        held.user_id, lambda: ZH.PROGRESS.format(step=2, total=16) in held_survey.text, timeout=10
    )
