"""What a leader writes beyond points: reasons, photos, the feedback's sections, conclusions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conversations.annex1 import ANNEX1
from conversations.records import Window
from conversations.scoring import Award, Marking
from storage.repository import Repository
from tests.actors import ADMIN, LEADER, OTHER
from usecases.notes import (
    REASON_MAX,
    SECTIONS,
    WRITING_MAX,
    ConclusionsSaved,
    ItemNote,
    Locked,
    NotExpected,
    NothingWritten,
    PhotoAdded,
    ReasonSaved,
    Reopened,
    ReportFinal,
    Sections,
)
from usecases.notes import Notes as NotesCase
from usecases.outcomes import NotYours, TooLong
from usecases.scoring import Scoring


@dataclass
class Desk:
    """A unit being scored by its leader, with the use cases on a real database."""

    repository: Repository
    notes: NotesCase
    scoring: Scoring
    window: Window


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    async with Repository(tmp_path / "survey.db") as repository:
        scoring = Scoring(repository, repository, repository, Marking(ANNEX1))
        notes = NotesCase(repository, repository, repository, ANNEX1, repository)
        window, _ = await repository.open_window(LEADER.user_id, "县财政局", min_group=3)
        await repository.set_official(LEADER.user_id, "张三", "第一检查组")
        await scoring.start(LEADER, window.id)
        yield Desk(repository, notes, scoring, window)


async def test_a_reason_and_photos_attach_to_the_item_being_noted(desk: Desk) -> None:
    """The next text is the item's reason, photos attach to it; then the next text is not the reason."""
    await desk.scoring.press(LEADER, desk.window.id, Award(0, 2))
    asked = await desk.notes.note_item(LEADER, desk.window.id, 0)
    assert isinstance(asked, ItemNote)
    assert (asked.item.id, asked.number, asked.points) == ("s1_1", 1, 2)
    assert await desk.notes.take_photo(LEADER, "file-a") == PhotoAdded(asked.item, 1, 1)
    assert await desk.notes.take_photo(LEADER, "file-b") == PhotoAdded(asked.item, 2, 1)
    assert await desk.notes.take_photo(LEADER, "file-b") == PhotoAdded(asked.item, 2, 1)  # the same file once
    saved = await desk.notes.take_text(LEADER, "未明确专人负责")
    assert isinstance(saved, ReasonSaved)
    assert (saved.window, saved.note.item, saved.note.number) == (desk.window, asked.item, 1)
    assert saved.note.notes.reasons == {"s1_1": "未明确专人负责"}
    notes = await desk.repository.item_notes(desk.window.id)
    assert notes.reasons == {"s1_1": "未明确专人负责"}
    assert notes.photos == {"s1_1": ["file-a", "file-b"]}
    assert await desk.notes.take_text(LEADER, "a participant's suggestion") is None


async def test_photos_after_the_reason_or_after_done_still_go_to_the_item(desk: Desk) -> None:
    """A photo sent after the reason, or just after 完成, joins the item left, named in the outcome."""
    await desk.scoring.press(LEADER, desk.window.id, Award(5, 2))
    asked = await desk.notes.note_item(LEADER, desk.window.id, 5)
    assert isinstance(asked, ItemNote)
    assert isinstance(await desk.notes.take_text(LEADER, "未召开动员会"), ReasonSaved)
    assert await desk.notes.take_photo(LEADER, "after-reason") == PhotoAdded(
        asked.item, 1, 6, reason_open=False
    )
    await desk.notes.done_with_item(LEADER)
    late = await desk.notes.take_photo(LEADER, "after-done")
    assert late == PhotoAdded(asked.item, 2, 6, reason_open=False)
    assert await desk.notes.take_text(LEADER, "not a reason any more") is None
    notes = await desk.repository.item_notes(desk.window.id)
    assert notes.reasons == {"s2_1": "未召开动员会"}
    assert notes.photos == {"s2_1": ["after-reason", "after-done"]}
    await desk.notes.start_sections(LEADER, desk.window.id)  # something else is asked for: photos stop
    await desk.notes.stop_waiting(LEADER)
    assert await desk.notes.take_photo(LEADER, "later") == NotExpected()


