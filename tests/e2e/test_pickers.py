"""A leader's day without typing names: every command that takes a unit offers the caller's units."""

from __future__ import annotations

import pytest

from emulator import BotApiEmulator, BotMessage
from emulator.people import Person
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import complete, open_unit, varied_answers

# command, the picker's prompt, and what picking 县财政局 shows (in the picker or a new message)
UNIT_COMMANDS = [
    ("/tally", "请选择要查看统计的单位：", "县财政局 民主测评统计（进行中）"),
    ("/close", "请选择要结束测评的单位：", "确认结束 县财政局 的民主测评？"),
    ("/chart", "请选择要生成图表的单位：", "县财政局 民主测评图表（进行中）"),
    ("/export", "请选择要导出的单位：", "县财政局 民主测评汇总（进行中）"),
    ("/score", "请选择要评分的单位（附件1）：", "县财政局 · 检查评分（附件1）　第 1/25 项"),
    ("/report", "请选择要查看检查考核结果的单位：", "县财政局 检查考核结果（供结果反馈）"),
    ("/write", "请选择要撰写结果反馈的单位：", "县财政局 结果反馈：组长撰写部分"),
    ("/paper", "请选择要录入纸质测评表的单位（进行中）：", "县财政局 纸质测评表录入"),
]


async def two_units(emulator: BotApiEmulator, leader: Person, *, ballots: int = 6) -> None:
    """Open 县财政局 (six ballots: the first batch shows while the newest is held back), then 县审计局."""
    token = await open_unit(leader, "县财政局")
    for number in range(ballots):
        await complete(Person(emulator, 500 + number), token, varied_answers(number))
    await open_unit(leader, "县审计局")


def shown_after(leader: Person, picker: BotMessage, before: int) -> str:
    """Return what the pick showed: the picker edited in place, else the newest messages' text."""
    newer = leader.messages[before:]
    return "\n".join([picker.text, *(m.text for m in newer)])


@pytest.mark.parametrize("case", UNIT_COMMANDS, ids=[case[0] for case in UNIT_COMMANDS])
async def test_every_unit_command_offers_the_callers_units(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, case: tuple[str, str, str]
) -> None:
    """Without a name, the command lists the caller's units as buttons; a tap does the command's work."""
    command, prompt, result = case
    # Only a chart needs figures to draw; the other commands act on the unit as it is.
    await two_units(emulator, leader, ballots=6 if command == "/chart" else 0)
    picker = await leader.send(command)
    assert picker is not None
    assert picker.text == prompt
    assert picker.labels() == ["县审计局", "县财政局"]  # the newest first
    before = len(leader.messages)
    await leader.press(picker, "县财政局")
    await emulator.wait_for(lambda: result in shown_after(leader, picker, before), timeout=30)


async def test_pickers_are_refused_to_others_and_name_the_leader_for_admins(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, other_leader: Person, admin: Person
) -> None:
    """A forged pick on someone else's unit changes nothing; an admin's picker says whose unit it is."""
    await two_units(emulator, leader)
    await leader.send("/me 张三 第一检查组")
    await open_unit(other_leader, "县财政局")
    picker = await admin.send("/report")
    assert picker is not None
    assert picker.labels() == [
        "县财政局 · 另一组长（未登记姓名）",
        "县审计局 · 张三（第一检查组）",
        "县财政局 · 张三（第一检查组）",
    ]
    mine = await leader.send("/score")
    assert mine is not None
    data = mine.button("县财政局").callback_data
    assert data is not None
    for person in (other_leader, admin):
        refused = await person.press_data(mine, data)
        assert refused["text"] == "只有开启该单位测评的组长可以评分。"
    theirs = await other_leader.send("/score")  # one unit: no question, straight to its sheet
    assert theirs is not None
    assert "县财政局 · 检查评分（附件1）" in theirs.text


async def test_open_from_the_menu_explains_itself_with_recent_units(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """/open with no name (as the menu sends it) says what it does and suggests the leader's units."""
    first = await leader.send("/open")
    assert first is not None
    assert first.text.startswith("开启测评（点按例子可复制）\n• 凭测评码（一人一码）：/open 单位名称 张数")
    assert "例如：/open 县财政局 40" in first.text
    assert "例如：/open 县财政局 25人" in first.text
    assert "最近的单位" not in first.text
    await two_units(emulator, leader)
    live = await leader.send("/close 县财政局")
    assert live is not None
    await leader.press(live, "确认结束")
    # the close delivers its files first; /open's answer is the message after them
    await emulator.wait_for(lambda: leader.last.document_name == "民主测评_县财政局_答卷.csv", timeout=30)
    again = await leader.send("/open")
    assert again is not None
    assert "例如：/open 县审计局 40" in again.text
    assert "您最近的单位：\n/open 县审计局 · 🟢 进行中\n/open 县财政局" in again.text
    assert "<code>/open 县财政局</code>" in again.html
