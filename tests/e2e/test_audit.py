"""An auditor's tests through the real bot: the files it leaves, and everything a leader receives.

The attacks are those of `tests/forensics.py` and `tests/leader_views.py`, which show each one
succeeding against a deliberately naive store; here they run against the bot itself.
"""

from __future__ import annotations

import json
import random
import sqlite3
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conversations.annex2 import ANNEX2
from conversations.anonymity import participant_key
from conversations.engine import Answers, Ballot
from emulator import BotApiEmulator, briefing
from emulator.briefing import FIRST_PARTICIPANT, Participant, main_async, parse
from emulator.html_text import visible_text
from emulator.people import Person
from emulator.respondents import random_answers
from tests.e2e.conftest import LEADER_ID, RunningBot
from tests.e2e.flows import complete, open_unit, varied_answers
from tests.forensics import (
    CHANCE_LINKS,
    Files,
    category_answers,
    category_traces,
    comparable,
    link_by_placement,
    secrets_in,
    spearman,
    suggestion_links,
    suggestions_beside_answers,
)
from tests.forensics import Person as Person_
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


async def test_the_files_of_a_briefing_link_no_ballot_to_a_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full briefing by the bot as its own process; then every file is searched and attacked.

    One participant is the room's only 服务对象代表, and everyone writes a suggestion of their own.
    """
    submitted: list[str] = []  # each participant's answers, in the order the bot acknowledged them
    written: list[Ballot] = []  # each participant's answers and suggestion, as they were drawn
    original = Participant.survey

    async def recording(self: Participant, token: str, stop_at: int | None) -> bool:
        done = await original(self, token, stop_at)
        submitted.append(json.dumps(self.answers, ensure_ascii=False, sort_keys=True))
        return done

    def one_served(rng: random.Random) -> Answers:
        answers = random_answers(rng)
        drawn = answers["category"][0]
        answers["category"] = ("served",) if not written else ("leader",) if drawn == "served" else (drawn,)
        written.append(Ballot(answers=answers))
        return answers

    def own_suggestion(_rng: random.Random) -> str:
        text = f"第{len(written)}位：我们科室的采购问题希望再查一查"
        written[-1] = written[-1].model_copy(update={"suggestion": text})
        return text

    monkeypatch.setattr(briefing, "random_answers", one_served)
    monkeypatch.setattr(briefing, "random_suggestion", own_suggestion)
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
    audit(tmp_path, submitted, [Person_(number, ballot) for number, ballot in enumerate(written)])


def audit(folder: Path, submitted: list[str], people: list[Person_]) -> None:
    """Search every file the run left for ids and attack it: link, order, a small group, an author.

    Link ballots to people or order them; read the lone 服务对象代表's answers or a suggestion's
    author's answers from the files.
    """
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
    submitted = [comparable(answers) for answers in submitted]  # rows hold no 参评对象
    assert sorted(placed) == sorted(submitted)
    assert len(set(placed)) == PARTICIPANTS  # random answers: every ballot is distinct
    arrival = {answers: rank for rank, answers in enumerate(submitted)}
    rho = spearman(list(range(PARTICIPANTS)), [arrival[answers] for answers in placed])
    assert abs(rho) < UNRELATED, rho
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM intake").fetchone() == (0,)  # no register left
        assert connection.execute("SELECT count(*) FROM drafts").fetchone() == (0,)
    # The lone 服务对象代表: in no row, no counter of their own, no byte of the file; no suggestion
    # lies beside its author's answers, nor pairs with them by where the cells lie.
    assert sum(ballot.answers["category"] == ("served",) for ballot in (p.ballot for p in people)) == 1
    assert category_answers(copy.image(), "served") is None
    assert category_traces(copy.database, "served", [q.id for q in ANNEX2.questions]) == 0
    assert suggestions_beside_answers(copy.database, people) == 0
    assert suggestion_links(copy.image(), people) < CHANCE_LINKS
    (workbook,) = [path for path in files if path.suffix == ".xlsx"]
    summary = openpyxl.load_workbook(workbook)["汇总"]
    headings = [str(cell.value) for row in summary.iter_rows() for cell in row if cell.value]
    assert any("服务对象代表" in text and "合并" in text for text in headings)


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
