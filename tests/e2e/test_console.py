"""The leader's console end to end: live tally, close with reports, invites, roles, languages."""

from __future__ import annotations

import asyncio
import io

import openpyxl

from bot.texts import ZH
from emulator import BotApiEmulator
from emulator.html_text import visible_text
from emulator.people import Person
from tests.e2e.conftest import ADMIN_ID, LEADER_ID, LIVE_INTERVAL, RunningBot
from tests.e2e.flows import (
    complete,
    expected_counts,
    link_token,
    open_unit,
    send_open,
    shown_counts,
    varied_answers,
)


def shown(template: str, **values: object) -> str:
    """Return a catalogue text as a phone shows it: filled in, its HTML read as text."""
    return visible_text(template.format(**values))


async def test_live_message_moves_only_when_a_batch_is_complete(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """The live tally is edited when a batch is released: at the 6th ballot, not at the 1st to 5th.

    Its figures lag one batch: at 6 ballots it shows the first three.
    """
    token = await open_unit(leader, "县财政局 25人")
    live = await leader.send("/tally")
    assert live is not None
    assert shown(ZH.TALLY_RECEIVED_OF, ballots=0, expected=25) in live.text
    answers = [varied_answers(seed) for seed in range(6)]
    for number in range(5):
        await complete(Person(emulator, 100 + number), token, answers[number])
        if number in (1, 2, 4):  # check on either side of the first complete batch
            await asyncio.sleep(LIVE_INTERVAL * 2)
            await emulator.settle()
            assert live.edits == 0, f"moved after ballot {number + 1}"
    await complete(Person(emulator, 105), token, answers[5])
    await emulator.wait_for(lambda: live.edits == 1)
    assert shown(ZH.TALLY_RECEIVED_OF, ballots=6, expected=25) in live.text
    assert shown_counts(live.text) == expected_counts(answers[:3])
    refreshed = await leader.press(live, ZH.REFRESH_BUTTON)
    assert refreshed["text"] == ZH.ANSWER_UP_TO_DATE


async def test_close_delivers_tally_chart_and_workbook(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """确认结束 → the final tally, the suggestions, the chart and the workbook, with no other command."""
    token = await open_unit(leader, "县审计局")
    live = await leader.send("/tally")
    assert live is not None
    all_answers = [varied_answers(seed) for seed in range(4)]
    for number, answers in enumerate(all_answers):
        await complete(Person(emulator, 200 + number), token, answers)
    before = len(leader.messages)
    await leader.press(live, ZH.CLOSE_BUTTON)
    assert live.text == shown(ZH.CONFIRM_CLOSE, unit="县审计局", ballots=4)
    await leader.press(live, ZH.CONFIRM_CLOSE_BUTTON)
    await emulator.wait_for(lambda: len(leader.messages) >= before + 4)
    assert shown(ZH.TALLY_TITLE_CLOSED, unit="县审计局") in live.text
    assert not live.buttons
    assert shown_counts(live.text) == expected_counts(all_answers)  # all 4, not only the first batch
    suggestions, chart, xlsx, csv = leader.messages[before : before + 4]
    assert shown(ZH.SUGGESTIONS_TITLE, unit="县审计局", count=2) in suggestions.text
    assert chart.photo is not None
    assert chart.photo.startswith(b"\x89PNG")
    assert chart.text == shown(ZH.CHART_CAPTION, unit="县审计局", state=ZH.STATE_CLOSED)
    assert xlsx.document_name == ZH.EXPORT_FILE.format(unit="县审计局")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.document or b""))
    assert book.sheetnames == ["汇总", "图表", "答卷", "意见建议"]
    listed = [row for row in book["答卷"].iter_rows(min_row=2, values_only=True) if isinstance(row[0], int)]
    assert len(listed) == 4  # the four ballots, in codes explained under them
    assert csv.document is not None
    assert csv.document.startswith(b"\xef\xbb\xbf")


