"""Per-person flood protection: someone pressing 50 times a second slows only themselves."""

from __future__ import annotations

from collections import Counter


class PressGate:
    """Admit at most `limit` presses per person into processing at once; refuse the rest.

    A person's presses are handled one after another (a lock per participant), so presses
    beyond the one being handled only wait, each holding one of the bot's concurrent handler
    slots. Someone hammering a button would fill those slots and delay everyone; refusing
    their excess at once (with a polite answer) costs nothing and touches no data. A person
    who presses after seeing the answer never has more than one press in flight. The counts
    live in memory only, and only while a press is in flight.
    """

    def __init__(self, limit: int = 3) -> None:
        self.limit = limit
        self._in_flight: Counter[int] = Counter()

    def enter(self, user_id: int) -> bool:
        """Admit one press of this person, or return False when they already have `limit` in flight."""
        if self._in_flight[user_id] >= self.limit:
            return False
        self._in_flight[user_id] += 1
        return True

    def leave(self, user_id: int) -> None:
        """Mark one admitted press as handled."""
        self._in_flight[user_id] -= 1
        if self._in_flight[user_id] <= 0:
            del self._in_flight[user_id]

    def __len__(self) -> int:
        return len(self._in_flight)
