"""The SQLite backend: one connection (`storage.database`) and a repository per aggregate.

Each repository implements one of the use cases' interfaces (`usecases/ports.py`); a second
backend implements the same interfaces, and nothing above storage changes.
"""

from __future__ import annotations

from storage.ballots import BallotRepository
from storage.database import DatabaseRefused
from storage.keyers import KeyerRepository
from storage.leaders import LeaderRepository, OfficialRepository
from storage.live_views import LiveViewRepository
from storage.notes import NoteRepository
from storage.participants import ParticipantRepository
from storage.score_sheets import ScoreSheetRepository
from storage.slips import SlipRepository
from storage.windows import WindowRepository

__all__ = ["DatabaseRefused", "Repository"]


class Repository(
    SlipRepository,
    WindowRepository,
    ParticipantRepository,
    BallotRepository,
    LiveViewRepository,
    ScoreSheetRepository,
    LeaderRepository,
    OfficialRepository,
    NoteRepository,
    KeyerRepository,
):
    """Every aggregate's repository over one connection, opened and closed together."""
