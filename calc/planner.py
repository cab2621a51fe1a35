"""Planning: the tax a hypothetical sale adds, which lots to sell, and loss harvesting.

Every plan is figured exactly: candidate choices are booked and taxed with the
same engine as real trades, and the cheapest is kept. FIFO is always among the
candidates, so the chosen lots are never worse than FIFO for this year's tax.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from calc.booking import Ledger, book
from calc.limits import SHARES
from calc.models import ZERO, Disposition, FilingStatus, Frozen, Lot, LotPick, Trade
from calc.netting import YearSummary, amt_gain_differences, carry_forward, summarize_year
from calc.params import params_for
from calc.tax import TaxInput, TaxResult, compute_tax

WASH_WINDOW = timedelta(days=30)


class TaxContext(Frozen):
    """What the year looks like apart from stock sales."""

    year: int
    filing_status: FilingStatus = "single"
    wages: Decimal = ZERO  # other ordinary income; equity-compensation wages are added from the ledger
    qualified_dividends: Decimal = ZERO  # Form 1099-DIV box 1b
    ordinary_dividends: Decimal | None = None  # box 1a, the qualified ones included; None: = qualified
    interest: Decimal = ZERO  # taxable interest
    capital_gain_distributions: Decimal = ZERO  # box 2a, this year's: Schedule D line 13
    carryover_year: int | None = None  # the year the carryover below comes into
    carryover_short: Decimal = ZERO
    carryover_long: Decimal = ZERO


def year_summary(context: TaxContext, ledger: Ledger) -> YearSummary:
    """This year's netting, the carryover chained in from the year it was entered for.

    Each year in the chain is taken to have this year's other income (interest and dividends
    too): the Capital Loss Carryover Worksheet uses up carryover only against income there was
    (line 15). Capital gain distributions are this year's only."""
    p = context

    def income_before_gains(year: int) -> Decimal:
        other = p.wages + ledger.wages(year) + p.interest + dividends(p.qualified_dividends, p.ordinary_dividends)
        return other - params_for(year).standard_deduction(p.filing_status)

    def distributions(year: int) -> Decimal:
        return p.capital_gain_distributions if year == p.year else ZERO

    start = p.carryover_year or p.year
    if p.year < start:
        return summarize_year(
            ledger.dispositions,
            p.year,
            filing_status=p.filing_status,
            income_before_gains=income_before_gains(p.year),
            capital_gain_distributions=p.capital_gain_distributions,
        )
    return carry_forward(
        ledger.dispositions,
        start,
        p.year,
        p.carryover_short,
        p.carryover_long,
        p.filing_status,
        income_before_gains=income_before_gains,
        capital_gain_distributions=distributions,
    )[-1]


def year_tax(context: TaxContext, ledger: Ledger) -> TaxResult:
    """This year's tax with every sale in the ledger."""
    return compute_tax(
        tax_input(
            ledger,
            year_summary(context, ledger),
            wages=context.wages,
            qualified_dividends=context.qualified_dividends,
            ordinary_dividends=context.ordinary_dividends,
            interest=context.interest,
        )
    )


def dividends(qualified: Decimal, ordinary: Decimal | None) -> Decimal:
    """Form 1040 line 3b: box 1a includes the qualified dividends; not given, all are qualified."""
    return qualified if ordinary is None else ordinary


def tax_input(
    ledger: Ledger,
    summary: YearSummary,
    wages: Decimal,
    qualified_dividends: Decimal = ZERO,
    ordinary_dividends: Decimal | None = None,
    interest: Decimal = ZERO,
) -> TaxInput:
    """The return for the summary's year: its netted gains (with its capital gain distributions),
    the ledger's option income and AMT items, the interest and dividends given."""
    year = summary.year
    amt_short, amt_long = amt_gain_differences(ledger.dispositions, year)
    refigured = bool(amt_short or amt_long)
    long_term = summary.long_term_net - summary.capital_gain_distributions  # TaxInput adds line 13 itself
    return TaxInput(
        year=year,
        filing_status=summary.filing_status,
        wages=wages + ledger.wages(year),
        qualified_dividends=qualified_dividends,
        ordinary_dividends=dividends(qualified_dividends, ordinary_dividends),
        interest=interest,
        capital_gain_distributions=summary.capital_gain_distributions,
        amt_adjustments=ledger.amt_adjustments(year),
        short_term=summary.short_term_net,
        long_term=long_term,
        amt_short_term=summary.short_term_net + amt_short if refigured else None,
        amt_long_term=long_term + amt_long if refigured else None,
    )


class SaleOption(Frozen):
    name: str  # "fifo", "losses first", ...
    picks: tuple[LotPick, ...]
    dispositions: tuple[Disposition, ...]
    tax: TaxResult
    tax_added: Decimal  # against not selling at all

    @property
    def gain(self) -> Decimal:
        return sum((d.gain for d in self.dispositions), ZERO)


