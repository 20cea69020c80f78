"""Ballot slips (一人一码): codes made to be typed, each letting one ballot in, by browser or Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.annex2 import ANNEX2
from conversations.engine import ChooseSet, Draft, Press, Survey
from conversations.errors import AlreadySubmitted, NoChoiceMade, TooManyChoices
from conversations.records import Window
from conversations.slips import ALPHABET, LENGTH, RANDOM_SYMBOLS, new_code, normalise, printed, slip_check
from storage.repository import Repository
from tests.actors import LEADER, OTHER
from tests.test_participation import first_choice
from usecases.events import Events
from usecases.outcomes import NotAllowed
from usecases.participation import (
    Account,
    BallotBox,
    Ended,
    NeedsSlip,
    NoSuchWindow,
    Participation,
    Refused,
    Shown,
    SlipHolder,
    Submitted,
    Welcome,
)
from usecases.slips import (
    Admitted,
    BadCount,
    Issued,
    NotSlips,
    SlipDoor,
    SlipIssuing,
    SlipReady,
    SlipUsed,
    WrongCode,
)

SURVEY = Survey(ANNEX2)
MULTI_STEP = next(i for i, q in enumerate(ANNEX2.questions) if q.max_choices > 1)


def test_a_code_carries_seventy_random_bits_and_reads_back_however_it_is_typed() -> None:
    """14 random symbols of 32 (70 bits) and a check symbol; dashes, spaces, case and full width folded."""
    assert len(ALPHABET) == 32
    assert RANDOM_SYMBOLS * 5 >= 60
    code = new_code()
    assert len(code) == LENGTH
    assert set(code) <= set(ALPHABET)
    assert len(printed(code)) == LENGTH + 2
    assert printed(code).count("-") == 2
    full_width = "".join(chr(ord(symbol) + 0xFEE0) for symbol in code.lower())
    for typed in (
        code,
        printed(code),
        printed(code).lower(),
        f"  {code[:5]} {code[5:10]} {code[10:]} ",
        full_width,
    ):
        assert normalise(typed) == code
    assert len({new_code() for _ in range(1000)}) == 1000


def test_a_mistyped_symbol_or_a_swap_is_no_code() -> None:
    """The check symbol catches one wrong symbol and two neighbours swapped, before any lookup."""
    code = new_code()
    caught = 0
    trials = 0
    for position in range(LENGTH - 1):
        for symbol in ALPHABET:
            if symbol == code[position] or {symbol, code[position]} == {"2", "Z"}:
                continue
            trials += 1
            caught += normalise(code[:position] + symbol + code[position + 1 :]) is None
        if code[position] != code[position + 1] and {code[position], code[position + 1]} != {"2", "Z"}:
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            trials += 1
            caught += normalise(swapped) is None
    assert caught == trials
    assert normalise(code[:-1]) is None
    assert normalise(code + "2") is None
    assert normalise(code.replace(code[0], "0", 1)) is None


def test_a_page_of_checkboxes_answers_a_choose_up_to_three_item_exactly() -> None:
    """Three options move on; a fourth is refused with the limit; none is refused; the form's order kept."""
    question = ANNEX2.questions[MULTI_STEP]
    draft = Draft(step=MULTI_STEP)
    ids = tuple(option.id for option in question.options)
    with pytest.raises(TooManyChoices) as refused:
        SURVEY.apply(draft, ChooseSet(MULTI_STEP, ids[:4]))
    assert refused.value.limit == 3
    with pytest.raises(NoChoiceMade):
        SURVEY.apply(draft, ChooseSet(MULTI_STEP, ()))
    answered = SURVEY.apply(draft, ChooseSet(MULTI_STEP, (ids[2], ids[0])))
    assert answered.answers[question.id] == (ids[0], ids[2])
    assert answered.step != MULTI_STEP


@dataclass
class Briefing:
    """A slips unit over a real database, with the use cases a phone and a leader call."""

    repository: Repository
    participation: Participation
    door: SlipDoor
    issuing: SlipIssuing
    window: Window


@pytest.fixture
async def briefing(tmp_path: Path) -> AsyncIterator[Briefing]:
    async with Repository(tmp_path / "survey.db") as repository:
        box = BallotBox(repository, SURVEY, Events())
        participation = Participation(repository, repository, SURVEY, repository.keys, box, slips=repository)
        door = SlipDoor(repository, repository, repository, repository.keys, participation)
        issuing = SlipIssuing(repository, repository, repository.keys)
        window, _ = await repository.open_window(LEADER.user_id, "县财政局", min_group=3, slips=True)
        yield Briefing(repository, participation, door, issuing, window)


async def issue(briefing: Briefing, count: int) -> tuple[str, ...]:
    issued = await briefing.issuing.issue(LEADER, briefing.window.id, count)
    assert isinstance(issued, Issued)
    briefing.window = issued.window
    return issued.codes


async def answer_all(participation: Participation, who: Account | SlipHolder, window_id: int) -> Press | None:
    """Begin and answer every step with first choices; return None at the review."""
    outcome = await participation.begin(who, window_id)
    while isinstance(outcome, Shown) and SURVEY.current_question(outcome.draft) is not None:
        outcome = await participation.press(who, window_id, first_choice(outcome.draft))
    assert isinstance(outcome, Shown)
    return None


