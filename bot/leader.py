"""Leaders' (and admins') handlers: open a unit, watch the live tally, close, take the results.

Each handler decodes the update, calls `usecases.console` or `usecases.results`, and draws.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

from telegram import Bot, CallbackQuery, Message
from telegram.error import TelegramError
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.arguments import command_argument
from bot.callback_data import (
    AskClose,
    CancelClose,
    ConfirmClose,
    ExplainCombined,
    OpenRound,
    SendChart,
    SendExport,
    SendPaperForm,
    ShowPaper,
    ShowTally,
    WaitKeying,
)
from bot.document_wording import chart_title
from bot.door import Caller, Context
from bot.live import LiveTallies
from bot.officials import leader_labels
from bot.picker import UnitPicker
from bot.qr import qr_png
from bot.replies import PressReply, answer, reply, respond, safe_filename, show
from bot.screens import Button, Screen
from bot.slips import slips_screen
from bot.tally_view import combined_rule, hidden_line, suggestion_messages, tally_screen
from bot.texts import Texts
from conversations.records import LiveView, Window, chinese_number, round_label
from conversations.tally import Tally
from reports.localtime import local, now
from usecases.access import Role
from usecases.console import (
    EXPECTED_MAX,
    AlreadyClosed,
    CloseAsked,
    Closed,
    CloseFailed,
    CloseOutcome,
    Console,
    NoUnitName,
    Opened,
    OpenOutcome,
    UnitClosed,
    UnitTooLong,
)
from usecases.documents import Papers
from usecases.officials import Registration
from usecases.outcomes import NotAllowed
from usecases.results import Results, Snapshot
from usecases.slips import ISSUE_MAX
from usecases.units import Scope, Units

_RECENT = 3  # recent unit names suggested by /open without a name
logger = logging.getLogger(__name__)

PickedAction = ShowTally | AskClose | SendChart | SendExport  # what a command does to the unit it names
_PROMPTS: dict[type[PickedAction], Callable[[Texts], str]] = {
    ShowTally: lambda t: t.PICK_UNIT_TALLY,
    AskClose: lambda t: t.PICK_UNIT_CLOSE,
    SendChart: lambda t: t.PICK_UNIT_CHART,
    SendExport: lambda t: t.PICK_UNIT_EXPORT,
}


_COUNT = re.compile(r"(?P<unit>.+?)\s+(?P<count>[0-9]{1,6})\s*(?P<kind>人|张)?")


def split_count(argument: str) -> tuple[str, int | None, int | None]:
    """Split '县财政局 40' into the unit and a count of slips, '县财政局 25人' into the unit and a headcount.

    Return (unit, slips, expected): a trailing number is slips (张 may follow); followed by 人 it
    is the headcount a unit opened with its link expects. Anything else is part of the name.
    """
    found = _COUNT.fullmatch(argument.strip())
    if found is None or int(found["count"]) < 1:
        return argument, None, None
    unit, count = found["unit"], int(found["count"])
    if found["kind"] == "人":
        return (unit, None, count) if count <= EXPECTED_MAX else (argument, None, None)
    return unit, count, None


class LeaderHandlers:
    """The group leader side of the bot; admins may do all of it for every unit."""

    def __init__(  # noqa: PLR0913 - keyword-only, each one a use case it calls (or how it draws)
        self,
        *,
        console: Console,
        results: Results,
        units: Units,
        papers: Papers,
        registration: Registration,
        live: LiveTallies,
        picker: UnitPicker,
        zone: ZoneInfo,
        web: bool,
    ) -> None:
        self.console = console
        self.results = results
        self.units = units
        self.papers = papers
        self.registration = registration
        self.live = live
        self.picker = picker
        self.zone = zone
        self.web = web  # slips carry the web form's address

    async def on_open(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /open <unit> [slips | headcount人]: open (or re-show) the unit, by slips or by link."""
        t = caller.t
        unit, slips, expected = split_count(command_argument(message))
        if slips is not None and slips > ISSUE_MAX:
            await message.reply_text(t.SLIPS_TOO_MANY.format(limit=ISSUE_MAX))
            return
        outcome = await self.console.open(caller.actor, unit, expected, slips=slips is not None)
        await self._draw_open(caller, message, outcome, slips, expected)

    async def on_open_round(self, caller: Caller, query: CallbackQuery, action: OpenRound) -> None:
        """Handle 开启第二轮: the unit closed in `action.window_id` opens again, as its next round."""
        closed = await self.console.managed(caller.actor, action.window_id)
        if closed is None or not isinstance(query.message, Message):
            await answer(query, caller.t.ANSWER_NOT_ALLOWED, alert=True)
            return
        await respond(query, PressReply(screen=Screen(query.message.text_html or "")))  # the button is spent
        slips = action.slips if action.by_slips else None
        expected = action.expected or None
        outcome = await self.console.open(
            caller.actor, closed.unit, expected, slips=action.by_slips, after=closed.id
        )
        await self._draw_open(caller, query.message, outcome, slips, expected)

    async def _draw_open(
        self, caller: Caller, message: Message, outcome: OpenOutcome, slips: int | None, expected: int | None
    ) -> None:
        t = caller.t
        match outcome:
            case UnitClosed(window=closed, ballots=ballots, next_round=number):
                today = local(now(), self.zone)
                button = Button(
                    t.NEW_ROUND_BUTTON.format(
                        round=f"第{chinese_number(number)}轮", month=today.month, day=today.day
                    ),
                    OpenRound(closed.id, expected or 0, slips is not None, slips or 0),
                )
                at = local(closed.closed_at or closed.opened_at, self.zone)
                text = t.UNIT_CLOSED_FINAL.format(
                    unit=texts.html(closed.label),
                    month=at.month,
                    day=at.day,
                    time=f"{at.hour}:{at.minute:02d}",
                    ballots=ballots,
                    next=texts.html(round_label(closed.unit, number)),
                )
                await reply(message, Screen(text, ((button,),)))
                await self._perform(caller, message, closed, ShowTally)
            case NoUnitName():
                await message.reply_text(await self._open_help(caller))
            case UnitTooLong(limit=limit):
                await message.reply_text(t.UNIT_TOO_LONG.format(limit=limit))
            case Opened(window=window, created=created) if window.slips:
                # No link and no poster: a slips unit lets in only the holders of its slips.
                screen = slips_screen(t, window, count=slips, web=self.web)
                await reply(
                    message, screen if created else Screen(t.ALREADY_OPEN_SLIPS + screen.text, screen.rows)
                )
            case Opened(window=window, created=created):
                link = create_deep_linked_url(message.get_bot().username, window.token)
                expected_text = t.EXPECTED.format(expected=window.expected) if window.expected else ""
                caption = t.OPENED.format(unit=texts.html(window.label), link=link, expected=expected_text)
                if not created:
                    caption = (t.SLIPS_LINK_UNIT if slips else t.ALREADY_OPEN) + caption
                paper = Screen(
                    caption,
                    (
                        (
                            Button(t.PAPER_FORM_BUTTON, SendPaperForm(window.id)),
                            Button(t.PAPER_KEY_BUTTON, ShowPaper(window.id)),
                        ),
                    ),
                )
                await message.reply_photo(qr_png(link), caption=paper.text, reply_markup=paper.markup())
                poster = await self.papers.poster(window, link)
                if poster is not None:
                    filename = t.POSTER_FILE.format(unit=safe_filename(window.unit))
                    await message.reply_document(poster, filename=filename, caption=t.POSTER_CAPTION)

    async def _open_help(self, caller: Caller) -> str:
        """Explain /open (tapped from the menu, it comes without a name) with the caller's recent units."""
        t = caller.t
        recent: list[Window] = []
        for summary in sorted(await self.units.visible(caller.actor, own=True), key=lambda s: -s.window.id):
            if summary.window.unit not in {w.unit for w in recent}:
                recent.append(summary.window)
        example = recent[0].unit if recent else t.OPEN_EXAMPLE
        text = t.OPEN_USAGE.format(example=texts.html(example))
        if recent:
            lines = [
                t.OPEN_RECENT_LINE.format(
                    unit=texts.html(w.unit), state=f" · {t.STATUS_OPEN}" if w.is_open else ""
                )
                for w in recent[:_RECENT]
            ]
            text += t.OPEN_RECENT.format(units="\n".join(lines))
        return text

    async def on_tally(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /tally [unit]: post a live tally message, or buttons to pick a unit."""
        await self._command(caller, message, ShowTally, only_open=False)

    async def on_close(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /close [unit]: ask to confirm closing the unit's window."""
        await self._command(caller, message, AskClose, only_open=True)

    async def on_chart(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /chart [unit]: the unit's bar charts as a picture."""
        await self._command(caller, message, SendChart, only_open=False)

    async def on_export(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /export [unit]: the XLSX workbook (and, once closed, the CSV of the ballots)."""
        await self._command(caller, message, SendExport, only_open=False)

    async def on_units(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /units: the caller's units (an admin's: all, by leader) with status and ballots."""
        t = caller.t
        summaries = await self.units.visible(caller.actor)
        if not summaries:
            await message.reply_text(t.NO_WINDOWS)
            return
        lines = [t.UNITS_TITLE_ALL if caller.role is Role.ADMIN else t.UNITS_TITLE]
        leaders = await leader_labels(t, self.registration, (s.window for s in summaries))
        leader = None
        for summary in summaries:
            window = summary.window
            if caller.role is Role.ADMIN and window.leader_id != leader:
                leader = window.leader_id
                name = texts.html(leaders[window.id])
                lines += ["", t.LEADER_HEADING.format(name=name, id=window.leader_id)]
            status = t.STATUS_OPEN if window.is_open else t.STATUS_CLOSED
            lines.append(
                t.UNIT_LINE.format(status=status, unit=texts.html(window.label), ballots=summary.ballots)
            )
        await message.reply_text("\n".join(lines))

    async def on_refresh(self, caller: Caller, query: CallbackQuery, action: ShowTally) -> None:
        """Handle 🔄 刷新 (or a unit picked for /tally): redraw the tally, which becomes the live one."""
        window = await self._managed(caller, query, action.window_id)
        if window is None:
            return
        t = caller.t
        changed = await show(query, await self._tally_screen(t, window))
        await answer(query, t.ANSWER_REFRESHED if changed else t.ANSWER_UP_TO_DATE)
        if isinstance(query.message, Message):
            await self._track(query.message, t, window)

    async def on_ask_close(self, caller: Caller, query: CallbackQuery, action: AskClose) -> None:
        """Handle 结束测评 (or a unit picked for /close): ask to confirm; keyers mid-form are told."""
        outcome = await self.console.ask_close(caller.actor, action.window_id)
        await respond(query, self._close_reply(caller.t, outcome))
        await self._tell_keyers(query.get_bot(), caller, outcome)

    async def on_wait_keying(self, caller: Caller, query: CallbackQuery, action: WaitKeying) -> None:
        """Handle ⏳ 等待录入: ask again, with the paper forms still being keyed now."""
        outcome = await self.console.ask_close(caller.actor, action.window_id)
        await respond(query, self._close_reply(caller.t, outcome))

    async def _tell_keyers(self, bot: Bot, caller: Caller, outcome: CloseOutcome) -> None:
        """Tell each keyer (in their own chat) that the form on their desk is about to be, or was, cut off."""
        match outcome:
            case CloseAsked(window=window, keying=forms):
                template = texts.ZH.KEYER_CLOSING
            case Closed(window=window, cut_off=forms):
                template = texts.ZH.KEYER_CUT_OFF
            case _:
                return
        for form in forms:
            if form.user_id == caller.user_id:
                continue  # the one closing sees it on the question itself
            try:
                await bot.send_message(form.user_id, template.format(unit=texts.html(window.label)))
            except TelegramError as error:  # blocked, or gone: the leader was told on the question
                logger.warning("could not tell a keyer of window %s about its close: %s", window.id, error)

    async def on_keep_open(self, caller: Caller, query: CallbackQuery, action: CancelClose) -> None:
        """Handle 取消 on the close question: the window stays open."""
        window = await self._managed(caller, query, action.window_id)
        if window is None:
            return
        await respond(
            query, PressReply(screen=Screen(caller.t.CLOSE_KEPT.format(unit=texts.html(window.unit))))
        )

    async def on_confirm_close(self, caller: Caller, query: CallbackQuery, action: ConfirmClose) -> None:
        """Handle 确认结束: close for good, show the final tally, then deliver the results."""
        t = caller.t
        pressed = query.message
        if pressed is not None:  # the final tally is drawn here; the chat's live message points to it
            self.live.closing(action.window_id, pressed.chat.id, pressed.message_id)
        outcome = await self.console.close(caller.actor, action.window_id)
        if not isinstance(outcome, Closed) and pressed is not None:
            self.live.not_closing(action.window_id, pressed.chat.id)
        match outcome:
            case NotAllowed():
                await answer(query, t.ANSWER_NOT_ALLOWED, alert=True)
            case CloseFailed():
                await respond(query, self._close_reply(t, outcome))
            case AlreadyClosed(window=window) | Closed(window=window):
                await answer(query, t.ANSWER_ENDED if isinstance(outcome, AlreadyClosed) else None)
                await show(query, await self._tally_screen(t, window))
                await self._tell_keyers(query.get_bot(), caller, outcome)
                if isinstance(outcome, Closed) and isinstance(query.message, Message):
                    if not window.rebuilt:  # closed, every ballot counted; the clean-up waits for the disk
                        await query.message.reply_text(
                            t.CLOSED_NOT_REBUILT.format(unit=texts.html(window.unit))
                        )
                    await self._deliver(query.message, t, window)

    async def on_explain_combined(
        self, caller: Caller, query: CallbackQuery, action: ExplainCombined
    ) -> None:
        """Handle ❓ 合并规则 under a final tally: why some categories are counted together."""
        window = await self._managed(caller, query, action.window_id)
        if window is None:
            return
        await answer(query)
        if isinstance(query.message, Message):
            await query.message.reply_text(combined_rule(caller.t, window.min_group))

    async def on_send(self, caller: Caller, query: CallbackQuery, action: SendChart | SendExport) -> None:
        """Handle a unit picked for /chart or /export."""
        window = await self._managed(caller, query, action.window_id)
        if window is None:
            return
        await answer(query)
        if isinstance(query.message, Message):
            await self._perform(caller, query.message, window, type(action))

    async def _managed(self, caller: Caller, query: CallbackQuery, window_id: int) -> Window | None:
        """Return the unit a press is about if the caller manages it; else refuse the press (None)."""
        window = await self.console.managed(caller.actor, window_id)
        if window is None:
            await answer(query, caller.t.ANSWER_NOT_ALLOWED, alert=True)
        return window

    async def _command(
        self, caller: Caller, message: Message, kind: type[PickedAction], *, only_open: bool
    ) -> None:
        """Find the unit the command names (or offer buttons), then do what the command does."""
        scope = Scope.OPEN if only_open else Scope.OPEN_FIRST
        prompt = _PROMPTS[kind](caller.t)
        window = await self.picker.pick(caller, message, scope=scope, prompt=prompt, action=kind)
        if window is not None:
            await self._perform(caller, message, window, kind)

    async def _perform(
        self, caller: Caller, message: Message, window: Window, kind: type[PickedAction]
    ) -> None:
        """Do a command's work on a chosen unit (from the command or from a picker button)."""
        t = caller.t
        if kind is ShowTally:
            sent = await reply(message, await self._tally_screen(t, window))
            await self._track(sent, t, window)
        elif kind is AskClose:
            outcome = await self.console.ask_close(caller.actor, window.id)
            screen = self._close_reply(t, outcome).screen
            await reply(message, screen or Screen(t.ANSWER_NOT_ALLOWED))
            await self._tell_keyers(message.get_bot(), caller, outcome)
        elif kind is SendChart:
            await self._send_chart(message, t, window, await self.results.tally(window))
        else:
            await self._send_exports(message, t, await self.results.snapshot(window))

    def _close_reply(self, t: Texts, outcome: CloseOutcome) -> PressReply:
        match outcome:
            case NotAllowed():
                return PressReply(t.ANSWER_NOT_ALLOWED, alert=True)
            case AlreadyClosed(window=window) | Closed(window=window):
                return PressReply(screen=Screen(t.ALREADY_CLOSED.format(unit=texts.html(window.unit))))
            case CloseAsked(window=window, ballots=ballots) | CloseFailed(window=window, ballots=ballots):
                buttons = (
                    Button(t.CONFIRM_CLOSE_BUTTON, ConfirmClose(window.id)),
                    Button(t.CANCEL_CLOSE_BUTTON, CancelClose(window.id)),
                )
                unit = texts.html(window.unit)
                if isinstance(outcome, CloseFailed):  # still open: say so, and offer to try again
                    text = t.CLOSE_NOT_WRITTEN.format(unit=unit, ballots=ballots)
                    return PressReply(t.ANSWER_CLOSE_NOT_WRITTEN, alert=True, screen=Screen(text, (buttons,)))
                text = t.CONFIRM_CLOSE.format(unit=unit, ballots=ballots)
                rows: tuple[tuple[Button, ...], ...] = (buttons,)
                if isinstance(outcome, CloseAsked) and outcome.keying:
                    review = sum(form.at_review for form in outcome.keying)
                    text += t.CLOSE_KEYING.format(
                        count=len(outcome.keying),
                        review=t.CLOSE_KEYING_REVIEW.format(review=review) if review else "",
                    )
                    rows = ((Button(t.CLOSE_WAIT_BUTTON, WaitKeying(window.id)),), buttons)
                return PressReply(screen=Screen(text, rows))

    async def _tally_screen(self, t: Texts, window: Window) -> Screen:
        return tally_screen(t, window, await self.results.tally(window), self.zone)

    async def _track(self, message: Message, t: Texts, window: Window) -> None:
        """Keep this tally message current while the window is open (it replaces the chat's older one)."""
        if window.is_open:
            view = LiveView(
                chat_id=message.chat.id,
                message_id=message.message_id,
                window_id=window.id,
                language=t.language,
            )
            await self.live.track(view)

    async def _deliver(self, message: Message, t: Texts, window: Window) -> None:
        """Deliver a closed window's results: the suggestions (shuffled), the chart, the files."""
        snapshot = await self.results.snapshot(window)
        if snapshot.tally.counted:
            for text in suggestion_messages(t, window.unit, list(snapshot.tally.suggestions)):
                await message.reply_text(text)
        await self._send_chart(message, t, window, snapshot.tally)
        await self._send_exports(message, t, snapshot)

    async def _send_chart(self, message: Message, t: Texts, window: Window, tally: Tally) -> None:
        if not tally.counted:
            await message.reply_text(hidden_line(t, tally, is_open=window.is_open))
            return
        state = t.STATE_OPEN if window.is_open else t.STATE_CLOSED
        # The chart speaks the form's language, Chinese, whatever the interface language.
        png = await self.results.chart(tally, chart_title(t, window, tally, self.zone))
        if png is None:
            await message.reply_text(t.CHART_UNAVAILABLE)
            return
        await message.reply_photo(
            png, caption=t.CHART_CAPTION.format(unit=texts.html(window.unit), state=state)
        )

    async def _send_exports(self, message: Message, t: Texts, snapshot: Snapshot) -> None:
        window = snapshot.window
        exports = await self.results.exports(snapshot)
        unit = safe_filename(window.label)
        if exports.csv is None:
            caption = t.EXPORT_CAPTION_OPEN.format(unit=texts.html(window.label))
        else:
            caption = t.EXPORT_CAPTION.format(unit=texts.html(window.label))
        await message.reply_document(exports.xlsx, filename=t.EXPORT_FILE.format(unit=unit), caption=caption)
        if exports.csv is not None:
            await message.reply_document(exports.csv, filename=t.EXPORT_CSV_FILE.format(unit=unit))
