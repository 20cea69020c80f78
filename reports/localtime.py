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


BEIJING = "北京时间"
# The Chinese names of the zones a county may set (SURVEY_TZ); others are named by their offset.
_ZONE_NAMES = {
    "Asia/Shanghai": BEIJING,
    "Asia/Chongqing": BEIJING,
    "Asia/Chungking": BEIJING,
    "Asia/Harbin": BEIJING,
    "PRC": BEIJING,
    "Asia/Urumqi": "乌鲁木齐时间",
    "Asia/Hong_Kong": "香港时间",
    "Asia/Macau": "澳门时间",
    "Asia/Taipei": "台北时间",
}


def zone_name(moment: datetime, zone: ZoneInfo) -> str:
    """Return how a Chinese reader names the zone: 北京时间, or 'UTC+5:30' for a zone without a name."""
    return _ZONE_NAMES.get(zone.key, offset_label(moment, zone))


def spoken(moment: datetime, zone: ZoneInfo, reference: datetime | None = None) -> str:
    """Return a moment as an office reads it in a message: 12月8日 15:20 (北京时间 goes without saying).

    The year is said when it is not the current one; a zone other than Beijing's is named:
    12月8日 15:20（乌鲁木齐时间）.
    """
    at, today = local(moment, zone), local(reference or now(), zone)
    text = f"{at.month}月{at.day}日 {at.hour}:{at.minute:02d}"
    if at.year != today.year:
        text = f"{at.year}年{text}"
    name = zone_name(moment, zone)
    return text if name == BEIJING else f"{text}（{name}）"


def spoken_day(moment: datetime, zone: ZoneInfo, reference: datetime | None = None) -> str:
    """Return the local date as a message says it: 12月8日 (the year when it is not this one)."""
    at, today = local(moment, zone), local(reference or now(), zone)
    text = f"{at.month}月{at.day}日"
    return text if at.year == today.year else f"{at.year}年{text}"


def chinese_date(moment: datetime, zone: ZoneInfo) -> str:
    """Return the local date as official papers print it: 2026年12月8日."""
    at = local(moment, zone)
    return f"{at.year}年{at.month}月{at.day}日"


def chinese_stamp(moment: datetime, zone: ZoneInfo) -> str:
    """Return e.g. 2026年12月8日 15:20（北京时间）."""
    at = local(moment, zone)
    return f"{chinese_date(moment, zone)} {at.hour}:{at.minute:02d}（{zone_name(moment, zone)}）"


def chinese_span(opened: datetime, closed: datetime | None, zone: ZoneInfo) -> str:
    """Return e.g. 2026年12月8日 9:00—9:40（北京时间）: no end while open, two dates over midnight."""
    start = local(opened, zone)
    text = f"{chinese_date(opened, zone)} {start.hour}:{start.minute:02d}"
    if closed is not None:
        end = local(closed, zone)
        same_day = end.date() == start.date()
        text += "—" + ("" if same_day else f"{chinese_date(closed, zone)} ") + f"{end.hour}:{end.minute:02d}"
    return f"{text}（{zone_name(opened, zone)}）"
