"""Configuration: strict parsing, and a clear message naming @BotFather when the token is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _settings(**env: str) -> Settings:
    return Settings(_env_file=None, **{"telegram_bot_token": "1:x", **env})  # type: ignore[arg-type]


def test_leader_ids_are_parsed_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """SURVEY_LEADERS='1, 22,333' gives three leaders; blanks are allowed."""
    monkeypatch.setenv("SURVEY_LEADERS", " 1, 22,333, ")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    assert Settings(_env_file=None).survey_leaders == frozenset({1, 22, 333})


@pytest.mark.parametrize("value", ["1;2", "abc", "1, -2", "1 2", "0", "1.5"])
def test_malformed_leader_lists_are_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """A list that does not parse refuses to start rather than granting nobody or everybody."""
    monkeypatch.setenv("SURVEY_LEADERS", value)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    with pytest.raises(ValidationError, match="survey_leaders"):
        Settings(_env_file=None)


def test_defaults() -> None:
    """Without settings: ./survey.db, a minimum group of 3, Telegram's own API."""
    settings = _settings()
    assert settings.survey_db == Path("survey.db")
    assert settings.survey_min_group == 3
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.secret_path == Path("survey.db.key")
    assert settings.survey_tz == ZoneInfo("Asia/Shanghai")


def test_time_zone_is_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """SURVEY_TZ takes an IANA zone name; a name that is no zone refuses to start."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("SURVEY_TZ", "Asia/Urumqi")
    assert Settings(_env_file=None).survey_tz == ZoneInfo("Asia/Urumqi")
    monkeypatch.setenv("SURVEY_TZ", "Beijing")
    with pytest.raises(ValidationError, match="survey_tz"):
        Settings(_env_file=None)


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The token and other settings can come from a .env file in the working folder."""
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=123:abc\nSURVEY_MIN_GROUP=5\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SURVEY_MIN_GROUP", raising=False)
    settings = Settings()
    assert settings.telegram_bot_token.get_secret_value() == "123:abc"
    assert settings.survey_min_group == 5


def _run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SURVEY_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_token_names_botfather_and_exits_2(tmp_path: Path) -> None:
    """`python -m bot` without a token prints how to get one, exit code 2, no traceback."""
    result = _run_bot(tmp_path)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "survey.db").exists()


def test_bad_settings_are_named(tmp_path: Path) -> None:
    """A malformed setting is named in one line, exit code 2, no traceback."""
    result = _run_bot(tmp_path, TELEGRAM_BOT_TOKEN="1:x", SURVEY_LEADERS="12,abc")
    assert result.returncode == 2
    assert "SURVEY_LEADERS" in result.stderr
    assert "Traceback" not in result.stderr
