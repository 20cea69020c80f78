"""Webhook mode: `python -m bot` serves TELEGRAM_WEBHOOK_URL; the emulator POSTs updates to it."""

from __future__ import annotations

import asyncio
import signal
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import LEADER_ID, BotProcess
from tests.e2e.flows import short_briefing

SECRET = "webhook-secret_0123456789"


def free_port() -> int:
    """Return a loopback port nobody listens on (for the bot's webhook server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_env(port: int) -> dict[str, str]:
    """Return the settings of a bot serving its webhook on this loopback port."""
    return {
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/updates",
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": str(port),
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }


async def serving(port: int) -> None:
    """Wait (up to 30 s) until the bot's webhook server accepts connections on this port."""
    deadline = time.monotonic() + 30
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on {port}"
            await asyncio.sleep(0.1)
        else:
            writer.close()
            return


@pytest.fixture
async def webhook_bot(emulator: BotApiEmulator, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(emulator, tmp_path)
    port = free_port()
    process.env |= webhook_env(port)
    await process.start()
    await serving(port)
    yield process
    if process.process is not None:
        await process.signal(signal.SIGKILL)


async def test_a_briefing_by_webhook(
    webhook_bot: BotProcess, emulator: BotApiEmulator, leader: Person
) -> None:
    """Every update arrives by POST with the secret; the bot never polls; SIGTERM stops it cleanly."""
    await short_briefing(leader, [Person(emulator, 800 + n) for n in range(3)])
    (registered,) = emulator.calls("setWebhook")
    assert registered.params["url"] == webhook_bot.env["TELEGRAM_WEBHOOK_URL"]
    assert registered.params["secret_token"] == SECRET
    assert "callback_query" in registered.params["allowed_updates"]
    assert not emulator.polling.is_set()  # no getUpdates at all
    assert emulator.world.confirmed_offset > 30  # the briefing's updates, each delivered
    assert set(emulator.webhook.statuses) == {200}
    assert await webhook_bot.signal(signal.SIGTERM) == 0
    log = webhook_bot.log.read_text(encoding="utf-8")
    assert "Serving the webhook http://127.0.0.1" in log
    assert SECRET not in log
    assert emulator.token not in log


async def test_requests_without_the_secret_are_refused_and_logged_without_their_body(
    webhook_bot: BotProcess, emulator: BotApiEmulator, leader: Person
) -> None:
    """No header or a wrong one: 403, nothing happens, one warning each that holds no update content."""
    forged = {"update_id": 10_000, "message": leader.message_json("/open 伪造单位")}
    assert await emulator.webhook.post(forged, secret=None) == 403
    assert await emulator.webhook.post(forged, secret="guessed-secret") == 403
    units = await leader.send("/units")  # delivered by the emulator, with the secret
    assert units is not None
    assert "伪造单位" not in units.text
    assert not any("伪造单位" in message.text for message in leader.messages)
    assert await webhook_bot.signal(signal.SIGTERM) == 0
    log = webhook_bot.log.read_text(encoding="utf-8")
    refusals = [line for line in log.splitlines() if "Refused a webhook request" in line]
    assert len(refusals) == 2, log
    assert "did not include the secret token" in refusals[0]
    assert "wrong secret token" in refusals[1]
    for text in ("伪造单位", "guessed-secret", str(LEADER_ID), "update_id"):
        assert text not in log


async def test_polling_after_webhook_mode_removes_the_webhook(
    webhook_bot: BotProcess, emulator: BotApiEmulator, leader: Person
) -> None:
    """Back to polling (TELEGRAM_WEBHOOK_URL removed): the bot deletes the webhook and polls."""
    assert await leader.send("/units") is not None  # up and serving
    assert await webhook_bot.signal(signal.SIGTERM) == 0
    for name in ("TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_PORT", "TELEGRAM_WEBHOOK_SECRET"):
        del webhook_bot.env[name]
    await webhook_bot.start()
    await emulator.wait_for(emulator.polling.is_set, timeout=30)
    assert emulator.webhook.url == ""
    assert await leader.send("/units") is not None
