"""Issue 20's traps on a leader's day, each walked on the real bot: nothing lost, nothing duplicated."""

from __future__ import annotations

from bot.texts import ZH
from conversations.annex1 import ANNEX1
from conversations.annex2 import ANNEX2
from emulator import BotApiEmulator, BotMessage
from emulator.people import Person
from reports.localtime import local, now
from tests.e2e.conftest import ADMIN_ID, LEADER_ID, RunningBot
from tests.e2e.flows import answer_step, complete, link_token, open_unit, varied_answers


async def score_in_full(leader: Person, unit: str) -> BotMessage:
    """Score every item at its maximum and finalise the sheet (the leader is registered)."""
    sheet = await leader.send(f"/score {unit}")
    assert sheet is not None
    for item in ANNEX1.items:
        await leader.press(sheet, str(item.max_points))
    await leader.press(sheet, "定稿")
    await leader.press(sheet, "确认定稿")
    assert "定稿" in sheet.text
    assert sheet.labels() == ["📄 生成结果反馈"]
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
    assert overview.labels() == ["📄 生成结果反馈", "✎ 重新打开修改"]  # the report is still a draft

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
    assert final.labels() == ["📄 生成结果反馈"]

    seen = await admin.send("/write 县财政局")
    assert seen is not None
    assert "风险等级档案不全。" in seen.text
    assert seen.labels() == ["📄 生成结果反馈", "✎ 重新打开修改"]
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


async def test_a_closed_unit_is_final_and_a_second_round_is_asked_for_and_told_apart(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, admin: Person
) -> None:
    """/open of a closed unit opens nothing: it says the survey is final and shows its result.

    Issue 20, trap 1: it silently opened a second 县财政局, and every list showed two identical
    units. A second round opens only from the button that names it and its date, and from then
    on every picker, the unit list and the county summary say which round is which.
    """
    token = await open_unit(leader, "县财政局")
    for number in range(3):
        await complete(Person(emulator, 60 + number), token, varied_answers(number))
    confirm = await leader.send("/close 县财政局")
    assert confirm is not None
    await leader.press(confirm, "确认结束")
    await emulator.wait_for(lambda: (leader.last.document_name or "").endswith(".csv"), timeout=30)
    await emulator.settle()

    final = await leader.send("/open 县财政局")
    assert final is not None
    today = local(now(), bot.settings.survey_tz)
    assert final.text.startswith("县财政局 的民主测评已于 ")
    assert "结束，结果是最终的：共收到答卷 3 份，结果见下。" in final.text
    assert "请点下方按钮另开一轮（县财政局（第二轮）），与已结束的一轮分开统计。" in final.text
    assert final.labels() == [f"开启第二轮（{today.month}月{today.day}日）"]
    await emulator.wait_for(lambda: "最终结果" in leader.last.text)  # the closed survey's result follows
    assert len(await bot.services.repository.windows_of(LEADER_ID)) == 1  # nothing was opened

    data = final.button(f"开启第二轮（{today.month}月{today.day}日）").callback_data
    opened = await leader.press(final, "开启第二轮")
    assert "text" not in opened or not opened["text"]
    assert not final.buttons  # the confirmation is spent
    await emulator.wait_for(lambda: leader.last.document_name == "测评二维码海报_县财政局.pdf")
    caption = next(m for m in reversed(leader.messages) if m.photo is not None)
    assert caption.text.startswith("县财政局（第二轮） 的民主测评已开始。")
    assert data is not None
    await leader.press_data(final, data)  # pressed again: nothing more is opened, the link again
    poster = "测评二维码海报_县财政局.pdf"  # the first round's, then the second's twice
    await emulator.wait_for(lambda: [m.document_name for m in leader.messages].count(poster) == 3, timeout=30)
    again = next(m for m in reversed(leader.messages) if m.photo is not None)
    assert again.text.startswith("（此单位的测评已在进行中，以下为原链接。）")
    assert len(await bot.services.repository.windows_of(LEADER_ID)) == 2

    day = f"{today.year}-{today.month:02d}-{today.day:02d}"
    picker = await leader.send("/score")
    assert picker is not None
    assert picker.labels() == [f"县财政局（第二轮） · {day}", f"县财政局 · {day}"]
    named = await leader.send("/report 县财政局")
    assert named is not None
    assert named.labels() == [f"县财政局（第二轮） · {day}", f"县财政局 · {day}"]  # a name means both rounds
    units = await leader.send("/units")
    assert units is not None
    assert "县财政局（第二轮）：0 份" in units.text
    assert "县财政局：3 份" in units.text
    export = await admin.send("/export 县财政局")
    assert export is not None
    assert len(export.labels()) == 2
    assert export.labels()[0].startswith("县财政局（第二轮） · ")
    summary = await admin.send("/summary")
    assert summary is not None
    assert "县财政局（第二轮）｜" in summary.text
    assert "县财政局｜" in summary.text


