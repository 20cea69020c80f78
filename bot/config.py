"""Settings from the environment and a `.env` file, validated at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
_USER_ID = re.compile(r"^[1-9][0-9]{0,15}$")


class StorageSettings(BaseSettings):
    """Where the data lives: all that `python -m bot backup` needs."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    survey_db: Path = Path("survey.db")

    @property
    def secret_path(self) -> Path:
        """Return where the participant-key secret is kept when SURVEY_SECRET is unset."""
        return self.survey_db.with_name(self.survey_db.name + ".key")


class Settings(StorageSettings):
    """Everything the bot is configured with; see the README's configuration table."""

    telegram_bot_token: SecretStr = Field(min_length=1)
    telegram_base_url: str = DEFAULT_BASE_URL
    survey_leaders: Annotated[frozenset[int], NoDecode] = frozenset()
    survey_admins: Annotated[frozenset[int], NoDecode] = frozenset()
    survey_min_group: int = Field(default=3, ge=1, le=1000)
    survey_secret: SecretStr | None = None
    # Seconds between edits of one live tally message (Telegram throttles frequent edits).
    survey_live_interval: float = Field(default=10.0, ge=0, le=3600)
    # Queue sends and edits within Telegram's flood limits (off only for benchmarks).
    survey_rate_limiter: bool = True
    # The zone every time a person reads is shown in (times are stored in UTC).
    survey_tz: ZoneInfo = ZoneInfo("Asia/Shanghai")

    @field_validator("survey_leaders", "survey_admins", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        """Parse '123, 456' strictly: a malformed list must not grant anybody anything."""
        if not isinstance(value, str):
            return value
        ids: set[int] = set()
        for part in value.split(","):
            item = part.strip()
            if not item:
                continue
            if not _USER_ID.match(item):
                msg = f"{item!r} is not a Telegram user id (a positive whole number)"
                raise ValueError(msg)
            ids.add(int(item))
        return frozenset(ids)

    @field_validator("telegram_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            msg = "must start with http:// or https://"
            raise ValueError(msg)
        return value
