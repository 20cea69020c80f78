"""Handlers for what a leader writes beyond points: reasons and photos, the feedback's sections, conclusions.

A leader's text or photo goes to what is pending for them (see usecases/notes.py); with
nothing pending it is a participant's message as before.
"""

from __future__ import annotations

import logging
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Message
from telegram.error import TelegramError

from bot import texts
from bot.arguments import command_argument
from bot.callback_data import (
    ConfirmSections,
    FinaliseSections,
    NoteDone,
    NoteItem,
    ReopenSections,
    SendGroupReport,
    SendReport,
    SkipSection,
    StartWriting,
    WriteConclusions,
    WriteSection,
)
from bot.door import Caller, Context
from bot.replies import PressReply, reply, respond, safe_filename
from bot.score_screens import note_screen
from bot.scoring import ScoringHandlers
from bot.screens import Button, Screen
from bot.texts import Texts
from reports.documents import GroupPaper
from reports.localtime import local
from usecases.access import Role
from usecases.documents import GroupOutcome, GroupReport, NoGroup, NoUnits, Papers, WhichGroup
from usecases.notes import (
    SECTIONS,
    WRITING_MAX,
    ConclusionsSaved,
    ItemNote,
    Locked,
    Notes,
    NothingWritten,
    ReasonSaved,
    Reopened,
    ReportFinal,
    Sections,
    TextOutcome,
)
from usecases.outcomes import NotYours, TooLong
from usecases.units import Scope

logger = logging.getLogger(__name__)


def _when(moment: datetime, zone: ZoneInfo) -> str:
    at = local(moment, zone)
    return f"{at.month}月{at.day}日 {at.hour}:{at.minute:02d}"


def sections_screen(t: Texts, outcome: Sections, zone: ZoneInfo, *, confirm: bool = False) -> Screen:
    """Return the leader's sections: each as written, then what is asked, or the buttons to edit."""
    window, writings = outcome.window, outcome.writings
    unit = texts.html(window.label)
    lines = [t.WRITE_TITLE.format(unit=unit), ""]
    for section in SECTIONS:
        text = writings.texts.get(section, "")
        lines.append(
            t.WRITE_LINE.format(section=t.SECTION_TITLES[section], text=escape(text) or t.WRITE_EMPTY)
        )
    if writings.reopenings:
        last = writings.reopenings[-1]
        lines += [
            "",
            t.WRITE_REOPENED_LINE.format(
                at=_when(last.at, zone),
                who=t.WRITE_BY_ADMIN if last.by_admin else t.WRITE_BY_LEADER,
                was=_when(last.was_finalised_at, zone),
            ),
        ]
    if writings.finalised:
        lines += ["", t.WRITE_FINAL.format(unit=unit)]
        report = (Button(t.REPORT_BUTTON, SendReport(window.id)),)
        if outcome.reopenable:
            return Screen("\n".join(lines), (report, (Button(t.WRITE_REOPEN, ReopenSections(window.id)),)))
        if outcome.editable:
            lines.append(t.WRITE_REOPEN_ASK_ADMIN)
        return Screen("\n".join(lines), (report,))
    if not outcome.editable:
        return Screen("\n".join([*lines, "", t.NOTES_NOT_YOURS]))
    titles = "、".join(t.SECTION_TITLES[s] for s in outcome.empty)
    if confirm:
        rows: list[tuple[Button, ...]] = []  # the empty sections' ✎, then 确认定稿 and 取消
        if outcome.empty:
            lines += ["", t.WRITE_CONFIRM_EMPTY.format(sections=titles)]
            rows.append(
                tuple(
                    Button(t.WRITE_EDIT.format(section=t.SECTION_TITLES[s]), WriteSection(window.id, i))
                    for i, s in enumerate(SECTIONS)
                    if s in outcome.empty
                )
            )
        lines += ["", t.WRITE_CONFIRM.format(unit=unit)]
        rows.append(
            (
                Button(t.WRITE_CONFIRM_BUTTON, ConfirmSections(window.id)),
                Button(t.CANCEL_CLOSE_BUTTON, SkipSection(window.id, len(SECTIONS) - 1)),
            )
        )
        return Screen("\n".join(lines), tuple(rows))
    if outcome.asking is not None:
        index = SECTIONS.index(outcome.asking)
        title = t.SECTION_TITLES[outcome.asking]
        lines += ["", t.WRITE_ASK.format(section=title, limit=WRITING_MAX)]
        return Screen("\n".join(lines), ((Button(t.WRITE_SKIP, SkipSection(window.id, index)),),))
    edits = [
        Button(t.WRITE_EDIT.format(section=t.SECTION_TITLES[s]), WriteSection(window.id, i))
        for i, s in enumerate(SECTIONS)
    ]
    finalise = (Button(t.WRITE_FINALISE, FinaliseSections(window.id)),)
    return Screen("\n".join(lines), (tuple(edits[:2]), tuple(edits[2:]), finalise))


