"""What the use cases need from storage, one small interface per aggregate.

`storage/` implements them over SQLite; another backend implements the same methods and the
use cases do not change. Every method is one atomic step: a use case never holds a transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from conversations.engine import Ballot, Draft
from conversations.records import (
    ItemNotes,
    Leader,
    LiveView,
    Official,
    Pending,
    ScoreSheet,
    Window,
    WindowSummary,
    Writings,
)
from conversations.scoring import Marks
from conversations.tally import Cell


class WindowStore(Protocol):
    """Survey windows: one per unit and inspection, opened and closed by its leader."""

    async def open_window(  # noqa: PLR0913 - what a window is opened with
        self,
        leader_id: int,
        unit: str,
        *,
        min_group: int,
        expected: int | None = None,
        leader_name: str = "",
        slips: bool = False,
    ) -> tuple[Window, bool]:
        """Open a window for the unit, or return the leader's open one (True if it is new)."""

    async def close_window(self, window_id: int) -> bool:
        """Close the window for good, all or nothing; return False if it was already closed.

        Raise NotWritten if the disk refused it: the window is still open, every ballot in it.
        """

    async def window(self, window_id: int) -> Window | None:
        """Return the window with this id, or None."""

    async def window_by_token(self, token: str) -> Window | None:
        """Return the window a deep-link token opens, or None."""

    async def open_windows(self) -> list[Window]:
        """Return every open window."""

    async def windows_of(self, leader_id: int) -> list[WindowSummary]:
        """Return the leader's windows, open ones first, newest first, each with its ballot count."""

    async def all_windows(self) -> list[WindowSummary]:
        """Return every window, grouped by leader, each with its ballot count."""


class SlipStore(Protocol):
    """A unit's ballot slips as keyed hashes, what spent them, and the paper counts beside them."""

    async def add_slips(self, window_id: int, checks: list[bytes]) -> int | None:
        """Keep the slips' keyed hashes and count them issued; None if the window is not open."""

    async def slip_unused(self, window_id: int, check: bytes) -> bool:
        """Return True if this keyed hash is an unused slip of the window."""

    async def spend_slip(self, window_id: int, check: bytes, admit: tuple[bytes, ...] = ()) -> bool:
        """Remove an unused slip (and admit these keys with it), all or nothing; False if it was not there."""

    async def admitted(self, window_id: int, key: bytes) -> bool:
        """Return True if a slip let this key in."""

    async def count_paper(self, window_id: int, *, issued: int = 0, invalid: int = 0) -> Window | None:
        """Add paper forms handed out or counted 无效 to an open window; return it, or None if closed."""


class ParticipantStore(Protocol):
    """The participation register and the unfinished forms, both keyed by participant keys."""

    async def participant(self, window_id: int, key: bytes) -> tuple[bool, Draft | None]:
        """Return whether this key has submitted in the window, and its draft."""

    async def draft(self, key: bytes) -> Draft | None:
        """Return the unfinished form of this key, or None."""

    async def drafts(self, keys: dict[bytes, int]) -> list[tuple[int, bytes, Draft]]:
        """Return (window id, key, draft) for each of these keys (key → window id) that has a draft."""

    async def save_draft(self, key: bytes, window_id: int, draft: Draft) -> None:
        """Store the progress; raise WindowClosed if the window has closed meanwhile."""

    async def delete_draft(self, key: bytes) -> bool:
        """Discard an unfinished form; return False if there was none."""

    async def submit(self, key: bytes, window_id: int, ballot: Ballot, *, register: bool = True) -> int:
        """Store the ballot, register the key and drop its draft, all or nothing; return the ballot count.

        Raise AlreadySubmitted for a registered key and WindowClosed for a closed window. Without
        `register` (paper forms: one keyer, many forms) the key is not registered but its draft must
        exist, else AlreadySubmitted: each keyed form is stored once.
        """


class BallotStore(Protocol):
    """The ballots of each window and the running counts kept as they arrive."""

    async def ballot_count(self, window_id: int) -> int:
        """Return how many ballots the window has received."""

    async def tally_counts(self, window_id: int, *, released_only: bool) -> dict[Cell, int]:
        """Return the window's counters: of the released batches only, or of every ballot.

        A closed window's are folded (`conversations.tally.fold_counts`): no category under k
        has counters of its own.
        """

    async def suggestions(self, window_id: int) -> list[str]:
        """Return the window's suggestions, without the answers they came with."""

    async def ballots(self, window_id: int) -> list[Ballot]:
        """Return the window's stored ballots, in no meaningful order, without 参评对象 or suggestion."""


