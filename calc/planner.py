"""Planning: the tax a hypothetical sale adds, which lots to sell, and loss harvesting.

Every plan is figured exactly: candidate choices are booked and taxed with the
same engine as real trades, and the cheapest is kept. FIFO is always among the
candidates, so the chosen lots are never worse than FIFO for this year's tax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from calc import collector
from calc.assets import is_crypto
from calc.booking import WASH_WINDOW, Ledger, book
from calc.errors import CalcError
from calc.espp import qualifying_day
from calc.holding import long_term_from
from calc.limits import SHARES
from calc.matching import take_in_order
from calc.models import ZERO, Disposition, Frozen, Lot, LotPick, Split, Trade
from calc.tax import TaxResult
from calc.years import TaxYears, YearChain, Years, YearTotals, combined, summed, totals_of


def year_tax(years: Years, ledger: Ledger, year: int) -> TaxResult:
    """The year's tax with every sale in the ledger, the carryover chained in."""
    return TaxYears(ledger, years).view(year).with_gains


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


class _Candidates:
    """Sales of one symbol tried one after another, each taxed with all the user's trades.

    Lots and wash sales never cross symbols, so the other symbols' totals are the same for every
    candidate: they are summed once (and kept per symbol across messages, calc.years.SUMMED), and
    each candidate books and sums only its own symbol's trades. `at_once` books and nets everything
    for every candidate instead: the reference the shortcut must equal, figure for figure.
    """

    def __init__(self, events: Sequence[Trade | Split], symbol: str, years: Years, at_once: bool = False) -> None:
        self.events = events
        self.mine = [e for e in events if e.symbol == symbol]
        self.years = years
        # Positions name id-less events' lots in a history of several symbols: booked together, as book() does.
        self.at_once = at_once or (not all(e.id for e in events) and len(self.mine) < len(events))
        self.others: dict[int, YearTotals] = {}
        if not self.at_once:
            try:
                self.others = summed(events, leaving_out=symbol)  # the history's own groups, when it is kept
            except CalcError:
                book(events)  # raises the first error in booking order, as booking everything would
                raise

    def with_sales(self, *sales: Trade) -> tuple[YearChain, Ledger]:
        """The tax years with `sales` added, and a ledger holding every row of the symbol (the
        symbol's own ledger, or everything's when booked at once)."""
        if self.at_once:
            ledger = book([*self.events, *sales])
            return TaxYears(ledger, self.years), ledger
        try:
            ledger = book([*self.mine, *sales], keep=not sales)  # a candidate is asked for once
        except CalcError:
            book([*self.events, *sales])  # the first error in booking order among every symbol's
            raise
        return YearChain(combined(self.others, totals_of(ledger)), self.years), ledger


@collector.pausing
def plan_sale(
    trades: Sequence[Trade | Split],
    symbol: str,
    quantity: Decimal,
    price: Decimal,
    when: date,
    years: Years,
    fees: Decimal = ZERO,
    at_once: bool = False,
) -> SalePlan:
    """The lots to sell `quantity` shares of `symbol` that cost the least tax this year, and FIFO for comparison.

    Raises calc.errors.NotEnoughShares when fewer shares are held. `at_once`: the reference
    (see _Candidates), for tests.
    """
    candidates = _Candidates(trades, symbol, years, at_once)
    held = book([t for t in candidates.mine if t.date <= when]).lots
    lots = [lot for lot in held if lot.account_type == "taxable"]
    baseline = candidates.with_sales()[0].view(when.year).with_gains.total
    options: dict[tuple[LotPick, ...], SaleOption] = {}
    for name, order in ORDERINGS.items():
        picks = tuple(
            LotPick(lot_id=lot.id, quantity=take) for lot, take in take_in_order(order(lots, price, when), quantity)
        )
        if picks in options:
            continue
        sale = Trade(
            date=when, symbol=symbol, side="sell", quantity=quantity, price=price, fees=fees, id="plan", lots=picks
        )
        chain, ledger = candidates.with_sales(sale)
        tax = chain.view(when.year).with_gains
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


def _purchases_in_window(trades: Sequence[Trade | Split], when: date) -> dict[str, list[tuple[date, str]]]:
    """Purchases in the 30 days up to `when`, by symbol, newest first: one pass over the trades."""
    window: dict[str, list[tuple[date, str]]] = {}
    for t in trades:
        if isinstance(t, Trade) and t.side == "buy" and when - WASH_WINDOW <= t.date <= when:
            window.setdefault(t.symbol, []).append((t.date, t.id))
    for purchases in window.values():
        purchases.sort(reverse=True)
    return window


