"""Admins' handlers: invite, list and revoke group leaders through `usecases.roles`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Message
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.door import Caller, Context
from bot.menus import clear_menu
from reports.localtime import day, stamp
from usecases.roles import Configured, NotInvited, Revoked, Roles, parse_user_id

_SECONDS_PER_HOUR = 3600


class AdminHandlers:
    """Managing leaders (the door admits admins only)."""

    def __init__(self, roles: Roles, zone: ZoneInfo) -> None:
        self.roles = roles
        self.zone = zone

    async def on_invite(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /invite: a single-use link that makes its opener a leader until it expires."""
        invite = await self.roles.invite(caller.user_id)
        link = create_deep_linked_url(context.bot.username, invite.token)
        hours = int(invite.lifetime.total_seconds()) // _SECONDS_PER_HOUR
        expires = stamp(invite.expires, self.zone)
        await message.reply_text(caller.t.INVITE_CREATED.format(hours=hours, expires=expires, link=link))

    async def on_leaders(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /leaders: configured and invited leaders, with their registered names."""
        t, roll = caller.t, await self.roles.roll()

        def official(user_id: int) -> str:
            found = roll.officials.get(user_id)
            return texts.html(found.label) if found else t.LEADER_UNNAMED

        lines = [t.LEADERS_TITLE]
        lines += [t.LEADER_CONFIGURED.format(official=official(i), id=i) for i in roll.configured]
        lines += [
            t.LEADER_INVITED.format(
                official=official(leader.user_id),
                name=texts.html(leader.name),
                id=leader.user_id,
                date=day(leader.added_at, self.zone),
            )
            for leader in roll.invited
        ]
        if len(lines) == 1:
            lines.append(t.NO_LEADERS)
        if roll.unnamed:
            lines += ["", t.LEADERS_UNNAMED.format(count=len(roll.unnamed))]
        await message.reply_text("\n".join(lines))

    async def on_revoke(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /revoke <id>: remove an invited leader (configured ones live in SURVEY_LEADERS)."""
        t = caller.t
        argument = context.args[0] if context.args and len(context.args) == 1 else ""
        user_id = parse_user_id(argument)
        if user_id is None:
            await message.reply_text(t.REVOKE_USAGE)
            return
        match await self.roles.revoke(user_id):
            case Configured():
                await message.reply_text(t.REVOKE_CONFIGURED.format(id=user_id))
            case NotInvited():
                await message.reply_text(t.REVOKE_UNKNOWN.format(id=user_id))
            case Revoked():
                await clear_menu(context.bot, user_id)
                await message.reply_text(t.REVOKED.format(id=user_id))
