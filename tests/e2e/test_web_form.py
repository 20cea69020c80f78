"""The browser form served by the bot itself: on its loop, started and stopped with it, seen by `check`."""

from __future__ import annotations

import asyncio
import io
import itertools
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import openpyxl
import pytest
from docx import Document

from bot.config import Settings
from bot.texts import ZH
from conversations.annex2 import ANNEX2
from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import LEADER_ID, BotProcess, RunningBot
from tests.e2e.flows import FormAnswers, answer_step, expected_counts, key_form, shown_counts, varied_answers
from tests.e2e.test_check import check, line
from tests.e2e.test_slips import answer_all as answer_slip
from tests.e2e.test_slips import documents, open_with_slips
from tests.e2e.test_webhook import free_port
from tests.web_phone import Phone, answer_all, first_answer
from usecases.access import Actor, Role
from usecases.slips import Issued

WEB_PARTICIPANT = 4_000_001


def web_env(port: int, url_port: int | None = None) -> dict[str, str]:
    """Return the settings of a bot serving the web form on this loopback port."""
    return {
        "SURVEY_WEB_URL": f"http://127.0.0.1:{url_port or port}/",
        "SURVEY_WEB_LISTEN": "127.0.0.1",
        "SURVEY_WEB_PORT": str(port),
    }


async def answers(port: int, path: str = "healthz") -> str | None:
    """Return what the web form's port answers at `path`, or None when nothing listens."""
    try:
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/{path}") as got:
            return await got.text()
    except aiohttp.ClientConnectionError:
        return None


async def serving(port: int) -> None:
    """Wait until the bot process answers on the form's port (a start takes seconds on a busy machine)."""
    async with asyncio.timeout(60):
        for _ in itertools.count():
            if await answers(port) is not None:
                return
            await asyncio.sleep(0.1)


@pytest.fixture
async def web_bot(settings: Settings, emulator: BotApiEmulator) -> AsyncIterator[RunningBot]:
    port = free_port()
    served = settings.model_copy(
        update={"survey_web_url": f"http://127.0.0.1:{port}/", "survey_web_port": port}
    )
    running = RunningBot(served, emulator)
    await running.start()
    yield running
    await running.stop()


