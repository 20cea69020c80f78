"""`python -m bot` as its own process: killed mid-survey, restarted, nothing lost, nothing leaked."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from conversations.annex2 import ANNEX2
from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import LEADER_ID
from tests.e2e.flows import answer_step, begin, open_unit, varied_answers

ROOT = Path(__file__).resolve().parents[2]
PARTICIPANT_ID = 777_000_123


class BotProcess:
    """The bot started the way the README starts it, logging to a file."""

    def __init__(self, emulator: BotApiEmulator, folder: Path) -> None:
        self.emulator = emulator
        self.folder = folder
        self.log = folder / "bot.log"
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SURVEY_"))}
        self.env = {
            **clean,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_BASE_URL": emulator.base_url,
            "SURVEY_DB": str(folder / "survey.db"),
            "SURVEY_LEADERS": str(LEADER_ID),
        }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start `python -m bot`."""
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.folder, env=self.env, stdout=log, stderr=log
            )

    async def signal(self, number: int) -> int:
        """Send a signal and return the exit code."""
        assert self.process is not None
        self.process.send_signal(number)
        await asyncio.sleep(0.2)
        await self.emulator.interrupt_polling()  # end the long poll instead of waiting it out
        code = await asyncio.wait_for(self.process.wait(), 30)
        self.process = None
        return code


@pytest.fixture
async def bot_process(emulator: BotApiEmulator, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(emulator, tmp_path)
    await process.start()
    yield process
    if process.process is not None:
        await process.signal(signal.SIGKILL)


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
