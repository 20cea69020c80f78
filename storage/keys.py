"""The key file: each open window's register secret, kept beside the database, never in it.

A window's secret turns a Telegram user id into its register key (HMAC) while the window is
open. When the window closes its secret is overwritten with zeros: any copy of the database
made while it was open (a backup, a disk image, a leftover block) then names nobody, unless
a copy of this file from before the close is kept as well.

Layout: the first 32 bytes are the master secret, which only windows opened before windows had
secrets of their own still use; from byte 64 on, 64-byte records of (window id: 8 bytes
big-endian, secret: 32 bytes, 24 zero bytes), a zeroed record being free. Records never straddle
a 512-byte sector, so a record is written whole or not at all.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_BYTES = 32
_RECORDS_START = 64
_RECORD = 64
_FREE = bytes(_RECORD)


def _records(data: bytes) -> dict[int, tuple[int, bytes]]:
    """Return {window id: (offset, secret)} for the records in a key file's bytes."""
    found = {}
    for offset in range(_RECORDS_START, len(data) - _RECORD + 1, _RECORD):
        window_id = int.from_bytes(data[offset : offset + 8], "big")
        if window_id:
            found[window_id] = (offset, data[offset + 8 : offset + 8 + SECRET_BYTES])
    return found


def merge(earlier: bytes, later: bytes, open_ids: set[int]) -> bytes:
    """Return the key file a backup needs: the secrets of exactly the windows open in its copy.

    A backup reads the key file before and after copying the database: a window that closed
    meanwhile is open in the copy and needs the secret the earlier read still had; a window the
    copy shows closed must not take its secret along, whichever read still had it.
    """
    secrets = {**_records(earlier), **_records(later)}
    kept = b"".join(_record(w, secrets[w][1]) for w in sorted(open_ids) if w in secrets)
    return later[:_RECORDS_START].ljust(_RECORDS_START, b"\0") + kept


def _record(window_id: int, secret: bytes) -> bytes:
    return window_id.to_bytes(8, "big") + secret + bytes(_RECORD - 8 - SECRET_BYTES)


class WindowKeys:
    """The register secrets: one per open window, destroyed when it closes."""

    def __init__(self, path: Path, master: bytes | None = None) -> None:
        self.path = path
        self._master_override = master
        self._master = b""
        self._secrets: dict[int, bytes] = {}
        self._offsets: dict[int, int] = {}

    def load(self) -> None:
        """Read the key file, creating it owner-only (a fresh master secret) on first start."""
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Owner-only: whoever reads it can test whether a given person took part.
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(SECRET_BYTES))
                file.flush()
                os.fsync(file.fileno())
        data = self.path.read_bytes()
        self._master = self._master_override or data[:SECRET_BYTES]
        records = _records(data)
        self._secrets = {window_id: secret for window_id, (_offset, secret) in records.items()}
        self._offsets = {window_id: offset for window_id, (offset, _secret) in records.items()}

    def secret(self, window_id: int) -> bytes:
        """Return the window's register secret (the master for windows opened before they had one)."""
        return self._secrets.get(window_id, self._master)

    def create(self, window_id: int) -> None:
        """Give the window a fresh random secret, on disk before this returns."""
        used = set(self._offsets.values())
        size = self.path.stat().st_size
        end = max(_RECORDS_START, size + (-size % _RECORD))
        offset = self._offsets.get(window_id) or next(
            (o for o in range(_RECORDS_START, end, _RECORD) if o not in used), end
        )
        secret = secrets.token_bytes(SECRET_BYTES)
        self._write(offset, _record(window_id, secret))
        self._secrets[window_id] = secret
        self._offsets[window_id] = offset

    def destroy(self, window_id: int) -> None:
        """Overwrite the window's secret with zeros, in place and on disk."""
        offset = self._offsets.pop(window_id, None)
        self._secrets.pop(window_id, None)
        if offset is not None:
            self._write(offset, _FREE)

    def keep_only(self, window_ids: set[int]) -> None:
        """Destroy every secret but those of these (open) windows, and the master once none needs it.

        The master secret serves only windows opened before windows had secrets of their own:
        once none of those is open, it is overwritten with zeros like a closed window's secret.
        """
        for window_id in set(self._secrets) - window_ids:
            self.destroy(window_id)
        if window_ids <= set(self._secrets) and self._master_override is None and any(self._master):
            self._write(0, bytes(SECRET_BYTES))
            self._master = bytes(SECRET_BYTES)

    def _write(self, offset: int, record: bytes) -> None:
        with self.path.open("r+b") as file:
            size = file.seek(0, os.SEEK_END)
            if size < offset:
                file.write(bytes(offset - size))  # pad to the first record
            file.seek(offset)
            file.write(record)
            file.flush()
            os.fsync(file.fileno())