class SalePlan(Frozen):
    best: SaleOption
    fifo: SaleOption

    @property
    def saving_vs_fifo(self) -> Decimal:
        return self.fifo.tax.total - self.best.tax.total


def _category(lot: Lot, price: Decimal, when: date, long_losses_first: bool) -> tuple[int, Decimal]:
    gain_per_share = price - lot.basis_per_share
    long_term = when >= lot.long_term_from
    if gain_per_share < 0:
        rank = (0 if long_term else 1) if long_losses_first else (1 if long_term else 0)
    else:
        rank = 2 if long_term else 3  # long-term gains meet lower rates than short-term ones
    return rank, gain_per_share


Ordering = Callable[[list[Lot], Decimal, date], list[Lot]]
ORDERINGS: dict[str, Ordering] = {
    "fifo": lambda lots, price, when: lots,
    "lifo": lambda lots, price, when: list(reversed(lots)),
    "highest cost first": lambda lots, price, when: sorted(lots, key=lambda lot: -lot.basis_per_share),
    "short-term losses first": lambda lots, price, when: sorted(
        lots, key=lambda lot: _category(lot, price, when, False)
    ),
    "long-term losses first": lambda lots, price, when: sorted(lots, key=lambda lot: _category(lot, price, when, True)),
}


def _picks(ordered: Sequence[Lot], quantity: Decimal) -> tuple[LotPick, ...]:
    picks = []
    remaining = quantity
    for lot in ordered:
        if remaining <= 0:
            break
        take = min(lot.quantity, remaining)
        picks.append(LotPick(lot_id=lot.id, quantity=take))
        remaining -= take
    return tuple(picks)


def _with(others: Ledger, ledger: Ledger) -> Ledger:
    return Ledger(
        lots=others.lots + ledger.lots,
        dispositions=others.dispositions + ledger.dispositions,
        income=others.income + ledger.income,
    )


def plan_sale(
    trades: Sequence[Trade],
    symbol: str,
    quantity: Decimal,
    price: Decimal,
    when: date,
    context: TaxContext,
    fees: Decimal = ZERO,
) -> SalePlan:
    """The lots to sell `quantity` shares of `symbol` that cost the least tax this year, and FIFO for comparison.

    Raises calc.errors.NotEnoughShares when fewer shares are held.
    """
    # Lots of one symbol never meet another's (wash sales are per symbol too), so the other
    # symbols are booked once and only this symbol's trades are booked per candidate.
    mine = [t for t in trades if t.symbol == symbol]
    others = book([t for t in trades if t.symbol != symbol])
    lots = [lot for lot in book([t for t in mine if t.date <= when]).lots if lot.account_type == "taxable"]
    baseline = year_tax(context, _with(others, book(mine))).total
    options: dict[tuple[LotPick, ...], SaleOption] = {}
    for name, order in ORDERINGS.items():
        picks = _picks(order(lots, price, when), quantity)
        if picks in options:
            continue
        sale = Trade(
            date=when, symbol=symbol, side="sell", quantity=quantity, price=price, fees=fees, id="plan", lots=picks
        )
        ledger = _with(others, book([*mine, sale]))
        tax = year_tax(context, ledger)
        options[picks] = SaleOption(
            name=name,
            picks=picks,
            dispositions=tuple(d for d in ledger.dispositions if d.sale_id == "plan"),
            tax=tax,
            tax_added=tax.total - baseline,
        )
    fifo = next(o for o in options.values() if o.name == "fifo")
    best = min(options.values(), key=lambda o: (o.tax.total, o.name != "fifo"))
    return SalePlan(best=best, fifo=fifo)


def _purchases_in_window(trades: Sequence[Trade], when: date) -> dict[str, list[tuple[date, str]]]:
    """Purchases in the 30 days up to `when`, by symbol, newest first: one pass over the trades."""
    window: dict[str, list[tuple[date, str]]] = {}
    for t in trades:
        if t.side == "buy" and when - WASH_WINDOW <= t.date <= when:
            window.setdefault(t.symbol, []).append((t.date, t.id))
    for purchases in window.values():
        purchases.sort(reverse=True)
    return window


def _shares_down(quantity: Decimal) -> Decimal:
    return quantity.quantize(Decimal(1).scaleb(-SHARES.places), rounding=ROUND_DOWN)


class HarvestCandidate(Frozen):
    lot: Lot
    price: Decimal
    loss: Decimal  # positive
    term: str
    wash_risk: bool  # bought within the past 30 days: selling now would be a wash sale
    recent_purchase: date | None
    safe_to_sell_from: date  # first day a sale is clear of those purchases
    safe_to_rebuy_from: date  # if sold on `when`: first day buying back is not a wash sale


