"""Printing a unit's ballot slips: new codes drawn straight into a PDF, and nowhere else.

The codes exist in memory for as long as it takes to draw them; what is kept of each is the
keyed hash `SlipIssuing` stores. So a lost PDF cannot be printed again: its slips stay unused
and the leader prints more (补打). A press names how many slips the unit had when its button
was drawn, so a doubled tap or an old button prints nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from conversations.records import Window
from reports.fonts import cjk_font
from usecases.access import Actor
from usecases.locks import KeyedLocks
from usecases.outcomes import NotAllowed
from usecases.participation import Ended
from usecases.ports import WindowStore
from usecases.slips import BadCount, Issued, NotSlips, SlipIssuing

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Printed:
    """New slips as a PDF to print: `count` of them; the unit has `window.slips_issued` in all."""

    window: Window
    pdf: bytes
    count: int
    pages: int


@dataclass(frozen=True, slots=True)
class AlreadyPrinted:
    """The button was drawn before slips were last printed (a double tap, an old message): none now."""

    window: Window


@dataclass(frozen=True, slots=True)
class NoFont:
    """No font draws Chinese on this machine: no slips are made that could not be printed."""


PrintOutcome = Printed | AlreadyPrinted | NoFont | BadCount | NotSlips | NotAllowed | Ended


class SlipPrinting:
    """Make slips for a unit and draw them for printing, with the web form's address if there is one."""

    def __init__(self, windows: WindowStore, issuing: SlipIssuing, web_url: str | None) -> None:
        self.windows = windows
        self.issuing = issuing
        self.web_url = web_url
        self._printing = KeyedLocks()

    async def print(self, actor: Actor, window_id: int, count: int, *, seen: int, bot: str) -> PrintOutcome:
        """Print `count` new slips, if the unit still has the `seen` slips its button was drawn for."""
        if cjk_font() is None:
            return NoFont()
        async with self._printing.hold(window_id):
            window = await self.windows.window(window_id)
            if window is not None and window.slips and window.slips_issued != seen:
                return AlreadyPrinted(window)
            issued = await self.issuing.issue(actor, window_id, count)
        if not isinstance(issued, Issued):
            return issued
        logger.info("Ballot slips printed (window %d): %d, %d in all", window_id, count, issued.issued_total)
        pdf, pages = await asyncio.to_thread(_draw, issued, self.web_url, bot)
        return Printed(issued.window, pdf, count, pages)


def _draw(issued: Issued, web_url: str | None, bot: str) -> tuple[bytes, int]:
    # matplotlib takes over half a second to import: loaded with the first slips, not at start.
    from reports.slips import paged, slips_pdf  # noqa: PLC0415

    font = cjk_font()
    assert font is not None  # noqa: S101 - checked before any slip was made
    window = issued.window
    return slips_pdf(window.unit, issued.codes, web_url, bot, font, unit_token=window.token), len(
        paged(issued.codes)
    )
