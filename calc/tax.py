"""Federal income tax on one simple return, as Form 1040 and its worksheets figure it.

The return: wages and other ordinary income, taxable interest, dividends (Form
1099-DIV box 1a, of which box 1b qualified), capital gain distributions (box 2a,
Schedule D line 13), the year's net short- and long-term capital gain or loss from
sales (carryovers folded in), the standard deduction, no dependents, filer under 65. Line references are to the 2024 forms;
the layout has been the same since 2018.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from calc.models import ZERO, FilingStatus, Reason, cents
from calc.params import Bracket, YearParams, params_for

DOLLAR = Decimal(1)


def whole_dollars(amount: Decimal) -> Decimal:
    return amount.quantize(DOLLAR, rounding=ROUND_HALF_UP)


class TaxInput(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int
    filing_status: FilingStatus
    wages: Decimal = Field(default=ZERO, ge=0)  # all other ordinary income, NSO/RSU income included
    short_term: Decimal = ZERO  # net short-term gain or loss before the loss limit (Schedule D line 7)
    # Net long-term gain or loss from sales and carryover before the loss limit: Schedule D line 15
    # WITHOUT line 13, which is capital_gain_distributions below (compute_tax adds it).
    long_term: Decimal = ZERO
    qualified_dividends: Decimal = Field(default=ZERO, ge=0)  # Form 1099-DIV box 1b; Form 1040 line 3a
    # Form 1099-DIV box 1a, Form 1040 line 3b: ALL ordinary dividends, the qualified ones included.
    # Left out (or None), it is the qualified dividends, i.e. every dividend is qualified.
    ordinary_dividends: Decimal = Field(default=ZERO, ge=0)
    interest: Decimal = Field(default=ZERO, ge=0)  # taxable interest, Form 1099-INT box 1; Form 1040 line 2b
    capital_gain_distributions: Decimal = Field(default=ZERO, ge=0)  # Form 1099-DIV box 2a: Schedule D line 13
    amt_adjustments: Decimal = ZERO  # Form 6251 line 2i: ISO bargain element
    # The year's net short- and long-term gains figured with AMT basis (ISO shares sold after the
    # year of exercise, Form 6251 line 2k); None: the same as short_term and long_term.
    amt_short_term: Decimal | None = None
    amt_long_term: Decimal | None = None

    @model_validator(mode="before")
    @classmethod
    def _dividends_default_to_qualified(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("ordinary_dividends") is None:
            data = {**data, "ordinary_dividends": data.get("qualified_dividends", ZERO)}
        return data

    @model_validator(mode="after")
    def _qualified_within_ordinary(self) -> TaxInput:
        if self.qualified_dividends > self.ordinary_dividends:
            raise ValueError(
                "qualified dividends (1099-DIV box 1b) are part of ordinary dividends (box 1a), "
                f"so they can't be more: {self.qualified_dividends} > {self.ordinary_dividends}"
            )
        return self

    @property
    def nonqualified_dividends(self) -> Decimal:
        """Dividends taxed as ordinary income: box 1a less box 1b."""
        return self.ordinary_dividends - self.qualified_dividends

    @property
    def schedule_d_long_term(self) -> Decimal:
        """Schedule D line 15: the long-term net with the capital gain distributions (line 13)."""
        return self.long_term + self.capital_gain_distributions


class TaxResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int
    filing_status: FilingStatus
    capital_gain: Decimal  # Form 1040 line 7: net gain, or the net loss allowed this year
    capital_loss_deduction: Decimal  # the part of a net loss used against other income (>= 0)
    agi: Decimal
    deduction: Decimal
    taxable_income: Decimal
    ordinary_taxable_income: Decimal  # QDCG worksheet line 5
    preferential_income: Decimal  # QDCG worksheet line 4: qualified dividends + net capital gain
    taxed_at_0: Decimal
    taxed_at_15: Decimal
    taxed_at_20: Decimal
    ordinary_tax: Decimal  # tax on the ordinary part (worksheet line 22, or all of line 16)
    income_tax: Decimal  # Form 1040 line 16
    marginal_rate: Decimal  # the ordinary bracket the last dollar of ordinary income falls in
    capital_gain_rate: Decimal  # the highest 0/15/20% rate any of the preferential income met
    net_investment_income: Decimal  # Form 8960 line 12: interest, dividends and the allowed capital gain
    niit_base: Decimal  # the lesser of net investment income and MAGI over the threshold
    niit: Decimal
    amti: Decimal
    amt_exemption: Decimal
    tentative_minimum_tax: Decimal
    amt: Decimal
    total: Decimal
    reasons: tuple[Reason, ...] = ()


def schedule_tax(taxable: Decimal, brackets: tuple[Bracket, ...]) -> Decimal:
    """Tax by the rate schedule, unrounded."""
    tax = ZERO
    for bracket, upper in zip(brackets, [*brackets[1:], None], strict=True):
        if taxable <= bracket.over:
            break
        top = taxable if upper is None else min(taxable, upper.over)
        tax += (top - bracket.over) * bracket.rate
    return tax


def tax_table_midpoint(taxable: Decimal, p: YearParams) -> Decimal:
    """The row midpoint the Tax Table figures tax at (only below `applies_below`)."""
    table = p.tax_table
    for low, high in table.first_rows:
        if low <= taxable < high:
            return (low + high) / 2
    if taxable < table.wide_rows_from:
        start = table.first_rows[-1][1]
        width = table.narrow_row_width
    else:
        start = table.wide_rows_from
        width = table.wide_row_width
    row_start = start + ((taxable - start) // width) * width
    return row_start + width / 2


def ordinary_tax(taxable: Decimal, status: FilingStatus, p: YearParams) -> Decimal:
    """Tax on ordinary income: the Tax Table below $100,000 (whole dollars), the schedule above."""
    if taxable <= 0:
        return ZERO
    brackets = p.ordinary_brackets(status)
    if taxable < p.tax_table.applies_below:
        return whole_dollars(schedule_tax(tax_table_midpoint(taxable, p), brackets))
    return cents(schedule_tax(taxable, brackets))


def marginal_rate(taxable: Decimal, brackets: tuple[Bracket, ...]) -> Decimal:
    rate = brackets[0].rate
    for bracket in brackets:
        if taxable > bracket.over:
            rate = bracket.rate
    return rate


def allowed_capital_gain(net: Decimal, status: FilingStatus, p: YearParams) -> Decimal:
    """Schedule D line 21: a net loss counts only up to the limit ($3,000; $1,500 separate)."""
    if net >= 0:
        return net
    return max(net, -p.capital_loss_limit(status))


class _Stacking(BaseModel):
    """The QDCG Tax Worksheet's split of taxable income, lines 4 to 20."""

    ordinary: Decimal
    preferential: Decimal
    at_0: Decimal
    at_15: Decimal
    at_20: Decimal


