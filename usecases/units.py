"""Which units a person may see, and which one a command means.

A leader sees the windows they opened, an admin every window. A command names a unit, or
means the only one that fits, or leaves the choice to the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from conversations.records import Window, WindowSummary
from usecases.access import Actor, Role, owns
from usecases.ports import WindowStore


class Scope(Enum):
    """Which of the caller's units a command can act on, and which it offers first."""

    OPEN = "open"  # only open units (/close, /paper)
    OPEN_FIRST = "open first"  # open units if there are any, else every unit (/tally, /chart, /export)
    ANY = "any"  # every unit, newest first (/score, /report, /write: after the briefing, usually closed)


@dataclass(frozen=True, slots=True)
class NoWindows:
    """The actor has no units (an admin: nobody has)."""


@dataclass(frozen=True, slots=True)
class NoSuchUnit:
    """No unit the actor may act on has that name: these are the ones the command could mean."""

    unit: str
    choices: tuple[Window, ...] = ()


@dataclass(frozen=True, slots=True)
class NothingOpen:
    """The command acts on open units, and none is open."""


@dataclass(frozen=True, slots=True)
class Picked:
    """The one unit the command means."""

    window: Window


@dataclass(frozen=True, slots=True)
class Choices:
    """Several units fit, in the order to offer them: the actor picks one."""

    windows: list[Window]


PickOutcome = NoWindows | NoSuchUnit | NothingOpen | Picked | Choices


class Units:
    """Find the windows an actor may see, or the one a command means."""

    def __init__(self, windows: WindowStore) -> None:
        self.windows = windows

    async def visible(self, actor: Actor, *, own: bool = False) -> list[WindowSummary]:
        """Return the windows the actor may see (`own`: only those they opened), with ballot counts."""
        if actor.role is Role.ADMIN:
            summaries = await self.windows.all_windows()
        elif actor.role is Role.LEADER:
            summaries = await self.windows.windows_of(actor.user_id)
        else:
            summaries = []
        return [s for s in summaries if owns(actor, s.window)] if own else summaries

    async def pick(self, actor: Actor, unit: str, *, scope: Scope, own: bool = False) -> PickOutcome:
        """Return the unit a command means: the one named, the only one that fits, or a choice."""
        summaries = await self.visible(actor, own=own)
        if not summaries:
            return NoWindows()
        windows = [s.window for s in summaries if s.window.is_open or scope is not Scope.OPEN]
        if scope is Scope.ANY:
            windows.sort(key=lambda w: -w.id)  # the newest inspection first
        else:
            windows.sort(key=lambda w: (not w.is_open, -w.id))  # open first, then the newest
        if unit:
            named = [w for w in windows if unit in {w.unit, w.label}]  # 县财政局, or 县财政局（第二轮）
            if not named:
                return NoSuchUnit(unit, tuple(windows))
            if len(named) == 1:
                return Picked(named[0])
            windows = named  # its rounds, or (for an admin) one name opened by several leaders
        elif scope is Scope.OPEN_FIRST:
            windows = [w for w in windows if w.is_open] or windows
        if not windows:
            return NothingOpen()
        return Picked(windows[0]) if len(windows) == 1 else Choices(windows)
