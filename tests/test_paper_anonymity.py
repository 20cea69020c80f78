"""The auditor's attacks on paper forms in a closed unit (issue 16), each as it now fails.

The keyer (the leader, or a member they invited) has read every paper form they keyed in: what
they know is known. Each attack is the auditor's, driven through the real Repository and
Results; where the old rule can still be shown (the row format), the test shows it succeeding.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sqlite3
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from bot.tally_view import tally_text
from bot.texts import ZH
from conversations.annex2 import ANNEX2
from conversations.engine import Survey
from conversations.tally import (
    RATED,
    TOTAL,
    WITHHELD,
    Cell,
    Tally,
    ballot_cells,
    fold_counts,
    shown_apart,
    tally_from_counts,
)
from reports.listing import left_out_note
from reports.wording import SPOILED
from storage.intake import answers_json
from storage.repository import Repository
from storage.schema import MIGRATIONS
from tests.audit_attacks import (
    RATED as RATED_ITEMS,
)
from tests.audit_attacks import (
    K,
    Voter,
    csv_rows,
    favourable_pattern_of_ballot,
    file_rows_and_counters,
    make_voter,
    run_unit,
    skewed_answers,
)
from tests.category_attacks import workbook_rates
from tests.test_migrations import closed_under_an_old_schema
from tests.test_tally_view import window
from usecases.results import Results


def _marked(rows: list[dict[str, list[str]]]) -> list[dict[str, list[str]]]:
    """Return what the file auditor looks at first: the rows that say they came on paper."""
    return [row for row in rows if "~paper" in row]


async def test_no_row_says_it_came_on_paper(tmp_path: Path) -> None:
    """25 phones and one paper form (someone seen taking it): its row was the one marked ~paper."""
    rng = random.Random(7)  # noqa: S311 - test data
    phones = ["leader"] * 8 + ["middle"] * 9 + ["member"] * 8
    voters = [make_voter(c, skewed_answers(rng), paper=False) for c in phones]
    lone = make_voter("served", skewed_answers(rng), paper=True)
    voters.append(lone)
    old_rows = [json.loads(answers_json(v.ballot)) for v in voters]  # as rows were written before
    assert len(_marked(old_rows)) == 1  # the old rule: the lone form's row, all its answers
    unit = await run_unit(tmp_path, voters, 7)
    rows, counters = file_rows_and_counters(unit.path)
    assert len(rows) == len(voters)
    assert _marked(rows) == []
    assert b'"~paper"' not in unit.path.read_bytes()  # nor in a page left over from the open unit
    assert unit.tally.paper == 1  # the paper count stays: a total
    assert sum(n for _c, q, _o, n in counters if q == "~paper") == 1


async def test_rows_stored_before_lose_their_paper_mark(tmp_path: Path) -> None:
    """A unit closed by the release before: its paper rows were marked; the migration unmarks them."""
    rng = random.Random(3)  # noqa: S311 - test data
    voters = [make_voter(c, skewed_answers(rng), paper=False) for c in ["leader"] * 5 + ["middle"] * 4]
    voters += [make_voter("member", skewed_answers(rng), paper=True) for _ in range(3)]
    path = tmp_path / "survey.db"
    names = [getattr(step, "__name__", "") for step in MIGRATIONS]
    before_unmarking = names.index("_unmarked")  # the schema its rows were written under
    closed_under_an_old_schema(path, [v.ballot for v in voters], before_unmarking)
    assert len(_marked(file_rows_and_counters(path)[0])) == 3  # before: the three forms, marked
    async with Repository(path) as repository:
        window = await repository.window(1)
        assert window is not None
        tally = await Results(repository, Survey(ANNEX2)).tally(window)
    rows, _ = file_rows_and_counters(path)
    assert len(rows) == len(voters)
    assert _marked(rows) == []
    assert tally.paper == 3
    assert b'"~paper"' not in path.read_bytes()  # the start's rebuild left no old page with the marks
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT rebuilt FROM windows").fetchall() == [(1,)]


def keyer_recovers(tally: Tally, voters: list[Voter]) -> list[Voter]:
    """Run the keyer's attack: in each group shown, subtract the forms they keyed from its figures.

    Where one phone ballot is left, its number of favourable answers is the group's favourable
    count (its rate times its answers: the keyed forms' answers, and 12 for a phone) less the
    keyed forms' (the auditor's `leader_attack`, on the pooled rate a group now shows).
    Return the phone voters so recovered (exactly).
    """
    groups = [({row.category.id}, row.favourable_rate) for row in tally.breakdown if row.shown]
    if tally.combined is not None:
        combined = tally.combined
        groups.append(({o.id for o in combined.categories} | {""}, combined.favourable_rate))
    recovered = []
    for labels, rate in groups:
        members = [v for v in voters if v.label in labels]
        phones = [v for v in members if not v.paper]
        if len(phones) != 1 or rate is None:
            continue
        keyed = [favourable_pattern_of_ballot(v.ballot) for v in members if v.paper]
        answered = len(RATED_ITEMS) + sum(sum(a is not None for a in form) for form in keyed)
        left = round(rate * answered) - sum(sum(a or 0 for a in form) for form in keyed)
        if left == sum(a or 0 for a in favourable_pattern_of_ballot(phones[0].ballot)):
            recovered.append(phones[0])
    return recovered


def phone_ballots_per_group(tally: Tally, voters: list[Voter]) -> list[int]:
    """Return how many phone ballots each group shown holds (the keyer's forms subtracted)."""
    shown = [{row.category.id} for row in tally.breakdown if row.shown]
    if tally.combined is not None:
        shown.append({o.id for o in tally.combined.categories} | {""})
    return [sum(1 for v in voters if v.label in labels and not v.paper) for labels in shown]


def _combined_room(seed: int) -> list[Voter]:
    """班子成员 6, 中层干部 5, 一般党员干部 4 (2 on paper), a 服务对象代表 (phone), 2 forms of no category."""
    rng = random.Random(seed)  # noqa: S311 - test data
    voters = [make_voter("leader", skewed_answers(rng), paper=False) for _ in range(6)]
    voters += [make_voter("middle", skewed_answers(rng), paper=False) for _ in range(5)]
    voters += [make_voter("member", skewed_answers(rng), paper=paper) for paper in (False, False, True, True)]
    voters.append(make_voter("served", skewed_answers(rng), paper=False))
    voters += [make_voter("", skewed_answers(rng), paper=True) for _ in range(2)]
    return voters


async def test_forms_of_no_category_do_not_make_the_combined_group_k(tmp_path: Path) -> None:
    """The auditor's combined group: the lone 服务对象代表 with two forms of no category, "3 = k".

    Before, the keyer subtracted the two forms they had read and had the 服务对象代表's answer to
    every rated item (20 of 20 rooms; the whole CSV row in 17). Now those forms count for
    nothing, 一般党员干部 (4, two phone ballots left by its keyer's two forms) is not shown alone,
    and while the combined group's phone ballots are fewer than 2k − 1 the smallest shown
    category (中层干部) joins it: eight phone ballots besides the forms.
    """
    for seed in range(4):
        voters = _combined_room(seed)
        (tmp_path / str(seed)).mkdir()
        unit = await run_unit(tmp_path / str(seed), voters, seed)
        combined = unit.tally.combined
        assert combined is not None
        assert [o.id for o in combined.categories] == ["middle", "member", "served"]
        assert (combined.ballots, combined.unlabelled) == (12, 2)
        assert keyer_recovers(unit.tally, voters) == []
        assert all(n == 0 or n >= K for n in phone_ballots_per_group(unit.tally, voters))
        _rows, counters = file_rows_and_counters(unit.path)
        assert {c for c, _q, _o, _n in counters} == {"leader", WITHHELD, TOTAL}


async def test_a_category_mostly_on_paper_is_not_shown_alone(tmp_path: Path) -> None:
    """服务对象代表 4: three forms keyed by the leader, one by phone: not shown alone any more.

    Shown before (4 ≥ k), its rates less the three forms gave the phone one's answer to every
    rated item (20 of 20 rooms). Now it is in the combined group, with the smallest other
    category to bring its phone ballots to k.
    """
    for seed in range(4):
        rng = random.Random(100 + seed)  # noqa: S311 - test data
        voters = [make_voter("leader", skewed_answers(rng), paper=False) for _ in range(7)]
        voters += [make_voter("middle", skewed_answers(rng), paper=False) for _ in range(6)]
        voters += [make_voter("served", skewed_answers(rng), paper=True) for _ in range(3)]
        voters.append(make_voter("served", skewed_answers(rng), paper=False))
        (tmp_path / str(seed)).mkdir()
        unit = await run_unit(tmp_path / str(seed), voters, seed)
        rows = {row.category.id: row for row in unit.tally.breakdown}
        assert not rows["served"].shown
        assert not rows["middle"].shown
        assert rows["leader"].shown
        assert keyer_recovers(unit.tally, voters) == []
        assert all(n == 0 or n >= K for n in phone_ballots_per_group(unit.tally, voters))
        groups = workbook_rates(unit.xlsx)
        assert "服务对象代表" not in groups  # no row, no rate of its own
        assert [g for g in groups if "服务对象代表" in g] == [list(groups)[-1]]
        assert list(groups)[-1].endswith("（合并）")


async def test_a_group_keeps_no_figure_of_an_item_few_of_it_answered(tmp_path: Path) -> None:
    """服务对象代表 5, all on paper (so shown): four left the 风险等级划分 rows blank, one answered.

    Under issue 16 the category's counters for those items held that one form's answers (merged
    with another group's since). Now no group keeps a figure of any item: only its answers to
    all rated items and the favourable ones, pooled; the totals stay exact.
    """
    rng = random.Random(9)  # noqa: S311 - test data
    blank = ("level_lead", "level_key", "level_general")
    voters = [make_voter("leader", skewed_answers(rng), paper=False) for _ in range(7)]
    voters += [make_voter("middle", skewed_answers(rng), paper=False) for _ in range(8)]
    voters += [make_voter("served", skewed_answers(rng), paper=True, spoil=blank) for _ in range(4)]
    voters.append(make_voter("served", skewed_answers(rng), paper=True))
    unit = await run_unit(tmp_path, voters, 9)
    _rows, counters = file_rows_and_counters(unit.path)
    assert {q for c, q, _o, _n in counters if c != TOTAL} == {RATED}
    for question in blank:
        assert unit.tally.question(question).answered == len(voters) - 4  # totals exact
    rows = {row.category.id: row for row in unit.tally.breakdown}
    assert rows["served"].shown
    ballots, rate = workbook_rates(unit.xlsx)["服务对象代表"]
    assert (ballots, rate) == (5, pytest.approx(rows["served"].favourable_rate))
    text = tally_text(ZH, window(is_open=False, closed_at=datetime.now(UTC)), unit.tally)
    assert "服务对象代表 " in text
    assert "*" not in text


def _patterns(header: list[str], rows: list[list[str]]) -> Counter[frozenset[str]]:
    """Return how many listed rows carry each pattern of 作废 cells (the auditor's first look)."""
    return Counter(
        frozenset(h for h, cell in zip(header, row, strict=True) if cell == SPOILED) for row in rows
    )


def _listed_counts(header: list[str], rows: list[list[str]], prompt: str) -> Counter[str]:
    column = header.index(prompt)
    return Counter(label for row in rows for label in row[column].split("；") if label)


async def test_the_listing_does_not_give_a_lone_spoiled_form_back(tmp_path: Path) -> None:
    """21 phones and one paper form with 科技防控 left blank (an elderly 服务对象代表, seen).

    Leaving that form out gave it back (the summary's totals less the listed rows were its
    answers: 16 ticks over 13 items); listing no ballot lost the archive. Now every ballot is
    listed without the 科技防控 column: no row carries a mark, and for every column listed
    the rows add up to the summary's totals, so subtracting gives nothing back.
    """
    rng = random.Random(21)  # noqa: S311 - test data
    phones = ["leader"] * 7 + ["middle"] * 8 + ["member"] * 6
    voters = [make_voter(c, skewed_answers(rng), paper=False) for c in phones]
    voters.append(make_voter("served", skewed_answers(rng), paper=True, spoil=("technology",)))
    unit = await run_unit(tmp_path, voters, 21)
    header, rows = csv_rows(unit.csv)
    assert len(rows) == len(voters)
    assert "科技防控" not in header
    assert _patterns(header, rows) == Counter({frozenset(): len(voters)})
    for item in unit.tally.questions:
        if item.question.prompt in header:
            totals = Counter({c.option.label: c.count for c in item.counts if c.count})
            assert _listed_counts(header, rows, item.question.prompt) == totals, item.question.prompt
    table = list(csv.reader(io.StringIO(unit.csv.decode("utf-8-sig"))))
    assert len(table) == 1 + len(voters)  # a header and the rows: no sentence in the data
    sheet = list(openpyxl.load_workbook(io.BytesIO(unit.xlsx))["答卷"].iter_rows(values_only=True))
    assert len([row for row in sheet[1:] if isinstance(row[0], int)]) == len(voters)
    technology = next(q for q in ANNEX2.questions if q.id == "technology")
    assert sheet[-1][0] == left_out_note([(technology, 1)], K)
    assert unit.tally.counted == len(voters)


async def test_no_pattern_of_spoiled_cells_singles_out_a_form(tmp_path: Path) -> None:
    """教育防范 spoiled on forms 1–3, 科技防控 on forms 3–5: k = 3 on each column.

    A rule by column (list an item's 作废 once k forms spoiled it) would list both columns, and
    form 3 would be the one row with 作废 in both (forms 1–2 and 4–5 pairs of rows): the form
    seen left blank twice, all its answers read off. The rule before (list everything once k
    forms have any spoiled row) did the same. Now one column goes, and every pattern of 作废
    marks in the listing is on none or at least k rows; every ballot is still listed.
    """
    rng = random.Random(5)  # noqa: S311 - test data
    voters = [make_voter(c, skewed_answers(rng), paper=False) for c in ["leader"] * 8 + ["middle"] * 7]
    spoils = [("education",), ("education",), ("education", "technology"), ("technology",), ("technology",)]
    voters += [make_voter("member", skewed_answers(rng), paper=True, spoil=spoil) for spoil in spoils]
    by_column = _patterns(
        ["教育防范", "科技防控"],
        [[SPOILED if q in v.ballot.spoiled else "" for q in ("education", "technology")] for v in voters],
    )
    assert sorted(n for pattern, n in by_column.items() if pattern) == [
        1,
        2,
        2,
    ]  # what a rule by column lists
    unit = await run_unit(tmp_path, voters, 5)
    header, rows = csv_rows(unit.csv)
    assert len(rows) == len(voters)
    patterns = _patterns(header, rows)
    assert all(n >= K for n in patterns.values()), patterns
    assert patterns == Counter({frozenset(): len(voters) - 3, frozenset({"科技防控"}): 3})
    assert "教育防范" not in header


async def test_forms_each_spoiled_on_an_item_of_their_own_are_not_marked(tmp_path: Path) -> None:
    """Three forms, each with a different item left blank (k = 3 forms, one row per item).

    The rule before listed every ballot with those 作废 cells (three forms, k of them): each
    was the only 作废 of its column. Now the three columns are left out and no row is marked.
    """
    rng = random.Random(8)  # noqa: S311 - test data
    voters = [make_voter(c, skewed_answers(rng), paper=False) for c in ["leader"] * 6 + ["middle"] * 6]
    items = ("duties", "rules", "warning")
    voters += [make_voter("served", skewed_answers(rng), paper=True, spoil=(item,)) for item in items]
    unit = await run_unit(tmp_path, voters, 8)
    header, rows = csv_rows(unit.csv)
    assert len(rows) == len(voters)
    assert _patterns(header, rows) == Counter({frozenset(): len(voters)})
    assert not {"岗位职权梳理情况", "制度防范", "廉政风险预警处置"} & set(header)


def _totals(counts: Mapping[Cell, int]) -> Counter[tuple[str, str]]:
    """Return the counts per question and option, over every group."""
    totals: Counter[tuple[str, str]] = Counter()
    for (_group, question, option), count in counts.items():
        totals[(question, option)] += count
    return totals


def test_folding_twice_changes_nothing_and_keeps_every_total() -> None:
    """Random rooms of phones, paper forms and spoiled rows: a closed file folds once for all.

    The closed tally is built from counters folded at close and folded again when read: the same
    groups and the same totals per question and option as the raw counters; every group shown
    apart holds 2k − 1 ballots or more.
    """
    items = [q.id for q in ANNEX2.questions if q.rated]
    for seed in range(200):
        rng = random.Random(seed)  # noqa: S311 - test data
        voters = []
        for category in ("leader", "middle", "member", "served", ""):
            for _ in range(rng.randint(0, 7)):
                paper = category == "" or rng.random() < 0.4
                spoil = tuple(rng.sample(items, rng.randint(0, 2))) if paper else ()
                voters.append(make_voter(category, skewed_answers(rng), paper=paper, spoil=spoil))
        raw = Counter(cell for v in voters for cell in ballot_cells(v.ballot))
        once = fold_counts(ANNEX2, raw, ballots=len(voters), min_group=K)
        assert fold_counts(ANNEX2, once, ballots=len(voters), min_group=K) == once
        assert _totals({c: n for c, n in once.items() if c[0] == TOTAL}) == _totals(raw)
        tally = tally_from_counts(ANNEX2, raw, counted=len(voters), received=len(voters), min_group=K)
        groups = [row.ballots for row in tally.breakdown if row.shown and row.ballots]
        groups += [tally.combined.ballots - tally.combined.unlabelled] if tally.combined else []
        if len(groups) > 1:
            assert all(n >= shown_apart(K) for n in groups), seed
        assert (
            tally_from_counts(ANNEX2, once, counted=len(voters), received=len(voters), min_group=K) == tally
        )
