"""Keying paper forms, as a use case: the unit's leader (or an admin) only, each form counted once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.records import Window
from conversations.tally import PAPER
from storage.repository import Repository
from tests.actors import ADMIN, LEADER, OTHER
from tests.test_participation import first_choice
from usecases.access import Actor, Role
from usecases.events import Events
from usecases.keying import (
    KEYER_LINK,
    FormBeingKeyed,
    KeyerInvite,
    PaperCounted,
    PaperKeying,
)
from usecases.outcomes import NotAllowed
from usecases.participation import Account, BallotBox, Ended, Participation, Shown, Submitted

SURVEY = Survey(ANNEX2)


@dataclass
class Desk:
    """A unit open for paper forms, with phones and paper going into the same ballot box."""

    repository: Repository
    keying: PaperKeying
    phones: Participation
    window: Window


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    async with Repository(tmp_path / "survey.db") as repository:
        box = BallotBox(repository, SURVEY, Events())
        keyed = Participation(
            repository, repository, SURVEY, repository.keys, box, slips=repository, paper=True
        )
        phones = Participation(repository, repository, SURVEY, repository.keys, box, slips=repository)
        window, _ = await repository.open_window(LEADER.user_id, "县财政局", min_group=3)
        yield Desk(repository, PaperKeying(repository, keyed, repository, repository), phones, window)


async def key_one(desk: Desk, actor: Actor) -> object:
    """Key one form with the first option everywhere; return how its submit went."""
    outcome = await desk.keying.begin(actor, desk.window.id)
    while isinstance(outcome, Shown) and SURVEY.current_question(outcome.draft) is not None:
        outcome = await desk.keying.press(actor, desk.window.id, first_choice(outcome.draft))
    return await desk.keying.submit(actor, desk.window.id)


async def test_each_keyed_form_counts_once_and_the_next_starts_afresh(desk: Desk) -> None:
    """Two forms by the leader, one by an admin: three ballots; a doubled submit adds nothing."""
    assert isinstance(await key_one(desk, LEADER), Submitted)
    assert isinstance(await key_one(desk, LEADER), Submitted)
    assert isinstance(await key_one(desk, ADMIN), Submitted)
    assert not isinstance(await desk.keying.submit(LEADER, desk.window.id), Submitted)
    ballots = await desk.repository.ballots(desk.window.id)  # three make a batch: stored
    assert len(ballots) == await desk.repository.ballot_count(desk.window.id) == 3
    assert not any(ballot.paper for ballot in ballots)  # no row says it came on paper (issue 16)
    counts = await desk.repository.tally_counts(desk.window.id, released_only=False)
    assert sum(n for (_c, question, _o), n in counts.items() if question == PAPER) == 3  # a counter


async def test_keying_does_not_stop_the_keyer_answering_on_their_own_phone(desk: Desk) -> None:
    """The keyer's desk is a key of its own: their phone's one ballot is still theirs to give."""
    await key_one(desk, LEADER)
    begun = await desk.phones.begin(Account(LEADER.user_id), desk.window.id)
    assert isinstance(begun, Shown)
    assert begun.draft.step == 0


async def test_only_the_units_leader_or_an_admin_keys_forms_and_only_while_open(desk: Desk) -> None:
    """Another leader is refused; after close nobody keys anything."""
    assert await desk.keying.begin(OTHER, desk.window.id) == NotAllowed()
    await desk.repository.close_window(desk.window.id)
    assert isinstance(await desk.keying.begin(LEADER, desk.window.id), Ended)
    assert await desk.repository.ballot_count(desk.window.id) == 0


async def test_a_member_keys_through_a_single_use_invite_until_the_unit_closes(desk: Desk) -> None:
    """Only the unit's leader (or an admin) invites; the link admits one member, for this unit only."""
    member = Actor(77, "组员", Role.PARTICIPANT)
    assert await desk.keying.invite(OTHER, desk.window.id) == NotAllowed()
    assert await desk.keying.begin(member, desk.window.id) == NotAllowed()
    invite = await desk.keying.invite(LEADER, desk.window.id)
    assert isinstance(invite, KeyerInvite)
    assert invite.token.startswith(KEYER_LINK)
    assert await desk.keying.join(member, "not-a-keyer-link") is None
    assert await desk.keying.join(member, invite.token) == desk.window
    assert await desk.keying.join(Actor(78, "旁人", Role.PARTICIPANT), invite.token) is None  # spent
    assert await desk.keying.keyed_units(member) == [desk.window]
    assert isinstance(await key_one(desk, member), Submitted)
    assert await desk.keying.invite(member, desk.window.id) == NotAllowed()  # members do not invite
    await desk.repository.close_window(desk.window.id)
    assert await desk.keying.keyed_units(member) == []
    assert isinstance(await desk.keying.begin(member, desk.window.id), NotAllowed | Ended)


