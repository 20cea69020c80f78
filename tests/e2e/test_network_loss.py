"""The Bot API unreachable for a while: one line when the connection goes, one when it is back."""

from __future__ import annotations

import asyncio
import re
import signal
from pathlib import Path

from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import BotProcess
from tests.e2e.test_webhook import free_port, serving, webhook_env

OFFLINE_SECONDS = 12.0  # as the issue measured it


async def test_a_lost_network_is_one_event_in_the_log_not_a_flood(
    bot_process: BotProcess, emulator: BotApiEmulator, leader: Person
) -> None:
    """12 s without the Bot API, while a leader writes: two readable lines, no traceback, no ERROR.

    Issue 20, trap 12: the same 12 s grew the log by 559 lines with 18 tracebacks and 6 ERROR
    lines. The message sent while the network was gone is answered once it is back.
    """
    hello = await leader.send("/units")
    assert hello is not None
    before = bot_process.log.read_text(encoding="utf-8")
    await emulator.go_offline()
    waiting = asyncio.ensure_future(leader.send("/units"))  # queued at Telegram while the bot is cut off
    await asyncio.sleep(OFFLINE_SECONDS)
    emulator.go_online()
    answered = await asyncio.wait_for(waiting, 60)
    assert answered is not None
    assert "您还没有开启任何测评" in answered.text
    await asyncio.sleep(1)
    assert await bot_process.signal(signal.SIGTERM) == 0
    during = bot_process.log.read_text(encoding="utf-8")[len(before) :]
    lines = [line for line in during.splitlines() if line.strip()]
    lost = [line for line in lines if "Lost the connection to the Bot API" in line]
    back = [line for line in lines if "The connection to the Bot API is back" in line]
    assert len(lost) == 1, during
    assert len(back) == 1, during
    found = re.search(r"after (\d+) s \((\d+) requests failed meanwhile\)", back[0])
    assert found is not None, back[0]
    assert OFFLINE_SECONDS - 1 <= int(found[1]) <= OFFLINE_SECONDS + 30
    assert int(found[2]) >= 1
    assert "Traceback" not in during
    assert " ERROR " not in during
    assert len(lines) <= 6, during  # the two lines, and the stop's own
    assert emulator.token not in during


async def test_a_webhook_whose_deliveries_stop_is_one_event_in_the_log(
    emulator: BotApiEmulator, tmp_path: Path, leader: Person
) -> None:
    """Telegram cannot reach the webhook for a while: one line when it stops, one when it delivers again."""
    process = BotProcess(emulator, tmp_path)
    port = free_port()
    process.env |= webhook_env(port) | {"TELEGRAM_WEBHOOK_CHECK": "1"}
    await process.start()
    try:
        await serving(port)
        hello = await leader.send("/units")
        assert hello is not None
        await asyncio.sleep(1.5)  # a first look at the webhook, all delivered
        emulator.webhook.unreachable = True
        waiting = asyncio.ensure_future(leader.send("/units"))  # waits at Telegram
        await asyncio.sleep(OFFLINE_SECONDS / 2)
        emulator.webhook.unreachable = False
        answered = await asyncio.wait_for(waiting, 60)
        assert answered is not None
        await asyncio.sleep(2)  # the next look sees nothing waiting
        assert await process.signal(signal.SIGTERM) == 0
    finally:
        if process.process is not None:
            await process.signal(signal.SIGKILL)
    log = process.log.read_text(encoding="utf-8")
    stopped = [line for line in log.splitlines() if "Telegram cannot deliver updates to the webhook" in line]
    again = [line for line in log.splitlines() if "Telegram delivers to the webhook again after" in line]
    assert len(stopped) == 1, log
    assert "(Connection refused); 1 waiting" in stopped[0]
    assert len(again) == 1, log
    assert "Traceback" not in log
    assert " ERROR " not in log
