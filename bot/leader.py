"""Handlers for group leaders (and admins): open a unit, watch the live tally, close, take reports."""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable

from telegram import CallbackQuery, Message
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.arguments import UNIT_MAX_LENGTH, command_argument
from bot.callback_data import AskClose, CancelClose, ConfirmClose, SendChart, SendExport, ShowTally
from bot.door import Caller, Context
from bot.officials import leader_labels
from bot.paperwork import chart_title
from bot.picker import Scope, UnitPicker
from bot.qr import qr_png
from bot.replies import answer, reply, show
from bot.results import Snapshot
from bot.screens import Button, Screen
from bot.services import Services
from bot.tally_view import hidden_line, suggestion_messages, tally_text
from bot.texts import Texts
from conversations.tally import Tally
from storage.models import LiveView, Window
from usecases.access import Role, can_manage

logger = logging.getLogger(__name__)

EXPECTED_MAX = 10_000
_RECENT = 3  # recent unit names suggested by /open without a name

LeaderAction = ShowTally | AskClose | ConfirmClose | CancelClose | SendChart | SendExport
PickedAction = ShowTally | AskClose | SendChart | SendExport  # what a command does to the unit it names
_PROMPTS: dict[type[PickedAction], Callable[[Texts], str]] = {
    ShowTally: lambda t: t.PICK_UNIT_TALLY,
    AskClose: lambda t: t.PICK_UNIT_CLOSE,
    SendChart: lambda t: t.PICK_UNIT_CHART,
    SendExport: lambda t: t.PICK_UNIT_EXPORT,
}


def split_expected(argument: str) -> tuple[str, int | None]:
    """Split '县财政局 25' into the unit and the expected headcount (a trailing whole number)."""
    head, _, tail = argument.rpartition(" ")
    if head and tail.isascii() and tail.isdigit() and 1 <= int(tail) <= EXPECTED_MAX:
        return head, int(tail)
    return argument, None


