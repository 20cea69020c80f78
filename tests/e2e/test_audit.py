"""An auditor's tests through the real bot: the files it leaves, and everything a leader receives.

The attacks are those of `tests/forensics.py` and `tests/leader_views.py`, which show each one
succeeding against a deliberately naive store; here they run against the bot itself.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import zipfile
from pathlib import Path

import pytest

from conversations.anonymity import participant_key
from emulator import BotApiEmulator
from emulator.briefing import FIRST_PARTICIPANT, Participant, main_async, parse
from emulator.html_text import visible_text
from emulator.people import Person
from tests.e2e.conftest import LEADER_ID, RunningBot
from tests.e2e.flows import complete, open_unit, varied_answers
from tests.forensics import Files, link_by_placement, secrets_in, spearman
from tests.forensics import ballots_in_arrival_order as placed_ballots
from tests.leader_views import (
    View,
    breakdowns_before_close,
    from_csv,
    from_text,
    from_workbook,
    isolating_pairs,
    marked_rows,
    rows_before_close,
)

pytestmark = pytest.mark.slow  # started first: see tests/conftest.py

PARTICIPANTS = 40
# Under no relation, |Spearman's rho| over 40 pairs exceeds 0.6 with probability < 1e-4.
UNRELATED = 0.6
K = 3


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


async def test_the_files_of_a_briefing_link_no_ballot_to_a_person(tmp_path: Path) -> None:
    """A full briefing by the bot as its own process; then every file is searched and attacked."""
    submitted: list[str] = []  # each participant's answers, in the order the bot acknowledged them
    original = Participant.survey

    async def recording(self: Participant, token: str, stop_at: int | None) -> bool:
        done = await original(self, token, stop_at)
        submitted.append(json.dumps(self.answers, ensure_ascii=False, sort_keys=True))
        return done

    Participant.survey = recording  # type: ignore[method-assign]
    try:
        # What is stored is the subject here, not Telegram's pace: no pacing, no flood limits.
        pace = ["--no-rate-limiter", "--no-flood-limits"]
        options = parse(
            ["--participants", str(PARTICIPANTS), "--think", "0-0.05", *pace, "--out", str(tmp_path)]
        )
        await main_async(options)
    finally:
        Participant.survey = original  # type: ignore[method-assign]
    audit(tmp_path, submitted)


def audit(folder: Path, submitted: list[str]) -> None:
    """Search every file the run left for ids, and try to link ballots to people or order them."""
    database = folder / "survey.db"
    files = [p for p in folder.iterdir() if p.is_file() and p.name != "figures.json"]
    assert {p.suffix for p in files} >= {".db", ".key", ".log", ".png", ".xlsx", ".csv"}
    contents = []
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                data = b"".join(book.read(name) for name in book.namelist())
        contents.append((path.name, data))
    for user_id in _ids():
        for name, data in contents:
            for encoded in _encodings(user_id):
                assert encoded not in data, f"user {user_id} found in {name}"

    copy = Files.copy(database)
    assert copy.wal == b""  # emptied: no frame order, no old page images
    assert b'"revising"' not in copy.database  # no draft, nor a stale copy of one
    # Whoever holds the key file computes every member's key under every secret it still holds.
    members = {
        participant_key(secret, window, user_id): user_id
        for secret in secrets_in(copy.keys)
        for window in (1, 2)
        for user_id in _ids()
    }
    assert not any(key in copy.database for key in members)
    assert link_by_placement(copy, members) == {}
    # Where the ballots lie says nothing of the order the bot acknowledged them in.
    placed = placed_ballots(copy.image())
    assert sorted(placed) == sorted(submitted)
    assert len(set(placed)) == PARTICIPANTS  # random answers: every ballot is distinct
    arrival = {answers: rank for rank, answers in enumerate(submitted)}
    rho = spearman(list(range(PARTICIPANTS)), [arrival[answers] for answers in placed])
    assert abs(rho) < UNRELATED, rho
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM intake").fetchone() == (0,)  # no register left
        assert connection.execute("SELECT count(*) FROM drafts").fetchone() == (0,)


async def test_nothing_a_leader_receives_isolates_fewer_than_k_ballots(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Eleven ballots; after each the leader takes /tally and /export; then closes from the live message.

    Every tally message (and each edit of the live one), every workbook and the CSV are compared
    pairwise: figures move by 0 or at least k ballots, the final report included; no per-ballot
    rows and no breakdown before close; no row carries a 参评对象 mark.
    """
    token = await open_unit(leader, "县财政局")
    live = await leader.send("/tally")
    assert live is not None
    people = 11
    for number in range(people):
        await complete(Person(emulator, 500 + number), token, varied_answers(number))
        await leader.send("/tally")
        await leader.send("/export")
        await emulator.settle()
    await leader.press(live, "结束测评")
    await leader.press(live, "确认结束")
    await emulator.wait_for(lambda: (leader.last.document_name or "").endswith(".csv"), timeout=30)
    views = _leader_views(emulator)
    assert len([v for v in views if v.what.startswith("editMessageText")]) >= 3  # live edits, final one too
    assert {v.counted for v in views if v.open} == {0, 3, 6}  # 11 ballots: the newest batch held back
    assert isolating_pairs(views, K) == []
    assert rows_before_close(views) == []
    assert breakdowns_before_close(views) == []
    assert marked_rows(views, K) == []
    final = [v for v in views if not v.open]
    assert {v.counted for v in final} <= {people, -1}
    assert max(v.rows for v in final) == people


def _leader_views(emulator: BotApiEmulator) -> list[View]:
    """Read every tally message, edit and export the bot sent the leader, in order."""
    views = []
    for index, call in enumerate(emulator.world.calls):
        if call.error is not None or str(call.params.get("chat_id")) != str(LEADER_ID):
            continue
        what = f"{call.method} #{index}"
        text = visible_text(str(call.params.get("text") or ""))
        if call.method in {"sendMessage", "editMessageText"} and "民主测评统计" in text:
            views.append(from_text(what, text, is_open="进行中" in text))
        elif call.method == "sendDocument":
            name = str(call.params.get("document_filename") or "")
            data = call.params["document"]
            caption = str(call.params.get("caption") or "")
            is_open = "进行中" in caption
            if name.endswith(".xlsx"):
                views.append(from_workbook(what, data, is_open=is_open))
            elif name.endswith(".csv"):
                views.append(from_csv(what, data, is_open=is_open))
    return views
