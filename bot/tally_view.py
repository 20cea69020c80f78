"""The tally as leaders read it on a phone: one HTML message with bars in monospace blocks."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from bot import texts
from bot.callback_data import AskClose, ExplainCombined, ShowTally
from bot.screens import Button, Screen
from bot.texts import Texts
from conversations.questionnaire import QuestionKind
from conversations.records import Window
from conversations.tally import OptionCount, QuestionTally, Tally
from reports.counts import FormCounts, counts_template
from reports.localtime import DEFAULT_ZONE
from reports.wording import combined_note

MESSAGE_LIMIT = 4096
BAR_CELLS = 10
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(share: float, cells: int = BAR_CELLS) -> str:
    """Return a bar of `cells` character cells filled to `share` (0 … 1), in eighths."""
    eighths = round(max(0.0, min(1.0, share)) * cells * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text.ljust(cells)


def percent(rate: float | None) -> str:
    """Return a rate as a percentage with one decimal, or a dash."""
    return "—" if rate is None else f"{100 * rate:.1f}%"


def _rows(counts: tuple[OptionCount, ...], ballots: int) -> str:
    width = max(len(str(c.count)) for c in counts)
    lines = [
        f"{c.count:>{width}} {c.percent(ballots):3.0f}% {bar(c.count / ballots if ballots else 0)} "
        f"{escape(c.option.label)}"
        for c in counts
    ]
    return "<pre>" + "\n".join(lines) + "</pre>"


def _question_block(t: Texts, item: QuestionTally) -> list[str]:
    """Return one item's lines; shares are of the ballots answering it (a spoiled row does not)."""
    question = item.question
    lines = []
    if question.kind is QuestionKind.MULTI:
        lines.append(t.TALLY_RANKED)
        lines.append(_rows(item.ranked(), item.answered))
    else:
        if not question.repeats_section:
            heading = escape(question.prompt)
            if question.rated:
                heading += " · " + t.TALLY_ITEM_RATE.format(rate=percent(item.favourable_rate))
            lines.append(heading)
        lines.append(_rows(item.counts, item.answered))
    if item.spoiled:
        lines.append(t.TALLY_ITEM_SPOILED.format(count=item.spoiled))
    return lines


def split_line(t: Texts, tally: Tally) -> str:
    """Return 共 N 份，其中纸质 M 份 for the ballots the figures cover (while open: those counted so far)."""
    template = t.TALLY_SPLIT if tally.counted == tally.received else t.TALLY_SPLIT_COUNTED
    return template.format(ballots=tally.counted, paper=tally.paper)


def spoiled_line(t: Texts, tally: Tally) -> str | None:
    """Return the items with spoiled paper rows and how many, or None if there are none."""
    if not tally.spoiled:
        return None
    rows = t.LIST_SEPARATOR.join(
        t.TALLY_SPOILED_ROW.format(prompt=escape(q.question.prompt), count=q.spoiled) for q in tally.spoiled
    )
    return t.TALLY_SPOILED.format(rows=rows)


def counts_text(t: Texts, counts: FormCounts) -> str:
    """Return 共发放 N 份（测评码 S 张、纸质表 P 份）、收回 M 份、有效 V 份, or as much of it as is known."""
    template = counts_template(counts, t.TALLY_COUNTS_SLIPS, t.TALLY_COUNTS_PAPER, t.TALLY_COUNTS_LINK)
    return template.format(**counts.figures())


def window_times(t: Texts, window: Window, zone: ZoneInfo) -> str:
    """Return when the window opened (and closed), as the office reads the time (12月8日 15:20)."""
    opened = texts.when(t, window.opened_at, zone)
    if window.closed_at is None:
        return t.WINDOW_OPENED_AT.format(opened=opened)
    return t.WINDOW_CLOSED_AT.format(opened=opened, closed=texts.when(t, window.closed_at, zone))


def headline(t: Texts, window: Window, tally: Tally, zone: ZoneInfo = DEFAULT_ZONE) -> list[str]:
    """Return the title, the times, the ballots received (against the headcount) and what is counted."""
    title = t.TALLY_TITLE_OPEN if window.is_open else t.TALLY_TITLE_CLOSED
    received = (
        t.TALLY_RECEIVED_OF.format(ballots=tally.received, expected=window.expected)
        if window.expected
        else t.TALLY_RECEIVED.format(ballots=tally.received)
    )
    lines = [title.format(unit=texts.html(window.label)), window_times(t, window, zone), received]
    counts = FormCounts.of(window, tally.received)
    if counts.worth_a_line:
        lines.append(counts_text(t, counts))
    frozen = window.is_open and window.frozen is not None
    if frozen:
        template = t.TALLY_FROZEN_SLIPS if window.slips else t.TALLY_FROZEN
        figures = t.FROZEN_FIGURES.format(counted=tally.counted) if tally.counted else t.FROZEN_NO_FIGURES
        lines.append(template.format(ballots=tally.received, room=window.room, figures=figures))
    elif window.expected and tally.received > window.expected:
        lines.append(over_expected(t, tally, window.expected))
    if not tally.counted:
        if not frozen:  # frozen, the notice says the figures wait for the close
            lines.append(hidden_line(t, tally, is_open=window.is_open))
        return lines
    if tally.counted < tally.received and not frozen:
        lines.append(t.TALLY_BATCHED.format(counted=tally.counted, min_group=tally.min_group))
    lines.append(split_line(t, tally))
    spoiled = spoiled_line(t, tally)
    if spoiled:
        lines.append(spoiled)
    return lines


