"""Each window's Annex 1 score sheet: saved at every press, finalised once."""

from __future__ import annotations

import json

from conversations.errors import SheetFinalised
from conversations.records import ScoreSheet
from conversations.scoring import Marks
from storage.database import Database, now_text


class ScoreSheetRepository(Database):
    """Score sheets; a finalised one refuses every change."""

    async def score_sheet(self, window_id: int) -> ScoreSheet | None:
        """Read the window's row of score_sheets (a sheet saved in the old survey-style form is converted)."""
        rows = await self.fetchall(
            "SELECT window_id, state, updated_at, finalised_by, finalised_name, finalised_at "
            "FROM score_sheets WHERE window_id = ?",
            (window_id,),
        )
        if not rows:
            return None
        window, state, updated, by, name, at = rows[0]
        return ScoreSheet(
            window_id=window,
            marks=_marks(state),
            updated_at=updated,
            finalised_by=by,
            finalised_name=name,
            finalised_at=at,
        )

    async def save_score(self, window_id: int, marks: Marks) -> None:
        """Upsert the sheet's state while finalised_at is empty; no row changed means it is final."""
        async with self._lock:
            cursor = await self._db.execute(
                "INSERT INTO score_sheets (window_id, state, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (window_id) DO UPDATE SET state = excluded.state, "
                "updated_at = excluded.updated_at WHERE finalised_at IS NULL",
                (window_id, marks.model_dump_json(), now_text()),
            )
            if cursor.rowcount != 1:
                raise SheetFinalised

    async def finalise_score(self, window_id: int, user_id: int, name: str) -> bool:
        """Stamp who finalised the sheet, and when, where finalised_at is still empty."""
        async with self._lock:
            cursor = await self._db.execute(
                "UPDATE score_sheets SET finalised_by = ?, finalised_name = ?, finalised_at = ? "
                "WHERE window_id = ? AND finalised_at IS NULL",
                (user_id, name, now_text(), window_id),
            )
            return cursor.rowcount == 1


def _marks(state: str) -> Marks:
    """Read a stored score sheet; sheets saved before it had its own model held survey-style answers."""
    stored = json.loads(state)
    if "answers" in stored:  # {"answers": {"s1_1": ["p4"]}, ...}: the option id "p<points>"
        answers = stored.pop("answers")
        stored.pop("suggestion", None)
        stored["points"] = {
            item: int(chosen[0].removeprefix("p")) for item, chosen in answers.items() if chosen
        }
    return Marks.model_validate(stored)
