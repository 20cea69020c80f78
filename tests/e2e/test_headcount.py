"""More ballots than the headcount: the warning says what came by phone and on paper, and what to check."""

from __future__ import annotations

from bot.texts import ZH
from emulator import BotApiEmulator
from emulator.html_text import visible_text
from emulator.people import Person
from tests.e2e.conftest import RunningBot
from tests.e2e.flows import complete, key_form, link_token, varied_answers


async def test_extra_ballots_keyed_from_paper_are_not_blamed_on_several_accounts(
    bot: RunningBot, emulator: BotApiEmulator, leader: Person
) -> None:
    """4 expected, 3 phones, 3 paper forms keyed: the split said, the keying to check, not accounts."""
    opened = await leader.send("/open 县财政局 4人")
    assert opened is not None
    for seed in range(3):
        await complete(Person(emulator, 800 + seed), link_token(opened), varied_answers(seed))
    desk = await leader.send("/paper")
    assert desk is not None
    await leader.press(desk, ZH.PAPER_BEGIN)
    form = desk
    for number, seed in enumerate((10, 11, 12)):
        if number:
            await leader.press(form, ZH.PAPER_NEXT)
        form = await key_form(leader, form, varied_answers(seed), frozenset())

    live = await leader.send("/tally")  # frozen before any batch was shown: no "first 0 ballots"
    assert live is not None
    assert visible_text(ZH.FROZEN_NO_FIGURES) in live.text
    assert "停在前 0 份" not in live.text
    assert "份后开始显示" not in live.text  # it will not start: the figures wait for the close
    confirm = await leader.send("/close")
    assert confirm is not None
    await leader.press(confirm, ZH.CONFIRM_CLOSE_BUTTON)
    await emulator.wait_for(lambda: (leader.last.document_name or "").endswith(".csv"), 60)
    assert "多个账号" not in confirm.text  # before: 有人可能用多个账号提交，或链接已传给测评范围以外的人
    warning = visible_text(
        ZH.TALLY_OVER_SPLIT.format(ballots=6, phones=3, paper=3, expected=4) + ZH.TALLY_OVER_PAPER
    )
    assert warning in confirm.text
    assert (
        "收到 6 份（手机 3 份、纸质表录入 3 份），超过应到人数 4。手机答卷没有超过应到人数，多出的来自纸质表"
        in warning
    )
