"""The emulator's state: chats, the bot's messages, pending updates, and every call made."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from emulator.html_text import EntityError, visible_text

JSON = dict[str, Any]
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
ANSWER_TEXT_LIMIT = 200


class ApiError(Exception):
    """A Bot API error reply: {"ok": false, "error_code": …, "description": …}."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSON:
        """Return the JSON body Telegram sends for this error."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    """Return a 400 error with Telegram's 'Bad Request: ' prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class Button:
    """An inline button as a person sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class BotMessage:
    """A message the bot sent, as it stands now (edits applied)."""

    chat_id: int
    message_id: int
    text: str = ""
    html: str = ""
    buttons: list[list[Button]] = field(default_factory=list)
    photo: bytes | None = None
    document: bytes | None = None
    document_name: str | None = None
    edits: int = 0
    changed_at: float = field(default_factory=time.monotonic)  # sent, or last edited

    def edited(self) -> None:
        """Count one edit, made now."""
        self.edits += 1
        self.changed_at = time.monotonic()

    def labels(self) -> list[str]:
        """Return every button label, row by row."""
        return [button.text for row in self.buttons for button in row]

    def button(self, label: str) -> Button:
        """Return the button whose label is `label` or starts with it."""
        for row in self.buttons:
            for button in row:
                if button.text == label:
                    return button
        for row in self.buttons:
            for button in row:
                if button.text.startswith(label) or label in button.text:
                    return button
        msg = f"no button {label!r} among {self.labels()}"
        raise LookupError(msg)


@dataclass
class Call:
    """One Bot API request the bot made, with when it arrived."""

    method: str
    params: JSON
    at: float
    error: ApiError | None = None


def parse_buttons(markup: str | None) -> list[list[Button]]:
    """Parse reply_markup JSON into buttons; refuse callback data Telegram would refuse."""
    if not markup:
        return []
    keyboard = json.loads(markup).get("inline_keyboard", [])
    rows = []
    for row in keyboard:
        buttons = []
        for raw in row:
            data = raw.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
                raise bad_request("BUTTON_DATA_INVALID")
            buttons.append(Button(raw["text"], data, raw.get("url")))
        rows.append(buttons)
    return rows


def render(params: JSON, field_name: str, limit: int) -> tuple[str, str]:
    """Return (html, visible text) of a text or caption parameter, checked like Telegram does."""
    raw = str(params.get(field_name, ""))
    if params.get("parse_mode") == "HTML":
        try:
            visible = visible_text(raw)
        except EntityError as error:
            raise bad_request(f"can't parse entities: {error}") from error
    else:
        visible = raw
    if len(visible.encode("utf-16-le")) // 2 > limit:
        what = "caption" if field_name == "caption" else "text"
        raise bad_request(f"message {what} is too long")
    return raw, visible


class World:
    """Everything the emulated Telegram knows."""

    def __init__(self) -> None:
        self.pending: list[JSON] = []
        self.confirmed_offset = 0
        self.update_ids = itertools.count(1)
        self.query_ids = itertools.count(1)
        self.message_ids: dict[int, itertools.count[int]] = {}
        self.messages: dict[tuple[int, int], BotMessage] = {}
        self.chat_messages: dict[int, list[BotMessage]] = {}
        self.answers: dict[str, JSON] = {}
        self.open_queries: set[str] = set()
        self.calls: list[Call] = []
        self.commands: dict[str, list[JSON]] = {}

    def next_message_id(self, chat_id: int) -> int:
        """Return the next message id in a chat (users' and bot's messages share the sequence)."""
        counter = self.message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def push_update(self, kind: str, body: JSON) -> int:
        """Queue an update for getUpdates; return its update_id."""
        update_id = next(self.update_ids)
        self.pending.append({"update_id": update_id, kind: body})
        return update_id

    def take_updates(self, offset: int, limit: int) -> list[JSON]:
        """Forget updates below `offset` (confirmed) and return those from it on."""
        if offset:
            self.confirmed_offset = max(self.confirmed_offset, offset)
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        return self.pending[:limit]

    def store(self, message: BotMessage) -> BotMessage:
        """Keep a newly sent bot message."""
        self.messages[(message.chat_id, message.message_id)] = message
        self.chat_messages.setdefault(message.chat_id, []).append(message)
        return message

    def now(self) -> float:
        """Return a monotonic clock reading."""
        return time.monotonic()
