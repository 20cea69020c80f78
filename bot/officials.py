"""/me: a leader's real name and inspection group, which official records use instead of a Telegram name."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Message

from bot import texts
from bot.arguments import command_argument
from bot.door import Caller, Context
from bot.texts import Texts
from conversations.records import Official, Window
from usecases.officials import NameTooLong, Registration

logger = logging.getLogger(__name__)


def leader_label(t: Texts, official: Official | None, window: Window) -> str:
    """Return '张三（第一检查组）', or the Telegram name marked as not registered."""
    if official is not None:
        return official.label
    return t.UNREGISTERED.format(name=window.leader_name or window.leader_id)


async def leader_labels(t: Texts, registration: Registration, windows: Iterable[Window]) -> dict[int, str]:
    """Return the label of each window's leader, by window id."""
    windows = list(windows)
    officials = await registration.of_leaders([w.leader_id for w in windows])
    return {w.id: leader_label(t, officials.get(w.leader_id), w) for w in windows}


def parse_official(argument: str) -> tuple[str, str] | None:
    """Split '张三 第一检查组' into the name and the group; None unless both are there."""
    name, _, group = argument.partition(" ")
    return (name, group) if name and group else None


class OfficialHandlers:
    """/me for leaders (and admins)."""

    def __init__(self, registration: Registration) -> None:
        self.registration = registration

    async def on_me(self, caller: Caller, message: Message, context: Context) -> None:
        """Handle /me [name group]: show, or set, the caller's real name and group."""
        t = caller.t
        argument = command_argument(message)
        if not argument:
            current = await self.registration.current(caller.user_id)
            if current is None:
                await message.reply_text(t.ME_USAGE)
            else:
                await message.reply_text(t.ME_CURRENT.format(label=texts.html(current.label)))
            return
        parsed = parse_official(argument)
        if parsed is None:
            await message.reply_text(t.ME_USAGE)
            return
        official = await self.registration.register(caller.user_id, *parsed)
        if isinstance(official, NameTooLong):
            await message.reply_text(t.ME_TOO_LONG.format(name=official.name_max, group=official.group_max))
            return
        logger.info("A leader registered their name and group")
        await message.reply_text(t.ME_SET.format(label=texts.html(official.label)))
