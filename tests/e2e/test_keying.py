"""Everyone in the room is counted: paper forms keyed in join the phones' ballots in one tally."""

from __future__ import annotations

import io

import openpyxl
from docx import Document

from bot.document_wording import chart_title
from bot.texts import ZH
from conversations.annex2 import ANNEX2
from emulator import BotApiEmulator, BotMessage
from emulator.people import Person
from reports.listing import left_out_note
from storage.intake import REGISTER_KEY
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import (
    FormAnswers,
    as_keyed,
    complete,
    expected_counts,
    key_form,
    link_token,
    shown_counts,
    varied_answers,
)

# The second form has two ticks on 教育防范 and four on 最突出风险: both rows are keyed as spoiled.
SPOILED = [frozenset(), frozenset({"education", "risks"}), frozenset()]


def documents(person: Person, suffix: str) -> list[BotMessage]:
    """Return the documents the bot sent this person whose file name ends so."""
    return [m for m in person.messages if (m.document_name or "").endswith(suffix)]


SPOILED_SUMMARY = "教育防范 1 份；你认为目前哪类风险最突出（限选三项） 1 份"
SPLIT = "共 8 份，其中纸质 3 份"
SPOILED_CELL = "作废（多勾或未勾）"


async def print_blank_form(emulator: BotApiEmulator, leader: Person, opened: BotMessage) -> None:
    """🖨 under the /open reply sends the unit's blank Annex 2 form."""
    assert opened.labels() == ["🖨 空白纸质测评表", "📝 录入纸质表"]
    await leader.press(opened, "空白纸质测评表")
    await emulator.wait_for(lambda: bool(documents(leader, "纸质测评表_县财政局.docx")))
    blank = Document(io.BytesIO(documents(leader, ".docx")[-1].document or b""))
    blank_text = "\n".join(p.text for p in blank.paragraphs)
    assert ANNEX2.title in blank_text
    assert "被评议单位：县财政局" in blank_text


async def key_three_forms(leader: Person, papers: list[FormAnswers]) -> BotMessage:
    """/paper, then key the three forms one after another; return the message offering the next."""
    desk = await leader.send("/paper")  # one open unit: straight to it
    assert desk is not None
    assert "纸质测评表录入" in desk.text
    assert "不记录录入人和录入顺序" in desk.text
    await leader.press(desk, "开始录入")
    form = desk
    for number, (answers, rows) in enumerate(zip(papers, SPOILED, strict=True)):
        if number:
            await leader.press(form, "录入下一份")
        form = await key_form(leader, form, answers, rows)
        assert "已录入一份纸质测评表" in form.text
    return form


