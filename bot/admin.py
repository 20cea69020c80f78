"""Handlers for the county office's admins: invite, list and revoke group leaders."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import ContextTypes
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.access import Role
from bot.menus import clear_menu, set_menu
from bot.services import Services
from bot.texts import Texts, texts_for
from reports.localtime import day, stamp

logger = logging.getLogger(__name__)

INVITE_HOURS = 24

_ID_DIGITS = 16


class AdminHandlers:
    """Managing leaders; every command checks the caller is in SURVEY_ADMINS."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repository = services.repository

    async def _admin(self, update: Update) -> tuple[Message, int, Texts] | None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return None
        t = texts_for(user.language_code)
        if await self.services.access.role(user.id) is not Role.ADMIN:
            await message.reply_text(t.NOT_AN_ADMIN)
            return None
        return message, user.id, t

    async def on_invite(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /invite: a single-use link, valid 24 hours, that makes its opener a leader."""
        found = await self._admin(update)
        if found is None:
            return
        message, admin_id, t = found
        token, expires = await self.repository.create_invite(admin_id)
        link = create_deep_linked_url(context.bot.username, token)
        logger.info("An admin created a leader invite")
        expiry = stamp(expires, self.services.settings.survey_tz)
        await message.reply_text(t.INVITE_CREATED.format(hours=INVITE_HOURS, expires=expiry, link=link))

    async def on_leaders(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /leaders: configured and invited leaders."""
        found = await self._admin(update)
        if found is None:
            return
        message, _admin_id, t = found
        lines = [t.LEADERS_TITLE]
        lines += [t.LEADER_CONFIGURED.format(id=i) for i in sorted(self.services.settings.survey_leaders)]
        for leader in await self.repository.leaders():
            date = day(leader.added_at, self.services.settings.survey_tz)
            lines.append(t.LEADER_INVITED.format(name=texts.unit(leader.name), id=leader.user_id, date=date))
        if len(lines) == 1:
            lines.append(t.NO_LEADERS)
        await message.reply_text("\n".join(lines))

    async def on_revoke(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /revoke <id>: remove an invited leader (configured ones live in SURVEY_LEADERS)."""
        found = await self._admin(update)
        if found is None:
            return
        message, _admin_id, t = found
        argument = context.args[0] if context.args and len(context.args) == 1 else ""
        if not (argument.isascii() and argument.isdigit() and len(argument) <= _ID_DIGITS):
            await message.reply_text(t.REVOKE_USAGE)
            return
        user_id = int(argument)
        if user_id in self.services.settings.survey_leaders:
            await message.reply_text(t.REVOKE_CONFIGURED.format(id=user_id))
            return
        if not await self.repository.revoke_leader(user_id):
            await message.reply_text(t.REVOKE_UNKNOWN.format(id=user_id))
            return
        await clear_menu(context.bot, user_id)
        logger.info("An admin revoked an invited leader")
        await message.reply_text(t.REVOKED.format(id=user_id))

    async def accept_invite(self, message: Message, user_id: int, name: str, token: str) -> bool:
        """Redeem an invite from a /start link; False if the token is no invite at all."""
        t = texts_for(message.from_user.language_code if message.from_user else None)
        redeemed = await self.repository.redeem_invite(token, user_id, name)
        if redeemed is None:
            return False
        if not redeemed:
            await message.reply_text(t.INVITE_SPENT)
            return True
        logger.info("An invite made a new group leader")
        await set_menu(message.get_bot(), user_id, Role.LEADER)
        await message.reply_text(t.INVITE_ACCEPTED + t.HELP_LEADER)
        return True
