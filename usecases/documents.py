"""The papers an inspection ends with: gathered from storage and the tally, rendered off the event loop.

The unit's 结果反馈, the group's 总结报告, the blank Annex 2 form and the room's QR poster. What
the papers say in words the screens also say (a chart's title, a window's times, an unregistered
leader) comes from the adapter as a `Wording`, always in Chinese: an official paper does not
change language with the leader's phone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Protocol
from zoneinfo import ZoneInfo

from conversations.annex1 import ANNEX1
from conversations.annex2 import ANNEX2
from conversations.records import ItemNotes, Official, ScoreSheet, Window
from conversations.scoring import score
from conversations.tally import Tally
from reports.counts import FormCounts
from reports.county import SummaryRow, summary_workbook
from reports.documents import (
    Evaluation,
    Findings,
    GroupPaper,
    Inspection,
    Missing,
    ScoreRecord,
    SitePhoto,
    UnitPaper,
)
from reports.fonts import cjk_font
from reports.localtime import chinese_span, local, now, stamp
from usecases.access import Actor, Role
from usecases.ports import NoteStore, OfficialStore, ScoreSheetStore, WindowStore
from usecases.results import Results

logger = logging.getLogger(__name__)

# Fetch a photo's bytes by the messenger's file id (the adapter downloads it); raises if it cannot.
PhotoFetcher = Callable[[str], Awaitable[bytes]]
PHOTO_TIMEOUT = 30.0  # seconds for one photo
PHOTOS_AT_ONCE = 4


class Wording(Protocol):
    """How the papers word what the screens also show."""

    def chart_title(self, window: Window, tally: Tally) -> str:
        """Return the chart's title: unit, state, ballots counted and the briefing's date."""
        ...

    def unregistered(self, name: str) -> str:
        """Return a leader's Telegram name, marked as not registered with /me."""
        ...


@dataclass(frozen=True, slots=True)
class GroupReport:
    """The 总结报告 (`own`: of the caller's own units, so they may add their conclusions)."""

    paper: GroupPaper
    document: bytes
    own: bool


@dataclass(frozen=True, slots=True)
class NoGroup:
    """No units were inspected by a group of that name."""

    group: str


@dataclass(frozen=True, slots=True)
class WhichGroup:
    """An admin with no units of their own asked without naming a group: the groups with units.

    Each group by its name, with one of its leaders (the group a button names by a number).
    """

    groups: dict[str, int]


@dataclass(frozen=True, slots=True)
class NoUnits:
    """The leader has opened no units yet."""


GroupOutcome = GroupReport | NoGroup | WhichGroup | NoUnits


def unregistered(window: Window, wording: Wording) -> str:
    """Return the window's leader by their Telegram name (or id), marked as not registered."""
    return wording.unregistered(window.leader_name or str(window.leader_id))


def inspection(window: Window, official: Official | None, zone: ZoneInfo, wording: Wording) -> Inspection:
    """Return the heading of a unit's papers: the briefing's local date is the day the window opened.

    The leader is named as registered with /me; before that, by their Telegram name, marked.
    """
    return Inspection(
        unit=window.label,  # a second round says so: 县财政局（第二轮）
        day=local(window.opened_at, zone).date(),
        leader=official.name if official else unregistered(window, wording),
        group=official.group if official else "",
    )


def missing_parts(paper: UnitPaper, *, registered: bool) -> tuple[Missing, ...]:
    """Return what keeps a 结果反馈 a draft; none makes it final.

    Final means: the evaluation is over, every item is scored and the sheet finalised, the
    leader's sections finalised (an empty one is then left out on purpose), and the leader's
    name registered (a final paper is signed by name).
    """
    missing = []
    score = paper.score
    if score is None:
        missing.append(Missing.SCORE_NONE)
    elif score.result.grade is None:
        missing.append(Missing.SCORE_UNFINISHED)
    elif score.finalised is None:
        missing.append(Missing.SCORE_DRAFT)
    if not paper.findings.final:
        missing.append(Missing.WRITINGS_DRAFT)
    if paper.evaluation.is_open:
        missing.append(Missing.SURVEY_OPEN)
    if not registered:
        missing.append(Missing.UNREGISTERED)
    return tuple(missing)


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


