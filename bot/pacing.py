"""Pace sends and edits per chat, as Telegram limits them: one busy chat never slows another.

Telegram limits what a bot sends *per chat*: about one message a second in a private chat
(short bursts tolerated), about 20 a minute in a group; an edit counts like a send, and
`answerCallbackQuery` is not limited. Nothing limits the replies a bot makes to its users
over all chats; ~30 a second is guidance for broadcasts (statements of the Bot API's
maintainers in tdlib/telegram-bot-api#648 and tdlib/td#2592).

So each chat has its own token bucket and its own queue, sent in order, one request at a
time. A 429 holds back only the chat it names, for its `retry_after`, and the request is
retried. When a person presses faster than their chat's budget, edits of one message waiting
in the queue collapse into the newest (every caller gets its result): the intermediate
screens are skipped, the last one is never lost. Broadcasts (one notice to many chats,
flagged by `broadcast()` or `Kind.BROADCAST`) also pass a ceiling over all chats.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot import limits

logger = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
Request = Callable[[], Coroutine[Any, Any, Result]]
ChatId = int | str

# Edits that replace what a message shows: a newer one makes a waiting older one pointless.
_EDITS = frozenset({"editMessageText", "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup"})
# Requests that put something in a chat without being a message Telegram counts.
_UNCOUNTED = frozenset({"sendChatAction"})
_COUNTED = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages", "stopPoll"})


class Kind(enum.Enum):
    """What a request is, passed as `rate_limit_args`; unflagged requests are replies."""

    BROADCAST = "broadcast"  # one notice to many chats: also kept under the ceiling


_broadcasting: ContextVar[bool] = ContextVar("broadcasting", default=False)


@contextmanager
def broadcast() -> Iterator[None]:
    """Flag the sends made inside as a broadcast (like `rate_limit_args=Kind.BROADCAST`).

    Unlike `rate_limit_args`, this works whether or not the bot has a rate limiter.
    """
    token = _broadcasting.set(True)
    try:
        yield
    finally:
        _broadcasting.reset(token)


@dataclass(frozen=True, slots=True)
class Pace:
    """A token bucket's shape: `burst` requests at once, then `per_second`."""

    per_second: float
    burst: int


@dataclass(frozen=True, slots=True)
class Limits:
    """How fast the bot sends: per private chat, per group, and the ceiling over all chats."""

    private: Pace = Pace(limits.CHAT_PER_SECOND, limits.CHAT_BURST)
    group: Pace = Pace(limits.GROUP_PER_SECOND, limits.GROUP_BURST)
    ceiling: Pace | None = Pace(limits.CEILING_PER_SECOND, limits.CEILING_BURST)  # None: no ceiling
    ceiling_for_replies: bool = False  # Telegram sets no such limit on replies
    max_retries: int = limits.MAX_RETRIES


class TokenBucket:
    """`burst` tokens, refilled at `per_second`; plain arithmetic on the times it is given."""

    __slots__ = ("at", "pace", "tokens")

    def __init__(self, pace: Pace, now: float) -> None:
        self.pace = pace
        self.tokens = float(pace.burst)
        self.at = now

    def wait(self, now: float) -> float:
        """Return how many seconds until a token is free (0: one is free now)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.pace.per_second

    def take(self, now: float) -> None:
        """Spend one token (callers check `wait` first)."""
        self._refill(now)
        self.tokens -= 1

    def empty(self, now: float) -> None:
        """Spend every token: after a 429 the chat starts again from nothing."""
        self._refill(now)
        self.tokens = min(self.tokens, 0.0)

    def full(self, now: float) -> bool:
        """Tell whether the bucket has refilled completely (its chat may be forgotten)."""
        self._refill(now)
        return self.tokens >= self.pace.burst

    def _refill(self, now: float) -> None:
        if now > self.at:
            self.tokens = min(float(self.pace.burst), self.tokens + (now - self.at) * self.pace.per_second)
            self.at = now


@dataclass(slots=True)
class _Pending:
    """A request waiting in its chat's queue, with everyone waiting for its result."""

    send: Request
    key: tuple[str, object] | None
    broadcast: bool
    waiters: list[asyncio.Future[Result]] = field(default_factory=list)
    attempts: int = 0

    def wanted(self) -> bool:
        """Tell whether anyone still waits for the result (a cancelled handler does not)."""
        return any(not waiter.done() for waiter in self.waiters)

    def deliver(self, result: Result) -> None:
        """Hand the result to everyone waiting."""
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_result(result)

    def fail(self, error: BaseException) -> None:
        """Hand the error to everyone waiting."""
        for waiter in self.waiters:
            if not waiter.done():
                waiter.set_exception(error)

    def cancel(self) -> None:
        """Cancel everyone waiting (the bot is stopping)."""
        for waiter in self.waiters:
            waiter.cancel()


