"""`python -m bot check`: test the configuration, the database and the Bot API before a briefing."""

from __future__ import annotations

import os
import secrets
import sqlite3
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from aiohttp import web
from pydantic import ValidationError
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot import operator_texts as say
from bot.app import api_builder
from bot.config import Settings
from bot.operator_texts import Said
from storage.backup import snapshot
from storage.schema import APPLICATION_ID, SCHEMA_VERSION
from web.server import HEALTH, health_check

_WEB_SECONDS = 5.0  # to fetch SURVEY_WEB_URL's health page
_OTHERS = 0o077  # permission bits of the group and of everyone else


@dataclass(frozen=True)
class Outcome:
    """The result of one check: what was checked, whether it passed, what was found, the fix."""

    name: Said
    passed: bool
    detail: Said
    fix: Said | None = None

    def line(self) -> str:
        """Return the check as one line: mark, name, finding and, for a failure, the fix."""
        mark = say.PASSED if self.passed else say.FAILED
        text = f"{mark} {self.name.inline()}: {self.detail.inline()}"
        if self.fix is not None:
            text += f" — {say.FIX.inline()}: {self.fix.inline()}"
        return text


def passed(name: Said, detail: Said) -> Outcome:
    """Return a passed check."""
    return Outcome(name, passed=True, detail=detail)


def failed(name: Said, detail: Said, fix: Said) -> Outcome:
    """Return a failed check with its fix."""
    return Outcome(name, passed=False, detail=detail, fix=fix)


def configuration(error: ValidationError | None, settings: Settings | None) -> Outcome:
    """Report the configuration: its mode and route, or the settings that are not valid."""
    if settings is None:
        assert error is not None  # noqa: S101 - one of the two is always given
        reasons = {
            str(item["loc"][0]).upper(): say.setting_reason(item) for item in error.errors() if item["loc"]
        }
        named = Said(
            "；".join(f"{name}（{reason.zh}）" for name, reason in sorted(reasons.items())),
            "; ".join(f"{name} ({reason.en})" for name, reason in sorted(reasons.items())),
        )
        fix = say.CONFIG_NO_TOKEN_FIX if "TELEGRAM_BOT_TOKEN" in reasons else say.CONFIG_FIX
        invalid = say.CONFIG_INVALID
        return failed(
            say.CONFIGURATION, Said(invalid.zh.format(names=named.zh), invalid.en.format(names=named.en)), fix
        )
    webhook = settings.webhook
    mode = (
        say.CONFIG_POLLING
        if webhook is None
        else say.CONFIG_WEBHOOK.format(url=webhook.url, listen=webhook.listen, port=webhook.port)
    )
    base = settings.telegram_base_url
    route = (
        say.CONFIG_DIRECT.format(base=base)
        if settings.proxy_url is None
        else say.CONFIG_PROXY.format(proxy=redacted(settings.proxy_url), base=base)
    )
    client = say.CONFIG_TRANSPORT.format(name=settings.telegram_transport)
    return passed(
        say.CONFIGURATION,
        Said(f"{mode.zh}，{route.zh}，{client.zh}", f"{mode.en}, {route.en}, {client.en}"),
    )


def redacted(url: str) -> str:
    """Return a proxy URL with any password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def without_token(error: Exception, settings: Settings) -> str:
    """Return an error's message with the bot token blanked out, should the library quote it."""
    return str(error).replace(settings.telegram_bot_token.get_secret_value(), "<TELEGRAM_BOT_TOKEN>")


def database(path: Path) -> Outcome:
    """Check that the database can be created, or is ours, current, intact and writable."""
    path = path.absolute()  # say which file, whatever the working folder
    if not path.exists():
        folder = _nearest_existing(path.parent)
        if os.access(folder, os.W_OK | os.X_OK):
            return passed(say.DATABASE, say.DB_NEW.format(path=path))
        found = say.DB_CANNOT_CREATE.format(path=path, folder=folder)
        return failed(say.DATABASE, found, say.DB_CANNOT_CREATE_FIX)
    try:
        application_id, version, tables, integrity = _inspect(path)
    except (sqlite3.Error, OSError) as error:
        found = say.DB_UNREADABLE.format(path=path, reason=error)
        return failed(say.DATABASE, found, say.DB_UNREADABLE_FIX)
    if application_id != APPLICATION_ID and (application_id != 0 or tables):
        return failed(say.DATABASE, say.DB_FOREIGN.format(path=path), say.DB_FOREIGN_FIX)
    if version > SCHEMA_VERSION:
        found = say.DB_NEWER.format(path=path, version=version, ours=SCHEMA_VERSION)
        return failed(say.DATABASE, found, say.DB_NEWER_FIX)
    return _current_database(path, version, integrity)


