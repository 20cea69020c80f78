"""Where a profiled run's CPU went: a py-spy raw profile summed by layer and by function.

    python -m benchmarks.profile briefing-output/survey.profile.txt [--per-press-ms 2.1]

`python -m emulator.briefing --profile` samples the bot with `py-spy record --format raw`: one
line per distinct stack, its frames from the outermost, then the number of samples. Each sample
is counted once for the frame it was taken in (self) and once for every distinct function on its
stack (inclusive). py-spy takes a thread blocked in a queue's `get()` or the selector's
`select()` for a busy one; those samples are counted as idle and left out of the shares (the
event loop waiting for sockets, aiosqlite's thread waiting for a query, an idle executor thread).
With `--per-press-ms` (the run's CPU per press) shares are also given in milliseconds a press.
"""

from __future__ import annotations

import argparse
import linecache
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

OURS = ("bot/", "usecases/", "conversations/", "storage/", "reports/", "web/")
# Layers by where the innermost frame's file lives, first match wins.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("our code", OURS),
    ("python-telegram-bot", ("telegram/",)),
    ("aiohttp, yarl, multidict", ("aiohttp/", "yarl/", "multidict/", "aiohttp_socks/", "python_socks/")),
    ("httpx, httpcore, anyio, h11", ("httpx/", "httpcore/", "anyio/", "h11/", "sniffio/")),
    ("aiosqlite (event-loop side)", ("aiosqlite/",)),
    ("pydantic", ("pydantic/", "pydantic_core/")),
    ("json", ("json/",)),
    ("asyncio, selectors, ssl, socket", ("asyncio/", "selectors.py", "ssl.py", "socket.py", "uvloop/")),
)
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^:()]+)(?::(?P<line>\d+))?\)$")
_WAITING = re.compile(r"\.(get|select|wait|acquire)\(")  # a source line where a thread waits
IDLE = "idle (waiting for work or sockets)"


@dataclass(frozen=True)
class Frame:
    """A function and the file it is in."""

    function: str
    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.function} ({self.file})"


def _frame(text: str) -> Frame:
    found = _FRAME.match(text)
    if found is None:
        return Frame(text, "")
    return Frame(found["function"], found["file"], int(found["line"] or 0))


_SOURCE: dict[tuple[str, int], str] = {}


def _source(frame: Frame) -> str:
    """Return the frame's line of source, found on sys.path as py-spy names files relative to it."""
    key = (frame.file, frame.line)
    if key not in _SOURCE:
        _SOURCE[key] = next(
            (text for root in sys.path if (text := linecache.getline(f"{root}/{frame.file}", frame.line))), ""
        )
    return _SOURCE[key]


def _layer(stack: list[Frame]) -> str:
    innermost = stack[-1]
    if innermost.function.endswith("select") and innermost.file == "selectors.py":
        return IDLE
    if _WAITING.search(_source(innermost)):
        return IDLE
    if any(f.function.endswith("_bootstrap") for f in stack[:2]):
        if innermost.file.startswith("aiosqlite/"):
            return "SQLite thread (aiosqlite: queries, commit, fsync)"
        return "other threads"
    file = stack[-1].file
    for name, prefixes in LAYERS:
        if any(file.startswith(p) or f"/{p}" in file for p in prefixes):
            return name
    return "other (stdlib, interpreter)"


@dataclass
class Profile:
    """Samples by layer, by function (self) and by our functions (inclusive)."""

    total: int
    layers: Counter[str]
    own: Counter[Frame]
    inclusive: Counter[Frame]


def read(path: Path) -> Profile:
    """Read a py-spy raw (collapsed stacks) file."""
    layers: Counter[str] = Counter()
    own: Counter[Frame] = Counter()
    inclusive: Counter[Frame] = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text, _, count = line.rpartition(" ")
        if not text or not count.isdigit():
            continue
        samples = int(count)
        stack = [_frame(part) for part in text.split(";")]
        layer = _layer(stack)
        layers[layer] += samples
        if layer == IDLE:
            continue
        total += samples
        own[_function(stack[-1])] += samples
        for frame in {_function(f) for f in stack}:
            if frame.file.startswith(OURS):
                inclusive[frame] += samples
    return Profile(total, layers, own, inclusive)


def _function(frame: Frame) -> Frame:
    return Frame(frame.function, frame.file)


def render(profile: Profile, per_press_ms: float | None, top: int) -> str:
    """Return the summary as text."""

    def share(samples: int) -> str:
        fraction = samples / profile.total if profile.total else 0.0
        ms = f"  {fraction * per_press_ms:6.3f} ms/press" if per_press_ms else ""
        return f"{100 * fraction:5.1f} %{ms}"

    idle = profile.layers[IDLE]
    lines = [f"{profile.total} busy samples ({idle} idle left out)", "", "by layer (where each was taken):"]
    lines += [f"  {share(n)}  {name}" for name, n in profile.layers.most_common() if name != IDLE]
    lines += ["", f"top {top} functions (self):"]
    lines += [f"  {share(n)}  {frame}" for frame, n in profile.own.most_common(top)]
    lines += ["", f"top {top} of our functions (inclusive: with everything they call):"]
    lines += [f"  {share(n)}  {frame}" for frame, n in profile.inclusive.most_common(top)]
    ours = Counter({f: n for f, n in profile.own.items() if f.file.startswith(OURS)})
    lines += ["", f"top {top} of our functions (self):"]
    lines += [f"  {share(n)}  {frame}" for frame, n in ours.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    """Entry point of `python -m benchmarks.profile`."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("profile", type=Path)
    parser.add_argument("--per-press-ms", type=float, default=None, help="the run's CPU per press")
    parser.add_argument("--top", type=int, default=15)
    arguments = parser.parse_args()
    print(render(read(arguments.profile), arguments.per_press_ms, arguments.top))


if __name__ == "__main__":
    main()
