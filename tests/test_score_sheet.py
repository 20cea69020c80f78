"""The score sheet as a use case: owner only, saved at every press, finalised once and only when complete."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.annex1 import ANNEX1
from conversations.engine import Back, Revise
from conversations.records import Window
from conversations.scoring import Award, Marking
from storage.repository import Repository
from tests.actors import ADMIN, LEADER, OTHER
from usecases.access import Actor, Role
from usecases.outcomes import NotYours
from usecases.scoring import (
    ConfirmFinal,
    Final,
    Marked,
    NoSheet,
    PointsRefused,
    Scoring,
    Unfinished,
    Unregistered,
)

REVOKED = Actor(1, "张组长", Role.PARTICIPANT)
ITEMS = len(ANNEX1.items)


@dataclass
class Desk:
    """One leader's unit and the scoring use case over a real database."""

    repository: Repository
    scoring: Scoring
    window: Window


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    async with Repository(tmp_path / "survey.db") as repository:
        scoring = Scoring(repository, repository, repository, Marking(ANNEX1))
        window, _ = await repository.open_window(LEADER.user_id, "县财政局", min_group=3)
        await repository.set_official(LEADER.user_id, "张三", "第一检查组")
        yield Desk(repository, scoring, window)


async def score_all(desk: Desk, *, but: int = 0) -> None:
    """Give every item its maximum, leaving the last `but` items unscored."""
    opened = await desk.scoring.start(LEADER, desk.window.id)
    assert isinstance(opened, Marked)
    for step, item in enumerate(ANNEX1.items[: ITEMS - but]):
        outcome = await desk.scoring.press(LEADER, desk.window.id, Award(step, item.max_points))
        assert isinstance(outcome, Marked)


async def test_only_the_leader_who_opened_the_unit_scores_it(desk: Desk) -> None:
    """Another leader, an admin, or the same person no longer a leader: refused, nothing stored."""
    for actor in (OTHER, ADMIN, REVOKED):
        assert await desk.scoring.start(actor, desk.window.id) == NotYours()
    assert await desk.repository.score_sheet(desk.window.id) is None
    assert isinstance(await desk.scoring.start(LEADER, desk.window.id), Marked)
    for actor in (OTHER, ADMIN, REVOKED):
        assert await desk.scoring.press(actor, desk.window.id, Award(0, 4)) == NotYours()
        assert await desk.scoring.finalise(actor, desk.window.id) == NotYours()
    sheet = await desk.repository.score_sheet(desk.window.id)
    assert sheet is not None
    assert sheet.marks.points == {}


async def test_every_press_is_saved_and_a_stale_one_shows_the_current_item(desk: Desk) -> None:
    """Points are stored at once; a press for another item redraws where the sheet stands."""
    await desk.scoring.start(LEADER, desk.window.id)
    moved = await desk.scoring.press(LEADER, desk.window.id, Award(0, 3))
    stale = await desk.scoring.press(LEADER, desk.window.id, Award(0, 1))
    assert isinstance(moved, Marked)
    assert stale == Marked(desk.window, moved.marks, stale=True)
    assert await desk.scoring.press(LEADER, desk.window.id, Award(1, 9)) == PointsRefused()
    reopened = await desk.scoring.start(LEADER, desk.window.id)
    assert isinstance(reopened, Marked)
    assert reopened.marks.points == {ANNEX1.items[0].id: 3}
    assert reopened.marks.step == 1


async def test_finalising_needs_every_item(desk: Desk) -> None:
    """定稿 with two items unscored says how many are missing, at the question and at the confirmation."""
    await score_all(desk, but=2)
    assert await desk.scoring.ask_finalise(LEADER, desk.window.id) == Unfinished(2)
    assert await desk.scoring.finalise(LEADER, desk.window.id) == Unfinished(2)
    sheet = await desk.repository.score_sheet(desk.window.id)
    assert sheet is not None
    assert not sheet.finalised


async def test_finalising_needs_the_leaders_registered_name(desk: Desk) -> None:
    """The record names a real person and group: without /me the confirmation is refused."""
    unregistered = Actor(4, "王组长", Role.LEADER)
    window, _ = await desk.repository.open_window(unregistered.user_id, "县审计局", min_group=3)
    await desk.scoring.start(unregistered, window.id)
    for step, item in enumerate(ANNEX1.items):
        await desk.scoring.press(unregistered, window.id, Award(step, item.max_points))
    assert await desk.scoring.ask_finalise(unregistered, window.id) == Unregistered()
    assert await desk.scoring.finalise(unregistered, window.id) == Unregistered()
    await desk.repository.set_official(unregistered.user_id, "王五", "第二检查组")
    assert isinstance(await desk.scoring.finalise(unregistered, window.id), Final)


async def test_a_finalised_sheet_records_who_and_never_changes(desk: Desk) -> None:
    """Confirm once: who and when recorded; every later press shows the record and changes nothing."""
    await score_all(desk)
    assert isinstance(await desk.scoring.ask_finalise(LEADER, desk.window.id), ConfirmFinal)
    final = await desk.scoring.finalise(LEADER, desk.window.id)
    assert isinstance(final, Final)
    assert not final.refused
    assert final.sheet.finalised_name == "张三（第一检查组）"
    for attempt in (
        desk.scoring.press(LEADER, desk.window.id, Revise(0)),
        desk.scoring.press(LEADER, desk.window.id, Back(ITEMS)),
        desk.scoring.finalise(LEADER, desk.window.id),
    ):
        again = await attempt
        assert isinstance(again, Final)
        assert again.refused
        assert again.sheet == final.sheet
    assert await desk.scoring.start(LEADER, desk.window.id) == Final(desk.window, final.sheet)


async def test_presses_on_one_sheet_are_taken_one_at_a_time(desk: Desk) -> None:
    """Two points for the same item at once: one counts, the other is stale."""
    await desk.scoring.start(LEADER, desk.window.id)
    outcomes = await asyncio.gather(
        *(desk.scoring.press(LEADER, desk.window.id, Award(0, points)) for points in (1, 2))
    )
    assert sorted(isinstance(o, Marked) and o.stale for o in outcomes) == [False, True]


async def test_a_press_on_a_sheet_never_started_changes_nothing(desk: Desk) -> None:
    """A forged press before /score finds no sheet; a window that does not exist is not theirs."""
    assert await desk.scoring.press(LEADER, desk.window.id, Award(0, 1)) == NoSheet()
    assert await desk.scoring.press(LEADER, 999, Award(0, 1)) == NotYours()
    assert await desk.repository.score_sheet(desk.window.id) is None
