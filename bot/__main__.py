"""`python -m bot`: check the configuration, then poll Telegram (or serve a webhook) until stopped.

`python -m bot check` tests the configuration, the database and the Bot API and says what to fix;
`python -m bot backup FILE` copies the database (and its key file) while the bot runs;
`python -m bot new-key` makes a key file where it was lost for good.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

from pydantic import ValidationError
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot import operator_texts as say
from bot.app import build_application
from bot.check import database, key_file, open_units, run_checks, without_token
from bot.config import Settings, StorageSettings
from bot.serve import configure_logging, serve
from storage.backup import BackupFailed, backup
from storage.keys import WindowKeys
from storage.repository import DatabaseRefused, Repository
from web.server import CannotListen

CONFIGURATION_ERROR = 2  # the service unit does not restart on this code: a restart would not help


def read_settings() -> tuple[Settings | None, ValidationError | None]:
    """Return the settings from the environment and .env, or the error that makes them unusable."""
    try:
        return Settings(), None  # pydantic-settings fills it from the environment
    except ValidationError as error:
        return None, error
    except OSError as error:  # an unreadable .env in the folder it was started from
        print(say.SETTINGS_UNREADABLE.format(reason=error).block(), file=sys.stderr)
        raise SystemExit(CONFIGURATION_ERROR) from None


def explain(error: ValidationError) -> str:
    """Return what is wrong with the settings, in Chinese and English, with the fix."""
    if any(item["loc"] == ("telegram_bot_token",) for item in error.errors()):
        return say.NO_TOKEN.block()
    lines = [say.BAD_SETTINGS.block()]
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]).upper()
        lines.append(f"  {name}: {say.setting_reason(item).inline()}")
    lines.append(say.BAD_SETTINGS_FIX.block())
    return "\n".join(lines)


def storage_settings() -> StorageSettings | None:
    """Return where the data lives, or None after saying why the settings cannot be read."""
    try:
        return StorageSettings()
    except OSError as error:  # an unreadable .env in the folder it was started from
        print(say.SETTINGS_UNREADABLE.format(reason=error).block(), file=sys.stderr)
        return None


def run_backup(target: str) -> int:
    """Copy the database named by SURVEY_DB to `target`; return the exit code."""
    settings = storage_settings()
    if settings is None:
        return CONFIGURATION_ERROR
    if not settings.secret_path.exists() and (units := open_units(settings.survey_db)):
        print(
            say.BACKUP_NO_KEY.format(units=units, path=settings.secret_path.absolute()).block(),
            file=sys.stderr,
        )
        return 1
    try:
        written = backup(settings.survey_db, Path(target), settings.secret_path)
    except (BackupFailed, sqlite3.Error) as error:
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    print("Backed up to " + " and ".join(str(path) for path in written))
    return 0


def run_new_key() -> int:
    """Make a key file where none is (it was lost for good); never replace one."""
    settings = storage_settings()
    if settings is None:
        return CONFIGURATION_ERROR
    path = settings.secret_path.absolute()
    if path.exists():
        print(say.NEW_KEY_EXISTS.format(path=path).block(), file=sys.stderr)
        return CONFIGURATION_ERROR
    if not settings.survey_db.exists():
        print(say.NEW_KEY_NO_DATABASE.format(path=settings.survey_db.absolute()).block(), file=sys.stderr)
        return CONFIGURATION_ERROR
    units = open_units(settings.survey_db)
    WindowKeys(path).load()  # creates it, owner-only, with a fresh master secret
    print((say.NEW_KEY_MADE if units else say.NEW_KEY_NOTHING_OPEN).format(path=path).block())
    return 0


def run_check() -> int:
    """Print one line per check; return 0 only when every check passed."""
    settings, error = read_settings()
    outcomes = asyncio.run(run_checks(settings, error))
    for outcome in outcomes:
        print(outcome.line())
    failed = sum(not outcome.passed for outcome in outcomes)
    print((say.SUMMARY_FAILED.format(count=failed) if failed else say.SUMMARY_PASSED).inline())
    return 1 if failed else 0


def run_bot() -> int:
    """Run until stopped; return the exit code (2 for what a restart would not mend, 1 for the network)."""
    settings, error = read_settings()
    if settings is None:
        assert error is not None  # noqa: S101 - one of the two is always given
        print(explain(error), file=sys.stderr)
        return CONFIGURATION_ERROR
    configure_logging()
    # Check the database and the key file before talking to Telegram: a wrong file is refused at
    # once, whatever the network, with the self-check's own diagnosis and fix. Without the key file
    # of units still open, people who took part would not be recognised and could answer again.
    for found in (database(settings.survey_db), key_file(settings)):
        if found.fix is not None:
            print(found.detail.cannot_start(found.fix).block(), file=sys.stderr)
            return CONFIGURATION_ERROR
    try:
        asyncio.run(_check_database(settings))  # creates or migrates it
        application = build_application(settings)  # reads (or makes) the key file
    except (DatabaseRefused, sqlite3.Error, OSError) as problem:
        reason = problem.args[-1] if isinstance(problem, OSError) and problem.args else problem
        unusable = say.DATABASE_UNUSABLE.format(
            path=settings.survey_db, key=settings.secret_path, reason=reason
        )
        print(unusable.block(), file=sys.stderr)
        return CONFIGURATION_ERROR
    return _serve(application, settings)


def _serve(application: Application, settings: Settings) -> int:  # type: ignore[type-arg]
    try:
        serve(application, settings)
    except InvalidToken:
        print(say.BAD_TOKEN.block(), file=sys.stderr)
        return CONFIGURATION_ERROR
    except CannotListen as error:  # the web form's port is taken, or the address is not this machine's
        print(
            say.WEB_CANNOT_LISTEN.format(listen=error.listen, port=error.port, reason=error.reason).block(),
            file=sys.stderr,
        )
        return 1
    except NetworkError as error:
        reason = without_token(error, settings)
        print(say.UNREACHABLE.format(url=settings.telegram_base_url, reason=reason).block(), file=sys.stderr)
        return 1
    except OSError as error:  # the webhook's port is taken, or the address is not this machine's
        webhook = settings.webhook
        listen, port = (webhook.listen, webhook.port) if webhook else ("?", 0)
        print(say.CANNOT_LISTEN.format(listen=listen, port=port, reason=error).block(), file=sys.stderr)
        return 1
    return 0


async def _check_database(settings: Settings) -> None:
    async with Repository(settings.survey_db):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the bot, the self-check (`check`), a backup (`backup FILE`) or `new-key`; return the exit code."""
    arguments = sys.argv[1:] if argv is None else argv
    if not arguments:
        return run_bot()
    if arguments == ["check"]:
        return run_check()
    if arguments == ["new-key"]:
        return run_new_key()
    if arguments[0] == "backup" and len(arguments) == 2:  # noqa: PLR2004 - "backup FILE"
        return run_backup(arguments[1])
    print(say.USAGE.block(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
