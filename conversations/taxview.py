"""The bridge from a user's state to the engine: their ledger, a year's netting, its tax."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from calc import (
    Ledger,
    Split,
    TaxInput,
    TaxResult,
    Trade,
    UnsupportedYear,
    YearSummary,
    book,
    compute_tax,
)
from calc.models import ZERO
from calc.params import params_for
from calc.planner import TaxContext, tax_input, year_summary
from conversations.state import UserState

_recent: list[tuple[Sequence[Trade], Sequence[Split], Ledger]] = []


def ledger_of(trades: Sequence[Trade], splits: Sequence[Split] = ()) -> Ledger:
    """Book the trades (and splits); one step asks for the same trades' ledger several times, so the
    last few are kept (by identity: states are immutable, so the same tuple means the same trades)."""
    for seen, seen_splits, ledger in _recent:
        if seen is trades and seen_splits is splits:
            return ledger
    ledger = book([*trades, *splits]) if splits else book(trades)
    _recent.insert(0, (trades, splits, ledger))
    del _recent[4:]
    return ledger


def ledger_for(state: UserState) -> Ledger:
    """The user's whole ledger: every trade and split they recorded."""
    return ledger_of(state.trades, state.splits)


def ledger_as_of(state: UserState, when: date) -> Ledger:
    """The user's ledger with only what happened up to `when` (splits that day included)."""
    return ledger_of([t for t in state.trades if t.date <= when], [s for s in state.splits if s.date <= when])


def tax_year(state: UserState, today_year: int) -> int:
    return state.profile.tax_year or today_year


def summary_for(state: UserState, ledger: Ledger, year: int) -> YearSummary:
    """The year's netting, with the user's carryover chained forward from their tax year."""
    return year_summary(planning_context(state, year), ledger)


def tax_known(state: UserState, year: int) -> bool:
    """Whether the engine has the law for every year `year_tax(state, _, year)` reads (no tax figured)."""
    first = min(state.profile.tax_year or year, year)  # the carryover is chained from the tax year
    try:
        for each in range(first, year + 1):
            params_for(each)
    except UnsupportedYear:
        return False
    return True


@dataclass(frozen=True)
class YearTax:
    summary: YearSummary
    with_gains: TaxResult
    without_gains: TaxResult

    tax_input: TaxInput

    @property
    def added(self) -> Decimal:
        return self.with_gains.total - self.without_gains.total

    def shifted_to_long(self, amount: Decimal, from_wages: Decimal = ZERO) -> TaxResult:
        """The tax if `amount` of this year's short-term gain, and `from_wages` of its wages (an ISO
        sale's bargain element, when the sale would qualify), were long-term gain instead."""
        i = self.tax_input
        update = {
            "short_term": i.short_term - amount,
            "long_term": i.long_term + amount + from_wages,
            "wages": i.wages - from_wages,
        }
        if i.amt_short_term is not None and i.amt_long_term is not None:
            update |= {"amt_short_term": i.amt_short_term - amount, "amt_long_term": i.amt_long_term + amount}
        return compute_tax(i.model_copy(update=update))


def year_tax(state: UserState, ledger: Ledger, year: int) -> YearTax:
    """Tax with the year's capital gains and losses, and without them (carryover still counted)."""
    summary = summary_for(state, ledger, year)
    with_gains = tax_input(ledger, summary, wages=state.profile.other_income)
    base = with_gains.model_copy(
        update={
            "short_term": -summary.carryover_short,
            "long_term": -summary.carryover_long,
            "amt_short_term": None,
            "amt_long_term": None,
        }
    )
    return YearTax(
        summary=summary, with_gains=compute_tax(with_gains), without_gains=compute_tax(base), tax_input=with_gains
    )


def held(ledger: Ledger, symbol: str) -> Decimal:
    return sum((lot.quantity for lot in ledger.lots if lot.symbol == symbol), ZERO)


def planning_context(state: UserState, year: int) -> TaxContext:
    p = state.profile
    return TaxContext(
        year=year,
        filing_status=p.filing_status,
        wages=p.other_income,
        carryover_year=p.tax_year or year,
        carryover_short=p.carryover_short,
        carryover_long=p.carryover_long,
    )
