"""End-to-end fixtures: the local Bot API emulator and the real bot polling it over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from emulator import BotApiEmulator
from emulator.people import Person

LEADER_ID = 9001
OTHER_LEADER_ID = 9002
ADMIN_ID = 9100
LIVE_INTERVAL = 0.3


class RunningBot:
    """The real Application, started and stopped the way run_polling does it."""

    def __init__(self, settings: Settings, emulator: BotApiEmulator) -> None:
        self.settings = settings
        self.emulator = emulator
        self.application: Application | None = None  # type: ignore[type-arg]

    async def start(self) -> None:
        """Build the application and start polling the emulator."""
        application = build_application(self.settings)
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=2, allowed_updates=ALLOWED_UPDATES)
        await application.start()
        self.application = application

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
async def bot(settings: Settings, emulator: BotApiEmulator) -> AsyncIterator[RunningBot]:
    running = RunningBot(settings, emulator)
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
