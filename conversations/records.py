"""Plain records the use cases and the stores pass around: never rows, no SQL, no Telegram."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from conversations.scoring import Marks


class Window(BaseModel):
    """A unit's survey window, opened by one group leader."""

    model_config = ConfigDict(frozen=True)

    id: int
    token: str
    unit: str
    leader_id: int
    is_open: bool
    opened_at: datetime
    closed_at: datetime | None = None
    min_group: int = 3
    expected: int | None = None
    leader_name: str = ""
    # 一人一码: the unit admits only holders of its ballot slips (its open link is not used).
    slips: bool = False
    slips_issued: int = 0
    # Paper forms handed out at the keying desk, and those counted 无效 without being keyed.
    paper_issued: int = 0
    paper_invalid: int = 0
    # Set when more ballots arrived than the room holds (`room`): the ballots the figures stay at
    # until close (no batch is released after it).
    frozen: int | None = None
    # A closed window whose secret was destroyed and file rebuilt (see storage/windows.py); False
    # while a disk that refused it keeps the rebuild waiting.
    rebuilt: bool = True
    # Which time its leader inspects this unit: a closed survey is final, so a second one is a
    # second round (第二轮), asked for explicitly; counted from the leader's windows of the name.
    round: int = 1

    @property
    def label(self) -> str:
        """Return the unit's name as leaders' lists and papers show it: the round from the second on."""
        return self.unit if self.round == 1 else round_label(self.unit, self.round)

    @property
    def room(self) -> int | None:
        """Return how many ballots the room can hold, or None if nobody said."""
        return room_limit(
            expected=self.expected, slips=self.slips, handed_out=self.slips_issued + self.paper_issued
        )


_NUMERALS = "零一二三四五六七八九十"


def chinese_number(number: int) -> str:
    """Return 1-99 in Chinese numerals (二, 十二, 二十一), as 第二轮 writes a round."""
    if number <= 10:  # noqa: PLR2004 - the numerals end at ten
        return _NUMERALS[number]
    tens, ones = divmod(number, 10)
    return f"{_NUMERALS[tens] if tens > 1 else ''}十{_NUMERALS[ones] if ones else ''}"


def round_label(unit: str, number: int) -> str:
    """Return e.g. 县财政局（第二轮）."""
    return f"{unit}（第{chinese_number(number)}轮）"


def room_limit(*, expected: int | None, slips: bool, handed_out: int) -> int | None:
    """Return how many ballots a unit can receive: in a slips unit what was handed out, else the headcount.

    In a slips unit (一人一码) the slips and paper forms handed out are the room (none yet: no
    limit); elsewhere the expected headcount the leader gave, if any.
    """
    if slips:
        return handed_out or None
    return expected


class WindowSummary(BaseModel):
    """A window with how many ballots it has received."""

    model_config = ConfigDict(frozen=True)

    window: Window
    ballots: int


class LiveView(BaseModel):
    """A tally message the bot keeps current."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    message_id: int
    window_id: int
    language: str


class Leader(BaseModel):
    """A leader made by an admin's invite."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    name: str
    invited_by: int
    added_at: datetime


class ScoreSheet(BaseModel):
    """A window's Annex 1 score sheet: the points so far, and who finalised it when."""

    model_config = ConfigDict(frozen=True)

    window_id: int
    marks: Marks
    updated_at: datetime
    finalised_by: int | None = None
    finalised_name: str | None = None
    finalised_at: datetime | None = None

    @property
    def finalised(self) -> bool:
        """Return True once the sheet is an official record that can no longer change."""
        return self.finalised_at is not None


class Official(BaseModel):
    """A leader's real name and inspection group, as official records name them."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    name: str
    group: str
    set_at: datetime

    @property
    def label(self) -> str:
        """Return '张三（第一检查组）'."""
        return f"{self.name}（{self.group}）"


class ItemNotes(BaseModel):
    """A score sheet's reasons for lost points and its photos, by item id."""

    model_config = ConfigDict(frozen=True)

    reasons: dict[str, str] = {}
    photos: dict[str, list[str]] = {}  # Telegram file ids

    def photo_counts(self) -> dict[str, int]:
        """Return how many photos each item has."""
        return {item: len(ids) for item, ids in self.photos.items()}


class Reopening(BaseModel):
    """Finalised sections opened again: when, by whom (an admin or the unit's leader), final since when."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    user_id: int
    by_admin: bool
    was_finalised_at: datetime


class Writings(BaseModel):
    """The leader's written sections of a unit's feedback, whether they are final, and reopenings."""

    model_config = ConfigDict(frozen=True)

    texts: dict[str, str] = {}  # section → text
    finalised_at: datetime | None = None
    reopenings: tuple[Reopening, ...] = ()  # oldest first

    @property
    def finalised(self) -> bool:
        """Return True once the sections can no longer change."""
        return self.finalised_at is not None


class Pending(BaseModel):
    """What a leader's next message fills in: a kind ('reason', 'writing', 'conclusions') and its target."""

    model_config = ConfigDict(frozen=True)

    window_id: int
    kind: str
    target: str = ""
