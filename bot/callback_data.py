"""Callback data: short, namespaced strings, encoded and decoded only here.

Survey presses carry the window and the step they were drawn for, so a press on an old
message, a doubled tap or a forged string can be recognised and refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from conversations.engine import (
    Back,
    Choose,
    FinishChoices,
    KeepText,
    Press,
    Revise,
    SkipText,
    Toggle,
)

MAX_BYTES = 64  # Telegram's limit for callback_data
_SCORE = "S"  # score-sheet presses: the survey's press encoding behind this prefix


@dataclass(frozen=True, slots=True)
class _OnWindow:
    """An action on one survey window, named by its id."""

    window_id: int


@dataclass(frozen=True, slots=True)
class BeginSurvey(_OnWindow):
    """The 开始 button under the welcome text."""


@dataclass(frozen=True, slots=True)
class SurveyPress(_OnWindow):
    """A press on a survey step."""

    press: Press


@dataclass(frozen=True, slots=True)
class SubmitBallot(_OnWindow):
    """The 提交 button on the review step."""


@dataclass(frozen=True, slots=True)
class ShowTally(_OnWindow):
    """A leader picks a unit to see (or refresh) its tally."""


@dataclass(frozen=True, slots=True)
class AskClose(_OnWindow):
    """A leader picks a unit to close; the bot asks to confirm."""


@dataclass(frozen=True, slots=True)
class ConfirmClose(_OnWindow):
    """A leader confirms closing the window (确认结束)."""


@dataclass(frozen=True, slots=True)
class CancelClose(_OnWindow):
    """A leader keeps the window open after all."""


@dataclass(frozen=True, slots=True)
class SendChart(_OnWindow):
    """A leader picks a unit for its charts."""


@dataclass(frozen=True, slots=True)
class SendExport(_OnWindow):
    """A leader picks a unit to export."""


@dataclass(frozen=True, slots=True)
class ScorePress(_OnWindow):
    """A press on a leader's Annex 1 score sheet (the same presses as the survey's)."""

    press: Press


@dataclass(frozen=True, slots=True)
class FinaliseScore(_OnWindow):
    """定稿 on the score sheet's review: the bot asks to confirm."""


@dataclass(frozen=True, slots=True)
class ShowScore(_OnWindow):
    """Redraw the score sheet where it stands (取消 on the finalise question)."""


@dataclass(frozen=True, slots=True)
class ConfirmFinalise(_OnWindow):
    """The leader confirms finalising the score sheet."""


Action = (
    BeginSurvey
    | ScorePress
    | FinaliseScore
    | ShowScore
    | ConfirmFinalise
    | SurveyPress
    | SubmitBallot
    | ShowTally
    | AskClose
    | ConfirmClose
    | CancelClose
    | SendChart
    | SendExport
)

_NUMBER = r"(0|[1-9][0-9]{0,17})"
_OPTION = r"([a-z0-9_]{1,24})"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "g": re.compile(rf"^g:{_NUMBER}$"),
    "a": re.compile(rf"^a:{_NUMBER}:{_NUMBER}:{_OPTION}$"),
    "t": re.compile(rf"^t:{_NUMBER}:{_NUMBER}:{_OPTION}:([01])$"),
    "d": re.compile(rf"^d:{_NUMBER}:{_NUMBER}$"),
    "k": re.compile(rf"^k:{_NUMBER}:{_NUMBER}$"),
    "x": re.compile(rf"^x:{_NUMBER}:{_NUMBER}$"),
    "b": re.compile(rf"^b:{_NUMBER}:{_NUMBER}$"),
    "r": re.compile(rf"^r:{_NUMBER}:{_NUMBER}$"),
    "s": re.compile(rf"^s:{_NUMBER}$"),
    "lt": re.compile(rf"^lt:{_NUMBER}$"),
    "lc": re.compile(rf"^lc:{_NUMBER}$"),
    "ly": re.compile(rf"^ly:{_NUMBER}$"),
    "ln": re.compile(rf"^ln:{_NUMBER}$"),
    "lg": re.compile(rf"^lg:{_NUMBER}$"),
    "le": re.compile(rf"^le:{_NUMBER}$"),
    "sf": re.compile(rf"^sf:{_NUMBER}$"),
    "sy": re.compile(rf"^sy:{_NUMBER}$"),
    "ss": re.compile(rf"^ss:{_NUMBER}$"),
}


