"""Sample inspections for the paper tests: a tally from seeded ballots, a scored sheet, findings."""

from __future__ import annotations

import io
import random
from datetime import date

from conversations.annex1 import ANNEX1
from conversations.annex2 import ANNEX2
from conversations.engine import Ballot
from conversations.tally import Tally
from reports.documents import Evaluation, Findings, Inspection, Missing, ScoreRecord, SitePhoto, UnitPaper
from tests.tallies import compute_tally

DAY = date(2026, 11, 26)
MIN_GROUP = 3
LOST = {"s3_1": 6, "s4_1a": 4, "s5_2": 2}  # 100 - 12 = 88, 良好
REASONS = {"s3_1": "二级风险岗位未建档", "s4_1a": "防控图未在科室上墙"}  # s5_2 lost points without a reason


def sample_ballots(seed: int, count: int) -> list[Ballot]:
    """Return `count` valid ballots drawn at random (seeded), some with a suggestion."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data
    ballots = []
    for _ in range(count):
        answers: dict[str, tuple[str, ...]] = {}
        for question in ANNEX2.questions:
            if not question.options:
                continue
            if question.max_choices > 1:
                picked = rng.sample(question.options, rng.randint(1, question.max_choices))
                answers[question.id] = tuple(option.id for option in picked)
            else:
                answers[question.id] = (rng.choice(question.options).id,)
        suggestion = rng.choice([None, "建议加强廉政教育", "希望公开用权事项的办理结果"])
        ballots.append(Ballot(answers=answers, suggestion=suggestion))
    return ballots


def sample_tally(seed: int = 1, count: int = 28) -> Tally:
    """Return the tally of seeded ballots as a leader sees it after close (k = 3: below 3, nothing counts)."""
    ballots = sample_ballots(seed, count)
    return compute_tally(ANNEX2, ballots if count >= MIN_GROUP else [], received=count, min_group=MIN_GROUP)


def sample_score(*, final: bool = True, lost: dict[str, int] | None = None) -> ScoreRecord:
    """Return a complete sheet scoring full marks but for `lost` points, with reasons and photos."""
    lost = LOST if lost is None else lost
    points = {item.id: item.max_points - lost.get(item.id, 0) for item in ANNEX1.items}
    return ScoreRecord(
        form=ANNEX1,
        points=points,
        reasons=REASONS,
        finalised="2026年11月26日 张三" if final else None,
    )


def sample_unit(  # noqa: PLR0913 - keyword-only variations of one sample
    unit: str = "县财政局",
    *,
    seed: int = 1,
    ballots: int = 28,
    is_open: bool = False,
    paper: int | None = None,
    score: ScoreRecord | None = None,
    charts: tuple[bytes, ...] = (),
    day: date = DAY,
    missing: tuple[Missing, ...] = (),
    photos: tuple[SitePhoto, ...] = (),
) -> UnitPaper:
    """Return one unit's paper with findings and good practice written (final unless told what is missing)."""
    return UnitPaper(
        inspection=Inspection(unit=unit, day=day, leader="张三", group="第一检查组"),
        score=score if score is not None else sample_score(),
        evaluation=Evaluation(tally=sample_tally(seed, ballots), is_open=is_open, paper=paper, charts=charts),
        findings=Findings(
            strengths="党组高度重视，成立了领导小组。\n风险点排查较为全面。",
            shortcomings="风险等级划分档案不完整。",
            improvements="一是完善风险岗位档案；\n二是将防控图在各科室上墙公开。",
            final=Missing.WRITINGS_DRAFT not in missing,
        ),
        good_practice=f"{unit}建立廉政风险电子监察系统。",
        missing=missing,
        photos=photos,
    )


def photo_bytes(width: int, height: int) -> bytes:
    """Return a JPEG of this size (a site photo as a phone sends it)."""
    from PIL import Image  # noqa: PLC0415 - only the photo tests need it

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "steelblue").save(buffer, "JPEG")
    return buffer.getvalue()


def sample_photos(*, missing: int = 0) -> tuple[SitePhoto, ...]:
    """Return two photos of 三 1 (landscape, portrait) and, with `missing`, photos of 四 1 not fetched."""
    section = ANNEX1.sections[2]
    item = section.items[0]
    photos = [
        SitePhoto(section, item, 1, 2, photo_bytes(1600, 1200)),
        SitePhoto(section, item, 2, 2, photo_bytes(900, 1600)),
    ]
    fourth = ANNEX1.sections[3]
    photos += [SitePhoto(fourth, fourth.items[0], n, missing, None) for n in range(1, missing + 1)]
    return tuple(photos)
