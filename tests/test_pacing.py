"""Pacing per chat: budgets per chat, 429s held to their chat, the newest screen kept.

The pacer waits on a fake clock (tests/clock.py): a test moves the time, nothing sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.pacing import ChatPacer, Kind, Limits, Pace, Result, TokenBucket, broadcast, paced
from tests.clock import FakeClock

SLOW = Pace(per_second=1 / 60, burst=1)  # one a minute: whatever waits, waits for the whole test
QUICK = Pace(per_second=20.0, burst=1)  # a token every 50 ms


class FakeBot:
    """Requests through a pacer to a fake Bot API that records them in order and refuses on cue."""

    def __init__(self, limits: Limits) -> None:
        self.clock = FakeClock()
        self.pacer = ChatPacer(limits, clock=self.clock, sleep=self.clock.sleep)
        self.sent: list[str] = []
        self.refuse: dict[str, list[int]] = {}  # label -> retry_after of the next refusals
        self.refused = asyncio.Event()

    async def call(
        self, label: str, chat_id: int | None, *, message_id: int | None = None, kind: Kind | None = None
    ) -> Result:
        """Send a message (an edit with `message_id`; an answer without a chat) as ExtBot does."""
        data: dict[str, object] = {} if chat_id is None else {"chat_id": chat_id}
        endpoint = "sendMessage" if chat_id is not None else "answerCallbackQuery"
        if message_id is not None:
            data["message_id"] = message_id
            endpoint = "editMessageText"
        return await self.pacer.process_request(self._request(label), (), {}, endpoint, data, kind)

    def _request(self, label: str) -> Callable[..., Coroutine[Any, Any, Result]]:
        async def send() -> Result:
            await asyncio.sleep(0)  # a network round trip lets others run
            refusals = self.refuse.get(label)
            if refusals:
                self.refused.set()
                raise RetryAfter(refusals.pop(0))
            self.sent.append(label)
            return {"label": label}

        return send


def test_a_bucket_allows_its_burst_then_its_rate() -> None:
    """Two at once, then one a second; an idle chat never saves up more than its burst."""
    bucket = TokenBucket(Pace(per_second=1.0, burst=2), now=100.0)
    assert bucket.wait(100.0) == 0
    bucket.take(100.0)
    bucket.take(100.0)
    assert bucket.wait(100.0) == pytest.approx(1.0)
    assert bucket.wait(100.25) == pytest.approx(0.75)
    bucket.take(101.0)
    assert bucket.wait(101.0) == pytest.approx(1.0)
    assert bucket.full(200.0)
    bucket.take(200.0)
    bucket.take(200.0)
    assert bucket.wait(200.0) > 0  # an hour idle still allows only two at once


def test_after_a_429_a_bucket_starts_empty() -> None:
    """A refused chat spends its whole budget: nothing more goes out until it refills."""
    bucket = TokenBucket(Pace(per_second=2.0, burst=3), now=0.0)
    bucket.empty(0.0)
    assert bucket.wait(0.0) == pytest.approx(0.5)


def test_only_messages_sent_or_edited_count() -> None:
    """Sends, edits, copies and forwards are paced; answers, deletions and chat actions are not."""
    assert all(paced(m) for m in ("sendMessage", "sendPhoto", "editMessageText", "copyMessage"))
    assert not any(paced(m) for m in ("answerCallbackQuery", "deleteMessage", "sendChatAction", "getMe"))


async def test_each_chat_has_its_own_budget() -> None:
    """A chat that has spent its budget waits; another chat's request goes out at once."""
    bot = FakeBot(Limits(private=SLOW))
    await bot.call("a1", 1)
    waiting = asyncio.ensure_future(bot.call("a2", 1))
    assert await bot.call("b1", 2) == {"label": "b1"}
    await bot.clock.advance(59)
    assert bot.sent == ["a1", "b1"]
    assert not waiting.done()
    await bot.pacer.shutdown()


async def test_a_burst_goes_out_at_once_and_the_rest_in_order() -> None:
    """With a burst of 3, three requests go out at once; the next ones follow in arrival order."""
    bot = FakeBot(Limits(private=Pace(per_second=20.0, burst=3)))
    first = [asyncio.ensure_future(bot.call(f"m{n}", 1)) for n in range(3)]
    await bot.clock.advance(0.049)  # a fourth token takes 50 ms
    assert sorted(bot.sent) == ["m0", "m1", "m2"]
    assert all(request.done() for request in first)
    later = asyncio.gather(*(bot.call(f"m{n}", 1) for n in range(3, 6)))
    await bot.clock.advance(0.049)
    assert bot.sent[3:] == ["m3"]
    await bot.clock.advance(0.11)
    await later
    assert bot.sent[3:] == ["m3", "m4", "m5"]


async def test_a_429_holds_back_only_its_own_chat_and_is_retried() -> None:
    """Chat 1 is refused for a second: chat 2 carries on meanwhile, chat 1's request arrives after."""
    bot = FakeBot(Limits(private=Pace(per_second=100.0, burst=5)))
    bot.refuse["a1"] = [1]
    refused = asyncio.ensure_future(bot.call("a1", 1))
    then = asyncio.ensure_future(bot.call("a2", 1))  # queued behind the refused one
    await bot.refused.wait()
    for number in range(5):
        await bot.call(f"b{number}", 2)
    await bot.clock.advance(0.99)
    assert bot.sent == [f"b{number}" for number in range(5)]  # chat 1 still held back
    await bot.clock.advance(0.01)
    assert await refused == {"label": "a1"}
    assert await then == {"label": "a2"}
    assert bot.sent[5:] == ["a1", "a2"]  # chat 1 in its own order


