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
    KeyerInvite,
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
        yield Desk(repository, PaperKeying(repository, keyed, repository), phones, window)


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
