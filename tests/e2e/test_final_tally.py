"""The final tally at close: once, in words that fit a closed unit, the merge rule one press away."""

from __future__ import annotations

from bot.texts import ZH
from emulator import BotApiEmulator
from emulator.html_text import visible_text
from emulator.people import Person
from reports.wording import combined_note
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import FormAnswers, complete, open_unit, varied_answers

FINAL = visible_text(ZH.TALLY_TITLE_CLOSED.format(unit="县财政局"))


def of_category(seed: int, label: str) -> FormAnswers:
    """Return varied answers whose 参评对象 is `label`."""
    answers = varied_answers(seed)
    answers.picks["category"] = [label]
    return answers


async def close_from_a_command(emulator: BotApiEmulator, leader: Person) -> None:
    """Send /close, press 确认结束, and wait for the workbook and CSV that end the results."""
    confirm = await leader.send("/close")
    assert confirm is not None
    await leader.press(confirm, ZH.CONFIRM_CLOSE_BUTTON)
    await emulator.wait_for(lambda: (leader.last.document_name or "").endswith(".csv"), 60)
    await emulator.settle()


async def test_the_final_tally_arrives_once_and_the_live_message_points_to_it(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """Closed from /close under a live /tally: one final tally, below; the live message says where it is.

    Three ballots in three categories: the by-category line says they are too small to show apart
    instead of merging them all into a line repeating the overall rate.
    """
    token = await open_unit(leader, "县财政局")
    live = await leader.send("/tally")
    assert live is not None
    for seed, label in enumerate(["班子成员", "中层干部", "服务对象代表"]):
        await complete(Person(emulator, 500 + seed), token, of_category(seed, label))

    await close_from_a_command(emulator, leader)
    finals = [m for m in leader.messages if m.text.startswith(FINAL)]
    assert len(finals) == 1, [m.text[:40] for m in leader.messages]
    assert live.text == visible_text(ZH.TALLY_CLOSED_BELOW.format(unit="县财政局"))
    assert not live.buttons
    final = finals[0]
    assert ZH.TALLY_TOO_SMALL in final.text.splitlines()
    assert "（合并）" not in final.text
    assert "暂不" not in final.text
    assert not final.buttons


async def test_the_merge_rule_is_one_press_away_not_in_every_tally(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """5 班子成员, 4 中层干部, 1 服务对象代表: the last two combined; the rule comes with ❓ 合并规则."""
    token = await open_unit(leader, "县财政局")
    categories = ["班子成员"] * 5 + ["中层干部"] * 4 + ["服务对象代表"]
    for seed, label in enumerate(categories):
        await complete(Person(emulator, 600 + seed), token, of_category(seed, label))

    await close_from_a_command(emulator, leader)
    (final,) = [m for m in leader.messages if m.text.startswith(FINAL)]
    rule = visible_text(combined_note(ZH.TALLY_COMBINED_NOTE, 3))
    assert "中层干部、服务对象代表（合并）" in final.text
    assert ZH.TALLY_COMBINED_HINT in final.text
    assert rule not in final.text
    assert final.labels() == [ZH.COMBINED_BUTTON]
    count = len(leader.messages)
    await leader.press(final, ZH.COMBINED_BUTTON)
    await emulator.wait_for(lambda: len(leader.messages) > count)
    assert leader.last.text == rule
    again = await leader.send("/tally 县财政局")
    assert again is not None
    assert rule not in again.text
    assert again.labels() == [ZH.COMBINED_BUTTON]
