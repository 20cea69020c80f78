"""The bot's dependencies, wired once from the settings and passed explicitly rather than through bot_data."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.document_wording import PaperWording
from conversations.annex1 import ANNEX1
from conversations.engine import Survey
from conversations.scoring import Marking
from storage.keys import WindowKeys
from storage.repository import Repository
from usecases.access import Access
from usecases.console import Console
from usecases.documents import Papers
from usecases.events import Events
from usecases.inbox import Inbox
from usecases.keying import PaperKeying
from usecases.live import LiveBoards
from usecases.notes import Notes
from usecases.officials import Registration
from usecases.participation import BallotBox, Participation
from usecases.results import Results
from usecases.roles import Roles
from usecases.scoring import Scoring
from usecases.slip_printing import SlipPrinting
from usecases.slips import SlipDoor, SlipIssuing
from usecases.units import Units


def window_keys(settings: Settings) -> WindowKeys:
    """Return the key file of the windows' secrets; SURVEY_SECRET, if set, is its master secret."""
    master = settings.survey_secret.get_secret_value().encode() if settings.survey_secret else None
    return WindowKeys(settings.secret_path, master)


@dataclass
class Services:
    """The settings, storage and the use cases built on them, shared by the handlers."""

    settings: Settings
    repository: Repository
    survey: Survey
    events: Events
    access: Access
    participation: Participation
    slip_door: SlipDoor
    slip_issuing: SlipIssuing
    slip_printing: SlipPrinting
    inbox: Inbox
    paper: PaperKeying
    roles: Roles
    units: Units
    scoring: Scoring
    results: Results
    live: LiveBoards
    console: Console
    papers: Papers
    notes: Notes
    registration: Registration

    @classmethod
    def create(cls, settings: Settings, survey: Survey) -> Services:
        """Wire the use cases for these settings (nothing is opened yet)."""
        repository = Repository(settings.survey_db, window_keys(settings))
        events = Events()
        units = Units(repository)
        access = Access(settings.survey_leaders, settings.survey_admins, repository)
        ballot_box = BallotBox(repository, survey, events)
        keyed = Participation(
            repository, repository, survey, repository.keys, ballot_box, slips=repository, paper=True
        )
        participation = Participation(
            repository, repository, survey, repository.keys, ballot_box, slips=repository
        )
        results = Results(repository, survey, settings.survey_tz)
        slip_door = SlipDoor(repository, repository, repository, repository.keys, participation)
        paper = PaperKeying(repository, keyed, repository, repository, settings.survey_admins)
        slip_issuing = SlipIssuing(repository, repository, repository.keys)
        # The web form's address, printed on the slips (SURVEY_WEB_URL; None: Telegram only).
        web_url = settings.survey_web_url
        notes = Notes(repository, repository, repository, ANNEX1, repository)
        return cls(
            settings=settings,
            repository=repository,
            survey=survey,
            events=events,
            access=access,
            participation=participation,
            slip_door=slip_door,
            slip_issuing=slip_issuing,
            slip_printing=SlipPrinting(repository, slip_issuing, web_url),
            inbox=Inbox(notes, paper, participation, slip_door),
            paper=paper,
            roles=Roles(repository, repository, access),
            units=units,
            scoring=Scoring(repository, repository, repository, Marking(ANNEX1)),
            results=results,
            live=LiveBoards(repository, repository, results),
            console=Console(repository, repository, events, settings.survey_min_group, paper),
            papers=Papers(
                windows=repository,
                officials=repository,
                sheets=repository,
                notes=repository,
                results=results,
                wording=PaperWording(settings.survey_tz),
                zone=settings.survey_tz,
            ),
            notes=notes,
            registration=Registration(repository),
        )