async def test_slips_are_issued_by_the_units_leader_and_counted(briefing: Briefing) -> None:
    """40 at open, 补打 10 more: 50 issued; another leader, a link unit, a count of 0 are refused."""
    first = await briefing.issuing.issue(LEADER, briefing.window.id, 40)
    more = await briefing.issuing.issue(LEADER, briefing.window.id, 10)
    assert isinstance(first, Issued)
    assert isinstance(more, Issued)
    assert (first.issued_total, more.issued_total, more.window.slips_issued) == (40, 50, 50)
    assert len(set(first.codes) | set(more.codes)) == 50
    assert await briefing.issuing.issue(OTHER, briefing.window.id, 5) == NotAllowed()
    assert await briefing.issuing.issue(LEADER, briefing.window.id, 0) == BadCount()
    link_unit, _ = await briefing.repository.open_window(LEADER.user_id, "县教育局", min_group=3)
    assert await briefing.issuing.issue(LEADER, link_unit.id, 5) == NotSlips(link_unit)


async def test_a_slip_answers_once_in_the_browser_and_resumes_until_then(briefing: Briefing) -> None:
    """Fresh → begun (resumes with its draft) → submitted → used; a wrong code says only that."""
    (code,) = await issue(briefing, 1)
    holder = SlipHolder(code)
    assert await briefing.door.enter(printed(code).lower()) == SlipReady(briefing.window, holder, None)
    begun = await briefing.participation.begin(holder, briefing.window.id)
    assert isinstance(begun, Shown)
    entered = await briefing.door.enter(code)
    assert entered == SlipReady(briefing.window, holder, begun.draft)
    await answer_all(briefing.participation, holder, briefing.window.id)
    assert isinstance(await briefing.participation.submit(holder, briefing.window.id), Submitted)
    assert await briefing.door.enter(code) == SlipUsed(briefing.window)
    again = await briefing.participation.begin(holder, briefing.window.id)
    assert isinstance(again, Refused)
    assert isinstance(again.reason, AlreadySubmitted)
    assert await briefing.door.enter(new_code()) == WrongCode()
    assert await briefing.door.enter("hello") == WrongCode()


async def test_in_a_slips_unit_the_link_alone_lets_nobody_in(briefing: Briefing) -> None:
    """The unit's link asks for a slip; an account cannot begin; a slip of no unit begins nothing."""
    assert await briefing.participation.open_link(briefing.window.token, 7) == NeedsSlip(briefing.window)
    assert await briefing.participation.begin(Account(7), briefing.window.id) == NeedsSlip(briefing.window)
    stranger = SlipHolder(new_code())
    assert await briefing.participation.begin(stranger, briefing.window.id) == NeedsSlip(briefing.window)
    link_unit, _ = await briefing.repository.open_window(LEADER.user_id, "县教育局", min_group=3)
    assert await briefing.participation.begin(stranger, link_unit.id) == NoSuchWindow()


async def test_a_slip_spent_in_telegram_lets_that_account_answer_once_and_reads_as_used(
    briefing: Briefing,
) -> None:
    """Redeemed by one account: it answers; the browser and a second account find the slip used."""
    first, second = await issue(briefing, 2)
    assert await briefing.door.redeem(7, printed(first)) == Admitted(briefing.window)
    assert await briefing.door.redeem(7, first) == Admitted(briefing.window)  # a doubled /start
    assert await briefing.door.redeem(8, first) == SlipUsed(briefing.window)
    assert await briefing.door.enter(first) == SlipUsed(briefing.window)
    assert await briefing.participation.open_link(briefing.window.token, 7) == Welcome(briefing.window)
    await answer_all(briefing.participation, Account(7), briefing.window.id)
    assert isinstance(await briefing.participation.submit(Account(7), briefing.window.id), Submitted)
    # The browser took the other slip first: Telegram can no longer spend it.
    assert isinstance(await briefing.participation.begin(SlipHolder(second), briefing.window.id), Shown)
    assert await briefing.door.redeem(8, second) == SlipUsed(briefing.window)
    assert await briefing.door.redeem(8, "K7M2Q-9XH4P-R3TVC") == WrongCode()


async def test_a_closed_unit_forgets_its_slips_and_says_it_has_ended(
    briefing: Briefing, tmp_path: Path
) -> None:
    """At close every slip row goes; the file holds neither a code nor a slip's keyed hash."""
    codes = await issue(briefing, 3)
    await briefing.door.redeem(7, codes[0])
    await briefing.participation.begin(SlipHolder(codes[1]), briefing.window.id)
    secret = briefing.repository.keys.secret(briefing.window.id)
    checks = [slip_check(secret, briefing.window.id, code) for code in codes]
    assert await briefing.repository.close_window(briefing.window.id)
    assert await briefing.door.enter(codes[2], briefing.window.token) == Ended(
        (await briefing.repository.window(briefing.window.id)) or briefing.window
    )
    assert await briefing.door.enter(codes[2]) == WrongCode()
    assert await briefing.door.redeem(7, codes[2]) == WrongCode()
    for table in ("slips", "admitted"):
        assert await briefing.repository.fetchall(f"SELECT count(*) FROM {table}") == [(0,)]  # noqa: S608
    files = b"".join(path.read_bytes() for path in sorted(tmp_path.glob("survey.db*")))  # noqa: ASYNC240
    assert not [code for code in codes if code.encode() in files or printed(code).encode() in files]
    assert not [check for check in checks if check in files]
