"""Telegram users as tests drive them: send text, press buttons, read their chat."""

from __future__ import annotations

import contextlib
import itertools
import time

from emulator.server import BotApiEmulator
from emulator.world import JSON, BotMessage

_chat_instances = itertools.count(1)
# A bot in another process cannot say when it has handled a press: a press to it waits this
# long for its redraw, then for a quiet spell.
REDRAW_WAIT = 0.5


class Person:
    """One Telegram user in a private chat with the bot (chat id = user id)."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        user_id: int,
        first_name: str = "参评人",
        language_code: str = "zh-hans",
    ) -> None:
        self.emulator = emulator
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.chat_instance = str(next(_chat_instances))

    def user_json(self) -> JSON:
        """Return this person as a Bot API User object."""
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def chat_json(self) -> JSON:
        """Return the private chat as a Bot API Chat object."""
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    @property
    def messages(self) -> list[BotMessage]:
        """Return the bot's messages in this chat, oldest first."""
        return self.emulator.world.chat_messages.get(self.user_id, [])

    @property
    def last(self) -> BotMessage:
        """Return the bot's newest message in this chat."""
        if not self.messages:
            msg = "the bot has sent this person nothing"
            raise LookupError(msg)
        return self.messages[-1]

    def message_json(self, text: str, chat: JSON | None = None) -> JSON:
        """Return a Message object as this person would send it."""
        chat = chat or self.chat_json()
        body: JSON = {
            "message_id": self.emulator.world.next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user_json(),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return body

    async def send_update(self, kind: str, body: JSON) -> BotMessage:
        """Send any update (a sticker, an edited message, a group message); return the reply."""
        chat_id = body["chat"]["id"]
        replies = self.emulator.world.chat_messages
        before = len(replies.get(chat_id, []))  # the chat the update comes from, maybe a group
        await self.emulator.push(kind, body)
        await self.emulator.wait_chat(chat_id, lambda: len(replies.get(chat_id, [])) > before)
        return replies[chat_id][before]

    async def send(self, text: str, *, wait: bool = True) -> BotMessage | None:
        """Send a text message; with `wait`, return the bot's next new message in the chat."""
        before = len(self.messages)
        await self.emulator.push("message", self.message_json(text))
        if not wait:
            return None
        await self.emulator.wait_chat(self.user_id, lambda: len(self.messages) > before)
        return self.messages[before]

    async def press(self, message: BotMessage, label: str, *, settle: bool = True) -> JSON:
        """Press the button labelled `label` on `message`; return how the bot answered."""
        data = message.button(label).callback_data
        assert data is not None
        return await self.press_data(message, data, settle=settle)

    async def press_data(
        self, message: BotMessage, data: str, *, settle: bool = True, timeout: float = 60.0
    ) -> JSON:
        """Send a callback query with any data (forged ones too); return the bot's answer."""
        world = self.emulator.world
        query_id = f"q{next(world.query_ids)}"
        body = {
            "id": query_id,
            "from": self.user_json(),
            "chat_instance": self.chat_instance,
            "data": data,
            "message": {
                "message_id": message.message_id,
                "date": int(time.time()),
                "chat": self.chat_json(),
                "from": {"id": self.emulator.bot_id, "is_bot": True, "first_name": "bot"},
                "text": message.text,
            },
        }
        edits, count = message.edits, len(self.messages)
        update_id = await self.emulator.push_query(body)
        answer = await self.emulator.answered(query_id, timeout)
        if settle and self.emulator.reports_handled:
            # The press's handler has returned: its redraw and any message it sent are in the chat.
            await self.emulator.handled(update_id, timeout)
        elif settle:
            # Most presses redraw the message; the redraw may trail the answer by a paced edit.
            with contextlib.suppress(TimeoutError):
                await self.emulator.wait_chat(
                    self.user_id, lambda: message.edits > edits or len(self.messages) > count, REDRAW_WAIT
                )
            await self.emulator.settle(quiet=0.03)
        return answer
