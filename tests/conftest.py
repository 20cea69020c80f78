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


# The inner loop, `pytest -m "not slow"`: every unit test but the few that take seconds each, and
# a handful of end-to-end tests that run the real bot on the emulator through a whole briefing.
QUICK_E2E = {
    "test_briefing.py::test_a_fourth_pick_is_refused",
    "test_briefing.py::test_restart_mid_survey_resumes_where_it_was",
    "test_briefing.py::test_double_taps_and_forged_presses_change_nothing",
    "test_slips.py::test_a_slip_lets_one_telegram_participant_answer_once_and_the_counts_add_up",
}
# Unit tests that take seconds each: attacks over whole rooms of files, kills at every step,
# property tests, bot processes, fonts and documents rendered.
SLOW_UNITS = {
    "test_closing.py",
    "test_forensics.py",
    "test_slip_forensics.py",
    "test_closed_files.py",
    "test_paper_anonymity.py",
    "test_leader_views.py",
    "test_checkpoints.py",
    "test_participation_machine.py",
    "test_config.py",
    "test_charts.py",
    "test_workbook_fonts.py",
    "test_slip_pdf.py",
    "test_slip_printing.py",
    "test_migrations.py",
    "test_documents.py",
    "test_workbooks.py",
    "test_reports.py",
    "test_form_in_chromium.py",  # a real browser
}
# Property tests with many examples each, in files that are otherwise quick.
SLOW_PROPERTIES = {
    "test_engine.py::test_any_sequence_of_presses_keeps_the_draft_valid",
    "test_repository.py::test_running_counters_match_a_recount_of_the_released_ballots",
    "test_tally.py::test_no_two_views_differ_by_fewer_than_k_ballots",
}


def _left_out_of_the_inner_loop(item: pytest.Item) -> bool:
    if item.path.is_relative_to(E2E):
        return f"{item.path.name}::{item.name.split('[')[0]}" not in QUICK_E2E
    return item.path.name in SLOW_UNITS or f"{item.path.name}::{item.name}" in SLOW_PROPERTIES


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what the inner loop leaves out; start the longest tests first, none left alone at the end."""
    longest = {item.nodeid for item in items if item.get_closest_marker("slow")}
    for item in items:
        if item.nodeid not in longest and _left_out_of_the_inner_loop(item):
            item.add_marker(pytest.mark.slow)

    def order(item: pytest.Item) -> int:
        if item.nodeid in longest:
            return 0
        return 1 if item.path.is_relative_to(E2E) else 2

    items.sort(key=order)
