"""Ballots and the running counts kept as they arrive."""

from __future__ import annotations

from conversations.engine import Ballot
from conversations.tally import Cell
from storage.database import Database
from storage.intake import stored_ballot
from storage.windows import RECEIVED


class BallotRepository(Database):
    """The ballots of each window (no person, no time, no order) and its tally counters."""

    async def ballots(self, window_id: int) -> list[Ballot]:
        """Return the window's stored ballots (in the meaningless order of their random ids).

        A row holds neither the 参评对象 nor the suggestion: those are counted and kept apart.
        """
        rows = await self.fetchall("SELECT answers FROM ballots WHERE window_id = ?", (window_id,))
        return [stored_ballot(row[0]) for row in rows]

    async def tally_counts(self, window_id: int, *, released_only: bool) -> dict[Cell, int]:
        """Return the window's counters: the released batches only, or every stored ballot."""
        rows = await self.fetchall(
            "SELECT category, question, option, sum(count) FROM tally_counts "
            "WHERE window_id = ? AND released >= ? GROUP BY category, question, option",
            (window_id, int(released_only)),
        )
        return {(row[0], row[1], row[2]): int(row[3]) for row in rows}

    async def suggestions(self, window_id: int) -> list[str]:
        """Read the suggestions table, where a close puts them (each under a random id of its own)."""
        rows = await self.fetchall("SELECT text FROM suggestions WHERE window_id = ?", (window_id,))
        return [row[0] for row in rows]

    async def ballot_count(self, window_id: int) -> int:
        """Count the window's stored ballots and those of its unfinished batch (`RECEIVED`)."""
        rows = await self.fetchall(f"SELECT {RECEIVED} FROM windows w WHERE id = ?", (window_id,))
        return int(rows[0][0]) if rows else 0
