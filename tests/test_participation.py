"""Taking part, as a use case: the rules of a participant's turn, without Telegram or the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.annex2 import ANNEX2
from conversations.engine import Choose, Draft, FinishChoices, Press, SkipText, Survey, Toggle
from conversations.errors import AlreadySubmitted, NotExpectingText, SuggestionTooLong
from conversations.questionnaire import QuestionKind
from conversations.records import Window
from storage.repository import Repository
from usecases.events import BatchReleased, Events
from usecases.participation import (
    Account,
    BallotBox,
    Ended,
    NoDraft,
    NoSuchWindow,
    NoSurvey,
    Participation,
    Refused,
    Shown,
    Submitted,
    TookPart,
    Unchanged,
    Welcome,
)

SURVEY = Survey(ANNEX2)
TEXT_STEP = next(i for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.TEXT)


@dataclass
class Room:
    """One open unit, the participation use case over a real database, and the batches it released."""

    repository: Repository
    participation: Participation
    window: Window
    released: list[int]


@pytest.fixture
async def room(tmp_path: Path) -> AsyncIterator[Room]:
    async with Repository(tmp_path / "survey.db") as repository:
        events = Events()
        released: list[int] = []

        async def count(event: BatchReleased) -> None:
            released.append(await repository.ballot_count(event.window.id))

        events.subscribe(BatchReleased, count)
        participation = Participation(
            repository,
            repository,
            SURVEY,
            repository.keys,
            BallotBox(repository, SURVEY, events),
            slips=repository,
        )
        window, _ = await repository.open_window(1, "县财政局", min_group=3)
        yield Room(repository, participation, window, released)


def first_choice(draft: Draft) -> Press:
    """Return the press a person makes to answer the draft's step with the first option(s)."""
    question = SURVEY.current_question(draft)
    assert question is not None
    if question.kind is QuestionKind.SINGLE:
        return Choose(draft.step, question.options[0].id)
    if question.kind is QuestionKind.MULTI:
        chosen = draft.answers.get(question.id, ())
        if not chosen:
            return Toggle(draft.step, question.options[0].id, selected=True)
        return FinishChoices(draft.step)
    return SkipText(draft.step)


async def to_review(room: Room, user_id: int) -> Draft:
    """Begin and answer every step; return the draft on its review."""
    outcome = await room.participation.begin(Account(user_id), room.window.id)
    while isinstance(outcome, Shown) and SURVEY.current_question(outcome.draft) is not None:
        outcome = await room.participation.press(
            Account(user_id), room.window.id, first_choice(outcome.draft)
        )
    assert isinstance(outcome, Shown)
    return outcome.draft


async def test_a_link_welcomes_resumes_thanks_or_says_it_ended(room: Room) -> None:
    """First visit: welcome; begun: the current step; submitted: took part; closed: ended."""
    token, window_id = room.window.token, room.window.id
    assert await room.participation.open_link("no-such-token", 7) == NoSuchWindow()
    assert await room.participation.open_link(token, 7) == Welcome(room.window)
    await room.participation.begin(Account(7), window_id)
    await room.participation.press(Account(7), window_id, Choose(0, "leader"))
    resumed = await room.participation.open_link(token, 7)
    assert isinstance(resumed, Shown)
    assert resumed.resumed
    assert resumed.draft.step == 1
    await to_review(room, 7)
    assert isinstance(await room.participation.submit(Account(7), window_id), Submitted)
    assert await room.participation.open_link(token, 7) == TookPart(room.window)
    await room.repository.close_window(window_id)
    assert isinstance(await room.participation.open_link(token, 8), Ended)


async def test_a_press_without_a_begun_form_changes_nothing(room: Room) -> None:
    """A press (or 提交) on a form never begun, or discarded, says so and stores nothing."""
    assert await room.participation.press(Account(7), room.window.id, Choose(0, "leader")) == NoDraft()
    assert await room.participation.submit(Account(7), room.window.id) == NoDraft()
    assert await room.participation.press(Account(7), 999, Choose(0, "leader")) == NoSuchWindow()
    assert await room.repository.draft(room.participation.key(room.window.id, Account(7))) is None


async def test_beginning_twice_keeps_the_progress(room: Room) -> None:
    """开始 on an old welcome message shows the step reached, not a fresh form."""
    await room.participation.begin(Account(7), room.window.id)
    await room.participation.press(Account(7), room.window.id, Choose(0, "middle"))
    again = await room.participation.begin(Account(7), room.window.id)
    assert isinstance(again, Shown)
    assert again.draft.step == 1
    assert again.draft.answers["category"] == ("middle",)