def _current_database(path: Path, version: int, integrity: str) -> Outcome:
    """Check a database this program can use: intact and writable."""
    if integrity != "ok":
        found = say.DB_DAMAGED.format(path=path, result=integrity)
        return failed(say.DATABASE, found, say.DB_DAMAGED_FIX)
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return failed(say.DATABASE, say.DB_READ_ONLY.format(path=path), say.DB_READ_ONLY_FIX)
    found = say.DB_OK.format(path=path, version=version)
    if version < SCHEMA_VERSION:
        later = say.DB_MIGRATE.format(ours=SCHEMA_VERSION)
        found = Said(found.zh + later.zh, found.en + later.en)
    return passed(say.DATABASE, found)


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _inspect(path: Path) -> tuple[int, int, int, str]:
    """Return the application id, schema version, table count and integrity of a database file."""
    connection = snapshot(path)  # the integrity check runs on a copy: the file is read briefly
    try:
        (application_id,) = connection.execute("PRAGMA application_id").fetchone()
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        (tables,) = connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    return application_id, version, tables, "; ".join(str(row[0]) for row in rows)


def _count(path: Path, query: str) -> int:
    """Return a count from the database (0 for a new or unreadable one: its own check says why)."""
    if not path.exists():
        return 0
    try:
        # One quick read-only query: no need to copy the whole file into memory as `snapshot` does.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (count,) = connection.execute(query).fetchone()
        finally:
            connection.close()
    except (sqlite3.Error, OSError):
        return 0
    return int(count)


def open_units(path: Path) -> int:
    """Return how many units the database has open."""
    return _count(path, "SELECT count(*) FROM windows WHERE is_open = 1")


def people(settings: Settings) -> Outcome:
    """Check that someone can open a unit: a leader or an admin (who invites leaders)."""
    invited = _count(settings.survey_db, "SELECT count(*) FROM leaders")
    leaders, admins = len(settings.survey_leaders) + invited, len(settings.survey_admins)
    if not leaders and not admins:
        return failed(say.PEOPLE, say.PEOPLE_NONE, say.PEOPLE_NONE_FIX)
    return passed(say.PEOPLE, say.PEOPLE_OK.format(leaders=leaders, admins=admins))


def key_file(settings: Settings) -> Outcome:
    """Check the key file of the open units' secrets: there while units are open, owner-only.

    SURVEY_SECRET replaces only the master secret of units opened by older releases; each unit's
    own secret is in the key file whatever it says.
    """
    path = settings.secret_path.absolute()
    if not path.exists():
        if units := open_units(settings.survey_db):
            found = say.KEY_MISSING.format(path=path, units=units)
            return failed(say.KEY_FILE, found, say.KEY_MISSING_FIX.format(path=path))
        return passed(say.KEY_FILE, say.KEY_NEW.format(path=path))
    mode = f"{path.stat().st_mode & 0o777:03o}"
    if path.stat().st_mode & _OTHERS:
        return failed(
            say.KEY_FILE, say.KEY_OPEN.format(path=path, mode=mode), say.KEY_OPEN_FIX.format(path=path)
        )
    if not os.access(path, os.R_OK) or not path.is_file():
        return failed(
            say.KEY_FILE, say.KEY_UNREADABLE.format(path=path), say.KEY_UNREADABLE_FIX.format(path=path)
        )
    return passed(say.KEY_FILE, say.KEY_OK.format(path=path, mode=mode))


async def bot_api(settings: Settings) -> list[Outcome]:
    """Call getMe and, in webhook mode, getWebhookInfo, the way the bot itself would."""
    bot = api_builder(settings).build().bot
    try:
        await bot.initialize()  # calls getMe
    except InvalidToken:  # its message quotes the token: not repeated here
        return [failed(say.BOT_API, say.API_BAD_TOKEN, say.API_BAD_TOKEN_FIX)]
    except NetworkError as error:
        return [_unreachable(settings, error)]
    except TelegramError as error:
        found = say.API_REFUSED.format(reason=without_token(error, settings))
        return [failed(say.BOT_API, found, say.API_REFUSED_FIX)]
    else:
        outcomes = [passed(say.BOT_API, say.API_OK.format(username=bot.username))]
        if settings.webhook is not None:
            outcomes.append(await _webhook(settings, bot))
        return outcomes
    finally:
        await bot.shutdown()  # the connections, whether getMe got through or not


