"""Time a unit's tally at 100, 10,000 and 100,000 ballots, through the storage and engine layers.

    python -m benchmarks.tally [--sizes 100 10000 100000] [--repeat 5]

The window is filled with SQL as submits would leave it (`benchmarks.closing.fill`: ballots,
counters by batch, the unfinished batch and the register): at 100,000 submits the register
each one rewrites would take far longer to build than the tally takes to read.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.closing import fill
from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.tally import released_count
from storage.repository import Repository
from usecases.results import Results


async def measure(size: int, repeat: int, folder: Path) -> dict[str, float]:
    """Fill one window with `size` ballots and time its tally, open and closed."""
    rng = random.Random(size)  # noqa: S311 - reproducible test data, not secrets
    path = folder / f"tally-{size}.db"
    async with Repository(path):
        pass
    started = time.perf_counter()
    fill(path, 1, size, is_open=True, rng=rng)
    filled = time.perf_counter() - started
    async with Repository(path) as repository:
        window = await repository.window(1)
        assert window is not None
        results = Results(repository, Survey(ANNEX2))
        figures = {"fill_s": filled}
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
            assert tally.counted == released_count(size, min_group=3, is_open=state == "open")
            assert tally.question("category").answered == tally.counted
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