def check_workbook(data: bytes) -> None:
    """汇总 states the split and the spoiled rows; 答卷 shows the spoiled cells of one ballot."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary_row(summary, "统计答卷")[:2] == ("统计答卷", 8)
    assert summary_row(summary, "答卷构成")[1] == SPLIT
    assert summary_row(summary, "作废行")[1] == SPOILED_SUMMARY
    assert ("教育防范", SPOILED_CELL, 1) in [row[:3] for row in summary]
    # One form with spoiled rows, fewer than k: every ballot listed, its two spoiled items left out.
    answers_sheet = list(book["答卷"].iter_rows(values_only=True))
    assert len([row for row in answers_sheet[1:] if isinstance(row[0], int)]) == 8
    assert "教育防范" not in answers_sheet[0]
    assert "作废（多勾或未勾）" not in {cell for row in answers_sheet for cell in row}
    left = [(q, 1) for q in ANNEX2.questions if q.id in {"education", "risks"}]
    assert answers_sheet[-1][0] == left_out_note(left, 3)


async def test_five_phones_and_three_paper_forms_make_one_tally_of_eight(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, admin: Person
) -> None:
    """5 phones and 3 keyed paper forms (one with spoiled rows): 8 ballots, the split, the spoiled rows."""
    repository = bot.services.repository
    opened = await leader.send("/open 县财政局 8人")
    assert opened is not None
    await print_blank_form(emulator, leader, opened)
    phones = [varied_answers(seed) for seed in range(5)]
    for number, answers in enumerate(phones):
        await complete(Person(emulator, 700 + number), link_token(opened), answers)
    papers = [varied_answers(seed) for seed in (10, 11, 12)]
    form = await key_three_forms(leader, papers)
    window = (await repository.open_windows())[0]
    doubled = await leader.press_data(form, f"ps:{window.id}")  # 录入此份 again: nothing to put in
    assert doubled["text"] == "此按钮已失效，请在最新的测评消息中继续作答。"
    assert await repository.ballot_count(window.id) == 8
    register = await repository.fetchall("SELECT register FROM intake WHERE window_id = ?", (window.id,))
    assert len(register[0][0]) == 5 * REGISTER_KEY  # the phones are registered; the keyer is not

    live = await leader.send("/tally")
    assert live is not None
    await leader.press(live, "结束测评")
    await leader.press(live, "确认结束")
    await emulator.wait_for(lambda: bool(documents(leader, "_答卷.csv")), timeout=30)
    assert SPLIT in live.text  # the final tally
    assert f"作废行（纸质表多勾或未勾，不计入该题）：{SPOILED_SUMMARY}" in live.text
    keyed = [as_keyed(answers, rows) for answers, rows in zip(papers, SPOILED, strict=True)]
    assert shown_counts(live.text) == expected_counts(phones + keyed)
    assert live.text.count("作废 1 份（不计入此题）") == 2
    assert any(m.photo for m in leader.messages[-6:])  # the chart, titled with the split and rows
    closed = await repository.window(window.id)
    assert closed is not None
    title = chart_title(ZH, closed, await bot.services.results.tally(closed), bot.settings.survey_tz)
    assert SPLIT in title
    assert f"作废行（不计入该题）：{SPOILED_SUMMARY}" in title
    check_workbook(documents(leader, ".xlsx")[-1].document or b"")

    report = await leader.send("/report 县财政局")  # the unit report: the message and the Word document
    assert report is not None
    assert SPLIT in report.text
    assert f"作废行（纸质表多勾或未勾，不计入该题）：{SPOILED_SUMMARY}" in report.text
    name = "检查考核结果反馈_县财政局_草稿.docx"  # not scored: a draft
    await emulator.wait_for(lambda: bool(documents(leader, name)), timeout=30)
    body = "\n".join(
        p.text for p in Document(io.BytesIO(documents(leader, name)[-1].document or b"")).paragraphs
    )
    assert "共收回测评表 8 份（其中纸质 3 份）" in body
    assert f"纸质测评表{SPOILED_CELL}的行不计入该项统计，其余各项照常计入：{SPOILED_SUMMARY}。" in body
    print(report.text)  # the final report as the leader reads it (pytest -s shows it)
    county = await admin.send("/summary")
    assert county is not None
    assert "县财政局｜组长（未登记姓名）｜8 份，其中纸质 3 份｜" in county.text

    late = await leader.press(form, "录入下一份")  # closed: no more forms go in
    assert late["text"] == "本次民主测评已结束，不再接收答卷。"
    assert await repository.ballot_count(window.id) == 8


def summary_row(rows: list[tuple[object, ...]], label: str) -> tuple[object, ...]:
    """Return the 汇总 row that starts with this label."""
    return next(row for row in rows if row[0] == label)


async def test_keying_keeps_the_forms_rules_and_only_the_units_leader_keys(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, other_leader: Person
) -> None:
    """A fourth tick is refused with a hint to spoil the row; nobody but the unit's leader keys its forms."""
    opened = await leader.send("/open 县审计局")
    assert opened is not None
    await leader.press(opened, "录入纸质表")  # from the /open reply: the keying screen follows
    desk = leader.last
    assert "县审计局 纸质测评表录入" in desk.text
    await leader.press(desk, "开始录入")
    window = (await bot.services.repository.open_windows())[0]
    for index, question in enumerate(ANNEX2.questions[:14]):
        if question.kind.value == "single":
            await leader.press(desk, question.options[0].label)
        else:
            assert "已选 0/3" in desk.text
            for option in question.options[:3]:
                await leader.press(desk, option.label)
            refused = await leader.press(desk, question.options[3].label)
            assert refused["text"] == "最多只能选 3 项。纸质表上这一行勾了 4 项及以上的，请点“✖ 本项作废”。"
            await leader.press(desk, "本项作废")
            assert index == 13
    assert "第 15/16 题" in desk.text
    participant = Person(emulator, 801)
    for person in (participant, other_leader):
        for data in (f"pb:{window.id}", f"ps:{window.id}", f"Pv:{window.id}:14", f"pp:{window.id}"):
            answer = await person.press_data(desk, data)
            assert answer["text"] == "您不能录入这个单位的纸质测评表。"
        assert (await person.press_data(desk, f"pi:{window.id}"))["text"] in {
            "您无权执行此操作。",  # a participant: the button is for leaders
            "您不能录入这个单位的纸质测评表。",  # another leader: not their unit
        }
    phone = Person(emulator, 802)
    welcome = await phone.send(f"/start {window.token}")
    assert welcome is not None
    await phone.press(welcome, "开始")
    forged = await phone.press_data(welcome, f"v:{window.id}:0")  # no such button for a phone
    assert forged["text"] == "无法识别的按钮，未作任何更改。"
    assert "本项作废" not in " ".join(welcome.labels())
    assert await bot.services.repository.ballot_count(window.id) == 0


async def test_a_group_member_keys_forms_through_a_single_use_link(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """👥 makes a link for one group member, who keys forms in their own chat until the unit closes."""
    repository = bot.services.repository
    opened = await leader.send("/open 县财政局")
    assert opened is not None
    desk = await leader.send("/paper")
    assert desk is not None
    await leader.press(desk, "邀请组员录入")
    await emulator.wait_for(lambda: "协助录入的检查组成员" in leader.last.text)
    invite = link_token(leader.last)
    member, stranger = Person(emulator, 901, first_name="组员"), Person(emulator, 902)
    joined = await member.send(f"/start {invite}")
    assert joined is not None
    assert joined.text.startswith("您已受邀录入以下单位的纸质测评表。")
    assert "县财政局 纸质测评表录入" in joined.text
    assert "邀请组员录入" not in " ".join(joined.labels())  # members key; only the leader invites
    spent = await stranger.send(f"/start {invite}")
    assert spent is not None
    assert spent.text == "链接无效。请扫描检查考核组展示的二维码，或向组长索取链接。"
    await member.press(joined, "开始录入")
    await key_form(member, joined, varied_answers(3), frozenset())
    window = (await repository.open_windows())[0]
    assert await repository.ballot_count(window.id) == 1
    again = await member.send("/paper")  # their desk, from the command menu's /paper
    assert again is not None
    assert "县财政局 纸质测评表录入" in again.text
    closing = await leader.send("/close")
    assert closing is not None
    await leader.press(closing, "确认结束")
    after = await member.send("/paper")
    assert after is not None
    assert after.text == "此命令供组长和受邀录入纸质测评表的组员使用。"
    assert await repository.fetchall("SELECT * FROM keyers") == []
