"""Handlers for the group's work after the briefing: the score sheet, the unit report, the summary.

The Annex 1 score sheet is the leader's own official record; the unit report joins it with the
evaluation's results for the feedback meeting; admins get the county summary.
"""

from __future__ import annotations

import logging
from html import escape
from zoneinfo import ZoneInfo

from telegram import Bot, CallbackQuery, Message

from bot import texts
from bot.callback_data import (
    ConfirmFinalise,
    FinaliseScore,
    ScorePress,
    SendReport,
    ShowScore,
    StartScore,
    StartWriting,
)
from bot.door import Caller, Context
from bot.picker import UnitPicker
from bot.replies import PressReply, reply, respond, safe_filename
from bot.score_screens import ScoreView, note_screen
from bot.screens import Button, Screen
from bot.tally_view import hidden_line, percent, split_line, spoiled_line, window_times
from bot.texts import Texts
from conversations.annex1 import BANDS
from conversations.records import Window
from conversations.scoring import Award
from reports.county import SummaryRow
from reports.documents import IMPROVE, RISKS, Missing, UnitPaper, top_three
from usecases.console import Console
from usecases.documents import Papers, PhotoFetcher
from usecases.notes import ItemNote, Notes
from usecases.outcomes import NotYours
from usecases.scoring import (
    ConfirmFinal,
    Final,
    Marked,
    NoSheet,
    PointsRefused,
    PressOutcome,
    Scoring,
    Unfinished,
    Unregistered,
)
from usecases.units import Scope

logger = logging.getLogger(__name__)