def over_expected(t: Texts, tally: Tally, expected: int) -> str:
    """Return the warning for more ballots than the headcount: what came by phone and on paper, what to check.

    Once every ballot is counted the split is known: extra ballots keyed from paper are not
    blamed on several accounts. Before, every cause is listed.
    """
    if tally.counted != tally.received:
        return t.TALLY_OVER_EXPECTED.format(ballots=tally.received, expected=expected)
    phones = tally.received - tally.paper
    head = t.TALLY_OVER_SPLIT.format(
        ballots=tally.received, phones=phones, paper=tally.paper, expected=expected
    )
    return head + (t.TALLY_OVER_PHONES if phones > expected else t.TALLY_OVER_PAPER)


def hidden_line(t: Texts, tally: Tally, *, is_open: bool) -> str:
    """Return why no option figures are shown: too few ballots, or the newest batch held back."""
    if is_open:
        return t.TALLY_HIDDEN_OPEN.format(first=2 * tally.min_group, min_group=tally.min_group)
    return t.TALLY_HIDDEN.format(min_group=tally.min_group)


def breakdown_line(t: Texts, tally: Tally) -> str:
    """Return the favourable rate per respondent category, those not shown alone combined.

    With every category combined the line would repeat the overall rate: it says instead that the
    categories are too small to show apart. Why some are combined is one press away (❓ 合并规则).
    """
    cells = [
        f"{escape(row.category.label)} {percent(row.favourable_rate)}"
        for row in tally.breakdown
        if row.shown and row.ballots
    ]
    if not cells:
        return t.TALLY_TOO_SMALL
    combined = tally.combined
    if combined is not None:
        groups = [escape(option.label) for option in combined.categories]
        if combined.unlabelled:
            groups.append(t.TALLY_NO_CATEGORY.format(count=combined.unlabelled))
        groups_text = t.TALLY_GROUP_SEPARATOR.join(groups)
        cells.append(t.TALLY_COMBINED.format(groups=groups_text, rate=percent(combined.favourable_rate)))
    line = t.TALLY_BY_CATEGORY + " " + " · ".join(cells)
    if explains_combined(tally):
        line += "\n" + t.TALLY_COMBINED_HINT
    return line


def explains_combined(tally: Tally) -> bool:
    """Return True if the tally shows some categories apart and combines others (❓ says why)."""
    shown = any(row.shown and row.ballots for row in tally.breakdown)
    return shown and tally.combined is not None and bool(tally.combined.categories)


def combined_rule(t: Texts, min_group: int) -> str:
    """Return why categories are combined, for this unit's smallest group."""
    return combined_note(t.TALLY_COMBINED_NOTE, min_group)


def tally_text(t: Texts, window: Window, tally: Tally, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """Return the tally message: headline, overall rate, categories, then every item."""
    lines = headline(t, window, tally, zone)
    if not tally.counted:
        return "\n".join(lines)
    lines.append(t.TALLY_FAVOURABLE.format(rate=percent(tally.favourable_rate)))
    if tally.breakdown:  # only after close
        lines.append(breakdown_line(t, tally))
    section = None
    for item in tally.questions:
        if item.question.section != section:
            section = item.question.section
            lines += ["", f"<b>{escape(section)}</b>"]
        lines += _question_block(t, item)
    return "\n".join(lines)


def tally_screen(t: Texts, window: Window, tally: Tally, zone: ZoneInfo) -> Screen:
    """Return the tally message; an open window's has 🔄 刷新 and 结束测评 under it."""
    text = tally_text(t, window, tally, zone)
    if not window.is_open:
        rows = ((Button(t.COMBINED_BUTTON, ExplainCombined(window.id)),),) if explains_combined(tally) else ()
        return Screen(text, rows)
    buttons = (Button(t.REFRESH_BUTTON, ShowTally(window.id)), Button(t.CLOSE_BUTTON, AskClose(window.id)))
    return Screen(text, (buttons,))


def suggestion_messages(t: Texts, unit: str, suggestions: list[str]) -> list[str]:
    """Return the suggestions as numbered HTML messages, each within Telegram's limit."""
    title = t.SUGGESTIONS_TITLE.format(unit=texts.html(unit), count=len(suggestions))
    if not suggestions:
        return [f"{title}\n{t.NO_SUGGESTIONS}"]
    messages: list[str] = []
    current = title
    for number, suggestion in enumerate(suggestions, start=1):
        for piece in _pieces(f"{number}. {escape(suggestion)}"):
            if len(current) + len(piece) + 2 > MESSAGE_LIMIT:
                messages.append(current)
                current = piece
            else:
                current += "\n\n" + piece
    messages.append(current)
    return messages


def _pieces(entry: str, size: int = MESSAGE_LIMIT - 100) -> list[str]:
    """Split an entry longer than a message at character boundaries outside HTML entities."""
    pieces = []
    while len(entry) > size:
        cut = entry.rfind("&", 0, size)
        cut = cut if cut > size - 8 else size  # never split '&lt;' and friends
        pieces.append(entry[:cut])
        entry = entry[cut:]
    pieces.append(entry)
    return pieces
