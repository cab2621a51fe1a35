"""A user's tax years: what each year's return holds besides stock sales, the capital-loss
carryover chained from one year into the next, and the one TaxInput each year is taxed from.

The chain starts at the first year with sales (or with a carryover the user stated) and runs
year by year: each year's Schedule D starts from the carryover the year before left, figured on
the Capital Loss Carryover Worksheet with that year's own income (Schedule D instructions). A
carryover the user states for a year, from a return already filed, replaces the figured one.

A year without figures of its own borrows the nearest year's (the earlier one on a tie), and
says so through `Figures.income_from` / `status_from`; with none anywhere, income is $0 and the
filing status single, and `income_from` is None so the chat can say it assumed that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Self

from pydantic import Field

from calc.booking import Ledger, book, kept_symbols
from calc.cache import WeighedCache
from calc.errors import CalcError
from calc.models import ZERO, FilingStatus, Frozen, IncomeEvent, Method, Split, Term, Trade
from calc.netting import Sales, YearSummary, sales_by_year, summarize_year
from calc.params import YearParams, available_years, law_for
from calc.tax import TaxInput, TaxResult, compute_tax

# The income a year's figures hold, each an amount for the whole year; a year without them borrows the
# nearest year's. Capital gain distributions are not among them: like sales, they are Schedule D items
# (line 13) of their own year only, and borrowing them would move another year's carryover.
INCOME_FIELDS = ("wages", "interest", "ordinary_dividends", "qualified_dividends")

# Income events a sale makes (not an exercise or vest): the tax a year's sales add includes them.
SALE_RULES = frozenset(
    {
        "equity.iso_disqualifying",
        "equity.iso_same_year_sale",
        "equity.iso_amt_basis",
        "equity.espp_qualifying",
        "equity.espp_disqualifying",
    }
)
ESPP_RULES = frozenset({"equity.espp_qualifying", "equity.espp_disqualifying"})

Money = Decimal


class YearFigures(Frozen):
    """One year's return apart from stock sales, as the user gave it; None: not given for this year.

    `ordinary_dividends` is Form 1040 line 3b (1099-DIV box 1a), which includes the qualified
    dividends of line 3a (box 1b). Capital gain distributions (box 2a) go on Schedule D line 13.
    """

    filing_status: FilingStatus | None = None
    wages: Money | None = Field(default=None, ge=0)  # wages and other ordinary income
    interest: Money | None = Field(default=None, ge=0)
    ordinary_dividends: Money | None = Field(default=None, ge=0)
    qualified_dividends: Money | None = Field(default=None, ge=0)
    capital_gain_distributions: Money | None = Field(default=None, ge=0)

    def has_income(self) -> bool:
        return any(getattr(self, name) is not None for name in INCOME_FIELDS)


class Carryover(Frozen):
    """A capital-loss carryover into a year (Schedule D lines 6 and 14), as positive amounts."""

    short: Money = Field(default=ZERO, ge=0)
    long: Money = Field(default=ZERO, ge=0)


class Figures(Frozen):
    """A year's figures as the tax is figured: every value present, and where it came from."""

    year: int
    filing_status: FilingStatus
    status_from: int | None  # the year the status was given for; None: never given, single assumed
    income_from: int | None  # the year the income was given for; None: none given, $0 assumed
    wages: Money = ZERO
    interest: Money = ZERO
    ordinary_dividends: Money = ZERO
    qualified_dividends: Money = ZERO
    capital_gain_distributions: Money = ZERO

    @property
    def dividends(self) -> Money:
        """Form 1040 line 3b: the ordinary dividends, never less than the qualified part of them."""
        return max(self.ordinary_dividends, self.qualified_dividends)

    @property
    def other_income(self) -> Money:
        """Everything but capital gains: wages, interest and dividends (Form 1040 lines 1-3b)."""
        return self.wages + self.interest + self.dividends


