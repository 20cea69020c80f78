"""Ballot slips end to end: a leader prints them, people answer with them once each, the counts add up."""

from __future__ import annotations

import io

import openpyxl

from bot.texts import ZH
from emulator import BotApiEmulator, BotMessage
from emulator.people import Person
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import FormAnswers, answer_step, shown_counts, varied_answers
from tests.pdf_text import page_count, printed_codes

PRINT_40 = "🎫 打印测评码（40 张）"


def documents(person: Person, suffix: str) -> list[BotMessage]:
    """Return the documents the bot sent this person whose file name ends so."""
    return [m for m in person.messages if (m.document_name or "").endswith(suffix)]


async def print_slips(
    emulator: BotApiEmulator, leader: Person, screen: BotMessage, label: str, name: str
) -> bytes:
    """Press a print button; return the PDF that arrives."""
    answered = await leader.press(screen, label)
    assert answered["text"] == ZH.ANSWER_SLIPS_PRINTING
    await emulator.wait_for(lambda: bool(documents(leader, name)), timeout=60)
    return documents(leader, name)[-1].document or b""


async def open_with_slips(
    emulator: BotApiEmulator, leader: Person, count: int
) -> tuple[BotMessage, list[str]]:
    """/open 县财政局 <count>, then 🎫: return the leader's screen and the slips' codes as printed."""
    screen = await leader.send(f"/open 县财政局 {count}")
    assert screen is not None
    pdf = await print_slips(emulator, leader, screen, f"🎫 打印测评码（{count} 张）", f"{count}张.pdf")
    return screen, printed_codes(pdf)


async def answer_all(person: Person, welcome: BotMessage, answers: FormAnswers) -> None:
    """Press 开始 on the welcome, answer every question and submit."""
    await person.press(welcome, "开始")
    survey = welcome
    for index in range(16):
        survey = await answer_step(person, survey, index, answers)
    reply = await person.press(survey, "提交")
    assert reply.get("text") == "答卷已提交，感谢参与！"


async def test_open_with_slips_prints_forty_on_two_pages_once_and_more_on_request(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """/open 县财政局 40: no link, no poster; 🎫 sends 40 slips on 2 A4 pages, a double tap none; 补打 10."""
    screen = await leader.send("/open 县财政局 40")
    assert screen is not None
    assert screen.photo is None
    assert "凭测评码参加（一人一码）" in screen.text
    assert "start=" not in screen.text  # no link in a slips unit
    assert screen.labels() == [PRINT_40, "➕ 补打测评码", "🖨 空白纸质测评表", "📝 录入纸质表"]
    pdf = await print_slips(emulator, leader, screen, PRINT_40, "测评码_县财政局_40张.pdf")
    assert page_count(pdf) == 2
    codes = printed_codes(pdf)
    assert len(set(codes)) == 40
    assert "已打印测评码 40 张" in screen.text  # the screen, redrawn: no print button left to press twice
    assert screen.labels() == ["➕ 补打测评码", "🖨 空白纸质测评表", "📝 录入纸质表"]
    assert not documents(leader, "海报_县财政局.pdf")
    window = (await bot.services.repository.open_windows())[0]
    assert (window.slips, window.slips_issued) == (True, 40)
    rows = await bot.services.repository.fetchall(
        "SELECT check_hash FROM slips WHERE window_id = ?", (window.id,)
    )
    assert len(rows) == 40
    assert not any(code.replace("-", "").encode() in row[0] for code in codes for row in rows)

    # The old message's 🎫 pressed again (its data, as a double tap sends it): nothing is printed.
    before = len(documents(leader, ".pdf"))
    await leader.press_data(screen, f"tp:{window.id}:40:0")
    await emulator.wait_for(lambda: leader.last.text == ZH.SLIPS_ALREADY_PRINTED)
    assert len(documents(leader, ".pdf")) == before

    await leader.press(screen, "补打测评码")
    assert screen.labels() == ["10 张", "20 张", "50 张", "« 返回"]
    more = printed_codes(await print_slips(emulator, leader, screen, "10 张", "测评码_县财政局_10张.pdf"))
    assert len(more) == 10
    assert not set(more) & set(codes)
    reopened = await bot.services.repository.window(window.id)
    assert reopened is not None
    assert reopened.slips_issued == 50
    assert "累计已打印 50 张" in (documents(leader, "10张.pdf")[-1].text or "")


async def test_a_slip_lets_one_telegram_participant_answer_once_and_the_counts_add_up(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """A slip by deep link, one typed: two ballots; a used slip, a wrong code and the bare link say why not.

    Paper: 5 declared handed out, 1 counted 无效; the tally and the workbook say 共发放 8 份（测评码 3 张、
    纸质表 5 份）、收回 3 份、有效 2 份.
    """
    _, codes = await open_with_slips(emulator, leader, 3)
    first, second, third = Person(emulator, 801), Person(emulator, 802), Person(emulator, 803)
    welcome = await first.send(f"/start s_{codes[0].replace('-', '')}")  # the slip's small QR code
    assert welcome is not None
    assert welcome.labels() == ["开始"]
    answers = [varied_answers(seed) for seed in range(2)]
    await answer_all(first, welcome, answers[0])
    typed = await second.send(codes[1].lower().replace("-", " "))  # typed loosely, as from paper
    assert typed is not None
    await answer_all(second, typed, answers[1])

    used = await third.send(f"/start s_{codes[0].replace('-', '')}")
    assert used is not None
    assert used.text == "这张测评码已经使用过（县财政局），每张测评码只能用一次。"
    again = await third.send(codes[1])  # the typed slip, typed again by someone else
    assert again is not None
    assert "已经使用过" in again.text
    wrong = await third.send(codes[2][:-1] + ("2" if codes[2][-1] != "2" else "3"))  # one symbol off
    assert wrong is not None
    assert wrong.text.startswith("测评码不正确")
    window = (await bot.services.repository.open_windows())[0]
    bare = await third.send(f"/start {window.token}")  # the unit's link, never shown: no slip, no ballot
    assert bare is not None
    assert "凭测评码参加" in bare.text

    desk = await leader.send("/paper")
    assert desk is not None
    assert "📄 纸质表：已发放 0 份 · 无效 0 份" in desk.text
    await leader.press(desk, "纸质表份数")
    await leader.press(desk, "发放 +5")
    counted = await leader.press(desk, "无效 +1")
    assert counted["text"] == "已发放 5 份 · 无效 1 份"
    doubled = await leader.press_data(desk, f"pv:{window.id}:1:0:1")  # 无效 +1 drawn for 0, again
    assert doubled["text"].startswith("份数刚已变动")

    line = "共发放 8 份（测评码 3 张、纸质表 5 份）、收回 3 份、有效 2 份"
    live = await leader.send("/tally")
    assert live is not None
    assert line in live.text
    await leader.press(live, "结束测评")
    await leader.press(live, "确认结束")
    await emulator.wait_for(lambda: bool(documents(leader, ".xlsx")), timeout=30)
    assert line in live.text
    assert shown_counts(live.text) == []  # two ballots: fewer than k, no figures
    book = openpyxl.load_workbook(io.BytesIO(documents(leader, ".xlsx")[-1].document or b""))
    summary = [row[:2] for row in book["汇总"].iter_rows(values_only=True)]
    assert ("发放与收回", line) in summary
    assert await bot.services.repository.fetchall("SELECT * FROM slips") == []
