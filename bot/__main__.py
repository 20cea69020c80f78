"""`python -m bot`: check the configuration, then poll Telegram until stopped.

`python -m bot backup FILE` copies the database (and its key file) while the bot runs.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from pathlib import Path

from pydantic import ValidationError
from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings, StorageSettings
from storage.backup import BackupFailed, backup
from storage.repository import DatabaseRefused, Repository

BOTFATHER_HELP = (
    "No bot token: TELEGRAM_BOT_TOKEN is not set. Talk to @BotFather in Telegram "
    "(https://t.me/BotFather), send /newbot, choose a name and a username ending in 'bot', "
    "and copy the token it gives you (it looks like 123456789:AA...). Then either export it, "
    "TELEGRAM_BOT_TOKEN=<token>, or put the line TELEGRAM_BOT_TOKEN=<token> in a file "
    "named .env in this folder, and start the bot again."
)
BOTFATHER_RETRY = (
    "Telegram refused the bot token in TELEGRAM_BOT_TOKEN. Check that it was copied whole "
    "from @BotFather (or ask @BotFather for a new one with /token) and start the bot again."
)


def configure_logging() -> None:
    """Log to stderr; keep httpx quiet, since at INFO it logs request URLs with the token."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def load_settings() -> Settings | None:
    """Return the settings, or print why they are unusable and return None."""
    try:
        return Settings()  # pydantic-settings fills it from the environment
    except ValidationError as error:
        if any(e["loc"] == ("telegram_bot_token",) for e in error.errors()):
            print(BOTFATHER_HELP, file=sys.stderr)
        else:
            print(f"The configuration is not valid:\n{_describe(error)}", file=sys.stderr)
        return None


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]).upper()
        lines.append(f"  {name}: {item['msg']}")
    return "\n".join(lines)


def run_backup(target: str) -> int:
    """Copy the database named by SURVEY_DB to `target`; return the exit code."""
    settings = StorageSettings()
    try:
        written = backup(settings.survey_db, Path(target), settings.secret_path)
    except (BackupFailed, sqlite3.Error) as error:
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    print("Backed up to " + " and ".join(str(path) for path in written))
    return 0


def run_bot() -> int:
    """Poll until stopped; return the exit code (2 for a configuration Telegram or SQLite refuses)."""
    settings = load_settings()
    if settings is None:
        return 2
    configure_logging()
    try:
        # Check (create, migrate) the database before talking to Telegram: a wrong file is
        # refused at once, whatever the network.
        asyncio.run(_check_database(settings))
        application = build_application(settings)
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        print(BOTFATHER_RETRY, file=sys.stderr)
        return 2
    except DatabaseRefused as error:
        print(f"Refusing to start: {error}", file=sys.stderr)
        return 2
    except NetworkError as error:
        print(f"Cannot reach the Bot API at {settings.telegram_base_url}: {error}", file=sys.stderr)
        return 1
    return 0


async def _check_database(settings: Settings) -> None:
    async with Repository(settings.survey_db):
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the bot, or a backup with `backup FILE`; return the process exit code."""
    arguments = sys.argv[1:] if argv is None else argv
    if not arguments:
        return run_bot()
    if arguments[0] == "backup" and len(arguments) == 2:  # noqa: PLR2004 - "backup FILE"
        return run_backup(arguments[1])
    print("usage: python -m bot [backup FILE]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
