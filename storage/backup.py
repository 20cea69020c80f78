"""A consistent copy of the live database, made with SQLite's online backup API."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path


class BackupFailed(Exception):
    """The copy could not be made; the message says why."""


def backup(database: Path, target: Path, secret: Path | None = None) -> list[Path]:
    """Copy the database (while the bot runs) and its secret key file; return what was written.

    The backup API copies page by page and restarts if a writer changes a page meanwhile, so
    the copy is one consistent state. The key file goes along: without it a restored database
    could not tell who has already taken part.
    """
    if not database.is_file():
        msg = f"there is no database at {database}"
        raise BackupFailed(msg)
    if target.exists():
        msg = f"{target} exists already; choose a new file name"
        raise BackupFailed(msg)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            (check,) = copy.execute("PRAGMA integrity_check").fetchone()
            copy.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        finally:
            copy.close()
    finally:
        source.close()
    if check != "ok":
        target.unlink()
        msg = f"the copy failed its integrity check: {check}"
        raise BackupFailed(msg)
    written = [target]
    if secret is not None and secret.is_file():
        key_copy = target.with_name(target.name + ".key")
        shutil.copyfile(secret, key_copy)
        key_copy.chmod(0o600)
        written.append(key_copy)
    return written
