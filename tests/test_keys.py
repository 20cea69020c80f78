"""The key file: a secret per open window, gone from the file once the window closes."""

from __future__ import annotations

import stat
from pathlib import Path

from conversations.anonymity import participant_key
from conversations.engine import Ballot
from storage.backup import backup
from storage.keys import WindowKeys, merge
from storage.repository import Repository

BALLOT = Ballot(answers={"category": ("leader",)})

NEVER_OPENED = 10**9  # a window id no test opens: its secret is the master's


def test_a_window_secret_is_written_owner_only_and_destroyed_in_place(tmp_path: Path) -> None:
    """Each window gets its own random secret on disk; destroying it zeroes those bytes."""
    path = tmp_path / "survey.db.key"
    keys = WindowKeys(path)
    keys.load()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    master = keys.secret(99)  # a window without its own secret (opened by an older release)
    keys.create(1)
    keys.create(2)
    first, second = keys.secret(1), keys.secret(2)
    assert len({master, first, second}) == 3
    again = WindowKeys(path)
    again.load()
    assert (again.secret(1), again.secret(2), again.secret(99)) == (first, second, master)
    size = path.stat().st_size
    keys.destroy(1)
    data = path.read_bytes()
    assert first not in data
    assert second in data
    assert path.stat().st_size == size  # overwritten where it lay, not rewritten elsewhere
    keys.create(3)  # takes the freed place
    assert path.stat().st_size == size
    keys.keep_only({3})
    assert second not in path.read_bytes()
    assert keys.secret(2) == keys.secret(NEVER_OPENED)  # back to the master: its own secret is gone


def test_a_release_1_key_file_is_the_master_secret(tmp_path: Path) -> None:
    """A 32-byte key file from before per-window secrets keeps serving the windows opened then."""
    path = tmp_path / "survey.db.key"
    path.write_bytes(b"m" * 32)
    keys = WindowKeys(path)
    keys.load()
    assert keys.secret(5) == b"m" * 32
    keys.create(6)
    assert keys.secret(5) == b"m" * 32
    assert path.read_bytes()[:32] == b"m" * 32


def test_survey_secret_overrides_the_master(tmp_path: Path) -> None:
    """SURVEY_SECRET, when set, is the master secret; windows still get their own."""
    keys = WindowKeys(tmp_path / "survey.db.key", b"from the environment")
    keys.load()
    assert keys.secret(1) == b"from the environment"
    keys.create(1)
    assert keys.secret(1) != b"from the environment"


def test_a_backups_key_file_holds_the_secrets_of_exactly_the_windows_open_in_its_copy(tmp_path: Path) -> None:
    """Read before and after the copy: a window closed meanwhile keeps its secret only if open in the copy."""
    path = tmp_path / "survey.db.key"
    keys = WindowKeys(path)
    keys.load()
    keys.create(1)
    before = path.read_bytes()
    keys.destroy(1)
    keys.create(2)
    for open_ids, kept in (({1, 2}, {1, 2}), ({2}, {2})):  # the copy caught before / after the close
        merged = WindowKeys(tmp_path / f"merged{len(open_ids)}.key")
        merged.path.write_bytes(merge(before, path.read_bytes(), open_ids))
        merged.load()
        assert {w for w in (1, 2) if merged.secret(w) != merged.secret(NEVER_OPENED)} == kept


async def test_the_master_secret_goes_once_no_open_window_needs_it(tmp_path: Path) -> None:
    """A unit from before per-unit secrets uses the master: it is zeroed when the last such unit closes."""
    path = tmp_path / "survey.db"
    async with Repository(path) as repository:
        old, _ = await repository.open_window(1, "县财政局", min_group=3)
        new, _ = await repository.open_window(1, "县教育局", min_group=3)
    key = path.with_name("survey.db.key")
    data = bytearray(key.read_bytes())
    assert data[:32] == bytes(32)  # zeroed at the first start already: no unit needed it
    master = data[:32] = b"a master secret from an old file".ljust(32, b".")
    assert int.from_bytes(data[64:72], "big") == old.id  # the first record is the old unit's
    data[64:128] = bytes(64)  # as if opened by a release before units had secrets of their own
    key.write_bytes(bytes(data))
    async with Repository(path) as repository:
        assert repository.keys.secret(old.id) == master
        await repository.close_window(new.id)
        assert key.read_bytes()[:32] == master  # still needed by the old unit, still open
        await repository.close_window(old.id)
        assert key.read_bytes()[:32] == bytes(32)
        assert master not in key.read_bytes()


async def test_closing_a_window_destroys_its_secret(tmp_path: Path) -> None:
    """Open: the window's secret is in the key file. Closed: gone, other windows' kept."""
    path = tmp_path / "survey.db"
    async with Repository(path) as repository:
        first, _ = await repository.open_window(1, "县财政局", min_group=3)
        second, _ = await repository.open_window(1, "县教育局", min_group=3)
        secret = repository.keys.secret(first.id)
        await repository.submit(participant_key(secret, first.id, 5), first.id, BALLOT)
        assert secret in repository.keys.path.read_bytes()
        await repository.close_window(first.id)
        assert secret not in repository.keys.path.read_bytes()
        assert repository.keys.secret(second.id) != repository.keys.secret(NEVER_OPENED)


async def test_a_backup_is_a_rebuilt_copy_with_the_open_windows_secrets(tmp_path: Path) -> None:
    """`backup` writes an owner-only copy in key order and the key file beside it."""
    path = tmp_path / "survey.db"
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=1)
        secret = repository.keys.secret(window.id)
        for user_id in range(5):
            await repository.submit(participant_key(secret, window.id, user_id), window.id, BALLOT)
        written = backup(path, tmp_path / "copy" / "backup.db", repository.keys.path)
    assert [p.name for p in written] == ["backup.db", "backup.db.key"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
    async with Repository(written[0]) as restored:
        assert restored.keys.secret(window.id) == secret
        key = participant_key(secret, window.id, 3)
        assert (await restored.participant(window.id, key))[0]
        assert await restored.ballot_count(window.id) == 5