async def test_a_slip_in_the_browser_and_one_in_telegram_make_one_tally(
    web_bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """The bot serves the form on its own loop: a browser and a Telegram account answer a unit, one tally."""
    services, port = web_bot.services, web_bot.settings.survey_web_port
    window, _ = await services.repository.open_window(LEADER_ID, "县财政局", min_group=1, slips=True)
    issued = await services.slip_issuing.issue(Actor(LEADER_ID, "组长", Role.LEADER), window.id, 2)
    assert isinstance(issued, Issued)
    in_browser, in_telegram = issued.codes
    await answer_in_the_browser(port, in_browser)
    person = Person(emulator, WEB_PARTICIPANT)
    welcome = await person.send(f"/start s_{in_telegram}")
    assert welcome is not None
    await person.press(welcome, "开始")
    given = varied_answers(3)
    survey = welcome
    for index in range(ANNEX2.size):
        survey = await answer_step(person, survey, index, given)
        following = f"第 {index + 2}/16 题" if index + 1 < ANNEX2.size else "请核对您的答卷"
        await emulator.wait_chat(WEB_PARTICIPANT, lambda: following in survey.text)  # noqa: B023 - awaited here
    await person.press(survey, "提交")
    tally = await leader.send("/tally")
    assert tally is not None
    assert "已收到答卷：2 份" in tally.text
    await web_bot.stop()
    assert await answers(port) is None  # stopped with the bot


async def test_the_bot_process_serves_the_form_until_it_stops(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """`python -m bot` with SURVEY_WEB_URL: the form answers; SIGTERM stops both; no path in the log."""
    port = free_port()
    bot = BotProcess(emulator, tmp_path)
    bot.env.update(web_env(port))
    await bot.start()
    try:
        await serving(port)
        assert "请输入测评码" in (await answers(port, "") or "")
        assert "测评码无效" in (await answers(port, "s/K7M2Q-9XH4P-R3TVC") or "")
    finally:
        assert await bot.signal(signal.SIGTERM) == 0
    assert await answers(port) is None
    log = bot.log.read_text(encoding="utf-8")
    assert f"Serving the web form at http://127.0.0.1:{port}/" in log
    assert "K7M2Q" not in log
    assert "GET" not in log  # no access log


async def test_a_taken_port_stops_the_bot_saying_which_setting_to_change(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """Another program on the form's port: the bot stops (exit 1) naming SURVEY_WEB_PORT, no traceback."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = await BotProcess(emulator, tmp_path).run(**web_env(port))
    assert code == 1
    assert f"127.0.0.1:{port}" in output
    assert "SURVEY_WEB_PORT" in output
    assert "无法在" in output
    assert "Traceback" not in output


async def test_check_listens_and_fetches_the_address(emulator: BotApiEmulator, tmp_path: Path) -> None:
    """Before the first start: the port can be had and SURVEY_WEB_URL leads to it; a wrong address fails."""
    port = free_port()
    configured = BotProcess(emulator, tmp_path)
    code, lines = await check(configured, **web_env(port))
    assert code == 0, lines
    assert f"can listen on 127.0.0.1:{port}" in line(lines, "web form listener")
    assert line(lines, "web form address").startswith("✔")
    elsewhere = free_port()
    code, lines = await check(configured, **web_env(port, url_port=elsewhere))
    assert code == 1
    address = line(lines, "web form address")
    assert address.startswith("✘")
    assert f"http://127.0.0.1:{elsewhere}/ cannot be opened from this machine" in address
    assert f"forward http://127.0.0.1:{elsewhere}/ to http://127.0.0.1:{port}" in address


async def test_check_while_the_bot_serves_the_form(emulator: BotApiEmulator, tmp_path: Path) -> None:
    """The bot holds the port: check finds its form there; another program there fails the line."""
    port = free_port()
    bot = BotProcess(emulator, tmp_path)
    bot.env.update(web_env(port))
    await bot.start()
    try:
        await serving(port)
        code, lines = await check(bot)
        assert code == 0, lines
        assert "the running bot already serves the web form" in line(lines, "web form listener")
    finally:
        await bot.signal(signal.SIGTERM)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        other = taken.getsockname()[1]
        code, lines = await check(bot, **web_env(other))
    assert code == 1
    assert f"cannot listen on 127.0.0.1:{other}" in line(lines, "web form listener")


def web_answers() -> FormAnswers:
    """Return what `answer_all` ticks in the browser, as the tally's helpers read answers."""
    answers = FormAnswers(suggestion="建议加强廉政教育。")
    for question in ANNEX2.questions:
        labels = {option.id: option.label for option in question.options}
        picked = [value for name, value in first_answer(question) if name == "choice"]
        answers.picks[question.id] = [labels[value] for value in picked]
    return answers


async def answer_in_the_browser(port: int, code: str) -> None:
    """Open the slip's QR address in a fresh browser, answer every page and submit."""
    async with aiohttp.ClientSession(
        base_url=f"http://127.0.0.1:{port}/", cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as session:
        phone = Phone(session)
        assert "开始作答" in await phone.open(f"/s/{code}")
        await phone.send("/begin")
        await answer_all(phone)
        assert "感谢参加民主测评" in await phone.send("/submit")


async def test_a_room_of_browsers_telegram_and_paper_makes_one_tally_with_the_offices_counts(
    web_bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """A room: 10 slips in the browser, 10 in Telegram at once, 3 paper forms keyed: one tally of 23.

    The leader prints 20 slips and declares 4 paper forms handed out, one of them unreadable (无效):
    the live tally, the final tally, the workbook and the 结果反馈 all say 共发放 24、收回 24、有效 23 份.
    """
    _, codes = await open_with_slips(emulator, leader, 20)
    assert len(set(codes)) == 20
    port = web_bot.settings.survey_web_port
    telegram = [Person(emulator, WEB_PARTICIPANT + 1 + number) for number in range(10)]
    phones = [varied_answers(seed) for seed in range(10)]

    async def in_telegram(person: Person, code: str, answers: FormAnswers) -> None:
        welcome = await person.send(f"/start s_{code.replace('-', '')}")
        assert welcome is not None
        await answer_slip(person, welcome, answers)

    await asyncio.gather(
        *(answer_in_the_browser(port, code) for code in codes[:10]),
        *(in_telegram(p, code, a) for p, code, a in zip(telegram, codes[10:], phones, strict=True)),
    )
    papers = [varied_answers(seed) for seed in (10, 11, 12)]
    desk = await leader.send("/paper")
    assert desk is not None
    await leader.press(desk, ZH.PAPER_COUNTS_BUTTON)
    await leader.press(desk, ZH.PAPER_ISSUED_ADD.format(count=1))
    await leader.press(desk, ZH.PAPER_ISSUED_ADD.format(count=1))
    await leader.press(desk, ZH.PAPER_ISSUED_ADD.format(count=1))
    await leader.press(desk, ZH.PAPER_ISSUED_ADD.format(count=1))
    counted = await leader.press(desk, ZH.PAPER_INVALID_ADD)
    assert counted["text"] == ZH.ANSWER_PAPER_COUNTED.format(issued=4, invalid=1)
    await leader.press(desk, ZH.PAPER_BACK)
    await leader.press(desk, "开始录入")
    form = desk
    for number, answers in enumerate(papers):
        if number:
            await leader.press(form, "录入下一份")
        form = await key_form(leader, form, answers, frozenset())

    line = "共发放 24 份（测评码 20 张、纸质表 4 份）、收回 24 份、有效 23 份"
    live = await leader.send("/tally")
    assert live is not None
    assert line in live.text
    assert "已收到答卷：23 份" in live.text
    await leader.press(live, "结束测评")
    await leader.press(live, "确认结束")
    await emulator.wait_for(lambda: bool(documents(leader, ".xlsx")), timeout=60)
    assert line in live.text
    assert shown_counts(live.text) == expected_counts([web_answers()] * 10 + phones + papers)
    book = openpyxl.load_workbook(io.BytesIO(documents(leader, ".xlsx")[-1].document or b""))
    summary = [row[:2] for row in book["汇总"].iter_rows(values_only=True)]
    assert ("发放与收回", line) in summary

    report = await leader.send("/report 县财政局")
    assert report is not None
    name = "检查考核结果反馈_县财政局_草稿.docx"  # closed but not scored: a draft
    await emulator.wait_for(lambda: bool(documents(leader, name)), timeout=60)
    feedback = Document(io.BytesIO(documents(leader, name)[-1].document or b""))
    body = "\n".join(p.text for p in feedback.paragraphs)
    assert f"{line}（其中纸质 3 份）" in body
