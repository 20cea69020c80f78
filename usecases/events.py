"""What the application layer announces, and who listens: the adapter subscribes, never the reverse."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from conversations.records import Window

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class BatchReleased:
    """A submitted ballot completed a batch: the window's figures may move now."""

    window: Window


@dataclass(frozen=True, slots=True)
class RoomOverfilled:
    """A submitted ballot took the window past what its room holds: its figures stay where they are."""

    window: Window


@dataclass(frozen=True, slots=True)
class SurveyClosed:
    """A window was closed for good: its final figures may be shown everywhere."""

    window: Window


class Events:
    """Deliver each event to the listeners subscribed to its kind, in the order they subscribed."""

    def __init__(self) -> None:
        self._listeners: dict[type, list[Callable[[Any], Awaitable[None]]]] = {}

    def subscribe(self, kind: type[E], listener: Callable[[E], Awaitable[None]]) -> None:
        """Call `listener` with every event of this kind from now on."""
        self._listeners.setdefault(kind, []).append(listener)

    async def publish(self, event: object) -> None:
        """Hand the event to its listeners (each should return quickly: work it starts runs on its own)."""
        for listener in self._listeners.get(type(event), []):
            await listener(event)
