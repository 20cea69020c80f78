"""The papers as a use case: what each says is gathered from storage, worded by the adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conversations.annex1 import ANNEX1
from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.records import Window
from conversations.scoring import Marks
from conversations.tally import Tally
from reports.documents import Missing
from reports.localtime import chinese_date, local, now
from storage.repository import Repository
from usecases.access import Actor, Role
from usecases.documents import GroupReport, NoGroup, NoUnits, Papers, WhichGroup
from usecases.officials import GROUP_MAX, NameTooLong, Registration
from usecases.results import Results

ZONE = ZoneInfo("Asia/Shanghai")


class Plain:
    """A wording that shows what it was asked for, so the tests see where each piece goes."""

    def chart_title(self, window: Window, tally: Tally) -> str:
        """Name the unit and the ballots counted."""
        return f"title of {window.unit} at {tally.counted}"

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
        windows=repository,
        officials=repository,
        sheets=repository,
        notes=repository,
        results=results,
        wording=Plain(),
        zone=ZONE,
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
    assert paper.evaluation.times.startswith(chinese_date(window.opened_at, ZONE))
    assert paper.evaluation.times.endswith("（北京时间）")
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


async def test_a_feedback_is_final_only_once_everything_is(repository: Repository) -> None:
    """Draft while anything is missing, each thing named; final once closed, scored, written and named."""
    window, _ = await repository.open_window(1, "县财政局", min_group=3, leader_name="tg_name")
    use = papers(repository)

    async def missing() -> tuple[Missing, ...]:
        current = await repository.window(window.id)
        assert current is not None
        return (await use.unit_paper(current, charts=False)).missing

    assert await missing() == (
        Missing.SCORE_NONE,
        Missing.WRITINGS_DRAFT,
        Missing.SURVEY_OPEN,
        Missing.UNREGISTERED,
    )
    marks = Marks(points={item.id: item.max_points for item in ANNEX1.items[:-1]})
    await repository.save_score(window.id, marks)
    await repository.set_official(1, "张三", "第一检查组")
    assert await missing() == (Missing.SCORE_UNFINISHED, Missing.WRITINGS_DRAFT, Missing.SURVEY_OPEN)
    await repository.save_score(window.id, Marks(points={i.id: i.max_points for i in ANNEX1.items}))
    await repository.close_window(window.id)
    assert await missing() == (Missing.SCORE_DRAFT, Missing.WRITINGS_DRAFT)
    assert await repository.finalise_score(window.id, 1, "张三")
    await repository.finalise_writings(window.id)  # every section left empty on purpose
    assert await missing() == ()
    current = await repository.window(window.id)
    assert current is not None
    paper = await use.unit_paper(current, charts=False)
    assert paper.final
    assert paper.inspection.signed == local(now(), ZONE).date()  # the day it became final


ADMIN = Actor(100, "admin", Role.ADMIN)


async def test_a_group_report_covers_the_callers_own_units_or_the_group_an_admin_names(
    repository: Repository,
) -> None:
    """A leader gets their own units; an admin names a group, or is told which groups there are."""
    await repository.open_window(1, "县财政局", min_group=3)
    await repository.open_window(2, "县审计局", min_group=3)
    await repository.set_official(1, "张三", "第一检查组")
    await repository.set_official(2, "李四", "第二检查组")
    use = papers(repository)
    own = await use.group_report_for(Actor(1, "张三", Role.LEADER))
    assert isinstance(own, GroupReport)
    assert own.own
    assert [u.inspection.unit for u in own.paper.units] == ["县财政局"]
    named = await use.group_report_for(ADMIN, "第二检查组")
    assert isinstance(named, GroupReport)
    assert not named.own  # an admin reads it; the conclusions are the group's to write
    assert (named.paper.group, [u.inspection.unit for u in named.paper.units]) == ("第二检查组", ["县审计局"])
    assert await use.group_report_for(ADMIN, "第九检查组") == NoGroup("第九检查组")
    assert await use.group_report_for(ADMIN) == WhichGroup({"第一检查组": 1, "第二检查组": 2})
    by_leader = await use.group_report_of(ADMIN, 2)  # the button an admin presses names a leader of it
    assert isinstance(by_leader, GroupReport)
    assert (by_leader.paper.group, by_leader.own) == ("第二检查组", False)
    # a leader pressing another leader's number gets their own report
    own_again = await use.group_report_of(Actor(1, "张三", Role.LEADER), 2)
    assert isinstance(own_again, GroupReport)
    assert [u.inspection.unit for u in own_again.paper.units] == ["县财政局"]
    assert await use.group_report_for(Actor(3, "王五", Role.LEADER)) == NoUnits()
    # a leader cannot read another group's report by naming it
    mine = await use.group_report_for(Actor(1, "张三", Role.LEADER), "第二检查组")
    assert isinstance(mine, GroupReport)
    assert [u.inspection.unit for u in mine.paper.units] == ["县财政局"]


async def test_the_county_summary_grades_only_finalised_sheets(repository: Repository) -> None:
    """Each unit with its leader's label; no grade until the sheet is finalised."""
    first, _ = await repository.open_window(1, "县财政局", min_group=3)
    second, _ = await repository.open_window(2, "县审计局", min_group=3, leader_name="tg_li")
    await repository.set_official(1, "张三", "第一检查组")
    full = Marks(points={item.id: item.max_points for item in ANNEX1.items})
    for window in (first, second):
        await repository.save_score(window.id, full)
    assert await repository.finalise_score(first.id, 1, "张三")
    rows = await papers(repository).county_summary()
    assert [(r.unit, r.leader, r.group, r.ballots, r.total, r.grade) for r in rows] == [
        ("县财政局", "张三", "第一检查组", 0, 100, "优秀"),
        ("县审计局", "tg_li (unregistered)", "", 0, None, None),  # scored in full, not finalised
    ]
    assert {r.day for r in rows} == {local(now(), ZONE).date()}  # the day each was opened


async def test_a_name_or_group_too_long_is_not_recorded(repository: Repository) -> None:
    """/me keeps names within their lengths; within them it records, and replaces."""
    registration = Registration(repository)
    assert await registration.register(1, "张三", "组" * (GROUP_MAX + 1)) == NameTooLong()
    assert await registration.current(1) is None
    await registration.register(1, "张三", "第一检查组")
    await registration.register(1, "张三", "第二检查组")
    current = await registration.current(1)
    assert current is not None
    assert current.label == "张三（第二检查组）"
