"""Closing is all or nothing: killed at any point of it, a restart finds it undone or finishes it.

A unit with 40 ballots (one still in its unfinished batch) and 5 drafts is closed by a process
of its own, beside a closed unit of 10,000 ballots that makes the rebuild take a while. The
process is killed inside the close's transaction, inside VACUUM, in the last update, and at
random moments (the key file's write, the checkpoint). Each time the files must hold either
the open unit with every ballot and draft, or the closed unit with every ballot (its suggestions
apart, its counters folded: the unit's one 服务对象代表 has none of their own, the totals exact);
the next start must then leave the closed unit rebuilt, its secret and register gone from every file.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.anonymity import participant_key
from conversations.engine import Draft
from conversations.tally import ballot_cells
from emulator.respondents import random_ballot
from storage.intake import row_json
from storage.repository import Repository
from tests.e2e.conftest import ROOT
from tests.forensics import comparable

FILLER, UNIT = 1, 2
_TOTALS = (  # a closed unit's totals (per group, only pooled figures besides)
    "SELECT question, option, count FROM tally_counts WHERE window_id = ? AND category = '~total'"
)
BALLOTS, DRAFTS, FILLER_BALLOTS = 40, 5, 10_000


@dataclass(frozen=True)
class Template:
    """The files before the close, and what the unit holds."""

    folder: Path
    ballots: Counter[str]  # answers of every ballot submitted, without the 参评对象
    suggestions: Counter[str]
    totals: Counter[tuple[str, str]]  # (question, option) → count, over every ballot
    keys: list[bytes]  # the register keys of those who submitted
    secret: bytes


def _fill_filler(path: Path) -> None:
    rng = random.Random(1)  # noqa: S311 - test data
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO windows (id, token, unit, leader_id, is_open, opened_at, min_group, rebuilt) "
            "VALUES (?, 'filler', '县档案局', 1, 0, '2026-11-01T09:00:00+00:00', 3, 1)",
            (FILLER,),
        )
        db.executemany(
            "INSERT INTO ballots (id, window_id, answers) VALUES (?, ?, ?)",
            [(secrets.token_bytes(16), FILLER, row_json(random_ballot(rng))) for _ in range(FILLER_BALLOTS)],
        )


async def _build(folder: Path) -> Template:
    path = folder / "survey.db"
    async with Repository(path):
        pass
    _fill_filler(path)
    rng = random.Random(2)  # noqa: S311 - test data
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        assert window.id == UNIT
        secret = repository.keys.secret(UNIT)
        keys, ballots, suggestions, totals = [], Counter[str](), Counter[str](), Counter[tuple[str, str]]()
        for user_id in range(BALLOTS):
            ballot = random_ballot(rng)
            # One 服务对象代表 among them: a category of one, whose counters the close folds away.
            category = "served" if user_id == 0 else rng.choice(["leader", "middle", "member"])
            ballot = ballot.model_copy(update={"answers": {**ballot.answers, "category": (category,)}})
            keys.append(participant_key(secret, UNIT, user_id))
            await repository.submit(keys[-1], UNIT, ballot)
            ballots[row_json(ballot)] += 1
            suggestions.update([ballot.suggestion] if ballot.suggestion else [])
            totals.update((question, option) for _c, question, option in ballot_cells(ballot))
        for user_id in range(BALLOTS, BALLOTS + DRAFTS):
            await repository.save_draft(participant_key(secret, UNIT, user_id), UNIT, Draft(step=3))
    return Template(folder, ballots, suggestions, totals, keys, secret)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return asyncio.run(_build(tmp_path_factory.mktemp("template")))


def _copy(template: Template, folder: Path) -> Path:
    for item in template.folder.iterdir():
        shutil.copy(item, folder / item.name)
    return folder / "survey.db"


def _child(path: Path, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.closing_child", str(path), str(UNIT), *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _rows(path: Path, sql: str, *parameters: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, parameters).fetchall()


def _state_after_kill(template: Template, path: Path) -> str:
    """Check the files as the kill left them: 'open' or 'closed' (rebuilt or not), nothing between."""
    (is_open,) = _rows(path, "SELECT is_open FROM windows WHERE id = ?", UNIT)[0]
    stored = Counter(
        str(row[0]) for row in _rows(path, "SELECT answers FROM ballots WHERE window_id = ?", UNIT)
    )
    suggestions = Counter(
        str(row[0]) for row in _rows(path, "SELECT text FROM suggestions WHERE window_id = ?", UNIT)
    )
    totals = Counter({(str(q), str(o)): int(str(n)) for q, o, n in _rows(path, _TOTALS, UNIT)})
    served = _rows(
        path, "SELECT count(*) FROM tally_counts WHERE window_id = ? AND category = 'served'", UNIT
    )
    drafts = _rows(path, "SELECT count(*) FROM drafts WHERE window_id = ?", UNIT)[0][0]
    intake = _rows(path, "SELECT register, pending, suggestions FROM intake WHERE window_id = ?", UNIT)
    if is_open:
        ((register, pending, waiting),) = intake
        assert stored + Counter(comparable(entry) for entry in json.loads(str(pending))) == template.ballots
        assert suggestions == Counter()  # until close, in the intake row's sorted list
        assert Counter(json.loads(str(waiting))) == template.suggestions
        assert register == b"".join(sorted(template.keys))
        assert drafts == DRAFTS
        assert template.secret in (path.with_name("survey.db.key")).read_bytes()
        return "open"
    assert stored == template.ballots
    assert suggestions == template.suggestions
    assert totals == template.totals  # every count kept, exactly
    assert served == [(0,)]  # the category of one has no counter of its own
    assert intake == []
    assert drafts == 0
    (rebuilt,) = _rows(path, "SELECT rebuilt FROM windows WHERE id = ?", UNIT)[0]
    return "closed, rebuilt" if rebuilt else "closed, rebuild pending"


async def _restart(template: Template, path: Path) -> None:
    """Start again: the close is finished, or the unit is still open and closes now."""
    async with Repository(path) as repository:
        window = await repository.window(UNIT)
        assert window is not None
        if window.is_open:
            assert (await repository.participant(UNIT, template.keys[0]))[0]
            assert await repository.close_window(UNIT)
        assert await repository.ballot_count(UNIT) == BALLOTS


def _restart_and_check(template: Template, path: Path) -> None:
    """Restart; then nothing of the register, the secret or the log is left, the file whole."""
    asyncio.run(_restart(template, path))
    assert _rows(path, "SELECT is_open, rebuilt FROM windows ORDER BY id") == [(0, 1), (0, 1)]
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]
    everything = path.read_bytes()
    wal = path.with_name("survey.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert not any(key in everything for key in template.keys)
    assert template.secret not in path.with_name("survey.db.key").read_bytes()


@pytest.mark.slow  # started first: see tests/conftest.py
def test_a_kill_at_any_point_of_a_close_leaves_it_undone_or_finished(
    template: Template, tmp_path: Path
) -> None:
    """Kill points spread over the whole close, by progress tick and by time: open or closed, no between."""
    counting = _child(_copy(template, _folder(tmp_path, "count")), "count")
    started = time.monotonic()
    out, err = counting.communicate(timeout=120)
    assert counting.returncode == 0, err
    total = int(out.split()[-1])
    ticks = sorted({1, 3, 10, 30, *(int(total * share) for share in (0.1, 0.3, 0.5, 0.7, 0.9)), total - 1})
    outcomes = Counter[str]()
    for tick in ticks:
        path = _copy(template, _folder(tmp_path, f"tick-{tick}"))
        child = _child(path, "kill", str(tick))
        child.communicate(timeout=120)
        assert child.returncode == -signal.SIGKILL, (tick, total)
        outcomes[_state_after_kill(template, path)] += 1
        _restart_and_check(template, path)
    rng = random.Random(3)  # noqa: S311 - the kill times
    duration = time.monotonic() - started
    for trial in range(4):
        path = _copy(template, _folder(tmp_path, f"time-{trial}"))
        child = _child(path, "wait")
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "closing"
        time.sleep(rng.uniform(0, duration / 2))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=120)
        outcomes[_state_after_kill(template, path)] += 1
        _restart_and_check(template, path)
    print(f"close: {total} progress ticks; outcomes of the kills: {dict(outcomes)}")
    assert outcomes["open"], outcomes  # killed inside the transaction
    assert outcomes["closed, rebuild pending"], outcomes  # killed inside the rebuild


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder
