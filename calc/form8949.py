"""Form 8949 rows and the Schedule D lines they feed, for one tax year.

Part I is short-term, Part II long-term; columns (a)-(h) as the form has them, with code W
and the column (g) adjustment for wash sales. Which box a part checks depends on the
Form 1099-B: A/D basis reported to the IRS, B/E not reported, C/F no 1099-B. Schedule D
takes each part's totals on the line for its box (1b, 2, 3; 8b, 9, 10), adds the carryover
(lines 6 and 14), nets (7, 15, 16) and limits a net loss (21). Sources: the 2024
Instructions for Form 8949 and for Schedule D (Form 1040).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Literal

from calc.models import ZERO, Disposition, FilingStatus, Frozen, Term
from calc.params import params_for
from calc.tax import allowed_capital_gain

ShortBox = Literal["A", "B", "C"]
LONG_BOX = {"A": "D", "B": "E", "C": "F"}
SCHEDULE_D_LINE = {"A": "1b", "B": "2", "C": "3", "D": "8b", "E": "9", "F": "10"}
BOX_MEANING = {
    "A": "basis reported to the IRS on Form 1099-B",
    "B": "basis not reported to the IRS on Form 1099-B",
    "C": "not reported on Form 1099-B",
}


class Row(Frozen):
    description: str  # (a) "100 sh. XYZ"
    acquired: date  # (b)
    sold: date  # (c)
    proceeds: Decimal  # (d)
    basis: Decimal  # (e)
    code: str  # (f)
    adjustment: Decimal  # (g)
    gain: Decimal  # (h) = (d) - (e) + (g)


class Totals(Frozen):
    """Line 2 of a part: the totals of columns (d), (e), (g) and (h)."""

    proceeds: Decimal
    basis: Decimal
    adjustment: Decimal
    gain: Decimal


class Part(Frozen):
    term: Term
    box: str  # A, B or C in Part I; D, E or F in Part II
    rows: tuple[Row, ...]

    @property
    def totals(self) -> Totals:
        return Totals(
            proceeds=sum((r.proceeds for r in self.rows), ZERO),
            basis=sum((r.basis for r in self.rows), ZERO),
            adjustment=sum((r.adjustment for r in self.rows), ZERO),
            gain=sum((r.gain for r in self.rows), ZERO),
        )


class Form8949(Frozen):
    year: int
    short: Part
    long: Part

    @property
    def parts(self) -> tuple[Part, Part]:
        return (self.short, self.long)


def row_of(d: Disposition, box: ShortBox = "A") -> Row:
    """One sale's row. Wages in the basis that the 1099-B's basis leaves out (ISO and ESPP shares) take code B
    (Instructions for Form 8949, "basis shown in box 1e is incorrect"): with box A/D the 1099-B's basis
    goes in column (e) and the wages, as a negative adjustment, in (g); with box B/E the correct basis
    goes in (e) and (g) is 0; with box C/F there is no 1099-B to correct. Codes in alphabetical order."""
    codes, basis, adjustment = d.code, d.basis, d.wash_sale_disallowed
    if d.wage_basis and box != "C":
        codes = "B" + codes
        if box == "A":
            basis -= d.wage_basis
            adjustment -= d.wage_basis
    return Row(
        description=f"{d.quantity.normalize():f} sh. {d.symbol}",
        acquired=d.acquired,
        sold=d.sold,
        proceeds=d.proceeds,
        basis=basis,
        code=codes,
        adjustment=adjustment,
        gain=d.proceeds - basis + adjustment,
    )


def form_8949(dispositions: Iterable[Disposition], year: int, box: ShortBox = "A") -> Form8949:
    """The year's sales as Form 8949 rows, in order of sale date."""
    rows: dict[Term, list[Row]] = {"short": [], "long": []}
    for d in sorted(dispositions, key=lambda d: (d.sold, d.symbol, d.acquired)):
        if d.sold.year == year:
            rows[d.term].append(row_of(d, box))
    return Form8949(
        year=year,
        short=Part(term="short", box=box, rows=tuple(rows["short"])),
        long=Part(term="long", box=LONG_BOX[box], rows=tuple(rows["long"])),
    )


class ScheduleDLine(Frozen):
    line: str
    label: str
    amount: Decimal  # column (h) for the lines from Form 8949
    totals: Totals | None = None  # columns (d), (e), (g), (h) for lines 1b-3 and 8b-10


class ScheduleD(Frozen):
    year: int
    filing_status: FilingStatus
    lines: tuple[ScheduleDLine, ...]

    def amount(self, line: str) -> Decimal:
        return next(item.amount for item in self.lines if item.line == line)

    def has(self, line: str) -> bool:
        return any(item.line == line for item in self.lines)


def schedule_d(
    form: Form8949,
    carryover_short: Decimal = ZERO,
    carryover_long: Decimal = ZERO,
    filing_status: FilingStatus = "single",
) -> ScheduleD:
    """Schedule D Parts I-III from the form's totals and the carryover (positive amounts) into the year."""
    short, long_ = form.short.totals, form.long.totals
    line_7 = short.gain - carryover_short
    line_15 = long_.gain - carryover_long
    line_16 = line_7 + line_15
    lines = [
        ScheduleDLine(
            line=SCHEDULE_D_LINE[form.short.box],
            label=f"Short-term totals from Form 8949 Part I, box {form.short.box}",
            amount=short.gain,
            totals=short,
        ),
        ScheduleDLine(line="6", label="Short-term capital loss carryover", amount=-carryover_short),
        ScheduleDLine(line="7", label="Net short-term capital gain or (loss)", amount=line_7),
        ScheduleDLine(
            line=SCHEDULE_D_LINE[form.long.box],
            label=f"Long-term totals from Form 8949 Part II, box {form.long.box}",
            amount=long_.gain,
            totals=long_,
        ),
        ScheduleDLine(line="14", label="Long-term capital loss carryover", amount=-carryover_long),
        ScheduleDLine(line="15", label="Net long-term capital gain or (loss)", amount=line_15),
        ScheduleDLine(line="16", label="Combine lines 7 and 15", amount=line_16),
    ]
    if line_16 < 0:
        p = params_for(form.year)
        limit = p.capital_loss_limit(filing_status)
        lines.append(
            ScheduleDLine(
                line="21",
                label=f"Loss allowed this year: the smaller of line 16 or {limit:,.0f} (enter as a loss)",
                amount=allowed_capital_gain(line_16, filing_status, p),
            )
        )
    return ScheduleD(year=form.year, filing_status=filing_status, lines=tuple(lines))
