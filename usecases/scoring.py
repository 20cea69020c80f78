"""The group's Annex 1 score sheet: scored by the unit's own leader, saved at every press, finalised once.

Only the leader who opened the unit's window scores it; finalising needs every item scored and
the leader's registered name and group (the record names them); a finalised sheet is an
official record and never changes again. A sheet's presses are taken one at a time. The
outcomes are data; `bot/scoring.py` draws them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from conversations.errors import SheetFinalised, StaleStep, SurveyError
from conversations.records import Official, ScoreSheet, Window
from conversations.scoring import Marking, Marks, SheetPress
from usecases.access import Actor, owns
from usecases.locks import KeyedLocks
from usecases.outcomes import NotYours
from usecases.ports import OfficialStore, ScoreSheetStore, WindowStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NoSheet:
    """A press on a sheet that was never started (a forged or foreign button)."""


@dataclass(frozen=True, slots=True)
class Marked:
    """The sheet as it stands now (`stale`: the press was for another item)."""

    window: Window
    marks: Marks
    stale: bool = False


@dataclass(frozen=True, slots=True)
class ConfirmFinal:
    """Every item is scored: ask to confirm before the sheet becomes an official record."""

    window: Window
    marks: Marks


@dataclass(frozen=True, slots=True)
class Unfinished:
    """Finalising needs every item scored; this many are not."""

    missing: int


@dataclass(frozen=True, slots=True)
class Unregistered:
    """The official record names a real person and group: the leader must register them (/me) first."""


@dataclass(frozen=True, slots=True)
class Final:
    """The finalised sheet (`refused`: a press tried to change it)."""

    window: Window
    sheet: ScoreSheet
    refused: bool = False


@dataclass(frozen=True, slots=True)
class PointsRefused:
    """The sheet refuses the press (points the item does not allow); nothing changed."""


StartOutcome = NotYours | Marked | Final
PressOutcome = NotYours | NoSheet | Marked | ConfirmFinal | Unfinished | Unregistered | Final | PointsRefused
_Step = Callable[[Window, ScoreSheet], Awaitable[PressOutcome]]


class Scoring:
    """Score a unit's Annex 1 sheet, item by item, and finalise it."""

    def __init__(
        self,
        windows: WindowStore,
        sheets: ScoreSheetStore,
        officials: OfficialStore,
        marking: Marking,
    ) -> None:
        self.windows = windows
        self.sheets = sheets
        self.officials = officials
        self.marking = marking
        self.locks = KeyedLocks()

    async def start(self, actor: Actor, window_id: int) -> StartOutcome:
        """Start (or resume) the sheet of a unit the actor opened (picked from their units)."""
        window = await self.windows.window(window_id)
        if window is None or not owns(actor, window):
            return NotYours()
        async with self.locks.hold(window.id):
            sheet = await self.sheets.score_sheet(window.id)
            if sheet is not None and sheet.finalised:
                return Final(window, sheet)
            if sheet is not None:
                return Marked(window, sheet.marks)
            marks = self.marking.start()
            await self.sheets.save_score(window.id, marks)
            return Marked(window, marks)

    async def press(self, actor: Actor, window_id: int, press: SheetPress) -> PressOutcome:
        """Give an item points, step back, or revise an item from the review; saved at once."""

        async def apply(window: Window, sheet: ScoreSheet) -> PressOutcome:
            try:
                marks = self.marking.apply(sheet.marks, press)
            except StaleStep:
                return Marked(window, sheet.marks, stale=True)
            except SurveyError:
                return PointsRefused()
            await self.sheets.save_score(window.id, marks)
            return Marked(window, marks)

        return await self._turn(actor, window_id, apply)

    async def show(self, actor: Actor, window_id: int) -> PressOutcome:
        """Return the sheet where it stands (取消 on the finalise question)."""

        async def current(window: Window, sheet: ScoreSheet) -> PressOutcome:
            return Marked(window, sheet.marks)

        return await self._turn(actor, window_id, current)

    async def ask_finalise(self, actor: Actor, window_id: int) -> PressOutcome:
        """Ask to confirm finalising a complete sheet; refuse an incomplete one."""

        async def ask(window: Window, sheet: ScoreSheet) -> PressOutcome:
            ready = await self._ready(actor, sheet)
            return ConfirmFinal(window, sheet.marks) if isinstance(ready, Official) else ready

        return await self._turn(actor, window_id, ask)

    async def finalise(self, actor: Actor, window_id: int) -> PressOutcome:
        """Make a complete sheet the official record: who finalised it and when, once."""

        async def finalise(window: Window, sheet: ScoreSheet) -> PressOutcome:
            ready = await self._ready(actor, sheet)
            if not isinstance(ready, Official):
                return ready
            await self.sheets.finalise_score(window.id, actor.user_id, ready.label)
            logger.info("A score sheet was finalised (window %d)", window.id)
            final = await self.sheets.score_sheet(window.id)
            return NoSheet() if final is None else Final(window, final)

        return await self._turn(actor, window_id, finalise)

    async def _ready(self, actor: Actor, sheet: ScoreSheet) -> Official | Unfinished | Unregistered:
        """Return who the record will name, or why the sheet cannot be finalised yet."""
        missing = self.marking.missing(sheet.marks)
        if missing:
            return Unfinished(missing)
        official = await self.officials.official(actor.user_id)
        return Unregistered() if official is None else official

    async def _turn(self, actor: Actor, window_id: int, step: _Step) -> PressOutcome:
        """Run one press on the actor's own, unfinalised sheet, one press per sheet at a time."""
        window = await self.windows.window(window_id)
        if window is None or not owns(actor, window):
            return NotYours()
        async with self.locks.hold(window.id):
            sheet = await self.sheets.score_sheet(window.id)
            if sheet is None:
                return NoSheet()
            if sheet.finalised:
                return Final(window, sheet, refused=True)
            try:
                return await step(window, sheet)
            except SheetFinalised:
                final = await self.sheets.score_sheet(window.id)
                return NoSheet() if final is None else Final(window, final, refused=True)
