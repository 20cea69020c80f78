"""One inbox: what a typed text or a photo is for, decided in one order of precedence."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.annex1 import ANNEX1
from conversations.annex2 import ANNEX2
from conversations.engine import Draft, Survey
from conversations.questionnaire import QuestionKind
from conversations.records import Window
from conversations.scoring import Award, Marking
from conversations.slips import printed
from storage.repository import Repository
from tests.actors import LEADER
from tests.test_participation import first_choice
from usecases.access import Actor, Role
from usecases.events import Events
from usecases.inbox import ForForm, ForKeying, ForNotes, ForPhoto, ForSlip, Inbox, Unexpected
from usecases.keying import PaperKeying
from usecases.notes import Notes, PhotoAdded, ReasonSaved
from usecases.participation import Account, BallotBox, Participation, Shown
from usecases.scoring import Scoring
from usecases.slips import Admitted, Issued, SlipDoor, SlipIssuing, WrongCode

SURVEY = Survey(ANNEX2)
PARTICIPANT = Actor(7, "", Role.PARTICIPANT)
CODE_LIKE = "K7M2Q-9XH4P-R3TVC"


@dataclass
class Office:
    """A leader's unit with a score sheet and paper keying, a slips unit, and the inbox over them."""

    inbox: Inbox
    scoring: Scoring
    notes: Notes
    keying: PaperKeying
    phones: Participation
    issuing: SlipIssuing
    window: Window
    slips_unit: Window


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    async with Repository(tmp_path / "survey.db") as repository:
        box = BallotBox(repository, SURVEY, Events())
        phones = Participation(repository, repository, SURVEY, repository.keys, box, slips=repository)
        keyed = Participation(
            repository, repository, SURVEY, repository.keys, box, slips=repository, paper=True
        )
        keying = PaperKeying(repository, keyed, repository, repository)
        notes = Notes(repository, repository, repository, ANNEX1, repository)
        scoring = Scoring(repository, repository, repository, Marking(ANNEX1))
        door = SlipDoor(repository, repository, repository, repository.keys, phones)
        window, _ = await repository.open_window(LEADER.user_id, "县财政局", min_group=3)
        slips_unit, _ = await repository.open_window(LEADER.user_id, "县教育局", min_group=3, slips=True)
        await scoring.start(LEADER, window.id)
        yield Office(
            Inbox(notes, keying, phones, door),
            scoring,
            notes,
            keying,
            phones,
            SlipIssuing(repository, repository, repository.keys),
            window,
            slips_unit,
        )


async def to_the_text_step(begun: object, press: object) -> Draft:
    """Answer first choices until the form stands on its free-text step."""
    outcome = begun
    while isinstance(outcome, Shown):
        question = SURVEY.current_question(outcome.draft)
        assert question is not None
        if question.kind is QuestionKind.TEXT:
            return outcome.draft
        outcome = await press(first_choice(outcome.draft))  # type: ignore[operator]
    raise AssertionError(outcome)


async def key_to_the_text_step(office: Office) -> None:
    await to_the_text_step(
        await office.keying.begin(LEADER, office.window.id),
        lambda press: office.keying.press(LEADER, office.window.id, press),
    )


async def answer_to_the_text_step(office: Office, actor: Actor) -> None:
    who = Account(actor.user_id)
    await to_the_text_step(
        await office.phones.begin(who, office.window.id),
        lambda press: office.phones.press(who, office.window.id, press),
    )


async def test_a_pending_reason_comes_before_the_form_being_keyed(office: Office) -> None:
    """A leader keying a form while a reason is pending: the text is the reason; then the form's."""
    await key_to_the_text_step(office)
    await office.scoring.press(LEADER, office.window.id, Award(0, 2))
    await office.notes.note_item(LEADER, office.window.id, 0)
    first = await office.inbox.text(LEADER, "制度未上墙")
    assert isinstance(first, ForNotes)
    assert isinstance(first.outcome, ReasonSaved)
    second = await office.inbox.text(LEADER, "纸质表上的意见")
    assert isinstance(second, ForKeying)
    assert isinstance(second.outcome, Shown)
    assert second.outcome.draft.suggestion == "纸质表上的意见"


async def test_a_suggestion_comes_before_a_slip_code(office: Office) -> None:
    """On the text step, text that looks like a slip's code is still the person's suggestion."""
    await answer_to_the_text_step(office, PARTICIPANT)
    written = await office.inbox.text(PARTICIPANT, CODE_LIKE)
    assert isinstance(written, ForForm)
    assert isinstance(written.outcome, Shown)
    assert written.outcome.draft.suggestion == CODE_LIKE


async def test_a_code_typed_with_no_form_spends_a_slip(office: Office) -> None:
    """No form waiting for text: a slip's code (as printed) is spent on the account."""
    issued = await office.issuing.issue(LEADER, office.slips_unit.id, 1)
    assert isinstance(issued, Issued)
    outcome = await office.inbox.text(PARTICIPANT, printed(issued.codes[0]))
    assert outcome == ForSlip(Admitted(issued.window))


async def test_a_mistyped_code_is_told_wrong_not_taken_for_chatter(office: Office) -> None:
    """One symbol off (the check symbol catches it), or a 0 for an O: "wrong code", not the hint."""
    issued = await office.issuing.issue(LEADER, office.slips_unit.id, 1)
    assert isinstance(issued, Issued)
    code = issued.codes[0]
    off = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert await office.inbox.text(PARTICIPANT, printed(off)) == ForSlip(WrongCode())
    assert await office.inbox.text(PARTICIPANT, "0" + code[1:]) == ForSlip(WrongCode())
    assert await office.inbox.text(PARTICIPANT, "谢谢组长") == Unexpected(leader=False)


async def test_text_with_nothing_waiting_gets_the_hint_of_whoever_sent_it(office: Office) -> None:
    """A leader is told what they can do now, a participant how to take part."""
    assert await office.inbox.text(LEADER, "你好") == Unexpected(leader=True)
    assert await office.inbox.text(PARTICIPANT, "你好") == Unexpected(leader=False)


async def test_photos_go_to_the_item_being_noted_and_only_a_leaders(office: Office) -> None:
    """A leader's photo joins the pending item; a participant's or an unexpected one is not stored."""
    assert await office.inbox.photo(LEADER, "file-a") == Unexpected(leader=True)
    await office.scoring.press(LEADER, office.window.id, Award(0, 2))
    await office.notes.note_item(LEADER, office.window.id, 0)
    added = await office.inbox.photo(LEADER, "file-a")
    assert isinstance(added, ForPhoto)
    assert isinstance(added.outcome, PhotoAdded)
    assert added.outcome.count == 1
    assert await office.inbox.photo(PARTICIPANT, "file-b") == Unexpected(leader=False)
