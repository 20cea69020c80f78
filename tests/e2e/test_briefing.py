"""A whole briefing through the real bot: open, answer from several phones, tally, close."""

from __future__ import annotations

from conversations.annex2 import ANNEX2
from emulator import BotApiEmulator
from emulator.people import Person
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import (
    FormAnswers,
    answer_step,
    begin,
    complete,
    expected_counts,
    link_token,
    open_unit,
    send_open,
    shown_counts,
    varied_answers,
)


async def test_open_replies_with_link_qr_code_and_poster(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """/open answers with a QR code image whose caption holds the deep link, then an A4 poster PDF."""
    reply = await leader.send("/open   县财政局  ")
    assert reply is not None
    assert reply.photo is not None
    assert reply.photo.startswith(b"\x89PNG")
    assert "县财政局 的民主测评已开始" in reply.text
    assert "https://t.me/survey_test_bot?start=" in reply.text
    await emulator.wait_for(lambda: leader.last is not reply)
    poster = leader.last
    assert poster.document_name == "测评二维码海报_县财政局.pdf"
    assert (poster.document or b"").startswith(b"%PDF")
    assert "A4 海报" in poster.text


async def test_open_twice_gives_the_same_link(bot: RunningBot, leader: Person) -> None:
    """Opening a unit that is already open returns its link instead of a second window."""
    first = await open_unit(leader, "县审计局")
    again = await send_open(leader, "/open 县审计局")
    assert first == link_token(again)
    assert "已在进行中" in again.text
    assert "县审计局：0 份" in (await leader.send("/units") or leader.last).text


async def test_nine_participants_and_the_tally_matches(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Nine people answer differently; the tally counts whole batches of three but the newest, exactly."""
    token = await open_unit(leader, "县财政局")
    all_answers = [varied_answers(seed) for seed in range(9)]
    for number, answers in enumerate(all_answers[:8]):
        thanks = await complete(Person(emulator, 100 + number), token, answers)
        assert "感谢参加民主测评" in thanks.text
        for label in answers.picks["category"]:
            assert label not in thanks.text  # the message no longer shows the answers
    tally = await leader.send("/tally")
    assert tally is not None
    assert "已收到答卷：8 份" in tally.text
    assert "以下统计含前 3 份答卷" in tally.text
    assert shown_counts(tally.text) == expected_counts(all_answers[:3])
    assert "按参评对象：" not in tally.text  # no breakdown while open
    await complete(Person(emulator, 108), token, all_answers[8])
    tally = await leader.send("/tally")
    assert tally is not None
    assert "已收到答卷：9 份" in tally.text
    assert "以下统计含前 6 份答卷" in tally.text
    assert shown_counts(tally.text) == expected_counts(all_answers[:6])


async def test_tally_shows_only_the_count_below_the_minimum_group(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """With fewer ballots than SURVEY_MIN_GROUP no option count is shown."""
    token = await open_unit(leader, "县民政局")
    for number in range(2):
        await complete(Person(emulator, 200 + number), token, varied_answers(number))
    tally = await leader.send("/tally 县民政局")
    assert tally is not None
    assert "已收到答卷：2 份" in tally.text
    assert "收到 6 份后开始显示各选项统计" in tally.text
    assert shown_counts(tally.text) == []


async def test_a_fourth_pick_is_refused(bot: RunningBot, emulator: BotApiEmulator, leader: Person) -> None:
    """On a choose-up-to-three item the fourth selection is refused with an alert."""
    token = await open_unit(leader, "县教育局")
    person = Person(emulator, 300)
    answers = varied_answers(0)
    survey = await begin(person, token)
    improve = next(i for i, q in enumerate(ANNEX2.questions) if q.id == "improve")
    for index in range(improve):
        survey = await answer_step(person, survey, index, answers)
    labels = [option.label for option in ANNEX2.questions[improve].options]
    for label in labels[:3]:
        await person.press(survey, label)
    assert "已选 3/3" in survey.text
    refused = await person.press(survey, labels[3])
    assert refused["show_alert"] == "true"
    assert "最多只能选 3 项" in refused["text"]
    assert "已选 3/3" in survey.text
    assert [label for label in survey.labels() if label.startswith("✅")] == [f"✅ {x}" for x in labels[:3]]
    # unselect one, and the fourth can be chosen
    await person.press(survey, f"✅ {labels[0]}")
    await person.press(survey, labels[3])
    assert "已选 3/3" in survey.text
    assert f"✅ {labels[3]}" in survey.labels()


async def test_done_needs_at_least_one_pick(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """完成 with nothing selected is refused and the step stays."""
    token = await open_unit(leader, "县教育局")
    person = Person(emulator, 301)
    survey = await begin(person, token)
    answers = varied_answers(1)
    improve = next(i for i, q in enumerate(ANNEX2.questions) if q.id == "improve")
    for index in range(improve):
        survey = await answer_step(person, survey, index, answers)
    refused = await person.press(survey, "完成")
    assert refused["text"] == "请至少选择一项。"
    assert f"第 {improve + 1}/16 题" in survey.text


async def test_restart_mid_survey_resumes_where_it_was(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """After the bot restarts, the same message carries on from the saved step."""
    token = await open_unit(leader, "县交通局")
    person = Person(emulator, 400)
    answers = varied_answers(3)
    survey = await begin(person, token)
    for index in range(6):
        survey = await answer_step(person, survey, index, answers)
    await bot.restart()
    assert "第 7/16 题" in survey.text
    for index in range(6, 9):
        survey = await answer_step(person, survey, index, answers)
    # reopening the link also resumes, in a fresh message
    resumed = await person.send(f"/start {token}")
    assert resumed is not None
    assert "欢迎回来" in resumed.text
    assert "第 10/16 题" in resumed.text
    for index in range(9, ANNEX2.size):
        resumed = await answer_step(person, resumed, index, answers)
    await person.press(resumed, "提交")
    tally = await leader.send("/tally")
    assert tally is not None
    assert "已收到答卷：1 份" in tally.text


async def test_close_sends_final_tally_and_refuses_latecomers(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """/close asks to confirm, sends the final tally, and ends every unfinished form."""
    token = await open_unit(leader, "县卫健委")
    all_answers = [varied_answers(seed) for seed in range(3)]
    for number, answers in enumerate(all_answers):
        await complete(Person(emulator, 500 + number), token, answers)
    halfway = Person(emulator, 599)
    survey = await begin(halfway, token)
    survey = await answer_step(halfway, survey, 0, all_answers[0])

    confirm = await leader.send("/close")
    assert confirm is not None
    assert "确认结束" in confirm.text
    assert "已收到答卷：3 份" in confirm.text
    await leader.press(confirm, "确认结束")
    assert "最终结果" in confirm.text
    assert shown_counts(confirm.text) == expected_counts(all_answers)
    await emulator.wait_for(lambda: any("其它意见建议" in m.text for m in leader.messages))
    suggestions = next(m for m in leader.messages if "其它意见建议" in m.text)
    assert "其它意见建议（2 条" in suggestions.text
    assert "建议0：加强<b>公开</b>" in suggestions.text  # shown literally, not as markup
    assert "建议2：加强<b>公开</b>" in suggestions.text

    ended = await halfway.press(survey, ANNEX2.questions[1].options[0].label)
    assert ended["show_alert"] == "true"
    assert "已结束" in ended["text"]
    assert "已结束" in survey.text
    assert not survey.buttons

    late = await Person(emulator, 600).send(f"/start {token}")
    assert late is not None
    assert "已结束" in late.text
    units = await leader.send("/units")
    assert units is not None
    assert "已结束 县卫健委：3 份" in units.text


async def test_non_leaders_are_refused(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, other_leader: Person
) -> None:
    """Someone not in SURVEY_LEADERS gets a refusal that names no unit; leaders see only theirs."""
    await open_unit(leader, "县财政局")
    stranger = Person(emulator, 700)
    for command in ("/tally", "/tally 县财政局", "/close 县财政局", "/units", "/open 县财政局"):
        reply = await stranger.send(command)
        assert reply is not None
        assert reply.text == "此命令仅供检查考核组组长使用。"
    await send_open(other_leader, "/open 县审计局")
    reply = await other_leader.send("/tally 县财政局")
    assert reply is not None
    assert "没有找到" in reply.text
    assert "已收到" not in reply.text
    forged = await other_leader.press_data(leader.messages[0], "ly:1")
    assert forged["text"] == "您无权执行此操作。"
    units = await leader.send("/units")
    assert units is not None
    assert "进行中 县财政局" in units.text


async def test_double_taps_and_forged_presses_change_nothing(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """A second tap on an old step, or data that does not decode, is answered and ignored."""
    token = await open_unit(leader, "县林业局")
    person = Person(emulator, 800)
    survey = await begin(person, token)
    first_option = survey.labels()[0]
    await person.press(survey, first_option)
    assert "第 2/16 题" in survey.text
    stale = await person.press_data(survey, "a:1:0:leader")
    assert stale["text"] == "此按钮已失效，请在最新的测评消息中继续作答。"
    assert "第 2/16 题" in survey.text
    for data in ("", "zzz", "a:1:1", "a:1:1:" + "x" * 40, "s:99999", "t:1:13:q:1"):
        answered = await person.press_data(survey, data)
        assert answered.get("text"), data
    assert "第 2/16 题" in survey.text


async def test_back_and_revise_from_review(bot: RunningBot, emulator: BotApiEmulator, leader: Person) -> None:
    """上一题 goes back with the earlier choice marked; the review lets any answer change."""
    token = await open_unit(leader, "县水利局")
    person = Person(emulator, 900)
    answers = FormAnswers(picks=varied_answers(2).picks, suggestion=None)
    survey = await begin(person, token)
    survey = await answer_step(person, survey, 0, answers)
    await person.press(survey, "上一题")
    assert "第 1/16 题" in survey.text
    assert f"● {answers.picks['category'][0]}" in survey.labels()
    for index in range(ANNEX2.size):
        survey = await answer_step(person, survey, index, answers)
    assert f"1. 参评对象：{answers.picks['category'][0]}" in survey.text
    await person.press(survey, "1")
    assert "第 1/16 题" in survey.text
    await person.press(survey, "服务对象代表")
    assert "请核对您的答卷" in survey.text
    assert "1. 参评对象：服务对象代表" in survey.text


async def test_suggestion_text_limits_and_cancel(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Over-long text is refused with the limit; /cancel discards the draft."""
    token = await open_unit(leader, "县文旅局")
    person = Person(emulator, 1000)
    answers = varied_answers(4)
    survey = await begin(person, token)
    for index in range(ANNEX2.size - 1):
        survey = await answer_step(person, survey, index, answers)
    refused = await person.send("长" * 1001)
    assert refused is not None
    assert "不能超过 1000 字" in refused.text
    assert "1001" in refused.text
    assert "第 16/16 题" in survey.text
    cancelled = await person.send("/cancel")
    assert cancelled is not None
    assert "已放弃" in cancelled.text
    answered = await person.press(survey, "跳过")
    assert "没有找到您的作答进度" in answered["text"]
    again = await person.send(f"/start {token}")
    assert again is not None
    assert "开始" in again.labels()


async def test_second_link_open_after_submitting(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Opening the link again after submitting says the person has taken part."""
    token = await open_unit(leader, "县统计局")
    person = Person(emulator, 1100)
    await complete(person, token, varied_answers(5))
    again = await person.send(f"/start {token}")
    assert again is not None
    assert "您已参加过" in again.text
    invalid = await person.send("/start notavalidtoken")
    assert invalid is not None
    assert invalid.text.startswith("链接无效")


async def test_several_open_units_offer_a_picker(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """With two open units, /tally and /close without a name offer buttons to pick one."""
    await open_unit(leader, "县财政局")
    await open_unit(leader, "县审计局")
    picker = await leader.send("/tally")
    assert picker is not None
    assert picker.labels() == ["县审计局", "县财政局"]
    await leader.press(picker, "县财政局")
    assert "县财政局 民主测评统计（进行中）" in picker.text
    closer = await leader.send("/close")
    assert closer is not None
    assert closer.labels() == ["县审计局", "县财政局"]
    await leader.press(closer, "县审计局")
    assert "确认结束 县审计局" in closer.text
    await leader.press(closer, "取消")
    assert "继续进行" in closer.text


async def test_unit_names_are_trimmed_limited_and_shown_literally(bot: RunningBot, leader: Person) -> None:
    """Markup in a unit name is shown as typed; empty and over-long names are refused."""
    reply = await send_open(leader, "/open <b>县&局</b>")
    assert "<b>县&局</b> 的民主测评已开始" in reply.text
    empty = await leader.send("/open    ")
    assert empty is not None
    assert empty.text.startswith("开启测评（点按例子可复制）")
    too_long = await leader.send("/open " + "局" * 65)
    assert too_long is not None
    assert "不能超过 64 个字" in too_long.text
    fits = await send_open(leader, "/open " + "局" * 64)
    assert fits.photo is not None
