"""What the papers say beyond points, written by the unit's own leader in the bot.

- 扣分理由 and photos: asked for an item scored below its maximum (the reason may be skipped and
  then shows as missing); photos taken during 实地查看 attach to the item being noted, before or
  after its reason, and a photo sent just after the item was left (its reason sent, or 完成)
  still goes to that item, named in the answer, until another item or writing is asked for.
  Both change only until the score sheet is final.
- The feedback's sections (肯定成绩, 存在不足, 改进意见, 好经验好做法): a guided walk through them,
  each editable until the leader makes them final.
- The group's conclusions, for the 总结报告.

A leader's next text or photo is for what `Pending` says (kept in storage: a restart loses
nothing). Outcomes are data; `bot/notes.py` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.annex1 import ScoreForm, ScoreItem
from conversations.errors import WritingsFinalised
from conversations.records import ItemNotes, Pending, Window, Writings
from usecases.access import Actor, Role, owns
from usecases.outcomes import NotYours, TooLong
from usecases.ports import NoteStore, OfficialStore, ScoreSheetStore, WindowStore

SECTIONS = ("strengths", "shortcomings", "improvements", "practice")
REASON = "reason"
PHOTOS = "photos"  # the reason is in (or 完成 pressed): only photos still go to the item
WRITING = "writing"
CONCLUSIONS = "conclusions"
REASON_MAX = 200
WRITING_MAX = 2000


@dataclass(frozen=True, slots=True)
class Locked:
    """The sheet (for reasons and photos) or the sections are final: nothing changes."""


@dataclass(frozen=True, slots=True)
class ItemNote:
    """The reason and photos of one item, waiting for the leader's text or photos."""

    window: Window
    item: ScoreItem
    number: int  # the item's running number on the sheet, 1 … 25
    points: int | None
    notes: ItemNotes


@dataclass(frozen=True, slots=True)
class ReasonSaved:
    """The reason is recorded; the item stays open for photos until 完成."""

    note: ItemNote

    @property
    def window(self) -> Window:
        """Return the unit whose sheet the reason is on."""
        return self.note.window


@dataclass(frozen=True, slots=True)
class PhotoAdded:
    """A photo is attached to the item (number `number` on the sheet); it now has `count`.

    `reason_open` says the item's reason is still awaited (the note screen is open); otherwise
    the photo came after the reason or after 完成, and the answer names the item it went to.
    """

    item: ScoreItem
    count: int
    number: int = 0
    reason_open: bool = True


@dataclass(frozen=True, slots=True)
class Sections:
    """The leader's sections as they stand; `asking` is the one the next text fills, if any.

    `editable`: the viewer is the unit's leader (an admin sees another's sections read-only);
    `reopenable`: they are final and this viewer may open them again (`may_reopen`).
    """

    window: Window
    writings: Writings
    asking: str | None
    editable: bool = True
    reopenable: bool = False

    @property
    def empty(self) -> tuple[str, ...]:
        """Return the sections not written yet, in the form's order."""
        return tuple(s for s in SECTIONS if not self.writings.texts.get(s))


@dataclass(frozen=True, slots=True)
class NothingWritten:
    """定稿 with every section empty: there is nothing to make final."""


@dataclass(frozen=True, slots=True)
class ReportFinal:
    """The unit's 结果反馈 is final: only an admin may reopen its sections now."""


@dataclass(frozen=True, slots=True)
class Reopened:
    """Final sections opened again; `by_admin`: an admin did it (the leader is told)."""

    sections: Sections
    by_admin: bool


@dataclass(frozen=True, slots=True)
class ConclusionsSaved:
    """The group's conclusions are recorded."""

    text: str


@dataclass(frozen=True, slots=True)
class NotExpected:
    """Nothing is waiting for a photo: it is not stored."""


ItemOutcome = NotYours | Locked | ItemNote
TextOutcome = NotYours | Locked | TooLong | ReasonSaved | Sections | ConclusionsSaved
SectionOutcome = NotYours | Locked | Sections
FinaliseOutcome = NotYours | NothingWritten | Sections
ReopenOutcome = NotYours | ReportFinal | Reopened | Sections


