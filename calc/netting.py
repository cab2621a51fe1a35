"""Schedule D netting for one year, and the capital-loss carryover into the next.

Short-term against short-term, long-term against long-term, then across. A net
loss is deductible up to the limit ($3,000; $1,500 married filing separately),
and what's left carries forward keeping its character, per the Capital Loss
Carryover Worksheet in the Schedule D instructions (short-term loss used first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from calc.models import ZERO, Disposition, FilingStatus, Frozen, Mark, Reason, Rows, kept_reasons
from calc.params import YearParams, params_for
from calc.tax import allowed_capital_gain


class YearSummary(Frozen):
    year: int
    filing_status: FilingStatus
    short_term_gains: Decimal  # the year's short-term gains (positive rows)
    short_term_losses: Decimal  # the year's short-term losses, as a negative number
    long_term_gains: Decimal
    long_term_losses: Decimal
    carryover_short: Decimal  # loss carried in from earlier years (positive)
    carryover_long: Decimal
    wash_sale_disallowed: Decimal
    short_term_net: Decimal  # Schedule D line 7 (carryover included)
    long_term_net: Decimal  # Schedule D line 15 (carryover and capital gain distributions included)
    net: Decimal  # line 16
    deductible_loss: Decimal  # line 21 as a positive number: used against other income this year
    carryforward_short: Decimal  # into next year
    carryforward_long: Decimal
    capital_gain_distributions: Decimal = ZERO  # Schedule D line 13 (Form 1099-DIV box 2a), long-term
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Sales:
    """A year's sales summed as Schedule D and Form 6251 read them: gains and losses by term, the
    wash-sale adjustments, how much larger the gains are for the AMT (ISO shares' AMT basis, line
    2k), and how many Form 8949 rows. Sums add: the sales of several ledgers (one per symbol) sum
    to those of all of them, so a change re-sums only the symbol it touches."""

    short_gains: Decimal = ZERO  # positive rows
    short_losses: Decimal = ZERO  # negative rows, as a negative number
    long_gains: Decimal = ZERO
    long_losses: Decimal = ZERO
    washed: Decimal = ZERO
    amt_short: Decimal = ZERO  # the AMT gain less the gain, short-term rows with an AMT basis
    amt_long: Decimal = ZERO
    rows: int = 0
    lost: Decimal = ZERO  # the part of `washed` disallowed for good: IRA purchases replaced it (lost_to_ira)

    def __add__(self, other: Sales) -> Sales:
        return Sales(
            self.short_gains + other.short_gains,
            self.short_losses + other.short_losses,
            self.long_gains + other.long_gains,
            self.long_losses + other.long_losses,
            self.washed + other.washed,
            self.amt_short + other.amt_short,
            self.amt_long + other.amt_long,
            self.rows + other.rows,
            self.lost + other.lost,
        )


def sales_by_year(dispositions: Iterable[Disposition], only: int | None = None) -> dict[int, Sales]:
    """Every year's rows among `dispositions` (or only those of the year `only`), summed: one pass,
    in the rows' order. Rows of a year come together (a ledger's are in date order), so the
    year's sums are looked up only when the year changes; a row's reasons are read only when
    booking marked it as having lost part of its loss to an IRA purchase (calc.models.Mark)."""
    if only is not None and isinstance(dispositions, Rows):  # a ledger's, by day sold: only the year's read
        dispositions = dispositions.sold_in(only)
    sums: dict[int, list[Any]] = {}  # a year's Sales fields in order (the count of rows, then `lost`)
    current = None  # the year `at` holds
    at: list[Any] = []
    for d in dispositions:
        year = d.sold.year
        if year != current:
            if only is not None and year != only:
                continue
            current = year
            at = sums.get(year) or sums.setdefault(year, [ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, 0, ZERO])
        at[7] += 1
        gain = d.gain
        washed = d.wash_sale_disallowed
        if washed:
            at[4] += washed
            kept = kept_reasons(d)
            mark = kept[0] if kept else None
            if mark.__class__ is Mark:
                if mark.to_ira:
                    at[8] += _lost_kept(kept)
            elif d.cites(IRA_PERMANENT):  # reasons already built (or not booking's)
                at[8] += lost_to_ira((d,))
        amt_gain = d.amt_gain
        if d.term == "short":
            at[1 if gain < 0 else 0] += gain
            if amt_gain is not None:
                at[5] += amt_gain - gain
        else:
            at[3 if gain < 0 else 2] += gain
            if amt_gain is not None:
                at[6] += amt_gain - gain
    return {year: Sales(*at) for year, at in sums.items()}


def _lost_kept(kept: tuple[Any, ...]) -> Decimal:
    """What lost_to_ira gives for a row whose reasons are kept compact (calc.why's tuples for a
    row's wash sales: the rule, the shares, the amount disallowed, then the replacement)."""
    return sum((Decimal(str(r[2])) for r in kept[2:] if r.__class__ is tuple and r[0] == IRA_PERMANENT), ZERO)


def summarize_year(
    dispositions: Iterable[Disposition] | Sales,
    year: int,
    carryover_short: Decimal = ZERO,
    carryover_long: Decimal = ZERO,
    filing_status: FilingStatus = "single",
    taxable_income: Decimal | None = None,
    income_before_gains: Decimal | None = None,
    capital_gain_distributions: Decimal = ZERO,
    params: YearParams | None = None,
) -> YearSummary:
    """Net one year's sales (its rows among `dispositions`, or their `Sales` already summed).
    `taxable_income` (Form 1040 line 15, may be negative) limits the loss used when income is too
    small to absorb it; None assumes it is large enough.
    `income_before_gains` gives it another way: line 15 without the capital gain or loss
    (other income minus the deduction, may be negative); the year's line 7 is added here.
    `capital_gain_distributions` (1099-DIV box 2a) are long-term gain on line 13: they net against
    the year's losses and the carryover like any long-term gain."""
    if isinstance(dispositions, Sales):
        sales = dispositions
    else:
        sales = sales_by_year(dispositions, only=year).get(year, Sales())
    st_gains, st_losses = sales.short_gains, sales.short_losses
    lt_gains, lt_losses = sales.long_gains, sales.long_losses
    washed = sales.washed
    short_net = st_gains + st_losses - carryover_short
    long_net = lt_gains + lt_losses + capital_gain_distributions - carryover_long
    net = short_net + long_net
    p = params or params_for(year)  # a year past the last known: the caller's estimate of its law
    limit = p.capital_loss_limit(filing_status)
    allowed = allowed_capital_gain(net, filing_status, p)  # Schedule D line 16 or 21: Form 1040 line 7
    deductible = -min(ZERO, allowed)
    if taxable_income is None and income_before_gains is not None:
        taxable_income = income_before_gains + allowed
    reasons = [
        Reason(
            rule="netting.by_term",
            facts={"short_term_net": short_net, "long_term_net": long_net, "net": net},
            source="Schedule D lines 7, 15, 16",
        )
    ]
    carry_short, carry_long = carryovers(short_net, long_net, deductible, taxable_income)
    if net < 0:
        reasons.append(
            Reason(
                rule="netting.loss_limit",
                facts={
                    "net_loss": -net,
                    "limit": limit,
                    "deducted": deductible,
                    "carryforward_short": carry_short,
                    "carryforward_long": carry_long,
                    "filing_status": filing_status,
                },
                source="Schedule D line 21; Capital Loss Carryover Worksheet",
            )
        )
    return YearSummary(
        year=year,
        filing_status=filing_status,
        short_term_gains=st_gains,
        short_term_losses=st_losses,
        long_term_gains=lt_gains,
        long_term_losses=lt_losses,
        carryover_short=carryover_short,
        carryover_long=carryover_long,
        wash_sale_disallowed=washed,
        short_term_net=short_net,
        long_term_net=long_net,
        net=net,
        deductible_loss=deductible,
        carryforward_short=carry_short,
        carryforward_long=carry_long,
        capital_gain_distributions=capital_gain_distributions,
        reasons=tuple(reasons),
    )


IRA_PERMANENT = "wash.ira_permanent"


def lost_to_ira(dispositions: Iterable[Disposition], replacement_lot: str | None = None) -> Decimal:
    """Losses disallowed for good because IRA purchases replaced them (Rev. Rul. 2008-5): part of
    `wash_sale_disallowed` that no basis ever gets back. Only those `replacement_lot` caused, if given."""
    return sum(
        (
            Decimal(str(r.facts["disallowed"]))
            for d in dispositions
            if d.wash_sale_disallowed and d.cites(IRA_PERMANENT)  # the others' reasons stay unbuilt
            for r in d.reasons
            if r.rule == IRA_PERMANENT and replacement_lot in (None, r.facts.get("replacement_lot"))
        ),
        ZERO,
    )


def carryovers(
    short_net: Decimal, long_net: Decimal, deducted: Decimal, taxable_income: Decimal | None = None
) -> tuple[Decimal, Decimal]:
    """Capital Loss Carryover Worksheet, lines 1-13: (short-term, long-term) carried to next year."""
    if short_net + long_net >= 0:
        return ZERO, ZERO
    line2 = deducted
    line3 = line2 if taxable_income is None else max(ZERO, taxable_income + line2)
    line4 = min(line2, line3)
    short_carry = long_carry = ZERO
    if short_net < 0:
        line5 = -short_net
        line7 = line4 + max(ZERO, long_net)
        short_carry = max(ZERO, line5 - line7)
    if long_net < 0:
        line9 = -long_net
        line11 = max(ZERO, line4 - max(ZERO, -short_net))
        line12 = max(ZERO, short_net) + line11
        long_carry = max(ZERO, line9 - line12)
    return short_carry, long_carry


def carry_forward(
    dispositions: Iterable[Disposition],
    first_year: int,
    last_year: int,
    carryover_short: Decimal = ZERO,
    carryover_long: Decimal = ZERO,
    filing_status: FilingStatus = "single",
    income_before_gains: Callable[[int], Decimal] | None = None,
    capital_gain_distributions: Callable[[int], Decimal] | None = None,
) -> list[YearSummary]:
    """Summaries for each year in turn, each year's carryforward feeding the next.

    `income_before_gains(year)`: that year's taxable income without capital gains or losses, so a
    year with too little income to absorb the loss deduction carries more forward (see summarize_year).
    `capital_gain_distributions(year)`: that year's Form 1099-DIV box 2a total (Schedule D line 13)."""
    rows = list(dispositions)
    summaries = []
    for year in range(first_year, last_year + 1):
        before = None if income_before_gains is None else income_before_gains(year)
        distributions = ZERO if capital_gain_distributions is None else capital_gain_distributions(year)
        summary = summarize_year(
            rows,
            year,
            carryover_short,
            carryover_long,
            filing_status,
            income_before_gains=before,
            capital_gain_distributions=distributions,
        )
        summaries.append(summary)
        carryover_short, carryover_long = summary.carryforward_short, summary.carryforward_long
    return summaries
