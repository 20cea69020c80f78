"""Sending and editing messages, with the Bot API's harmless errors handled in one place."""

from __future__ import annotations

import asyncio
import logging
import re
import warnings
from dataclasses import dataclass

from telegram import CallbackQuery, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.warnings import PTBUserWarning

from bot.screens import Screen

logger = logging.getLogger(__name__)

EDIT_MESSAGE_TEXT = "editMessageText"
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# The library asks for its own method instead of a raw request to a method it has; `_edit` means it.
warnings.filterwarnings("ignore", message=f"Please use 'Bot.{EDIT_MESSAGE_TEXT}'", category=PTBUserWarning)


@dataclass(frozen=True, slots=True)
class PressReply:
    """How a press is answered: a notice on the phone (an alert, if it must be read) and maybe a screen."""

    notice: str | None = None
    alert: bool = False
    screen: Screen | None = None


async def reply(message: Message, screen: Screen) -> Message:
    """Send the screen as a new message in the chat of `message`."""
    return await message.reply_text(screen.text, reply_markup=screen.markup())


async def show(query: CallbackQuery, screen: Screen) -> bool:
    """Edit the pressed message into the screen (a fresh one if it is gone); False if unchanged."""
    try:
        await _edit(query, screen)
    except BadRequest as error:
        description = str(error).lower()
        if "not modified" in description:
            return False  # a doubled press already showed this
        if "not found" in description or "can't be edited" in description:
            if query.message is not None:
                await query.get_bot().send_message(
                    query.message.chat.id, screen.text, reply_markup=screen.markup()
                )
            return True
        raise
    return True


async def _edit(query: CallbackQuery, screen: Screen) -> None:
    """Edit the pressed message into the screen, without reading back the message the Bot API returns.

    `edit_message_text` would rebuild the edited message, keyboard and all, as library objects
    that nobody reads: a third of the library's work on a press. The same request goes out
    through the same bot (its defaults, its pacing and error mapping), the answer left as JSON.
    """
    message = query.message
    if message is None:  # an inline message: not one of ours, but edited the library's way
        await query.edit_message_text(screen.text, reply_markup=screen.markup())
        return
    await query.get_bot().do_api_request(
        EDIT_MESSAGE_TEXT,
        api_kwargs={
            "chat_id": message.chat.id,
            "message_id": message.message_id,
            "text": screen.text,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": _NO_PREVIEW,
            "reply_markup": screen.markup(),
        },
    )


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press (stops the phone's spinner); an expired query is not an error."""
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        if "query is too old" in str(error).lower() or "query id is invalid" in str(error).lower():
            logger.info("A button press expired before it was answered")
            return
        raise


async def respond(query: CallbackQuery, press_reply: PressReply) -> None:
    """Answer the press and redraw the pressed message (if there is a new screen) together.

    The redraw starts before the answer is awaited, so it joins its chat's queue in the order
    the presses were decided (a quicker later press cannot overtake it), and it does not wait
    for the answer's round trip.
    """
    if press_reply.screen is None:
        await answer(query, press_reply.notice, alert=press_reply.alert)
        return
    redraw = asyncio.ensure_future(show(query, press_reply.screen))
    try:
        await answer(query, press_reply.notice, alert=press_reply.alert)
    finally:
        await redraw


def safe_filename(name: str) -> str:
    """Return a name usable in the file name of a document sent."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_")[:40] or "unit"