class ScoringHandlers:
    """/score, its buttons, /report and /summary."""

    def __init__(  # noqa: PLR0913 - keyword-only, each one a use case it calls (or how it draws)
        self,
        *,
        scoring: Scoring,
        notes: Notes,
        papers: Papers,
        console: Console,
        picker: UnitPicker,
        zone: ZoneInfo,
    ) -> None:
        self.scoring = scoring
        self.notes = notes
        self.papers = papers
        self.console = console
        self.picker = picker
        self.zone = zone

    async def _view(self, t: Texts, window: Window) -> ScoreView:
        marking = self.scoring.marking
        notes = await self.notes.on_sheet(window)
        return ScoreView(t, marking.form, marking, window.label, window.id, self.zone, notes)

    async def on_score(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /score [unit]: walk the 25 items, or show the finalised sheet; no name: pick a unit."""
        t = caller.t
        window = await self.picker.pick(
            caller, message, scope=Scope.ANY, prompt=t.PICK_UNIT_SCORE, action=StartScore, own=True
        )
        if window is not None:
            outcome = await self.scoring.start(caller.actor, window.id)
            await reply(message, (await self._press_reply(t, outcome)).screen or Screen(t.SCORE_NOT_YOURS))

    async def on_start_score(self, caller: Caller, query: CallbackQuery, action: StartScore) -> None:
        """Handle a unit picked for /score: the picker becomes the score sheet."""
        outcome = await self.scoring.start(caller.actor, action.window_id)
        await respond(query, await self._press_reply(caller.t, outcome))

    async def on_award(self, caller: Caller, query: CallbackQuery, action: ScorePress) -> None:
        """Handle points for an item, ⬅ 上一项, or an item number on the review.

        Points below the item's maximum ask for the reason (and photos) before the next item.
        """
        outcome = await self.scoring.press(caller.actor, action.window_id, action.press)
        press = action.press
        if isinstance(outcome, Marked) and not outcome.stale and isinstance(press, Award):
            item = self.scoring.marking.form.items[press.step]
            if press.points < item.max_points:
                note = await self.notes.note_item(caller.actor, action.window_id, press.step)
                if isinstance(note, ItemNote):
                    await respond(query, PressReply(screen=note_screen(caller.t, note)))
                    return
        await respond(query, await self._press_reply(caller.t, outcome))

    async def on_show(self, caller: Caller, query: CallbackQuery, action: ShowScore) -> None:
        """Handle 取消 on the finalise question: back to the sheet."""
        await respond(query, await self.sheet_reply(caller, action.window_id))

    async def sheet_reply(self, caller: Caller, window_id: int) -> PressReply:
        """Return the sheet where it stands, as a reply to a press or a message."""
        return await self._press_reply(caller.t, await self.scoring.show(caller.actor, window_id))

    async def on_finalise(self, caller: Caller, query: CallbackQuery, action: FinaliseScore) -> None:
        """Handle 定稿: ask to confirm, if every item is scored."""
        outcome = await self.scoring.ask_finalise(caller.actor, action.window_id)
        await respond(query, await self._press_reply(caller.t, outcome))

    async def on_confirm(self, caller: Caller, query: CallbackQuery, action: ConfirmFinalise) -> None:
        """Handle 确认定稿: the sheet becomes the official record."""
        outcome = await self.scoring.finalise(caller.actor, action.window_id)
        await respond(query, await self._press_reply(caller.t, outcome))

    async def _press_reply(self, t: Texts, outcome: PressOutcome) -> PressReply:  # noqa: PLR0911 - one per outcome
        match outcome:
            case Marked(window=window, marks=marks, stale=stale):
                screen = (await self._view(t, window)).step(marks)
                return PressReply(t.ANSWER_STALE if stale else None, screen=screen)
            case ConfirmFinal(window=window, marks=marks):
                return PressReply(screen=(await self._view(t, window)).confirm(marks))
            case Unfinished(missing=missing):
                return PressReply(t.SCORE_INCOMPLETE.format(missing=missing), alert=True)
            case Unregistered():
                return PressReply(t.ME_NEEDED, alert=True)
            case Final(window=window, sheet=sheet, refused=refused):
                notice = t.SCORE_ALREADY_FINAL if refused else None
                return PressReply(notice, alert=refused, screen=(await self._view(t, window)).final(sheet))
            case NotYours():
                return PressReply(t.SCORE_NOT_YOURS, alert=True)
            case NoSheet():
                return PressReply(t.ANSWER_STALE)
            case PointsRefused():
                return PressReply(t.ANSWER_UNKNOWN)

    async def on_report(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /report [unit]: score and grade with the evaluation's results, and a Word document."""
        t = caller.t
        window = await self.picker.pick(
            caller, message, scope=Scope.ANY, prompt=t.PICK_UNIT_REPORT, action=SendReport
        )
        if window is not None:
            await self._send_report(message, t, window)

    async def on_send_report(self, caller: Caller, query: CallbackQuery, action: SendReport) -> None:
        """Handle a unit picked for /report: the report follows the picker."""
        window = await self.console.managed(caller.actor, action.window_id)
        if window is None:
            await respond(query, PressReply(caller.t.ANSWER_NOT_ALLOWED, alert=True))
            return
        await respond(query, PressReply())
        if isinstance(query.message, Message):
            await self._send_report(query.message, caller.t, window)

    async def _send_report(self, message: Message, t: Texts, window: Window) -> None:
        """Send the figures and, for a draft, what is missing with buttons to finish it; then the document."""
        paper, document = await self.papers.feedback(window, photo_fetcher(message.get_bot()))
        times = window_times(t, window, self.zone)
        await reply(message, report_screen(t, paper, window, times))
        unit = safe_filename(window.label)
        final = paper.final
        await message.reply_document(
            document,
            filename=(t.REPORT_FILE if final else t.REPORT_DRAFT_FILE).format(unit=unit),
            caption=(t.REPORT_CAPTION if final else t.REPORT_CAPTION_DRAFT).format(
                unit=texts.html(window.label)
            ),
        )

    async def on_summary(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /summary (admins): every unit with leader, ballots, rate, score and grade."""
        t = caller.t
        rows, workbook = await self.papers.county_workbook()
        await message.reply_text(summary_text(t, rows))
        await message.reply_document(workbook, filename=t.SUMMARY_FILE, caption=t.SUMMARY_CAPTION)


def report_text(t: Texts, paper: UnitPaper, times: str = "") -> str:
    """Return the unit report message."""
    unit = texts.html(paper.inspection.unit)
    lines = [t.REPORT_TITLE.format(unit=unit)]
    if times:
        lines.append(times)
    lines.append("")
    if paper.score is None:
        lines.append(t.REPORT_SCORE_NONE.format(unit=unit))
    else:
        result = paper.score.result
        if result.grade is None:
            missing = len(paper.score.form.items) - sum(s.scored_items for s in result.sections)
            lines.append(t.REPORT_SCORE_DRAFT.format(total=result.total, missing=missing))
        else:
            state = "" if paper.score.finalised else t.REPORT_SCORE_STATE_DRAFT
            lines.append(t.REPORT_SCORE.format(total=result.total, grade=result.grade, state=state))
        lines += [
            t.REPORT_SECTION_SCORE.format(
                title=escape(s.section.title), points=s.points, max=s.section.max_points
            )
            for s in result.sections
        ]
    tally = paper.evaluation.tally
    is_open = paper.evaluation.is_open
    state = t.REPORT_SURVEY_OPEN if is_open else ""
    lines += [
        "",
        t.REPORT_SURVEY.format(received=tally.received, rate=percent(tally.favourable_rate), state=state),
    ]
    if tally.counted:
        lines.append(split_line(t, tally))
        lines += [line for line in (spoiled_line(t, tally),) if line]
        for question_id, template in ((IMPROVE, t.REPORT_TOP_IMPROVE), (RISKS, t.REPORT_TOP_RISKS)):
            top = top_three(tally.question(question_id).counts)
            lines.append(
                template.format(
                    items=t.LIST_SEPARATOR.join(
                        t.REPORT_TOP_ITEM.format(label=escape(c.option.label), count=c.count) for c in top
                    )
                    or "—"
                )
            )
    else:
        lines.append(hidden_line(t, tally, is_open=is_open))
    if is_open:
        lines.append(t.REPORT_SUGGESTIONS_LATER)
    else:
        lines.append(t.REPORT_SUGGESTIONS.format(count=len(tally.suggestions)))
    return "\n".join(lines)


def photo_fetcher(bot: Bot) -> PhotoFetcher:
    """Return how the papers fetch a photo: getFile, then its download, through the Bot API."""

    async def fetch(file_id: str) -> bytes:
        return bytes(await (await bot.get_file(file_id)).download_as_bytearray())

    return fetch


def missing_lines(t: Texts, paper: UnitPaper) -> list[str]:
    """Return a draft's missing parts, one line each, in the leader's language."""
    unit = texts.html(paper.inspection.unit)
    lines = []
    for part in paper.missing:
        template: str = getattr(t, f"REPORT_MISSING_{part.name}")
        missing = 0
        if part is Missing.SCORE_UNFINISHED and paper.score is not None:
            missing = len(paper.score.form.items) - sum(s.scored_items for s in paper.score.result.sections)
        lines.append(template.format(unit=unit, missing=missing))
    return lines


def report_screen(t: Texts, paper: UnitPaper, window: Window, times: str = "") -> Screen:
    """Return the report message: the figures; for a draft, what is missing and buttons to finish it."""
    text = report_text(t, paper, times)
    if paper.final:
        return Screen(text)
    unit = texts.html(paper.inspection.unit)
    text += "\n\n" + "\n".join(
        [t.REPORT_DRAFT, *missing_lines(t, paper), t.REPORT_DRAFT_AGAIN.format(unit=unit)]
    )
    buttons = []
    if {Missing.SCORE_NONE, Missing.SCORE_UNFINISHED, Missing.SCORE_DRAFT} & set(paper.missing):
        buttons.append(Button(t.REPORT_SCORE_BUTTON, StartScore(window.id)))
    if Missing.WRITINGS_DRAFT in paper.missing:
        buttons.append(Button(t.REPORT_WRITE_BUTTON, StartWriting(window.id)))
    again = (Button(t.REPORT_AGAIN_BUTTON, SendReport(window.id)),)
    return Screen(text, (tuple(buttons), again) if buttons else (again,))


def summary_text(t: Texts, rows: list[SummaryRow]) -> str:
    """Return the county summary message (the workbook holds the sortable table)."""
    lines = [t.SUMMARY_TITLE.format(count=len(rows)), ""]
    for row in rows[:60]:  # the workbook has them all; a message stays readable
        scored = f"{row.total}/100 {row.grade}" if row.total is not None else t.SUMMARY_NO_SCORE
        lines.append(
            t.SUMMARY_LINE.format(
                unit=texts.html(row.unit),
                leader=texts.html(f"{row.leader}（{row.group}）" if row.group else row.leader),
                ballots=row.ballots,
                paper="" if row.paper is None else t.SUMMARY_PAPER.format(paper=row.paper),
                rate=percent(row.favourable_rate),
                score=scored,
            )
        )
    counts = [
        t.SUMMARY_BAND.format(band=band, count=sum(1 for r in rows if r.grade == band)) for _, band in BANDS
    ]
    lines += ["", t.SUMMARY_BANDS.format(bands=t.SUMMARY_BAND_SEPARATOR.join(counts))]
    return "\n".join(lines)
