"""Callback data: short, namespaced strings, encoded and decoded only here.

Every kind of button is declared once, below, with the prefix its data starts with; the
window id and the kind's own fields follow, separated by colons. Survey presses carry the
step they were drawn for, so a press on an old message, a doubled tap or a forged string
can be recognised and refused.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, get_type_hints

from conversations.engine import Back, Choose, FinishChoices, KeepText, Press, Revise, SkipText, Spoil, Toggle
from conversations.scoring import Award, SheetPress

MAX_BYTES = 64  # Telegram's limit for callback_data
_FIELD_PATTERNS: dict[object, str] = {
    int: r"(0|[1-9][0-9]{0,17})",
    str: r"([a-z0-9_]{1,24})",
    bool: r"([01])",
}


@dataclass(frozen=True, slots=True)
class Action:
    """What a button means: always something about one survey window, named by its id."""

    window_id: int


@dataclass(frozen=True, slots=True)
class _Form:
    """How one kind of button is read back."""

    pattern: re.Pattern[str]
    make: Callable[[list[str]], Action]


_FORMS: dict[str, _Form] = {}
_PREFIXES: dict[object, str] = {}  # an action kind (or a press kind within one) → its prefix
_KINDS: list[type[Action]] = []
A = TypeVar("A", bound=Action)


def _fields(kind: type) -> list[tuple[str, Any]]:
    hints = get_type_hints(kind)
    return [(field.name, hints[field.name]) for field in dataclasses.fields(kind)]


_NAMES: dict[type, tuple[str, ...]] = {}  # a kind → its field names, read from its type hints once


def _names(kind: type) -> tuple[str, ...]:
    names = _NAMES.get(kind)
    if names is None:
        names = _NAMES[kind] = tuple(name for name, _ in _fields(kind))
    return names


def _declare(prefix: str, field_types: list[Any], make: Callable[[list[Any]], Action]) -> None:
    if prefix in _FORMS:
        msg = f"two kinds of button share the prefix {prefix!r}"
        raise ValueError(msg)
    groups = ":".join(_FIELD_PATTERNS[kind] for kind in field_types)
    pattern = re.compile(rf"^{re.escape(prefix)}:{groups}$")

    def read(values: list[str]) -> Action:
        return make([_read(value, kind) for value, kind in zip(values, field_types, strict=True)])

    _FORMS[prefix] = _Form(pattern, read)


def _read(value: str, kind: object) -> object:
    if kind is bool:
        return value == "1"
    return int(value) if kind is int else value


def _write(value: object) -> str:
    return str(int(value)) if isinstance(value, bool) else str(value)


def button(prefix: str) -> Callable[[type[A]], type[A]]:
    """Declare a kind of button whose data is `prefix:<window id>` plus the kind's own fields."""

    def declare(kind: type[A]) -> type[A]:
        make: Callable[..., Action] = kind
        _declare(prefix, [hint for _name, hint in _fields(kind)], lambda values: make(*values))
        _PREFIXES[kind] = prefix
        _KINDS.append(kind)
        return kind

    return declare


def press_button(prefix: str, presses: dict[str, type[Press | SheetPress]]) -> Callable[[type[A]], type[A]]:
    """Declare a kind of button that carries a press: `<prefix><press prefix>:<window id>:<press fields>`."""

    def declare(kind: type[A]) -> type[A]:
        for short, press in presses.items():
            types = [int, *(hint for _name, hint in _fields(press))]
            _declare(prefix + short, types, _carrying(kind, press))
            _PREFIXES[(kind, press)] = prefix + short
        _KINDS.append(kind)
        return kind

    return declare


def _carrying(
    kind: Callable[..., Action], press: Callable[..., Press | SheetPress]
) -> Callable[[list[Any]], Action]:
    return lambda values: kind(values[0], press(*values[1:]))


SURVEY_PRESSES: dict[str, type[Press | SheetPress]] = {
    "a": Choose,
    "t": Toggle,
    "d": FinishChoices,
    "k": KeepText,
    "x": SkipText,
    "b": Back,
    "r": Revise,
}
SHEET_PRESSES: dict[str, type[Press | SheetPress]] = {"p": Award, "b": Back, "r": Revise}


