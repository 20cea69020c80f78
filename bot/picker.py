"""One unit picker for every command that takes a unit: the named unit, the only one, or buttons.

Which unit a command means is decided by `usecases.units`; this draws the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from telegram import Message

from bot import texts
from bot.arguments import command_argument, shorten
from bot.callback_data import Action
from bot.door import Caller
from bot.officials import leader_labels
from bot.replies import reply
from bot.screens import Button, Screen
from conversations.records import Window
from reports.localtime import day
from usecases.officials import Registration
from usecases.units import Choices, NoSuchUnit, NothingOpen, NoWindows, Picked, Scope, Units

PICKER_LIMIT = 20


class UnitPicker:
    """Find the unit a command means, or offer the caller's units as buttons."""

    def __init__(self, units: Units, registration: Registration, zone: ZoneInfo) -> None:
        self.units = units
        self.registration = registration
        self.zone = zone

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
        match await self.units.pick(caller.actor, command_argument(message), scope=scope, own=own):
            case Picked(window=window):
                return window
            case NoWindows():
                await message.reply_text(t.NO_WINDOWS)
            case NoSuchUnit(unit=unit, choices=()):
                await message.reply_text(t.NO_SUCH_UNIT.format(unit=texts.html(shorten(unit))))
            case NoSuchUnit(unit=unit, choices=windows):  # a name typed wrong: the units it could mean
                text = t.NO_SUCH_UNIT_PICK.format(unit=texts.html(shorten(unit)), prompt=prompt)
                await reply(message, await self._choices(caller, text, windows, action))
            case NothingOpen():
                await message.reply_text(t.NOTHING_OPEN)
            case Choices(windows=windows):
                await reply(message, await self._choices(caller, prompt, windows, action))
        return None

    async def _choices(
        self, caller: Caller, text: str, windows: Sequence[Window], action: Callable[[int], Action]
    ) -> Screen:
        """Return the text with a button per unit (the newest first, at most PICKER_LIMIT)."""
        shown = list(windows[:PICKER_LIMIT])
        labels = await self._labels(caller, shown)
        return Screen(text, tuple((Button(labels[w.id], action(w.id)),) for w in shown))

    async def _labels(self, caller: Caller, windows: list[Window]) -> dict[int, str]:
        """Label each unit by its name; another leader's unit (for an admin) names the leader too."""
        t = caller.t
        leaders = await leader_labels(t, self.registration, windows)
        labels = {}
        for window in windows:
            label = window.label  # a second round says so: 县财政局（第二轮）
            rounds = [w for w in windows if (w.leader_id, w.unit) == (window.leader_id, window.unit)]
            if any(w.round > 1 for w in rounds):  # rounds say when, too
                label += f" · {day(window.opened_at, self.zone)}"
            if window.leader_id != caller.user_id:
                label += f" · {leaders[window.id]}"
            labels[window.id] = label
        return labels
