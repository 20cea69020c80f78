"""The auditor's attacks on paper forms in a closed unit (issue 16), each as it now fails.

The keyer (the leader, or a member they invited) has read every paper form they keyed in: what
they know is known. Each attack is the auditor's, driven through the real Repository and
Results; where the old rule can still be shown (the row format), the test shows it succeeding.
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
from collections import Counter
from pathlib import Path

from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.tally import ballot_cells
from storage.intake import answers_json
from storage.repository import Repository
from storage.schema import APPLICATION_ID, SCHEMA_VERSION, apply
from tests.audit_attacks import file_rows_and_counters, make_voter, run_unit, skewed_answers
from usecases.results import Results


def _marked(rows: list[dict[str, list[str]]]) -> list[dict[str, list[str]]]:
    """Return what the file auditor looks at first: the rows that say they came on paper."""
    return [row for row in rows if "~paper" in row]


async def test_no_row_says_it_came_on_paper(tmp_path: Path) -> None:
    """25 phones and one paper form (someone seen taking it): its row was the one marked ~paper."""
    rng = random.Random(7)  # noqa: S311 - test data
    phones = ["leader"] * 8 + ["middle"] * 9 + ["member"] * 8
    voters = [make_voter(c, skewed_answers(rng), paper=False) for c in phones]
    lone = make_voter("served", skewed_answers(rng), paper=True)
    voters.append(lone)
    old_rows = [json.loads(answers_json(v.ballot)) for v in voters]  # as rows were written before
    assert len(_marked(old_rows)) == 1  # the old rule: the lone form's row, all its answers
    unit = await run_unit(tmp_path, voters, 7)
    rows, counters = file_rows_and_counters(unit.path)
    assert len(rows) == len(voters)
    assert _marked(rows) == []
    assert b'"~paper"' not in unit.path.read_bytes()  # nor in a page left over from the open unit
    assert unit.tally.paper == 1  # the paper count stays: a total
    assert sum(n for _c, q, _o, n in counters if q == "~paper") == 1


async def test_rows_stored_before_lose_their_paper_mark(tmp_path: Path) -> None:
    """A unit closed by the release before: its paper rows were marked; the migration unmarks them."""
    rng = random.Random(3)  # noqa: S311 - test data
    voters = [make_voter(c, skewed_answers(rng), paper=False) for c in ["leader"] * 5 + ["middle"] * 4]
    voters += [make_voter("member", skewed_answers(rng), paper=True) for _ in range(3)]
    path = tmp_path / "survey.db"
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("PRAGMA journal_mode = WAL")
        for step in range(SCHEMA_VERSION - 1):
            apply(db, step)
        db.execute(
            "INSERT INTO windows (id, token, unit, leader_id, is_open, opened_at, closed_at, min_group, "
            "rebuilt) VALUES (1, 'tok', '县财政局', 7, 0, '2026-11-01T09:00:00+00:00', "
            "'2026-11-01T10:00:00+00:00', 3, 1)"
        )
        old_rows = sorted((secrets.token_bytes(16), 1, answers_json(v.ballot)) for v in voters)
        db.executemany("INSERT INTO ballots (id, window_id, answers) VALUES (?, ?, ?)", old_rows)
        counts = Counter(cell for v in voters for cell in ballot_cells(v.ballot))
        db.executemany(
            "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
            "VALUES (1, 1, ?, ?, ?, ?)",
            [(*cell, count) for cell, count in sorted(counts.items())],
        )
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert len(_marked(file_rows_and_counters(path)[0])) == 3  # before: the three forms, marked
    async with Repository(path) as repository:
        window = await repository.window(1)
        assert window is not None
        tally = await Results(repository, Survey(ANNEX2)).tally(window)
    rows, _ = file_rows_and_counters(path)
    assert len(rows) == len(voters)
    assert _marked(rows) == []
    assert tally.paper == 3
    assert b'"~paper"' not in path.read_bytes()  # the start's rebuild left no old page with the marks
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT rebuilt FROM windows").fetchall() == [(1,)]
