"""What the handlers depend on, passed explicitly rather than through bot_data."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.access import Access
from bot.config import Settings
from bot.live import LiveTallies
from bot.results import Results
from conversations.anonymity import participant_key
from conversations.engine import Survey
from storage.repository import Repository

_SECRET_BYTES = 32


class KeyedLocks:
    """One asyncio lock per key, dropped when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[bytes, asyncio.Lock] = {}
        self._users: Counter[bytes] = Counter()

    @asynccontextmanager
    async def hold(self, key: bytes) -> AsyncIterator[None]:
        """Hold the lock for `key` (presses of one person are handled one at a time)."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
                del self._locks[key]


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
    """The settings, storage, survey engine and the services built on them, shared by handlers."""

    settings: Settings
    repository: Repository
    survey: Survey
    secret: bytes
    access: Access
    results: Results
    live: LiveTallies
    locks: KeyedLocks = field(default_factory=KeyedLocks)

    @classmethod
    def create(cls, settings: Settings, survey: Survey) -> Services:
        """Wire the services for these settings (nothing is opened yet)."""
        repository = Repository(settings.survey_db)
        return cls(
            settings=settings,
            repository=repository,
            survey=survey,
            secret=load_secret(settings),
            access=Access(settings, repository),
            results=Results(repository, survey, settings.survey_tz),
            live=LiveTallies(repository, settings.survey_live_interval),
        )

    def key(self, window_id: int, user_id: int) -> bytes:
        """Return the participant key of this person for this window."""
        return participant_key(self.secret, window_id, user_id)
