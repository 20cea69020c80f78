"""Command menus per role: participants see only what they can use."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.texts import EN, ZH, Texts
from usecases.access import Role

logger = logging.getLogger(__name__)


def commands(t: Texts, role: Role) -> list[BotCommand]:
    """Return the menu of a role in one language."""
    if role is Role.PARTICIPANT:
        items = t.COMMANDS_PARTICIPANT
    elif role is Role.LEADER:
        items = t.COMMANDS_LEADER
    else:
        items = {**t.COMMANDS_ADMIN, **t.COMMANDS_LEADER}
    return [BotCommand(command, description) for command, description in items.items()]


async def set_default_menu(bot: Bot) -> None:
    """Show everyone the participant menu, in Chinese and (for English clients) English."""
    await bot.set_my_commands(commands(ZH, Role.PARTICIPANT), scope=BotCommandScopeDefault())
    await bot.set_my_commands(
        commands(EN, Role.PARTICIPANT), scope=BotCommandScopeDefault(), language_code="en"
    )


async def set_menu(bot: Bot, user_id: int, role: Role) -> None:
    """Show one leader or admin their menu in their private chat."""
    try:
        scope = BotCommandScopeChat(user_id)
        await bot.set_my_commands(commands(ZH, role), scope=scope)
        await bot.set_my_commands(commands(EN, role), scope=scope, language_code="en")
    except TelegramError as error:
        # Someone who has never opened the bot has no chat with it yet.
        logger.warning("Could not set a %s's command menu: %s", role.name.lower(), error)


async def clear_menu(bot: Bot, user_id: int) -> None:
    """Take a revoked leader's menu away."""
    try:
        scope = BotCommandScopeChat(user_id)
        await bot.delete_my_commands(scope=scope)
        await bot.delete_my_commands(scope=scope, language_code="en")
    except TelegramError as error:
        logger.warning("Could not clear a command menu: %s", error)