async def test_a_stale_press_shows_where_the_person_is_and_changes_nothing(room: Room) -> None:
    """A press drawn for an earlier step (a double tap, a lost redraw) redraws the current step."""
    await room.participation.begin(Account(7), room.window.id)
    moved = await room.participation.press(Account(7), room.window.id, Choose(0, "leader"))
    stale = await room.participation.press(Account(7), room.window.id, Choose(0, "served"))
    assert isinstance(moved, Shown)
    assert stale == Shown(room.window, moved.draft, stale=True)
    assert await room.repository.draft(room.participation.key(room.window.id, Account(7))) == moved.draft


async def test_a_doubled_toggle_is_unchanged(room: Room) -> None:
    """Selecting an option that is already selected changes nothing and saves nothing."""
    await room.participation.begin(Account(7), room.window.id)
    multi = next(i for i, q in enumerate(ANNEX2.questions) if q.kind is QuestionKind.MULTI)
    key = room.participation.key(room.window.id, Account(7))
    await room.repository.save_draft(key, room.window.id, Draft(step=multi))
    toggle = Toggle(multi, "a", selected=True)
    assert isinstance(await room.participation.press(Account(7), room.window.id, toggle), Shown)
    assert await room.participation.press(Account(7), room.window.id, toggle) == Unchanged()


async def test_one_persons_presses_are_taken_one_at_a_time(room: Room) -> None:
    """Two devices pressing different answers to the same step at once: one counts, one is stale."""
    await room.participation.begin(Account(7), room.window.id)
    outcomes = await asyncio.gather(
        *(
            room.participation.press(Account(7), room.window.id, Choose(0, option))
            for option in ("leader", "served")
        )
    )
    assert sorted(isinstance(o, Shown) and o.stale for o in outcomes) == [False, True]
    draft = await room.repository.draft(room.participation.key(room.window.id, Account(7)))
    assert draft is not None
    assert draft.step == 1


async def test_one_ballot_per_person_and_a_batch_released_every_k_ballots(room: Room) -> None:
    """Seven people submit (k = 3): a batch is released at 6 (the newest is held back); no second ballot."""
    for user_id in range(1, 8):
        await to_review(room, user_id)
        assert await room.participation.submit(Account(user_id), room.window.id) == Submitted(room.window)
    assert room.released == [6]
    again = await room.participation.submit(Account(1), room.window.id)
    assert isinstance(again, Refused)
    assert isinstance(again.reason, AlreadySubmitted)
    assert await room.repository.ballot_count(room.window.id) == 7


async def test_a_closed_window_takes_nothing(room: Room) -> None:
    """After close, presses, text and submits all say the survey ended; no ballot is added."""
    await to_review(room, 7)
    await room.repository.close_window(room.window.id)
    assert isinstance(await room.participation.press(Account(7), room.window.id, Choose(0, "leader")), Ended)
    assert isinstance(await room.participation.submit(Account(7), room.window.id), Ended)
    assert await room.participation.write(7, "建议") == NoSurvey()  # close discarded the form
    assert await room.repository.ballot_count(room.window.id) == 0


async def test_text_is_taken_only_on_the_free_text_step_and_within_the_limit(room: Room) -> None:
    """Text before that step is refused, too long is refused, then it is saved and the review follows."""
    assert await room.participation.write(7, "建议") == NoSurvey()
    await room.participation.begin(Account(7), room.window.id)
    early = await room.participation.write(7, "建议")
    assert isinstance(early, Refused)
    assert isinstance(early.reason, NotExpectingText)
    key = room.participation.key(room.window.id, Account(7))
    await room.repository.save_draft(key, room.window.id, Draft(step=TEXT_STEP))
    too_long = await room.participation.write(7, "长" * 1001)
    assert isinstance(too_long, Refused)
    assert isinstance(too_long.reason, SuggestionTooLong)
    written = await room.participation.write(7, "  多公开  ")
    assert isinstance(written, Shown)
    assert written.draft.suggestion == "多公开"
    assert written.draft.step == TEXT_STEP + 1


async def test_cancel_discards_the_form_and_says_when_there_was_none(room: Room) -> None:
    """/cancel deletes the unfinished form; a second /cancel finds nothing."""
    await room.participation.begin(Account(7), room.window.id)
    assert await room.participation.cancel(7)
    assert not await room.participation.cancel(7)
    assert await room.participation.press(Account(7), room.window.id, Choose(0, "leader")) == NoDraft()
