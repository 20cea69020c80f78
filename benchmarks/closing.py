"""Time what anonymity costs: a submit (drafts rewritten, log emptied), a close (rebuild), a backup.

    python -m benchmarks.closing [--ballots 100000] [--unit 500] [--drafts 0 100 1000]
                                 [--registered 10000 100000]

A submit is timed through Repository.submit at the bot's settings (synchronous = FULL), with
that many other people's drafts in progress, or with that many people registered before. The
close is timed on a database holding `--ballots` ballots in all: once for a unit of `--unit`
ballots among closed units, once for a single unit holding them all. The big units are filled
with SQL (ballots, counters and register as the submits would have left them) to save an hour
of submits; the rebuild's cost depends on the file's size, not on how the rows got there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from conversations.annex2 import ANNEX2
from conversations.anonymity import participant_key
from conversations.engine import Draft
from conversations.tally import ballot_cells, fold_counts
from emulator.respondents import random_ballot
from storage.intake import pending_json, row_json, suggestion_rows
from storage.repository import Repository

SUBMITS = 60


async def submit_latency(folder: Path, drafts: int, registered: int = 0) -> list[float]:
    """Return the seconds each of SUBMITS submits took, with `drafts` other drafts in progress.

    `registered` people have submitted before (the register the submit rewrites).
    """
    rng = random.Random(drafts)  # noqa: S311 - reproducible test data
    async with Repository(folder / f"submit-{drafts}-{registered}.db") as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        secret = repository.keys.secret(window.id)
        register = b"".join(sorted(secrets.token_bytes(32) for _ in range(registered)))
        await repository._db.execute(
            "UPDATE intake SET register = ? WHERE window_id = ?", (register, window.id)
        )
        draft = Draft(step=15, answers=random_ballot(rng).answers, suggestion="建议" * 20)
        for user_id in range(drafts):
            await repository.save_draft(participant_key(secret, window.id, 10**6 + user_id), window.id, draft)
        timings = []
        for user_id in range(SUBMITS):
            key = participant_key(secret, window.id, user_id)
            await repository.save_draft(key, window.id, draft)
            started = time.perf_counter()
            await repository.submit(key, window.id, random_ballot(rng))
            timings.append(time.perf_counter() - started)
    return timings


def fill(path: Path, window_id: int, ballots: int, *, is_open: bool, rng: random.Random) -> None:
    """Give a window `ballots` ballots as submits leave them (k = 3).

    Open: the newest N mod 3 wait in the unfinished batch, the 3 before them are held back, and
    a register holds a key per ballot. Closed: every ballot stored and released.
    """
    made = [random_ballot(rng) for _ in range(ballots)]
    complete = ballots - ballots % 3 if is_open else ballots
    held = complete - 3 if is_open and complete else complete
    counts: Counter[tuple[int, tuple[str, str, str]]] = Counter()
    for position, ballot in enumerate(made[:complete]):
        counts.update((int(position < held), cell) for cell in ballot_cells(ballot))
    if not is_open:  # a close folds the counters: totals, and pooled figures per group shown
        raw = {cell: n for (_r, cell), n in counts.items()}
        kept = fold_counts(ANNEX2, raw, ballots=complete, min_group=3)
        counts = Counter({(1, cell): n for cell, n in kept.items()})
    rows = [(secrets.token_bytes(16), window_id, row_json(b)) for b in made[:complete]]
    texts = [b.suggestion for b in made[:complete] if b.suggestion]
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO windows (id, token, unit, leader_id, is_open, opened_at, min_group, rebuilt) "
            "VALUES (?, ?, ?, 1, ?, '2026-11-26T09:00:00+00:00', 3, 1)",
            (window_id, secrets.token_urlsafe(16), f"单位{window_id}", int(is_open)),
        )
        db.executemany("INSERT INTO ballots (id, window_id, answers) VALUES (?, ?, ?)", rows)
        db.executemany("INSERT INTO suggestions VALUES (?, ?, ?)", suggestion_rows(window_id, texts))
        db.executemany(
            "INSERT INTO tally_counts (window_id, released, category, question, option, count) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(window_id, released, *cell, count) for (released, cell), count in counts.items()],
        )
        if is_open:
            register = b"".join(sorted(secrets.token_bytes(32) for _ in range(ballots)))
            pending = pending_json(made[complete:])
            db.execute("INSERT INTO intake VALUES (?, ?, ?)", (window_id, register, pending))


async def close_cost(folder: Path, total: int, unit: int) -> dict[str, float]:
    """Close a unit of `unit` ballots in a database of `total`; return seconds and megabytes."""
    path = folder / f"close-{total}-{unit}.db"
    async with Repository(path):
        pass
    rng = random.Random(total + unit)  # noqa: S311 - reproducible test data
    window_id = 1
    rest = total - unit
    while rest > 0:
        size = min(rest, 5000)
        fill(path, window_id, size, is_open=False, rng=rng)
        window_id, rest = window_id + 1, rest - size
    fill(path, window_id, unit, is_open=True, rng=rng)
    async with Repository(path) as repository:
        repository.keys.create(window_id)
        megabytes = path.stat().st_size / 1e6
        started = time.perf_counter()
        assert await repository.close_window(window_id)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "database_mb": megabytes}


async def backup_cost(folder: Path, total: int) -> float:
    """Return the seconds `backup` (VACUUM INTO) takes for the database of `total` ballots."""
    from storage.backup import backup  # noqa: PLC0415

    source = folder / f"close-{total}-{total}.db"
    started = time.perf_counter()
    backup(source, folder / "backup.db", source.with_name(source.name + ".key"))
    return time.perf_counter() - started


def _ms(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main_async(arguments: argparse.Namespace) -> dict[str, object]:
    """Run every measurement; print a table and return the figures."""
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print(f"{'drafts in progress':>20} {'registered':>11} {'submit p50 ms':>14} {'p95 ms':>8}")
        runs = [(drafts, 0) for drafts in arguments.drafts] + [(0, n) for n in arguments.registered]
        for drafts, registered in runs:
            timings = await submit_latency(folder, drafts, registered)
            p50, p95 = 1000 * statistics.median(timings), _ms(timings, 0.95)
            figures[f"submit_{drafts}_drafts_{registered}_registered_ms"] = {
                "p50": round(p50, 1),
                "p95": round(p95, 1),
            }
            print(f"{drafts:>20} {registered:>11} {p50:>14.1f} {p95:>8.1f}")
        print(f"\n{'ballots in database':>20} {'closed unit':>12} {'close s':>8} {'database MB':>12}")
        for unit in (arguments.unit, arguments.ballots):
            cost = await close_cost(folder, arguments.ballots, unit)
            figures[f"close_{unit}_of_{arguments.ballots}"] = cost
            print(f"{arguments.ballots:>20} {unit:>12} {cost['seconds']:>8.2f} {cost['database_mb']:>12.1f}")
        backup_seconds = await backup_cost(folder, arguments.ballots)
        figures["backup_s"] = round(backup_seconds, 2)
        print(f"\nbackup (VACUUM INTO) of the {arguments.ballots:,}-ballot database: {backup_seconds:.2f} s")
    return figures


def main() -> None:
    """Entry point of `python -m benchmarks.closing`."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--unit", type=int, default=500)
    parser.add_argument("--drafts", type=int, nargs="+", default=[0, 100, 1000])
    parser.add_argument("--registered", type=int, nargs="+", default=[10_000, 100_000])
    figures = asyncio.run(main_async(parser.parse_args()))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
