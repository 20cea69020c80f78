"""Issue 20's traps on a leader's day, each walked on the real bot: nothing lost, nothing duplicated."""

from __future__ import annotations

from conversations.annex1 import ANNEX1
from emulator import BotApiEmulator, BotMessage
from emulator.people import Person
from tests.e2e.conftest import ADMIN_ID, LEADER_ID, RunningBot
from tests.e2e.flows import open_unit


async def score_in_full(leader: Person, unit: str) -> BotMessage:
    """Score every item at its maximum and finalise the sheet (the leader is registered)."""
    sheet = await leader.send(f"/score {unit}")
    assert sheet is not None
    for item in ANNEX1.items:
        await leader.press(sheet, str(item.max_points))
    await leader.press(sheet, "定稿")
    await leader.press(sheet, "确认定稿")
    assert "定稿" in sheet.text
    assert not sheet.buttons
    return sheet


async def score_and_close(emulator: BotApiEmulator, leader: Person, unit: str) -> None:
    """Finalise the score sheet, then close the unit and wait for its results to arrive."""
    await score_in_full(leader, unit)
    confirm = await leader.send(f"/close {unit}")
    assert confirm is not None
    await leader.press(confirm, "确认结束")
    await emulator.wait_for(lambda: (leader.last.document_name or "").endswith(".csv"), timeout=30)
    await emulator.settle()


async def test_write_names_empty_sections_and_a_final_text_reopens(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, admin: Person
) -> None:
    """定稿 with nothing written is refused, with some sections empty names them; a final text reopens.

    Issue 20, trap 3: every section empty could be finalised, and then nothing could change. Its
    leader reopens it while the 结果反馈 is a draft; once that is final, an admin does, recorded,
    and the leader is told.
    """
    await open_unit(leader, "县财政局")
    await leader.send("/me 张三 第一检查组")
    walk = await leader.send("/write 县财政局")
    assert walk is not None
    for _ in range(4):
        await leader.press(walk, "跳过 ➡")
    refused = await leader.press(walk, "📝 定稿")
    assert refused["text"] == "四个部分都还没有填写，不能定稿。请先填写肯定成绩、存在不足、改进意见。"
    assert refused["show_alert"] == "true"
    assert "确认定稿" not in walk.text

    await leader.press(walk, "✎ 肯定成绩")
    overview = await leader.send("党组高度重视。")
    assert overview is not None
    for _ in range(3):
        await leader.press(overview, "跳过 ➡")
    await leader.press(overview, "📝 定稿")
    empty = "以下部分尚未填写：存在不足、改进意见、好经验好做法。定稿后，结果反馈中这些部分将为空。"
    assert empty in overview.text
    assert overview.labels() == ["✎ 存在不足", "✎ 改进意见", "✎ 好经验好做法", "确认定稿", "取消"]
    await leader.press(overview, "确认定稿")
    assert "已定稿" in overview.text
    assert overview.labels() == ["✎ 重新打开修改"]  # the report is still a draft

    reopened = await leader.press(overview, "✎ 重新打开修改")
    assert reopened["text"] == "已重新打开，修改后请再次定稿。"
    assert "由组长重新打开" in overview.text
    assert "请发送“存在不足”" in overview.text  # the walk resumes at the first empty section
    overview = await leader.send("风险等级档案不全。")
    assert overview is not None
    for _ in range(2):
        await leader.press(overview, "跳过 ➡")
    await leader.press(overview, "📝 定稿")
    await leader.press(overview, "确认定稿")

    await score_and_close(emulator, leader, "县财政局")
    final = await leader.send("/write 县财政局")
    assert final is not None
    assert "结果反馈已定稿。如需修改这部分文字，请联系县廉效办管理员重新打开。" in final.text
    assert not final.buttons

    seen = await admin.send("/write 县财政局")
    assert seen is not None
    assert "风险等级档案不全。" in seen.text
    assert seen.labels() == ["✎ 重新打开修改"]
    await admin.press(seen, "✎ 重新打开修改")
    await emulator.wait_for(lambda: "县廉效办管理员已重新打开" in leader.last.text)
    assert leader.last.text == (
        "县廉效办管理员已重新打开 县财政局 的结果反馈文字。发送 /write 县财政局 修改，改好后请再次定稿。"
    )
    again = await leader.send("/write 县财政局")
    assert again is not None
    assert "由县廉效办管理员重新打开" in again.text
    assert "请发送“改进意见”" in again.text  # open again: the walk resumes at the first empty section
    writings = await bot.services.repository.writings(1)
    assert [(r.user_id, r.by_admin) for r in writings.reopenings] == [(LEADER_ID, False), (ADMIN_ID, True)]
