"""Everything that names a leader's or an admin's next step is a button, never a command to type."""

from __future__ import annotations

from bot.texts import ZH
from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import link_token, open_unit
from tests.e2e.test_scoring_flow import scored_unit


async def test_after_each_finalising_the_feedback_report_is_a_button(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """The finalised score sheet and the finalised feedback text each end with 📄 生成结果反馈, not a command.

    Pressing it sends the report; a draft's report offers 📄 重新生成 beside what is missing.
    """
    sheet = await scored_unit(emulator, leader)
    await leader.send("/me 张三 第一检查组")
    await leader.press(sheet, "定稿")
    await leader.press(sheet, "确认定稿")
    assert "由 张三（第一检查组） 定稿" in sheet.text
    assert sheet.labels() == [ZH.REPORT_BUTTON]

    walk = await leader.send("/write 县财政局")
    assert walk is not None
    overview = await leader.send("党组高度重视。")
    assert overview is not None
    for _ in range(3):
        await leader.press(overview, ZH.WRITE_SKIP)
    await leader.press(overview, ZH.WRITE_FINALISE)
    await leader.press(overview, ZH.WRITE_CONFIRM_BUTTON)
    assert "已定稿。" in overview.text
    assert "/report" not in overview.text
    assert overview.labels() == [ZH.REPORT_BUTTON, ZH.WRITE_REOPEN]  # a draft report: the text reopens

    before = len(leader.messages)
    await leader.press(overview, ZH.REPORT_BUTTON)
    await emulator.wait_for(lambda: bool(leader.last.document))
    report = leader.messages[before]
    assert report.text.startswith("县财政局 检查考核结果")
    assert "/report" not in report.text  # still open: a draft, made again by a button
    assert ZH.REPORT_AGAIN_BUTTON in report.labels()
    assert leader.last.document_name == "检查考核结果反馈_县财政局_草稿.docx"
    count = len(leader.messages)
    await leader.press(report, ZH.REPORT_AGAIN_BUTTON)
    await emulator.wait_for(lambda: len(leader.messages) >= count + 2 and bool(leader.last.document))
    assert leader.last.document_name == "检查考核结果反馈_县财政局_草稿.docx"


async def test_group_reports_are_made_again_and_picked_by_buttons(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, other_leader: Person, admin: Person
) -> None:
    """Saved conclusions offer 📄 重新生成总结报告; an admin's bare /groupreport lists groups as buttons."""
    await leader.send("/me 张三 第一检查组")
    await open_unit(leader, "县财政局")
    await other_leader.send("/me 李四 第二检查组")
    await open_unit(other_leader, "县审计局")

    report = await leader.send("/groupreport")
    assert report is not None
    await leader.press(report, ZH.GROUP_CONCLUSIONS_BUTTON)
    await emulator.wait_for(lambda: "结论和建议" in leader.last.text)
    saved = await leader.send("两个单位总体较好，档案管理需加强。")
    assert saved is not None
    assert saved.text == ZH.GROUP_SAVED
    assert "/groupreport" not in saved.text
    await leader.press(saved, ZH.GROUP_AGAIN_BUTTON)
    await emulator.wait_for(lambda: bool(leader.last.document) and leader.last is not report)
    assert leader.last.document_name == "检查考核总结报告_第一检查组.docx"

    pick = await admin.send("/groupreport")
    assert pick is not None
    assert pick.text == ZH.GROUP_PICK
    assert pick.labels() == ["第一检查组", "第二检查组"]
    await admin.press(pick, "第二检查组")
    await emulator.wait_for(lambda: bool(admin.last.document))
    assert admin.last.document_name == "检查考核总结报告_第二检查组.docx"
    assert not admin.last.buttons  # the conclusions are the group's own to write


async def test_an_invited_leader_is_revoked_from_leaders_with_a_confirmation(
    bot: RunningBot, emulator: BotApiEmulator, admin: Person
) -> None:
    """/leaders has 撤销 beside each invited leader; 取消 keeps, 确认撤销 revokes; /revoke lists them."""
    invite = await admin.send("/invite")
    assert invite is not None
    newcomer = Person(emulator, 4242, first_name="新组长")
    await newcomer.send(f"/start {link_token(invite)}")

    listing = await admin.send("/leaders")
    assert listing is not None
    assert listing.labels() == [ZH.REVOKE_BUTTON.format(name="新组长")]
    await admin.press(listing, ZH.REVOKE_BUTTON.format(name="新组长"))
    assert listing.text == ZH.REVOKE_CONFIRM.format(name="新组长", id=4242).replace("<b>", "").replace(
        "</b>", ""
    )
    await admin.press(listing, ZH.CANCEL_CLOSE_BUTTON)
    assert listing.text == ZH.REVOKE_KEPT.format(name="新组长", id=4242)
    still = await newcomer.send("/units")
    assert still is not None
    assert still.text != ZH.NOT_A_LEADER

    picker = await admin.send("/revoke")
    assert picker is not None
    assert picker.text == ZH.REVOKE_PICK
    await admin.press(picker, ZH.REVOKE_BUTTON.format(name="新组长"))
    await admin.press(picker, ZH.REVOKE_CONFIRM_BUTTON)
    assert picker.text == ZH.REVOKED.format(id=4242)
    after = await newcomer.send("/units")
    assert after is not None
    assert after.text == ZH.NOT_A_LEADER
    none_left = await admin.send("/revoke")
    assert none_left is not None
    assert none_left.text == ZH.REVOKE_NONE
    assert not none_left.buttons


async def test_a_unit_name_typed_wrong_offers_the_units_as_buttons(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """/tally 财政局 for 县财政局: not 'use /units', but the units it could mean, one press away."""
    await open_unit(leader, "县财政局")
    wrong = await leader.send("/tally 财政局")
    assert wrong is not None
    assert wrong.text == ZH.NO_SUCH_UNIT_PICK.format(unit="财政局", prompt=ZH.PICK_UNIT_TALLY)
    assert "/units" not in wrong.text
    assert wrong.labels() == ["县财政局"]
    await leader.press(wrong, "县财政局")
    assert wrong.text.startswith("县财政局 民主测评统计（进行中）")