async def test_closing_names_the_forms_being_keyed_lets_the_leader_wait_and_tells_the_keyer(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """/close while a member's paper form is at its review: the question says so, the member is told.

    Issue 20, trap 4: the confirmation counted the stored ballots only and the form keyed but not
    yet stored was lost without a word. The leader waits (⏳ 等待录入) until it is in; a form a
    close does cut off is told to its keyer.
    """
    await open_unit(leader, "县财政局")
    desk = await leader.send("/paper")
    assert desk is not None
    await leader.press(desk, "邀请组员录入")
    await emulator.wait_for(lambda: "协助录入的检查组成员" in leader.last.text)
    member = Person(emulator, 901, first_name="组员")
    form = await member.send(f"/start {link_token(leader.last)}")
    assert form is not None
    await member.press(form, "开始录入")
    answers = varied_answers(3)
    for index in range(ANNEX2.size):
        form = await answer_step(member, form, index, answers)
    assert "请与纸质表核对" in form.text  # keyed, not stored

    closing = await leader.send("/close 县财政局")
    assert closing is not None
    assert "已收到答卷：0 份" in closing.text
    assert (
        "⚠ 还有 1 份纸质表正在录入，尚未录入完成（其中 1 份已在核对页，只差点“录入此份”）。"
        "现在结束，这些表将不能再录入。可等录入完成后再结束：点“⏳ 等待录入”查看最新情况。"
    ) in closing.text
    assert closing.labels() == ["⏳ 等待录入", "确认结束", "取消"]
    await emulator.wait_for(lambda: "组长准备结束" in member.last.text)
    assert member.last.text == (
        "组长准备结束 县财政局 的民主测评。您正在录入的纸质表尚未录入，请尽快核对并点“录入此份”。"
    )
    stored = await member.press(form, "录入此份")
    assert stored.get("text") == "已录入"
    await leader.press(closing, "⏳ 等待录入")
    assert "已收到答卷：1 份" in closing.text
    assert "正在录入" not in closing.text
    assert closing.labels() == ["确认结束", "取消"]

    await member.press(form, "录入下一份")
    await answer_step(member, form, 0, answers)  # the next form, begun: a close cuts it off
    closing = await leader.send("/close 县财政局")
    assert closing is not None
    assert "⚠ 还有 1 份纸质表正在录入，尚未录入完成。" in closing.text
    await leader.press(closing, "确认结束")
    await emulator.wait_for(lambda: "已结束" in member.last.text)
    assert member.last.text == (
        "县财政局 的民主测评已结束，您正在录入的一份纸质表未能录入，不计入结果。请将这份纸质表交给组长。"
    )
    window = (await bot.services.repository.windows_of(LEADER_ID))[0].window
    assert await bot.services.repository.ballot_count(window.id) == 1


async def test_a_leaders_text_with_nothing_pending_gets_a_leaders_hint(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Issue 20, trap 7: a leader's stray text says what a leader can do, not the participants' QR hint."""
    await open_unit(leader, "县财政局")
    reply = await leader.send("县财政局什么时候结束？")
    assert reply is not None
    assert reply.text == ZH.LEADER_NOTHING_PENDING
    assert ZH.NO_SURVEY not in reply.text
    participant = await Person(emulator, 4321).send("你好")
    assert participant is not None
    assert participant.text == ZH.NO_SURVEY  # anyone else still gets the participants' hint
