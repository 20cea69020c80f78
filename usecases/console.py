"""The leader's console: open a unit and close it for good.

A leader manages the windows they opened, an admin every window (`usecases.access`). Closing
is final and announced (`SurveyClosed`), so that whatever shows live figures can show the
final ones. The outcomes are data; `bot/leader.py` draws them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from conversations.errors import NotWritten
from conversations.records import Window
from usecases.access import Actor, can_manage
from usecases.events import Events, SurveyClosed
from usecases.keying import FormBeingKeyed, PaperKeying
from usecases.outcomes import NotAllowed
from usecases.ports import BallotStore, WindowStore

logger = logging.getLogger(__name__)

UNIT_MAX_LENGTH = 64  # characters of a unit's name
EXPECTED_MAX = 10_000  # the largest headcount a unit may expect


@dataclass(frozen=True, slots=True)
class NoUnitName:
    """/open needs the unit's name."""


@dataclass(frozen=True, slots=True)
class UnitTooLong:
    """A unit's name is limited."""

    limit: int


@dataclass(frozen=True, slots=True)
class Opened:
    """The unit's window, new or (`created` False) the one already open."""

    window: Window
    created: bool


@dataclass(frozen=True, slots=True)
class CloseAsked:
    """Ask to confirm closing: the ballots the window holds, and the paper forms being keyed now.

    A close would cut those forms off: the leader may wait for them.
    """

    window: Window
    ballots: int
    keying: tuple[FormBeingKeyed, ...] = ()


@dataclass(frozen=True, slots=True)
class AlreadyClosed:
    """The window was closed before."""

    window: Window


@dataclass(frozen=True, slots=True)
class Closed:
    """The window is closed now, for good: its results may be delivered.

    `window.rebuilt` is False while a disk that refused it keeps the rebuild after close waiting
    (its secret and the file's traces of arrival order are then still there; it is retried).
    `cut_off`: the paper forms part-keyed when it closed, which can no longer go in.
    """

    window: Window
    cut_off: tuple[FormBeingKeyed, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitClosed:
    """The actor's latest survey of this unit is closed, and final: a new one is a round of its own.

    Nothing is opened; `ballots` is what the closed one received, `next_round` the round a new
    survey would be (opened only when asked for explicitly).
    """

    window: Window
    ballots: int
    next_round: int


OpenOutcome = NoUnitName | UnitTooLong | Opened | UnitClosed


@dataclass(frozen=True, slots=True)
class CloseFailed:
    """The server's disk would not take the close (full, or read-only): still open, every ballot in."""

    window: Window
    ballots: int


CloseOutcome = NotAllowed | CloseAsked | AlreadyClosed | Closed | CloseFailed


class Console:
    """Open and close units for leaders and admins."""

    def __init__(
        self,
        windows: WindowStore,
        ballots: BallotStore,
        events: Events,
        min_group: int,
        keying: PaperKeying | None = None,
    ) -> None:
        self.windows = windows
        self.ballots = ballots
        self.events = events
        self.min_group = min_group
        self.keying = keying

    async def _being_keyed(self, window: Window) -> tuple[FormBeingKeyed, ...]:
        return tuple(await self.keying.being_keyed(window)) if self.keying is not None else ()

    async def open(
        self,
        actor: Actor,
        unit: str,
        expected: int | None = None,
        *,
        slips: bool = False,
        after: int | None = None,
    ) -> OpenOutcome:
        """Open the unit's window (or return the actor's open one, with the new headcount if given).

        With `slips` a new window admits only holders of its ballot slips (一人一码); an open
        window stays as it was opened, by link or by slips. A unit the actor surveyed and closed
        is final: it opens again, as its next round, only when asked for `after` that closed
        window (a confirmation pressed twice, or late, opens nothing more).
        """
        if not unit:
            return NoUnitName()
        if len(unit) > UNIT_MAX_LENGTH:
            return UnitTooLong(UNIT_MAX_LENGTH)
        mine = [s for s in await self.windows.windows_of(actor.user_id) if s.window.unit == unit]
        latest = max(mine, key=lambda s: s.window.id, default=None)
        if latest is not None and not latest.window.is_open and latest.window.id != after:
            return UnitClosed(latest.window, latest.ballots, latest.window.round + 1)
        window, created = await self.windows.open_window(
            actor.user_id,
            unit,
            min_group=self.min_group,
            expected=expected,
            leader_name=actor.name,
            slips=slips,
        )
        if created:
            logger.info("A survey window was opened (window %d)", window.id)
        return Opened(window, created)

    async def managed(self, actor: Actor, window_id: int) -> Window | None:
        """Return the window if the actor manages it, else None."""
        window = await self.windows.window(window_id)
        return window if window is not None and can_manage(actor, window) else None

    async def ask_close(self, actor: Actor, window_id: int) -> CloseOutcome:
        """Say what closing would end (the ballots so far), or that it is closed already."""
        window = await self.managed(actor, window_id)
        if window is None:
            return NotAllowed()
        if not window.is_open:
            return AlreadyClosed(window)
        return CloseAsked(window, await self.ballots.ballot_count(window.id), await self._being_keyed(window))

    async def close(self, actor: Actor, window_id: int) -> CloseOutcome:
        """Close the window for good: no more ballots; everything counted; announced."""
        window = await self.managed(actor, window_id)
        if window is None:
            return NotAllowed()
        cut_off = await self._being_keyed(window)  # the keyers' list goes with the close
        try:
            closed = await self.windows.close_window(window.id)
        except NotWritten:
            return CloseFailed(window, await self.ballots.ballot_count(window.id))
        final = await self.windows.window(window.id) or window
        if not closed:
            return AlreadyClosed(final)
        logger.info("A survey window was closed (window %d)", window.id)
        await self.events.publish(SurveyClosed(final))
        return Closed(final, cut_off)
