"""The papers as a use case: what each says is gathered from storage, worded by the adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.tally import Tally
from storage.models import Window
from storage.repository import Repository
from usecases.papers import Papers
from usecases.results import Results

ZONE = ZoneInfo("Asia/Shanghai")


class Plain:
    """A wording that shows what it was asked for, so the tests see where each piece goes."""

    def chart_title(self, window: Window, tally: Tally) -> str:
        """Name the unit and the ballots counted."""
        return f"title of {window.unit} at {tally.counted}"

    def times(self, window: Window) -> str:
        """Name the unit."""
        return f"times of {window.unit}"

    def unregistered(self, name: str) -> str:
        """Mark the name."""
        return f"{name} (unregistered)"


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[Repository]:
    async with Repository(tmp_path / "survey.db") as repository:
        yield repository


def papers(repository: Repository) -> Papers:
    results = Results(repository, Survey(ANNEX2), ZONE)
    return Papers(
        officials=repository, sheets=repository, notes=repository, results=results, wording=Plain(), zone=ZONE
    )


async def test_a_unit_paper_names_the_registered_leader_and_carries_the_sections(
    repository: Repository,
) -> None:
    """Registered with /me: the paper names the person and group; the leader's sections are in it."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3, leader_name="tg_name")
    await repository.set_official(1, "张三", "第一检查组")
    await repository.save_writing(window.id, "strengths", "制度健全")
    await repository.save_writing(window.id, "practice", "廉政风险清单上墙")
    paper = await papers(repository).unit_paper(window, charts=False)
    assert (paper.inspection.unit, paper.inspection.leader, paper.inspection.group) == (
        "县财政局",
        "张三",
        "第一检查组",
    )
    assert paper.findings.strengths == "制度健全"
    assert paper.good_practice == "廉政风险清单上墙"
    assert paper.evaluation.times == "times of 县财政局"
    assert paper.score is None  # not scored yet
    assert paper.evaluation.charts == ()


async def test_an_unregistered_leader_is_marked_in_the_paper_and_the_group_report(
    repository: Repository,
) -> None:
    """Before /me the papers say the Telegram name, marked; the group report joins the conclusions."""
    first, _ = await repository.open_window(7, "县审计局", min_group=3, leader_name="tg_name")
    second, _ = await repository.open_window(7, "县税务局", min_group=3, leader_name="tg_name")
    await repository.save_conclusions(7, "整体较好")
    unit = await papers(repository).unit_paper(first, charts=False)
    assert unit.inspection.leader == "tg_name (unregistered)"
    group, document = await papers(repository).group_report([second, first], [7])
    assert [u.inspection.unit for u in group.units] == ["县审计局", "县税务局"]  # in the order opened
    assert group.leader == "7 (unregistered)"
    assert group.conclusions == "整体较好"
    assert document.startswith(b"PK")  # a .docx
