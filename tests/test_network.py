"""A lost network is one event: the connection watch and the webhook watch log each change once."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from telegram import WebhookInfo
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.network import Connectivity, WebhookWatch, is_network_failure


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        """Return the time now."""
        return self.now


def test_an_outage_is_logged_when_it_starts_and_when_it_ends(caplog: pytest.LogCaptureFixture) -> None:
    """Many failures make one line; the first answer after them one more, with the length and the count."""
    clock = Clock()
    watch = Connectivity(clock)
    caplog.set_level(logging.INFO, logger="bot.network")
    watch.answered()
    assert caplog.records == []
    for _ in range(18):
        watch.failed(NetworkError("aiohttp.ClientConnectorError: refused"))
        clock.now += 0.7
    assert watch.down
    watch.answered()
    watch.answered()
    assert not watch.down
    assert [r.getMessage() for r in caplog.records] == [
        "Lost the connection to the Bot API (aiohttp.ClientConnectorError: refused); "
        "retrying until it is back",
        "The connection to the Bot API is back after 13 s (18 requests failed meanwhile)",
    ]


def test_only_errors_of_the_network_itself_are_network_failures() -> None:
    """No answer (NetworkError, TimedOut) is one; an answer the Bot API refused (BadRequest) is not."""
    assert is_network_failure(NetworkError("gone"))
    assert is_network_failure(TimedOut())
    assert not is_network_failure(BadRequest("message to edit not found"))
    assert not is_network_failure(ValueError("x"))


class FakeBot:
    """getWebhookInfo answering what the test sets."""

    def __init__(self) -> None:
        self.info = WebhookInfo(
            url="https://example.org/hook", has_custom_certificate=False, pending_update_count=0
        )

    async def get_webhook_info(self) -> WebhookInfo:
        """Return what the test set."""
        return self.info


def info(waiting: int, error_at: int | None, message: str | None = None) -> WebhookInfo:
    return WebhookInfo(
        url="https://example.org/hook",
        has_custom_certificate=False,
        pending_update_count=waiting,
        last_error_date=datetime.fromtimestamp(error_at, UTC) if error_at else None,
        last_error_message=message,
    )


async def test_a_webhook_that_stops_and_resumes_is_logged_once_each(caplog: pytest.LogCaptureFixture) -> None:
    """An old error at start is not news; a new one with updates waiting is; nothing waiting ends it."""
    clock, bot = Clock(), FakeBot()
    watch = WebhookWatch(bot, 60, clock)  # type: ignore[arg-type]
    caplog.set_level(logging.INFO, logger="bot.network")
    bot.info = info(3, 1_000, "Connection refused")  # before this start: not news
    await watch.look()
    bot.info = info(0, 1_000, "Connection refused")
    await watch.look()
    assert caplog.records == []
    for second in (2_000, 2_060, 2_120):
        bot.info = info(4, second, "Connection refused")
        await watch.look()
        clock.now += 60
    bot.info = info(0, 2_120, "Connection refused")
    await watch.look()
    await watch.look()
    assert [r.getMessage() for r in caplog.records] == [
        "Telegram cannot deliver updates to the webhook (Connection refused); "
        "4 waiting, delivered when it can",
        "Telegram delivers to the webhook again after 180 s",
    ]
