"""The framework floor: a minimal python-telegram-bot app with no storage and no logic.

It answers /start with a message carrying one button; each press is answered and the message
edited. Run against the emulator by `python -m emulator.briefing --floor`, it measures what
python-telegram-bot itself costs on this machine, so the survey bot can be reported against it.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_BASE_URL=... python -m emulator.floor

It runs on python-telegram-bot's own httpx transport, the library's default, unless
FLOOR_TRANSPORT=aiohttp puts it on the bot's (bot/transport.py).
"""

from __future__ import annotations

import logging
import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.limits import CONCURRENT_UPDATES
from bot.pacing import ChatPacer
from bot.transport import AiohttpRequest


def _keyboard(number: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"next {number}", callback_data=str(number))]])


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the message with the button."""
    if update.effective_message is not None:
        await update.effective_message.reply_text("press 0", reply_markup=_keyboard(1))


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press, then edit the message: what every survey press does at the least."""
    query = update.callback_query
    if query is None:
        return
    number = int(query.data or 0)
    await query.answer()
    await query.edit_message_text(f"press {number}", reply_markup=_keyboard(number + 1))


def build_floor(token: str, base_url: str, *, rate_limiter: bool, aiohttp: bool = False) -> Application:  # type: ignore[type-arg]
    """Build the minimal application, configured like the survey bot (concurrency, pacing)."""
    builder = ApplicationBuilder().token(token).base_url(base_url).concurrent_updates(CONCURRENT_UPDATES)
    if aiohttp:
        builder = builder.request(AiohttpRequest()).get_updates_request(
            AiohttpRequest(connection_pool_size=1)
        )
    application: Application = (  # type: ignore[type-arg]
        builder.rate_limiter(ChatPacer()).build() if rate_limiter else builder.build()
    )
    application.add_handler(CommandHandler("start", on_start))
    application.add_handler(CallbackQueryHandler(on_press))
    return application


def main() -> None:
    """Poll until stopped."""
    logging.basicConfig(level=logging.WARNING)
    rate_limiter = os.environ.get("SURVEY_RATE_LIMITER", "true").lower() in {"1", "true", "yes", "on"}
    application = build_floor(
        os.environ["TELEGRAM_BOT_TOKEN"],
        os.environ["TELEGRAM_BASE_URL"],
        rate_limiter=rate_limiter,
        aiohttp=os.environ.get("FLOOR_TRANSPORT", "httpx") == "aiohttp",
    )
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])


if __name__ == "__main__":
    main()
