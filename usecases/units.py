"""Which units a person may see: a leader their own windows, an admin every window."""

from __future__ import annotations

from storage.models import Window, WindowSummary
from usecases.access import Actor, Role, owns
from usecases.ports import WindowStore


class Units:
    """Find the windows an actor may see, or the one a unit name means."""

    def __init__(self, windows: WindowStore) -> None:
        self.windows = windows

    async def visible(self, actor: Actor) -> list[WindowSummary]:
        """Return the windows the actor may see, each with its ballot count."""
        if actor.role is Role.ADMIN:
            return await self.windows.all_windows()
        if actor.role is Role.LEADER:
            return await self.windows.windows_of(actor.user_id)
        return []

    async def newest_named(self, actor: Actor, unit: str, *, own: bool = False) -> Window | None:
        """Return the newest window of that unit name the actor may see (`own`: opened by them)."""
        named = [
            s.window
            for s in await self.visible(actor)
            if s.window.unit == unit and (owns(actor, s.window) or not own)
        ]
        return max(named, key=lambda w: w.id, default=None)