async def test_a_request_refused_too_often_fails_to_its_caller() -> None:
    """After max_retries refusals the caller gets the RetryAfter, as without a limiter."""
    bot = FakeBot(Limits(private=Pace(per_second=100.0, burst=5), max_retries=2))
    bot.refuse["a1"] = [0, 0, 0]
    refused = asyncio.ensure_future(bot.call("a1", 1))
    await bot.clock.advance(1)  # each refusal spends the chat's budget: a retry waits for a token
    with pytest.raises(RetryAfter):
        await refused
    assert bot.sent == []


async def test_edits_of_one_message_waiting_collapse_into_the_newest() -> None:
    """Four quick redraws of one message: the first goes out, then only the last; all callers get it."""
    bot = FakeBot(Limits(private=QUICK))

    def edit(label: str) -> Coroutine[Any, Any, Result]:
        return bot.call(label, 1, message_id=7)

    edits = asyncio.gather(edit("screen 1"), edit("screen 2"), edit("screen 3"), edit("screen 4"))
    await bot.clock.advance(0.06)
    results = await edits
    assert bot.sent == ["screen 1", "screen 4"]
    assert list(results) == [{"label": "screen 1"}] + [{"label": "screen 4"}] * 3


async def test_only_edits_of_the_same_message_collapse() -> None:
    """Sends are never dropped, and an edit of another message keeps its own place."""
    bot = FakeBot(Limits(private=QUICK))
    requests = asyncio.gather(
        bot.call("edit 7 a", 1, message_id=7),
        bot.call("edit 7 b", 1, message_id=7),
        bot.call("send", 1),
        bot.call("edit 8", 1, message_id=8),
        bot.call("edit 7 c", 1, message_id=7),
    )
    await bot.clock.advance(0.16)
    await requests
    assert bot.sent == ["edit 7 a", "edit 7 c", "send", "edit 8"]


async def test_a_refused_edit_gives_way_to_a_newer_one() -> None:
    """An edit refused with 429 while a newer edit of the message waits is not sent again."""
    bot = FakeBot(Limits(private=Pace(per_second=100.0, burst=5)))
    bot.refuse["old"] = [1]
    old = asyncio.ensure_future(bot.call("old", 1, message_id=7))
    await asyncio.sleep(0)
    new = asyncio.ensure_future(bot.call("new", 1, message_id=7))
    await bot.clock.advance(1)
    assert await old == {"label": "new"}
    assert await new == {"label": "new"}
    assert bot.sent == ["new"]


@pytest.mark.parametrize("flag", ["rate_limit_args", "broadcast() block"])
async def test_the_ceiling_holds_broadcasts_but_not_replies(flag: str) -> None:
    """A broadcast beyond the ceiling over all chats waits; a reply to a press does not."""
    bot = FakeBot(Limits(ceiling=SLOW))
    kind = Kind.BROADCAST if flag == "rate_limit_args" else None
    with broadcast() if kind is None else contextlib.nullcontext():
        await bot.call("notice 1", 1, kind=kind)
        held = asyncio.ensure_future(bot.call("notice 2", 2, kind=kind))
    await bot.call("reply", 3)
    await bot.clock.advance(59)
    assert bot.sent == ["notice 1", "reply"]
    assert not held.done()
    await bot.pacer.shutdown()


async def test_the_ceiling_can_hold_replies_too() -> None:
    """With ceiling_for_replies, every send passes the ceiling over all chats."""
    bot = FakeBot(Limits(ceiling=SLOW, ceiling_for_replies=True))
    await bot.call("reply 1", 1)
    held = asyncio.ensure_future(bot.call("reply 2", 2))
    await bot.clock.advance(59)
    assert bot.sent == ["reply 1"]
    assert not held.done()
    await bot.pacer.shutdown()


async def test_answers_are_never_held() -> None:
    """Answers to presses (no chat) go out at once even while every budget is spent."""
    bot = FakeBot(Limits(private=SLOW, ceiling=SLOW, ceiling_for_replies=True))
    await bot.call("edit", 1, message_id=7)
    for number in range(5):
        await bot.call(f"answer {number}", None)
    assert len(bot.sent) == 6


async def test_groups_have_their_own_slower_pace() -> None:
    """A group (negative chat id) spends the group budget, not a private chat's."""
    bot = FakeBot(Limits(private=Pace(per_second=100.0, burst=5), group=SLOW))
    await bot.call("group 1", -100)
    held = asyncio.ensure_future(bot.call("group 2", -100))
    for number in range(3):
        await bot.call(f"private {number}", 1)
    await bot.clock.advance(59)
    assert "group 2" not in bot.sent
    assert not held.done()
    await bot.pacer.shutdown()


async def test_a_cancelled_caller_sends_nothing_and_shutdown_releases_waiters() -> None:
    """A handler cancelled while waiting sends nothing; stopping cancels whoever still waits."""
    bot = FakeBot(Limits(private=QUICK))
    await bot.call("first", 1)
    cancelled = asyncio.ensure_future(bot.call("cancelled", 1))
    await asyncio.sleep(0)
    cancelled.cancel()
    following = asyncio.ensure_future(bot.call("next", 1))
    await bot.clock.advance(0.06)
    assert await following == {"label": "next"}
    assert bot.sent == ["first", "next"]
    bot = FakeBot(Limits(private=SLOW))
    await bot.call("spent", 1)
    stuck = asyncio.ensure_future(bot.call("stuck", 1))
    await asyncio.sleep(0)
    await bot.pacer.shutdown()
    with pytest.raises(asyncio.CancelledError):
        await stuck
