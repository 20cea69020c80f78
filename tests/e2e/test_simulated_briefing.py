"""The README's "try it without Telegram": a simulated briefing against the real bot process."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.briefing import main_async, parse


async def test_a_small_simulated_briefing_runs_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Six participants, two units, flood limits on: every press answered, reports printed, files saved."""
    options = parse(
        ["--participants", "6", "--think", "0", "--units", "2", "--out", str(tmp_path), "--floor"]
    )
    floor, survey = await main_async(options)
    printed = capsys.readouterr().out
    assert survey.unanswered == 0
    assert floor.unanswered == 0
    assert survey.presses >= 6 * 19  # at least 19 presses per form
    assert survey.rate_limited_per_press <= 1.0
    for figures in (floor, survey):  # the default pace stays within the emulator's flood limits
        assert figures.flood_rejections == 0
        assert figures.rejections_unretried == 0
    assert survey.answers_per_press == 1.0
    assert "单位1 民主测评统计（最终结果）" in printed
    assert "throughput, survey / floor" in printed
    for unit in ("单位1", "单位2"):
        assert (tmp_path / f"{unit}_chart.png").read_bytes().startswith(b"\x89PNG")
        assert (tmp_path / f"{unit}_民主测评_{unit}.xlsx").stat().st_size > 5_000
        assert (tmp_path / f"{unit}_测评二维码海报_{unit}.pdf").read_bytes().startswith(b"%PDF")
        assert (tmp_path / f"{unit}_检查考核结果反馈_{unit}.docx").read_bytes().startswith(b"PK")
    assert (tmp_path / "figures.json").exists()
