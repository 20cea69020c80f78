"""The door: every kind of button has exactly one route, declared at registration."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram import CallbackQuery

from bot.app import build
from bot.callback_data import Action, BeginSurvey, kinds
from bot.config import Settings
from bot.door import Caller, Door, Presses
from bot.flood import PressGate
from storage.repository import Repository
from usecases.access import Access, Role


async def ignore(caller: Caller, query: CallbackQuery, action: Action) -> None:
    """Do nothing (a stand-in handler)."""


def presses(tmp_path: Path) -> Presses:
    access = Access(frozenset(), frozenset(), Repository(tmp_path / "survey.db"))
    return Presses(Door(access), PressGate())


def test_the_bot_routes_every_kind_of_button(tmp_path: Path) -> None:
    """Building the bot checks its route table: it would refuse to start with a kind unrouted."""
    settings = Settings(_env_file=None, telegram_bot_token=SecretStr("1:x"), survey_db=tmp_path / "survey.db")
    application, _services = build(settings)
    assert application.handlers


def test_a_kind_of_button_without_a_route_is_named(tmp_path: Path) -> None:
    """An incomplete route table fails loudly, naming what is missing."""
    table = presses(tmp_path)
    table.route(BeginSurvey, Role.PARTICIPANT, ignore)
    with pytest.raises(ValueError, match="SubmitBallot") as refused:
        table.check_complete()
    assert "BeginSurvey" not in str(refused.value)
    assert len(kinds()) > 10


def test_a_kind_of_button_is_routed_once(tmp_path: Path) -> None:
    """Two handlers for one kind of button is a mistake, refused at registration."""
    table = presses(tmp_path)
    table.route(BeginSurvey, Role.PARTICIPANT, ignore)
    with pytest.raises(ValueError, match="routed twice"):
        table.route(BeginSurvey, Role.PARTICIPANT, ignore)
