"""A consistent copy of the live database, rebuilt as it is written, with its key file."""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import suppress
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

    Both are written under temporary names (`.NAME.partial`) and renamed when whole, the key
    file first and the database last: a kill or a full disk part way leaves no file that looks
    like a finished backup. A disk that refuses (full, read-only) is BackupFailed, in words.
    """
    key_copy = target.with_name(target.name + ".key")
    partial = target.with_name(f".{target.name}.partial")
    key_partial = target.with_name(f".{key_copy.name}.partial")
    try:
        if not database.is_file():
            msg = f"there is no database at {database}"
            raise BackupFailed(msg)
        if target.exists() or key_copy.exists():
            msg = f"{target} or its key file exists already; choose a new file name"
            raise BackupFailed(msg)
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (partial, key_partial):  # from a backup to this name that was killed
            leftover.unlink(missing_ok=True)
        written = _write(database, partial, key_partial if secret is not None else None, secret)
        if len(written) > 1:
            os.replace(key_partial, key_copy)
        os.replace(partial, target)  # the last step: only now is there a backup by this name
    except (OSError, sqlite3.Error) as error:
        _remove(partial, key_partial)
        raise BackupFailed(_why(error, target)) from error
    except BackupFailed:
        _remove(partial, key_partial)
        raise
    with suppress(OSError):  # the backup is whole: a folder that cannot be synced changes nothing
        _sync(target.parent)
    return [target, key_copy] if len(written) > 1 else [target]


def _remove(*paths: Path) -> None:
    """Remove what a failed backup left under its temporary names."""
    for path in paths:
        with suppress(OSError):
            path.unlink(missing_ok=True)


def _write(database: Path, copy: Path, key_copy: Path | None, secret: Path | None) -> list[Path]:
    """Write the rebuilt copy (owner-only, checked, on disk) and its key file; return what was written."""
    keys_before = secret.read_bytes() if secret is not None and secret.is_file() else None
    os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # never readable by others
    source = snapshot(database)
    try:
        source.execute("VACUUM INTO ?", (str(copy),))
    finally:
        source.close()
    connection = sqlite3.connect(copy)
    try:
        (check,) = connection.execute("PRAGMA integrity_check").fetchone()
        connection.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        connection.close()
    if check != "ok":
        msg = f"the copy failed its integrity check: {check}"
        raise BackupFailed(msg)
    _sync(copy)
    if secret is None or keys_before is None or key_copy is None:
        return [copy]
    descriptor = os.open(key_copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(merge(keys_before, secret.read_bytes(), _open_windows(copy)))
        file.flush()
        os.fsync(file.fileno())
    return [copy, key_copy]


def _sync(path: Path) -> None:
    """Put a file's bytes (or a folder's renames) on the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _why(error: BaseException, target: Path) -> str:
    """Say in words why the disk refused the backup."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if (
        getattr(error, "errno", None) in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
        or code == sqlite3.SQLITE_FULL
    ):
        return f"the disk holding {target.parent} is full ({error}); free some space and back up again"
    if getattr(error, "errno", None) in {errno.EROFS, errno.EACCES, errno.EPERM} or code in {
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_CANTOPEN,
    }:
        return f"{target.parent} cannot be written ({error}); choose a folder this user may write to"
    return f"the copy could not be written ({error})"


def _open_windows(copy: Path) -> set[int]:
    """Return the windows the copy shows open (none in a copy of a new, empty database)."""
    with sqlite3.connect(copy) as connection:
        try:
            return {row[0] for row in connection.execute("SELECT id FROM windows WHERE is_open = 1")}
        except sqlite3.OperationalError:  # no windows table: nothing was ever opened
            return set()