class LiveViewStore(Protocol):
    """The tally messages kept current (so that a restart keeps them current too)."""

    async def add_live_view(self, view: LiveView) -> None:
        """Keep this message current; it replaces older live views of the window in that chat."""

    async def live_views(self, window_id: int) -> list[LiveView]:
        """Return the messages showing this window's live tally."""

    async def drop_live_views(self, window_id: int) -> None:
        """Stop keeping the window's tally messages current."""


class ScoreSheetStore(Protocol):
    """Each window's Annex 1 score sheet."""

    async def score_sheet(self, window_id: int) -> ScoreSheet | None:
        """Return the window's score sheet, or None if scoring has not started."""

    async def save_score(self, window_id: int, marks: Marks) -> None:
        """Store the sheet as it stands; raise SheetFinalised once it is finalised."""

    async def finalise_score(self, window_id: int, user_id: int, name: str) -> bool:
        """Record who finalised the sheet and when; False if it already was."""


class OfficialStore(Protocol):
    """Leaders' real names and inspection groups, which official records carry."""

    async def set_official(self, user_id: int, name: str, group: str) -> Official:
        """Record (or change) a leader's real name and inspection group."""

    async def official(self, user_id: int) -> Official | None:
        """Return the leader's real name and group, or None until they set them."""

    async def officials(self, user_ids: Sequence[int] | None = None) -> dict[int, Official]:
        """Return the real names and groups of these leaders (of everyone, without a list)."""


class WindowSecrets(Protocol):
    """Each window's secret for its participant keys: kept while it is open, destroyed at close."""

    def secret(self, window_id: int) -> bytes:
        """Return the window's secret."""


class LeaderStore(Protocol):
    """Leaders made by an admin's invite, and the invites themselves."""

    async def create_invite(self, created_by: int, expires: datetime) -> str:
        """Make a single-use invite token, valid until `expires`."""

    async def leaders(self) -> list[Leader]:
        """Return the leaders made by invites."""

    async def revoke_leader(self, user_id: int) -> bool:
        """Remove an invited leader; return False if there was none."""

    async def redeem_invite(self, token: str, user_id: int, name: str) -> bool | None:
        """Make the user a leader; None if no such invite, False if spent or expired."""


class NoteStore(Protocol):
    """Reasons and photos of score sheets, the leader's sections, groups' conclusions, pending input."""

    async def item_notes(self, window_id: int) -> ItemNotes:
        """Return the sheet's reasons and photos."""

    async def save_reason(self, window_id: int, item: str, reason: str) -> None:
        """Record (or replace) the reason an item lost points."""

    async def add_photo(self, window_id: int, item: str, file_id: str) -> int:
        """Attach a photo to an item (once per file); return how many the item has."""

    async def writings(self, window_id: int) -> Writings:
        """Return the leader's written sections of the unit's feedback."""

    async def save_writing(self, window_id: int, section: str, text: str) -> None:
        """Record a section; raise WritingsFinalised once the sections are final."""

    async def finalise_writings(self, window_id: int) -> None:
        """Make the sections final (once)."""

    async def reopen_writings(self, window_id: int, user_id: int, *, by_admin: bool) -> bool:
        """Make finalised sections editable again, recording who did it; False if they were not final."""

    async def conclusions(self, leader_id: int) -> str:
        """Return the conclusions a leader wrote for their group's report ('' if none)."""

    async def save_conclusions(self, leader_id: int, text: str) -> None:
        """Record (or replace) a leader's conclusions."""

    async def pending(self, user_id: int) -> Pending | None:
        """Return what the person's next message fills in, or None."""

    async def set_pending(self, user_id: int, pending: Pending | None) -> None:
        """Set (or, with None, clear) what the person's next message fills in."""


class KeyerStore(Protocol):
    """Group members invited to key in one open unit's paper forms."""

    async def create_keyer_invite(self, window_id: int) -> str:
        """Make a single-use link token that lets its opener key this unit's paper forms."""

    async def redeem_keyer_invite(self, token: str, user_id: int) -> int | None:
        """Make the user a keyer of the invite's unit, if still open; return its id, or None."""

    async def is_keyer(self, window_id: int, user_id: int) -> bool:
        """Return True if the user was invited to key this unit's paper forms."""

    async def keyed_windows(self, user_id: int) -> list[int]:
        """Return the open units whose paper forms the user was invited to key."""

    async def keyers(self, window_id: int) -> list[int]:
        """Return the group members invited to key this open unit's paper forms."""
