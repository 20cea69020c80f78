"""The tally as leaders read it: one HTML message per unit, suggestions apart."""

from __future__ import annotations

from html import escape

from bot import texts
from conversations.questionnaire import QuestionKind
from conversations.tally import Tally

MESSAGE_LIMIT = 4096


def tally_text(unit: str, tally: Tally, *, is_open: bool, min_group: int) -> str:
    """Return the tally message; below `min_group` ballots only the count is shown."""
    title = texts.TALLY_TITLE_OPEN if is_open else texts.TALLY_TITLE_CLOSED
    lines = [title.format(unit=texts.unit(unit)), texts.TALLY_RECEIVED.format(ballots=tally.ballots)]
    if tally.ballots < min_group:
        lines += ["", texts.TALLY_HIDDEN.format(min_group=min_group)]
        return "\n".join(lines)
    section = None
    for item in tally.questions:
        question = item.question
        if question.section != section:
            section = question.section
            lines += ["", f"<b>{escape(section)}</b>"]
            if question.kind is QuestionKind.MULTI:
                lines.append(texts.TALLY_MULTI_NOTE)
        if question.kind is QuestionKind.SINGLE and question.prompt != question.section:
            lines.append(f"<u>{escape(question.prompt)}</u>")
        for count in item.counts:
            lines.append(
                f"  {escape(count.option.label)}　{count.count}（{count.percent(tally.ballots):.1f}%）"
            )
    return "\n".join(lines)


def suggestion_messages(unit: str, suggestions: list[str]) -> list[str]:
    """Return the suggestions as numbered HTML messages, each within Telegram's limit."""
    title = texts.SUGGESTIONS_TITLE.format(unit=texts.unit(unit), count=len(suggestions))
    if not suggestions:
        return [f"{title}\n{texts.NO_SUGGESTIONS}"]
    messages: list[str] = []
    current = title
    for number, suggestion in enumerate(suggestions, start=1):
        entry = f"\n\n{number}. {escape(suggestion)}"
        if len(current) + len(entry) > MESSAGE_LIMIT:
            messages.append(current)
            current = entry.lstrip("\n")
        else:
            current += entry
    messages.append(current)
    return messages
