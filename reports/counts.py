"""The counts an office reports of a unit's forms: 共发放 N 份（…）、收回 M 份、有效 V 份.

Handed out: the slips printed for the unit and the paper forms the keying desk declared handed
out. Returned: every ballot (phones' and keyed paper forms, one group: never split by web or
Telegram, which would make small cells) and the paper forms counted 无效 without being keyed.
Valid: the ballots. A unit opened with its link has no count of what was handed out to phones:
its line says what is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.records import Window

SLIPS_LINE = "共发放 {issued} 份（测评码 {slips} 张、纸质表 {paper} 份）、收回 {returned} 份、有效 {valid} 份"
PAPER_LINE = "纸质表发放 {paper} 份；共收回 {returned} 份、有效 {valid} 份"
LINK_LINE = "共收回 {returned} 份、有效 {valid} 份"


@dataclass(frozen=True, slots=True)
class FormCounts:
    """A unit's forms handed out, returned and valid."""

    valid: int  # ballots: phones' and keyed paper forms (有效)
    invalid: int = 0  # paper forms counted 无效 without being keyed
    paper_issued: int = 0  # paper forms declared handed out at the keying desk
    slips_issued: int | None = None  # None: a unit opened with its link, handed out uncounted

    @classmethod
    def of(cls, window: Window, received: int) -> FormCounts:
        """Return the counts of a unit that has received `received` ballots."""
        return cls(
            valid=received,
            invalid=window.paper_invalid,
            paper_issued=window.paper_issued,
            slips_issued=window.slips_issued if window.slips else None,
        )

    @property
    def returned(self) -> int:
        """Return the forms returned: ballots and 无效 forms (收回)."""
        return self.valid + self.invalid

    @property
    def issued(self) -> int | None:
        """Return the forms handed out (slips and paper), or None where phones came by a link."""
        return None if self.slips_issued is None else self.slips_issued + self.paper_issued

    @property
    def worth_a_line(self) -> bool:
        """Return True if the line says more than the ballots received (slips, or paper declared)."""
        return self.slips_issued is not None or bool(self.paper_issued or self.invalid)

    def figures(self) -> dict[str, int]:
        """Return the figures by the names the lines use."""
        return {
            "issued": self.issued or 0,
            "slips": self.slips_issued or 0,
            "paper": self.paper_issued,
            "returned": self.returned,
            "valid": self.valid,
        }


def counts_template(counts: FormCounts, slips: str, paper: str, link: str) -> str:
    """Return which of three wordings fits the unit: with slips, with paper declared, or neither."""
    if counts.slips_issued is not None:
        return slips
    return paper if counts.paper_issued else link


def counts_line(counts: FormCounts) -> str:
    """Return the counts as the office's papers state them, in Chinese."""
    return counts_template(counts, SLIPS_LINE, PAPER_LINE, LINK_LINE).format(**counts.figures())