async def test_a_long_reason_is_refused_and_kept_waiting(desk: Desk) -> None:
    """Over the limit: nothing saved, still waiting for the reason."""
    await desk.notes.note_item(LEADER, desk.window.id, 3)
    assert await desk.notes.take_text(LEADER, "长" * (REASON_MAX + 1)) == TooLong(REASON_MAX, REASON_MAX + 1)
    assert (await desk.repository.item_notes(desk.window.id)).reasons == {}
    assert isinstance(await desk.notes.take_text(LEADER, "短理由"), ReasonSaved)


async def test_only_the_units_leader_notes_and_a_final_sheet_is_locked(desk: Desk) -> None:
    """Another leader is refused; once the sheet is final, reasons and photos no longer change."""
    assert await desk.notes.note_item(OTHER, desk.window.id, 0) == NotYours()
    assert await desk.notes.note_item(LEADER, desk.window.id, 25) == NotYours()
    await desk.notes.note_item(LEADER, desk.window.id, 0)
    for step, item in enumerate(ANNEX1.items):
        await desk.scoring.press(LEADER, desk.window.id, Award(step, item.max_points))
    await desk.scoring.finalise(LEADER, desk.window.id)
    assert await desk.notes.take_photo(LEADER, "late") == Locked()
    assert await desk.notes.take_text(LEADER, "late reason") == Locked()
    assert await desk.notes.note_item(LEADER, desk.window.id, 0) == Locked()
    assert (await desk.repository.item_notes(desk.window.id)).reasons == {}


async def test_sections_walk_in_order_skip_and_finalise(desk: Desk) -> None:
    """The walk starts at the first empty section, moves on after each text or 跳过, and ends final."""
    opened = await desk.notes.start_sections(LEADER, desk.window.id)
    assert isinstance(opened, Sections)
    assert opened.asking == "strengths"
    after = await desk.notes.take_text(LEADER, "肯定")
    assert isinstance(after, Sections)
    assert after.asking == "shortcomings"
    skipped = await desk.notes.skip_section(LEADER, desk.window.id, 1)
    assert isinstance(skipped, Sections)
    assert skipped.asking == "improvements"
    await desk.notes.take_text(LEADER, "改进")
    last = await desk.notes.take_text(LEADER, "经验")
    assert isinstance(last, Sections)
    assert last.asking is None
    assert last.writings.texts == {"strengths": "肯定", "improvements": "改进", "practice": "经验"}
    again = await desk.notes.start_sections(LEADER, desk.window.id)
    assert isinstance(again, Sections)
    assert again.asking == "shortcomings"  # the first still empty
    assert await desk.notes.take_text(LEADER, "长" * (WRITING_MAX + 1)) == TooLong(
        WRITING_MAX, WRITING_MAX + 1
    )
    final = await desk.notes.finalise_sections(LEADER, desk.window.id)
    assert isinstance(final, Sections)
    assert final.writings.finalised
    locked = await desk.notes.ask_section(LEADER, desk.window.id, 0)
    assert isinstance(locked, Sections)
    assert locked.asking is None  # nothing is asked once final
    assert await desk.notes.take_text(LEADER, "late") is None
    assert await desk.notes.start_sections(OTHER, desk.window.id) == NotYours()
    assert await desk.notes.ask_section(OTHER, desk.window.id, 0) == NotYours()
    assert len(SECTIONS) == 4


async def test_nothing_written_is_not_finalised_and_empty_sections_are_named(desk: Desk) -> None:
    """定稿 with every section empty is refused; with some empty, the confirmation names them."""
    await desk.notes.start_sections(LEADER, desk.window.id)
    assert await desk.notes.ask_finalise(LEADER, desk.window.id) == NothingWritten()
    assert await desk.notes.finalise_sections(LEADER, desk.window.id) == NothingWritten()
    assert not (await desk.repository.writings(desk.window.id)).finalised
    await desk.notes.start_sections(LEADER, desk.window.id)
    await desk.notes.take_text(LEADER, "肯定")
    asked = await desk.notes.ask_finalise(LEADER, desk.window.id)
    assert isinstance(asked, Sections)
    assert asked.empty == ("shortcomings", "improvements", "practice")