def stack_gains(
    taxable: Decimal, preferential: Decimal, ordinary_part: Decimal, zero_max: Decimal, fifteen_max: Decimal
) -> _Stacking:
    """Lines 6-20 of the worksheet; Form 6251 Part III stacks the same way."""
    line7 = min(taxable, zero_max)
    line8 = min(ordinary_part, line7)
    at_0 = line7 - line8
    line10 = min(taxable, preferential)
    line12 = line10 - at_0
    line14 = min(taxable, fifteen_max)
    line16 = max(ZERO, line14 - (ordinary_part + at_0))
    at_15 = min(line12, line16)
    at_20 = line10 - (at_0 + at_15)
    return _Stacking(ordinary=ordinary_part, preferential=preferential, at_0=at_0, at_15=at_15, at_20=at_20)


def compute_tax(data: TaxInput) -> TaxResult:
    """Regular tax (line 16), AMT (Form 6251) and NIIT (Form 8960) for one return."""
    p = params_for(data.year)
    status = data.filing_status
    reasons: list[Reason] = []

    long_term = data.schedule_d_long_term
    net = data.short_term + long_term
    capital_gain = allowed_capital_gain(net, status, p)
    loss_deduction = -capital_gain if capital_gain < 0 else ZERO
    if net < 0:
        reasons.append(
            Reason(
                rule="netting.loss_limit",
                facts={"net_loss": -net, "limit": p.capital_loss_limit(status), "deducted": loss_deduction},
                source="Schedule D line 21; IRC 1211(b)",
            )
        )
    agi = data.wages + data.interest + data.ordinary_dividends + capital_gain  # Form 1040 lines 1z, 2b, 3b, 7
    deduction = p.standard_deduction(status)
    taxable = max(ZERO, agi - deduction)
    reasons.append(
        Reason(
            rule="income.taxable",
            facts={"agi": agi, "standard_deduction": deduction, "taxable_income": taxable},
            source="Form 1040 lines 11-15",
        )
    )

    # QDCG worksheet line 3: net capital gain = the smaller of Schedule D lines 15 and 16 when both are gains.
    net_capital_gain = max(ZERO, min(long_term, net))
    preferential = min(taxable, data.qualified_dividends + net_capital_gain)
    cg = p.capital_gains
    stack = stack_gains(
        taxable,
        data.qualified_dividends + net_capital_gain,
        max(ZERO, taxable - (data.qualified_dividends + net_capital_gain)),
        cg.rate_0_max(status),
        cg.rate_15_max(status),
    )
    tax_on_ordinary = ordinary_tax(stack.ordinary, status, p)
    if preferential > 0:
        worksheet = tax_on_ordinary + cents(stack.at_15 * cg.rate_mid + stack.at_20 * cg.rate_high)
        income_tax = min(worksheet, ordinary_tax(taxable, status, p))
        for rate, amount, ceiling in (
            (cg.rate_low, stack.at_0, cg.rate_0_max(status)),
            (cg.rate_mid, stack.at_15, cg.rate_15_max(status)),
            (cg.rate_high, stack.at_20, None),
        ):
            if amount:
                facts: dict[str, Decimal | int | str] = {"amount": amount, "rate": rate}
                if ceiling is not None:
                    facts["band_ends_at"] = ceiling
                reasons.append(Reason(rule="qdcg.band", facts=facts, source="Form 1040 QDCG Tax Worksheet lines 6-21"))
    else:
        income_tax = tax_on_ordinary
    rate = marginal_rate(stack.ordinary, p.ordinary_brackets(status))
    reasons.append(
        Reason(
            rule="tax.table" if stack.ordinary < p.tax_table.applies_below else "tax.schedule",
            facts={"ordinary_income": stack.ordinary, "tax": tax_on_ordinary, "marginal_rate": rate},
            source="Form 1040 instructions, Tax Table / Tax Computation Worksheet",
        )
    )
    top_gain_rate = next(
        (r for r, amount in ((cg.rate_high, stack.at_20), (cg.rate_mid, stack.at_15)) if amount > 0),
        cg.rate_low,
    )

    investment_income, niit_base, niit = _niit(data, capital_gain, agi, p, reasons)
    amti, exemption, tmt, amt = _amt(data, agi, stack, income_tax, p, reasons)

    return TaxResult(
        year=data.year,
        filing_status=status,
        capital_gain=capital_gain,
        capital_loss_deduction=loss_deduction,
        agi=agi,
        deduction=deduction,
        taxable_income=taxable,
        ordinary_taxable_income=stack.ordinary,
        preferential_income=preferential,
        taxed_at_0=stack.at_0,
        taxed_at_15=stack.at_15,
        taxed_at_20=stack.at_20,
        ordinary_tax=tax_on_ordinary,
        income_tax=income_tax,
        marginal_rate=rate,
        capital_gain_rate=top_gain_rate,
        net_investment_income=investment_income,
        niit_base=niit_base,
        niit=niit,
        amti=amti,
        amt_exemption=exemption,
        tentative_minimum_tax=tmt,
        amt=amt,
        total=income_tax + amt + niit,
        reasons=tuple(reasons),
    )


