"""From /open to a graded unit report in the bot alone, and the county summary for admins."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from docx import Document

from conversations.annex1 import ANNEX1
from emulator import BotApiEmulator, BotMessage
from emulator.people import Person
from reports.county import HEADER
from reports.localtime import local, now
from tests.e2e.conftest import LEADER_ID, OTHER_LEADER_ID, RunningBot
from tests.e2e.flows import complete, open_unit, varied_answers
from tests.paper_samples import photo_bytes

LOST = {"s3_1": 8, "s4_1a": 4, "s5_2": 2}  # 100 - 14 = 86, 良好
REASONS = {"s3_1": "未划分风险岗位，无档案", "s5_2": "资料未分类汇编"}  # s4_1a's is skipped


async def send_photo(person: Person, file_id: str) -> BotMessage:
    """Send a photo as a phone does; return the bot's reply."""
    body = person.message_json("")
    del body["text"]
    body["photo"] = [{"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960}]
    return await person.send_update("message", body)


async def scored_unit(emulator: BotApiEmulator, leader: Person) -> BotMessage:
    """Open 县财政局, collect six ballots, and score all 25 items (86, 良好) without finalising.

    Each item scored below its maximum asks for the reason: two get one (the first with two
    photos from the on-site check), one is left without.
    """
    token = await open_unit(leader, "县财政局")
    for number in range(6):  # two batches: an open tally shows the first
        await complete(Person(emulator, 40 + number), token, varied_answers(number))
    sheet = await leader.send("/score 县财政局")
    assert sheet is not None
    assert "第 1/25 项" in sheet.text
    assert "（一）建立廉政风险防范机制安排部署情况（14分）：本部分 0/14 分" in sheet.text
    assert sheet.labels() == ["0", "1", "2", "3", "4", "📝 理由/照片"]
    for item in ANNEX1.items:
        await leader.press(sheet, str(item.max_points - LOST.get(item.id, 0)))
        if item.id not in LOST:
            continue
        assert "扣分理由与照片" in sheet.text
        assert f"得分：{item.max_points - LOST[item.id]}/{item.max_points}" in sheet.text
        if item.id == "s3_1":
            for photo in ("site-photo-1", "site-photo-2"):
                emulator.files[photo] = photo_bytes(1280, 960)
                added = await send_photo(leader, photo)
                assert "已附照片" in added.text
        if item.id in REASONS:
            reply = await leader.send(REASONS[item.id])
            assert reply is not None
            assert reply.text.startswith("已记录扣分理由。")
            await leader.press(reply, "完成 ➡")  # the item stays open for photos until 完成
            sheet = reply
        else:
            await leader.press(sheet, "完成 ➡")
    assert "合计：86/100　等级：良好" in sheet.text
    assert "（三）廉政风险等级划分情况（12分）：4/12" in sheet.text
    assert "理由：未划分风险岗位，无档案　📷 2" in sheet.text
    assert "⚠ 未填扣分理由" in sheet.text  # s4_1a
    return sheet


async def test_a_photo_after_the_reason_stays_with_its_item(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """The reason first, then the photo (and one more just after 完成): both go to that item.

    Issue 20, trap 2: the reason moved straight on to the next item and the photo that followed
    got a hint instead of being kept.
    """
    await open_unit(leader, "县财政局")
    sheet = await leader.send("/score 县财政局")
    assert sheet is not None
    await leader.press(sheet, "2")  # item 1 of 4 points: 2 lost, its reason and photos are asked
    assert "扣分理由与照片" in sheet.text
    reply = await leader.send("未明确专人负责")
    assert reply is not None
    assert reply.text.startswith("已记录扣分理由。可继续发送本项的照片；点“完成”返回评分表。")
    assert "当前理由：未明确专人负责" in reply.text
    assert reply.labels() == ["✎ 修改理由", "完成 ➡"]
    emulator.files["after-reason"] = photo_bytes(1280, 960)
    added = await send_photo(leader, "after-reason")
    assert added.text == "已附照片到第 1 项“成立廉政风险防范机制建设工…”：此项共 1 张。"
    assert "请用测评消息下方的按钮作答" not in added.text
    await leader.press(reply, "完成 ➡")
    assert "第 2/25 项" in reply.text
    emulator.files["after-done"] = photo_bytes(1280, 960)
    late = await send_photo(leader, "after-done")
    assert late.text == "已附照片到第 1 项“成立廉政风险防范机制建设工…”：此项共 2 张。"
    notes = await bot.services.repository.item_notes(1)
    assert notes.photos == {"s1_1": ["after-reason", "after-done"]}
    assert notes.reasons == {"s1_1": "未明确专人负责"}


async def test_score_and_finalise_once(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, other_leader: Person
) -> None:
    """The leader scores 25 items and finalises once; nobody can change it after, or score another's unit."""
    sheet = await scored_unit(emulator, leader)
    asked = await leader.press(sheet, "定稿")
    assert asked["text"].startswith("定稿前请先登记您的真实姓名和检查组：发送 /me 姓名 检查组")
    assert asked["show_alert"] == "true"
    assert "确认定稿" not in sheet.text
    usage = await leader.send("/me 张三")
    assert usage is not None
    assert usage.text.startswith("用法：/me 姓名 检查组")
    registered = await leader.send("/me 张三 第一检查组")
    assert registered is not None
    assert registered.text.startswith("已登记：张三（第一检查组）")
    await leader.press(sheet, "定稿")
    assert "确认定稿" in sheet.text
    await leader.press(sheet, "确认定稿")
    assert "由 张三（第一检查组） 定稿" in sheet.text
    renamed = await leader.send("/me 李四 第二检查组")
    assert renamed is not None
    assert (
        "由 张三（第一检查组） 定稿" in (await leader.send("/score 县财政局") or sheet).text
    )  # a record keeps its name
    assert sheet.labels() == ["📄 生成结果反馈"]  # the next step, and no more points
    again = await leader.send("/score 县财政局")
    assert again is not None
    assert "定稿" in again.text
    assert again.labels() == ["📄 生成结果反馈"]
    late = await leader.press_data(sheet, "Sp:1:3:0")
    assert late["text"] == "此评分表已定稿，不能再修改。"
    assert "86/100" in sheet.text

    forged = await other_leader.press_data(sheet, "ss:1")
    assert forged["text"] == "只有开启该单位测评的组长可以评分。"
    theirs = await other_leader.send("/score 县财政局")
    assert theirs is not None
    assert "您还没有开启任何测评" in theirs.text  # nothing of theirs, and nothing of anyone else


async def assert_a_draft_with_the_photos(
    emulator: BotApiEmulator, leader: Person, report: BotMessage
) -> None:
    """Still open, sections not written: a draft, what is missing said, a button to write them.

    The draft's 附件1 is the notice's table, the reasons and photo figures in 检查情况; the photos
    are fetched from the Bot API into 附件3.
    """
    assert "这是草稿，不能打印或转发。定稿还差：" in report.text
    assert "· 肯定成绩、存在不足、改进意见尚未定稿" in report.text
    assert "· 民主测评尚未结束（/close 县财政局）" in report.text
    assert "评分" not in "".join(report.text.split("定稿还差：")[1].splitlines()[:3])
    assert [b.text for row in report.buttons for b in row] == ["去填写反馈意见", "📄 重新生成"]
    await emulator.wait_for(lambda: bool(leader.last.document))
    assert leader.last.document_name == "检查考核结果反馈_县财政局_草稿.docx"
    assert "可直接打印或转发" not in leader.last.text
    document = Document(io.BytesIO(leader.last.document or b""))
    assert "".join(p.text for p in document.sections[0].header.paragraphs) == "草稿"
    assert "关于县财政局建立廉政风险防范机制工作" in document.paragraphs[0].text
    score_rows = [tuple(c.text for c in row.cells) for row in document.tables[0].rows]
    assert ("合计", "合计", "合计", "86") in score_rows
    assert ("等级", "等级", "等级", "良好") in score_rows
    section3 = ANNEX1.sections[2].title
    assert (
        section3,
        "1、按要求划分一、二、三级风险岗位，有档案 8分",
        "未划分风险岗位，无档案\n照片见附件3 图1、图2",
        "0",
    ) in score_rows
    criterion = "1、前期预防措施：制定《廉政风险防控图》，在单位显要位置和科室上墙公开 5分"
    assert (ANNEX1.sections[3].title, criterion, "（未填写扣分理由）", "1") in score_rows
    body = "\n".join(p.text for p in document.paragraphs)
    assert "共收回测评表 6 份" in body
    assert "测评结束后提供" in body  # still open: no suggestions yet
    assert "第一检查组\n组长：张三\n" in body
    assert "图2　（三）1、按要求划分一、二、三级风险岗位，有档案（第 2 张，共 2 张）" in body
    assert len(document.inline_shapes) == 3 + 2  # the chart's three parts, the two photos of 三 1


async def test_unit_report_and_county_summary(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, other_leader: Person, admin: Person
) -> None:
    """/report joins the score and the evaluation; /summary (admins only) lists every unit."""
    sheet = await scored_unit(emulator, leader)
    await leader.send("/me 张三 第一检查组")
    await leader.press(sheet, "定稿")
    await leader.press(sheet, "确认定稿")
    report = await leader.send("/report 县财政局")
    assert report is not None
    assert "检查评分：86/100，等级 良好" in report.text
    assert "收到答卷 6 份" in report.text
    assert "最需改进（前三）" in report.text
    await assert_a_draft_with_the_photos(emulator, leader, report)

    await open_unit(other_leader, "县审计局")
    summary = await admin.send("/summary")
    assert summary is not None
    assert "全县检查考核汇总" in summary.text
    assert "县财政局｜张三（第一检查组）｜6 份" in summary.text
    assert "86/100 良好" in summary.text
    assert "县审计局｜另一组长（未登记姓名）｜0 份｜满意率 —｜未评分" in summary.text
    assert "良好 1" in summary.text
    await emulator.wait_for(lambda: bool(admin.last.document))
    data = admin.last.document or b""
    assert b"autoFilter" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    county = list(openpyxl.load_workbook(io.BytesIO(data))["全县汇总"].iter_rows(values_only=True))
    table = county[county.index(HEADER) + 1 :]
    today = local(now(), bot.settings.survey_tz).date()
    when = f"{today.year}年{today.month}月{today.day}日"
    assert ("县财政局", when, "第一检查组", "张三", "进行中", 6) in [row[:6] for row in table]
    assert county[1][2:7] == ("优秀", "良好", "合格", "不合格", "未定稿")
    assert county[2][2:7] == (0, 1, 0, 0, 1)
    leaders = await admin.send("/leaders")
    assert leaders is not None
    assert f"• 张三（第一检查组） · {LEADER_ID}（配置文件）" in leaders.text
    assert f"• ⚠ 未登记姓名 · {OTHER_LEADER_ID}（配置文件）" in leaders.text
    assert "尚未用 /me 登记姓名和检查组：1 人" in leaders.text
    refused = await leader.send("/summary")
    assert refused is not None
    assert refused.text == "此命令仅供县廉效办管理员使用。"


async def test_sections_written_in_a_guided_walk_reach_the_report(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, other_leader: Person
) -> None:
    """/write walks the four sections in turn; each is editable until final, then printed in the report."""
    await scored_unit(emulator, leader)
    await leader.send("/me 张三 第一检查组")
    walk = await leader.send("/write 县财政局")
    assert walk is not None
    assert "请发送“肯定成绩”" in walk.text
    step = await leader.send("党组高度重视，成立了领导小组。\n风险点排查全面。")
    assert step is not None
    assert "请发送“存在不足”" in step.text
    await leader.press(step, "跳过 ➡")
    assert "请发送“改进意见”" in step.text
    step = await leader.send("一是完善风险岗位档案；二是防控图上墙。")
    assert step is not None
    assert "请发送“好经验好做法”" in step.text
    overview = await leader.send("建立廉政风险电子监察系统。")
    assert overview is not None
    assert "<b>存在不足</b>：（未填写）" in overview.html or "存在不足：（未填写）" in overview.text
    await leader.press(overview, "✎ 存在不足")
    assert "请发送“存在不足”" in overview.text
    overview = await leader.send("风险等级档案不全。")
    assert overview is not None
    assert "存在不足：风险等级档案不全。" in overview.text
    refused = await other_leader.press_data(overview, "wf:1")
    assert refused["text"] == "只有开启该单位测评的组长可以填写。"
    await leader.press(overview, "📝 定稿")
    await leader.press(overview, "确认定稿")
    assert "已定稿" in overview.text
    assert overview.labels() == ["📄 生成结果反馈", "✎ 重新打开修改"]  # a draft report: its leader may reopen
    late = await leader.press_data(overview, "wk:1:0")
    assert "已定稿" in (late.get("text") or overview.text)

    await leader.send("/report 县财政局")
    await emulator.wait_for(lambda: bool(leader.last.document))
    body = "\n".join(p.text for p in Document(io.BytesIO(leader.last.document or b"")).paragraphs)
    assert "党组高度重视，成立了领导小组。\n风险点排查全面。" in body
    assert "风险等级档案不全。" in body
    assert "一是完善风险岗位档案；二是防控图上墙。" in body


async def test_group_report_with_conclusions_for_the_leader_and_admins(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, admin: Person
) -> None:
    """/groupreport: the leader's units in one Word summary; ✎ 结论和建议 is kept; admins pick any group."""
    sheet = await scored_unit(emulator, leader)
    await leader.send("/me 张三 第一检查组")
    await leader.press(sheet, "定稿")
    await leader.press(sheet, "确认定稿")
    await open_unit(leader, "县审计局")
    walk = await leader.send("/write 县财政局")
    assert walk is not None
    for _ in range(3):
        await leader.press(walk, "跳过 ➡")
    await leader.send("县财政局建立廉政风险电子监察系统。")

    report = await leader.send("/groupreport")
    assert report is not None
    assert report.document_name == "检查考核总结报告_第一检查组.docx"
    assert "2 个单位" in report.text
    await leader.press(report, "✎ 结论和建议")
    await emulator.wait_for(lambda: "结论和建议" in leader.last.text)
    saved = await leader.send("两个单位总体较好，档案管理需加强。")
    assert saved is not None
    assert "已保存结论和建议" in saved.text

    by_admin = await admin.send("/groupreport 第一检查组")
    assert by_admin is not None
    document = Document(io.BytesIO(by_admin.document or b""))
    body = "\n".join(p.text for p in document.paragraphs)
    units = [tuple(c.text for c in row.cells) for row in document.tables[0].rows]
    assert units[1][1:5] == ("县财政局", units[1][2], "86", "良好")
    assert units[2][1] == "县审计局"
    assert units[2][4] == "未定稿"
    assert "县财政局建立廉政风险电子监察系统。" in body
    assert "两个单位总体较好，档案管理需加强。" in body
    assert "组长：张三" in body
    unknown = await admin.send("/groupreport 第九检查组")
    assert unknown is not None
    assert "没有找到检查组“第九检查组”" in unknown.text
    usage = await admin.send("/groupreport")
    assert usage is not None
    assert usage.labels() == ["第一检查组"]


async def test_a_report_before_scoring_is_a_marked_draft_and_a_finished_one_is_final(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """/report before /score lists what is missing, with buttons to score and write; its file is a draft.

    Once closed, scored, written and named, the same command gives the final paper, captioned
    for forwarding, with no draft mark; a photo the Bot API no longer has is named as missing.
    """
    token = await open_unit(leader, "县财政局")
    for number in range(3):
        await complete(Person(emulator, 60 + number), token, varied_answers(number))
    report = await leader.send("/report 县财政局")
    assert report is not None
    missing = report.text.split("定稿还差：")[1]
    for line in (
        "检查评分尚未开始",
        "肯定成绩、存在不足、改进意见尚未定稿",
        "民主测评尚未结束",
        "组长姓名尚未登记",
    ):
        assert line in missing
    assert [b.text for row in report.buttons for b in row] == ["去评分", "去填写反馈意见", "📄 重新生成"]
    assert "/score" not in report.text  # 去评分 is the way there
    await emulator.wait_for(lambda: bool(leader.last.document))
    draft = leader.last
    assert draft.document_name == "检查考核结果反馈_县财政局_草稿.docx"
    assert "草稿" in draft.text
    assert "可直接打印或转发" not in draft.text

    await leader.press(report, "去评分")
    assert "第 1/25 项" in report.text
    sheet = report
    for index, item in enumerate(ANNEX1.items):
        await leader.press(sheet, str(item.max_points - (index == 0)))
        if index == 0:
            await send_photo(leader, "a-photo-gone-since")  # never served by the Bot API
            sheet = await leader.send("机构未明确专人") or sheet
            await leader.press(sheet, "完成 ➡")  # the item stays open for photos until 完成
    await leader.send("/me 张三 第一检查组")
    await leader.press(sheet, "定稿")
    await leader.press(sheet, "确认定稿")
    walk = await leader.send("/write 县财政局")
    assert walk is not None
    overview = await leader.send("党组高度重视。")
    for _ in range(3):
        assert overview is not None
        await leader.press(overview, "跳过 ➡")
    assert overview is not None
    await leader.press(overview, "📝 定稿")
    await leader.press(overview, "确认定稿")
    closing = await leader.send("/close 县财政局")
    assert closing is not None
    await leader.press(closing, "确认结束")

    final = await leader.send("/report 县财政局")
    assert final is not None
    assert "草稿" not in final.text
    assert not final.buttons
    await emulator.wait_for(lambda: (leader.last.document_name or "").endswith("县财政局.docx"))
    assert "可直接打印或转发" in leader.last.text
    document = Document(io.BytesIO(leader.last.document or b""))
    assert "".join(p.text for p in document.sections[0].header.paragraphs) == ""
    body = "\n".join(p.text for p in document.paragraphs)
    assert "二、肯定成绩\n党组高度重视。" in body
    assert "存在不足" not in body  # left empty on purpose: left out
    assert "待填写" not in body
    assert "组长：张三" in body
    assert "图1　（一）1、成立廉政风险防范机制建设工作领导和办事机构，明确专人负责：照片未能取得" in body
