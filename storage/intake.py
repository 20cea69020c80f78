"""What only an open window keeps, in forms that hold no arrival order.

The register of who took part is one blob of sorted 32-byte keys, the unfinished batch one JSON
list of answers sorted by content, and the suggestions one JSON list sorted by text: rewritten
whole at every submit, none keeps a trace of which entry came last (a table of rows would, in
where SQLite placed each row: suggestions written with each batch lay in batch order).
"""

from __future__ import annotations

import json
import secrets

import aiosqlite

from conversations.engine import Ballot
from conversations.tally import Cell, ballot_cells

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


CATEGORY = "category"  # the 参评对象 question: counted, never kept on a ballot's row
# Beside the answers, under keys no question id can take: a paper ballot's mark (only in the
# unfinished batch, which the counters need it from) and spoiled rows.
PAPER_KEY = "~paper"
SPOILED_KEY = "~spoiled"


def answers_json(ballot: Ballot) -> str:
    """Return a ballot's answers as stored: JSON with sorted keys (a paper ballot's marks among them)."""
    stored: dict[str, tuple[str, ...]] = dict(ballot.answers)
    if ballot.paper:
        stored[PAPER_KEY] = ("1",)
    if ballot.spoiled:
        stored[SPOILED_KEY] = ballot.spoiled
    return json.dumps(stored, ensure_ascii=False, sort_keys=True)


def row_json(ballot: Ballot) -> str:
    """Return a ballot's answers as its row keeps them: without its 参评对象 or a paper mark.

    The category is counted (per category only where a group of k or more shows it) and never
    kept beside the other answers: a row carrying it would give a category of one away. Nor is
    whether the ballot came on paper: the paper count is a counter, and a marked row would tell
    the few phone ballots of a group apart from the forms its keyer has read.
    """
    answers = {q: chosen for q, chosen in ballot.answers.items() if q != CATEGORY}
    spoiled = tuple(q for q in ballot.spoiled if q != CATEGORY)
    return answers_json(Ballot.model_construct(answers=answers, paper=False, spoiled=spoiled))


def stored_ballot(answers: str, suggestion: str | None = None) -> Ballot:
    """Return a ballot from its stored columns (our own rows: not validated again)."""
    stored = {q: tuple(o) for q, o in json.loads(answers).items()}
    paper = bool(stored.pop(PAPER_KEY, ()))
    spoiled = stored.pop(SPOILED_KEY, ())
    return Ballot.model_construct(answers=stored, suggestion=suggestion, paper=paper, spoiled=spoiled)


def pending_json(ballots: list[Ballot]) -> str:
    """Return the unfinished batch as stored: answers only, sorted by content, so it keeps no arrival order.

    Suggestions are not kept beside them (`suggestions_json`): a recognised suggestion next to
    its answers would name its author's.
    """
    return json.dumps(sorted(answers_json(b) for b in ballots), ensure_ascii=False)


def pending_ballots(stored: str) -> list[Ballot]:
    """Return the ballots of a stored unfinished batch (without suggestions: they are kept apart)."""
    return [stored_ballot(answers) for answers in json.loads(stored)]


def suggestions_json(stored: str, added: str | None) -> str:
    """Return an open window's suggestions with one more, as stored: sorted by text, in no arrival order."""
    texts: list[str] = json.loads(stored)
    return json.dumps(sorted([*texts, added] if added else texts), ensure_ascii=False)


async def release_held(db: aiosqlite.Connection, window_id: int) -> None:
    """Release the batch held back so far: a newer complete batch now takes its place."""
    await db.execute(
        "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
        "SELECT window_id, 1, category, question, option, count FROM tally_counts "
        "WHERE window_id = ? AND released = 0 "
        "ON CONFLICT DO UPDATE SET count = count + excluded.count",
        (window_id,),
    )
    await db.execute("DELETE FROM tally_counts WHERE window_id = ? AND released = 0", (window_id,))


async def store_batch(db: aiosqlite.Connection, window_id: int, batch: list[Ballot]) -> None:
    """Store a batch as ballots in the order of random ids, and count it as held back.

    Its suggestions are not written here: they wait in the window's sorted list until close
    (`store_suggestions`), so that no copy of the open file puts them in batch order.
    """
    rows = sorted((secrets.token_bytes(16), window_id, row_json(ballot)) for ballot in batch)
    await db.executemany("INSERT INTO ballots (id, window_id, answers) VALUES (?, ?, ?)", rows)
    counts: dict[Cell, int] = {}
    for ballot in batch:
        for cell in ballot_cells(ballot, CATEGORY):
            counts[cell] = counts.get(cell, 0) + 1
    await db.executemany(
        "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
        "VALUES (?, 0, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count",
        [(window_id, *cell, count) for cell, count in sorted(counts.items())],
    )


async def store_suggestions(db: aiosqlite.Connection, window_id: int, stored: str) -> None:
    """Write a closing window's suggestions into their table, each under a random id of its own.

    A suggestion is in a table of its own: nothing stored ties it to the answers it came with
    (a recognisable suggestion would name its author's answers).
    """
    rows = suggestion_rows(window_id, json.loads(stored))
    await db.executemany("INSERT INTO suggestions (id, window_id, text) VALUES (?, ?, ?)", rows)


def suggestion_rows(window_id: int, suggestions: list[str]) -> list[tuple[bytes, int, str]]:
    """Return suggestions as rows under fresh random ids, in their order: no trace of where they came from."""
    return sorted((secrets.token_bytes(16), window_id, text) for text in suggestions)
