"""`python -m bot` as its own process: killed mid-survey, restarted, nothing lost, nothing leaked."""

from __future__ import annotations

import signal

from conversations.annex2 import ANNEX2
from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import LEADER_ID, BotProcess
from tests.e2e.flows import answer_step, begin, open_unit, varied_answers

PARTICIPANT_ID = 777_000_123


async def test_killed_mid_survey_resumes_and_logs_nothing_personal(
    bot_process: BotProcess, emulator: BotApiEmulator, leader: Person
) -> None:
    """SIGKILL mid-survey, restart: the same message carries on; the log holds no id or token."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, PARTICIPANT_ID)
    answers = varied_answers(1)
    survey = await begin(person, token)
    for index in range(5):
        survey = await answer_step(person, survey, index, answers)
    assert await bot_process.signal(signal.SIGKILL) == -signal.SIGKILL
    await bot_process.start()
    for index in range(5, ANNEX2.size):
        survey = await answer_step(person, survey, index, answers)
    await person.press(survey, "提交")
    assert "感谢参加民主测评" in survey.text
    tally = await leader.send("/tally")
    assert tally is not None
    assert "已收到答卷：1 份" in tally.text
    assert await bot_process.signal(signal.SIGTERM) == 0
    log = bot_process.log.read_text(encoding="utf-8")
    assert "The bot is running as @survey_test_bot" in log
    assert emulator.token not in log
    assert str(PARTICIPANT_ID) not in log
    commands = emulator.world.commands
    assert "open" in [c["command"] for c in commands[f"chat:{LEADER_ID}"]]
    assert "open" not in [c["command"] for c in commands["default"]]
