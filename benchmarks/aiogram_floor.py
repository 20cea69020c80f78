"""A second framework floor: a bare aiogram 3 app that answers each press and edits its message.

The same app as emulator/floor.py (one button, answer, edit), on aiogram instead of
python-telegram-bot, so the survey bot can be read against both frameworks in one run. aiogram
pins its own dependencies, so it runs from its own virtualenv and imports nothing of ours:

    python3 -m venv .venv-aiogram && .venv-aiogram/bin/pip install 'aiogram>=3.20,<4'
    .venv/bin/python -m benchmarks.capacity --aiogram .venv-aiogram/bin/python
"""

from __future__ import annotations

import asyncio
import logging
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

router = Dispatcher()


def _keyboard(number: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=f"next {number}", callback_data=str(number))]]
    )


@router.message(CommandStart())
async def on_start(message: Message) -> None:
    """Send the message with the button."""
    await message.answer("press 0", reply_markup=_keyboard(1))


@router.callback_query()
async def on_press(query: CallbackQuery) -> None:
    """Answer the press, then edit the message: what every survey press does at the least."""
    number = int(query.data or 0)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(f"press {number}", reply_markup=_keyboard(number + 1))


async def main() -> None:
    """Poll the Bot API at TELEGRAM_BASE_URL (python-telegram-bot's form: ends in /bot) until stopped."""
    logging.basicConfig(level=logging.WARNING)
    base = os.environ["TELEGRAM_BASE_URL"]
    root = base.removesuffix("/bot")
    server = TelegramAPIServer(base=f"{base}{{token}}/{{method}}", file=f"{root}/file/bot{{token}}/{{path}}")
    bot = Bot(os.environ["TELEGRAM_BOT_TOKEN"], session=AiohttpSession(api=server))
    await router.start_polling(bot, handle_as_tasks=True, allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    asyncio.run(main())
