"""A slips unit over a real database and the browser form on it: for the web's tests and screenshots."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.records import Window
from storage.repository import Repository
from tests.actors import LEADER
from usecases.events import Events
from usecases.participation import BallotBox, Participation
from usecases.slips import Issued, SlipDoor, SlipIssuing
from web.form import SlipForm
from web.guard import FormTokens, Guesses
from web.pages import Pages

SURVEY = Survey(ANNEX2)
UNIT = "县财政局"
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@dataclass
class Waits:
    """The wrong-code waits asked for, instead of sleeping through them."""

    asked: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        """Note the wait and return at once."""
        self.asked.append(seconds)


@dataclass
class WebRoom:
    """A slips unit with its use cases, and the form's pages on them."""

    repository: Repository
    participation: Participation
    door: SlipDoor
    issuing: SlipIssuing
    window: Window
    waits: Waits

    async def issue(self, count: int) -> tuple[str, ...]:
        """Print `count` slips; return their codes."""
        issued = await self.issuing.issue(LEADER, self.window.id, count)
        assert isinstance(issued, Issued)
        self.window = issued.window
        return issued.codes

    def form(self, *, base: str = "/", secure: bool = False, guesses: Guesses | None = None) -> SlipForm:
        """Return the form on these use cases (a fresh process secret each time, as after a restart)."""
        return SlipForm(
            self.door,
            self.participation,
            SURVEY,
            Pages(base),
            secure=secure,
            tokens=FormTokens(),
            guesses=guesses or Guesses(sleep=self.waits.sleep),
        )

    async def ballots(self) -> int:
        """Return how many ballots the unit holds."""
        return await self.repository.ballot_count(self.window.id)


@asynccontextmanager
async def web_room(folder: Path, *, unit: str = UNIT, min_group: int = 3) -> AsyncIterator[WebRoom]:
    """Open a slips unit on a fresh database in `folder`."""
    async with Repository(folder / "survey.db") as repository:
        box = BallotBox(repository, SURVEY, Events())
        participation = Participation(repository, repository, SURVEY, repository.keys, box, slips=repository)
        door = SlipDoor(repository, repository, repository, repository.keys, participation)
        issuing = SlipIssuing(repository, repository, repository.keys)
        window, _ = await repository.open_window(LEADER.user_id, unit, min_group=min_group, slips=True)
        yield WebRoom(repository, participation, door, issuing, window, Waits())


def csrf_of(page: str) -> str:
    """Return the form token a page carries."""
    found = _CSRF.search(page)
    assert found is not None, "the page has no form token"
    return found.group(1)
