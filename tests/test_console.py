"""The leader's console as a use case: open, find the unit a command means, close once, announce it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storage.repository import Repository
from tests.actors import ADMIN, LEADER, OTHER
from usecases.access import Actor
from usecases.console import (
    AlreadyClosed,
    CloseAsked,
    Closed,
    Console,
    NoUnitName,
    Opened,
    UnitClosed,
    UnitTooLong,
)
from usecases.events import Events, SurveyClosed
from usecases.outcomes import NotAllowed
from usecases.units import Choices, NoSuchUnit, NothingOpen, NoWindows, Picked, Scope, Units


@dataclass
class Desk:
    """The console over a real database, and the windows it announced closed."""

    repository: Repository
    console: Console
    units: Units
    closed: list[int] = field(default_factory=list)


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    async with Repository(tmp_path / "survey.db") as repository:
        events = Events()
        units = Units(repository)
        desk = Desk(repository, Console(repository, repository, events, min_group=3), units)

        async def record(event: SurveyClosed) -> None:
            desk.closed.append(event.window.id)

        events.subscribe(SurveyClosed, record)
        yield desk


async def opened(desk: Desk, actor: Actor, unit: str, *, after: int | None = None) -> int:
    outcome = await desk.console.open(actor, unit, after=after)
    assert isinstance(outcome, Opened)
    return outcome.window.id


async def test_opening_needs_a_name_within_the_limit_and_reuses_the_open_window(desk: Desk) -> None:
    """No name or a 65-character one is refused; opening again gives the same window, new headcount."""
    assert await desk.console.open(LEADER, "") == NoUnitName()
    assert await desk.console.open(LEADER, "局" * 65) == UnitTooLong(64)
    first = await desk.console.open(LEADER, "县财政局")
    again = await desk.console.open(LEADER, "县财政局", expected=25)
    assert isinstance(first, Opened)
    assert first.created
    assert first.window.min_group == 3
    assert first.window.leader_name == "张组长"
    assert isinstance(again, Opened)
    assert not again.created
    assert (again.window.id, again.window.expected) == (first.window.id, 25)


async def test_a_command_means_the_named_unit_or_the_only_open_one(desk: Desk) -> None:
    """By name: the unit, or a choice of its rounds (open first); no name: the only open one, or a choice."""
    assert await desk.units.pick(LEADER, "", scope=Scope.OPEN_FIRST) == NoWindows()
    old = await opened(desk, LEADER, "县财政局")
    await desk.console.close(LEADER, old)
    assert await desk.units.pick(LEADER, "", scope=Scope.OPEN) == NothingOpen()
    new = await opened(desk, LEADER, "县财政局", after=old)
    other = await opened(desk, LEADER, "县审计局")
    named = await desk.units.pick(LEADER, "县财政局", scope=Scope.OPEN_FIRST)
    assert isinstance(named, Choices)
    assert [(w.id, w.label) for w in named.windows] == [(new, "县财政局（第二轮）"), (old, "县财政局")]
    second = await desk.units.pick(LEADER, "县财政局（第二轮）", scope=Scope.ANY)
    assert isinstance(second, Picked)
    assert second.window.id == new
    only_open = await desk.units.pick(LEADER, "县财政局", scope=Scope.OPEN)
    assert isinstance(only_open, Picked)
    assert only_open.window.id == new
    wrong = await desk.units.pick(LEADER, "县教育局", scope=Scope.OPEN_FIRST)
    assert isinstance(wrong, NoSuchUnit)
    assert wrong.unit == "县教育局"
    assert {w.id for w in wrong.choices} >= {new, other}  # what a name typed wrong could have meant
    choice = await desk.units.pick(LEADER, "", scope=Scope.OPEN)
    assert isinstance(choice, Choices)
    assert {w.id for w in choice.windows} == {new, other}
    await desk.console.close(LEADER, other)
    only = await desk.units.pick(LEADER, "", scope=Scope.OPEN)
    assert isinstance(only, Picked)
    assert only.window.id == new


async def test_a_closed_unit_opens_again_only_as_a_round_asked_for(desk: Desk) -> None:
    """/open of a closed unit opens nothing and says so; its next round opens only when asked, once."""
    first = await opened(desk, LEADER, "县财政局")
    await desk.console.close(LEADER, first)
    again = await desk.console.open(LEADER, "县财政局")
    assert isinstance(again, UnitClosed)
    assert (again.window.id, again.ballots, again.next_round) == (first, 0, 2)
    assert len(await desk.repository.windows_of(LEADER.user_id)) == 1
    second = await desk.console.open(LEADER, "县财政局", after=first)
    assert isinstance(second, Opened)
    assert second.created
    assert (second.window.round, second.window.label) == (2, "县财政局（第二轮）")
    doubled = await desk.console.open(LEADER, "县财政局", after=first)
    assert doubled == Opened(second.window, created=False)
    await desk.console.close(LEADER, second.window.id)
    late = await desk.console.open(LEADER, "县财政局", after=first)  # a spent button opens no third round
    assert isinstance(late, UnitClosed)
    assert (late.window.id, late.next_round) == (second.window.id, 3)
    theirs = await desk.console.open(OTHER, "县财政局")  # another leader's survey of the unit is theirs
    assert isinstance(theirs, Opened)
    assert theirs.window.label == "县财政局"


async def test_after_the_briefing_the_newest_unit_comes_first_open_or_not(desk: Desk) -> None:
    """/score, /report and /write offer every unit of one's own, the newest first."""
    old = await opened(desk, LEADER, "县财政局")
    new = await opened(desk, LEADER, "县审计局")
    await desk.console.close(LEADER, new)
    await opened(desk, OTHER, "县教育局")
    offered = await desk.units.pick(ADMIN, "", scope=Scope.ANY)
    assert isinstance(offered, Choices)
    assert len(offered.windows) == 3
    mine = await desk.units.pick(LEADER, "", scope=Scope.ANY, own=True)
    assert isinstance(mine, Choices)
    assert [w.id for w in mine.windows] == [new, old]
    assert await desk.units.pick(ADMIN, "", scope=Scope.ANY, own=True) == NoWindows()


