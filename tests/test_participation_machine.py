"""Participation and the ballot box as a state machine: one ballot per person, an exact tally.

Any order of presses, stale taps, back, cancels, submits, double submits, a close and restarts.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from conversations.annex2 import ANNEX2
from conversations.engine import (
    Back,
    Choose,
    ChooseSet,
    Draft,
    FinishChoices,
    Press,
    Revise,
    SkipText,
    Survey,
    Toggle,
)
from conversations.errors import AlreadySubmitted
from conversations.questionnaire import QuestionKind
from conversations.tally import ANSWERED, TOTAL
from storage.repository import Repository
from tests.test_participation import first_choice
from usecases.events import Events
from usecases.participation import (
    Account,
    BallotBox,
    Ended,
    NoDraft,
    Participation,
    Refused,
    Shown,
    Submitted,
    Unchanged,
)

T = TypeVar("T")
SURVEY = Survey(ANNEX2)
PEOPLE = st.integers(min_value=1, max_value=4)
CATEGORY = ANNEX2.questions[0].id
K = 3


def presses_for(draft: Draft, pick: int) -> list[Press]:
    """Return presses a phone could send from this draft: answers for its step, back, and stale ones."""
    step = draft.step
    question = SURVEY.current_question(draft)
    presses: list[Press] = [Back(step), Choose(max(step - 1, 0), "a"), Revise(pick % ANNEX2.size)]
    if question is None:
        return presses
    options = [option.id for option in question.options]
    if question.kind is QuestionKind.SINGLE:
        presses += [Choose(step, options[pick % len(options)])]
    elif question.kind is QuestionKind.MULTI:
        presses += [
            Toggle(step, options[pick % len(options)], selected=bool(pick % 2)),
            FinishChoices(step),
            ChooseSet(step, tuple(options[: 1 + pick % 4])),  # a fourth is refused
        ]
    else:
        presses += [SkipText(step)]
    return presses


class Room(RuleBasedStateMachine):
    """One unit, four people on phones, and a model of what must have been stored."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = Path(tempfile.mkdtemp())
        self.submitted: dict[int, Draft] = {}
        self.closed = False

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run one use-case call on the machine's own event loop."""
        return self.loop.run_until_complete(work)

    def _open(self) -> None:
        self.repository = Repository(self.folder / "survey.db")
        self.run(self.repository.open())
        box = BallotBox(self.repository, SURVEY, Events())
        repo = self.repository
        self.participation = Participation(repo, repo, SURVEY, repo.keys, box, slips=repo)

    @initialize()
    def open_unit(self) -> None:
        """Open the unit."""
        self._open()
        window, _ = self.run(self.repository.open_window(1, "县财政局", min_group=K))
        self.window_id = window.id

    def draft_of(self, person: int) -> Draft | None:
        """Return the person's saved draft."""
        key = self.participation.key(self.window_id, Account(person))
        return self.run(self.repository.draft(key))

    @rule(person=PEOPLE)
    def begin(self, person: int) -> None:
        """Begin (or show) the form; refused once submitted or closed."""
        outcome = self.run(self.participation.begin(Account(person), self.window_id))
        if self.closed:
            assert isinstance(outcome, Ended)
        elif person in self.submitted:
            assert isinstance(outcome, Refused)
            assert isinstance(outcome.reason, AlreadySubmitted)
        else:
            assert isinstance(outcome, Shown)

    @rule(
        person=PEOPLE,
        pick=st.integers(min_value=0, max_value=40),
        which=st.integers(min_value=0, max_value=9),
    )
    def press(self, person: int, pick: int, which: int) -> None:
        """Press one of the buttons a phone could show (or an old one): what is shown is what is saved."""
        draft = self.draft_of(person)
        presses = presses_for(draft or Draft(), pick)
        press = presses[which % len(presses)]
        outcome = self.run(self.participation.press(Account(person), self.window_id, press))
        if self.closed:
            assert isinstance(outcome, Ended)
        elif person in self.submitted:
            assert isinstance(outcome, Refused)
        elif draft is None:
            assert outcome == NoDraft()
        else:
            assert isinstance(outcome, Shown | Unchanged | Refused)
            after = self.draft_of(person)
            if isinstance(outcome, Shown):
                assert after == outcome.draft  # what is shown is what is saved
                assert outcome.stale == (outcome.draft == draft)  # a stale press changes nothing
            else:
                assert after == draft  # refused or doubled: nothing changed

    @rule(person=PEOPLE, times=st.integers(min_value=1, max_value=16))
    def answer(self, person: int, times: int) -> None:
        """Answer the current step with first choices, several steps in a row (a person getting on)."""
        for _ in range(times):
            draft = self.draft_of(person)
            if draft is None or self.closed or SURVEY.current_question(draft) is None:
                return
            outcome = self.run(self.participation.press(Account(person), self.window_id, first_choice(draft)))
            assert isinstance(outcome, Shown)
            assert not outcome.stale

    @rule(person=PEOPLE)
    def submit(self, person: int) -> None:
        """Submit: stored once, only from the review, never after close."""
        draft = self.draft_of(person)
        outcome = self.run(self.participation.submit(Account(person), self.window_id))
        if isinstance(outcome, Submitted):
            assert not self.closed
            assert person not in self.submitted
            assert draft is not None
            assert draft.step == SURVEY.review_step
            self.submitted[person] = draft
            event("a ballot submitted")
            assert self.draft_of(person) is None
        else:
            assert (
                self.closed or person in self.submitted or draft is None or draft.step != SURVEY.review_step
            )

    @rule(person=PEOPLE)
    def cancel(self, person: int) -> None:
        """Cancel: the person's draft is gone."""
        had = self.draft_of(person) is not None
        assert self.run(self.participation.cancel(person)) == (had and not self.closed)
        assert self.draft_of(person) is None

    @rule(person=PEOPLE)
    def take_part(self, person: int) -> None:
        """Go through the whole form and submit, as most people in the room do."""
        self.begin(person)
        self.answer(person, SURVEY.review_step * 2)
        self.submit(person)

    @precondition(lambda self: not self.closed and len(self.submitted) >= 1)
    @rule()
    def close(self) -> None:
        """Close the unit for good."""
        assert self.run(self.repository.close_window(self.window_id))
        self.closed = True

    @rule()
    def restart(self) -> None:
        """Stop the bot and start it again: every draft and ballot is still there."""
        drafts = {person: self.draft_of(person) for person in range(1, 5)}
        self.run(self.repository.close())
        self._open()
        if not self.closed:
            assert {person: self.draft_of(person) for person in range(1, 5)} == drafts

    @invariant()
    def one_ballot_per_person_and_an_exact_tally(self) -> None:
        """Check the ballots stored: one per person who submitted, and the counters sum to their answers.

        While open, the counters hold the complete batches of k (the newest ballots wait); after
        the close they hold every ballot (categories folded, the items' totals unchanged).
        """
        if not hasattr(self, "window_id"):
            return
        received = len(self.submitted)
        assert self.run(self.repository.ballot_count(self.window_id)) == received
        counts = self.run(self.repository.tally_counts(self.window_id, released_only=False))
        stored: Counter[tuple[str, str]] = Counter()
        for (group, question, option), count in counts.items():
            if not self.closed or group == TOTAL:  # closed: the totals, and pooled figures per group
                stored[(question, option)] += count
        expected: Counter[tuple[str, str]] = Counter(
            (question, option)
            for draft in self.submitted.values()
            for question, chosen in draft.answers.items()
            for option in (*chosen, ANSWERED)
        )
        counted = stored[(CATEGORY, ANSWERED)]
        if self.closed:
            assert stored == expected
        else:
            assert counted == received - received % K
            assert not stored - expected  # only answers that were given, never more

    def teardown(self) -> None:
        """Close the database and remove its folder."""
        self.run(self.repository.close())
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)


Room.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_participation_in_any_order = Room.TestCase