def _shares_down(quantity: Decimal) -> Decimal:
    return quantity.quantize(Decimal(1).scaleb(-SHARES.places), rounding=ROUND_DOWN)


def unrealized(ledger: Ledger, prices: Mapping[str, Decimal]) -> Iterator[tuple[Lot, Decimal, Decimal]]:
    """Each lot a tax return sees whose price is known: the lot, its price, and its unrealized gain
    (negative: a loss; a low-value gift's from its value at the gift, calc.models.Lot.unrealized)."""
    for lot in ledger.taxable_lots():
        price = prices.get(lot.symbol)
        if price is not None:
            yield lot, price, lot.unrealized(price)


class HarvestCandidate(Frozen):
    lot: Lot
    price: Decimal
    loss: Decimal  # positive: the capital loss a sale on the day would report, `pay` included
    term: str
    wash_risk: bool  # bought within the past 30 days: selling now would be a wash sale
    recent_purchase: date | None
    safe_to_sell_from: date  # first day a sale is clear of those purchases
    safe_to_rebuy_from: date  # if sold on `when`: first day buying back is not a wash sale
    crypto: bool = False  # property, not a security: no wash-sale rule (calc.assets)
    # ESPP shares sold before they qualify: the purchase-day bargain element is wages of the sale's year
    # (IRC 423(c), calc.espp) and joins the basis, so the capital loss is larger by as much.
    pay: Decimal = ZERO


def _sales(
    picks: dict[tuple[str, str | None], list[LotPick]],
    price_of: dict[tuple[str, str | None], Decimal],
    when: date,
    name: str,
    named: bool = True,
) -> list[Trade]:
    """One sale per symbol and account on `when` of the lots picked (or as many shares oldest first)."""
    return [
        Trade(
            date=when,
            symbol=symbol,
            account=account,
            side="sell",
            quantity=sum((p.quantity for p in lots), ZERO),
            price=price_of[(symbol, account)],
            id=f"{name}-{symbol}-{account or ''}",
            lots=tuple(lots) if named else (),
        )
        for (symbol, account), lots in picks.items()
    ]


def _pay_if_sold(
    trades: Sequence[Trade | Split], candidates: Sequence[HarvestCandidate], when: date
) -> dict[str, Decimal]:
    """The pay a sale of each of these lots on `when` would make (lot id -> wages): booked, as the
    sale itself would be, in one trial that sells them all and keeps nothing."""
    if not candidates:
        return {}
    picks: dict[tuple[str, str | None], list[LotPick]] = {}
    price_of: dict[tuple[str, str | None], Decimal] = {}
    for c in candidates:
        key = (c.lot.symbol, c.lot.account)
        picks.setdefault(key, []).append(LotPick(lot_id=c.lot.id, quantity=c.lot.quantity))
        price_of[key] = c.price
    trial = book([*trades, *_sales(picks, price_of, when, "pay")], keep=False)
    pay: dict[str, Decimal] = {}
    for d in trial.dispositions:
        if d.sale_id.startswith("pay-") and d.wage_basis:
            pay[d.lot_id] = pay.get(d.lot_id, ZERO) + d.wage_basis
    return pay


def _loss_long_term_from(lot: Lot) -> date:
    """A low-value gift's loss is figured from its value at the gift, and its holding period starts
    there (Publication 551, Property Received as a Gift); any other lot's is the lot's own."""
    return lot.long_term_from if lot.loss_basis_per_share is None else long_term_from(lot.purchased)


def _oldest_first(ledger: Ledger, chosen: Sequence[HarvestCandidate]) -> bool:
    """Whether selling `chosen` (whole lots) is what oldest-first would sell: in each symbol and account
    the lots named are the first ones held, in the order booking keeps them (calc.matching.fifo)."""
    named: dict[tuple[str, str | None], set[str]] = {}
    for c in chosen:
        named.setdefault((c.lot.symbol, c.lot.account), set()).add(c.lot.id)
    held: dict[tuple[str, str | None], list[str]] = {}
    for lot in ledger.lots:
        held.setdefault((lot.symbol, lot.account), []).append(lot.id)
    return all(set(held[key][: len(ids)]) == ids for key, ids in named.items())