async def test_leaders_see_their_own_units_and_an_admin_chooses_between_leaders(desk: Desk) -> None:
    """Another leader's unit of the same name is not theirs; an admin is asked which one."""
    mine = await opened(desk, LEADER, "县财政局")
    theirs = await opened(desk, OTHER, "县财政局")
    picked = await desk.units.pick(OTHER, "县财政局", scope=Scope.OPEN_FIRST)
    assert isinstance(picked, Picked)
    assert picked.window.id == theirs
    both = await desk.units.pick(ADMIN, "县财政局", scope=Scope.OPEN_FIRST)
    assert isinstance(both, Choices)
    assert {w.id for w in both.windows} == {mine, theirs}


async def test_only_the_units_leader_or_an_admin_closes_it_once_and_it_is_announced(desk: Desk) -> None:
    """Another leader is refused; the close is asked about, done once, announced once."""
    window_id = await opened(desk, LEADER, "县财政局")
    assert await desk.console.ask_close(OTHER, window_id) == NotAllowed()
    assert await desk.console.close(OTHER, window_id) == NotAllowed()
    assert await desk.console.close(LEADER, 999) == NotAllowed()
    asked = await desk.console.ask_close(ADMIN, window_id)
    assert isinstance(asked, CloseAsked)
    assert asked.ballots == 0
    closed = await desk.console.close(LEADER, window_id)
    assert isinstance(closed, Closed)
    assert not closed.window.is_open
    assert isinstance(await desk.console.close(ADMIN, window_id), AlreadyClosed)
    assert isinstance(await desk.console.ask_close(LEADER, window_id), AlreadyClosed)
    assert desk.closed == [window_id]
