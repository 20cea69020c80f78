"""The bot as its own process: killed at random under load, stopped, backed up, given a bad file."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from emulator import BotApiEmulator
from emulator.people import Person
from emulator.respondents import random_answers
from tests.e2e.conftest import ROOT, BotProcess
from tests.e2e.flows import open_unit
from tests.e2e.resuming import ResumingParticipant
from tests.forensics import comparable

pytestmark = pytest.mark.slow  # started first: see tests/conftest.py

KILLS = 6


def _backup(bot: BotProcess, target: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot backup TARGET` with the bot's own configuration."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(target)],
        env=bot.env,
        cwd=bot.folder,
        capture_output=True,
        text=True,
        check=False,
    )


def _crowd(
    emulator: BotApiEmulator, token: str, *, seed: int, size: int, suggestions: bool = False
) -> list[ResumingParticipant]:
    """Return `size` participants with random planned answers (a suggestion from every third)."""
    rng = random.Random(seed)  # noqa: S311 - test data
    return [
        ResumingParticipant(
            Person(emulator, 10_000 * seed + n),
            token,
            random_answers(rng),
            f"建议{n}" if suggestions and n % 3 == 0 else None,
        )
        for n in range(size)
    ]


def _rows(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


async def test_sigkill_at_random_points_under_load_loses_and_doubles_nothing(
    bot_process: BotProcess, emulator: BotApiEmulator, leader: Person, tmp_path: Path
) -> None:
    """Six SIGKILLs mid-survey and mid-submit: every ballot is there exactly once, complete."""
    rng = random.Random(5)  # noqa: S311 - test data (also the kill times)
    crowd = _crowd(emulator, await open_unit(leader, "县财政局"), seed=5, size=15, suggestions=True)
    running = asyncio.gather(*(p.run() for p in crowd))
    for _ in range(KILLS):
        await asyncio.sleep(rng.uniform(0.3, 1.2))
        assert bot_process.process is not None
        bot_process.process.send_signal(signal.SIGKILL)
        await bot_process.process.wait()
        await bot_process.start()
    await asyncio.wait_for(running, 180)
    database = tmp_path / "survey.db"
    stored = Counter(str(row[0]) for row in _rows(database, "SELECT answers FROM ballots"))
    assert stored == Counter(comparable(p.planned()) for p in crowd)  # each planned ballot exactly once
    assert _rows(database, "SELECT length(register) / 32, pending FROM intake") == [(15, "[]")]
    assert _rows(database, "SELECT count(*) FROM drafts") == [(0,)]
    assert _rows(database, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(database, "SELECT count(*) FROM suggestions") == [(0,)]  # until close: one sorted list
    (waiting,) = _rows(database, "SELECT suggestions FROM intake")[0]
    assert json.loads(str(waiting)) == sorted(p.suggestion for p in crowd if p.suggestion)


async def test_sigterm_finishes_in_flight_work_and_closes_the_database(
    bot_process: BotProcess, emulator: BotApiEmulator, leader: Person, tmp_path: Path
) -> None:
    """SIGTERM while people answer: exit code 0, the log folded into the file, nothing torn."""
    crowd = _crowd(emulator, await open_unit(leader, "县财政局"), seed=6, size=8)
    running = asyncio.gather(*(p.run() for p in crowd))
    await asyncio.sleep(1.5)
    assert await bot_process.signal(signal.SIGTERM) == 0
    database = tmp_path / "survey.db"
    wal = tmp_path / "survey.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and closed
    assert _rows(database, "PRAGMA integrity_check") == [("ok",)]
    await bot_process.start()
    await asyncio.wait_for(running, 120)
    received = "SELECT (SELECT count(*) FROM ballots) + (SELECT json_array_length(pending) FROM intake)"
    assert _rows(database, received) == [(8,)]


async def test_sigterm_while_still_starting_stops_cleanly(emulator: BotApiEmulator, tmp_path: Path) -> None:
    """SIGTERM inside the start (post_init, setting the command menus): exit 0, the database closed."""
    emulator.stalls["setMyCommands"] = 1.0
    bot = BotProcess(emulator, tmp_path)
    await bot.start()
    # the bot is in post_init, its database open, waiting on Telegram
    await emulator.wait_for(lambda: bool(emulator.stalled), timeout=30)
    assert await bot.signal(signal.SIGTERM) == 0
    wal = tmp_path / "survey.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and closed
    assert _rows(tmp_path / "survey.db", "PRAGMA integrity_check") == [("ok",)]
    assert "Traceback" not in bot.log.read_text(encoding="utf-8")


async def test_backup_while_running_is_a_consistent_restorable_copy(
    bot_process: BotProcess, emulator: BotApiEmulator, leader: Person, tmp_path: Path
) -> None:
    """`python -m bot backup FILE` copies the live database and key; the copy opens as a survey database."""
    crowd = _crowd(emulator, await open_unit(leader, "县财政局"), seed=7, size=6)
    await asyncio.gather(*(p.run() for p in crowd))
    target = tmp_path / "copies" / "survey-backup.db"
    result = await asyncio.to_thread(_backup, bot_process, target)
    assert result.returncode == 0, result.stderr
    assert "Backed up to" in result.stdout
    assert _rows(target, "SELECT count(*) FROM ballots") == [(6,)]
    assert _rows(target, "PRAGMA integrity_check") == [("ok",)]
    key = target.with_name("survey-backup.db.key")
    assert key.read_bytes() == (tmp_path / "survey.db.key").read_bytes()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    again = await asyncio.to_thread(_backup, bot_process, target)
    assert again.returncode == 1
    assert "exists already" in again.stderr


def test_a_foreign_or_corrupt_database_file_is_refused_at_start(tmp_path: Path) -> None:
    """SURVEY_DB pointing at something else: a clear error and exit code 2, the file untouched."""
    for name, content in (("notes.db", None), ("garbage.db", b"not a database at all" * 50)):
        path = tmp_path / name
        if content is None:
            with sqlite3.connect(path) as connection:
                connection.execute("CREATE TABLE notes (x)")
        else:
            path.write_bytes(content)
        before = path.read_bytes()
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SURVEY_"))}
        env = {**clean, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": "1:x", "SURVEY_DB": str(path),
               "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot"}  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "bot"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert result.returncode == 2, result.stderr
        assert "Cannot start" in result.stderr
        assert "Traceback" not in result.stderr
        assert path.read_bytes() == before
