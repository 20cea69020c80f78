"""A window's figures as leaders may see them: tally, chart and exports, built in one place."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from conversations.engine import Ballot, Survey
from conversations.tally import Tally, compute_tally, released
from reports.charts import render_chart
from reports.fonts import cjk_font
from reports.sheets import UnitReport, ballot_rows, ballots_csv, workbook
from storage.models import Window
from storage.repository import Repository


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The released ballots of a window and their tally."""

    window: Window
    ballots: list[Ballot]
    tally: Tally


@dataclass(frozen=True, slots=True)
class Exports:
    """The files a leader takes away."""

    xlsx: bytes
    csv: bytes


class Results:
    """Build tallies, charts and exports from the repository, respecting batches and small cells."""

    def __init__(self, repository: Repository, survey: Survey) -> None:
        self.repository = repository
        self.questionnaire = survey.questionnaire

    async def snapshot(self, window: Window) -> Snapshot:
        """Return what may be shown of the window now."""
        stored = await self.repository.ballots(window.id)
        shown = released(stored, min_group=window.min_group, is_open=window.is_open)
        tally = compute_tally(self.questionnaire, shown, received=len(stored), min_group=window.min_group)
        return Snapshot(window=window, ballots=shown, tally=tally)

    async def chart(self, snapshot: Snapshot, title: str) -> bytes | None:
        """Return the chart PNG, or None without a Chinese font or without counted ballots."""
        font = cjk_font()
        if font is None or not snapshot.tally.counted:
            return None
        # matplotlib takes a few hundred milliseconds: keep the event loop free meanwhile.
        return await asyncio.to_thread(render_chart, snapshot.tally, title, font)

    async def exports(self, snapshot: Snapshot) -> Exports:
        """Return the XLSX workbook and the CSV of the ballots; suggestions only once closed."""
        window = snapshot.window
        suggestions = None if window.is_open else list(snapshot.tally.suggestions)
        report = UnitReport(
            questionnaire=self.questionnaire,
            unit=window.unit,
            is_open=window.is_open,
            tally=snapshot.tally,
            ballots=snapshot.ballots,
            suggestions=suggestions,
            exported_at=datetime.now(UTC),
        )
        xlsx = await asyncio.to_thread(workbook, report)
        header, rows = ballot_rows(self.questionnaire, snapshot.ballots, min_group=window.min_group)
        return Exports(xlsx=xlsx, csv=ballots_csv(header, rows))