class NoteHandlers:
    """Reasons and photos on the score sheet, /write, and the conclusions of /groupreport."""

    def __init__(self, notes: Notes, scoring: ScoringHandlers) -> None:
        self.notes = notes
        self.scoring = scoring
        self.picker = scoring.picker
        self.zone = scoring.zone

    # reasons and photos

    async def on_note_item(self, caller: Caller, query: CallbackQuery, action: NoteItem) -> None:
        """Handle 📝 理由/照片 on an item of the sheet."""
        outcome = await self.notes.note_item(caller.actor, action.window_id, action.step)
        if isinstance(outcome, ItemNote):
            await respond(query, PressReply(screen=note_screen(caller.t, outcome)))
        elif isinstance(outcome, Locked):
            await respond(query, PressReply(caller.t.NOTE_LOCKED, alert=True))
        else:
            await respond(query, PressReply(caller.t.NOTES_NOT_YOURS, alert=True))

    async def on_note_done(self, caller: Caller, query: CallbackQuery, action: NoteDone) -> None:
        """Handle 完成: nothing more for this item; back to the sheet where it stands."""
        await self.notes.done_with_item(caller.actor)
        await respond(query, await self.scoring.sheet_reply(caller, action.window_id))

    async def after_text(self, caller: Caller, message: Message, outcome: TextOutcome) -> None:
        """Draw what a leader's text did to the note waiting for it."""
        t = caller.t
        match outcome:
            case TooLong(limit=limit, length=length):
                await message.reply_text(t.TEXT_TOO_LONG.format(limit=limit, length=length))
            case ReasonSaved(note=note):
                await reply(message, note_screen(t, note, saved=True))
            case Sections():
                await reply(message, sections_screen(t, outcome, self.zone))
            case ConclusionsSaved():
                again = Button(t.GROUP_AGAIN_BUTTON, SendGroupReport(0, caller.user_id))
                await reply(message, Screen(t.GROUP_SAVED, ((again,),)))
            case Locked():
                await message.reply_text(t.WRITE_LOCKED)
            case NotYours():
                await message.reply_text(t.NOTES_NOT_YOURS)

    # the leader's sections of the feedback

    async def on_write(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /write [unit]: walk the sections, starting at the first empty one; no name: pick a unit."""
        t = caller.t
        own = caller.actor.role is not Role.ADMIN  # an admin sees any unit's, to reopen final ones
        window = await self.picker.pick(
            caller, message, scope=Scope.ANY, prompt=t.PICK_UNIT_WRITE, action=StartWriting, own=own
        )
        if window is None:
            return
        outcome = await self.notes.start_sections(caller.actor, window.id)
        if isinstance(outcome, Sections):
            await reply(message, sections_screen(t, outcome, self.zone))

    async def on_start_writing(self, caller: Caller, query: CallbackQuery, action: StartWriting) -> None:
        """Handle a unit picked for /write: the picker becomes the sections' walk."""
        await self._press_sections(
            caller, query, await self.notes.start_sections(caller.actor, action.window_id)
        )

    async def _press_sections(self, caller: Caller, query: CallbackQuery, outcome: object) -> None:
        if isinstance(outcome, Sections):
            await respond(query, PressReply(screen=sections_screen(caller.t, outcome, self.zone)))
        else:
            await respond(query, PressReply(caller.t.NOTES_NOT_YOURS, alert=True))

    async def on_write_section(self, caller: Caller, query: CallbackQuery, action: WriteSection) -> None:
        """Handle ✎ on a section."""
        await self._press_sections(
            caller, query, await self.notes.ask_section(caller.actor, action.window_id, action.section)
        )

    async def on_skip_section(self, caller: Caller, query: CallbackQuery, action: SkipSection) -> None:
        """Handle 跳过 (and 取消 on the finalise question)."""
        await self._press_sections(
            caller, query, await self.notes.skip_section(caller.actor, action.window_id, action.section)
        )

    async def on_finalise_sections(
        self, caller: Caller, query: CallbackQuery, action: FinaliseSections
    ) -> None:
        """Handle 📝 定稿: ask to confirm, naming the sections still empty; nothing written: say so."""
        t = caller.t
        match await self.notes.ask_finalise(caller.actor, action.window_id):
            case Sections() as outcome:
                await respond(query, PressReply(screen=sections_screen(t, outcome, self.zone, confirm=True)))
            case NothingWritten():
                await respond(query, PressReply(t.WRITE_NOTHING_WRITTEN, alert=True))
            case _:
                await respond(query, PressReply(t.NOTES_NOT_YOURS, alert=True))

    async def on_confirm_sections(
        self, caller: Caller, query: CallbackQuery, action: ConfirmSections
    ) -> None:
        """Handle 确认定稿: the sections are final."""
        outcome = await self.notes.finalise_sections(caller.actor, action.window_id)
        if isinstance(outcome, NothingWritten):
            await respond(query, PressReply(caller.t.WRITE_NOTHING_WRITTEN, alert=True))
        else:
            await self._press_sections(caller, query, outcome)

    async def on_reopen_sections(self, caller: Caller, query: CallbackQuery, action: ReopenSections) -> None:
        """Handle ✎ 重新打开修改: the sections editable again (recorded); an admin's is told to the leader."""
        t = caller.t
        match await self.notes.reopen_sections(caller.actor, action.window_id):
            case Reopened(sections=sections, by_admin=by_admin):
                await respond(
                    query, PressReply(t.WRITE_REOPENED, screen=sections_screen(t, sections, self.zone))
                )
                if by_admin:
                    await self._tell_leader(query, sections)
            case ReportFinal():
                await respond(query, PressReply(t.WRITE_REOPEN_ASK_ADMIN, alert=True))
            case outcome:
                await self._press_sections(caller, query, outcome)

    async def _tell_leader(self, query: CallbackQuery, sections: Sections) -> None:
        window = sections.window
        unit = texts.html(window.unit)
        text = texts.ZH.WRITE_REOPENED_BY_ADMIN.format(unit=unit)  # a leader's chat is in Chinese
        try:
            await query.get_bot().send_message(window.leader_id, text)
        except TelegramError as error:  # blocked, or never started the bot: the record stands
            logger.warning("could not tell leader of window %s it was reopened: %s", window.id, error)

    # the group's conclusions

    async def on_write_conclusions(
        self, caller: Caller, query: CallbackQuery, action: WriteConclusions
    ) -> None:
        """Handle ✎ 结论和建议 under the group's report: the next text is the conclusions."""
        current = await self.notes.ask_conclusions(caller.actor)
        text = caller.t.GROUP_ASK.format(limit=WRITING_MAX, text=escape(current) or caller.t.WRITE_EMPTY)
        await respond(query, PressReply())
        if isinstance(query.message, Message):
            await query.message.reply_text(text)


class GroupReportHandlers:
    """/groupreport: a leader's own units, or, for an admin, any group's."""

    def __init__(self, papers: Papers) -> None:
        self.papers = papers

    async def on_groupreport(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /groupreport [group]: the group's 总结报告 as a Word document, and ✎ 结论和建议."""
        await self._draw(
            caller.t, message, await self.papers.group_report_for(caller.actor, command_argument(message))
        )

    async def on_send(self, caller: Caller, query: CallbackQuery, action: SendGroupReport) -> None:
        """Handle a group picked by an admin, or 重新生成总结报告 under the saved conclusions."""
        await respond(query, PressReply())
        if isinstance(query.message, Message):
            outcome = await self.papers.group_report_of(caller.actor, action.leader)
            await self._draw(caller.t, query.message, outcome)

    async def _draw(self, t: Texts, message: Message, outcome: GroupOutcome) -> None:
        match outcome:
            case NoGroup(group):
                await message.reply_text(t.GROUP_NOT_FOUND.format(group=texts.html(group)))
            case WhichGroup(groups) if groups:
                rows = tuple((Button(name, SendGroupReport(0, leader)),) for name, leader in groups.items())
                await reply(message, Screen(t.GROUP_PICK, rows))
            case WhichGroup():
                await message.reply_text(t.GROUP_USAGE.format(groups="—"))
            case NoUnits():
                await message.reply_text(t.NO_WINDOWS)
            case GroupReport(paper, document, own):
                await self._send(t, message, paper, document, own=own)

    @staticmethod
    async def _send(t: Texts, message: Message, paper: GroupPaper, document: bytes, *, own: bool) -> None:
        name = paper.group or t.GROUP_FILE_FALLBACK
        keyboard = Screen("", ((Button(t.GROUP_CONCLUSIONS_BUTTON, WriteConclusions(0)),),)).markup()
        await message.reply_document(
            document,
            filename=t.GROUP_FILE.format(group=safe_filename(name)),
            caption=t.GROUP_CAPTION.format(group=texts.html(name), count=len(paper.units)),
            reply_markup=keyboard if own else None,
        )
