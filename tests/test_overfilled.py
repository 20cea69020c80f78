"""An overfilled room freezes the figures (issue 22): the leader with k − 1 extra accounts reads nobody.

The attack: the leader, holding k − 1 extra accounts, waits for a batch boundary, lets the
target answer, completes that batch with their own ballots and waits for the next batch to
push it out; the released figures less those before, less their own ballots, are the target's.
It needs k − 1 ballots more than the room holds, so once the count passes the headcount (or, in a
slips unit, what was handed out) nothing more is released until close.
"""

from __future__ import annotations

import itertools
import random
import secrets
from collections import Counter
from pathlib import Path

from bot.tally_view import tally_text
from bot.texts import ZH
from conversations.annex2 import ANNEX2
from conversations.engine import Ballot, Draft, Survey
from conversations.questionnaire import QuestionKind
from conversations.tally import Tally
from emulator.respondents import random_ballot
from storage.repository import Repository
from tests.tallies import compute_tally
from usecases.results import Results

K = 3
ROOM = 13  # the headcount: nine people, the target, then three more
CELLS = sum(len(q.options) for q in ANNEX2.questions if q.kind is not QuestionKind.TEXT)


def _figures(tally: Tally) -> Counter[tuple[str, str]]:
    return Counter({(q.question.id, c.option.id): c.count for q in tally.questions for c in q.counts})


def _of(ballot: Ballot) -> Counter[tuple[str, str]]:
    return Counter((q, o) for q, chosen in ballot.answers.items() for o in chosen)


def leader_recovers(views: list[Tally], extra: list[Ballot], target: Ballot) -> int:
    """Return the target's option cells the leader reads: a batch of k released, less their own k − 1.

    Every option of the form is a cell (chosen by the target or not); 0 if no view released
    a batch of the target and the leader's ballots alone.
    """
    own = sum((_of(b) for b in extra), Counter[tuple[str, str]]())
    for before, after in itertools.pairwise(views):
        if after.counted - before.counted != K:
            continue
        left = _figures(after)
        left.subtract(_figures(before))
        left.subtract(own)
        if (
            any(n < 0 for n in left.values())
            or sum(left[("category", o.id)] for o in ANNEX2.questions[0].options) != 1
        ):
            continue
        truth = _of(target)
        return sum(
            left[(q.id, o.id)] == truth[(q.id, o.id)]
            for q in ANNEX2.questions
            if q.kind is not QuestionKind.TEXT
            for o in q.options
        )
    return 0


async def _room(
    path: Path, expected: int | None
) -> tuple[list[Tally], list[str], Tally, list[Ballot], Ballot]:
    """Run the room: 9 people, the target, the leader's 2 extra ballots, 3 more people; then close."""
    rng = random.Random(22)  # noqa: S311 - test data
    people = [random_ballot(rng) for _ in range(ROOM)]
    target, extra = people[9], [random_ballot(rng) for _ in range(K - 1)]
    order = [*people[:10], *extra, *people[10:]]
    views, texts = [], []
    async with Repository(path) as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=K, expected=expected)
        results = Results(repository, Survey(ANNEX2))
        for ballot in order:
            key = secrets.token_bytes(32)
            await repository.save_draft(key, window.id, Draft(step=1))
            await repository.submit(key, window.id, ballot)
            current = await repository.window(window.id)
            assert current is not None
            views.append(await results.tally(current))
            texts.append(tally_text(ZH, current, views[-1]))
        await repository.close_window(window.id)
        closed = await repository.window(window.id)
        assert closed is not None
        final = await results.tally(closed)
    return views, texts, final, [*people, *extra], target


async def test_a_leader_with_k_minus_1_extra_ballots_reads_the_target_until_the_room_freezes(
    tmp_path: Path,
) -> None:
    """Without a headcount (as the store released figures before, whatever the headcount), and with.

    Without: the release at the 15th ballot, less the 12th's figures and the leader's two ballots, is the
    target's whole ballot, every option cell of the form. With the headcount of 13: the 14th ballot
    freezes the figures at the 9 counted before it; the 15th releases nothing; the live text says
    why from the 14th on. The final tally after close counts all 15.
    """
    (tmp_path / "naive").mkdir()
    views, _texts, _final, _ballots, target = await _room(tmp_path / "naive" / "survey.db", None)
    extra = _ballots[ROOM:]
    assert leader_recovers(views, extra, target) == CELLS

    views, texts, final, ballots, target = await _room(tmp_path / "survey.db", ROOM)
    assert leader_recovers(views, extra, target) == 0
    assert [v.counted for v in views] == [0, 0, 0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 9, 9, 9]
    notice = ZH.TALLY_FROZEN.format(ballots=14, room=ROOM, figures=ZH.FROZEN_FIGURES.format(counted=9))
    assert notice not in texts[12]
    assert notice in texts[13]
    assert _figures(views[14]) == _figures(views[13]) == _figures(views[11])
    assert final == compute_tally(ANNEX2, ballots, min_group=K).model_copy(
        update={"suggestions": final.suggestions}
    )


async def test_a_slips_unit_freezes_past_what_was_handed_out(tmp_path: Path) -> None:
    """A slips unit with 4 slips and 2 paper forms handed out: the 7th ballot freezes the figures at 3."""
    async with Repository(tmp_path / "survey.db") as repository:
        window, _ = await repository.open_window(1, "县财政局", min_group=K, slips=True)
        await repository.add_slips(window.id, [secrets.token_bytes(32) for _ in range(4)])
        await repository.count_paper(window.id, issued=2)
        rng = random.Random(7)  # noqa: S311 - test data
        for number in range(9):
            key = secrets.token_bytes(32)
            await repository.save_draft(key, window.id, Draft(step=1))
            await repository.submit(key, window.id, random_ballot(rng))
            current = await repository.window(window.id)
            assert current is not None
            assert current.frozen == (3 if number >= 6 else None), number
        current = await repository.window(window.id)
        assert current is not None
        tally = await Results(repository, Survey(ANNEX2)).tally(current)
    assert (tally.received, tally.counted) == (9, 3)
    assert ZH.TALLY_FROZEN_SLIPS.format(
        ballots=9, room=6, figures=ZH.FROZEN_FIGURES.format(counted=3)
    ) in tally_text(ZH, current, tally)