def _unreachable(settings: Settings, error: NetworkError) -> Outcome:
    url = settings.telegram_base_url
    proxy = settings.proxy_url
    fix = (
        say.API_UNREACHABLE_FIX
        if proxy is None
        else say.API_UNREACHABLE_PROXY_FIX.format(proxy=redacted(proxy), url=url)
    )
    found = say.API_UNREACHABLE.format(url=url, reason=without_token(error, settings))
    return failed(say.BOT_API, found, fix)


async def _webhook(settings: Settings, bot: Bot) -> Outcome:
    """Ask Telegram where it delivers updates and whether the last deliveries failed."""
    webhook = settings.webhook
    assert webhook is not None  # noqa: S101 - called in webhook mode only
    try:
        info = await bot.get_webhook_info()
    except TelegramError as error:
        found = say.API_REFUSED.format(reason=without_token(error, settings))
        return failed(say.WEBHOOK, found, say.API_REFUSED_FIX)
    if not info.url:
        return passed(say.WEBHOOK, say.HOOK_NOT_SET)
    if info.url != webhook.url:
        return failed(say.WEBHOOK, say.HOOK_OTHER.format(url=info.url), say.HOOK_OTHER_FIX)
    pending = info.pending_update_count
    if info.last_error_date is not None and pending:
        found = say.HOOK_FAILING.format(error=info.last_error_message, pending=pending)
        return failed(
            say.WEBHOOK, found, say.HOOK_FAILING_FIX.format(listen=webhook.listen, port=webhook.port)
        )
    return passed(say.WEBHOOK, say.HOOK_OK.format(url=info.url, pending=pending))


async def web_form(settings: Settings) -> list[Outcome]:
    """Check the browser form, when SURVEY_WEB_URL is set: its port, and that the address reaches it.

    A listener that answers only the health page is started on SURVEY_WEB_LISTEN:PORT with a word
    of its own, and SURVEY_WEB_URL's health page is fetched from here: the word coming back proves
    the address (and any reverse proxy on the way) leads to this listener. Where the port is
    taken, the running bot's own answer proves the same.
    """
    address = settings.web
    if address is None:
        return []
    listen, port, url = address.listen, address.port, address.url
    word = f"{HEALTH} {secrets.token_hex(8)}"
    runner = web.AppRunner(health_check(address.base, word), access_log=None)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, listen, port).start()
        except OSError as error:
            body, found = await _fetch(address.link("healthz"))
            if body == HEALTH:  # the bot that holds the port is ours, and the address leads to it
                return [
                    passed(say.WEB_LISTENER, say.WEB_SERVED.format(listen=listen, port=port)),
                    passed(say.WEB_ADDRESS, say.WEB_ANSWERS.format(url=url, listen=listen, port=port)),
                ]
            taken = say.WEB_TAKEN.format(listen=listen, port=port, reason=error.strerror or error)
            return [failed(say.WEB_LISTENER, taken, say.WEB_TAKEN_FIX)]
        listening = passed(say.WEB_LISTENER, say.WEB_CAN_LISTEN.format(listen=listen, port=port))
        body, found = await _fetch(address.link("healthz"))
    finally:
        await runner.cleanup()
    if body == word:
        return [listening, passed(say.WEB_ADDRESS, say.WEB_ANSWERS.format(url=url, listen=listen, port=port))]
    fix = say.WEB_ADDRESS_FIX.format(url=url, listen=listen, port=port)
    if body is None and not found.startswith("HTTP"):
        return [listening, failed(say.WEB_ADDRESS, say.WEB_UNREACHABLE.format(url=url, reason=found), fix)]
    other = say.WEB_OTHER.format(url=url, listen=listen, port=port, found=found)
    return [listening, failed(say.WEB_ADDRESS, other, fix)]


async def _fetch(url: str) -> tuple[str | None, str]:
    """Return the body of a 200 answer (None otherwise) and what came back, in a few words."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=_WEB_SECONDS)) as session,
            session.get(url, allow_redirects=False) as response,
        ):
            body = (await response.text(errors="replace"))[:200]
            return (body if response.status == HTTPStatus.OK else None), f"HTTP {response.status}"
    except (aiohttp.ClientError, TimeoutError) as error:
        return None, str(error) or type(error).__name__


async def run_checks(settings: Settings | None, error: ValidationError | None) -> list[Outcome]:
    """Run every check in order; without a valid configuration only that one is reported."""
    outcomes = [configuration(error, settings)]
    if settings is None:
        return outcomes
    outcomes += [people(settings), database(settings.survey_db), key_file(settings)]
    outcomes += await bot_api(settings)
    outcomes += await web_form(settings)
    return outcomes
