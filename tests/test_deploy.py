"""The deployment files agree with the code: the settings they name exist, the exit codes match."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from bot.__main__ import CONFIGURATION_ERROR
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SETTING = re.compile(r"^#? ?([A-Z][A-Z0-9_]+)=(.*)$", re.MULTILINE)


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "integrity-survey-bot.service", encoding="utf-8")
    return unit


def test_every_variable_in_the_examples_is_a_setting() -> None:
    """A misspelt name in an example would be silently ignored: each one is a field of Settings."""
    fields = {name.upper() for name in Settings.model_fields}
    for example in (DEPLOY / "integrity-survey-bot.env.example", ROOT / ".env.example"):
        names = {name for name, _ in SETTING.findall(example.read_text(encoding="utf-8"))}
        assert names, example
        assert names <= fields, names - fields


def test_the_service_example_parses_once_a_token_is_filled_in() -> None:
    """The uncommented lines of the EnvironmentFile example, plus a token, are valid settings."""
    text = (DEPLOY / "integrity-survey-bot.env.example").read_text(encoding="utf-8")
    values = {
        name.lower(): value for name, value in re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", text, re.M) if value
    }
    settings = Settings(_env_file=None, telegram_bot_token="1:x", **values)
    assert settings.survey_db == Path("/var/lib/integrity-survey-bot/survey.db")
    assert settings.webhook is None  # polling unless the webhook lines are filled in


def test_the_unit_restarts_on_failure_but_not_on_a_configuration_error() -> None:
    """Restart after a crash or lost network; stay stopped on exit code 2 (fix the settings first)."""
    service = _unit()["Service"]
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == str(CONFIGURATION_ERROR)
    assert service["KillSignal"] == "SIGTERM"
    assert service["EnvironmentFile"] == "/etc/integrity-survey-bot/bot.env"
    assert service["ExecStart"].endswith("/.venv/bin/python -m bot")
    state = "/var/lib/" + service["StateDirectory"]
    assert service["WorkingDirectory"] == state
    text = (DEPLOY / "integrity-survey-bot.env.example").read_text(encoding="utf-8")
    assert f"SURVEY_DB={state}/survey.db" in text