class LeaderHandlers:
    """The group leader side of the bot; admins may do all of it for every unit."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repository = services.repository
        self.results = services.results
        self.picker = UnitPicker(services.units, services.repository, services.settings.survey_tz)

    async def on_open(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /open <unit> [expected]: open (or re-show) the unit's window, link and QR code."""
        t = caller.t
        unit, expected = split_expected(command_argument(message))
        if not unit:
            await message.reply_text(await self._open_help(caller))
            return
        if len(unit) > UNIT_MAX_LENGTH:
            await message.reply_text(t.UNIT_TOO_LONG.format(limit=UNIT_MAX_LENGTH))
            return
        window, created = await self.repository.open_window(
            caller.user_id,
            unit,
            min_group=self.services.settings.survey_min_group,
            expected=expected,
            leader_name=caller.name,
        )
        link = create_deep_linked_url(context.bot.username, window.token)
        expected_text = t.EXPECTED.format(expected=window.expected) if window.expected else ""
        caption = t.OPENED.format(unit=texts.unit(window.unit), link=link, expected=expected_text)
        if not created:
            caption = t.ALREADY_OPEN + caption
        else:
            logger.info("A survey window was opened (window %d)", window.id)
        await message.reply_photo(qr_png(link), caption=caption)
        poster = await self.services.paperwork.poster(window, link)
        if poster is not None:
            await message.reply_document(
                poster,
                filename=t.POSTER_FILE.format(unit=safe_filename(window.unit)),
                caption=t.POSTER_CAPTION,
            )

    async def _open_help(self, caller: Caller) -> str:
        """Explain /open (tapped from the menu, it comes without a name) with the caller's recent units."""
        t = caller.t
        recent: list[Window] = []
        for summary in sorted(await self.picker.windows(caller, own=True), key=lambda s: -s.window.id):
            if summary.window.unit not in {w.unit for w in recent}:
                recent.append(summary.window)
        example = recent[0].unit if recent else t.OPEN_EXAMPLE
        text = t.OPEN_USAGE.format(example=texts.unit(example))
        if recent:
            lines = [
                t.OPEN_RECENT_LINE.format(
                    unit=texts.unit(w.unit), state=f" · {t.STATUS_OPEN}" if w.is_open else ""
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
        """Handle /export [unit]: the XLSX workbook and the CSV of the ballots."""
        await self._command(caller, message, SendExport, only_open=False)

    async def _command(
        self, caller: Caller, message: Message, kind: type[PickedAction], *, only_open: bool
    ) -> None:
        """Find the unit the command names (or offer buttons), then do what the command does."""
        prompt = _PROMPTS[kind](caller.t)
        scope = Scope.OPEN if only_open else Scope.OPEN_FIRST
        window = await self.picker.pick(caller, message, scope=scope, prompt=prompt, action=kind)
        if window is not None:
            await self._perform(message, caller.t, window, kind)

    async def _perform(self, message: Message, t: Texts, window: Window, kind: type[PickedAction]) -> None:
        """Do a command's work on a chosen unit (from the command or from a picker button)."""
        if kind is ShowTally:
            await self._post_live(message, t, window)
        elif kind is AskClose:
            await reply(message, await self._confirm_screen(t, window))
        elif kind is SendChart:
            await self._send_chart(message, t, window, await self.results.tally(window))
        else:
            await self._send_exports(message, t, await self.results.snapshot(window))

    async def on_units(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /units: the caller's units (an admin's: all, by leader) with status and ballots."""
        t = caller.t
        summaries = await self.picker.windows(caller)
        if not summaries:
            await message.reply_text(t.NO_WINDOWS)
            return
        lines = [t.UNITS_TITLE_ALL if caller.role is Role.ADMIN else t.UNITS_TITLE]
        leaders = await leader_labels(t, self.repository, (s.window for s in summaries))
        leader = None
        for summary in summaries:
            window = summary.window
            if caller.role is Role.ADMIN and window.leader_id != leader:
                leader = window.leader_id
                name = texts.unit(leaders[window.id])
                lines += ["", t.LEADER_HEADING.format(name=name, id=window.leader_id)]
            status = t.STATUS_OPEN if window.is_open else t.STATUS_CLOSED
            lines.append(
                t.UNIT_LINE.format(status=status, unit=texts.unit(window.unit), ballots=summary.ballots)
            )
        await message.reply_text("\n".join(lines))

    async def _managed(self, caller: Caller, query: CallbackQuery, action: LeaderAction) -> Window | None:
        """Return the window of a leader's button if the caller manages it, else refuse the press."""
        window = await self.repository.window(action.window_id)
        if window is None or not can_manage(caller.actor, window):
            await answer(query, caller.t.ANSWER_NOT_ALLOWED, alert=True)
            return None
        return window

    async def on_refresh(self, caller: Caller, query: CallbackQuery, action: ShowTally) -> None:
        """Handle 🔄 刷新 (or a unit picked for /tally): redraw the tally, which becomes the live one."""
        window = await self._managed(caller, query, action)
        if window is not None:
            await self._refresh(query, caller.t, window)

    async def on_ask_close(self, caller: Caller, query: CallbackQuery, action: AskClose) -> None:
        """Handle 结束测评 (or a unit picked for /close): ask to confirm."""
        window = await self._managed(caller, query, action)
        if window is not None:
            await answer(query)
            await show(query, await self._confirm_screen(caller.t, window))

    async def on_keep_open(self, caller: Caller, query: CallbackQuery, action: CancelClose) -> None:
        """Handle 取消 on the close question: the window stays open."""
        window = await self._managed(caller, query, action)
        if window is not None:
            await answer(query)
            await show(query, Screen(caller.t.CLOSE_KEPT.format(unit=texts.unit(window.unit))))

    async def on_confirm_close(self, caller: Caller, query: CallbackQuery, action: ConfirmClose) -> None:
        """Handle 确认关闭: close for good and deliver the results."""
        window = await self._managed(caller, query, action)
        if window is not None:
            await self._close(query, caller.t, window)

    async def on_send(self, caller: Caller, query: CallbackQuery, action: SendChart | SendExport) -> None:
        """Handle a unit picked for /chart or /export."""
        window = await self._managed(caller, query, action)
        if window is None:
            return
        await answer(query)
        if isinstance(query.message, Message):
            await self._perform(query.message, caller.t, window, type(action))

    async def tally_screen(self, t: Texts, window: Window) -> Screen:
        """Return the tally screen of a window; open windows get refresh and close buttons."""
        text = tally_text(t, window, await self.results.tally(window), self.services.settings.survey_tz)
        if not window.is_open:
            return Screen(text)
        buttons = (
            Button(t.REFRESH_BUTTON, ShowTally(window.id)),
            Button(t.CLOSE_BUTTON, AskClose(window.id)),
        )
        return Screen(text, (buttons,))

    async def _post_live(self, message: Message, t: Texts, window: Window) -> None:
        sent = await reply(message, await self.tally_screen(t, window))
        if window.is_open:
            view = LiveView(
                chat_id=sent.chat.id, message_id=sent.message_id, window_id=window.id, language=t.language
            )
            await self.services.live.track(view)

    async def _refresh(self, query: CallbackQuery, t: Texts, window: Window) -> None:
        """Redraw the pressed tally message now; it becomes the live one for that chat."""
        changed = await show(query, await self.tally_screen(t, window))
        await answer(query, t.ANSWER_REFRESHED if changed else t.ANSWER_UP_TO_DATE)
        message = query.message
        if isinstance(message, Message) and window.is_open:
            view = LiveView(
                chat_id=message.chat.id,
                message_id=message.message_id,
                window_id=window.id,
                language=t.language,
            )
            await self.services.live.track(view)

    async def _close(self, query: CallbackQuery, t: Texts, window: Window) -> None:
        """Close for good, then deliver the final tally, suggestions, chart and workbook."""
        closed = await self.repository.close_window(window.id)
        await answer(query, None if closed else t.ANSWER_ENDED)
        if closed:
            logger.info("A survey window was closed (window %d)", window.id)
        final = await self.repository.window(window.id)
        assert final is not None  # noqa: S101 - windows are never deleted
        await show(query, await self.tally_screen(t, final))
        await self.services.live.finish(final)
        message = query.message
        if not isinstance(message, Message) or not closed:
            return
        snapshot = await self.results.snapshot(final)
        if snapshot.tally.counted:
            suggestions = list(snapshot.tally.suggestions)
            random.SystemRandom().shuffle(suggestions)  # no order that could hint at who wrote what
            for text in suggestion_messages(t, final.unit, suggestions):
                await message.reply_text(text)
        await self._send_chart(message, t, final, snapshot.tally)
        await self._send_exports(message, t, snapshot)

    async def _send_chart(self, message: Message, t: Texts, window: Window, tally: Tally) -> None:
        if not tally.counted:
            await message.reply_text(hidden_line(t, tally, is_open=window.is_open))
            return
        state = t.STATE_OPEN if window.is_open else t.STATE_CLOSED
        # The chart speaks the form's language, Chinese, whatever the interface language.
        png = await self.results.chart(tally, chart_title(t, window, tally, self.services.settings.survey_tz))
        if png is None:
            await message.reply_text(t.CHART_UNAVAILABLE)
            return
        await message.reply_photo(
            png, caption=t.CHART_CAPTION.format(unit=texts.unit(window.unit), state=state)
        )

    async def _send_exports(self, message: Message, t: Texts, snapshot: Snapshot) -> None:
        window = snapshot.window
        exports = await self.results.exports(snapshot)
        unit = safe_filename(window.unit)
        if exports.csv is None:
            caption = t.EXPORT_CAPTION_OPEN.format(unit=texts.unit(window.unit))
        else:
            caption = t.EXPORT_CAPTION.format(unit=texts.unit(window.unit))
        await message.reply_document(exports.xlsx, filename=t.EXPORT_FILE.format(unit=unit), caption=caption)
        if exports.csv is not None:
            await message.reply_document(exports.csv, filename=t.EXPORT_CSV_FILE.format(unit=unit))

    async def _confirm_screen(self, t: Texts, window: Window) -> Screen:
        unit = texts.unit(window.unit)
        if not window.is_open:
            return Screen(t.ALREADY_CLOSED.format(unit=unit))
        count = await self.repository.ballot_count(window.id)
        buttons = (
            Button(t.CONFIRM_CLOSE_BUTTON, ConfirmClose(window.id)),
            Button(t.CANCEL_CLOSE_BUTTON, CancelClose(window.id)),
        )
        return Screen(t.CONFIRM_CLOSE.format(unit=unit, ballots=count), (buttons,))


def safe_filename(name: str) -> str:
    """Return a unit name usable in a file name."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_")[:40] or "unit"
