"""Titles and times as charts and papers word them; the papers' wording is always Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.texts import ZH, Texts
from conversations.records import Window
from conversations.tally import Tally
from reports.localtime import local
from reports.wording import day, split, spoiled_rows


def chart_title(t: Texts, window: Window, tally: Tally, zone: ZoneInfo) -> str:
    """Return the chart's title: unit, state, ballots counted and the briefing's date."""
    template = t.CHART_TITLE_OPEN if window.is_open else t.CHART_TITLE_CLOSED
    title = template.format(
        unit=window.label,
        split=split(tally.counted, tally.paper),
        date=day(local(window.opened_at, zone).date()),
    )
    if tally.spoiled:
        title += t.CHART_TITLE_SPOILED.format(
            rows=spoiled_rows([(q.question.prompt, q.spoiled) for q in tally.spoiled])
        )
    return title


@dataclass(frozen=True, slots=True)
class PaperWording:
    """The `usecases.documents.Wording` of this bot: the Chinese texts, in the survey's time zone."""

    zone: ZoneInfo

    def chart_title(self, window: Window, tally: Tally) -> str:
        """Return the chart's title in Chinese."""
        return chart_title(ZH, window, tally, self.zone)

    def unregistered(self, name: str) -> str:
        """Return a leader's Telegram name marked as not registered."""
        return ZH.UNREGISTERED.format(name=name)
