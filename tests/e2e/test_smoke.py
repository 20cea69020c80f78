"""A first look: a leader opens a unit and a participant starts."""

from __future__ import annotations

from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import RunningBot


async def test_open_and_start(bot: RunningBot, emulator: BotApiEmulator, leader: Person) -> None:
    """The leader gets a QR code; the link welcomes a participant."""
    reply = await leader.send("/open 县财政局")
    assert reply is not None
    print(reply.text)
    assert reply.photo
    token = reply.text.split("start=")[1].split()[0]
    person = Person(emulator, 1)
    welcome = await person.send(f"/start {token}")
    assert welcome is not None
    print(welcome.text, welcome.labels())
    answer = await person.press(welcome, "开始")
    print(answer, person.last.text, person.last.labels())
