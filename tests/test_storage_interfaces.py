"""Storage behind small interfaces: each SQLite repository implements what the use cases ask of it."""

from __future__ import annotations

import inspect

import pytest

from storage.ballots import BallotRepository
from storage.database import Database
from storage.keyers import KeyerRepository
from storage.leaders import LeaderRepository, OfficialRepository
from storage.live_views import LiveViewRepository
from storage.notes import NoteRepository
from storage.participants import ParticipantRepository
from storage.score_sheets import ScoreSheetRepository
from storage.slips import SlipRepository
from storage.windows import WindowRepository
from usecases.ports import (
    BallotStore,
    KeyerStore,
    LeaderStore,
    LiveViewStore,
    NoteStore,
    OfficialStore,
    ParticipantStore,
    ScoreSheetStore,
    SlipStore,
    WindowStore,
)

IMPLEMENTATIONS: list[tuple[type[Database], type]] = [
    (WindowRepository, WindowStore),
    (ParticipantRepository, ParticipantStore),
    (BallotRepository, BallotStore),
    (LiveViewRepository, LiveViewStore),
    (ScoreSheetRepository, ScoreSheetStore),
    (LeaderRepository, LeaderStore),
    (OfficialRepository, OfficialStore),
    (NoteRepository, NoteStore),
    (KeyerRepository, KeyerStore),
    (SlipRepository, SlipStore),
]


def _methods(kind: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(kind).items()
        if callable(member) and not name.startswith("_")
    }


@pytest.mark.parametrize(("repository", "interface"), IMPLEMENTATIONS, ids=lambda kind: kind.__name__)
def test_each_repository_implements_its_interface_and_nothing_else(
    repository: type[Database], interface: type
) -> None:
    """Every method the interface names, with its parameters; no public method beyond it.

    A second backend (PostgreSQL for a province, say) implements the same interfaces; a method
    the use cases never see would tie them to SQLite.
    """
    wanted = _methods(interface)
    offered = _methods(repository)
    assert offered.keys() == wanted.keys()
    for name, signature in wanted.items():
        assert list(offered[name].parameters) == list(signature.parameters), name


@pytest.mark.parametrize(("repository", "interface"), IMPLEMENTATIONS, ids=lambda kind: kind.__name__)
def test_a_repository_says_how_it_keeps_its_port_not_the_ports_words_again(
    repository: type[Database], interface: type
) -> None:
    """The port carries the contract's docstring; the repository's says how SQLite keeps it."""
    for name in _methods(interface):
        assert inspect.getdoc(getattr(repository, name)) != inspect.getdoc(getattr(interface, name)), name