@button("g")
@dataclass(frozen=True, slots=True)
class BeginSurvey(Action):
    """The 开始 button under the welcome text."""


@press_button("", SURVEY_PRESSES)
@dataclass(frozen=True, slots=True)
class SurveyPress(Action):
    """A press on a survey step."""

    press: Press


@button("s")
@dataclass(frozen=True, slots=True)
class SubmitBallot(Action):
    """The 提交 button on the review step."""


@button("lt")
@dataclass(frozen=True, slots=True)
class ShowTally(Action):
    """A leader picks a unit to see (or refresh) its tally."""


@button("lo")
@dataclass(frozen=True, slots=True)
class OpenRound(Action):
    """开启第二轮: the unit closed in this window opens again as its next round, as /open asked it."""

    expected: int  # the headcount typed (0: none)
    by_slips: bool
    slips: int  # slips to print at once


@button("lc")
@dataclass(frozen=True, slots=True)
class AskClose(Action):
    """A leader picks a unit to close; the bot asks to confirm."""


@button("lw")
@dataclass(frozen=True, slots=True)
class WaitKeying(Action):
    """⏳ 等待录入 on the close question: ask again, with the paper forms still being keyed."""


@button("ly")
@dataclass(frozen=True, slots=True)
class ConfirmClose(Action):
    """A leader confirms closing the window (确认结束)."""


@button("ln")
@dataclass(frozen=True, slots=True)
class CancelClose(Action):
    """A leader keeps the window open after all."""


@button("lq")
@dataclass(frozen=True, slots=True)
class ExplainCombined(Action):
    """❓ 合并规则 under a final tally: why some categories are counted together."""


@button("lg")
@dataclass(frozen=True, slots=True)
class SendChart(Action):
    """A leader picks a unit for its charts."""


@button("le")
@dataclass(frozen=True, slots=True)
class SendExport(Action):
    """A leader picks a unit to export."""


@press_button("S", SHEET_PRESSES)
@dataclass(frozen=True, slots=True)
class ScorePress(Action):
    """A press on a leader's Annex 1 score sheet: points for an item, back, or revise."""

    press: SheetPress


@button("sf")
@dataclass(frozen=True, slots=True)
class FinaliseScore(Action):
    """定稿 on the score sheet's review: the bot asks to confirm."""


@button("ss")
@dataclass(frozen=True, slots=True)
class ShowScore(Action):
    """Redraw the score sheet where it stands (取消 on the finalise question)."""


@button("sy")
@dataclass(frozen=True, slots=True)
class ConfirmFinalise(Action):
    """The leader confirms finalising the score sheet."""


@button("sn")
@dataclass(frozen=True, slots=True)
class NoteItem(Action):
    """📝 理由/照片 on an item: the next text is its 扣分理由, photos attach to it."""

    step: int


@button("sd")
@dataclass(frozen=True, slots=True)
class NoteDone(Action):
    """完成 on an item's note: back to the sheet."""


@button("wk")
@dataclass(frozen=True, slots=True)
class WriteSection(Action):
    """✎ on one of the leader's sections of the feedback."""

    section: int


@button("wn")
@dataclass(frozen=True, slots=True)
class SkipSection(Action):
    """跳过 in the guided walk: keep the section as it is, go on."""

    section: int


@button("wf")
@dataclass(frozen=True, slots=True)
class FinaliseSections(Action):
    """📝 定稿 on the sections: the bot asks to confirm."""


@button("wy")
@dataclass(frozen=True, slots=True)
class ConfirmSections(Action):
    """The leader confirms the sections are final."""


@button("wo")
@dataclass(frozen=True, slots=True)
class ReopenSections(Action):
    """✎ 重新打开修改 on final sections: their leader (until the 结果反馈 is final) or an admin."""


@button("gc")
@dataclass(frozen=True, slots=True)
class WriteConclusions(Action):
    """✎ 结论和建议 under the group's report (the window id is 0: it belongs to the group)."""


@button("sc")
@dataclass(frozen=True, slots=True)
class StartScore(Action):
    """A leader picks a unit to score (/score without a name)."""


@button("sr")
@dataclass(frozen=True, slots=True)
class SendReport(Action):
    """A leader or admin picks a unit for its report (/report without a name)."""


