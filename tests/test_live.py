"""The live tally messages: edited when a batch is released, at most once an interval, on a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from telegram import Bot

from bot.live import LiveTallies
from bot.texts import ZH
from conversations.annex2 import ANNEX2
from conversations.records import LiveView, Window
from reports.localtime import DEFAULT_ZONE
from tests.clock import FakeClock
from tests.tallies import compute_tally
from usecases.events import BatchReleased, Events, SurveyClosed
from usecases.live import Board, LiveBoards

INTERVAL = 10.0
WINDOW = Window(
    id=1, token="t", unit="县财政局", leader_id=1, is_open=True, opened_at=datetime.now(UTC), min_group=3
)
VIEW = LiveView(chat_id=7, message_id=70, window_id=WINDOW.id, language=ZH.language)


class Boards(LiveBoards):
    """One window's live messages, kept in memory (the rule of which messages is the store's)."""

    def __init__(self) -> None:  # no stores to pass on: this stands in for them
        self.shown: list[LiveView] = []
        self.dropped = False

    async def track(self, view: LiveView) -> None:
        """Keep the message."""
        self.shown.append(view)

    async def messages(self, window_id: int) -> list[LiveView]:
        """Return the messages kept."""
        return list(self.shown)

    async def board(self, window: Window) -> Board:
        """Return the messages with a tally of three ballots."""
        return Board(window, list(self.shown), compute_tally(ANNEX2, [], received=3, min_group=3))

    async def open_board(self, window_id: int) -> Board | None:
        """Return the open window's board."""
        return await self.board(WINDOW)

    async def let_go(self, window_id: int) -> None:
        """Forget the messages, noting it."""
        self.dropped = True
        self.shown = []


class EditingBot:
    """The Bot API's editMessageText, noting when (on the fake clock) each message was edited."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.edits: list[tuple[float, int]] = []

    async def edit_message_text(self, text: str, **kwargs: Any) -> None:
        """Note the moment and the message edited."""
        self.edits.append((self.clock.now, kwargs["message_id"]))


async def live_tallies() -> tuple[LiveTallies, EditingBot, FakeClock, Events]:
    clock = FakeClock()
    bot = EditingBot(clock)
    live = LiveTallies(
        cast("Bot", bot),
        boards=Boards(),
        zone=DEFAULT_ZONE,
        interval=INTERVAL,
        clock=clock,
        sleep=clock.sleep,
    )
    events = Events()
    live.listen(events)
    await live.track(VIEW)
    return live, bot, clock, events


async def test_batches_within_an_interval_make_one_edit_when_it_has_passed() -> None:
    """A message edited (posted) at 0 is not edited before INTERVAL; three batches meanwhile make one edit."""
    live, bot, clock, events = await live_tallies()
    start = clock.now
    for _ in range(3):
        await events.publish(BatchReleased(WINDOW))
        await clock.advance(INTERVAL / 4)
    assert bot.edits == []
    await clock.advance(INTERVAL / 4)
    assert bot.edits == [(start + INTERVAL, VIEW.message_id)]
    await clock.advance(INTERVAL * 3)  # nothing more was released: nothing more is edited
    assert len(bot.edits) == 1
    await live.stop()


async def test_a_close_edits_at_once_and_lets_the_messages_go() -> None:
    """A close does not wait for the interval: the final figures at once, a scheduled edit dropped."""
    live, bot, clock, events = await live_tallies()
    await events.publish(BatchReleased(WINDOW))
    await clock.advance(1)
    await events.publish(SurveyClosed(WINDOW.model_copy(update={"is_open": False})))
    await clock.advance(0)
    assert bot.edits == [(clock.now, VIEW.message_id)]
    await clock.advance(INTERVAL * 2)
    assert len(bot.edits) == 1
    assert cast("Boards", live.boards).dropped
    await live.stop()
