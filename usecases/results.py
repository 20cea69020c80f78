"""A window's figures as leaders may see them: tally, chart and exports, built in one place.

Batches, small cells and what waits for the close are the tally's rules (conversations/tally.py);
here they are applied to what storage holds. Suggestions come shuffled, so that their order
hints at nobody.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from conversations.engine import Ballot, Survey
from conversations.records import Window
from conversations.tally import Tally, released_count, tally_from_counts
from reports.counts import FormCounts
from reports.fonts import cjk_font
from reports.localtime import DEFAULT_ZONE, now
from reports.sheets import UnitReport, ballot_rows, ballots_csv, workbook
from usecases.ports import BallotStore


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A window's tally, with its ballots once closed (no per-ballot rows while open)."""

    window: Window
    ballots: list[Ballot]
    tally: Tally


@dataclass(frozen=True, slots=True)
class Exports:
    """The files a leader takes away."""

    xlsx: bytes
    csv: bytes | None  # the ballots one per row: only after close


class Results:
    """Build tallies, charts and exports from the repository, respecting batches and small cells."""

    def __init__(self, ballots: BallotStore, survey: Survey, zone: ZoneInfo = DEFAULT_ZONE) -> None:
        self.ballots = ballots
        self.questionnaire = survey.questionnaire
        self.zone = zone

    async def tally(self, window: Window) -> Tally:
        """Return what may be shown of the window now, from the running counters."""
        received = await self.ballots.ballot_count(window.id)
        counted = released_count(received, min_group=window.min_group, is_open=window.is_open)
        if window.is_open and window.frozen is not None:  # overfilled: nothing released since
            counted = window.frozen
        counts = await self.ballots.tally_counts(window.id, released_only=window.is_open) if counted else {}
        suggestions = await self.ballots.suggestions(window.id) if counted and not window.is_open else []
        random.SystemRandom().shuffle(suggestions)  # no order that could hint at who wrote what
        return tally_from_counts(
            self.questionnaire,
            counts,
            counted=counted,
            received=received,
            min_group=window.min_group,
            suggestions=tuple(suggestions),
            by_category=not window.is_open,
        )

    async def snapshot(self, window: Window) -> Snapshot:
        """Return the tally, with the ballots themselves once the window is closed."""
        tally = await self.tally(window)
        closed = not window.is_open and tally.counted
        ballots = await self.ballots.ballots(window.id) if closed else []
        return Snapshot(window=window, ballots=ballots, tally=tally)

    async def chart(self, tally: Tally, title: str) -> bytes | None:
        """Return the chart PNG, or None without a Chinese font or without counted ballots."""
        font = cjk_font()
        if font is None or not tally.counted:
            return None
        # matplotlib takes over half a second to import: loaded with the first chart, not at start;
        # drawing takes a few hundred milliseconds: the event loop stays free meanwhile.
        from reports.charts import render_chart  # noqa: PLC0415

        return await asyncio.to_thread(render_chart, tally, title, font)

    async def exports(self, snapshot: Snapshot) -> Exports:
        """Return the XLSX workbook, and once closed the CSV of the ballots; suggestions only once closed."""
        window = snapshot.window
        suggestions = None if window.is_open else list(snapshot.tally.suggestions)
        report = UnitReport(
            questionnaire=self.questionnaire,
            unit=window.label,
            is_open=window.is_open,
            tally=snapshot.tally,
            ballots=snapshot.ballots,
            suggestions=suggestions,
            opened_at=window.opened_at,
            closed_at=window.closed_at,
            exported_at=now(),
            zone=self.zone,
            counts=FormCounts.of(window, snapshot.tally.received),
        )
        xlsx = await asyncio.to_thread(workbook, report)
        if window.is_open:
            return Exports(xlsx=xlsx, csv=None)
        min_group = snapshot.window.min_group
        header, rows = ballot_rows(self.questionnaire, snapshot.ballots, min_group=min_group)
        return Exports(xlsx=xlsx, csv=ballots_csv(header, rows))  # data only: a header and the rows
