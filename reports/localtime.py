"""Times as people read them: stored in UTC, shown in the county's zone (SURVEY_TZ)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """Return the moment in `zone`; a naive moment is taken as UTC (how the database stores time)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone)


def offset_label(moment: datetime, zone: ZoneInfo) -> str:
    """Return the zone's offset at that moment as 'UTC+8' (or 'UTC+5:30', 'UTC-3')."""
    offset = local(moment, zone).utcoffset() or timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def stamp(moment: datetime, zone: ZoneInfo, *, labelled: bool = True) -> str:
    """Return '2026-11-26 18:16 UTC+8': local date and time, with the offset unless told not to."""
    text = local(moment, zone).strftime("%Y-%m-%d %H:%M")
    return f"{text} {offset_label(moment, zone)}" if labelled else text


def day(moment: datetime, zone: ZoneInfo) -> str:
    """Return the local date, '2026-11-26'."""
    return local(moment, zone).strftime("%Y-%m-%d")


def now() -> datetime:
    """Return the current moment in UTC (what is stored)."""
    return datetime.now(UTC)
