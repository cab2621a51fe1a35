"""The bridge from a user's state to the engine: their ledger, and their tax years figured from it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from calc import CalcError, Disposition, Ledger, Split, Trade, UnsupportedYear, book
from calc.models import ZERO
from calc.params import available_years, params_for
from calc.years import TaxYears, YearView, summed
from conversations.formatting import error_words
from conversations.kernel import Ctx
from conversations.parsing import InputError
from conversations.state import UserState

_recent: list[tuple[Sequence[Trade], Sequence[Split], Ledger]] = []
_recent_years: list[TaxYears] = []
_recent_gifts: list[tuple[Sequence[Trade], dict[str, date]]] = []


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


def forget_kept() -> None:
    """Drop the ledgers and years kept from recent steps (benchmarks measuring a cold step)."""
    _recent.clear()
    _recent_years.clear()
    _recent_gifts.clear()


def ledger_for(state: UserState) -> Ledger:
    """The user's whole ledger: every trade and split they recorded."""
    return ledger_of(state.trades, state.splits)


def ledger_as_of(state: UserState, when: date) -> Ledger:
    """The user's ledger with only what happened up to `when` (splits that day included)."""
    return ledger_of([t for t in state.trades if t.date <= when], [s for s in state.splits if s.date <= when])


def tax_years(state: UserState, ledger: Ledger) -> TaxYears:
    """The user's years over this ledger; kept like the ledger, so each year is figured once a step."""
    years = state.profile.years
    for seen in _recent_years:
        if seen.ledger is ledger and seen.years is years:
            return seen
    # Known trades: their totals come from each symbol's kept ones (calc.years.SUMMED), so after a
    # change only the symbols it touched are summed again, not every row of a long history.
    booked = next(((trades, splits) for trades, splits, kept in _recent if kept is ledger), None)
    found = TaxYears(ledger, years, summed([*booked[0], *booked[1]]) if booked else None)
    _recent_years.insert(0, found)
    del _recent_years[4:]
    return found


def tax_year(state: UserState, today_year: int) -> int:
    return state.profile.tax_year or today_year


def books_without(ctx: Ctx, after: UserState, number: str) -> None:
    """Taking entry `number` back out leaves a history that books; or why not, in words (a later
    sale needs the shares it brought)."""
    try:
        ledger_of(after.trades, after.splits)
    except CalcError as error:
        raise InputError(
            f"I can't remove {number}: {error_words(error, ctx.fmt)} without it. Remove the later sale first."
        ) from None


def asked_year(ctx: Ctx, args: str) -> int:
    """The year a command names (/gains 2025, /form8949 2025), or the chat's tax year when it names none."""
    if not args.strip():
        return tax_year(ctx.state, ctx.today.year)
    if not args.strip().isdigit():
        raise InputError("Send the year as four digits, like /gains 2025.")
    year = int(args.strip())
    try:
        params_for(year)
    except UnsupportedYear as error:
        raise InputError(f"I can't do that year: {error_words(error, ctx.fmt)}.") from None
    return year


def tax_known(state: UserState, year: int) -> bool:
    """Whether the engine has the law for every year the chain to `year` reads (no tax figured)."""
    ledger = ledger_for(state)
    known = available_years()
    if known[0] <= year and all(each in known for each in range(known[0], year + 1)):
        # The chain never starts before the first year known (TaxYears.first_year), so it reads only known
        # law: no need to sum the ledger's years (a pass over every trade) to find where it starts.
        return True
    first = tax_years(state, ledger).first_year()
    try:
        for each in range(min(first or year, year), year + 1):
            params_for(each)
    except UnsupportedYear:
        return False
    return True


def year_tax(state: UserState, ledger: Ledger, year: int) -> YearView:
    """The year's view: its Schedule D with the carryover chained in, its tax with and without its sales."""
    return tax_years(state, ledger).view(year)


def held(ledger: Ledger, symbol: str) -> Decimal:
    return sum((lot.quantity for lot in ledger.lots if lot.symbol == symbol), ZERO)


def gift_day(state: UserState, d: Disposition) -> date | None:
    """The day the shares sold were received, when they were a gift (None otherwise)."""
    return _gift_days(state.trades).get(d.purchase_id)


def _gift_days(trades: Sequence[Trade]) -> dict[str, date]:
    """The day each gift among `trades` was received, by trade id; kept for the last few histories (by
    identity, like the ledgers) so that each of a year's sales isn't a search of every trade."""
    for seen, days in _recent_gifts:
        if seen is trades:
            return days
    days = {t.id: t.date for t in trades if t.source == "gift"}
    _recent_gifts.insert(0, (trades, days))
    del _recent_gifts[4:]
    return days
