"""Handlers for the county office's admins: invite, list and revoke group leaders."""

from __future__ import annotations

import logging

from telegram import Message
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.door import Caller, Context
from bot.menus import clear_menu
from bot.services import Services
from reports.localtime import day, stamp

logger = logging.getLogger(__name__)

INVITE_HOURS = 24

_ID_DIGITS = 16


class AdminHandlers:
    """Managing leaders (the door admits admins only)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.repository = services.repository

    async def on_invite(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /invite: a single-use link, valid 24 hours, that makes its opener a leader."""
        t = caller.t
        token, expires = await self.repository.create_invite(caller.user_id)
        link = create_deep_linked_url(context.bot.username, token)
        logger.info("An admin created a leader invite")
        expiry = stamp(expires, self.services.settings.survey_tz)
        await message.reply_text(t.INVITE_CREATED.format(hours=INVITE_HOURS, expires=expiry, link=link))

    async def on_leaders(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /leaders: configured and invited leaders."""
        t = caller.t
        configured = sorted(self.services.settings.survey_leaders)
        invited = await self.repository.leaders()
        officials = await self.repository.officials()

        def official(user_id: int) -> str:
            found = officials.get(user_id)
            return texts.unit(found.label) if found else t.LEADER_UNNAMED

        lines = [t.LEADERS_TITLE]
        lines += [t.LEADER_CONFIGURED.format(official=official(i), id=i) for i in configured]
        for leader in invited:
            date = day(leader.added_at, self.services.settings.survey_tz)
            lines.append(
                t.LEADER_INVITED.format(
                    official=official(leader.user_id),
                    name=texts.unit(leader.name),
                    id=leader.user_id,
                    date=date,
                )
            )
        if len(lines) == 1:
            lines.append(t.NO_LEADERS)
        unnamed = {*configured, *(leader.user_id for leader in invited)} - officials.keys()
        if unnamed:
            lines += ["", t.LEADERS_UNNAMED.format(count=len(unnamed))]
        await message.reply_text("\n".join(lines))

    async def on_revoke(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /revoke <id>: remove an invited leader (configured ones live in SURVEY_LEADERS)."""
        t = caller.t
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
        self.services.access.invited_changed()
        await clear_menu(context.bot, user_id)
        logger.info("An admin revoked an invited leader")
        await message.reply_text(t.REVOKED.format(id=user_id))
