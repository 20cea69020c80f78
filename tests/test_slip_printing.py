"""Printing ballot slips: who may, how many, once per press; and what /open reads as a count."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.leader import split_count
from conversations.records import Window
from conversations.slips import normalise, slip_check
from storage.repository import Repository
from tests.actors import LEADER, OTHER
from tests.pdf_text import page_count, printed_codes
from usecases.console import Console
from usecases.events import Events
from usecases.outcomes import NotAllowed
from usecases.participation import Ended
from usecases.slip_printing import AlreadyPrinted, Printed, SlipPrinting
from usecases.slips import BadCount, NotSlips, SlipIssuing


@dataclass
class Desk:
    """A slips unit and a link unit of one leader, and the printing over them."""

    repository: Repository
    printing: SlipPrinting
    slips_unit: Window
    link_unit: Window


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    async with Repository(tmp_path / "survey.db") as repository:
        console = Console(repository, repository, Events(), 3)
        slips = await console.open(LEADER, "县财政局", slips=True)
        link = await console.open(LEADER, "县审计局")
        printing = SlipPrinting(repository, SlipIssuing(repository, repository, repository.keys), None)
        yield Desk(repository, printing, slips.window, link.window)  # type: ignore[union-attr]


async def test_printed_slips_are_the_units_unused_slips_and_nothing_else_is_kept(desk: Desk) -> None:
    """Three slips: a one-page PDF of three codes, each an unused slip of the unit, kept as a hash only."""
    printed = await desk.printing.print(LEADER, desk.slips_unit.id, 3, seen=0, bot="survey_test_bot")
    assert isinstance(printed, Printed)
    assert (printed.count, printed.pages, printed.window.slips_issued) == (3, 1, 3)
    assert page_count(printed.pdf) == 1
    codes = [normalise(code) for code in printed_codes(printed.pdf)]
    assert len(set(codes)) == 3
    secret = desk.repository.keys.secret(desk.slips_unit.id)
    for code in codes:
        assert code is not None
        assert await desk.repository.slip_unused(
            desk.slips_unit.id, slip_check(secret, desk.slips_unit.id, code)
        )
    rows = await desk.repository.fetchall("SELECT check_hash FROM slips")
    assert not any(code.encode() in row[0] for code in codes if code for row in rows)


async def test_a_press_drawn_before_the_last_print_prints_nothing(desk: Desk) -> None:
    """A double tap (seen=0 after 3 were printed) prints none; a button drawn for 3 prints 2 more."""
    unit = desk.slips_unit.id
    assert isinstance(await desk.printing.print(LEADER, unit, 3, seen=0, bot="b"), Printed)
    doubled = await desk.printing.print(LEADER, unit, 3, seen=0, bot="b")
    assert isinstance(doubled, AlreadyPrinted)
    assert doubled.window.slips_issued == 3
    more = await desk.printing.print(LEADER, unit, 2, seen=3, bot="b")
    assert isinstance(more, Printed)
    assert more.window.slips_issued == 5


async def test_only_the_units_leader_prints_within_the_limit_while_open_and_only_for_slips(
    desk: Desk,
) -> None:
    """Another leader: not allowed; 501 at once: too many; a link unit: no slips; once closed: ended."""
    unit = desk.slips_unit.id
    assert await desk.printing.print(OTHER, unit, 3, seen=0, bot="b") == NotAllowed()
    assert isinstance(await desk.printing.print(LEADER, unit, 501, seen=0, bot="b"), BadCount)
    assert isinstance(await desk.printing.print(LEADER, desk.link_unit.id, 3, seen=0, bot="b"), NotSlips)
    await desk.repository.close_window(unit)
    assert isinstance(await desk.printing.print(LEADER, unit, 3, seen=0, bot="b"), Ended)
    closed = await desk.repository.window(unit)
    assert closed is not None
    assert closed.slips_issued == 0


@pytest.mark.parametrize(
    ("argument", "read"),
    [
        ("县财政局 40", ("县财政局", 40, None)),
        ("县财政局 40张", ("县财政局", 40, None)),
        ("县财政局 25人", ("县财政局", None, 25)),
        ("县财政局 25 人", ("县财政局", None, 25)),
        ("县财政局", ("县财政局", None, None)),
        ("第2中学", ("第2中学", None, None)),
        ("县财政局 0", ("县财政局 0", None, None)),
        ("县财政局 20000人", ("县财政局 20000人", None, None)),
    ],
)
def test_open_reads_a_trailing_number_as_slips_and_one_with_ren_as_a_headcount(
    argument: str, read: tuple[str, int | None, int | None]
) -> None:
    """/open 县财政局 40 opens with 40 slips; /open 县财政局 25人 opens with a link, 25 expected."""
    assert split_count(argument) == read
