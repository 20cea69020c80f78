"""Screens of the Annex 1 score sheet: one item per step with running subtotals, then a review."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from zoneinfo import ZoneInfo

from bot import texts
from bot.callback_data import (
    ConfirmFinalise,
    FinaliseScore,
    NoteDone,
    NoteItem,
    ScorePress,
    SendReport,
    ShowScore,
)
from bot.screens import Button, Screen
from bot.texts import Texts
from conversations.annex1 import ScoreForm
from conversations.engine import Back, Revise
from conversations.records import ItemNotes, ScoreSheet
from conversations.scoring import Award, Marking, Marks, score
from usecases.notes import REASON_MAX, ItemNote

_POINTS_PER_ROW = 5
_REVISE_PER_ROW = 8
_ITEM_TEXT = 14  # characters of an item's text on its review line


def shortened(text: str) -> str:
    """Return an item's text (or a reason) cut to a review line's length."""
    return text if len(text) <= _ITEM_TEXT else text[: _ITEM_TEXT - 1] + "…"


@dataclass(frozen=True, slots=True)
class ScoreView:
    """Draws one unit's score sheet in one language."""

    t: Texts
    form: ScoreForm
    marking: Marking
    unit: str
    window_id: int
    zone: ZoneInfo
    notes: ItemNotes = field(default_factory=ItemNotes)

    def step(self, marks: Marks) -> Screen:
        """Return the screen for the item being scored, or the review once every item is passed."""
        item = self.marking.current_item(marks)
        if item is None:
            return self.review(marks)
        t, result = self.t, score(self.form, marks)
        section = self.form.section_of(item.id)
        subtotal = result.section(section.id)
        progress = t.SCORE_PROGRESS.format(step=marks.step + 1, total=len(self.form.items))
        text = "\n".join(
            [
                f"<b>{texts.html(self.unit)}</b> · {t.SCORE_BRAND}　{progress}",
                "",
                t.SCORE_SUBTOTAL.format(
                    section=escape(section.title),
                    points=subtotal.points,
                    max=section.max_points,
                    total=result.total,
                ),
                t.SCORE_ITEM.format(prompt=escape(f"{item.number}. {item.prompt}"), max=item.max_points),
                "",
                t.SCORE_PICK,
            ]
        )
        given = marks.points.get(item.id)
        buttons = [
            Button(f"● {p}" if p == given else str(p), ScorePress(self.window_id, Award(marks.step, p)))
            for p in item.allowed_points
        ]
        rows = [tuple(buttons[i : i + _POINTS_PER_ROW]) for i in range(0, len(buttons), _POINTS_PER_ROW)]
        last = [Button(t.NOTE_BUTTON, NoteItem(self.window_id, marks.step))]
        if marks.step > 0:
            last.insert(0, Button(t.SCORE_BACK, ScorePress(self.window_id, Back(marks.step))))
        rows.append(tuple(last))
        return Screen(text, tuple(rows))

    def lines(self, marks: Marks) -> list[str]:
        """Return each section's subtotal with its items' points, then the total and grade."""
        t, result = self.t, score(self.form, marks)
        lines = []
        number = 0  # one running number, the same as on the step screen and the review's buttons
        for section_score in result.sections:
            section = section_score.section
            lines.append(
                t.SCORE_SECTION_LINE.format(
                    title=escape(section.title), points=section_score.points, max=section.max_points
                )
            )
            for item in section.items:
                number += 1
                given = marks.points.get(item.id)
                line = t.SCORE_ITEM_LINE.format(
                    number=number,
                    text=escape(shortened(item.prompt)),
                    points="—" if given is None else given,
                    max=item.max_points,
                )
                lines.append(
                    line + self._notes_mark(item.id, lost=given is not None and given < item.max_points)
                )
        if result.grade is None:
            lines.append(t.SCORE_TOTAL_OPEN.format(total=result.total, missing=self.marking.missing(marks)))
        else:
            lines.append(t.SCORE_TOTAL.format(total=result.total, grade=result.grade))
        return lines

    def _notes_mark(self, item_id: str, *, lost: bool) -> str:
        """Return ' 理由：…' or ' ⚠ 未填扣分理由' for an item that lost points, and ' 📷 n' for photos."""
        mark = ""
        reason = self.notes.reasons.get(item_id)
        if reason:
            mark += self.t.NOTE_REASON_MARK.format(reason=escape(shortened(reason)))
        elif lost:
            mark += self.t.NOTE_REASON_MISSING
        photos = len(self.notes.photos.get(item_id, []))
        if photos:
            mark += self.t.NOTE_PHOTOS_MARK.format(count=photos)
        return mark

    def review(self, marks: Marks) -> Screen:
        """Return the review: everything scored so far, a number per item to revise, and 定稿."""
        t = self.t
        text = "\n".join(
            [t.SCORE_REVIEW.format(unit=texts.html(self.unit)), t.SCORE_REVIEW_HINT, "", *self.lines(marks)]
        )
        numbers = [
            Button(str(i + 1), ScorePress(self.window_id, Revise(i))) for i in range(len(self.form.items))
        ]
        rows = [tuple(numbers[i : i + _REVISE_PER_ROW]) for i in range(0, len(numbers), _REVISE_PER_ROW)]
        rows.append(
            (
                Button(t.SCORE_BACK, ScorePress(self.window_id, Back(marks.step))),
                Button(t.SCORE_FINALISE, FinaliseScore(self.window_id)),
            )
        )
        return Screen(text, tuple(rows))

    def confirm(self, marks: Marks) -> Screen:
        """Ask to confirm finalising; 取消 goes back to the review."""
        result = score(self.form, marks)
        text = self.t.SCORE_CONFIRM.format(unit=texts.html(self.unit), total=result.total, grade=result.grade)
        buttons = (
            Button(self.t.SCORE_CONFIRM_BUTTON, ConfirmFinalise(self.window_id)),
            Button(self.t.CANCEL_CLOSE_BUTTON, ShowScore(self.window_id)),
        )
        return Screen(text, (buttons,))

    def final(self, sheet: ScoreSheet) -> Screen:
        """Return the finalised sheet, read-only, with who finalised it and when."""
        at = texts.when(self.t, sheet.finalised_at, self.zone) if sheet.finalised_at else ""
        header = [
            self.t.SCORE_REVIEW.format(unit=texts.html(self.unit)),
            self.t.SCORE_FINALISED.format(at=at, name=texts.html(sheet.finalised_name or "")),
            "",
        ]
        report = Button(self.t.REPORT_BUTTON, SendReport(self.window_id))
        return Screen("\n".join([*header, *self.lines(sheet.marks)]), ((report,),))


def note_screen(t: Texts, note: ItemNote, *, saved: bool = False) -> Screen:
    """Return the screen asking for an item's reason and photos, with 完成 back to the sheet.

    `saved`: the reason just came in; the item stays open for photos, the reason is edited by a button.
    """
    item, notes = note.item, note.notes
    text = t.NOTE_PROMPT.format(
        unit=texts.html(note.window.unit),
        number=note.number,
        text=escape(item.prompt),
        points="—" if note.points is None else note.points,
        max=item.max_points,
        reason=escape(notes.reasons.get(item.id, "")) or t.NOTE_NONE,
        photos=len(notes.photos.get(item.id, [])),
    )
    done = Button(t.NOTE_DONE, NoteDone(note.window.id))
    if not saved:
        return Screen(f"{text}\n\n{t.NOTE_ASK.format(limit=REASON_MAX)}", ((done,),))
    edit = Button(t.NOTE_EDIT_REASON, NoteItem(note.window.id, note.number - 1))
    return Screen(f"{t.NOTE_SAVED}{t.NOTE_SAVED_HINT}\n\n{text}", ((edit, done),))