class _Chat:
    """One chat's budget, its queue in order of arrival, and whether a request is in flight."""

    __slots__ = ("blocked_until", "bucket", "busy", "drainer", "edits", "queue")

    def __init__(self, pace: Pace, now: float) -> None:
        self.bucket = TokenBucket(pace, now)
        self.queue: deque[_Pending] = deque()
        self.edits: dict[tuple[str, object], _Pending] = {}  # queued edits by message
        self.busy = False
        self.drainer: asyncio.Task[None] | None = None
        self.blocked_until = 0.0

    def idle(self, now: float) -> bool:
        """Tell whether nothing is queued or in flight and the budget is whole again."""
        return not self.busy and not self.queue and self.drainer is None and self.bucket.full(now)


def paced(endpoint: str) -> bool:
    """Tell whether Telegram counts this method against a chat's flood limit."""
    if endpoint in _UNCOUNTED:
        return False
    return endpoint.startswith(("send", "edit")) or endpoint in _COUNTED


def _seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ChatPacer(BaseRateLimiter[Kind]):
    """A `BaseRateLimiter` that paces per chat, retries 429s per chat, keeps the newest edit."""

    def __init__(
        self,
        limits: Limits | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits or Limits()
        self.clock = clock  # the time and the waiting, both a test's to move
        self.sleep = sleep
        self._chats: dict[ChatId, _Chat] = {}
        self._sweep_at = 1024
        now = clock()
        self._ceiling = TokenBucket(self.limits.ceiling, now) if self.limits.ceiling else None

    async def initialize(self) -> None:
        """Nothing to prepare."""

    async def shutdown(self) -> None:
        """Stop every chat's queue; whoever still waits is cancelled."""
        for chat in self._chats.values():
            if chat.drainer is not None:
                chat.drainer.cancel()
            for pending in chat.queue:
                pending.cancel()
        self._chats.clear()

    async def process_request(  # noqa: PLR0913, PLR0917 - python-telegram-bot's signature
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,  # noqa: ANN401 - as python-telegram-bot declares it
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Kind | None,
    ) -> Result:
        """Send now if the chat's budget allows and nothing waits before it; else queue it."""
        send: Request = partial(callback, *args, **kwargs)
        chat_id = data.get("chat_id")
        if chat_id is None or not paced(endpoint):
            return await self._unpaced(send)
        message_id = data.get("message_id")
        key = (endpoint, message_id) if endpoint in _EDITS and message_id is not None else None
        flagged = rate_limit_args is Kind.BROADCAST or _broadcasting.get()
        pending = _Pending(send, key, flagged or self.limits.ceiling_for_replies)
        chat = self._chat(chat_id)
        if chat.busy or chat.queue or self._delay(chat, pending, self.clock()) > 0:
            return await self._enqueue(chat, pending)
        # The common case: an idle chat with budget left; sent from the caller, no task needed.
        self._spend(chat, pending)
        chat.busy = True
        try:
            return await send()
        except RetryAfter as error:
            self._hold(chat, error)
            if pending.attempts > self.limits.max_retries:
                raise
        finally:
            chat.busy = False
            self._wake(chat)
        return await self._enqueue(chat, pending, first=True)  # refused: first in line, when allowed

    async def _unpaced(self, send: Request) -> Result:
        """Send a request no chat limit applies to; a 429 delays only this request."""
        for attempt in range(self.limits.max_retries + 1):
            try:
                return await send()
            except RetryAfter as error:
                if attempt == self.limits.max_retries:
                    raise
                await self.sleep(_seconds(error))
        raise AssertionError  # pragma: no cover - the loop returns or raises

    def _chat(self, chat_id: ChatId) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if len(self._chats) >= self._sweep_at:
                self._sweep()
            private = isinstance(chat_id, int) and chat_id > 0
            pace = self.limits.private if private else self.limits.group
            chat = self._chats[chat_id] = _Chat(pace, self.clock())
        return chat

    def _sweep(self) -> None:
        """Forget chats with nothing pending and a whole budget (nothing is lost by that)."""
        now = self.clock()
        for chat_id in [chat_id for chat_id, chat in self._chats.items() if chat.idle(now)]:
            del self._chats[chat_id]
        self._sweep_at = max(1024, 2 * len(self._chats))

    def _delay(self, chat: _Chat, pending: _Pending, now: float) -> float:
        """Return how long this chat must wait before sending `pending`."""
        delay = max(chat.blocked_until - now, chat.bucket.wait(now))
        if pending.broadcast and self._ceiling is not None:
            delay = max(delay, self._ceiling.wait(now))
        return delay

    def _spend(self, chat: _Chat, pending: _Pending) -> None:
        now = self.clock()
        chat.bucket.take(now)
        if pending.broadcast and self._ceiling is not None:
            self._ceiling.take(now)
        pending.attempts += 1

    def _hold(self, chat: _Chat, error: RetryAfter) -> None:
        """Hold back this chat (only this one) for as long as Telegram asks."""
        now = self.clock()
        seconds = _seconds(error)
        chat.blocked_until = max(chat.blocked_until, now + seconds)
        chat.bucket.empty(now)
        logger.info("Flood control in one chat: retrying after %.1f s", seconds)

    async def _enqueue(self, chat: _Chat, pending: _Pending, *, first: bool = False) -> Result:
        """Queue the request (an edit of a message already queued takes its place); await it."""
        waiter: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        queued = chat.edits.get(pending.key) if pending.key is not None else None
        if queued is not None:
            if not first:  # the newest screen wins, in the place of the one queued before it
                queued.send = pending.send
                queued.broadcast = queued.broadcast or pending.broadcast
            # A refused edit with a newer one already queued is superseded by it.
            queued.waiters.append(waiter)
        else:
            pending.waiters.append(waiter)
            if first:
                chat.queue.appendleft(pending)
            else:
                chat.queue.append(pending)
            if pending.key is not None:
                chat.edits[pending.key] = pending
        self._wake(chat)
        return await waiter

    def _wake(self, chat: _Chat) -> None:
        """Start draining the chat's queue unless a request is in flight or a drainer runs."""
        if chat.queue and not chat.busy and chat.drainer is None:
            chat.drainer = asyncio.get_running_loop().create_task(self._drain(chat))

    async def _drain(self, chat: _Chat) -> None:
        """Send the chat's queue in order, each request when the budget allows."""
        try:
            while chat.queue:
                pending = chat.queue[0]
                delay = self._delay(chat, pending, self.clock())
                if delay > 0:
                    await self.sleep(delay)
                    continue  # the head may have been replaced by a newer edit meanwhile
                chat.queue.popleft()
                if pending.key is not None and chat.edits.get(pending.key) is pending:
                    del chat.edits[pending.key]
                if pending.wanted():
                    await self._send_queued(chat, pending)
        finally:
            chat.drainer = None

    async def _send_queued(self, chat: _Chat, pending: _Pending) -> None:
        self._spend(chat, pending)
        chat.busy = True
        try:
            result = await pending.send()
        except RetryAfter as error:
            self._hold(chat, error)
            if pending.attempts > self.limits.max_retries:
                pending.fail(error)
            else:
                self._requeue(chat, pending)
        except asyncio.CancelledError:
            pending.cancel()
            raise
        except Exception as error:  # handed to the callers, who handle it as if they had sent it
            pending.fail(error)
        else:
            pending.deliver(result)
        finally:
            chat.busy = False

    def _requeue(self, chat: _Chat, pending: _Pending) -> None:
        """Put a refused request first again, unless a newer edit of its message already waits."""
        newer = chat.edits.get(pending.key) if pending.key is not None else None
        if newer is not None:
            newer.waiters.extend(pending.waiters)
            return
        chat.queue.appendleft(pending)
        if pending.key is not None:
            chat.edits[pending.key] = pending
