"""What only an open window keeps, in forms that hold no arrival order.

The register of who took part is one blob of sorted 32-byte keys, and the unfinished batch is
one JSON list sorted by content: rewritten whole at every submit, neither keeps a trace of
which entry came last (a table of rows would, in where SQLite placed each row).
"""

from __future__ import annotations

import json

from conversations.engine import Ballot

REGISTER_KEY = 32  # bytes of one register entry: HMAC-SHA256


def _place(register: bytes, key: bytes) -> tuple[int, bool]:
    """Return where the key sits, or would sit, in the sorted register, and whether it is there."""
    low, high = 0, len(register) // REGISTER_KEY
    while low < high:  # a binary search over the blob itself: no list of entries per press
        middle = (low + high) // 2
        entry = register[middle * REGISTER_KEY : (middle + 1) * REGISTER_KEY]
        if entry == key:
            return middle, True
        low, high = (middle + 1, high) if entry < key else (low, middle)
    return low, False


def registered(register: bytes, key: bytes) -> bool:
    """Return True if the key is in the register."""
    return _place(register, key)[1]


def register_with(register: bytes, key: bytes) -> bytes:
    """Return the register with the key added in its sorted place."""
    if len(key) != REGISTER_KEY:
        msg = f"a register key has {REGISTER_KEY} bytes, not {len(key)}"
        raise ValueError(msg)
    at = _place(register, key)[0] * REGISTER_KEY
    return register[:at] + key + register[at:]


def answers_json(ballot: Ballot) -> str:
    """Return a ballot's answers as stored: JSON with sorted keys."""
    return json.dumps(ballot.answers, ensure_ascii=False, sort_keys=True)


def stored_ballot(answers: str, suggestion: str | None) -> Ballot:
    """Return a ballot from its stored columns (our own rows: not validated again)."""
    return Ballot.model_construct(
        answers={q: tuple(o) for q, o in json.loads(answers).items()}, suggestion=suggestion
    )


def pending_json(ballots: list[Ballot]) -> str:
    """Return the unfinished batch as stored: sorted by content, so it keeps no arrival order."""
    items = sorted([answers_json(b), b.suggestion or ""] for b in ballots)
    return json.dumps(items, ensure_ascii=False)


def pending_ballots(stored: str) -> list[Ballot]:
    """Return the ballots of a stored unfinished batch."""
    return [stored_ballot(answers, suggestion or None) for answers, suggestion in json.loads(stored)]
