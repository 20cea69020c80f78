"""A consistent copy of the live database, rebuilt as it is written, with its key file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from storage.keys import merge


class BackupFailed(Exception):
    """The copy could not be made; the message says why."""


def snapshot(database: Path) -> sqlite3.Connection:
    """Return an in-memory copy of the database, holding a read snapshot of the file only briefly.

    A reader that keeps its snapshot keeps the bot from emptying the write-ahead log (where
    deleted drafts linger): the pages are copied in one quick step, and the slow work (a
    rebuild, an integrity check) runs on the copy.
    """
    source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        memory = sqlite3.connect(":memory:")
        source.backup(memory)
    finally:
        source.close()
    return memory


def backup(database: Path, target: Path, secret: Path | None = None) -> list[Path]:
    """Copy the database (while the bot runs) and its key file; return what was written.

    The live file is read only for as long as copying its pages into memory takes (see
    `snapshot`); `VACUUM INTO` then writes that state table by table in key order: the copy
    keeps no trace of the order rows arrived in, nor deleted rows and old page images.
    The key file goes along, read before and after the copy so that it holds the secret of
    every window the copy shows open, and of no other: without them a restored database could
    not tell who has already taken part; with a closed window's, an old copy would name them.
    """
    if not database.is_file():
        msg = f"there is no database at {database}"
        raise BackupFailed(msg)
    key_copy = target.with_name(target.name + ".key")
    if target.exists() or key_copy.exists():
        msg = f"{target} or its key file exists already; choose a new file name"
        raise BackupFailed(msg)
    target.parent.mkdir(parents=True, exist_ok=True)
    keys_before = secret.read_bytes() if secret is not None and secret.is_file() else None
    source = snapshot(database)
    try:
        source.execute("VACUUM INTO ?", (str(target),))
    finally:
        source.close()
    copy = sqlite3.connect(target)
    try:
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
        copy.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        copy.close()
    if check != "ok":
        target.unlink()
        msg = f"the copy failed its integrity check: {check}"
        raise BackupFailed(msg)
    target.chmod(0o600)
    written = [target]
    if secret is not None and keys_before is not None:
        descriptor = os.open(key_copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(merge(keys_before, secret.read_bytes(), _open_windows(target)))
        written.append(key_copy)
    return written


def _open_windows(copy: Path) -> set[int]:
    """Return the windows the copy shows open (none in a copy of a new, empty database)."""
    with sqlite3.connect(copy) as connection:
        try:
            return {row[0] for row in connection.execute("SELECT id FROM windows WHERE is_open = 1")}
        except sqlite3.OperationalError:  # no windows table: nothing was ever opened
            return set()