async def test_the_desk_declares_paper_forms_handed_out_and_a_doubled_press_counts_once(desk: Desk) -> None:
    """0 → 5 → 6 handed out; a second press drawn for 5 (a double tap) leaves 6; 6 → 5 corrects."""
    window_id = desk.window.id
    for seen, to in ((0, 5), (5, 6)):
        counted = await desk.keying.count(LEADER, window_id, invalid=False, seen=seen, to=to)
        assert isinstance(counted, PaperCounted)
        assert (counted.changed, counted.window.paper_issued) == (True, to)
    doubled = await desk.keying.count(LEADER, window_id, invalid=False, seen=5, to=6)
    assert isinstance(doubled, PaperCounted)
    assert (doubled.changed, doubled.window.paper_issued) == (False, 6)
    corrected = await desk.keying.count(LEADER, window_id, invalid=False, seen=6, to=5)
    assert isinstance(corrected, PaperCounted)
    assert corrected.window.paper_issued == 5
    assert corrected.window.paper_invalid == 0


async def test_an_unreadable_form_is_counted_invalid_without_being_a_ballot(desk: Desk) -> None:
    """无效 +1: the unit counts one invalid form; no ballot is stored, no figure moves."""
    counted = await desk.keying.count(LEADER, desk.window.id, invalid=True, seen=0, to=1)
    assert isinstance(counted, PaperCounted)
    assert (counted.window.paper_invalid, counted.window.paper_issued) == (1, 0)
    assert await desk.repository.ballot_count(desk.window.id) == 0
    below_zero = await desk.keying.count(LEADER, desk.window.id, invalid=True, seen=1, to=-1)
    assert isinstance(below_zero, PaperCounted)
    assert (below_zero.changed, below_zero.window.paper_invalid) == (False, 1)


async def test_only_who_may_key_declares_paper_counts_and_only_while_open(desk: Desk) -> None:
    """Another leader is refused; an invited member may; after close nothing changes."""
    assert await desk.keying.count(OTHER, desk.window.id, invalid=False, seen=0, to=1) == NotAllowed()
    member = Actor(77, "组员", Role.PARTICIPANT)
    invite = await desk.keying.invite(LEADER, desk.window.id)
    assert isinstance(invite, KeyerInvite)
    await desk.keying.join(member, invite.token)
    assert isinstance(
        await desk.keying.count(member, desk.window.id, invalid=False, seen=0, to=1), PaperCounted
    )
    await desk.repository.close_window(desk.window.id)
    assert isinstance(await desk.keying.count(LEADER, desk.window.id, invalid=False, seen=1, to=2), Ended)
    closed = await desk.repository.window(desk.window.id)
    assert closed is not None
    assert closed.paper_issued == 1


async def test_forms_being_keyed_are_found_at_the_desks_that_may_key(desk: Desk) -> None:
    """A begun form counts (at its review, said so); a fresh desk, a submitted form, a phone do not."""
    keying = PaperKeying(desk.repository, desk.keying.forms, desk.repository, desk.repository, frozenset({3}))
    assert await keying.being_keyed(desk.window) == []
    await keying.begin(LEADER, desk.window.id)
    assert await keying.being_keyed(desk.window) == []  # nothing keyed on it yet: nothing to lose
    outcome = await keying.begin(ADMIN, desk.window.id)
    assert isinstance(outcome, Shown)
    outcome = await keying.press(ADMIN, desk.window.id, first_choice(outcome.draft))
    assert await keying.being_keyed(desk.window) == [FormBeingKeyed(ADMIN.user_id, at_review=False)]
    while isinstance(outcome, Shown) and SURVEY.current_question(outcome.draft) is not None:
        outcome = await keying.press(ADMIN, desk.window.id, first_choice(outcome.draft))
    assert await keying.being_keyed(desk.window) == [FormBeingKeyed(ADMIN.user_id, at_review=True)]
    await desk.phones.begin(Account(OTHER.user_id), desk.window.id)  # a phone's form is no desk's
    await keying.submit(ADMIN, desk.window.id)
    assert await keying.being_keyed(desk.window) == []
