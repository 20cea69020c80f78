"""Times are stored in UTC and read in the county's zone, with the offset where it matters."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from reports.localtime import day, local, offset_label, spoken, spoken_day, stamp

EVENING_IN_CHINA = datetime(2026, 11, 26, 10, 16, tzinfo=UTC)


def test_the_county_reads_its_own_clock() -> None:
    """10:16 UTC is 18:16 in Shanghai, labelled UTC+8; unlabelled it is the time alone."""
    shanghai = ZoneInfo("Asia/Shanghai")
    assert stamp(EVENING_IN_CHINA, shanghai) == "2026-11-26 18:16 UTC+8"
    assert stamp(EVENING_IN_CHINA, shanghai, labelled=False) == "2026-11-26 18:16"
    assert day(datetime(2026, 11, 26, 17, 0, tzinfo=UTC), shanghai) == "2026-11-27"  # after midnight there


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", "UTC+0"),
        ("Asia/Kolkata", "UTC+5:30"),
        ("America/Sao_Paulo", "UTC-3"),
        ("Europe/Berlin", "UTC+1"),  # winter time on that date
    ],
)
def test_offsets_are_labelled(zone: str, expected: str) -> None:
    """The label is the zone's offset at that moment, with minutes only where there are any."""
    assert offset_label(EVENING_IN_CHINA, ZoneInfo(zone)) == expected


def test_a_naive_time_is_taken_as_utc() -> None:
    """What the database stores without an offset is UTC."""
    naive = EVENING_IN_CHINA.replace(tzinfo=None)
    assert local(naive, ZoneInfo("Asia/Shanghai")).hour == 18


def test_a_message_says_a_time_as_the_office_reads_it() -> None:
    """12月8日 15:20 in Beijing's zone (unsaid), the year only when not this one, another zone named."""
    reference = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    moment = datetime(2026, 12, 8, 7, 20, tzinfo=UTC)
    assert spoken(moment, ZoneInfo("Asia/Shanghai"), reference) == "12月8日 15:20"
    assert spoken(moment, ZoneInfo("Asia/Shanghai"), reference.replace(year=2027)) == "2026年12月8日 15:20"
    assert spoken(moment, ZoneInfo("Asia/Urumqi"), reference) == "12月8日 13:20（乌鲁木齐时间）"
    assert spoken(moment, ZoneInfo("Asia/Kolkata"), reference) == "12月8日 12:50（UTC+5:30）"
    assert spoken_day(moment, ZoneInfo("Asia/Shanghai"), reference) == "12月8日"
