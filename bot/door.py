"""The door every update passes: who calls, in which language and role, and whether they may.

Handlers are registered through it (`Door.admit` for messages and commands, `Presses.route`
for buttons) with the role they need, so no handler checks access itself. Button presses are
decoded once and routed by their kind; a kind without a route, or data that does not decode,
is refused politely.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import CallbackQuery, Message, Update, User
from telegram.ext import ContextTypes

from bot.callback_data import Action, decode, kinds
from bot.flood import PressGate
from bot.replies import answer
from bot.texts import Texts, texts_for
from usecases.access import Access, Actor, Role

logger = logging.getLogger(__name__)

A = TypeVar("A", bound=Action)
Context = ContextTypes.DEFAULT_TYPE
UpdateCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]


@dataclass(frozen=True, slots=True)
class Caller:
    """The person behind an update, as the door found them."""

    user_id: int
    name: str
    role: Role
    t: Texts

    @property
    def actor(self) -> Actor:
        """Return the caller as the use cases know them."""
        return Actor(self.user_id, self.name, self.role)


MessageCallback = Callable[[Caller, Message, Context], Awaitable[None]]
PressCallback = Callable[[Caller, CallbackQuery, A], Awaitable[None]]
_COMMAND_REFUSALS: dict[Role, Callable[[Texts], str]] = {
    Role.LEADER: lambda t: t.NOT_A_LEADER,
    Role.ADMIN: lambda t: t.NOT_AN_ADMIN,
}


class Door:
    """Establish the caller of each update and admit only those with the role a handler needs."""

    def __init__(self, access: Access) -> None:
        self.access = access

    async def caller(self, user: User) -> Caller:
        """Return the caller: their id, name, role and language."""
        role = await self.access.role(user.id)
        return Caller(user.id, user.full_name, role, texts_for(user.language_code))

    def admit(self, role: Role, handler: MessageCallback) -> UpdateCallback:
        """Return a message handler that calls `handler` for callers with at least `role`."""

        async def admitted(update: Update, context: Context) -> None:
            message, user = update.effective_message, update.effective_user
            if message is None or user is None:
                return
            caller = await self.caller(user)
            if caller.role < role:
                await message.reply_text(_COMMAND_REFUSALS[role](caller.t))
                return
            await handler(caller, message, context)

        return admitted


@dataclass(frozen=True, slots=True)
class _Route:
    role: Role
    handler: PressCallback[Any]


class Presses:
    """Button presses: admitted by the flood gate, decoded once, routed by kind to one handler."""

    def __init__(self, door: Door, gate: PressGate) -> None:
        self.door = door
        self.gate = gate
        self._routes: dict[type[Action], _Route] = {}

    def route(self, kind: type[A], role: Role, handler: PressCallback[A]) -> None:
        """Send presses of this kind, from callers with at least `role`, to `handler`."""
        if kind in self._routes:
            msg = f"{kind.__name__} is routed twice"
            raise ValueError(msg)
        self._routes[kind] = _Route(role, handler)

    def check_complete(self) -> None:
        """Raise if a kind of button has no route (called once every route is declared)."""
        missing = sorted(kind.__name__ for kind in kinds() if kind not in self._routes)
        if missing:
            msg = f"buttons without a route: {', '.join(missing)}"
            raise ValueError(msg)

    async def on_press(self, update: Update, context: Context) -> None:
        """Answer a press: refused when flooding, undecodable or not allowed; else its route's handler."""
        query = update.callback_query
        if query is None:
            return
        user = query.from_user
        if not self.gate.enter(user.id):
            await answer(query, texts_for(user.language_code).ANSWER_SLOW_DOWN)
            return
        try:
            await self._dispatch(query, user)
        finally:
            self.gate.leave(user.id)

    async def _dispatch(self, query: CallbackQuery, user: User) -> None:
        action = decode(query.data)
        route = None if action is None else self._routes.get(type(action))
        if action is None or route is None:
            # Forged, truncated, from an older version, or a kind nobody handles: refuse, change nothing.
            await answer(query, texts_for(user.language_code).ANSWER_UNKNOWN)
            return
        caller = await self.door.caller(user)
        if caller.role < route.role:
            await answer(query, caller.t.ANSWER_NOT_ALLOWED, alert=True)
            return
        await route.handler(caller, query, action)
