"""One unit picker for every command that takes a unit: the named unit, the only one, or buttons."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from zoneinfo import ZoneInfo

from telegram import Message

from bot import texts
from bot.arguments import command_argument, shorten
from bot.callback_data import Action
from bot.door import Caller
from bot.officials import leader_labels
from bot.replies import reply
from bot.screens import Button, Screen
from reports.localtime import day
from storage.models import Window, WindowSummary
from usecases.access import Role, owns
from usecases.ports import OfficialStore
from usecases.units import Units

PICKER_LIMIT = 20


class Scope(Enum):
    """Which of the caller's units a command can act on, and which it offers first."""

    OPEN = "open"  # only open units (/close, /paper)
    OPEN_FIRST = "open first"  # open units if there are any, else every unit (/tally, /chart, /export)
    ANY = "any"  # every unit, newest first (/score, /report: after the briefing, usually closed)


class UnitPicker:
    """Find the unit a command means, or offer the caller's units as buttons."""

    def __init__(self, units: Units, officials: OfficialStore, zone: ZoneInfo) -> None:
        self.units = units
        self.officials = officials
        self.zone = zone

    async def windows(self, caller: Caller, *, own: bool = False) -> list[WindowSummary]:
        """Return the caller's units (an admin's: every unit, unless `own`)."""
        visible = await self.units.visible(caller.actor)
        return [s for s in visible if owns(caller.actor, s.window)] if own else visible

    async def pick(  # noqa: PLR0913 - keyword-only, each one says what the command is
        self,
        caller: Caller,
        message: Message,
        *,
        scope: Scope,
        prompt: str,
        action: Callable[[int], Action],
        own: bool = False,
    ) -> Window | None:
        """Return the window the command means, or reply with what to do (buttons to pick) and return None."""
        t = caller.t
        summaries = await self.windows(caller, own=own)
        if not summaries:
            await message.reply_text(t.NO_WINDOWS)
            return None
        windows = [s.window for s in summaries if s.window.is_open or scope is not Scope.OPEN]
        if scope is Scope.ANY:
            windows.sort(key=lambda w: -w.id)  # the newest inspection first
        else:
            windows.sort(key=lambda w: (not w.is_open, -w.id))  # open first, then the newest
        unit = command_argument(message)
        if unit:
            named = [w for w in windows if w.unit == unit]
            if not named:
                await message.reply_text(t.NO_SUCH_UNIT.format(unit=texts.unit(shorten(unit))))
                return None
            if len(named) == 1 or caller.role is not Role.ADMIN or own:
                return named[0]
            windows = named  # an admin may see one unit name opened by several leaders
        elif scope is Scope.OPEN_FIRST:
            windows = [w for w in windows if w.is_open] or windows
        if not windows:
            await message.reply_text(t.NOTHING_OPEN)
            return None
        if len(windows) == 1:
            return windows[0]
        shown = windows[:PICKER_LIMIT]
        labels = await self._labels(caller, shown)
        rows = tuple((Button(labels[w.id], action(w.id)),) for w in shown)
        await reply(message, Screen(prompt, rows))
        return None

    async def _labels(self, caller: Caller, windows: list[Window]) -> dict[int, str]:
        """Label each unit by its name; another leader's unit (for an admin) names the leader too."""
        t = caller.t
        leaders = await leader_labels(t, self.officials, windows)
        names = [(w.leader_id, w.unit) for w in windows]
        labels = {}
        for window in windows:
            label = window.unit
            if names.count((window.leader_id, window.unit)) > 1:  # one unit inspected twice: say when
                label += f" · {day(window.opened_at, self.zone)}"
            if window.leader_id != caller.user_id:
                label += f" · {leaders[window.id]}"
            labels[window.id] = label
        return labels
