"""Form 8949 rows and the Schedule D lines they feed, for one tax year.

Part I is short-term, Part II long-term; columns (a)-(h) as the form has them,
with code W and the column (g) adjustment for wash sales.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from calc.models import ZERO, Disposition, Frozen, Term
from calc.netting import YearSummary


class Row(Frozen):
    description: str  # (a)
    acquired: date  # (b)
    sold: date  # (c)
    proceeds: Decimal  # (d)
    basis: Decimal  # (e)
    code: str  # (f)
    adjustment: Decimal  # (g)
    gain: Decimal  # (h) = (d) - (e) + (g)


class Part(Frozen):
    term: Term
    rows: tuple[Row, ...]

    @property
    def totals(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """Line 2: totals of columns (d), (e), (g) and (h)."""
        return (
            sum((r.proceeds for r in self.rows), ZERO),
            sum((r.basis for r in self.rows), ZERO),
            sum((r.adjustment for r in self.rows), ZERO),
            sum((r.gain for r in self.rows), ZERO),
        )


class Form8949(Frozen):
    year: int
    short: Part
    long: Part


def form_8949(dispositions: Iterable[Disposition], year: int) -> Form8949:
    rows: dict[Term, list[Row]] = {"short": [], "long": []}
    for d in sorted(dispositions, key=lambda d: (d.sold, d.symbol, d.acquired)):
        if d.sold.year != year:
            continue
        rows[d.term].append(
            Row(
                description=f"{d.quantity.normalize():f} sh. {d.symbol}",
                acquired=d.acquired,
                sold=d.sold,
                proceeds=d.proceeds,
                basis=d.basis,
                code=d.code,
                adjustment=d.wash_sale_disallowed,
                gain=d.proceeds - d.basis + d.wash_sale_disallowed,
            )
        )
    return Form8949(
        year=year, short=Part(term="short", rows=tuple(rows["short"])), long=Part(term="long", rows=tuple(rows["long"]))
    )


def schedule_d_lines(form: Form8949, summary: YearSummary) -> list[tuple[str, str, Decimal]]:
    """(line, label, amount) for the Schedule D summary, carryovers included."""
    short_total = form.short.totals[3]
    long_total = form.long.totals[3]
    lines = [
        ("3", "Short-term totals from Form 8949 Part I", short_total),
        ("6", "Short-term capital loss carryover", -summary.carryover_short),
        ("7", "Net short-term capital gain or (loss)", summary.short_term_net),
        ("10", "Long-term totals from Form 8949 Part II", long_total),
        ("14", "Long-term capital loss carryover", -summary.carryover_long),
        ("15", "Net long-term capital gain or (loss)", summary.long_term_net),
        ("16", "Combine lines 7 and 15", summary.net),
    ]
    if summary.net < 0:
        lines.append(("21", "Loss allowed this year (enter as a loss)", -summary.deductible_loss))
    return lines
