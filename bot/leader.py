"""Handlers for group leaders: open a unit's window, watch the tally, close it."""

from __future__ import annotations

import logging
import random
import re

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.callback_data import AskClose, CancelClose, ConfirmClose, ShowTally
from bot.qr import qr_png
from bot.replies import answer, reply, show
from bot.screens import Button, Screen
from bot.services import Services
from bot.tally_view import suggestion_messages, tally_text
from conversations.tally import compute_tally
from storage.models import Window

logger = logging.getLogger(__name__)

UNIT_MAX_LENGTH = 64
_SPACES = re.compile(r"\s+")
_PICKER_LIMIT = 20

LeaderAction = ShowTally | AskClose | ConfirmClose | CancelClose


def unit_argument(message: Message) -> str:
    """Return the text after the command, trimmed and with runs of spaces folded."""
    parts = (message.text or "").split(maxsplit=1)
    return _SPACES.sub(" ", parts[1]).strip() if len(parts) > 1 else ""


class LeaderHandlers:
    """The group leader side of the bot."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repository = services.repository

    async def _leader_message(self, update: Update) -> tuple[Message, int] | None:
        """Return the message and leader id, or refuse a non-leader without saying more."""
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return None
        if not self.services.is_leader(user.id):
            await message.reply_text(texts.NOT_A_LEADER)
            return None
        return message, user.id

    async def on_open(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /open <unit>: open (or re-show) the unit's window with its link and QR code."""
        found = await self._leader_message(update)
        if found is None:
            return
        message, leader_id = found
        unit = unit_argument(message)
        if not unit:
            await message.reply_text(texts.OPEN_USAGE)
            return
        if len(unit) > UNIT_MAX_LENGTH:
            await message.reply_text(texts.UNIT_TOO_LONG.format(limit=UNIT_MAX_LENGTH))
            return
        before = {s.window.id for s in await self.repository.windows_of(leader_id) if s.window.is_open}
        window = await self.repository.open_window(leader_id, unit)
        link = create_deep_linked_url(context.bot.username, window.token)
        caption = texts.OPENED.format(unit=texts.unit(window.unit), link=link)
        if window.id in before:
            caption = texts.ALREADY_OPEN + caption
        logger.info("A survey window was opened (window %d)", window.id)
        await message.reply_photo(qr_png(link), caption=caption)

    async def on_tally(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /tally [unit]: the tally, or buttons to pick a unit."""
        found = await self._leader_message(update)
        if found is None:
            return
        message, leader_id = found
        window = await self._pick(message, leader_id, only_open=False, prompt=texts.PICK_UNIT_TALLY)
        if window is not None:
            await reply(message, await self._tally_screen(window))

    async def on_close(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /close [unit]: ask to confirm closing the unit's window."""
        found = await self._leader_message(update)
        if found is None:
            return
        message, leader_id = found
        window = await self._pick(message, leader_id, only_open=True, prompt=texts.PICK_UNIT_CLOSE)
        if window is not None:
            await reply(message, await self._confirm_screen(window))

    async def on_units(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /units: the leader's units with status and ballot counts."""
        found = await self._leader_message(update)
        if found is None:
            return
        message, leader_id = found
        summaries = await self.repository.windows_of(leader_id)
        if not summaries:
            await message.reply_text(texts.NO_WINDOWS)
            return
        lines = [texts.UNITS_TITLE]
        for summary in summaries:
            status = texts.STATUS_OPEN if summary.window.is_open else texts.STATUS_CLOSED
            lines.append(
                texts.UNIT_LINE.format(
                    status=status, unit=texts.unit(summary.window.unit), ballots=summary.ballots
                )
            )
        await message.reply_text("\n".join(lines))

    async def on_press(self, query: CallbackQuery, action: LeaderAction) -> None:
        """Handle a leader's button: checked against the window's owner every time."""
        window = await self.repository.window(action.window_id)
        if window is None or window.leader_id != query.from_user.id:
            await answer(query, texts.ANSWER_NOT_ALLOWED, alert=True)
            return
        unit = texts.unit(window.unit)
        match action:
            case ShowTally():
                await answer(query)
                await show(query, await self._tally_screen(window))
            case AskClose():
                await answer(query)
                await show(query, await self._confirm_screen(window))
            case CancelClose():
                await answer(query)
                await show(query, Screen(texts.CLOSE_KEPT.format(unit=unit)))
            case ConfirmClose():
                closed = await self.repository.close_window(window.id)
                if closed:
                    logger.info("A survey window was closed (window %d)", window.id)
                await answer(query, None if closed else texts.ANSWER_ENDED)
                await self._send_final(query, window)

    async def _send_final(self, query: CallbackQuery, window: Window) -> None:
        closed = await self.repository.window(window.id)
        assert closed is not None  # noqa: S101 - windows are never deleted
        await show(query, await self._tally_screen(closed))
        if query.message is None:
            return
        ballots = await self.repository.ballots(window.id)
        if len(ballots) < self.services.settings.survey_min_group:
            return
        suggestions = [b.suggestion for b in ballots if b.suggestion]
        random.SystemRandom().shuffle(suggestions)  # no order that could hint at who wrote what
        for text in suggestion_messages(window.unit, suggestions):
            await query.get_bot().send_message(query.message.chat.id, text)

    async def _tally_screen(self, window: Window) -> Screen:
        ballots = await self.repository.ballots(window.id)
        tally = compute_tally(self.services.survey.questionnaire, ballots)
        text = tally_text(
            window.unit, tally, is_open=window.is_open, min_group=self.services.settings.survey_min_group
        )
        if not window.is_open:
            return Screen(text)
        return Screen(
            text, ((Button("🔄 刷新", ShowTally(window.id)), Button("结束测评", AskClose(window.id))),)
        )

    async def _confirm_screen(self, window: Window) -> Screen:
        unit = texts.unit(window.unit)
        if not window.is_open:
            return Screen(texts.ALREADY_CLOSED.format(unit=unit))
        count = await self.repository.ballot_count(window.id)
        return Screen(
            texts.CONFIRM_CLOSE.format(unit=unit, ballots=count),
            (
                (
                    Button(texts.CONFIRM_CLOSE_BUTTON, ConfirmClose(window.id)),
                    Button(texts.CANCEL_CLOSE_BUTTON, CancelClose(window.id)),
                ),
            ),
        )

    async def _pick(self, message: Message, leader_id: int, *, only_open: bool, prompt: str) -> Window | None:
        """Return the window the command means, or reply with what to do and return None."""
        summaries = await self.repository.windows_of(leader_id)
        if not summaries:
            await message.reply_text(texts.NO_WINDOWS)
            return None
        windows = [s.window for s in summaries]
        unit = unit_argument(message)
        if unit:
            named = [w for w in windows if w.unit == unit and (w.is_open or not only_open)]
            if not named:
                await message.reply_text(texts.NO_SUCH_UNIT.format(unit=texts.unit(unit)))
                return None
            return named[0]  # open first, then the newest
        candidates = [w for w in windows if w.is_open] or ([] if only_open else windows)
        if not candidates:
            await message.reply_text(texts.NOTHING_OPEN)
            return None
        if len(candidates) == 1:
            return candidates[0]
        action = AskClose if only_open else ShowTally
        rows = tuple((Button(w.unit, action(w.id)),) for w in candidates[:_PICKER_LIMIT])
        await reply(message, Screen(prompt, rows))
        return None
