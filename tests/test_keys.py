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
    assert not keys.has_own(2)


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


def test_merge_keeps_the_secrets_of_windows_closed_during_a_backup(tmp_path: Path) -> None:
    """A backup reads the key file before and after: a window closed meanwhile keeps its secret."""
    path = tmp_path / "survey.db.key"
    keys = WindowKeys(path)
    keys.load()
    keys.create(1)
    before = path.read_bytes()
    keys.destroy(1)
    keys.create(2)
    merged = WindowKeys(tmp_path / "merged.key")
    (tmp_path / "merged.key").write_bytes(merge(before, path.read_bytes()))
    merged.load()
    assert merged.has_own(1)
    assert merged.has_own(2)


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
        assert repository.keys.has_own(second.id)


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
