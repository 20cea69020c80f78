"""What the use cases need from storage, one small interface per aggregate.

`storage/` implements them over SQLite; another backend implements the same methods and the
use cases do not change. Every method is one atomic step: a use case never holds a transaction.
"""

from __future__ import annotations

from typing import Protocol

from conversations.engine import Ballot, Draft
from storage.models import Leader, Window


class WindowStore(Protocol):
    """Survey windows: one per unit and inspection, opened and closed by its leader."""

    async def window(self, window_id: int) -> Window | None:
        """Return the window with this id, or None."""

    async def window_by_token(self, token: str) -> Window | None:
        """Return the window a deep-link token opens, or None."""

    async def open_windows(self) -> list[Window]:
        """Return every open window."""


class ParticipantStore(Protocol):
    """The participation register and the unfinished forms, both keyed by participant keys."""

    async def participant(self, key: bytes) -> tuple[bool, Draft | None]:
        """Return whether this key has submitted, and its draft."""

    async def draft(self, key: bytes) -> Draft | None:
        """Return the unfinished form of this key, or None."""

    async def drafts(self, keys: dict[bytes, int]) -> list[tuple[int, bytes, Draft]]:
        """Return (window id, key, draft) for each of these keys (key → window id) that has a draft."""

    async def save_draft(self, key: bytes, window_id: int, draft: Draft) -> None:
        """Store the progress; raise WindowClosed if the window has closed meanwhile."""

    async def delete_draft(self, key: bytes) -> bool:
        """Discard an unfinished form; return False if there was none."""

    async def submit(self, key: bytes, window_id: int, ballot: Ballot) -> int:
        """Store the ballot, register the key and drop its draft, all or nothing; return the ballot count.

        Raise AlreadySubmitted for a registered key and WindowClosed for a closed window.
        """


class LeaderStore(Protocol):
    """Leaders made by an admin's invite, and the invites themselves."""

    async def leaders(self) -> list[Leader]:
        """Return the leaders made by invites."""

    async def redeem_invite(self, token: str, user_id: int, name: str) -> bool | None:
        """Make the user a leader; None if no such invite, False if spent or expired."""
