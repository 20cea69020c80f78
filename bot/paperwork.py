"""Gather what a paper needs from storage and the tally, and render it off the event loop."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from bot.tally_view import window_times
from bot.texts import ZH, Texts
from conversations.annex1 import ANNEX1
from conversations.annex2 import ANNEX2
from conversations.tally import Tally
from reports.fonts import cjk_font
from reports.localtime import local, now, stamp
from reports.papers import Evaluation, Findings, GroupPaper, Inspection, ScoreRecord, UnitPaper
from reports.wording import day, split, spoiled_rows
from storage.models import ItemNotes, Official, ScoreSheet, Window
from storage.repository import Repository
from usecases.results import Results


def inspection(window: Window, official: Official | None, zone: ZoneInfo) -> Inspection:
    """Return the heading of a unit's papers: the briefing's local date is the day the window opened.

    The leader is named as registered with /me; before that, by their Telegram name, marked.
    """
    return Inspection(
        unit=window.unit,
        day=local(window.opened_at, zone).date(),
        leader=official.name
        if official
        else ZH.UNREGISTERED.format(name=window.leader_name or window.leader_id),
        group=official.group if official else "",
    )


def chart_title(t: Texts, window: Window, tally: Tally, zone: ZoneInfo) -> str:
    """Return the chart's title: unit, state, ballots counted and the briefing's date (in Chinese)."""
    template = t.CHART_TITLE_OPEN if window.is_open else t.CHART_TITLE_CLOSED
    title = template.format(
        unit=window.unit,
        split=split(tally.counted, tally.paper),
        date=day(local(window.opened_at, zone).date()),
    )
    if tally.spoiled:
        title += t.CHART_TITLE_SPOILED.format(
            rows=spoiled_rows([(q.question.prompt, q.spoiled) for q in tally.spoiled])
        )
    return title


def score_record(sheet: ScoreSheet | None, zone: ZoneInfo, notes: ItemNotes) -> ScoreRecord | None:
    """Return the score sheet, with its reasons and photo counts, as the papers read it."""
    if sheet is None:
        return None
    finalised = None
    if sheet.finalised_at is not None:
        finalised = f"{stamp(sheet.finalised_at, zone)} {sheet.finalised_name or ''}".strip()
    return ScoreRecord(
        form=ANNEX1,
        points=sheet.marks.points,
        reasons=notes.reasons,
        photos=notes.photo_counts(),
        finalised=finalised,
    )


class Paperwork:
    """The unit's feedback document and the room's poster."""

    def __init__(self, repository: Repository, results: Results, zone: ZoneInfo) -> None:
        self.repository = repository
        self.results = results
        self.zone = zone

    async def unit_paper(self, t: Texts, window: Window, *, charts: bool = True) -> UnitPaper:
        """Return everything the unit's feedback says, the chart drawn for A4."""
        tally = await self.results.tally(window)  # its suggestions come shuffled
        font = cjk_font()
        drawn: list[bytes] = []
        if charts and font is not None and tally.counted:
            title = chart_title(t, window, tally, self.zone)
            # matplotlib takes over half a second to import: loaded with the first chart, not at start.
            from reports.charts import render_chart_parts  # noqa: PLC0415

            drawn = await asyncio.to_thread(render_chart_parts, tally, title, font)
        official = await self.repository.official(window.leader_id)
        notes = await self.repository.item_notes(window.id)
        writings = (await self.repository.writings(window.id)).texts
        return UnitPaper(
            inspection=inspection(window, official, self.zone),
            score=score_record(await self.repository.score_sheet(window.id), self.zone, notes),
            evaluation=Evaluation(
                tally=tally,
                is_open=window.is_open,
                paper=tally.paper,
                times=window_times(ZH, window, self.zone),
                charts=tuple(drawn),
            ),
            findings=Findings(
                strengths=writings.get("strengths", ""),
                shortcomings=writings.get("shortcomings", ""),
                improvements=writings.get("improvements", ""),
            ),
            good_practice=writings.get("practice", ""),
        )

    async def group_report(
        self, t: Texts, windows: list[Window], leaders: list[int]
    ) -> tuple[GroupPaper, bytes]:
        """Return the 总结报告 of these units, by these leaders (their names, group and conclusions)."""
        officials = await self.repository.officials(leaders)
        names = [o.name for o in officials.values()] or [
            ZH.UNREGISTERED.format(name=leaders[0] if leaders else "")
        ]
        groups = sorted({o.group for o in officials.values()})
        conclusions = [text for leader in leaders if (text := await self.repository.conclusions(leader))]
        units = [
            await self.unit_paper(t, window, charts=False) for window in sorted(windows, key=lambda w: w.id)
        ]
        paper = GroupPaper(
            group="、".join(groups),
            leader="、".join(names),
            day=local(now(), self.zone).date(),
            units=units,
            conclusions="\n".join(conclusions),
        )
        from reports.group_doc import group_report_docx  # noqa: PLC0415 - python-docx loads on first use

        return paper, await asyncio.to_thread(group_report_docx, paper)

    async def feedback(self, t: Texts, window: Window) -> tuple[UnitPaper, bytes]:
        """Return the unit's paper and its 结果反馈 as a .docx."""
        paper = await self.unit_paper(t, window)
        from reports.feedback_doc import unit_feedback_docx  # noqa: PLC0415 - python-docx loads on first use

        return paper, await asyncio.to_thread(unit_feedback_docx, paper)

    async def paper_form(self, window: Window) -> bytes:
        """Return the unit's blank Annex 2 form (.docx, A4) with its name and the opening day."""
        when = local(window.opened_at, self.zone).date()
        from reports.paper_form import paper_form_docx  # noqa: PLC0415 - python-docx loads on first use

        return await asyncio.to_thread(paper_form_docx, ANNEX2, window.unit, when)

    async def poster(self, window: Window, link: str) -> bytes | None:
        """Return the A4 poster PDF, or None without a Chinese font."""
        font = cjk_font()
        if font is None:
            return None
        when = local(window.opened_at, self.zone).date()
        from reports.poster import poster_pdf  # noqa: PLC0415 - matplotlib loads on first use

        return await asyncio.to_thread(poster_pdf, window.unit, link, when, font)
