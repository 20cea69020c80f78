"""Whether the Bot API answers, and Telegram delivers: a lost network is one event in the log, not a flood.

Every request to the Bot API (polling, sends, edits) goes through one `WatchedRequest`, which
tells a shared `Connectivity` whether the request reached Telegram. The first failure logs one
warning; further failures while the connection is down log nothing; the first answer after it
logs one line with how long it was down and how many requests failed meanwhile. The handlers'
own network errors are then expected and logged without a traceback (`bot/general.py`).

A webhook's deliveries come the other way: `WebhookWatch` looks at getWebhookInfo now and then
and logs one line when Telegram starts failing to deliver (updates waiting, a new delivery
error) and one when everything waiting was delivered again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from telegram import Bot
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

logger = logging.getLogger(__name__)
_POOL_TIMEOUT = "Pool timeout"  # our own pool was full: the request was never sent (bot/transport.py)


class Connectivity:
    """Note when requests stop reaching the Bot API and when they reach it again; log each once."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.down_since: float | None = None
        self.failures = 0

    @property
    def down(self) -> bool:
        """Return True while the last request failed on the network."""
        return self.down_since is not None

    def failed(self, error: NetworkError) -> None:
        """Note a request that did not reach the Bot API: the first one of an outage is logged."""
        self.failures += 1
        if self.down_since is None:
            self.down_since = self.clock()
            logger.warning(
                "Lost the connection to the Bot API (%s); retrying until it is back",
                error.message,
            )

    def answered(self) -> None:
        """Note a request the Bot API answered: the end of an outage is logged with its length."""
        if self.down_since is None:
            return
        seconds = self.clock() - self.down_since
        logger.info(
            "The connection to the Bot API is back after %d s (%d requests failed meanwhile)",
            round(seconds),
            self.failures,
        )
        self.down_since, self.failures = None, 0


def is_network_failure(error: BaseException) -> bool:
    """Return True for an error of the network itself (no answer), not one the Bot API answered."""
    return type(error) in {NetworkError, TimedOut}  # not BadRequest, a subclass the Bot API answers with


class WatchedRequest(BaseRequest):
    """A transport whose every request tells `connectivity` whether it reached the Bot API."""

    __slots__ = ("_inner", "_watch")

    def __init__(self, inner: BaseRequest, connectivity: Connectivity) -> None:
        self._inner = inner
        self._watch = connectivity

    @property
    def read_timeout(self) -> float | None:
        """Return the inner transport's default read timeout."""
        return self._inner.read_timeout

    async def initialize(self) -> None:
        """Open the inner transport."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Close the inner transport."""
        await self._inner.shutdown()

    async def do_request(  # noqa: PLR0913, PLR0917 - BaseRequest's signature
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send the request through the inner transport, noting whether the Bot API answered."""
        try:
            answer = await self._inner.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        except NetworkError as error:
            if not error.message.startswith(_POOL_TIMEOUT):
                self._watch.failed(error)
            raise
        self._watch.answered()
        return answer


class WebhookWatch:
    """Look at getWebhookInfo every `interval` seconds: log when deliveries stop, and when they are back."""

    def __init__(self, bot: Bot, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.bot = bot
        self.interval = interval
        self.clock = clock
        self.failing_since: float | None = None
        self.last_error: datetime | None = None  # the error known at the last look: not news
        self.looked = False

    async def run(self) -> None:
        """Look until cancelled."""
        while True:
            await self.look()
            await asyncio.sleep(self.interval)

    async def look(self) -> None:
        """Compare getWebhookInfo with the last look; log a change of state once."""
        try:
            info = await self.bot.get_webhook_info()
        except NetworkError:
            return  # the Bot API itself is out of reach: `Connectivity` has said so
        error, waiting = info.last_error_date, info.pending_update_count
        if self.failing_since is None:
            if self.looked and error is not None and error != self.last_error and waiting:
                self.failing_since = self.clock()
                logger.warning(
                    "Telegram cannot deliver updates to the webhook (%s); %d waiting, delivered when it can",
                    info.last_error_message,
                    waiting,
                )
        elif not waiting:
            logger.info(
                "Telegram delivers to the webhook again after %d s", round(self.clock() - self.failing_since)
            )
            self.failing_since = None
        self.last_error, self.looked = error, True
