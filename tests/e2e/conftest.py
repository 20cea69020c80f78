"""End-to-end fixtures: the local Bot API emulator and the real bot polling it over HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.app import ALLOWED_UPDATES, build
from bot.config import Settings
from bot.pacing import Limits, Pace
from bot.services import Services
from emulator import BotApiEmulator
from emulator.people import Person

ROOT = Path(__file__).resolve().parents[2]
LEADER_ID = 9001
OTHER_LEADER_ID = 9002
ADMIN_ID = 9100
LIVE_INTERVAL = 0.3
QUICK_PACE = 1000
QUICK_LIMITS = Limits(private=Pace(QUICK_PACE, QUICK_PACE))


# The last handler group: python-telegram-bot runs an update's groups one after another, so a
# handler here runs once the bot's own handler of the update has returned.
HANDLED_GROUP = 1_000_000


class RunningBot:
    """The real Application, started and stopped the way run_polling does it."""

    def __init__(self, settings: Settings, emulator: BotApiEmulator, limits: Limits = QUICK_LIMITS) -> None:
        self.settings = settings
        self.emulator = emulator
        self.limits = limits
        self.application: Application | None = None  # type: ignore[type-arg]
        self._services: Services | None = None

    async def start(self) -> None:
        """Build the application and start polling the emulator."""
        application, self._services = build(self.settings, self.limits)
        application.add_handler(TypeHandler(Update, self._report_handled), group=HANDLED_GROUP)
        self.emulator.reports_handled = True
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=2, allowed_updates=ALLOWED_UPDATES)
        await application.start()
        self.application = application

    async def _report_handled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Tell the emulator the bot is done with this update (its handlers ran in the groups before)."""
        self.emulator.report_handled(update.update_id)

    async def stop(self) -> None:
        """Stop polling and close the database, as on a clean shutdown."""
        application = self.application
        if application is None:
            return
        self.application = None
        assert application.updater is not None
        stopping = asyncio.ensure_future(application.updater.stop())
        await asyncio.sleep(0)
        await self.emulator.interrupt_polling()
        await stopping
        await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)

    @property
    def services(self) -> Services:
        """Return the running bot's services (for tests that reach into storage)."""
        assert self._services is not None
        return self._services

    async def restart(self) -> None:
        """Stop the bot and start a fresh application on the same database."""
        await self.stop()
        await self.start()


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
def settings(tmp_path: Path, emulator: BotApiEmulator) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=SecretStr(emulator.token),
        telegram_base_url=emulator.base_url,
        survey_db=tmp_path / "survey.db",
        survey_leaders=frozenset({LEADER_ID, OTHER_LEADER_ID}),
        survey_admins=frozenset({ADMIN_ID}),
        survey_min_group=3,
        survey_live_interval=LIVE_INTERVAL,
    )


@pytest.fixture
def limits() -> Limits:
    """Pace sends quickly (tests/e2e/test_pacing.py runs Telegram's pace, a second an edit in a chat)."""
    return QUICK_LIMITS


@pytest.fixture
async def bot(settings: Settings, emulator: BotApiEmulator, limits: Limits) -> AsyncIterator[RunningBot]:
    running = RunningBot(settings, emulator, limits)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def leader(emulator: BotApiEmulator) -> Person:
    return Person(emulator, LEADER_ID, first_name="组长")


@pytest.fixture
def other_leader(emulator: BotApiEmulator) -> Person:
    return Person(emulator, OTHER_LEADER_ID, first_name="另一组长")


@pytest.fixture
def admin(emulator: BotApiEmulator) -> Person:
    return Person(emulator, ADMIN_ID, first_name="县廉效办")


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
            # The emulator here sets no flood limits; the pace is tested in-process.
            "SURVEY_RATE_LIMITER": "false",
        }
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start `python -m bot`."""
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.folder, env=self.env, stdout=log, stderr=log
            )

    async def run(self, *arguments: str, **changes: str) -> tuple[int, str]:
        """Run `python -m bot ARGUMENTS` to its end with these settings changed; return code and output."""
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *arguments, cwd=self.folder, env={**self.env, **changes},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode is not None
        return process.returncode, output.decode()

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
