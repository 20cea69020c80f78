"""Admins' handlers: invite, list and revoke group leaders through `usecases.roles`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Bot, CallbackQuery, Message
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.callback_data import AskRevoke, ConfirmRevoke, KeepLeader
from bot.door import Caller, Context
from bot.menus import clear_menu
from bot.replies import PressReply, reply, respond
from bot.screens import Button, Screen
from bot.texts import Texts
from usecases.roles import Configured, LeaderRoll, NotInvited, Revoked, Roles, parse_user_id

_SECONDS_PER_HOUR = 3600


def leader_name(roll: LeaderRoll, user_id: int) -> str:
    """Return how a leader is named to an admin: their registered name and group, else their Telegram name."""
    official = roll.officials.get(user_id)
    if official is not None:
        return official.label
    invited = next((leader for leader in roll.invited if leader.user_id == user_id), None)
    return invited.name if invited is not None and invited.name else str(user_id)


def revoke_buttons(t: Texts, roll: LeaderRoll) -> tuple[tuple[Button, ...], ...]:
    """Return a 撤销 button per invited leader (configured ones are changed in SURVEY_LEADERS)."""
    return tuple(
        (
            Button(
                t.REVOKE_BUTTON.format(name=leader_name(roll, leader.user_id)), AskRevoke(0, leader.user_id)
            ),
        )
        for leader in roll.invited
    )


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
        expires = texts.when(caller.t, invite.expires, self.zone)
        await message.reply_text(caller.t.INVITE_CREATED.format(hours=hours, expires=expires, link=link))

    async def on_leaders(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /leaders: every leader with their registered name; 撤销 beside each invited one."""
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
                date=texts.on_day(t, leader.added_at, self.zone),
            )
            for leader in roll.invited
        ]
        if len(lines) == 1:
            lines.append(t.NO_LEADERS)
        if roll.unnamed:
            lines += ["", t.LEADERS_UNNAMED.format(count=len(roll.unnamed))]
        await reply(message, Screen("\n".join(lines), revoke_buttons(t, roll)))

    async def on_revoke(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /revoke [id]: remove an invited leader; without an id, a button per invited leader."""
        t = caller.t
        if not context.args:
            roll = await self.roles.roll()
            buttons = revoke_buttons(t, roll)
            await reply(message, Screen(t.REVOKE_PICK if buttons else t.REVOKE_NONE, buttons))
            return
        user_id = parse_user_id(context.args[0]) if len(context.args) == 1 else None
        if user_id is None:
            await message.reply_text(t.REVOKE_USAGE)
            return
        await message.reply_text(await self._revoke(caller, context.bot, user_id))

    async def on_ask_revoke(self, caller: Caller, query: CallbackQuery, action: AskRevoke) -> None:
        """Handle 撤销 beside a leader: ask to confirm, naming them."""
        t, roll = caller.t, await self.roles.roll()
        if all(leader.user_id != action.user_id for leader in roll.invited):
            await respond(query, PressReply(t.REVOKE_UNKNOWN.format(id=action.user_id), alert=True))
            return
        name = texts.html(leader_name(roll, action.user_id))
        buttons = (
            Button(t.REVOKE_CONFIRM_BUTTON, ConfirmRevoke(0, action.user_id)),
            Button(t.CANCEL_CLOSE_BUTTON, KeepLeader(0, action.user_id)),
        )
        text = t.REVOKE_CONFIRM.format(name=name, id=action.user_id)
        await respond(query, PressReply(screen=Screen(text, (buttons,))))

    async def on_confirm_revoke(self, caller: Caller, query: CallbackQuery, action: ConfirmRevoke) -> None:
        """Handle 确认撤销."""
        text = await self._revoke(caller, query.get_bot(), action.user_id)
        await respond(query, PressReply(screen=Screen(text)))

    async def on_keep_leader(self, caller: Caller, query: CallbackQuery, action: KeepLeader) -> None:
        """Handle 取消 on the revoke question: the leader stays."""
        name = texts.html(leader_name(await self.roles.roll(), action.user_id))
        text = caller.t.REVOKE_KEPT.format(name=name, id=action.user_id)
        await respond(query, PressReply(screen=Screen(text)))

    async def _revoke(self, caller: Caller, bot: Bot, user_id: int) -> str:
        """Revoke an invited leader (their menu goes with it); return what the admin is told."""
        t = caller.t
        match await self.roles.revoke(user_id):
            case Configured():
                return t.REVOKE_CONFIGURED.format(id=user_id)
            case NotInvited():
                return t.REVOKE_UNKNOWN.format(id=user_id)
            case Revoked():
                await clear_menu(bot, user_id)
                return t.REVOKED.format(id=user_id)
