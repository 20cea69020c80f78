"""Settings for the whole suite: no Hypothesis deadlines, and how the suite spreads over processes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check what happens, not how fast: on a loaded machine a generous example may
# take longer than Hypothesis's default 200 ms deadline, which would fail a test that is right.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

# Compile each module once for the whole run, not once per process: the suite starts dozens of
# processes (its workers, bot processes, `python -m bot check`), and where PYTHONDONTWRITEBYTECODE
# is set each would compile from source again (1.5 s per test process, 0.2 s per bot process).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

# The whole suite runs in six processes (pytest-xdist): much of an end-to-end test's time is spent
# waiting on the bot, the emulator and child processes, so six keep two cores busy (four left a
# third of them idle).
WORKERS = 6
E2E = Path(__file__).resolve().parent / "e2e"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Spread the whole suite (or a folder of it) over WORKERS; run chosen files or tests in-process."""
    chosen = [arg for arg in config.args if ".py" in arg]
    return 0 if chosen else WORKERS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the longest tests first, so that no process is left with one at the end."""

    def order(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 1 if item.path.is_relative_to(E2E) else 2

    items.sort(key=order)
