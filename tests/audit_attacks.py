"""The independent audit's attacks on closed units (issue 16): what a file auditor or a keyer reads."""

from __future__ import annotations

import csv
import io
import json
import random
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from conversations.annex2 import ANNEX2
from conversations.anonymity import participant_key
from conversations.engine import Ballot, Draft, Survey
from conversations.questionnaire import Polarity, QuestionKind
from conversations.tally import Tally
from storage.repository import Repository
from usecases.results import Results

K = 3
WINDOW = 1
RATED = [q for q in ANNEX2.questions if q.kind is QuestionKind.SINGLE and q.id != "category" and q.rated]


def skewed_answers(rng: random.Random, favourable: float = 0.75) -> dict[str, tuple[str, ...]]:
    """Answers as a real room gives them: mostly the first (favourable) option."""
    answers: dict[str, tuple[str, ...]] = {}
    for question in ANNEX2.questions:
        if question.kind is QuestionKind.SINGLE:
            pick = question.options[0] if rng.random() < favourable else rng.choice(question.options)
            answers[question.id] = (pick.id,)
        elif question.kind is QuestionKind.MULTI:
            picks = rng.sample(question.options, rng.randint(1, question.max_choices))
            answers[question.id] = tuple(o.id for o in question.options if o in picks)
    return answers


@dataclass
class Voter:
    """One form: its ballot, and whether it came on paper (keyed in by the leader)."""

    ballot: Ballot
    paper: bool
    label: str  # the true category ('' for a paper form whose 参评对象 row is spoiled)


def make_voter(
    category: str, answers: dict[str, tuple[str, ...]], *, paper: bool, spoil: tuple[str, ...] = ()
) -> Voter:
    answers = dict(answers)
    answers.pop("category", None)
    if category:
        answers["category"] = (category,)
        spoiled = tuple(spoil)
    else:
        spoiled = ("category", *spoil)
    for question_id in spoil:
        answers.pop(question_id, None)
    ballot = Ballot(answers=answers, paper=paper, spoiled=spoiled) if paper else Ballot(answers=answers)
    return Voter(ballot, paper, category)


@dataclass
class ClosedUnit:
    """A closed unit: its file, its voters, its exports and its tally."""

    path: Path
    voters: list[Voter]
    xlsx: bytes
    csv: bytes
    tally: Tally


async def run_unit(folder: Path, voters: list[Voter], seed: int) -> ClosedUnit:
    """Open a unit, let everybody submit (phones registered, paper keyed), close, export."""
    rng = random.Random(seed)  # noqa: S311
    order = list(voters)
    rng.shuffle(order)
    path = folder / "survey.db"
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=K)
        assert window.id == WINDOW
        for number, voter in enumerate(order):
            if voter.paper:
                desk = secrets.token_bytes(32)  # the keyer's desk: never registered
                await repository.save_draft(desk, WINDOW, Draft(step=1, paper=True))
                await repository.submit(desk, WINDOW, voter.ballot, register=False)
            else:
                key = participant_key(repository.keys.secret(WINDOW), WINDOW, 900_000 + number)
                await repository.save_draft(key, WINDOW, Draft(step=1))
                await repository.submit(key, WINDOW, voter.ballot)
        assert await repository.close_window(WINDOW)
        closed = await repository.window(WINDOW)
        assert closed is not None
        results = Results(repository, Survey(ANNEX2))
        snapshot = await results.snapshot(closed)
        exports = await results.exports(snapshot)
    return ClosedUnit(path, voters, exports.xlsx, exports.csv or b"", snapshot.tally)


# --- what the file auditor reads ------------------------------------------------------------


def file_rows_and_counters(path: Path) -> tuple[list[dict[str, list[str]]], list[tuple[str, str, str, int]]]:
    """Read a copy of the closed file: every ballot row and every counter (plain SELECTs)."""
    copy = path.with_name("auditor-copy.db")
    copy.write_bytes(path.read_bytes())
    with sqlite3.connect(copy) as db:
        rows = [json.loads(a) for (a,) in db.execute("SELECT answers FROM ballots WHERE window_id = 1")]
        counters = [
            (c, q, o, int(n))
            for c, q, o, n in db.execute(
                "SELECT category, question, option, count FROM tally_counts WHERE window_id = 1"
            )
        ]
    return rows, counters


# --- what the leader reads -------------------------------------------------------------------


def csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """Return the CSV's header and its numbered ballot rows."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return rows[0], [r for r in rows[1:] if r and r[0].isdigit()]


def favourable_pattern_of_ballot(ballot: Ballot) -> tuple[int | None, ...]:
    """1 if the rated item's answer is favourable, 0 if not, None if spoiled."""
    out: list[int | None] = []
    for q in RATED:
        chosen = ballot.answers.get(q.id, ())
        if not chosen:
            out.append(None)
            continue
        option = next(o for o in q.options if o.id == chosen[0])
        out.append(int(option.polarity is Polarity.FAVOURABLE))
    return tuple(out)
