"""Settings from the environment and a `.env` file, validated at start-up."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from usecases.roles import parse_user_id
from web.address import WebAddress

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
# Telegram's rule for setWebhook's secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Between user ids: a comma (a Chinese keyboard's ， too, once normalised) or 、.
_ID_SEPARATORS = re.compile(r"[,、]")
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")
# Telegram delivers webhooks over HTTPS only; plain HTTP is allowed for loopback tests.
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Webhook:
    """Where Telegram delivers updates, and where the bot listens for them."""

    url: str
    listen: str
    port: int
    secret: str
    check: float = 60.0  # seconds between two looks at whether Telegram delivers (getWebhookInfo)

    @property
    def path(self) -> str:
        """Return the path the bot serves: the public URL's own path (a reverse proxy keeps it)."""
        return urlsplit(self.url).path or "/"


class StorageSettings(BaseSettings):
    """Where the data lives: all that `python -m bot backup` needs."""

    # An empty value (`TELEGRAM_PROXY=` in an EnvironmentFile) means "not set", not "set to ''".
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    survey_db: Path = Path("survey.db")

    @property
    def secret_path(self) -> Path:
        """Return the key file beside the database: each open unit's secret (and the master secret)."""
        return self.survey_db.with_name(self.survey_db.name + ".key")


class Settings(StorageSettings):
    """Everything the bot is configured with; see docs/configuration.md."""

    telegram_bot_token: SecretStr = Field(min_length=1)
    telegram_base_url: str = DEFAULT_BASE_URL
    # Every Bot API request goes through this proxy (http://, https://, socks5://, socks5h://).
    telegram_proxy: SecretStr | None = None
    # The HTTP client under python-telegram-bot: aiohttp (bot/transport.py) or the library's own httpx.
    telegram_transport: Literal["aiohttp", "httpx"] = "aiohttp"
    # Set: Telegram POSTs updates to this public HTTPS URL instead of the bot polling for them.
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_check: float = Field(default=60.0, gt=0, le=3600)
    survey_leaders: Annotated[frozenset[int], NoDecode] = frozenset()
    survey_admins: Annotated[frozenset[int], NoDecode] = frozenset()
    survey_min_group: int = Field(default=3, ge=1, le=1000)
    survey_secret: SecretStr | None = None
    # Seconds between edits of one live tally message (Telegram throttles frequent edits).
    survey_live_interval: float = Field(default=10.0, ge=0, le=3600)
    # Pace sends and edits within Telegram's flood limits, per chat (off only for benchmarks).
    survey_rate_limiter: bool = True
    # Ceiling over all chats for broadcasts (0: none), and whether replies to presses pass it too.
    # The zone every time a person reads is shown in (times are stored in UTC).
    survey_tz: ZoneInfo = ZoneInfo("Asia/Shanghai")
    # Set: the browser form is served at this address (printed on slips), from SURVEY_WEB_LISTEN:PORT.
    survey_web_url: str | None = None
    survey_web_listen: str = "127.0.0.1"
    survey_web_port: int = Field(default=8080, ge=1, le=65535)

    @field_validator("survey_leaders", "survey_admins", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        """Parse '123, 456' strictly: a malformed list must not grant anybody anything.

        Ids may be separated as a Chinese keyboard types them too: '9001，9002', '9001、9002'
        (full-width characters are read as their ASCII twins).
        """
        if not isinstance(value, str):
            return value
        ids: set[int] = set()
        for part in _ID_SEPARATORS.split(unicodedata.normalize("NFKC", value)):
            item = part.strip()
            if not item:
                continue
            if parse_user_id(item) is None:
                msg = (
                    f"{item!r} 不是 Telegram 用户编号（正整数） / "
                    f"{item!r} is not a Telegram user id (a positive whole number)"
                )
                raise ValueError(msg)
            ids.add(int(item))
        return frozenset(ids)

    @field_validator("telegram_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            msg = "应以 http:// 或 https:// 开头 / must start with http:// or https://"
            raise ValueError(msg)
        return value

    @field_validator("telegram_proxy")
    @classmethod
    def _check_proxy(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        parts = urlsplit(value.get_secret_value())
        if parts.scheme not in PROXY_SCHEMES or not parts.hostname or parts.port is None:
            msg = (
                "应为 http://主机:端口 或 socks5://主机:端口 / must look like http://host:port or "
                "socks5://host:port (also https://, socks5h://; user:password@ before the host if needed)"
            )
            raise ValueError(msg)
        return value

    @field_validator("telegram_webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        loopback = parts.scheme == "http" and parts.hostname in _LOOPBACK
        if not (parts.scheme == "https" or loopback) or not parts.hostname:
            msg = (
                "应为公网可访问的 https:// 地址 / must be a public https:// URL "
                "(Telegram delivers webhooks over HTTPS only)"
            )
            raise ValueError(msg)
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.match(value.get_secret_value()):
            msg = "只能含 1-256 个字母、数字、_ 或 - / must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            raise ValueError(msg)
        return value

    @field_validator("survey_web_url")
    @classmethod
    def _check_web_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
            msg = (
                "应为 http(s)://主机[:端口][/路径]，如 https://survey.example.gov.cn/ / "
                "must look like http(s)://host[:port][/path], e.g. https://survey.example.gov.cn/"
            )
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _check_ports(self) -> Self:
        """Refuse the web form and the webhook on one address and port: only one could listen there."""
        web = (self.survey_web_listen, self.survey_web_port)
        webhook = (self.telegram_webhook_listen, self.telegram_webhook_port)
        if self.survey_web_url and self.telegram_webhook_url and web == webhook:
            msg = (
                "SURVEY_WEB_PORT 与 TELEGRAM_WEBHOOK_PORT 不能在同一地址上相同 / "
                "the web form and the webhook cannot listen on the same address and port"
            )
            raise ValueError(msg)
        return self

    @property
    def web(self) -> WebAddress | None:
        """Return where the browser form is served, or None when it is not (no SURVEY_WEB_URL)."""
        if self.survey_web_url is None:
            return None
        return WebAddress(self.survey_web_url, self.survey_web_listen, self.survey_web_port)

    @property
    def telegram_file_url(self) -> str:
        """Return where files are downloaded: the API's URL with /file before its last part.

        https://api.telegram.org/bot → https://api.telegram.org/file/bot, as the Bot API (and a
        local Bot API server) serves them.
        """
        base, _, last = self.telegram_base_url.rstrip("/").rpartition("/")
        return f"{base}/file/{last}"

    @property
    def proxy_url(self) -> str | None:
        """Return the proxy URL (credentials included), or None for a direct connection."""
        return self.telegram_proxy.get_secret_value() if self.telegram_proxy else None

    @cached_property
    def webhook(self) -> Webhook | None:
        """Return the webhook to serve, or None to poll; an unset secret is drawn once per process."""
        if self.telegram_webhook_url is None:
            return None
        secret = self.telegram_webhook_secret
        return Webhook(
            url=self.telegram_webhook_url,
            listen=self.telegram_webhook_listen,
            port=self.telegram_webhook_port,
            secret=secret.get_secret_value() if secret else secrets.token_urlsafe(32),
            check=self.telegram_webhook_check,
        )