class HarvestPlan(Frozen):
    day: date  # the day the sales are planned for
    candidates: tuple[HarvestCandidate, ...]  # every lot with an unrealized loss
    chosen: tuple[HarvestCandidate, ...]  # the wash-safe losses needed to reach the target
    target: Decimal  # the losses that still lower this year's tax: net gains + what is left of the income limit
    loss_limit: Decimal  # the year's limit on net capital loss against other income (IRC 1211(b))
    harvested: Decimal
    tax_before: TaxResult
    tax_after_gains_offset: TaxResult  # only enough loss to cancel this year's gains
    tax_after: TaxResult
    carryforward: Decimal
    # The same number of shares of each symbol sold oldest first, as brokers (and /sell) do unless
    # told which shares: its rows and the year's tax, to show what naming the lots is worth.
    fifo_dispositions: tuple[Disposition, ...] = ()
    fifo_tax_after: TaxResult | None = None
    fifo_lots: tuple[Lot, ...] = ()  # the lots those rows sell from, as held before (their purchase days)

    @property
    def saving(self) -> Decimal:
        return self.tax_before.total - self.tax_after.total

    @property
    def saving_if_fifo(self) -> Decimal:
        return self.tax_before.total - (self.fifo_tax_after or self.tax_after).total

    @property
    def saving_on_gains(self) -> Decimal:
        return self.tax_before.total - self.tax_after_gains_offset.total

    @property
    def saving_on_income(self) -> Decimal:
        return self.tax_after_gains_offset.total - self.tax_after.total


@collector.pausing
def harvest(trades: Sequence[Trade | Split], prices: dict[str, Decimal], when: date, years: Years) -> HarvestPlan:
    """Lots to sell at a loss on `when` to offset this year's realized gains and the loss limit's worth of income.

    A lot of a symbol bought in the past 30 days is a wash-sale risk (the purchase would replace it):
    it is listed with that warning and never chosen.
    """
    ledger = book(trades)
    window = _purchases_in_window(trades, when)
    crypto = {t.symbol for t in trades if isinstance(t, Trade) and is_crypto(t)}
    candidates = []
    for lot, price, gain in unrealized(ledger, prices):
        if gain >= 0:
            continue
        # The latest purchase in the window other than this lot's own: newest first, so at most two looks.
        last = next((day for day, trade_id in window.get(lot.symbol, ()) if trade_id != lot.purchase_id), None)
        if lot.symbol in crypto:
            last = None  # property, not a security: no wash sale either way (calc.assets)
        recent = last is not None
        candidates.append(
            HarvestCandidate(
                lot=lot,
                price=price,
                loss=-gain,
                term="long" if when >= _loss_long_term_from(lot) else "short",
                wash_risk=recent,
                recent_purchase=last,
                safe_to_sell_from=(last + WASH_WINDOW + timedelta(days=1)) if last else when,
                safe_to_rebuy_from=when if lot.symbol in crypto else when + WASH_WINDOW + timedelta(days=1),
                crypto=lot.symbol in crypto,
            )
        )
    pay = _pay_if_sold(trades, [c for c in candidates if c.lot.source in ("espp", "iso")], when)
    candidates = [
        c.model_copy(update={"loss": c.loss + pay[c.lot.id], "pay": pay[c.lot.id]}) if c.lot.id in pay else c
        for c in candidates
    ]
    candidates.sort(key=lambda c: -c.loss)
    view = TaxYears(ledger, years).view(when.year)
    tax_before = view.with_gains
    loss_limit = view.loss_limit
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

    def with_losses(amount: Decimal, named: bool = True) -> tuple[TaxResult, Ledger]:
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
        harvested_ledger = book([*trades, *_sales(picks, price_of, when, "harvest", named)], keep=False)  # a trial
        return year_tax(years, harvested_ledger, when.year), harvested_ledger

    after_gains, _ = with_losses(min(harvested, realized))
    after, after_ledger = with_losses(harvested)
    # Oldest first sells the same shares when, in each account, the lots named are its oldest ones:
    # then there's nothing to book again (a large position's common case).
    fifo_after, fifo_ledger = (after, after_ledger) if _oldest_first(ledger, chosen) else with_losses(harvested, False)
    summary = TaxYears(after_ledger, years).summary(when.year)
    fifo_sold = tuple(d for d in fifo_ledger.dispositions if d.sale_id.startswith("harvest-"))
    held = {lot.id: lot for lot in ledger.lots}
    return HarvestPlan(
        day=when,
        candidates=tuple(candidates),
        chosen=tuple(chosen),
        target=target,
        loss_limit=loss_limit,
        harvested=harvested,
        tax_before=tax_before,
        tax_after_gains_offset=after_gains,
        tax_after=after,
        carryforward=summary.carryforward_short + summary.carryforward_long,
        fifo_dispositions=fifo_sold,
        fifo_tax_after=fifo_after,
        fifo_lots=tuple(held[i] for i in dict.fromkeys(d.lot_id for d in fifo_sold) if i in held),
    )


