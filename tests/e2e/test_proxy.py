"""Every Bot API request through TELEGRAM_PROXY: a briefing through an HTTP and a SOCKS5 proxy."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.config import Settings
from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import QUICK_LIMITS, RunningBot
from tests.e2e.flows import short_briefing
from tests.e2e.proxies import HttpProxy, LoopbackProxy, Socks5hProxy, Socks5Proxy


@pytest.fixture(params=[HttpProxy, Socks5Proxy, Socks5hProxy], ids=["http", "socks5", "socks5h"])
async def proxy(request: pytest.FixtureRequest) -> AsyncIterator[LoopbackProxy]:
    server: LoopbackProxy = request.param()
    await server.start()
    yield server
    await server.stop()


async def test_a_briefing_through_a_proxy_sends_every_request_through_it(
    settings: Settings, emulator: BotApiEmulator, proxy: LoopbackProxy, leader: Person
) -> None:
    """Polling, answers, edits, photos, the close: the emulator hears only from the proxy."""
    proxied = settings.model_copy(update={"telegram_proxy": SecretStr(proxy.url)})
    if isinstance(proxy, Socks5hProxy):  # a name for the proxy to resolve
        base_url = settings.telegram_base_url.replace("127.0.0.1", "localhost")
        proxied = proxied.model_copy(update={"telegram_base_url": base_url})
    bot = RunningBot(proxied, emulator, QUICK_LIMITS)
    await bot.start()
    try:
        await short_briefing(leader, [Person(emulator, 700 + n) for n in range(3)])
    finally:
        await bot.stop()
    methods = {call.method for call in emulator.world.calls}
    assert {"getMe", "sendMessage", "sendPhoto", "editMessageText", "answerCallbackQuery"} <= methods
    assert emulator.polling.is_set()  # getUpdates too
    assert len(emulator.client_ports) > len(emulator.world.calls) / 2
    assert set(emulator.client_ports) <= proxy.upstream_ports  # every request came from the proxy
    assert proxy.targets == ({"localhost"} if isinstance(proxy, Socks5hProxy) else {"127.0.0.1"})