class Years(Frozen):
    """A user's figures by year and the carryovers they stated (from returns already filed)."""

    figures: dict[int, YearFigures] = Field(default_factory=dict)
    carryovers: dict[int, Carryover] = Field(default_factory=dict)

    @classmethod
    def one(
        cls,
        year: int,
        filing_status: FilingStatus = "single",
        wages: Money = ZERO,
        qualified_dividends: Money | None = None,
        carryover_short: Money = ZERO,
        carryover_long: Money = ZERO,
        carryover_year: int | None = None,
    ) -> Self:
        """One year's figures (and a carryover into `carryover_year`, by default that year): the
        shape of a single return, used by the planner's callers and tests."""
        figures = YearFigures(filing_status=filing_status, wages=wages, qualified_dividends=qualified_dividends)
        carried = {}
        if carryover_short or carryover_long:
            carried[carryover_year or year] = Carryover(short=carryover_short, long=carryover_long)
        return cls(figures={year: figures}, carryovers=carried)

    def with_figures(self, year: int, **changes: object) -> Self:
        current = self.figures.get(year, YearFigures())
        updated = YearFigures.model_validate(current.model_dump() | changes)
        return self.model_copy(update={"figures": {**self.figures, year: updated}})

    def with_carryover(self, year: int, short: Money, long: Money) -> Self:
        return self.model_copy(update={"carryovers": {**self.carryovers, year: Carryover(short=short, long=long)}})

    def given(self, year: int) -> YearFigures:
        return self.figures.get(year, YearFigures())

    def resolve(self, year: int) -> Figures:
        """The year's figures, borrowing filing status and income from the nearest year that has them
        (the earlier on a tie); capital gain distributions are the year's own."""
        nearest = sorted(self.figures, key=lambda y: (abs(y - year), y))
        status_from = next((y for y in nearest if self.figures[y].filing_status is not None), None)
        income_from = next((y for y in nearest if self.figures[y].has_income()), None)
        status = self.figures[status_from].filing_status if status_from is not None else None
        income: dict[str, Money] = {}
        if income_from is not None:
            given = self.figures[income_from]
            income = {name: getattr(given, name) or ZERO for name in INCOME_FIELDS}
        return Figures(
            year=year,
            filing_status=status or "single",
            status_from=status_from,
            income_from=income_from,
            capital_gain_distributions=self.given(year).capital_gain_distributions or ZERO,
            **income,
        )


def _from_sale(event: IncomeEvent) -> bool:
    return any(r.rule in SALE_RULES for r in event.reasons)


NO_SALES = Sales()


@dataclass(frozen=True, slots=True)
class YearTotals:
    """What a year's return reads of a ledger, summed: its sales, and the option income in it.
    Totals add, so the totals of several ledgers (one per symbol) are those of all of them."""

    sales: Sales = NO_SALES
    wages: Money = ZERO  # NSO, RSU, disqualifying ISO and ESPP wages (Form 1040 line 1)
    adjustments: Money = ZERO  # ISO bargain elements exercised and held (Form 6251 line 2i)
    sale_wages: Money = ZERO  # the part of `wages` sales made (disqualifying ISO sales, IRC 422(c)(2))
    sale_adjustments: Money = ZERO  # the part of `adjustments` sales made (a same-year sale takes one back)
    espp_wages: Money = ZERO  # the part of `sale_wages` ESPP sales made (IRC 423(c), calc.espp)

    def __add__(self, other: YearTotals) -> YearTotals:
        return YearTotals(
            self.sales + other.sales,
            self.wages + other.wages,
            self.adjustments + other.adjustments,
            self.sale_wages + other.sale_wages,
            self.sale_adjustments + other.sale_adjustments,
            self.espp_wages + other.espp_wages,
        )


Totals = Mapping[int, YearTotals]


def totals_of(ledger: Ledger) -> dict[int, YearTotals]:
    """The ledger's totals by year: one pass over its rows."""
    income: dict[int, list[Money]] = defaultdict(lambda: [ZERO] * 5)
    for e in ledger.income:
        at = income[e.date.year]
        kind = 0 if e.kind == "wages" else 1  # or an AMT adjustment
        at[kind] += e.amount
        if _from_sale(e):
            at[kind + 2] += e.amount
        if any(r.rule in ESPP_RULES for r in e.reasons):
            at[4] += e.amount
    sales = sales_by_year(ledger.dispositions)
    return {
        year: YearTotals(sales.get(year, NO_SALES), *income.get(year, [ZERO] * 5)) for year in sorted({*sales, *income})
    }


def combined(*many: Totals) -> dict[int, YearTotals]:
    """The year-by-year sum of several ledgers' totals."""
    together: dict[int, YearTotals] = {}
    for totals in many:
        for year, each in totals.items():
            found = together.get(year)
            together[year] = each if found is None else found + each
    return together


# Each symbol's totals, kept across messages and users like booking's KEPT (by the identities of the
# symbol's events, which the entry keeps alive): a what-if's candidates, and a change, re-sum only the
# symbol they touch. Weighed by events; a few hundred bytes an entry whatever the history's length.
SUMMED = WeighedCache[tuple[tuple[Trade | Split, ...], dict[int, YearTotals]]](max_weight=2_000_000)