class Wait(Frozen):
    """Selling the same shares at the same price on a later day: what changes, and the tax it saves."""

    until: date
    long_term: bool  # every part of the sale is long-term by then
    qualifying: bool  # ISO or ESPP shares: a qualifying disposition by then (IRC 422(a), 423(a))
    tax_year: int  # the return the sale would then be on
    law_year: int  # the law it is figured with (the latest known, when tax_year's isn't published)
    saving: Decimal  # the tax over the years from the sale's to tax_year's, selling now against then
    wages: Decimal = ZERO  # the wages the sale would make then (a qualifying ESPP sale's offering discount)


class WhatIf(Frozen):
    """A hypothetical sale booked with the user's trades: its rows, the wages it makes, the tax it adds
    to its year, and the days on which waiting changes its character."""

    year: int
    dispositions: tuple[Disposition, ...]
    wages: Decimal  # a disqualifying ISO sale's wages (IRC 422(c)(2)); an ESPP sale's (IRC 423(c))
    tax: TaxResult  # the year's tax with the sale
    tax_added: Decimal  # against not selling
    waits: tuple[Wait, ...]

    @property
    def gain(self) -> Decimal:
        return sum((d.gain for d in self.dispositions), ZERO)


SALE_ID = "whatif"


@collector.pausing
def what_if(
    trades: Sequence[Trade], years: Years, sale: Trade, splits: Sequence[Split] = (), at_once: bool = False
) -> WhatIf:
    """Book `sale` (its id is replaced) with the trades, and figure what waiting would change.

    Waiting days: when the sale's short-term gains turn long-term, and when ISO shares sold at a
    disqualifying disposition would qualify; one day that is both is one wait. Each wait is figured by
    booking the same sale on that day and taxing every year from now to then with its own law and
    figures (the carryover chained through), so a wait past December 31 moves the sale to the next
    return, and an ISO exercise's AMT adjustment that a same-year sale would have removed stays.
    Raises calc.errors.CalcError when the sale can't happen (not enough shares). `at_once`: the
    reference (see _Candidates), for tests.
    """
    sale = sale.model_copy(update={"id": SALE_ID})
    year = sale.date.year
    candidates = _Candidates([*trades, *splits], sale.symbol, years, at_once)
    before, before_ledger = candidates.with_sales()
    now, now_ledger = candidates.with_sales(sale)
    parts = tuple(d for d in now_ledger.dispositions if d.sale_id == SALE_ID)
    wages = now_ledger.wages(year) - before_ledger.wages(year)
    tax = now.view(year).with_gains
    days = _waiting_days(trades, parts, wages)
    waits = []
    for day in sorted(set(days.values())):
        later, later_ledger = candidates.with_sales(sale.model_copy(update={"date": day}))
        waits.append(
            Wait(
                until=day,
                long_term=days.get("long_term", day) <= day,
                qualifying=days.get("qualifying", day) <= day and "qualifying" in days,
                tax_year=day.year,
                law_year=later.view(day.year).law.year,
                saving=now.total(year, day.year) - later.total(year, day.year),
                wages=later_ledger.wages(day.year) - before_ledger.wages(day.year),
            )
        )
    return WhatIf(
        year=year,
        dispositions=parts,
        wages=wages,
        tax=tax,
        tax_added=tax.total - before.view(year).with_gains.total,
        waits=tuple(waits),
    )


def _waiting_days(trades: Sequence[Trade], parts: Sequence[Disposition], wages: Decimal) -> dict[str, date]:
    """The first day every short-term gain in the sale is long-term, and (for a disqualifying ISO or ESPP
    sale) the first day it would be a qualifying disposition."""
    days = {}
    short_gains = [d for d in parts if d.term == "short" and d.gain > 0]
    if short_gains:
        days["long_term"] = max(long_term_from(d.acquired) for d in short_gains)
    if wages:
        by_id = {t.id: t for t in trades}
        days_of = [(qualifying_day(t), d.sold) for d in parts if (t := by_id.get(d.purchase_id)) is not None]
        qualifying = [day for day, sold in days_of if day is not None and day > sold]
        if qualifying:
            days["qualifying"] = max(qualifying)
    return days
