"""The bot's dependencies, wired once from the settings and passed explicitly rather than through bot_data."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.live import LiveTallies
from bot.paperwork import Paperwork
from bot.results import Results
from conversations.annex1 import ANNEX1
from conversations.engine import Survey
from conversations.scoring import Marking
from storage.repository import Repository
from usecases.access import Access
from usecases.events import BatchReleased, Events
from usecases.notes import Notes
from usecases.participation import BallotBox, Participation
from usecases.roles import Roles
from usecases.scoring import Scoring
from usecases.units import Units

_SECRET_BYTES = 32


def load_secret(settings: Settings) -> bytes:
    """Return the participant-key secret: SURVEY_SECRET, else a key file made on first start."""
    if settings.survey_secret is not None:
        return settings.survey_secret.get_secret_value().encode()
    path: Path = settings.secret_path
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(_SECRET_BYTES)
    # Created owner-only: whoever reads it can test whether a given person took part.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(secret)
    return secret


@dataclass
class Services:
    """The settings, storage and the use cases built on them, shared by the handlers."""

    settings: Settings
    repository: Repository
    survey: Survey
    events: Events
    access: Access
    participation: Participation
    roles: Roles
    units: Units
    scoring: Scoring
    results: Results
    live: LiveTallies
    paperwork: Paperwork
    notes: Notes

    @classmethod
    def create(cls, settings: Settings, survey: Survey) -> Services:
        """Wire the use cases for these settings (nothing is opened yet)."""
        repository = Repository(settings.survey_db)
        events = Events()
        units = Units(repository)
        access = Access(settings.survey_leaders, settings.survey_admins, repository)
        ballot_box = BallotBox(repository, survey, events)
        live = LiveTallies(repository, settings.survey_live_interval)
        events.subscribe(BatchReleased, live.on_batch_released)
        results = Results(repository, survey, settings.survey_tz)
        return cls(
            settings=settings,
            repository=repository,
            survey=survey,
            events=events,
            access=access,
            participation=Participation(repository, repository, survey, load_secret(settings), ballot_box),
            roles=Roles(repository, access),
            units=units,
            scoring=Scoring(repository, repository, repository, Marking(ANNEX1), units),
            results=results,
            live=live,
            paperwork=Paperwork(repository, results, settings.survey_tz),
            notes=Notes(repository, repository, repository, ANNEX1, units),
        )
