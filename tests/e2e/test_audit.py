"""An auditor's test: from the database, the logs and every export, no ballot leads to a person."""

from __future__ import annotations

import json
import sqlite3
import struct
import zipfile
from pathlib import Path

from emulator.briefing import FIRST_PARTICIPANT, Participant, main_async, parse

PARTICIPANTS = 40
# Under no relation, |Spearman's rho| over 40 pairs exceeds 0.6 with probability < 1e-4.
UNRELATED = 0.6


def _ids() -> list[int]:
    return [FIRST_PARTICIPANT + n for n in range(PARTICIPANTS)]


def _encodings(user_id: int) -> list[bytes]:
    """Every way a user id could sit in a file: as text, and as 4- or 8-byte integers."""
    return [
        str(user_id).encode(),
        struct.pack("<i", user_id),
        struct.pack(">i", user_id),
        struct.pack("<q", user_id),
        struct.pack(">q", user_id),
    ]


def _spearman(first: list[int], second: list[int]) -> float:
    """Return Spearman's rank correlation of two permutations of 0 … n-1."""
    n = len(first)
    d2 = sum((a - b) ** 2 for a, b in zip(first, second, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


async def test_nothing_stored_logged_or_exported_links_a_ballot_to_a_person(tmp_path: Path) -> None:
    """A full briefing; then the files are searched for ids, order and leftovers."""
    submitted: list[str] = []  # each participant's answers, in the order the bot acknowledged them
    original = Participant.survey

    async def recording(self: Participant, token: str, stop_at: int | None) -> bool:
        done = await original(self, token, stop_at)
        submitted.append(json.dumps(self.answers, ensure_ascii=False, sort_keys=True))
        return done

    Participant.survey = recording  # type: ignore[method-assign]
    try:
        options = parse(["--participants", str(PARTICIPANTS), "--think", "0-0.05", "--out", str(tmp_path)])
        await main_async(options)
    finally:
        Participant.survey = original  # type: ignore[method-assign]
    audit(tmp_path, submitted)


def audit(folder: Path, submitted: list[str]) -> None:
    """Search every file the run left for anything that ties a ballot to a person."""
    database = folder / "survey.db"
    files = [p for p in folder.iterdir() if p.is_file() and p.name != "figures.json"]
    assert {p.suffix for p in files} >= {".db", ".log", ".png", ".xlsx", ".csv"}
    texts = []
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                data = b"".join(book.read(name) for name in book.namelist())
        texts.append((path.name, data))
    for user_id in _ids():
        for name, data in texts:
            for encoded in _encodings(user_id):
                assert encoded not in data, f"user {user_id} found in {name}"

    with sqlite3.connect(database) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(ballots)")]
        assert columns == ["id", "window_id", "answers", "suggestion"]
        assert connection.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM intake").fetchone() == (0,)  # no register left
        stored = [str(row[0]) for row in connection.execute("SELECT answers FROM ballots")]
    wal = folder / "survey.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed: no frame order left behind
    # secure_delete: the deleted drafts (JSON with a "revising" field) left no bytes behind
    assert b'"revising"' not in database.read_bytes()

    # The order ballots are stored in says nothing about the order people submitted in.
    assert sorted(stored) == sorted(submitted)
    place = {answers: position for position, answers in enumerate(stored)}
    assert len(place) == PARTICIPANTS  # random answers: every ballot is distinct
    rho = _spearman(list(range(PARTICIPANTS)), [place[answers] for answers in submitted])
    assert abs(rho) < UNRELATED, rho