async def test_chart_and_export_on_request(bot: RunningBot, emulator: BotApiEmulator, leader: Person) -> None:
    """/chart and /export work while open: a chart once a batch is released, the summary only."""
    token = await open_unit(leader, "县教育局")
    for number in range(3):
        await complete(Person(emulator, 300 + number), token, varied_answers(number))
    declined = await leader.send("/chart")
    assert declined is not None
    assert shown(ZH.TALLY_HIDDEN_OPEN, min_group=3, first=6) in declined.text
    for number in range(3, 6):
        await complete(Person(emulator, 300 + number), token, varied_answers(number))
    chart = await leader.send("/chart 县教育局")
    assert chart is not None
    assert chart.photo is not None
    export = await leader.send("/export")
    assert export is not None
    assert export.document_name == ZH.EXPORT_FILE.format(unit="县教育局")
    assert export.text == shown(ZH.EXPORT_CAPTION_OPEN, unit="县教育局")
    book = openpyxl.load_workbook(io.BytesIO(export.document or b""))
    assert book.sheetnames == ["汇总", "图表"]  # no ballot rows, breakdown or suggestions before close
    await emulator.settle()
    assert leader.last is export  # and no CSV of ballot rows


async def test_an_invite_makes_a_leader_exactly_once(
    bot: RunningBot, emulator: BotApiEmulator, admin: Person, leader: Person
) -> None:
    """/invite gives a single-use link; the first opener becomes a leader, the second is told it is spent."""
    invite = await admin.send("/invite")
    assert invite is not None
    assert "24 小时" in invite.text
    token = link_token(invite)
    newcomer = Person(emulator, 4242, first_name="新组长")
    welcome = await newcomer.send(f"/start {token}")
    assert welcome is not None
    assert welcome.text.startswith(ZH.INVITE_ACCEPTED.strip())
    assert "open" in [c["command"] for c in emulator.world.commands["chat:4242"]]
    late = await Person(emulator, 4343).send(f"/start {token}")
    assert late is not None
    assert late.text == ZH.INVITE_SPENT
    opened = await send_open(newcomer, "/open 县林业局")
    assert opened.photo is not None
    refused = await (Person(emulator, 4343)).send("/open 县林业局")
    assert refused is not None
    assert refused.text == ZH.NOT_A_LEADER
    listing = await admin.send("/leaders")
    assert listing is not None
    assert "新组长（4242）" in listing.text
    assert shown(ZH.LEADER_CONFIGURED, official=ZH.LEADER_UNNAMED, id=LEADER_ID) in listing.text
    revoked = await admin.send("/revoke 4242")
    assert revoked is not None
    assert revoked.text == ZH.REVOKED.format(id=4242)
    after = await newcomer.send("/tally")
    assert after is not None
    assert after.text == ZH.NOT_A_LEADER
    configured = await admin.send(f"/revoke {LEADER_ID}")
    assert configured is not None
    assert "SURVEY_LEADERS" in configured.text
    not_admin = await leader.send("/invite")
    assert not_admin is not None
    assert not_admin.text == ZH.NOT_AN_ADMIN


async def test_leaders_see_only_their_units_and_admins_see_all(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person, other_leader: Person, admin: Person
) -> None:
    """Another leader cannot tally or press on a unit; the admin lists every unit by leader."""
    await open_unit(leader, "县财政局")
    await open_unit(other_leader, "县审计局")
    mine = await other_leader.send("/units")
    assert mine is not None
    assert "县审计局" in mine.text
    assert "县财政局" not in mine.text
    forged = await other_leader.press_data(mine, "lt:1")
    assert forged["text"] == ZH.ANSWER_NOT_ALLOWED
    everything = await admin.send("/units")
    assert everything is not None
    assert shown(ZH.UNITS_TITLE_ALL) in everything.text
    leader_name = ZH.UNREGISTERED.format(name="组长")
    assert ZH.LEADER_HEADING.format(name=leader_name, id=LEADER_ID) in everything.text
    assert "县财政局" in everything.text
    assert "县审计局" in everything.text
    picker = await admin.send("/tally")
    assert picker is not None
    assert len(picker.labels()) == 2
    await admin.press(picker, "县财政局")
    assert shown(ZH.TALLY_TITLE_OPEN, unit="县财政局") in picker.text
    assert "invite" in [c["command"] for c in emulator.world.commands[f"chat:{ADMIN_ID}"]]