def _niit(
    data: TaxInput, capital_gain: Decimal, agi: Decimal, p: YearParams, reasons: list[Reason]
) -> tuple[Decimal, Decimal, Decimal]:
    """Form 8960: 3.8% of the lesser of net investment income and MAGI over the threshold.

    Line 1 interest, line 2 ordinary dividends (box 1a, qualified included), line 5a the Form 1040
    line 7 gain (capital gain distributions included; a net loss only to the $3,000 limit, so it
    can offset other investment income that far, Treas. Reg. 1.1411-4(d)(2)); line 12 not below zero."""
    investment_income = max(ZERO, data.interest + data.ordinary_dividends + capital_gain)
    threshold = p.niit.threshold(data.filing_status)
    base = max(ZERO, min(investment_income, agi - threshold))
    niit = cents(base * p.niit.rate)
    if niit:
        reasons.append(
            Reason(
                rule="niit",
                facts={
                    "investment_income": investment_income,
                    "interest": data.interest,
                    "dividends": data.ordinary_dividends,
                    "capital_gain": capital_gain,
                    "magi": agi,
                    "threshold": threshold,
                    "base": base,
                    "rate": p.niit.rate,
                    "tax": niit,
                },
                source="IRC 1411; Form 8960 lines 12-17",
            )
        )
    return investment_income, base, niit