@button("wp")
@dataclass(frozen=True, slots=True)
class StartWriting(Action):
    """A leader picks a unit to write its feedback (/write without a name)."""


@button("gr")
@dataclass(frozen=True, slots=True)
class SendGroupReport(Action):
    """A group's 总结报告, named by one of its leaders (the window id is 0: it belongs to the group).

    The caller's own number: their own report, made again; for an admin, another leader's group.
    """

    leader: int


@button("rv")
@dataclass(frozen=True, slots=True)
class AskRevoke(Action):
    """撤销 beside an invited leader in /leaders: the bot asks to confirm (window id 0)."""

    user_id: int


@button("ry")
@dataclass(frozen=True, slots=True)
class ConfirmRevoke(Action):
    """The admin confirms revoking the invited leader."""

    user_id: int


@button("rn")
@dataclass(frozen=True, slots=True)
class KeepLeader(Action):
    """取消 on the revoke question: the leader stays."""

    user_id: int


PAPER_PRESSES: dict[str, type[Press | SheetPress]] = {**SURVEY_PRESSES, "v": Spoil}


@press_button("P", PAPER_PRESSES)
@dataclass(frozen=True, slots=True)
class PaperPress(Action):
    """A press on a paper form being keyed in (the survey's presses, and 本项作废)."""

    press: Press


@button("pp")
@dataclass(frozen=True, slots=True)
class ShowPaper(Action):
    """A unit picked for /paper: how keying works, and the buttons to begin or print the form."""


@button("pb")
@dataclass(frozen=True, slots=True)
class BeginPaper(Action):
    """开始录入 or 录入下一份: key in a (next) paper form."""


@button("ps")
@dataclass(frozen=True, slots=True)
class SubmitPaper(Action):
    """录入此份 on a keyed form's review: into the ballot box."""


@button("pf")
@dataclass(frozen=True, slots=True)
class SendPaperForm(Action):
    """🖨 The unit's blank Annex 2 form to print, for those who will not use a phone."""


@button("pi")
@dataclass(frozen=True, slots=True)
class InviteKeyer(Action):
    """👥 A single-use link for a group member to key this unit's paper forms too."""


@button("pn")
@dataclass(frozen=True, slots=True)
class ShowPaperCounts(Action):
    """🧮 on the keying desk: the paper forms handed out and those counted 无效."""


@button("pv")
@dataclass(frozen=True, slots=True)
class CountPaper(Action):
    """发放 +1, 无效 +1, −1…: set a paper count from `seen` (when drawn) to `to`; a double tap counts once."""

    invalid: bool
    seen: int
    to: int


@button("ts")
@dataclass(frozen=True, slots=True)
class ShowSlips(Action):
    """A slips unit's screen: the slips printed so far, and the buttons to print more."""


@button("tp")
@dataclass(frozen=True, slots=True)
class PrintSlips(Action):
    """🎫 打印测评码: `count` new slips, if the unit still has the `seen` it had when drawn."""

    count: int
    seen: int


@button("tm")
@dataclass(frozen=True, slots=True)
class MoreSlips(Action):
    """➕ 补打: how many more slips to print (buttons 10 / 20 / 50)."""


def kinds() -> tuple[type[Action], ...]:
    """Return every kind of button declared here."""
    return tuple(_KINDS)


def encode(action: Action) -> str:
    """Return the callback data for an action (at most 64 bytes)."""
    press = getattr(action, "press", None)
    if press is None:
        prefix = _PREFIXES[type(action)]
        values = [getattr(action, name) for name in _names(type(action))]
    else:
        prefix = _PREFIXES[(type(action), type(press))]
        values = [action.window_id, *(getattr(press, name) for name in _names(type(press)))]
    data = ":".join([prefix, *map(_write, values)])
    if len(data.encode()) > MAX_BYTES:
        msg = f"callback data too long: {data!r}"
        raise ValueError(msg)
    return data


def decode(data: str | None) -> Action | None:
    """Return the action the callback data stands for, or None if it does not decode."""
    if not data:
        return None
    form = _FORMS.get(data.split(":", 1)[0])
    found = form.pattern.match(data) if form else None
    if form is None or found is None:
        return None
    return form.make(list(found.groups()))