async def test_english_speaking_users_get_an_english_interface(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """language_code 'en': the interface is English, the form's wording stays Chinese."""
    token = await open_unit(leader, "县财政局")
    person = Person(emulator, 500, language_code="en-GB")
    survey = await person.send(f"/start {token}")
    assert survey is not None
    assert "Anonymity" in survey.text
    await person.press(survey, "Start")
    assert "question 1/16" in survey.text
    assert "参评对象" in survey.text
    assert "班子成员" in survey.labels()
    english_leader = Person(emulator, LEADER_ID, language_code="en")
    units = await english_leader.send("/units")
    assert units is not None
    assert "Your units" in units.text
    assert "0 ballots" in units.text
    assert "Start / about" in [c["description"] for c in emulator.world.commands["default/en"]]


async def test_an_overfilled_room_is_told_at_once_and_its_figures_stay(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Headcount 7: the 8th ballot edits the live message at once (no batch completed) with the reason.

    The 9th completes a batch, which would have released ballots 4 to 6: the figures stay at
    the first three until close.
    """
    token = await open_unit(leader, "县财政局 7人")
    live = await leader.send("/tally")
    assert live is not None
    answers = [varied_answers(seed) for seed in range(9)]
    for number in range(7):
        await complete(Person(emulator, 100 + number), token, answers[number])
    await emulator.wait_for(lambda: live.edits == 1)  # the 6th ballot released the first three
    await asyncio.sleep(LIVE_INTERVAL * 2)  # past the pacing: the next edit is not held back by it
    edits = live.edits
    await complete(Person(emulator, 107), token, answers[7])
    await emulator.wait_for(lambda: live.edits == edits + 1)
    first_three = ZH.FROZEN_FIGURES.format(counted=3)
    assert shown(ZH.TALLY_FROZEN, ballots=8, room=7, figures=first_three) in live.text
    assert shown_counts(live.text) == expected_counts(answers[:3])
    await complete(Person(emulator, 108), token, answers[8])
    await asyncio.sleep(LIVE_INTERVAL * 2)
    await emulator.settle()
    await leader.press(live, ZH.REFRESH_BUTTON)
    assert shown(ZH.TALLY_FROZEN, ballots=9, room=7, figures=first_three) in live.text
    assert shown_counts(live.text) == expected_counts(answers[:3])


async def test_a_close_the_disk_refuses_leaves_the_unit_open_and_says_so(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """确认结束 with the database read-only: "not closed", the unit still open with its 4 ballots.

    Once it can be written again, 确认结束 (still on the message) closes it as usual.
    """
    token = await open_unit(leader, "县审计局")
    live = await leader.send("/tally")
    assert live is not None
    all_answers = [varied_answers(seed) for seed in range(4)]
    for number, answers in enumerate(all_answers):
        await complete(Person(emulator, 300 + number), token, answers)
    await leader.press(live, ZH.CLOSE_BUTTON)
    connection = bot.services.repository._connection  # the disk refuses writes from here on
    assert connection is not None
    await connection.execute("PRAGMA query_only = ON")
    answered = await leader.press(live, ZH.CONFIRM_CLOSE_BUTTON)
    assert answered["text"] == ZH.ANSWER_CLOSE_NOT_WRITTEN
    assert live.text == shown(ZH.CLOSE_NOT_WRITTEN, unit="县审计局", ballots=4)
    window = await bot.services.repository.window_by_token(token)
    assert window is not None
    assert window.is_open
    await connection.execute("PRAGMA query_only = OFF")
    before = len(leader.messages)
    await leader.press(live, ZH.CONFIRM_CLOSE_BUTTON)
    await emulator.wait_for(lambda: len(leader.messages) >= before + 4)
    assert shown(ZH.TALLY_TITLE_CLOSED, unit="县审计局") in live.text
    assert shown_counts(live.text) == expected_counts(all_answers)
