"""Handlers for everyone: help, the refusal in group chats, and the one error handler."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError

from bot.door import Caller, Context
from bot.network import Connectivity, is_network_failure
from bot.texts import HELP_ADMIN_SEPARATOR, texts_for
from usecases.access import Role

logger = logging.getLogger(__name__)
ErrorHandler = Callable[[object, Context], Coroutine[Any, Any, None]]


async def on_help(caller: Caller, message: Message, context: Context) -> None:
    """Handle /start without a link, and /help: what this caller can do."""
    t = caller.t
    parts = [t.HELP_PARTICIPANT]
    if caller.role >= Role.LEADER:
        parts.append(t.HELP_LEADER)
    if caller.role is Role.ADMIN:
        parts.append(t.HELP_ADMIN)
    await message.reply_text(HELP_ADMIN_SEPARATOR.join(parts))


async def on_group(update: Update, context: Context) -> None:
    """Refuse survey use in groups: answers typed there are not anonymous."""
    message = update.effective_message
    if message is not None:
        user = update.effective_user
        await message.reply_text(texts_for(user.language_code if user else None).GROUP_CHAT)


def error_handler(
    storage_errors: tuple[type[Exception], ...], connectivity: Connectivity | None = None
) -> ErrorHandler:
    """Return the handler that logs a failure and apologises; `storage_errors` are the database's own.

    A request that did not reach the Bot API is expected when the network goes: `connectivity`
    has logged the outage once, so it is logged again only as one line of its own when the
    network was not down (a lone dropped request), never with a traceback; the apology is still
    tried, and one that cannot get through either is not logged again.
    """

    async def on_error(update: object, context: Context) -> None:
        error = context.error
        if error is not None and is_network_failure(error):
            outage = connectivity is not None and connectivity.down
            if not outage:
                logger.warning("A request to the Bot API failed: %s", error)
            await _apologise(update, storage=False, quiet=outage)
            return
        storage = isinstance(error, storage_errors)
        if storage:
            # Disk full, a read-only file, a locked database: say so plainly; nothing was half-written.
            logger.error("The database refused the operation: %s", error)
        else:
            logger.error("A handler failed", exc_info=error)
        await _apologise(update, storage=storage, quiet=False)

    return on_error


async def _apologise(update: object, *, storage: bool, quiet: bool) -> None:
    """Tell the person their request failed (never log the update: it names a person)."""
    if not isinstance(update, Update):
        return
    user = update.effective_user
    t = texts_for(user.language_code if user else None)
    apology = t.STORAGE_FAILED if storage else t.ERROR_GENERIC
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(apology, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(apology)
    except TelegramError:
        if not quiet:  # in an outage this is expected, and the outage is logged once already
            logger.warning("Could not tell the user about the failure")
