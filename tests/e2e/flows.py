"""Helpers that walk the survey the way a person on a phone does."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from conversations.annex2 import ANNEX2
from conversations.questionnaire import QuestionKind
from emulator import BotMessage
from emulator.people import Person

LINK = re.compile(r"start=([A-Za-z0-9_-]+)")
# "10  83% ████████▎  职责权力梳理全面准确": count, share, a 10-cell bar, the option
TALLY_LINE = re.compile(r"^ *(\d+) +\d+% .{10} (.+)$", re.MULTILINE)


@dataclass
class FormAnswers:
    """What one participant ticks: option labels per question id, and a suggestion."""

    picks: dict[str, list[str]] = field(default_factory=dict)
    suggestion: str | None = None


def varied_answers(seed: int) -> FormAnswers:
    """Return a different, valid set of answers for each seed."""
    answers = FormAnswers(suggestion=f"建议{seed}：加强<b>公开</b>" if seed % 2 == 0 else None)
    for index, question in enumerate(ANNEX2.questions):
        labels = [option.label for option in question.options]
        if question.kind is QuestionKind.SINGLE:
            answers.picks[question.id] = [labels[(seed + index) % len(labels)]]
        elif question.kind is QuestionKind.MULTI:
            count = 1 + seed % question.max_choices
            answers.picks[question.id] = [labels[(seed + k) % len(labels)] for k in range(count)]
    return answers


def expected_counts(all_answers: list[FormAnswers]) -> list[tuple[str, int]]:
    """Return (label, count) per option of every choice question, as the tally lists them.

    Single-choice items keep the form's order; choose-up-to-three items are ranked, most chosen
    first, the form's order breaking ties.
    """
    expected = []
    for question in ANNEX2.questions:
        if question.kind is QuestionKind.TEXT:
            continue
        counted = Counter(label for a in all_answers for label in a.picks[question.id])
        rows = [(option.label, counted[option.label]) for option in question.options]
        if question.kind is QuestionKind.MULTI:
            rows.sort(key=lambda row: -row[1])
        expected += rows
    return expected


def shown_counts(tally_text: str) -> list[tuple[str, int]]:
    """Return (label, count) for every option line of a tally message, top to bottom."""
    return [(label, int(count)) for count, label in TALLY_LINE.findall(tally_text)]


def link_token(message: BotMessage) -> str:
    """Return the deep-link token in the leader's /open reply."""
    found = LINK.search(message.text)
    assert found is not None, message.text
    return found.group(1)


async def send_open(leader: Person, command: str) -> BotMessage:
    """Send an /open command; return the reply, once the poster that follows a QR code has arrived."""
    reply = await leader.send(command)
    assert reply is not None
    if reply.photo is not None:
        await leader.emulator.wait_chat(leader.user_id, lambda: leader.last.document is not None)
    return reply


async def open_unit(leader: Person, unit: str) -> str:
    """Have the leader open a unit; return the link's token."""
    return link_token(await send_open(leader, f"/open {unit}"))


async def begin(person: Person, token: str) -> BotMessage:
    """Open the link and press 开始; return the survey message."""
    welcome = await person.send(f"/start {token}")
    assert welcome is not None
    await person.press(welcome, "开始")
    return welcome


async def answer_step(person: Person, survey: BotMessage, index: int, answers: FormAnswers) -> BotMessage:
    """Answer question `index` on the survey message; return the message that carries on."""
    question = ANNEX2.questions[index]
    assert f"第 {index + 1}/16 题" in survey.text, survey.text
    if question.kind is QuestionKind.SINGLE:
        await person.press(survey, answers.picks[question.id][0])
    elif question.kind is QuestionKind.MULTI:
        for label in answers.picks[question.id]:
            await person.press(survey, label)
        await person.press(survey, "完成")
    elif answers.suggestion is None:
        await person.press(survey, "跳过")
    else:
        review = await person.send(answers.suggestion)
        assert review is not None
        return review
    return survey


async def complete(person: Person, token: str, answers: FormAnswers) -> BotMessage:
    """Fill in and submit the whole form; return the message showing the thank-you."""
    survey = await begin(person, token)
    for index in range(ANNEX2.size):
        survey = await answer_step(person, survey, index, answers)
    assert "请核对您的答卷" in survey.text, survey.text
    reply = await person.press(survey, "提交")
    assert reply.get("text") == "答卷已提交，感谢参与！"
    return survey


async def short_briefing(leader: Person, participants: list[Person]) -> None:
    """Open a unit, let each participant answer, close it: the final tally counts every ballot."""
    token = await open_unit(leader, "县财政局")
    all_answers = [varied_answers(seed) for seed in range(len(participants))]
    for person, answers in zip(participants, all_answers, strict=True):
        await complete(person, token, answers)
    confirm = await leader.send("/close")
    assert confirm is not None
    await leader.press(confirm, "确认结束")
    assert "最终结果" in confirm.text, confirm.text
    assert shown_counts(confirm.text) == expected_counts(all_answers)


async def key_form(
    keyer: Person, form: BotMessage, answers: FormAnswers, spoiled: frozenset[str]
) -> BotMessage:
    """Key one paper form in, its `spoiled` rows as 本项作废; return the message showing 已录入."""
    for index, question in enumerate(ANNEX2.questions):
        if question.id in spoiled:
            assert f"第 {index + 1}/16 题" in form.text, form.text
            await keyer.press(form, "本项作废")
        else:
            form = await answer_step(keyer, form, index, answers)
    assert "请与纸质表核对" in form.text, form.text
    reply = await keyer.press(form, "录入此份")
    assert reply.get("text") == "已录入"
    return form


def as_keyed(answers: FormAnswers, spoiled: frozenset[str]) -> FormAnswers:
    """Return what a keyed form counts: its spoiled rows count for no option."""
    picks = {
        question_id: [] if question_id in spoiled else labels for question_id, labels in answers.picks.items()
    }
    return FormAnswers(picks=picks, suggestion=answers.suggestion)