async def site_photos(notes: ItemNotes, fetch: PhotoFetcher) -> tuple[SitePhoto, ...]:
    """Return the sheet's photos in its order, each fetched; one that cannot be fetched has no image."""
    gate = asyncio.Semaphore(PHOTOS_AT_ONCE)

    async def fetched(file_id: str) -> bytes | None:
        async with gate:
            try:
                return await asyncio.wait_for(fetch(file_id), PHOTO_TIMEOUT)
            except Exception:
                logger.warning("A site photo could not be fetched; the report names it as missing")
                return None

    wanted = [
        (section, item, position, len(notes.photos[item.id]), file_id)
        for section in ANNEX1.sections
        for item in section.items
        for position, file_id in enumerate(notes.photos.get(item.id, []), start=1)
    ]
    images = await asyncio.gather(*(fetched(file_id) for *_, file_id in wanted))
    return tuple(
        SitePhoto(section, item, position, count, image)
        for (section, item, position, count, _), image in zip(wanted, images, strict=True)
    )


class Papers:
    """Gather what each paper says and render it (python-docx and matplotlib load on first use)."""

    def __init__(  # noqa: PLR0913 - the stores a paper reads, each named
        self,
        *,
        windows: WindowStore,
        officials: OfficialStore,
        sheets: ScoreSheetStore,
        notes: NoteStore,
        results: Results,
        wording: Wording,
        zone: ZoneInfo,
    ) -> None:
        self.windows = windows
        self.officials = officials
        self.sheets = sheets
        self.notes = notes
        self.results = results
        self.wording = wording
        self.zone = zone

    async def unit_paper(
        self, window: Window, *, charts: bool = True, fetch: PhotoFetcher | None = None
    ) -> UnitPaper:
        """Return everything the unit's feedback says, the chart drawn for A4, the photos fetched."""
        tally = await self.results.tally(window)  # its suggestions come shuffled
        font = cjk_font()
        drawn: list[bytes] = []
        if charts and font is not None and tally.counted:
            from reports.charts import render_chart_parts  # noqa: PLC0415 - matplotlib loads on first use

            title = self.wording.chart_title(window, tally)
            drawn = await asyncio.to_thread(render_chart_parts, tally, title, font)
        notes = await self.notes.item_notes(window.id)
        writings = await self.notes.writings(window.id)
        official = await self.officials.official(window.leader_id)
        sheet = await self.sheets.score_sheet(window.id)
        paper = UnitPaper(
            inspection=inspection(window, official, self.zone, self.wording),
            score=score_record(sheet, self.zone, notes),
            evaluation=Evaluation(
                tally=tally,
                is_open=window.is_open,
                paper=tally.paper,
                times=chinese_span(window.opened_at, window.closed_at, self.zone),
                charts=tuple(drawn),
                counts=FormCounts.of(window, tally.received),
            ),
            findings=Findings(
                strengths=writings.texts.get("strengths", ""),
                shortcomings=writings.texts.get("shortcomings", ""),
                improvements=writings.texts.get("improvements", ""),
                final=writings.finalised,
            ),
            good_practice=writings.texts.get("practice", ""),
        )
        missing = missing_parts(paper, registered=official is not None)
        # A final paper is dated the day it became final; a draft, the day it is made.
        moments = [sheet.finalised_at if sheet else None, writings.finalised_at, window.closed_at]
        final_moments = [local(m, self.zone) for m in moments if m is not None]
        signed_day = (max(final_moments) if not missing else local(now(), self.zone)).date()
        photos = await site_photos(notes, fetch) if fetch is not None else ()
        return replace(
            paper, inspection=replace(paper.inspection, signed=signed_day), missing=missing, photos=photos
        )

    async def feedback(self, window: Window, fetch: PhotoFetcher | None = None) -> tuple[UnitPaper, bytes]:
        """Return the unit's paper and its 结果反馈 as a .docx, with the site photos `fetch` brings."""
        paper = await self.unit_paper(window, fetch=fetch)
        from reports.feedback_doc import unit_feedback_docx  # noqa: PLC0415 - python-docx loads on first use

        return paper, await asyncio.to_thread(unit_feedback_docx, paper)

    async def group_report(self, windows: list[Window], leaders: list[int]) -> tuple[GroupPaper, bytes]:
        """Return the 总结报告 of these units, by these leaders (their names, group and conclusions)."""
        officials = await self.officials.officials(leaders)
        names = [o.name for o in officials.values()] or [
            self.wording.unregistered(str(leaders[0]) if leaders else "")
        ]
        conclusions = [text for leader in leaders if (text := await self.notes.conclusions(leader))]
        units = [
            await self.unit_paper(window, charts=False) for window in sorted(windows, key=lambda w: w.id)
        ]
        paper = GroupPaper(
            group="、".join(sorted({o.group for o in officials.values()})),
            leader="、".join(names),
            day=local(now(), self.zone).date(),
            units=units,
            conclusions="\n".join(conclusions),
        )
        from reports.group_doc import group_report_docx  # noqa: PLC0415 - python-docx loads on first use

        return paper, await asyncio.to_thread(group_report_docx, paper)

    async def group_report_for(self, actor: Actor, group: str = "") -> GroupOutcome:
        """Return the report of a leader's own units; an admin may name any group instead."""
        if actor.role is Role.ADMIN and group:
            officials = await self.officials.officials()
            leaders = [user for user, official in officials.items() if official.group == group]
            windows = [s.window for s in await self.windows.all_windows() if s.window.leader_id in leaders]
            if not windows:
                return NoGroup(group)
        else:
            leaders = [actor.user_id]
            windows = [s.window for s in await self.windows.windows_of(actor.user_id)]
            if not windows and actor.role is Role.ADMIN:
                return await self._groups()
            if not windows:
                return NoUnits()
        paper, document = await self.group_report(windows, leaders)
        return GroupReport(paper, document, own=leaders == [actor.user_id])

    async def group_report_of(self, actor: Actor, leader_id: int) -> GroupOutcome:
        """Return the report of this leader's group: one's own, or (for an admin) any leader's group."""
        if leader_id == actor.user_id or actor.role is not Role.ADMIN:
            return await self.group_report_for(actor)
        official = await self.officials.official(leader_id)
        if official is None:
            return await self._groups()
        return await self.group_report_for(actor, official.group)

    async def _groups(self) -> WhichGroup:
        """Return the groups whose leaders have opened units, each with its first such leader."""
        officials = await self.officials.officials()
        leading = sorted({s.window.leader_id for s in await self.windows.all_windows()} & officials.keys())
        groups: dict[str, int] = {}
        for leader in leading:
            groups.setdefault(officials[leader].group, leader)
        return WhichGroup(dict(sorted(groups.items())))

    async def county_summary(self) -> list[SummaryRow]:
        """Return every unit with its leader, ballots, favourable rate, and a finalised sheet's grade."""
        summaries = await self.windows.all_windows()
        officials = await self.officials.officials([s.window.leader_id for s in summaries])
        rows = []
        for summary in summaries:
            window = summary.window
            official = officials.get(window.leader_id)
            sheet = await self.sheets.score_sheet(window.id)
            result = score(ANNEX1, sheet.marks) if sheet is not None and sheet.finalised else None
            tally = await self.results.tally(window)
            rows.append(
                SummaryRow(
                    unit=window.label,
                    leader=official.name if official else unregistered(window, self.wording),
                    group=official.group if official else "",
                    day=local(window.opened_at, self.zone).date(),
                    is_open=window.is_open,
                    ballots=summary.ballots,
                    favourable_rate=tally.favourable_rate,
                    total=result.total if result else None,
                    grade=result.grade if result else None,
                    # the split, once every ballot is counted (while open the newest are held back)
                    paper=tally.paper if tally.counted == summary.ballots and tally.counted else None,
                )
            )
        return rows

    async def county_workbook(self) -> tuple[list[SummaryRow], bytes]:
        """Return the county summary's rows and its workbook (rendered off the event loop)."""
        rows = await self.county_summary()
        return rows, await asyncio.to_thread(summary_workbook, rows)

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