def _amt_on(amount: Decimal, status: FilingStatus, p: YearParams) -> Decimal:
    """Form 6251 line 7 / 18: 26% up to the threshold, 28% above."""
    threshold = p.amt.high_rate_threshold(status)
    if amount <= threshold:
        return amount * p.amt.rate_low
    return amount * p.amt.rate_high - threshold * (p.amt.rate_high - p.amt.rate_low)


def _amt(
    data: TaxInput,
    agi: Decimal,
    stack: _Stacking,
    regular_tax: Decimal,
    p: YearParams,
    reasons: list[Reason],
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Form 6251 for a standard-deduction return: AMTI is AGI plus the ISO adjustments."""
    status = data.filing_status
    # Line 2k: capital gains refigured with AMT basis, the loss limit applied to them separately.
    amt_short = data.short_term if data.amt_short_term is None else data.amt_short_term
    amt_long = (data.long_term if data.amt_long_term is None else data.amt_long_term) + data.capital_gain_distributions
    regular_allowed = allowed_capital_gain(data.short_term + data.schedule_d_long_term, status, p)
    line_2k = allowed_capital_gain(amt_short + amt_long, status, p) - regular_allowed
    amti = agi + data.amt_adjustments + line_2k  # lines 1 + 2a (the standard deduction added back) + 2i + 2k
    if status == "mfs":
        zero_exemption_at = p.amt.phaseout_start(status) + p.amt.exemption(status) / p.amt.phaseout_rate
        amti += min(p.amt.mfs_addback_rate * max(ZERO, amti - zero_exemption_at), p.amt.exemption(status))
    exemption = max(
        ZERO,
        p.amt.exemption(status) - p.amt.phaseout_rate * max(ZERO, amti - p.amt.phaseout_start(status)),
    )
    base = max(ZERO, amti - exemption)  # line 6
    if base == 0:
        return amti, exemption, ZERO, ZERO
    # Part III line 12: qualified dividends and net capital gain, as refigured for the AMT.
    preferential = data.qualified_dividends + max(ZERO, min(amt_long, amt_short + amt_long))
    if preferential > 0:
        # Part III: the capital-gain rates apply inside AMT too.
        cg = p.capital_gains
        line13 = preferential
        line16 = min(base, line13)
        line17 = base - line16
        line18 = _amt_on(line17, status, p)
        line21 = max(ZERO, cg.rate_0_max(status) - stack.ordinary)
        line22 = min(base, line13)
        line23 = min(line21, line22)
        line24 = line22 - line23
        line28 = line21 + stack.ordinary
        line29 = max(ZERO, cg.rate_15_max(status) - line28)
        line30 = min(line24, line29)
        line33 = line22 - (line23 + line30)
        line35 = line17 + line23 + line30 + line33
        line36 = base - line35
        line37 = _amt_on(line36, status, p) if line36 > 0 else ZERO
        line38 = line18 + line30 * cg.rate_mid + line33 * cg.rate_high + line37
        tentative = min(line38, _amt_on(base, status, p))
    else:
        tentative = _amt_on(base, status, p)
    tentative = cents(tentative)
    amt = max(ZERO, tentative - regular_tax)
    if amt or data.amt_adjustments or line_2k:
        reasons.append(
            Reason(
                rule="amt",
                facts={
                    "amti": amti,
                    "exemption": exemption,
                    "tentative_minimum_tax": tentative,
                    "regular_tax": regular_tax,
                    "amt": amt,
                    "iso_adjustment": data.amt_adjustments,
                    "capital_gain_adjustment": line_2k,
                },
                source="Form 6251 lines 1-11",
            )
        )
    return amti, exemption, tentative, amt