class Notes:
    """Record reasons, photos, sections and conclusions for their leader."""

    def __init__(
        self,
        windows: WindowStore,
        sheets: ScoreSheetStore,
        notes: NoteStore,
        form: ScoreForm,
        officials: OfficialStore,
    ) -> None:
        self.windows = windows
        self.sheets = sheets
        self.notes = notes
        self.form = form
        self.officials = officials

    async def _own(self, actor: Actor, window_id: int) -> Window | None:
        window = await self.windows.window(window_id)
        return window if window is not None and owns(actor, window) else None

    # reasons and photos

    async def note_item(self, actor: Actor, window_id: int, step: int) -> ItemOutcome:
        """Ask for the reason and photos of the item on this step of the sheet."""
        window = await self._own(actor, window_id)
        if window is None or not 0 <= step < len(self.form.items):
            return NotYours()
        sheet = await self.sheets.score_sheet(window.id)
        if sheet is None or sheet.finalised:
            return Locked()
        item = self.form.items[step]
        await self.notes.set_pending(actor.user_id, Pending(window_id=window.id, kind=REASON, target=item.id))
        notes = await self.notes.item_notes(window.id)
        return ItemNote(window, item, step + 1, sheet.marks.points.get(item.id), notes)

    async def on_sheet(self, window: Window) -> ItemNotes:
        """Return the reasons and photos noted on the items of a sheet the caller may see."""
        return await self.notes.item_notes(window.id)

    async def stop_waiting(self, actor: Actor) -> None:
        """Expect nothing more from this person (跳过, 完成, or another command)."""
        await self.notes.set_pending(actor.user_id, None)

    async def done_with_item(self, actor: Actor) -> None:
        """Handle 完成 on an item: no text is awaited, but a photo sent just after still goes to it."""
        pending = await self.notes.pending(actor.user_id)
        if pending is not None and pending.kind in {REASON, PHOTOS}:
            await self.notes.set_pending(actor.user_id, pending.model_copy(update={"kind": PHOTOS}))
        else:
            await self.stop_waiting(actor)

    async def take_photo(self, actor: Actor, file_id: str) -> PhotoAdded | Locked | NotExpected:
        """Attach a photo to the item being noted, or to the one just left (its reason sent, or 完成)."""
        pending = await self.notes.pending(actor.user_id)
        if pending is None or pending.kind not in {REASON, PHOTOS}:
            return NotExpected()
        window = await self._own(actor, pending.window_id)
        sheet = await self.sheets.score_sheet(pending.window_id) if window else None
        if sheet is None or sheet.finalised:
            return Locked()
        step, item = next((n, i) for n, i in enumerate(self.form.items) if i.id == pending.target)
        count = await self.notes.add_photo(pending.window_id, item.id, file_id)
        return PhotoAdded(item, count, step + 1, reason_open=pending.kind == REASON)

    async def take_text(self, actor: Actor, text: str) -> TextOutcome | None:
        """Take a text message as what is pending; None when nothing is (it is someone's answer)."""
        pending = await self.notes.pending(actor.user_id)
        if pending is None or pending.kind == PHOTOS:  # a text after the reason is someone's answer
            return None
        if pending.kind == CONCLUSIONS:
            return await self._conclusions(actor, text)
        window = await self._own(actor, pending.window_id)
        if window is None:
            await self.stop_waiting(actor)
            return NotYours()
        if pending.kind == REASON:
            return await self._reason(actor, window, pending.target, text)
        return await self._section(actor, window, pending.target, text)

    async def _reason(self, actor: Actor, window: Window, item: str, text: str) -> TextOutcome:
        if len(text) > REASON_MAX:
            return TooLong(REASON_MAX, len(text))
        sheet = await self.sheets.score_sheet(window.id)
        if sheet is None or sheet.finalised:
            await self.stop_waiting(actor)
            return Locked()
        await self.notes.save_reason(window.id, item, text)
        # The item stays open for its photos (they often follow the reason) until 完成; the next
        # text is no longer the reason (it may be a form being keyed).
        await self.notes.set_pending(actor.user_id, Pending(window_id=window.id, kind=PHOTOS, target=item))
        step = next(n for n, i in enumerate(self.form.items) if i.id == item)
        notes = await self.notes.item_notes(window.id)
        points = sheet.marks.points.get(item)
        return ReasonSaved(ItemNote(window, self.form.items[step], step + 1, points, notes))

    # the leader's sections

    async def start_sections(self, actor: Actor, window_id: int) -> SectionOutcome:
        """Start the guided walk of a unit the actor opened; an admin sees another's read-only."""
        window = await self.windows.window(window_id)
        if window is None:
            return NotYours()
        writings = await self.notes.writings(window.id)
        if not owns(actor, window):
            if actor.role is not Role.ADMIN:
                return NotYours()
            reopenable = await self.may_reopen(actor, window, writings)
            return Sections(window, writings, None, editable=False, reopenable=reopenable)
        empty = next((s for s in SECTIONS if not writings.texts.get(s)), None)
        return await self._ask(actor, window, writings, empty)

    async def ask_section(self, actor: Actor, window_id: int, index: int) -> SectionOutcome:
        """Ask for one section (✎ on the overview)."""
        window = await self._own(actor, window_id)
        if window is None or not 0 <= index < len(SECTIONS):
            return NotYours()
        return await self._ask(actor, window, await self.notes.writings(window.id), SECTIONS[index])

    async def skip_section(self, actor: Actor, window_id: int, index: int) -> SectionOutcome:
        """Leave a section as it is and go on to the next one, or to the overview after the last."""
        window = await self._own(actor, window_id)
        if window is None or not 0 <= index < len(SECTIONS):
            return NotYours()
        following = SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None
        return await self._ask(actor, window, await self.notes.writings(window.id), following)

    async def ask_finalise(self, actor: Actor, window_id: int) -> FinaliseOutcome | Locked:
        """Handle 定稿: the overview to confirm (naming the empty sections), or nothing written at all."""
        outcome = await self.skip_section(actor, window_id, len(SECTIONS) - 1)
        if isinstance(outcome, Sections) and not outcome.writings.finalised and not outcome.writings.texts:
            return NothingWritten()
        return outcome

    async def finalise_sections(self, actor: Actor, window_id: int) -> FinaliseOutcome:
        """Make the sections final (not when every one is empty): the report's text no longer changes."""
        window = await self._own(actor, window_id)
        if window is None:
            return NotYours()
        writings = await self.notes.writings(window.id)
        if not writings.finalised and not any(writings.texts.values()):
            return NothingWritten()
        await self.notes.finalise_writings(window.id)
        await self.stop_waiting(actor)
        writings = await self.notes.writings(window.id)
        return Sections(window, writings, None, reopenable=await self.may_reopen(actor, window, writings))

    async def may_reopen(self, actor: Actor, window: Window, writings: Writings) -> bool:
        """Return True if final sections may be opened again by this actor.

        Their leader may until the unit's 结果反馈 is final (closed, sheet finalised, these sections
        final, the leader registered: `usecases.documents.missing_parts`); an admin may always.
        """
        if not writings.finalised:
            return False
        if actor.role is Role.ADMIN:
            return True
        return owns(actor, window) and not await self._report_final(window)

    async def _report_final(self, window: Window) -> bool:
        sheet = await self.sheets.score_sheet(window.id)
        registered = await self.officials.official(window.leader_id) is not None
        return not window.is_open and sheet is not None and sheet.finalised and registered

    async def reopen_sections(self, actor: Actor, window_id: int) -> ReopenOutcome:
        """Open final sections again (recorded): their leader until the report is final, an admin after."""
        window = await self.windows.window(window_id)
        if window is None or not (owns(actor, window) or actor.role is Role.ADMIN):
            return NotYours()
        writings = await self.notes.writings(window.id)
        if not writings.finalised:  # a doubled press: already open
            opened = await self.start_sections(actor, window.id)
            return opened if isinstance(opened, Sections) else NotYours()
        if not await self.may_reopen(actor, window, writings):
            return ReportFinal()
        by_admin = not owns(actor, window)
        await self.notes.reopen_writings(window.id, actor.user_id, by_admin=by_admin)
        sections = await self.start_sections(actor, window.id)
        assert isinstance(sections, Sections)  # noqa: S101 - the window and the actor are checked above
        return Reopened(sections, by_admin=by_admin)

    async def _ask(
        self, actor: Actor, window: Window, writings: Writings, section: str | None
    ) -> SectionOutcome:
        if writings.finalised:
            await self.stop_waiting(actor)
            return Sections(window, writings, None, reopenable=await self.may_reopen(actor, window, writings))
        pending = None if section is None else Pending(window_id=window.id, kind=WRITING, target=section)
        await self.notes.set_pending(actor.user_id, pending)
        return Sections(window, writings, section)

    async def _section(self, actor: Actor, window: Window, section: str, text: str) -> TextOutcome:
        if len(text) > WRITING_MAX:
            return TooLong(WRITING_MAX, len(text))
        try:
            await self.notes.save_writing(window.id, section, text)
        except WritingsFinalised:
            await self.stop_waiting(actor)
            return Locked()
        writings = await self.notes.writings(window.id)
        after = SECTIONS[SECTIONS.index(section) + 1 :]
        following = next((s for s in after if not writings.texts.get(s)), None)
        return await self._ask(actor, window, writings, following)

    # the group's conclusions

    async def ask_conclusions(self, actor: Actor) -> str:
        """Wait for the group's conclusions; return what they say now."""
        await self.notes.set_pending(actor.user_id, Pending(window_id=0, kind=CONCLUSIONS))
        return await self.notes.conclusions(actor.user_id)

    async def _conclusions(self, actor: Actor, text: str) -> TextOutcome:
        if len(text) > WRITING_MAX:
            return TooLong(WRITING_MAX, len(text))
        await self.notes.save_conclusions(actor.user_id, text)
        await self.stop_waiting(actor)
        return ConclusionsSaved(text)
