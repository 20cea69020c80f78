"""The README's "try it without Telegram": a simulated briefing against the real bot process.

The survey and the framework floor run as two tests, so that the suite can run them side by side.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from emulator.briefing import Figures, main_async, parse, report, run_floor

pytestmark = pytest.mark.slow  # started first: see tests/conftest.py

SMALL = ["--participants", "6", "--think", "0", "--units", "2"]


@pytest.mark.timeout(600)  # two bot processes and a whole briefing: minutes on a busy machine
async def test_a_small_simulated_briefing_runs_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Six participants, two units, flood limits on: every press answered, reports printed, files saved."""
    (survey,) = await main_async(parse([*SMALL, "--out", str(tmp_path)]))
    printed = capsys.readouterr().out
    assert survey.unanswered == 0
    assert survey.presses >= 6 * 19  # at least 19 presses per form
    assert survey.rate_limited_per_press <= 1.0
    assert survey.flood_rejections == 0  # the default pace stays within the emulator's flood limits
    assert survey.rejections_unretried == 0
    assert survey.answers_per_press == 1.0
    assert "单位1 民主测评统计（最终结果）" in printed
    for unit in ("单位1", "单位2"):
        assert (tmp_path / f"{unit}_chart.png").read_bytes().startswith(b"\x89PNG")
        assert (tmp_path / f"{unit}_民主测评_{unit}.xlsx").stat().st_size > 5_000
        assert (tmp_path / f"{unit}_测评二维码海报_{unit}.pdf").read_bytes().startswith(b"%PDF")
        # not scored nor written in the simulation: the feedback is a draft, named so
        assert (tmp_path / f"{unit}_检查考核结果反馈_{unit}_草稿.docx").read_bytes().startswith(b"PK")
    assert (tmp_path / "figures.json").exists()


async def test_the_framework_floor_answers_every_press_within_the_flood_limits(tmp_path: Path) -> None:
    """The bare python-telegram-bot app (`--floor`) walks the same crowd: all answered, no 429 left."""
    floor = await run_floor(parse([*SMALL, "--floor", "--out", str(tmp_path)]))
    assert floor.unanswered == 0
    assert floor.flood_rejections == 0
    assert floor.rejections_unretried == 0


def test_the_report_sets_the_survey_beside_the_floor() -> None:
    """With both runs, the figures stand side by side and the throughput ratio is printed."""
    zeros: dict[str, int] = {field.name: 0 for field in dataclasses.fields(Figures) if field.name != "app"}
    floor = dataclasses.replace(Figures("floor", **zeros), presses_per_second=200.0)
    survey = dataclasses.replace(floor, app="survey", presses_per_second=150.0)
    printed = report([floor, survey])
    assert printed.splitlines()[0].split() == ["floor", "survey"]
    assert printed.endswith("throughput, survey / floor: 0.75")
    assert "throughput" not in report([survey])