async def test_final_sections_reopen_for_their_leader_until_the_report_is_final(desk: Desk) -> None:
    """The leader reopens (recorded) while the report is a draft; once final, only an admin may."""
    await desk.notes.start_sections(LEADER, desk.window.id)
    await desk.notes.take_text(LEADER, "肯定")
    final = await desk.notes.finalise_sections(LEADER, desk.window.id)
    assert isinstance(final, Sections)
    assert final.reopenable  # still open, the sheet not final: the report is a draft
    reopened = await desk.notes.reopen_sections(LEADER, desk.window.id)
    assert isinstance(reopened, Reopened)
    assert not reopened.by_admin
    assert not reopened.sections.writings.finalised
    assert [(r.user_id, r.by_admin) for r in reopened.sections.writings.reopenings] == [
        (LEADER.user_id, False)
    ]
    await desk.notes.ask_section(LEADER, desk.window.id, 0)
    assert isinstance(await desk.notes.take_text(LEADER, "肯定（改）"), Sections)
    assert await desk.notes.reopen_sections(OTHER, desk.window.id) == NotYours()

    for step, item in enumerate(ANNEX1.items):
        await desk.scoring.press(LEADER, desk.window.id, Award(step, item.max_points))
    await desk.scoring.finalise(LEADER, desk.window.id)
    await desk.repository.close_window(desk.window.id)
    final = await desk.notes.finalise_sections(LEADER, desk.window.id)
    assert isinstance(final, Sections)
    assert not final.reopenable  # closed, scored, written, registered: the report is final
    assert await desk.notes.reopen_sections(LEADER, desk.window.id) == ReportFinal()
    seen = await desk.notes.start_sections(ADMIN, desk.window.id)
    assert isinstance(seen, Sections)
    assert (seen.editable, seen.reopenable) == (False, True)
    by_admin = await desk.notes.reopen_sections(ADMIN, desk.window.id)
    assert isinstance(by_admin, Reopened)
    assert by_admin.by_admin
    writings = await desk.repository.writings(desk.window.id)
    assert not writings.finalised
    assert writings.texts == {"strengths": "肯定（改）"}
    assert [(r.user_id, r.by_admin) for r in writings.reopenings] == [
        (LEADER.user_id, False),
        (ADMIN.user_id, True),
    ]


async def test_conclusions_are_kept_per_leader(desk: Desk) -> None:
    """The group's conclusions: asked, saved, shown when asked again."""
    assert await desk.notes.ask_conclusions(LEADER) == ""
    assert await desk.notes.take_text(LEADER, "总体较好") == ConclusionsSaved("总体较好")
    assert await desk.notes.ask_conclusions(LEADER) == "总体较好"
    assert await desk.repository.conclusions(OTHER.user_id) == ""


async def test_pending_input_survives_a_restart(tmp_path: Path) -> None:
    """What a leader's next message is for is stored, not kept in memory."""
    path = tmp_path / "survey.db"
    async with Repository(path) as repository:
        window, _ = await repository.open_window(LEADER.user_id, "县财政局", min_group=3)
        await Scoring(repository, repository, repository, Marking(ANNEX1)).start(LEADER, window.id)
        await NotesCase(repository, repository, repository, ANNEX1, repository).note_item(
            LEADER, window.id, 2
        )
    async with Repository(path) as repository:
        notes = NotesCase(repository, repository, repository, ANNEX1, repository)
        assert isinstance(await notes.take_text(LEADER, "重启后仍记得"), ReasonSaved)
        assert (await repository.item_notes(window.id)).reasons == {"s1_3": "重启后仍记得"}