def summed(
    events: Iterable[Trade | Split], method: Method = "fifo", leaving_out: str | None = None
) -> dict[int, YearTotals]:
    """`totals_of(book(events, method))`, from each symbol's kept totals (SUMMED) where it has them;
    without the symbol `leaving_out`, if given. Raises what book() raises (booking errors are per
    symbol, so the first in booking order among all symbols is found by booking them all: done
    only when one fails)."""
    given = tuple(events)
    kept = kept_symbols(given, method)  # a kept booking's symbols, as booked (none of them fails)
    if kept is not None:
        return combined(*(_summed(key, group, method) for key, group in kept if group[0].symbol != leaving_out))
    everything = given if leaving_out is None else tuple(event for event in given if event.symbol != leaving_out)
    by_symbol: dict[str, list[Trade | Split]] = {}
    for event in everything:
        by_symbol.setdefault(event.symbol, []).append(event)
    if len(by_symbol) > 1 and not all(event.id for event in everything):
        return totals_of(book(everything, method))  # positions name id-less events' lots: booked together
    try:
        return combined(*(_summed((method, *map(id, group)), group, method) for group in by_symbol.values()))
    except CalcError:
        book(everything, method)  # raises the first error in booking order
        raise


def _summed(key: tuple[Hashable, ...], group: list[Trade | Split], method: Method) -> dict[int, YearTotals]:
    """One symbol's totals, kept (SUMMED) under `key`: the method and its events' identities."""
    kept = SUMMED.get(key)
    if kept is None:
        kept = (tuple(group), totals_of(book(group, method)))
        SUMMED.put(key, kept, len(group))
    return kept[1]


@dataclass(frozen=True)
class YearView:
    """A year's whole picture: its figures, its Schedule D with the carryover chained in, and its tax
    with the year's sales and without them (the carryover and other income still counted)."""

    year: int
    law: YearParams  # the year's law; for a year past the last one known, the latest (law.year says which)
    figures: Figures
    summary: YearSummary
    sale_wages: Money  # wages the year's sales made (disqualifying ISO sales, IRC 422(c)(2); ESPP sales, IRC 423(c))
    sales: int  # Form 8949 rows in the year
    tax_input: TaxInput  # the year's return, sales included
    input_without_sales: TaxInput
    espp_wages: Money = ZERO  # the part of sale_wages from ESPP shares (calc.espp)
    amt_gain_difference: Money = ZERO  # how much larger the sales' gains are for the AMT (Form 6251 line 2k)
    lost_to_ira: Money = ZERO  # wash-sale losses disallowed for good: IRA purchases replaced them

    @cached_property
    def with_gains(self) -> TaxResult:
        return compute_tax(self.tax_input)

    @cached_property
    def without_gains(self) -> TaxResult:
        return compute_tax(self.input_without_sales)

    @property
    def added(self) -> Money:
        """The tax the year's sales add, their option wages included."""
        return self.with_gains.total - self.without_gains.total

    @cached_property
    def carryover_saving(self) -> Money:
        """What the loss carried into the year saves, before the year's sales: the tax without sales
        and without the carryover, less the tax without sales."""
        i = self.input_without_sales
        if not (self.summary.carryover_short or self.summary.carryover_long):
            return ZERO
        bare = compute_tax(i.model_copy(update={"short_term": ZERO, "long_term": ZERO}))
        return bare.total - self.without_gains.total

    @property
    def law_is_estimated(self) -> bool:
        return self.law.year != self.year

    @property
    def loss_limit(self) -> Money:
        """IRC 1211(b): $3,000 of net capital loss a year against other income ($1,500 separate)."""
        return self.law.capital_loss_limit(self.figures.filing_status)

    def tax_added_by_amt_adjustment(self, adjustment: Money) -> Money:
        """What `adjustment` of this year's ISO bargain element (Form 6251 line 2i) adds to the tax."""
        i = self.tax_input
        without = compute_tax(i.model_copy(update={"amt_adjustments": i.amt_adjustments - adjustment}))
        return self.with_gains.total - without.total

    def cost_of(self, gain: Money, term: Term) -> Money:
        """What `gain` more of this year's gain, short- or long-term, adds to its tax."""
        i = self.tax_input
        field = "short_term" if term == "short" else "long_term"
        return compute_tax(i.model_copy(update={field: getattr(i, field) + gain})).total - self.with_gains.total