def encode(action: Action) -> str:
    """Return the callback data for an action (at most 64 bytes)."""
    data = _encode(action)
    if len(data.encode()) > MAX_BYTES:
        msg = f"callback data too long: {data!r}"
        raise ValueError(msg)
    return data


def _encode(action: Action) -> str:
    match action:
        case SurveyPress(window_id=w, press=press):
            return _encode_press(w, press)
        case ScorePress(window_id=w, press=press):
            return _SCORE + _encode_press(w, press)
        case _:
            return f"{_PREFIXES[type(action)]}:{action.window_id}"


def _encode_press(w: int, press: Press) -> str:  # noqa: PLR0911 - one return per press kind
    match press:
        case Choose(step=s, option_id=o):
            return f"a:{w}:{s}:{o}"
        case Toggle(step=s, option_id=o, selected=selected):
            return f"t:{w}:{s}:{o}:{int(selected)}"
        case FinishChoices(step=s):
            return f"d:{w}:{s}"
        case KeepText(step=s):
            return f"k:{w}:{s}"
        case SkipText(step=s):
            return f"x:{w}:{s}"
        case Back(step=s):
            return f"b:{w}:{s}"
        case Revise(question_index=q):
            return f"r:{w}:{q}"


WindowAction = (
    BeginSurvey
    | SubmitBallot
    | ShowTally
    | AskClose
    | ConfirmClose
    | CancelClose
    | SendChart
    | SendExport
    | FinaliseScore
    | ConfirmFinalise
    | ShowScore
)
_WINDOW_ACTIONS: dict[str, type[WindowAction]] = {
    "g": BeginSurvey,
    "s": SubmitBallot,
    "lt": ShowTally,
    "lc": AskClose,
    "ly": ConfirmClose,
    "ln": CancelClose,
    "lg": SendChart,
    "le": SendExport,
    "sf": FinaliseScore,
    "sy": ConfirmFinalise,
    "ss": ShowScore,
}
_PRESSES: dict[str, Callable[[int, tuple[str, ...]], Press]] = {
    "a": lambda step, rest: Choose(step, rest[0]),
    "t": lambda step, rest: Toggle(step, rest[0], selected=rest[1] == "1"),
    "d": lambda step, _: FinishChoices(step),
    "k": lambda step, _: KeepText(step),
    "x": lambda step, _: SkipText(step),
    "b": lambda step, _: Back(step),
    "r": lambda step, _: Revise(step),
}


_PREFIXES: dict[type[WindowAction], str] = {kind: prefix for prefix, kind in _WINDOW_ACTIONS.items()}


def decode(data: str | None) -> Action | None:
    """Return the action the callback data stands for, or None if it does not decode."""
    if data and data.startswith(_SCORE):
        inner = decode(data.removeprefix(_SCORE))
        return ScorePress(inner.window_id, inner.press) if isinstance(inner, SurveyPress) else None
    if not data:
        return None
    prefix = data.split(":", 1)[0]
    pattern = _PATTERNS.get(prefix)
    match = pattern.match(data) if pattern else None
    if match is None:
        return None
    window_id, *rest = match.groups()
    if prefix in _WINDOW_ACTIONS:
        return _WINDOW_ACTIONS[prefix](int(window_id))
    step, *details = rest
    return SurveyPress(int(window_id), _PRESSES[prefix](int(step), tuple(details)))
