"""Time a unit's tally at 100, 10,000 and 100,000 ballots, through the storage and engine layers.

    python -m benchmarks.tally [--sizes 100 10000 100000] [--repeat 5]

Ballots are submitted through Repository.submit, the bot's own path (with the database's
fsync turned off while filling, to save minutes; it does not change what is stored).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.results import Results
from conversations.annex2 import ANNEX2
from conversations.anonymity import participant_key
from conversations.engine import Survey
from emulator.respondents import random_ballot
from storage.repository import Repository


async def measure(size: int, repeat: int, folder: Path) -> dict[str, float]:
    """Fill one window with `size` ballots and time its tally, open and closed."""
    rng = random.Random(size)  # noqa: S311 - reproducible test data, not secrets
    async with Repository(folder / f"tally-{size}.db") as repository:
        await repository._db.execute("PRAGMA synchronous = OFF")  # filling only
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        started = time.perf_counter()
        for number in range(size):
            await repository.submit(
                participant_key(b"bench", window.id, number), window.id, random_ballot(rng)
            )
        fill = time.perf_counter() - started
        results = Results(repository, Survey(ANNEX2))
        figures = {"fill_s": fill}
        for state in ("open", "closed"):
            if state == "closed":
                await repository.close_window(window.id)
            current = await repository.window(window.id)
            assert current is not None
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                tally = await results.tally(current)
                timings.append(time.perf_counter() - started)
            assert tally.counted == (size - size % 3 if state == "open" else size)
            figures[f"{state}_median_ms"] = 1000 * statistics.median(timings)
            figures[f"{state}_max_ms"] = 1000 * max(timings)
    return figures


def main() -> None:
    """Print the tally timings per size."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    header = ("ballots", "open tally ms (median/max)", "closed tally ms (median/max)", "fill s")
    print(f"{header[0]:>8} {header[1]:>28} {header[2]:>30} {header[3]:>8}")
    with tempfile.TemporaryDirectory() as folder:
        for size in arguments.sizes:
            f = asyncio.run(measure(size, arguments.repeat, Path(folder)))
            print(
                f"{size:>8} {f['open_median_ms']:>15.2f} / {f['open_max_ms']:<10.2f}"
                f" {f['closed_median_ms']:>17.2f} / {f['closed_max_ms']:<10.2f} {f['fill_s']:>8.1f}"
            )


if __name__ == "__main__":
    main()