class HarvestPlan(Frozen):
    candidates: tuple[HarvestCandidate, ...]  # every lot with an unrealized loss
    chosen: tuple[HarvestCandidate, ...]  # the wash-safe losses needed to reach the target
    target: Decimal  # the losses that still lower this year's tax: net gains + what is left of the income limit
    harvested: Decimal
    tax_before: TaxResult
    tax_after_gains_offset: TaxResult  # only enough loss to cancel this year's gains
    tax_after: TaxResult
    carryforward: Decimal

    @property
    def saving(self) -> Decimal:
        return self.tax_before.total - self.tax_after.total

    @property
    def saving_on_gains(self) -> Decimal:
        return self.tax_before.total - self.tax_after_gains_offset.total

    @property
    def saving_on_income(self) -> Decimal:
        return self.tax_after_gains_offset.total - self.tax_after.total


def harvest(
    trades: Sequence[Trade], prices: dict[str, Decimal], when: date, context: TaxContext, loss_limit: Decimal
) -> HarvestPlan:
    """Lots to sell at a loss on `when` to offset this year's realized gains and `loss_limit` of income.

    A lot of a symbol bought in the past 30 days is a wash-sale risk (the purchase would replace it):
    it is listed with that warning and never chosen.
    """
    ledger = book(trades)
    window = _purchases_in_window(trades, when)
    candidates = []
    for lot in ledger.taxable_lots():
        price = prices.get(lot.symbol)
        if price is None or lot.quantity * price >= lot.basis:
            continue
        # The latest purchase in the window other than this lot's own: newest first, so at most two looks.
        last = next((day for day, trade_id in window.get(lot.symbol, ()) if trade_id != lot.purchase_id), None)
        recent = last is not None
        candidates.append(
            HarvestCandidate(
                lot=lot,
                price=price,
                loss=lot.basis - lot.quantity * price,
                term="long" if when >= lot.long_term_from else "short",
                wash_risk=recent,
                recent_purchase=last,
                safe_to_sell_from=(last + WASH_WINDOW + timedelta(days=1)) if last else when,
                safe_to_rebuy_from=when + WASH_WINDOW + timedelta(days=1),
            )
        )
    candidates.sort(key=lambda c: -c.loss)
    tax_before = year_tax(context, ledger)
    realized = max(ZERO, tax_before.capital_gain)
    # Form 1040 line 7 is the net gain, or the loss allowed (never below -limit): losses already
    # realized use up the limit first, and past it more losses only carry forward.
    target = max(ZERO, tax_before.capital_gain + loss_limit)
    chosen: list[HarvestCandidate] = []
    harvested = ZERO
    for candidate in candidates:
        if harvested >= target:  # also when target is 0: nothing would lower this year's tax
            break
        if not candidate.wash_risk:
            chosen.append(candidate)
            harvested += candidate.loss

    def with_losses(amount: Decimal) -> tuple[TaxResult, Ledger]:
        # One sale per symbol and account naming its lots: a sale per lot would make booking look
        # up the open lots once per chosen lot (quadratic in a 20,000-lot position).
        picks: dict[tuple[str, str | None], list[LotPick]] = {}
        price_of: dict[tuple[str, str | None], Decimal] = {}
        left = amount
        for c in chosen:
            if left <= 0:
                break
            # A part of the last lot, to the shares' precision (never more than the loss left).
            share = c.lot.quantity if c.loss <= left else _shares_down(c.lot.quantity * left / c.loss)
            left -= c.loss if c.loss <= left else left
            if share > 0:
                key = (c.lot.symbol, c.lot.account)
                picks.setdefault(key, []).append(LotPick(lot_id=c.lot.id, quantity=share))
                price_of[key] = c.price
        sales = [
            Trade(
                date=when,
                symbol=symbol,
                account=account,
                side="sell",
                quantity=sum((p.quantity for p in named), ZERO),
                price=price_of[(symbol, account)],
                id=f"harvest-{symbol}-{account or ''}",
                lots=tuple(named),
            )
            for (symbol, account), named in picks.items()
        ]
        harvested_ledger = book([*trades, *sales])
        return year_tax(context, harvested_ledger), harvested_ledger

    after_gains, _ = with_losses(min(harvested, realized))
    after, after_ledger = with_losses(harvested)
    summary = year_summary(context, after_ledger)
    return HarvestPlan(
        candidates=tuple(candidates),
        chosen=tuple(chosen),
        target=target,
        harvested=harvested,
        tax_before=tax_before,
        tax_after_gains_offset=after_gains,
        tax_after=after,
        carryforward=summary.carryforward_short + summary.carryforward_long,
    )
