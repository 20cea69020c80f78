"""Capacity: presses a second and CPU per press of the bot beside the bare frameworks, same run.

    python -m benchmarks.capacity                      # think 0, 200 people, limiter off, 3 repeats
    python -m benchmarks.capacity --aiogram .venv-aiogram/bin/python   # and a bare aiogram app
    python -m benchmarks.capacity --human              # 1,000 people at 2-4 s, default configuration

Each repeat runs every app once, one after the other, against a fresh emulator with the same
simulated crowd (emulator/briefing.py): the survey bot (on aiohttp, and with `--httpx` also on
python-telegram-bot's httpx), the bare python-telegram-bot app that answers and edits
(emulator/floor.py, on httpx: the floor), with `--floor-aiohttp` the same app on the bot's
transport, and with `--aiogram PYTHON` a bare aiogram 3 app (benchmarks/aiogram_floor.py, run
by another virtualenv's Python since aiogram pins its own dependencies). The machine's load
average is printed before each run: compare apps within a repeat, not across runs.

`--human` is the latency target instead: 1,000 people pressing every 2-4 s, the bot in its
default configuration (pacing per chat) and the emulator enforcing Telegram's flood limits;
every one must finish, and press -> screen changed p99 is the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from emulator.briefing import Figures, Options, run_floor, run_survey


@dataclass(frozen=True)
class Run:
    """One app measured once."""

    repeat: int
    app: str
    load: float  # the one-minute load average when it started
    figures: Figures


def _load() -> float:
    return os.getloadavg()[0]


def _options(arguments: argparse.Namespace, out: Path) -> Options:
    human = arguments.human
    return Options(
        participants=arguments.participants or (1000 if human else 200),
        think=(2.0, 4.0) if human else (0.0, 0.0),
        units=1,
        rate_limiter=human,
        flood_limits=human,
        overall_limit=0,
        out=out,
        seed=1,
        stop_at=None,
        floor=False,
        profile=arguments.profile,
    )


async def _measure(app: str, options: Options, aiogram: str | None) -> Figures:
    if app == "survey":
        return await run_survey(options)
    if app == "survey-httpx":
        return await run_survey(replace(options, transport="httpx"))
    if app == "floor-aiohttp":
        return await run_floor(replace(options, floor_transport="aiohttp"))
    if app == "aiogram":
        assert aiogram is not None
        return await run_floor(options, "aiogram", aiogram)
    return await run_floor(options)


def _apps(arguments: argparse.Namespace) -> list[str]:
    if arguments.human:
        return ["survey"]
    apps = ["floor", "survey"]
    if arguments.httpx:
        apps.append("survey-httpx")
    if arguments.floor_aiohttp:
        apps.append("floor-aiohttp")
    if arguments.aiogram:
        apps.append("aiogram")
    return apps


def _table(runs: list[Run]) -> str:
    """Return each run's figures, its throughput over the floor's in the same repeat, and ranges."""
    floors = {r.repeat: r.figures.presses_per_second for r in runs if r.app == "floor"}
    lines = [
        f"{'repeat':>6} {'app':<14} {'load':>5} {'presses/s':>9} {'× floor':>7} {'CPU ms/press':>12} "
        f"{'CPU share':>9} {'screen p50/p99 ms':>18} {'people':>9} {'RSS MB':>7}"
    ]
    for run in runs:
        f = run.figures
        ratio = f.presses_per_second / floors[run.repeat] if floors.get(run.repeat) else float("nan")
        lines.append(
            f"{run.repeat:>6} {run.app:<14} {run.load:>5.1f} {f.presses_per_second:>9.1f} {ratio:>7.2f} "
            f"{f.bot_cpu_ms_per_press:>12.2f} {f.bot_cpu_share:>9.2f} "
            f"{f'{f.screen_p50_ms:.0f} / {f.screen_p99_ms:.0f}':>18} {f.participants:>9} "
            f"{f.peak_rss_mb:>7.0f}"
        )
    lines += ["", "ranges over the repeats:"]
    for app in dict.fromkeys(r.app for r in runs):
        mine = [r for r in runs if r.app == app]
        speeds = [r.figures.presses_per_second for r in mine]
        ratios = [r.figures.presses_per_second / floors[r.repeat] for r in mine if floors.get(r.repeat)]
        cpu = [r.figures.bot_cpu_ms_per_press for r in mine]
        p99 = [r.figures.screen_p99_ms for r in mine]
        lines.append(
            f"  {app:<14} presses/s {min(speeds):.0f}–{max(speeds):.0f}"
            + (f", × floor {min(ratios):.2f}–{max(ratios):.2f}" if ratios else "")
            + f", CPU {min(cpu):.2f}–{max(cpu):.2f} ms/press"
            + f", screen p99 {min(p99):.0f}–{max(p99):.0f} ms (median {statistics.median(p99):.0f})"
        )
    return "\n".join(lines)


async def main_async(arguments: argparse.Namespace) -> list[Run]:
    """Run every app once per repeat, print as it goes, then the table."""
    runs = []
    for repeat in range(1, arguments.repeats + 1):
        for app in _apps(arguments):
            load = _load()
            options = _options(arguments, arguments.out / f"{repeat}-{app}")
            options.out.mkdir(parents=True, exist_ok=True)
            # The briefing prints the closed unit's report: into the run's folder, not here.
            with (options.out / "report.txt").open("w") as report, contextlib.redirect_stdout(report):
                figures = await _measure(app, options, arguments.aiogram)
            runs.append(Run(repeat, app, load, figures))
            print(
                f"repeat {repeat} {app}: load {load:.1f}, {figures.presses_per_second} presses/s, "
                f"{figures.bot_cpu_ms_per_press} ms CPU a press, screen p99 {figures.screen_p99_ms} ms",
                file=sys.stderr,
            )
    print(_table(runs))
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    record = [{"repeat": r.repeat, "app": r.app, "load": r.load, **asdict(r.figures)} for r in runs]
    (arguments.out / "capacity.json").write_text(json.dumps(record, indent=2))
    return runs


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--participants", type=int, default=0, help="200, or 1,000 with --human")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--human", action="store_true", help="1,000 people at 2-4 s, default configuration")
    parser.add_argument("--httpx", action="store_true", help="also the bot on httpx")
    parser.add_argument("--floor-aiohttp", action="store_true", help="also the floor on the bot's transport")
    parser.add_argument("--aiogram", metavar="PYTHON", help="also a bare aiogram app, run by this Python")
    parser.add_argument("--profile", action="store_true", help="py-spy each run into <out>/<run>/")
    parser.add_argument("--out", type=Path, default=Path("capacity-output"))
    return parser.parse_args(argv)


def main() -> None:
    """Entry point of `python -m benchmarks.capacity`."""
    arguments = parse()
    arguments.out.mkdir(parents=True, exist_ok=True)
    asyncio.run(main_async(arguments))


if __name__ == "__main__":
    main()
