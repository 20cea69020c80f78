"""Faults and bad input through the real bot: nothing lost, every press answered, nothing leaked."""

from __future__ import annotations

import asyncio
import logging

import pytest

from conversations.engine import Draft
from emulator import ApiError, BotApiEmulator
from emulator.people import Person
from emulator.server import DROP
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import answer_step, begin, complete, open_unit, send_open, varied_answers

TOO_OLD = ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
NOT_FOUND = ApiError(400, "Bad Request: message to edit not found")
FLOOD = ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
SERVER = ApiError(502, "Bad Gateway")


async def test_a_lost_redraw_is_recovered_by_the_next_press(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """A 5xx or a dropped connection on the edit: the press was saved, and the old button redraws."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 10)
    survey = await begin(person, token)
    for failure in (SERVER, DROP):
        emulator.failures["editMessageText"] = [failure]
        step = survey.text
        await person.press(survey, survey.labels()[0])
        assert survey.text == step  # the redraw never arrived
        again = await person.press(survey, survey.labels()[0])
        assert again["text"] == "此按钮已失效，请在最新的测评消息中继续作答。"
        assert survey.text != step  # now it shows where the person really is
    assert "第 3/16 题" in survey.text


async def test_flood_control_is_retried_and_nothing_is_lost(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """A 429 with retry_after on the edit is retried by the rate limiter; the step arrives."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 11)
    survey = await begin(person, token)
    emulator.failures["editMessageText"] = [FLOOD]
    await person.press(survey, survey.labels()[0])
    await emulator.wait_for(lambda: "第 2/16 题" in survey.text, timeout=10)
    assert [c.error for c in emulator.calls("editMessageText")].count(FLOOD) == 1


async def test_expired_queries_and_deleted_messages(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """'query is too old' still redraws; 'message to edit not found' sends a fresh message that works."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 12)
    survey = await begin(person, token)
    emulator.failures["answerCallbackQuery"] = [TOO_OLD]
    with pytest.raises(TimeoutError):  # the answer expired on Telegram's side: it never shows
        await person.press_data(survey, survey.button(survey.labels()[0]).callback_data or "", timeout=1.0)
    await emulator.wait_for(lambda: "第 2/16 题" in survey.text)
    emulator.failures["editMessageText"] = [NOT_FOUND]
    before = len(person.messages)
    await person.press(survey, survey.labels()[0])
    fresh = person.messages[before]
    assert "第 3/16 题" in fresh.text
    await person.press(fresh, fresh.labels()[0])
    assert "第 4/16 题" in fresh.text


async def test_a_read_only_database_answers_politely_and_keeps_the_draft(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Writes refused (a read-only file): a polite alert, the draft as it was, and on afterwards."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 13)
    survey = await begin(person, token)
    survey = await answer_step(person, survey, 0, varied_answers(1))
    database = bot.services.repository._db
    await database.execute("PRAGMA query_only = ON")
    answered = await person.press(survey, survey.labels()[0])
    await database.execute("PRAGMA query_only = OFF")
    assert answered["show_alert"] == "true"
    assert "暂时无法保存" in answered["text"]
    assert "第 2/16 题" in survey.text
    assert (await _only_draft(bot)).step == 1
    await person.press(survey, survey.labels()[0])
    assert "第 3/16 题" in survey.text


async def test_a_full_disk_answers_politely_and_nobody_loses_progress(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """The database may not grow: whoever needs a new page is told, and carries on once there is room."""
    token = await open_unit(leader, "县财政局")
    database = bot.services.repository._db
    await database.execute(f"PRAGMA max_page_count = {await _page_count(bot)}")
    started: list[Person] = []
    refused = None
    for number in range(300):
        person = Person(emulator, 1000 + number)
        welcome = await person.send(f"/start {token}")
        assert welcome is not None
        answered = await person.press(welcome, "开始")
        if "暂时无法保存" in answered.get("text", ""):
            refused = (person, welcome)
            break
        started.append(person)
    assert refused is not None, "the database never filled up"
    await database.execute("PRAGMA max_page_count = 1073741823")
    person, welcome = refused
    assert "开始" in welcome.labels()
    await person.press(welcome, "开始")
    assert "第 1/16 题" in welcome.text
    rows = await bot.services.repository.fetchall("SELECT count(*) FROM drafts")
    assert rows[0][0] == len(started) + 1


async def _page_count(bot: RunningBot) -> int:
    rows = await bot.services.repository.fetchall("PRAGMA page_count")
    return int(rows[0][0])


async def _only_draft(bot: RunningBot) -> Draft:
    rows = await bot.services.repository.fetchall("SELECT state FROM drafts")
    assert len(rows) == 1
    return Draft.model_validate_json(rows[0][0])


async def test_two_devices_pressing_at_once_record_one_answer(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """The same person presses two options of one step at the same moment: one counts, one is stale."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 14)
    survey = await begin(person, token)
    first, second = (survey.button(label).callback_data or "" for label in survey.labels()[:2])
    answers = await asyncio.gather(person.press_data(survey, first), person.press_data(survey, second))
    assert sorted(a.get("text", "") for a in answers) == ["", "此按钮已失效，请在最新的测评消息中继续作答。"]
    assert "第 2/16 题" in survey.text
    answered = await _only_draft(bot)
    assert answered.answers["category"][0] in {"leader", "middle"}


async def test_a_person_hammering_a_button_slows_only_themselves(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """50 presses at once: the excess is refused at once; someone else answers undisturbed."""
    token = await open_unit(leader, "县财政局")
    hammer, calm = Person(emulator, 15), Person(emulator, 16)
    survey = await begin(hammer, token)
    data = survey.button(survey.labels()[0]).callback_data or ""
    flood = asyncio.gather(*(hammer.press_data(survey, data, settle=False) for _ in range(50)))
    calm_survey = await begin(calm, token)
    await answer_step(calm, calm_survey, 0, varied_answers(2))
    answers = await flood
    texts = [a.get("text") for a in answers]
    assert texts.count("点得太快了，请稍候再点。") >= 40
    assert "第 2/16 题" in survey.text  # one press counted, the rest changed nothing
    assert "第 2/16 题" in calm_survey.text


async def test_text_stickers_photos_and_edits_get_a_clear_reply(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Anything but a button where a button is expected gets a hint; nothing is stored."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 17)
    survey = await begin(person, token)
    text = await person.send("我选第一个")
    assert text is not None
    assert text.text == "请用测评消息下方的按钮作答。"
    sticker = person.message_json("")
    del sticker["text"]
    sticker["sticker"] = {
        "file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
        "is_animated": False, "is_video": False,
    }  # fmt: skip
    assert (await person.send_update("message", sticker)).text == "请用测评消息下方的按钮作答。"
    photo = person.message_json("")
    del photo["text"]
    photo["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    assert (await person.send_update("message", photo)).text == "请用测评消息下方的按钮作答。"
    edited = person.message_json("改一下")
    edited["edit_date"] = edited["date"]
    assert "不会改变" in (await person.send_update("edited_message", edited)).text
    assert "第 1/16 题" in survey.text
    assert (await _only_draft(bot)).answers == {}


async def test_odd_command_arguments(bot: RunningBot, emulator: BotApiEmulator, leader: Person) -> None:
    """Empty, 10 kB, control characters, markup, right-to-left marks and emoji: clear replies."""
    await open_unit(leader, "县财政局")
    cases = {
        "/open": "开启测评（点按例子可复制）",
        "/open " + "局" * 10_000: "不能超过 64 个字",
        "/tally " + "x" * 10_000: "没有找到",
        "/revoke abc": "此命令仅供县廉效办管理员使用",
        "/close \u202e局财县": "没有找到",
    }
    for command, expected in cases.items():
        reply = await leader.send(command)
        assert reply is not None
        assert expected in reply.text, (command[:20], reply.text[:80])
    opened = await send_open(leader, "/open \u202e<i>县</i>\u200b财政局 🏛\x07")
    assert "<i>县</i> 财政局 🏛 的民主测评已开始" in opened.text
    units = await leader.send("/units")
    assert units is not None
    assert "<i>县</i> 财政局 🏛：0 份" in units.text


async def test_group_chats_are_refused_with_a_hint(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """In a group nothing of the survey happens: participants and leaders are sent to a private chat."""
    token = await open_unit(leader, "县财政局")
    group = {"id": -100500, "type": "supergroup", "title": "会场"}
    person = Person(emulator, 18)
    for who, text in ((person, f"/start {token}"), (leader, "/open 县审计局"), (leader, "/tally")):
        reply = await who.send_update("message", who.message_json(text, chat=group))
        assert "私聊" in reply.text
    units = await leader.send("/units")
    assert units is not None
    assert "县审计局" not in units.text


async def test_suggestions_with_markup_and_formulas_stay_literal(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """A 1,000-character suggestion full of markup goes through review, close and export literally."""
    token = await open_unit(leader, '=HYPERLINK("x")')
    nasty = ("<b>&amp;</b>*_`[x](y)" * 60)[:1000]
    answers = varied_answers(0)
    answers.suggestion = nasty
    await complete(Person(emulator, 19), token, answers)
    for number in range(2):
        await complete(Person(emulator, 20 + number), token, varied_answers(number + 1))
    confirm = await leader.send("/close")
    assert confirm is not None
    await leader.press(confirm, "确认结束")
    # The workbook comes after the suggestions (the QR poster sent at /open is a document too).
    await emulator.wait_for(lambda: any((m.document_name or "").endswith(".xlsx") for m in leader.messages))
    shown = "".join(m.text for m in leader.messages if "意见建议" in m.text)
    assert nasty in shown.replace("\n\n", "")
    assert '=HYPERLINK("x") 民主测评统计（最终结果）' in confirm.text


async def test_storage_refusal_is_logged_without_personal_data(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, caplog: pytest.LogCaptureFixture
) -> None:
    """The log line for a refused write names the failure, not the person."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 987_654_321)
    survey = await begin(person, token)
    await bot.services.repository._db.execute("PRAGMA query_only = ON")
    with caplog.at_level(logging.INFO):
        await person.press(survey, survey.labels()[0])
    await bot.services.repository._db.execute("PRAGMA query_only = OFF")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "The database refused the operation: attempt to write a readonly database" in logged
    assert "987654321" not in logged


async def test_failed_answers_and_sends_do_not_strand_anyone(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """A 5xx on the answer, a dropped connection on a send: no crash, and the person carries on."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 21)
    emulator.failures["sendMessage"] = [DROP]
    first = await person.send(f"/start {token}")  # the welcome was lost; the apology got through
    assert first is not None
    assert "抱歉" in first.text
    survey = await begin(person, token)
    emulator.failures["answerCallbackQuery"] = [SERVER]
    with pytest.raises(TimeoutError):
        await person.press_data(survey, survey.button(survey.labels()[0]).callback_data or "", timeout=1.0)
    await emulator.settle()
    assert "第 2/16 题" in survey.text  # the press was saved and its redraw went out all the same
    await person.press(survey, survey.labels()[0])
    assert "第 3/16 题" in survey.text
