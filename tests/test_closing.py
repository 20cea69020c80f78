"""Closing is all or nothing: killed at any point of it, a restart finds it undone or finishes it.

The same holds when the disk refuses the close's writes (full, read-only) from any of its
statements on; and the leader is told which it is.

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
import errno
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
from collections.abc import Awaitable, Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.texts import ZH
from conversations.anonymity import participant_key
from conversations.engine import Draft
from conversations.tally import ballot_cells
from emulator.respondents import random_ballot
from storage.intake import row_json
from storage.repository import Repository
from tests.e2e.conftest import ROOT
from tests.forensics import comparable
from usecases.access import Actor, Role
from usecases.console import Closed, CloseFailed, CloseOutcome, Console
from usecases.events import Events

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


def _fill_filler(path: Path, ballots: int) -> None:
    rng = random.Random(1)  # noqa: S311 - test data
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO windows (id, token, unit, leader_id, is_open, opened_at, min_group, rebuilt) "
            "VALUES (?, 'filler', '县档案局', 1, 0, '2026-11-01T09:00:00+00:00', 3, 1)",
            (FILLER,),
        )
        db.executemany(
            "INSERT INTO ballots (id, window_id, answers) VALUES (?, ?, ?)",
            [(secrets.token_bytes(16), FILLER, row_json(random_ballot(rng))) for _ in range(ballots)],
        )


async def _build(folder: Path, filler: int = FILLER_BALLOTS) -> Template:
    path = folder / "survey.db"
    async with Repository(path):
        pass
    _fill_filler(path, filler)
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
@pytest.mark.timeout(600)  # a bot process killed at every step of a close: minutes on a busy machine
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


# --- a disk that refuses the close's writes -----------------------------------------------------

WRITES = ("INSERT", "UPDATE", "DELETE", "VACUUM", "COMMIT", "PRAGMA WAL_CHECKPOINT")


class _Deferred:
    """An aiosqlite statement started only after `before` ran, awaited or used as a context."""

    def __init__(self, before: Callable[[], Awaitable[None]], start: Callable[[], Any]) -> None:
        self.before = before
        self.start = start
        self.context: Any = None

    def __await__(self) -> Generator[Any, None, Any]:
        return self._run().__await__()

    async def _run(self) -> Any:
        await self.before()
        return await self.start()

    async def __aenter__(self) -> Any:
        await self.before()
        self.context = self.start()
        return await self.context.__aenter__()

    async def __aexit__(self, *exc: object) -> Any:
        return await self.context.__aexit__(*exc)


class Refusing:
    """The repository's connection, refusing writes from its `at`-th statement on.

    'read-only': SQLite's own `PRAGMA query_only` from then on (SQLITE_READONLY, statement by
    statement). 'full': each writing statement fails with SQLITE_FULL, and, as SQLite does when
    a full disk stops a transaction, the transaction is rolled back first.
    """

    def __init__(self, inner: aiosqlite.Connection, at: int, kind: str) -> None:
        self.inner = inner
        self.at = at
        self.kind = kind
        self.count = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def _step(self, sql: str) -> None:
        self.count += 1
        if self.count < self.at:
            return
        if self.kind == "read-only":
            await self.inner.execute("PRAGMA query_only = ON")
        elif sql.strip().upper().startswith(WRITES):
            if self.inner.in_transaction:
                await self.inner.execute("ROLLBACK")
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise error

    def execute(self, sql: str, parameters: Sequence[object] = ()) -> _Deferred:
        """Run one statement, the fault first."""
        return _Deferred(lambda: self._step(sql), lambda: self.inner.execute(sql, parameters))

    async def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> Any:
        """Run one statement over many rows, the fault first."""
        await self._step(sql)
        return await self.inner.executemany(sql, rows)

    async def execute_fetchall(self, sql: str, parameters: Sequence[object] = ()) -> Any:
        """Run one query, the fault first."""
        await self._step(sql)
        return await self.inner.execute_fetchall(sql, parameters)


LEADER = Actor(user_id=1, name="", role=Role.LEADER)


async def _close_refused(path: Path, at: int, kind: str) -> tuple[CloseOutcome, int]:
    """Close with the disk refusing from statement `at` on; return the outcome and the statements run."""
    async with Repository(path) as repository:
        inner = repository._connection
        assert inner is not None
        refusing = Refusing(inner, at, kind)
        repository._connection = refusing  # type: ignore[assignment]
        if kind == "key file":
            refusing.at = 10**9

            def refuse(_ids: set[int]) -> None:
                raise OSError(errno.EROFS, "Read-only file system")

            repository.keys.keep_only = refuse  # type: ignore[method-assign,assignment]
        try:
            outcome = await Console(repository, repository, Events(), 3).close(LEADER, UNIT)
        finally:
            repository._connection = inner
            await inner.execute("PRAGMA query_only = OFF")
    return outcome, refusing.count


def test_a_disk_that_refuses_the_close_at_any_step_leaves_it_open_or_closed_and_says_which(
    small: Template, tmp_path: Path
) -> None:
    """A full disk or a read-only file from each statement of the close on, and a read-only key file.

    Each time the files hold the open unit with every ballot and draft (the leader is told it is
    still open: CLOSE_NOT_WRITTEN), or the closed unit with every ballot, rebuilt or with its
    rebuild pending (the leader is told which: CLOSED_NOT_REBUILT); never anything between. Once
    the disk takes writes again, the next start finishes the close, or the unit closes as usual.
    """
    _outcome, steps = asyncio.run(_close_refused(_copy(small, _folder(tmp_path, "count")), 10**9, "full"))
    outcomes = Counter[str]()
    for kind, at in [
        *((k, at) for k in ("full", "read-only") for at in range(1, steps + 1)),
        ("key file", 0),
    ]:
        path = _copy(small, _folder(tmp_path, f"{kind}-{at}"))
        outcome, _count = asyncio.run(_close_refused(path, at, kind))
        state = _state_after_kill(small, path)
        match outcome:
            case CloseFailed(window=window, ballots=ballots):
                assert (state, ballots) == ("open", BALLOTS), (kind, at)
                told = ZH.CLOSE_NOT_WRITTEN.format(unit=window.unit, ballots=ballots)
                assert "没有结束" in told
                assert f"{BALLOTS} 份答卷都在" in told
            case Closed(window=window):
                assert state == ("closed, rebuilt" if window.rebuilt else "closed, rebuild pending"), (
                    kind,
                    at,
                )
            case _:
                raise AssertionError((kind, at, outcome))
        outcomes[f"{kind}: {state}"] += 1
        _restart_and_check(small, path)
    print(f"close: {steps} statements; outcomes of the refusals: {dict(outcomes)}")
    for kind in ("full", "read-only"):
        assert outcomes[f"{kind}: open"], outcomes  # refused inside the transaction
        assert outcomes[f"{kind}: closed, rebuild pending"], outcomes  # refused inside the rebuild
    assert outcomes["key file: closed, rebuild pending"] == 1


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """Return the unit of 40 ballots beside an empty closed one: a close of a few milliseconds."""
    return asyncio.run(_build(tmp_path_factory.mktemp("small"), filler=0))