class YearChain:
    """Tax years figured from a ledger's totals under a user's figures. Each year is figured once and kept."""

    def __init__(self, totals: Totals, years: Years | None = None) -> None:
        self.totals = totals
        self.years = years if years is not None else Years()
        self._summaries: dict[int, YearSummary] = {}
        self._views: dict[int, YearView] = {}

    def _totals(self, year: int) -> YearTotals:
        return self.totals.get(year) or YearTotals()

    def first_year(self) -> int | None:
        """Where the chain starts: the first year with sales or with a stated carryover, but not before
        the first year whose law is known (sales before it are for the carryover into it, which the
        user states: /carryover 2018 ...)."""
        starts = [*(year for year, totals in self.totals.items() if totals.sales.rows), *self.years.carryovers]
        return max(min(starts), available_years()[0]) if starts else None

    def income_before_gains(self, year: int) -> Money:
        """Form 1040 line 15 without the capital gain or loss (negative when the deduction is larger)."""
        figures = self.years.resolve(year)
        wages = self._totals(year).wages
        return figures.other_income + wages - law_for(year).standard_deduction(figures.filing_status)

    def summary(self, year: int) -> YearSummary:
        """The year's Schedule D, the carryover chained in from the first year."""
        if year in self._summaries:
            return self._summaries[year]
        first = self.first_year()
        stated = self.years.carryovers.get(year)
        if stated is not None:
            carried = stated
        elif first is None or year <= first:
            carried = Carryover()
        else:
            before = self.summary(year - 1)  # recursion depth is the chain's length: a few decades at most
            carried = Carryover(short=before.carryforward_short, long=before.carryforward_long)
        figures = self.years.resolve(year)
        summary = summarize_year(
            self._totals(year).sales,
            year,
            carried.short,
            carried.long,
            figures.filing_status,
            income_before_gains=self.income_before_gains(year),
            capital_gain_distributions=figures.capital_gain_distributions,
            params=law_for(year),
        )
        self._summaries[year] = summary
        return summary

    def view(self, year: int) -> YearView:
        if year not in self._views:
            self._views[year] = self._view(year)
        return self._views[year]

    def _view(self, year: int) -> YearView:
        summary = self.summary(year)
        figures = self.years.resolve(year)
        law = law_for(year)
        totals = self._totals(year)
        amt_short, amt_long = totals.sales.amt_short, totals.sales.amt_long
        refigured = bool(amt_short or amt_long)
        # The one place a year's return is put together (Form 1040 lines 1-7, Form 6251 lines 2i, 2k).
        # TaxInput.long_term is Schedule D line 15 without line 13: compute_tax adds the distributions.
        long_term = summary.long_term_net - summary.capital_gain_distributions
        with_gains = TaxInput(
            year=law.year,
            filing_status=figures.filing_status,
            wages=figures.wages + totals.wages,
            interest=figures.interest,
            ordinary_dividends=figures.dividends,
            qualified_dividends=figures.qualified_dividends,
            capital_gain_distributions=summary.capital_gain_distributions,
            amt_adjustments=totals.adjustments,
            short_term=summary.short_term_net,
            long_term=long_term,
            amt_short_term=summary.short_term_net + amt_short if refigured else None,
            amt_long_term=long_term + amt_long if refigured else None,
        )
        without = with_gains.model_copy(
            update={
                "wages": with_gains.wages - totals.sale_wages,
                "amt_adjustments": totals.adjustments - totals.sale_adjustments,
                "short_term": -summary.carryover_short,
                "long_term": -summary.carryover_long,
                "amt_short_term": None,
                "amt_long_term": None,
            }
        )
        return YearView(
            year=year,
            law=law,
            figures=figures,
            summary=summary,
            sale_wages=totals.sale_wages,
            sales=totals.sales.rows,
            tax_input=with_gains,
            input_without_sales=without,
            espp_wages=totals.espp_wages,
            amt_gain_difference=amt_short + amt_long,
            lost_to_ira=totals.sales.lost,
        )

    def total(self, first: int, last: int) -> Money:
        """Tax over the years `first` to `last`, each with its sales."""
        return sum((self.view(year).with_gains.total for year in range(first, last + 1)), ZERO)


class TaxYears(YearChain):
    """A ledger's tax years under a user's figures. `totals`, when the caller has them, must be the
    ledger's (`summed` of the events it was booked from)."""

    def __init__(self, ledger: Ledger, years: Years | None = None, totals: Totals | None = None) -> None:
        super().__init__(totals_of(ledger) if totals is None else totals, years)
        self.ledger = ledger
