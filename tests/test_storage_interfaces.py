"""Storage behind small interfaces: each SQLite repository implements what the use cases ask of it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from storage.ballots import BallotRepository
from storage.database import Database
from storage.keyers import KeyerRepository
from storage.leaders import LeaderRepository, OfficialRepository
from storage.live_views import LiveViewRepository
from storage.notes import NoteRepository
from storage.participants import ParticipantRepository
from storage.repository import Repository
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


def test_the_sqlite_backend_has_the_type_of_every_interface(tmp_path: Path) -> None:
    """One object serves them all over one connection (mypy checks these assignments)."""
    repository = Repository(tmp_path / "survey.db")
    stores: tuple[
        WindowStore,
        ParticipantStore,
        BallotStore,
        LiveViewStore,
        ScoreSheetStore,
        LeaderStore,
        OfficialStore,
        NoteStore,
        KeyerStore,
        SlipStore,
    ] = (repository,) * 10
    assert len(stores) == len(IMPLEMENTATIONS)


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
