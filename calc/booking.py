"""Booking: trades in date order become open lots, dispositions and option income.

One pass over the trades, oldest first (same-day trades in the order given).
A purchase opens a lot; a sale takes shares from lots by the chosen method
(calc.matching), and a loss sale then looks 30 days back and forward for
replacement shares (calc.wash). A split rescales lots; option exercises open
lots whose basis and income follow calc.equity.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import operator
import weakref
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain, takewhile
from operator import attrgetter, itemgetter
from typing import Any

from calc import collector, equity, espp
from calc.assets import is_crypto
from calc.cache import WeighedCache
from calc.errors import CalcError, NotEnoughShares
from calc.holding import LONG_TERM_FROM, long_term_from
from calc.matching import METHODS, OpenLot, Picks
from calc.models import (
    CENT,
    HELD,
    HELD_TO_IRA,
    INHERITED,
    INHERITED_TO_IRA,
    ZERO,
    Disposition,
    Fact,
    IncomeEvent,
    KeptReason,
    Lot,
    Method,
    Reason,
    Rows,
    Split,
    Term,
    Trade,
    cents,
    disposition_twin,
    new_lot,
    sold_in,
)

# IRC 1091(a): replacement stock acquired within 30 days before or after the sale. Stated here once;
# the planner, the reminders and the chat's words read it.
WASH_WINDOW = timedelta(days=30)


# The names of the facts booking's own reasons carry, stated once (see calc.models.reason).
ZERO_CENTS = Decimal("0.00")  # what cents() makes of a share of nothing, without the arithmetic


@dataclass(frozen=True, slots=True)
class Ledger:
    """What booking gives: the open lots, every taxable disposition (one Form 8949 row each),
    and the ordinary income and AMT adjustments equity compensation made."""

    lots: tuple[Lot, ...]
    dispositions: tuple[Disposition, ...]
    income: tuple[IncomeEvent, ...] = ()

    def taxable_lots(self) -> tuple[Lot, ...]:
        """The lots whose gains and holding periods a tax return sees (not those held in an IRA)."""
        return tuple(lot for lot in self.lots if lot.account_type == "taxable")

    def wages(self, year: int) -> Decimal:
        """Ordinary income from equity compensation in `year` (NSO/RSU/disqualifying ISO)."""
        return sum((e.amount for e in self.income if e.kind == "wages" and e.date.year == year), ZERO)

    def sold_in(self, year: int) -> tuple[Disposition, ...]:
        """The dispositions of sales in `year`. Booking is one pass oldest first, so they are in
        date order and the year's are found by bisection, not by reading every row."""
        return sold_in(self.dispositions, year)

    def amt_adjustments(self, year: int) -> Decimal:
        """ISO bargain elements exercised and held in `year` (Form 6251 line 2i)."""
        return sum((e.amount for e in self.income if e.kind == "amt_adjustment" and e.date.year == year), ZERO)


@dataclass(slots=True)
class _Pending:
    """A disallowed loss waiting for a purchase later in the window."""

    quantity: Decimal
    amount: Decimal
    tacked: timedelta  # the sold shares' holding period, tacked on
    reason: KeptReason


class _Holding:
    """The open lots of one symbol in one account, grouped by purchase in purchase order.

    A group is one purchase's lot followed by the parts wash sales split off it, newest
    part first. Groups make a split-off part's place O(1) to find and let FIFO read from
    the front without walking (or rebuilding) every open lot on each sale.
    """

    __slots__ = ("groups",)

    def __init__(self) -> None:
        self.groups: dict[int, list[OpenLot]] = {}

    def __iter__(self) -> Iterator[OpenLot]:
        return chain.from_iterable(self.groups.values())  # no generator frame per lot read

    def add(self, lot: OpenLot) -> None:
        self.groups[lot.sequence] = [lot]

    def drop_empty(self, picks: Picks) -> None:
        """Take the picked lots that no longer hold shares out."""
        groups = self.groups
        for lot, _ in picks:
            if not lot.quantity:
                group = groups.get(lot.sequence)
                if group is None:
                    continue
                try:
                    group.remove(lot)  # (by identity: OpenLot compares so)
                except ValueError:  # a lot named twice goes once
                    continue
                if not group:
                    del groups[lot.sequence]

    def last(self) -> OpenLot | None:
        return self.groups[next(reversed(self.groups))][-1] if self.groups else None


@dataclass
class _Book:
    method: Method
    ordered: Sequence[Trade | Split]
    holdings: dict[tuple[str, str | None], _Holding] = field(default_factory=lambda: defaultdict(_Holding))
    # Purchases by symbol as (date, position) that may still absorb a wash-sale loss, known
    # before the pass so a sale can look ahead; a purchase that no longer can is dropped.
    buys: dict[str, list[tuple[date, int]]] = field(default_factory=lambda: defaultdict(list))
    # Shares of each purchase still free to absorb a wash-sale loss (each absorbs one loss only).
    capacity: dict[int, Decimal] = field(default_factory=dict)
    # Splits by symbol as (position, ratio): a sale and a purchase on either side of a split
    # count shares in different units (100 old shares are 200 new ones after 2-for-1).
    splits: dict[str, list[tuple[int, Decimal]]] = field(default_factory=lambda: defaultdict(list))
    # Each purchase's own lot: the one part of it that has not absorbed a loss, while it holds shares.
    lot_of_buy: dict[int, OpenLot] = field(default_factory=dict)
    parts_of_buy: dict[int, int] = field(default_factory=dict)
    pending: dict[int, list[_Pending]] = field(default_factory=lambda: defaultdict(list))
    dispositions: list[Disposition] = field(default_factory=list)
    income: list[IncomeEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.index(0)

    def index(self, start: int) -> None:
        """Note the purchases and splits from position `start` on before booking them: a sale looks
        ahead for replacement purchases, and a split between the two changes the units."""
        buys, capacity, splits = self.buys, self.capacity, self.splits
        ordered = self.ordered
        for position in range(start, len(ordered)):
            event = ordered[position]
            if isinstance(event, Split):
                splits[event.symbol].append((position, event.ratio))
            # Inherited and gifted shares aren't acquired "by purchase" (IRC 1091(a)): never replacements.
            elif event.side == "buy" and event.source not in ("inherited", "gift"):
                buys[event.symbol].append((event.date, position))
                capacity.setdefault(position, event.quantity)  # a copy may know it used already

    def copy(self, booked: int, moved: int = 0) -> _Book:
        """The state after the first `booked` events, leaving this one as it is, to go on from there
        (continued(), or kept as a checkpoint). No rows: the caller has them.

        Every open lot is copied. Of the purchases, only what a sale after `booked` can still reach
        is kept: those less than WASH_WINDOW before the last event booked (a later sale's window
        starts after that), and the shares of later purchases that the sales so far have used (they
        lie less than WASH_WINDOW after it). Splits and purchases after `booked` are noted again
        by continued(), from whichever events follow. `moved`: added to every position, for a
        history where that many events were inserted (or, below zero, deleted) before `booked`.
        """
        lots: dict[int, OpenLot] = {}
        holdings: dict[tuple[str, str | None], _Holding] = defaultdict(_Holding)
        for key, holding in self.holdings.items():
            copied = holdings[key]
            for sequence, group in holding.groups.items():
                copied.groups[sequence + moved] = [lots.setdefault(id(lot), lot.copy()) for lot in group]
        if moved:
            for lot in lots.values():
                lot.sequence += moved
        book = copy.copy(self)
        book.holdings = holdings
        book.buys, book.capacity, book.splits = defaultdict(list), {}, defaultdict(list)
        book.lot_of_buy, book.parts_of_buy = {}, {}
        book.pending = defaultdict(list, {position + moved: list(p) for position, p in self.pending.items()})
        book.dispositions, book.income = [], []
        if not booked:
            return book
        last = self.ordered[booked - 1].date
        for symbol, buys in self.buys.items():
            start = bisect.bisect_left(buys, (last - WASH_WINDOW, -1))
            kept = book.buys[symbol]
            for day, position in buys[start:]:
                if position >= booked:
                    break
                kept.append((day, position + moved))
                book.capacity[position + moved] = self.capacity[position]
                if position in self.lot_of_buy:
                    # A lot no longer held (sold) stays the same object: nothing changes a lot without shares.
                    lot = self.lot_of_buy[position]
                    book.lot_of_buy[position + moved] = lots.get(id(lot), lot)
                if position in self.parts_of_buy:
                    book.parts_of_buy[position + moved] = self.parts_of_buy[position]
        for position in range(booked, len(self.ordered)):  # later purchases whose shares replaced a loss
            event = self.ordered[position]
            if event.date > last + WASH_WINDOW:
                break
            if position in self.capacity and isinstance(event, Trade) and self.capacity[position] != event.quantity:
                book.capacity[position + moved] = self.capacity[position]
        return book

    def continued(self, booked: int, ordered: Sequence[Trade | Split], moved: int = 0) -> _Book:
        """A copy of this state, to book `ordered` from its position `booked` on: `ordered` has the
        same events before that (`moved` more than this state had, see copy()), and nothing after
        them was within reach of their sales."""
        book = self.copy(booked - moved, moved)
        book.ordered = ordered
        book.index(booked)
        return book

    # --- purchases -------------------------------------------------------------------------
    def buy(self, position: int, trade: Trade) -> None:
        source = trade.source
        reasons: tuple[KeptReason, ...] = ()
        amt_basis: Decimal | None = None
        bargain = discount = ZERO
        if source == "purchase":  # what equity.acquisition says of a plain purchase, without its object
            basis = trade.quantity * trade.price + trade.fees
        else:
            acquisition = espp.acquisition(trade) if source == "espp" else equity.acquisition(trade)
            self.income.extend(acquisition.income)
            basis, amt_basis = acquisition.basis, acquisition.amt_basis
            bargain, discount = acquisition.bargain_per_share, acquisition.discount_per_share
            reasons = tuple(acquisition.reasons)
        purchase_id = trade.id or f"t{position}"
        lot = OpenLot(  # positionally, in OpenLot's field order
            purchase_id,  # id
            purchase_id,
            trade.symbol,
            trade.held_since or trade.date,  # acquired: a gift's holding period includes the donor's
            trade.date,  # purchased
            trade.quantity,
            basis,
            position,  # sequence
            trade.account,
            trade.account_type,
            source,
            ZERO,  # wash_sale_adjustment
            amt_basis,
            trade.grant_date,
            bargain,
            discount,
            False,  # replaced
            None if trade.gift_value is None else _gift_loss_basis(trade),
            reasons,
        )
        self.holdings[(trade.symbol, trade.account)].add(lot)
        self.lot_of_buy[position] = lot
        for pending in self.pending.pop(position, ()):
            self._adjust(lot, pending.quantity, pending.amount, pending.tacked, pending.reason)

    def _adjust(self, lot: OpenLot, quantity: Decimal, amount: Decimal, tacked: timedelta, reason: KeptReason) -> None:
        """Add a disallowed loss to `quantity` shares of `lot`: to the lot itself when it is all of
        them, else to a part split off it (the part's share of each amount to the cent), built with
        the loss already in (one object, its fields set once)."""
        acquired = lot.purchased - tacked
        whole = lot.quantity
        if quantity >= whole:
            lot.replaced = True
            lot.basis += amount
            lot.wash_sale_adjustment += amount
            if lot.amt_basis is not None:  # the disallowed loss is basis for the AMT too
                lot.amt_basis += amount
            lot.acquired = acquired
            lot.reasons += (reason,)
            return
        sequence = lot.sequence
        parts = self.parts_of_buy.get(sequence, 0) + 1
        self.parts_of_buy[sequence] = parts
        basis = (lot.basis * quantity / whole).quantize(CENT, ROUND_HALF_UP)  # cents(), without the call
        was = lot.wash_sale_adjustment
        if was:
            adjustment = (was * quantity / whole).quantize(CENT, ROUND_HALF_UP)
            lot.wash_sale_adjustment = was - adjustment
        else:
            adjustment = ZERO_CENTS
            # What was - 0.00 gives: buy()'s ZERO, or this constant, minus 0.00 is 0.00 digit for digit.
            lot.wash_sale_adjustment = ZERO_CENTS if was is ZERO or was is ZERO_CENTS else was - ZERO_CENTS
        amt_basis = lot.amt_basis
        if amt_basis is not None:
            amt_basis = (amt_basis * quantity / whole).quantize(CENT, ROUND_HALF_UP)
            lot.amt_basis = lot.amt_basis - amt_basis  # type: ignore[operator]  # not None with amt_basis
        lot.quantity = whole - quantity
        lot.basis -= basis
        part = OpenLot(  # positionally, in OpenLot's field order (keywords cost as much again)
            f"{lot.id}.{parts}",
            lot.purchase_id,
            lot.symbol,
            acquired,
            lot.purchased,
            quantity,
            basis + amount,
            sequence,
            lot.account,
            lot.account_type,
            lot.source,
            adjustment + amount,
            None if amt_basis is None else amt_basis + amount,
            lot.grant_date,
            lot.bargain_per_share,
            lot.discount_per_share,
            True,  # replaced
            lot.loss_basis_per_share,
            (*lot.reasons, reason),
        )
        self.holdings[(lot.symbol, lot.account)].groups[sequence].insert(1, part)  # insert_part, without the call

    # --- sales -----------------------------------------------------------------------------
    def sell(self, position: int, trade: Trade) -> None:
        holding = self.holdings[(trade.symbol, trade.account)]
        method: Method = "specific" if trade.lots else self.method
        picks = METHODS[method](holding, trade.quantity, trade.lots)
        if sum(map(_SHARES, picks), ZERO) < trade.quantity:
            held = sum((lot.quantity for lot in holding), ZERO)
            raise NotEnoughShares(
                sold_on=trade.date,
                symbol=trade.symbol,
                held=held,
                wanted=trade.quantity,
                account=trade.account,
            )
        self._dispose(position, trade, picks, trade.quantity * trade.price - trade.fees)
        holding.drop_empty(picks)

    def _dispose(self, position: int, trade: Trade, picks: Picks, net_proceeds: Decimal) -> None:
        # First take every picked share out of its lot, so that shares sold in this same
        # sale can't count as replacements for each other; then book each part.
        parts = []
        proceeds_left = net_proceeds
        shares_left = sold = trade.quantity
        for lot, quantity in picks:
            if quantity == shares_left:
                proceeds = proceeds_left
            else:
                proceeds = (net_proceeds * quantity / sold).quantize(CENT, ROUND_HALF_UP)
            proceeds_left -= proceeds
            shares_left -= quantity
            whole = lot.quantity
            lot.quantity = whole - quantity
            if quantity == whole:  # all of it (nothing reads a lot without shares again: its basis stays)
                basis, adjustment, amt_basis = lot.basis, lot.wash_sale_adjustment, lot.amt_basis
            else:  # the part's share, to the cent
                basis = (lot.basis * quantity / whole).quantize(CENT, ROUND_HALF_UP)
                adjustment = lot.wash_sale_adjustment
                adjustment = (adjustment * quantity / whole).quantize(CENT, ROUND_HALF_UP) if adjustment else ZERO_CENTS
                amt_basis = lot.amt_basis
                if amt_basis is not None:
                    amt_basis = (amt_basis * quantity / whole).quantize(CENT, ROUND_HALF_UP)
                    lot.amt_basis -= amt_basis  # type: ignore[operator]  # not None with amt_basis
                lot.basis -= basis
                lot.wash_sale_adjustment -= adjustment
            if lot.account_type != "ira":  # a sale inside an IRA is not a taxable disposition
                parts.append((lot, quantity, proceeds, basis, amt_basis))
        if not parts:
            return
        sale_id = trade.id or f"t{position}"
        sold_on = trade.date
        symbol = trade.symbol
        account = trade.account
        rows = self.dispositions
        # The purchases of the symbol, and the sale's 30 days either side among them (IRC 1091(a)),
        # found at its first loss for all its rows: [start, end), those that can never replace
        # again skipped (`spent`, dropped after the sale, so the indexes hold for all its rows).
        buys: list[tuple[date, int]] | None = None
        start = end = 0
        spent: set[int] = set()
        for lot, quantity, proceeds, basis, amt_basis in parts:
            acquired = lot.acquired
            source = lot.source
            gift: Reason | None = None
            if lot.loss_basis_per_share is not None and proceeds < basis:
                basis, acquired, gift = _gift_loss(lot, quantity, proceeds, basis)
            # The reasons kept compact (calc.why): the holding reason is built from the row's dates when read.
            if source == "inherited":  # long-term from the start, whatever the days (IRC 1223(9))
                reasons: list[Any] = [INHERITED, lot.reasons]
                term: Term = "long"
            else:
                reasons = [HELD, lot.reasons]
                term = "long" if sold_on >= (LONG_TERM_FROM.get(acquired) or long_term_from(acquired)) else "short"
            if gift is not None:
                reasons.append(gift)
            wage_basis = amt_difference = ZERO  # what equity.NOT_ISO says of every other sale
            if source == "espp" or source == "iso":
                if source == "espp":
                    iso = espp.disposition(lot, quantity, sold_on, proceeds, basis)
                else:
                    iso = equity.disposition(lot, quantity, sold_on, proceeds, basis, amt_basis)
                wage_basis, amt_difference = iso.ordinary, iso.amt_gain_difference
                basis += wage_basis  # income taxed as wages isn't taxed again as gain
                if iso.income:
                    self.income.extend(iso.income)
                if iso.reasons:
                    reasons.extend(iso.reasons)
            disallowed = ZERO
            if proceeds < basis:
                if buys is None:
                    buys = self.buys[symbol]
                    start = bisect.bisect_left(buys, (sold_on - WASH_WINDOW, -1))
                    end = bisect.bisect_right(buys, (sold_on + WASH_WINDOW, len(self.ordered)))
                    crypto = start != end and is_crypto(trade)
                    capacity, lot_of_buy, splits = self.capacity, self.lot_of_buy, self.splits.get(symbol)
                if start == end:
                    pass
                elif crypto:  # property, not stock or securities: the rule doesn't reach it
                    if any(buys[index][1] != lot.sequence for index in range(start, end)):
                        reasons.append(
                            Reason(
                                rule="wash.not_crypto",
                                facts={"symbol": symbol, "loss": basis - proceeds},
                                source="IRC 1091(a) (stock or securities); IRS Notice 2014-21 (virtual currency is property)",
                            )
                        )
                else:
                    # IRC 1091: the loss is disallowed on as many shares as were acquired within the
                    # window, replacement shares taken in acquisition order, each absorbing one loss
                    # only, never the sold shares' own purchase. One bought in an IRA disallows it for
                    # good: no basis is added anywhere.
                    loss = basis - proceeds
                    sequence = lot.sequence
                    tacked = sold_on - lot.acquired  # the holding period the replacement shares take on
                    remaining = quantity
                    for index in range(start, end):
                        buy_position = buys[index][1]
                        if buy_position == sequence:
                            continue
                        free = capacity[buy_position]
                        unreplaced = None
                        if buy_position < position:  # bought before the sale: only shares held and not yet used
                            # Its own lot (a wash sale splits the replaced shares off as a new part, so the rest stay in one).
                            unreplaced = lot_of_buy.get(buy_position)
                            if unreplaced is None or unreplaced.replaced or unreplaced.quantity <= 0:
                                unreplaced = None
                                free = ZERO
                            elif unreplaced.quantity < free:
                                free = unreplaced.quantity
                        if free <= 0:
                            # Capacity only shrinks and a past purchase's unreplaced shares never come back,
                            # so later sales (always later in booking order) needn't look at it again.
                            spent.add(index)
                            if index == start:  # nor the sale's next rows: they start after it
                                start = index + 1
                            continue
                        # In the purchase's own share units (differs only when a split falls between the two).
                        ratio = self._split_ratio(splits, position, buy_position) if splits else None
                        wanted = remaining if ratio is None else remaining * ratio
                        take_there = wanted if wanted < free else free
                        if take_there <= 0:
                            continue
                        take = (
                            remaining if take_there == wanted else take_there if ratio is None else take_there / ratio
                        )
                        part = (
                            loss - disallowed
                            if take == remaining
                            else (loss * take / quantity).quantize(CENT, ROUND_HALF_UP)
                        )
                        capacity[buy_position] -= take_there
                        remaining -= take
                        # ZERO + part is part digit for digit (part >= 0, its exponent at most 0): no new number.
                        disallowed = part if disallowed is ZERO else disallowed + part
                        replacement = self.ordered[buy_position]
                        ira = replacement.account_type == "ira"  # type: ignore[union-attr]  # a purchase: a Trade
                        reasons.append(  # a calc.why tuple: the Reason is built when the row's are read
                            (
                                "wash.ira_permanent" if ira else "wash.disallowed",
                                take_there,
                                part,
                                # (the loss, the row's basis less its proceeds, is figured again then)
                                replacement.id or f"t{buy_position}",
                                replacement.date,
                            )
                        )
                        if ira:
                            reasons[0] = INHERITED_TO_IRA if reasons[0].inherited else HELD_TO_IRA  # for calc.netting
                        else:
                            # A calc.why tuple (rule, *facts): the Reason is built when the lot's reasons are read.
                            lot_reason = ("wash.basis_added", part, take_there, sold_on, lot.id, tacked.days)
                            if unreplaced is not None:  # a purchase before the sale: its shares take the loss now
                                self._adjust(unreplaced, take_there, part, tacked, lot_reason)
                            else:
                                self.pending[buy_position].append(_Pending(take_there, part, tacked, lot_reason))
                        if remaining <= 0:
                            break
            gain = proceeds - basis + disallowed
            row = disposition_twin(  # positionally, in Disposition's field order
                symbol,
                quantity,
                acquired,
                sold_on,
                proceeds,
                basis,
                gain,
                term,
                disallowed,
                wage_basis,  # ISO and ESPP wages the 1099-B basis leaves out
                gain + amt_difference if amt_difference else None,  # amt_gain
                lot.id,
                lot.purchase_id,
                sale_id,
                account,
                tuple(reasons),  # compact (calc.why)
            )
            row.__class__ = Disposition  # see calc.models.builder
            rows.append(row)
        if spent:
            assert buys is not None
            for index in sorted(spent, reverse=True):
                del buys[index]

    @staticmethod
    def _split_ratio(splits: list[tuple[int, Decimal]], sale_position: int, buy_position: int) -> Decimal:
        """New shares per old for splits after the sale and before a later purchase.

        Purchases before the sale need none: split() rescales their lots and capacity in place.
        """
        ratio = Decimal(1)
        for split_position, split_ratio in splits:
            if sale_position < split_position < buy_position:
                ratio *= split_ratio
        return ratio

    # --- corporate actions -----------------------------------------------------------------
    def split(self, position: int, split: Split) -> None:
        """Scale every lot of the symbol; basis and holding period stay. Cash in lieu sells the fraction."""
        for _, buy_position in self.buys.get(split.symbol, ()):
            if buy_position > position:
                break
            self.capacity[buy_position] *= split.ratio  # shares free to replace a loss, now in new shares
        for (symbol, account), holding in self.holdings.items():
            if symbol != split.symbol:
                continue
            for lot in holding:
                lot.quantity *= split.ratio
                if lot.loss_basis_per_share is not None:
                    lot.loss_basis_per_share /= split.ratio
                lot.bargain_per_share /= split.ratio  # ISO, ESPP: the same bargain element over more (or fewer) shares
                lot.discount_per_share /= split.ratio
                lot.reasons += (
                    Reason(rule="split", facts={"ratio": split.ratio, "date": split.date}, source="Publication 550"),
                )
            held = sum((lot.quantity for lot in holding), ZERO)
            fraction = held - int(held)
            last = holding.last()
            if split.cash_in_lieu and fraction and last is not None:
                sale = Trade(
                    date=split.date,
                    symbol=symbol,
                    side="sell",
                    quantity=fraction,
                    price=split.cash_in_lieu / fraction,
                    account=account,
                    id=split.id or f"t{position}",
                )
                picks = [(last, min(fraction, last.quantity))]
                self._dispose(position, sale, picks, split.cash_in_lieu)
                holding.drop_empty(picks)

    def frozen_lots(self) -> tuple[Lot, ...]:
        return tuple(
            new_lot(  # positionally, in Lot's field order
                lot.id,
                lot.purchase_id,
                lot.symbol,
                lot.acquired,
                lot.purchased,
                lot.quantity,
                lot.basis,
                # Inherited: long-term from the start, whatever the days (IRC 1223(9)).
                lot.acquired if lot.source == "inherited" else long_term_from(lot.acquired),
                lot.account,
                lot.account_type,
                lot.source,
                lot.wash_sale_adjustment,
                lot.reasons,  # type: ignore[arg-type]  # built when read (calc.why)
                lot.loss_basis_per_share,
            )
            for (_, _), holding in sorted(self.holdings.items(), key=lambda item: (item[0][0], item[0][1] or ""))
            for lot in holding
            if lot.quantity > 0
        )


def _gift_loss_basis(trade: Trade) -> Decimal | None:
    """A gift worth less than the donor's basis when given has a second basis, for a loss: that value."""
    if trade.gift_value is None:
        return None
    donor = trade.price + trade.fees / trade.quantity
    return trade.gift_value if trade.gift_value < donor else None


def _gift_loss(lot: OpenLot, quantity: Decimal, proceeds: Decimal, basis: Decimal) -> tuple[Decimal, date, Reason]:
    """IRC 1015(a), Treas. Reg. 1.1015-1(a)(2): sold below the donor's basis, a gift worth less when given
    has the value at the gift as its basis for a loss, and a sale in between is neither gain nor loss.
    With that basis the holding period starts at the gift (Publication 551, Property Received as a Gift)."""
    assert lot.loss_basis_per_share is not None
    loss_basis = cents(lot.loss_basis_per_share * quantity)
    facts: dict[str, Fact] = {"donor_basis": basis, "value_at_gift": loss_basis, "proceeds": proceeds}
    source = "IRC 1015(a); Publication 551, Property Received as a Gift"
    if proceeds < loss_basis:
        return loss_basis, lot.purchased, Reason(rule="gift.loss_basis", facts=facts, source=source)
    return proceeds, lot.acquired, Reason(rule="gift.no_gain_no_loss", facts=facts, source=source)


@dataclass(frozen=True, slots=True, eq=False)
class _Checkpoint:
    """Where booking of a symbol stood after its first `booked` events (a copy nobody changes),
    kept so that a change far enough after them books again only from here (_restarted)."""

    booked: int
    last: date  # the date of the last event booked
    state: _Book
    dispositions: int  # rows so far, and runs of rows (see _Part)
    disposition_runs: int
    income: int
    income_runs: int
    lots: int  # open lots copied: its weight
    moved: int = 0  # the state's positions are this many less than the part's (see _Book.copy)


@dataclass(frozen=True, slots=True, weakref_slot=True)
class _Part:
    """One symbol's booking, kept so that a change to another symbol doesn't redo it.

    Rows are in booking order; `*_runs` say which event (by position among the symbol's
    events) made which rows, as (position, start, end), so parts merge back into the order
    one booking of everything gives. A booking that failed keeps its first error instead.
    """

    events: tuple[Trade | Split, ...]  # kept alive: the cache key is their identities
    lots: tuple[Lot, ...] = ()
    dispositions: tuple[Disposition, ...] = ()
    disposition_runs: tuple[tuple[int, int, int], ...] = ()
    income: tuple[IncomeEvent, ...] = ()
    income_runs: tuple[tuple[int, int, int], ...] = ()
    error: tuple[int, CalcError] | None = None
    # Where booking stood after the last event: sales added after it continue from a copy.
    end: _Book | None = None
    checkpoints: tuple[_Checkpoint, ...] = ()  # in the order booked
    moved: int = 0  # end's positions are this many less than the part's

    @property
    def weight(self) -> int:
        copies = sum(checkpoint.lots for checkpoint in self.checkpoints)
        rows = len(self.lots) + len(self.dispositions) + len(self.income)
        return PART_WEIGHT + len(self.events) + rows + copies


# Across users: a change books only the symbols it touches; the rest come from here.
# At most about 1 KB a weight unit (a row, a trade, a lot copied for a checkpoint; about 350
# bytes each in a long booking), so the default bound is about 2 GB at most.
KEPT = WeighedCache[_Part](max_weight=2_000_000)
# What a booking costs whatever its size, in weight units: the part, its key, the state it
# ended in (a few dicts), about 2.7 KB. Without it a symbol traded once weighed 2 units for
# 3.3 KB, and many small users' bookings could fill the bound with 3 GB.
PART_WEIGHT = 3
# The latest booking of each symbol's history, by its first event and by its last: a change to
# that history starts from one of its checkpoints, and stops at a later one where the states agree
# (_Meeting). Weak: only KEPT keeps bookings alive.
LATEST: weakref.WeakValueDictionary[tuple[Method, str, int], _Part] = weakref.WeakValueDictionary()

# A checkpoint costs a copy of every open lot; booking again from the one before, or on to the
# next where a change may meet the previous booking, costs the events and rows between. One is
# taken once the events and rows booked since the last reach both CHECKPOINT_COST and
# CHECKPOINT_LOTS times the open lots: a lot copied costs about a fifth of a row booked, so copies
# stay a small part of booking. (4 instead of 1: a third fewer lots copied for bench_rebook's
# single 100,000-trade symbol, but a change there booked 2-3 times as far before meeting.)
CHECKPOINT_COST = 5_000
CHECKPOINT_LOTS = 1


def _run(
    state: _Book,
    ordered: Sequence[Trade | Split],
    start: int = 0,
    earlier: _Part | None = None,
    checkpoint: _Checkpoint | None = None,
    meeting: _Meeting | None = None,
) -> _Part:
    """Book `ordered` from where `state` stands: the start, `earlier`'s end, or `checkpoint`
    (one of `earlier`'s), whose rows and checkpoints it keeps. With `meeting`, stop at the first
    of its checkpoints where the state is the same and take the rest from its booking."""
    disposition_runs = list(earlier.disposition_runs) if earlier else []
    income_runs = list(earlier.income_runs) if earlier else []
    checkpoints = list(earlier.checkpoints) if earlier else []
    if checkpoint is not None:
        del disposition_runs[checkpoint.disposition_runs :], income_runs[checkpoint.income_runs :]
        checkpoints = [taken for taken in checkpoints if taken.booked <= checkpoint.booked]
    dispositions, income = state.dispositions, state.income
    since = 0  # events and rows booked since the last checkpoint
    due = CHECKPOINT_COST
    meet = meeting.next(start) if meeting else -1  # where to compare the states next
    position = start
    try:
        for position in range(start, len(ordered)):
            if position == meet:
                assert meeting is not None
                if meeting.agrees(state, position):
                    return meeting.joined(state, disposition_runs, income_runs, checkpoints)
                meet = meeting.next(position + 1)
            if since >= due:
                due, taken = _checkpoint(state, position, since, disposition_runs, income_runs)
                if taken is not None:
                    checkpoints.append(taken)
                    since = 0
            event = ordered[position]
            rows, earned = len(dispositions), len(income)
            if isinstance(event, Split):
                state.split(position, event)
            elif event.side == "buy":
                state.buy(position, event)
            else:
                state.sell(position, event)
            since += 1 + len(dispositions) - rows
            if len(dispositions) > rows:
                disposition_runs.append((position, rows, len(dispositions)))
            if len(income) > earned:
                income_runs.append((position, earned, len(income)))
    except CalcError as error:
        return _Part(events=tuple(ordered), error=(position, error))
    # Kept for continuing: a purchase's lot matters only while it holds shares none replaced, and
    # only to a later sale's window (what copy() keeps): not every purchase's, read for each.
    state.lot_of_buy = _reachable_lots(state, ordered)
    return _Part(
        events=tuple(ordered),
        lots=state.frozen_lots(),
        dispositions=tuple(dispositions),
        disposition_runs=tuple(disposition_runs),
        income=tuple(income),
        income_runs=tuple(income_runs),
        end=state,
        checkpoints=tuple(checkpoints),
    )


def _reachable_lots(state: _Book, ordered: Sequence[Trade | Split]) -> dict[int, OpenLot]:
    """The lots of purchases a sale after the last event can still replace from: those within
    WASH_WINDOW before it, while they hold shares none replaced."""
    if not ordered:
        return {}
    reach = ordered[-1].date - WASH_WINDOW
    lot_of_buy, reachable = state.lot_of_buy, {}
    for buys in state.buys.values():
        for _, position in buys[bisect.bisect_left(buys, (reach, -1)) :]:
            lot = lot_of_buy.get(position)
            if lot is not None and lot.quantity > 0 and not lot.replaced:
                reachable[position] = lot
    return reachable


def _checkpoint(
    state: _Book,
    booked: int,
    since: int,
    disposition_runs: list[tuple[int, int, int]],
    income_runs: list[tuple[int, int, int]],
) -> tuple[int, _Checkpoint | None]:
    """A checkpoint after `booked` events if enough was booked since the last for the lots it copies,
    and the cost at which to ask again."""
    lots = sum(len(group) for holding in state.holdings.values() for group in holding.groups.values())
    if since < CHECKPOINT_LOTS * lots:
        return CHECKPOINT_LOTS * lots, None
    taken = _Checkpoint(
        booked=booked,
        last=state.ordered[booked - 1].date,
        state=state.copy(booked),
        dispositions=len(state.dispositions),
        disposition_runs=len(disposition_runs),
        income=len(state.income),
        income_runs=len(income_runs),
        lots=lots,
    )
    return CHECKPOINT_COST, taken


class _Meeting:
    """An earlier booking of a symbol that booking its changed history may meet again.

    Past the change both histories go on with the same events (the new one's positions `moved` from
    the earlier's by the events inserted or deleted). Where, at one of the earlier booking's
    checkpoints, the new state is the same as the one kept there, booking goes on exactly as it went
    then: the earlier rows, checkpoints and end from there are the new booking's (positions moved).
    """

    def __init__(self, earlier: _Part, ordered: Sequence[Trade | Split], tail: int) -> None:
        self.earlier = earlier
        self.ordered = ordered
        self.moved = len(ordered) - len(earlier.events)
        # Those in the common tail (from position `tail` on), by their position in the new history.
        self.checkpoints = [
            (checkpoint.booked + self.moved, checkpoint)
            for checkpoint in earlier.checkpoints
            if max(tail, 1) <= checkpoint.booked + self.moved < len(ordered)
        ]
        self.at = 0  # the checkpoint compared next

    def next(self, position: int) -> int:
        """The position of the first checkpoint at or after `position`, or -1."""
        while self.at < len(self.checkpoints) and self.checkpoints[self.at][0] < position:
            self.at += 1
        return self.checkpoints[self.at][0] if self.at < len(self.checkpoints) else -1

    def agrees(self, state: _Book, booked: int) -> bool:
        checkpoint = self.checkpoints[self.at][1]
        return _same_state(state, booked, checkpoint.state, checkpoint.moved + self.moved, checkpoint.last)

    def joined(
        self,
        state: _Book,
        disposition_runs: list[tuple[int, int, int]],
        income_runs: list[tuple[int, int, int]],
        checkpoints: list[_Checkpoint],
    ) -> _Part:
        """The new booking: its rows so far, then the earlier booking's from the checkpoint met."""
        earlier, moved, met = self.earlier, self.moved, self.checkpoints[self.at][1]
        rows, earned = len(state.dispositions) - met.dispositions, len(state.income) - met.income
        runs, income_runs_added = len(disposition_runs) - met.disposition_runs, len(income_runs) - met.income_runs
        # The one met may follow a changed event: its last date (which says how far its sales reach) is the new one's.
        later = [
            checkpoint
            if not (moved or rows or runs or earned or income_runs_added)
            and checkpoint.last == self.ordered[checkpoint.booked - 1].date
            else dataclasses.replace(
                checkpoint,
                booked=checkpoint.booked + moved,
                last=self.ordered[checkpoint.booked + moved - 1].date,
                dispositions=checkpoint.dispositions + rows,
                disposition_runs=checkpoint.disposition_runs + runs,
                income=checkpoint.income + earned,
                income_runs=checkpoint.income_runs + income_runs_added,
                moved=checkpoint.moved + moved,
            )
            for checkpoint in earlier.checkpoints
            if checkpoint.booked >= met.booked
        ]
        return _Part(
            events=tuple(self.ordered),
            lots=earlier.lots,
            dispositions=(*state.dispositions, *earlier.dispositions[met.dispositions :]),
            disposition_runs=(
                *disposition_runs,
                *_moved(earlier.disposition_runs[met.disposition_runs :], moved, rows),
            ),
            income=(*state.income, *earlier.income[met.income :]),
            income_runs=(*income_runs, *_moved(earlier.income_runs[met.income_runs :], moved, earned)),
            end=earlier.end,
            checkpoints=(*checkpoints, *later),
            moved=earlier.moved + moved,
        )


def _moved(runs: tuple[tuple[int, int, int], ...], moved: int, rows: int) -> tuple[tuple[int, int, int], ...]:
    """Runs of rows (see _Part) `moved` positions on and `rows` rows on."""
    if not (moved or rows):
        return runs
    return tuple((position + moved, start + rows, end + rows) for position, start, end in runs)


def _same_state(book: _Book, booked: int, kept: _Book, moved: int, kept_last: date) -> bool:
    """Whether booking goes on from `book`, after its first `booked` events, exactly as from `kept`
    (a checkpoint's state, its positions `moved` less), given the same events from there on.

    Everything a later event reads is compared: the open lots in order, every field (numbers
    written alike: 1.0 and 1.00 are equal but print differently) and their place in the holdings;
    the purchases a later sale's window reaches, their shares free to replace a loss, and the parts
    split off them so far (which number the next part's id); the shares of later purchases that the
    sales so far used; and the losses waiting for a later purchase. What else a wash sale reads of
    an earlier purchase (its id, date and account, the shares it holds unreplaced) is its own lot's,
    the first of its group while it holds shares, compared with the lots.
    """
    if list(book.holdings) != list(kept.holdings):
        return False
    for key, holding in book.holdings.items():
        other = kept.holdings[key].groups
        if len(holding.groups) != len(other):
            return False
        for (sequence, group), (kept_sequence, kept_group) in zip(holding.groups.items(), other.items(), strict=True):
            if sequence != kept_sequence + moved or len(group) != len(kept_group):
                return False
            if not all(map(_same_lot, group, kept_group)):
                return False
    if not _same_pending(book.pending, kept.pending, moved):
        return False
    reach = book.ordered[booked].date - WASH_WINDOW  # no later sale looks further back
    for symbol in book.buys.keys() | kept.buys.keys():
        mine, theirs = book.buys.get(symbol, []), kept.buys.get(symbol, [])
        theirs = theirs[bisect.bisect_left(theirs, (reach, -1)) :]
        past = list(takewhile(lambda buy: buy[1] < booked, mine[bisect.bisect_left(mine, (reach, -1)) :]))
        if len(past) != len(theirs):
            return False
        for (day, position), (kept_day, kept_position) in zip(past, theirs, strict=True):
            if day != kept_day or position != kept_position + moved:
                return False
            if not _same_number(book.capacity[position], kept.capacity[kept_position]):
                return False
            if book.parts_of_buy.get(position, 0) != kept.parts_of_buy.get(kept_position, 0):
                return False
    # Later purchases that sales so far may have used shares of (the kept state has those it used).
    until = max(book.ordered[booked - 1].date, kept_last) + WASH_WINDOW
    for position in range(booked, len(book.ordered)):
        event = book.ordered[position]
        if event.date > until:
            break
        if position in book.capacity:
            assert isinstance(event, Trade)
            if not _same_number(book.capacity[position], kept.capacity.get(position - moved, event.quantity)):
                return False
    return True


_LOT_FIELDS = attrgetter(*(f.name for f in dataclasses.fields(OpenLot) if f.name not in ("sequence", "reasons")))


def _same_lot(lot: OpenLot, kept: OpenLot) -> bool:
    fields, kept_fields = _LOT_FIELDS(lot), _LOT_FIELDS(kept)  # the sequence is its group's
    return (
        fields == kept_fields
        and all(map(_same_number, fields, kept_fields))
        and len(lot.reasons) == len(kept.reasons)
        and all(map(_same_reason, lot.reasons, kept.reasons))
    )


def _same_pending(pending: dict[int, list[_Pending]], kept: dict[int, list[_Pending]], moved: int) -> bool:
    mine = {position: waiting for position, waiting in pending.items() if waiting}
    theirs = {position + moved: waiting for position, waiting in kept.items() if waiting}
    if mine.keys() != theirs.keys():
        return False
    return all(
        len(waiting) == len(theirs[position])
        and all(
            a.tacked == b.tacked
            and _same_number(a.quantity, b.quantity)
            and _same_number(a.amount, b.amount)
            and _same_reason(a.reason, b.reason)
            for a, b in zip(waiting, theirs[position], strict=True)
        )
        for position, waiting in mine.items()
    )


def _same_reason(reason: KeptReason, kept: KeptReason) -> bool:
    if reason is kept:
        return True
    if isinstance(reason, tuple) and isinstance(kept, tuple):  # calc.why's (rule, *facts), not built yet
        return len(reason) == len(kept) and all(map(_same_number, reason, kept))
    if isinstance(reason, Reason) and isinstance(kept, Reason):
        return reason == kept and all(map(_same_number, reason.facts.values(), kept.facts.values()))
    return False


def _same_number(value: object, kept: object) -> bool:
    """Equal and alike (Decimal("1.0") == Decimal("1.00"), but a row would show one or the other)."""
    if value is kept:
        return True
    if type(value) is not type(kept):
        return False
    if isinstance(value, Decimal) and isinstance(kept, Decimal):
        return value.as_tuple() == kept.as_tuple()
    return value == kept


RESUME_AFTER = 3  # sales added at the end that continue a kept booking instead of booking again


def _resumable(events: list[Trade | Split], method: Method) -> _Part | None:
    """A kept booking of all but the last few events, when those are sales on or after every
    earlier date: nothing before them can change (they replace no loss: a wash sale needs a
    purchase, and the purchases before them were all seen), so booking continues from its end."""
    for added in range(1, min(RESUME_AFTER, len(events) - 1) + 1):
        tail = events[-added]
        if not (isinstance(tail, Trade) and tail.side == "sell"):
            return None
        if events[-added - 1].date > tail.date:
            return None
        part = KEPT.get((method, *map(id, events[:-added])))
        if part is not None and part.end is not None:
            return part
    return None


def _restarted(events: list[Trade | Split], method: Method) -> _Part | None:
    """`events` booked again after a change, from what the symbol's previous booking kept.

    From the last of its checkpoints more than WASH_WINDOW before the first event that changed
    (no sale before it could reach the change, so the state there is the same for both histories),
    or from the start; and only until the state agrees with the previous booking's at one of its
    checkpoints after the change (_Meeting): from there the previous rows are the new ones.
    """
    earlier = LATEST.get((method, "first", id(events[0]))) or LATEST.get((method, "last", id(events[-1])))
    if earlier is None or earlier.error is not None or not earlier.checkpoints:
        return None
    before = earlier.events
    changed = next(
        (at for at, (old, new) in enumerate(zip(before, events, strict=False)) if old is not new),
        min(len(before), len(events)),
    )
    if changed == len(before) == len(events):
        return earlier  # the same events (dropped from KEPT, still alive)
    same = 0  # the events both histories end with
    while same < min(len(before), len(events)) - changed and before[-1 - same] is events[-1 - same]:
        same += 1
    tail = len(events) - same
    # Events named by their position ("t12") would be named otherwise where the positions moved.
    meeting = None
    if same and (len(before) == len(events) or all(event.id for event in events[tail:])):
        meeting = _Meeting(earlier, events, tail)
    first = min(event.date for event in (*before[changed : changed + 1], *events[changed : changed + 1]))
    usable = [c for c in earlier.checkpoints if c.booked <= changed and c.last + WASH_WINDOW < first]
    if not usable:
        return _run(_Book(method=method, ordered=events), events, meeting=meeting) if meeting else None
    checkpoint = usable[-1]
    state = checkpoint.state.continued(checkpoint.booked, events, checkpoint.moved)
    state.dispositions = list(earlier.dispositions[: checkpoint.dispositions])
    state.income = list(earlier.income[: checkpoint.income])
    return _run(state, events, checkpoint.booked, earlier, checkpoint, meeting)


def _symbol_part(events: list[Trade | Split], method: Method, keep: bool, key: tuple[Hashable, ...]) -> _Part:
    part = KEPT.get(key)
    if part is None:
        earlier = _resumable(events, method)
        if earlier is not None and earlier.end is not None:
            state = earlier.end.continued(len(earlier.events), events, earlier.moved)
            state.dispositions, state.income = list(earlier.dispositions), list(earlier.income)
            part = _run(state, events, len(earlier.events), earlier)
        else:
            part = _restarted(events, method) or _run(_Book(method=method, ordered=events), events)
        if not keep:
            return part
        KEPT.put(key, part, part.weight)
    if keep and part.checkpoints:  # a booking without any is booked again from the start
        LATEST[(method, "first", id(events[0]))] = LATEST[(method, "last", id(events[-1]))] = part
    return part


Run = tuple[int, tuple[Any, ...], int, int]  # (position in the whole history, a part's rows, start, end)


@dataclass(frozen=True, slots=True, eq=False)
class _Merge:
    """One kind of row (dispositions or income) of every part in the order of one booking of
    everything, with the runs it was merged from (in that order) and the rows up to each run's end:
    a history booked again after a few events added at its end merges only from the first run
    that changed."""

    runs: list[Run]
    ends: list[int]
    rows: tuple[Any, ...]

    @staticmethod
    def of(runs: list[Run], before: tuple[Any, ...] = ()) -> _Merge:
        """`runs` (in order) merged after the rows `before`."""
        runs.sort(key=_first)  # an event's position is unique: the rows never get compared
        ends, count = [], len(before)
        for _, _, start, end in runs:
            count += end - start
            ends.append(count)
        rows = Rows(chain(before, chain.from_iterable(rows[start:end] for _, rows, start, end in runs)))
        collector.keeping(len(rows) + len(runs))
        return _Merge(runs, ends, rows)

    def from_(self, position: int, runs: list[Run]) -> _Merge:
        """These rows up to `position` (exclusive), then `runs` (every part's runs from there)."""
        kept = bisect.bisect_left(self.runs, position, key=_first)
        merged = _Merge.of(runs, self.rows[: self.ends[kept - 1]] if kept else ())
        collector.keeping(kept)  # the runs before, in a new list
        return _Merge(self.runs[:kept] + merged.runs, self.ends[:kept] + merged.ends, merged.rows)


_first = itemgetter(0)


def _rows(part: _Part, income: bool) -> tuple[tuple[tuple[int, int, int], ...], tuple[Any, ...]]:
    """A part's runs and rows of one kind: dispositions, or income."""
    return (part.income_runs, part.income) if income else (part.disposition_runs, part.dispositions)


def _runs(part: _Part, positions: list[int], income: bool, since: int = 0) -> list[Run]:
    """The part's runs of one kind of row that start at or after position `since` of the whole history."""
    runs, rows = _rows(part, income)
    first = bisect.bisect_left(runs, bisect.bisect_left(positions, since), key=_first)
    return [(positions[at], rows, start, end) for at, start, end in runs[first:]]


def _changed_from(old: _Part, new: _Part, income: bool, added: date) -> int | None:
    """The position (among the symbol's events) of the first run of rows that differs between two
    bookings of a symbol whose events only grew at the end, on or after `added`; None when none
    differs."""
    (old_runs, old_rows), (new_runs, new_rows) = _rows(old, income), _rows(new, income)
    events = new.events
    for was, now in zip(old_runs, new_runs, strict=False):
        if was != now:
            return min(was[0], now[0])
        at, start, end = was
        if events[at].date + WASH_WINDOW < added:
            continue  # no event added can reach a sale this early (as _restarted's checkpoints say)
        # Identical rows where booking kept them, else equal ones (the same booking again).
        if old_rows[start:end] != new_rows[start:end]:
            return at
    common = min(len(old_runs), len(new_runs))
    rest = [runs[common][0] for runs in (old_runs, new_runs) if len(runs) > common]
    return rest[0] if rest else None


@dataclass(frozen=True, slots=True, eq=False)
class _Symbol:
    """One symbol of a whole history: its events in booking order, their positions in the whole
    history, its key in KEPT and its booking."""

    events: list[Trade | Split]
    positions: list[int]
    key: tuple[Hashable, ...]
    part: _Part


@dataclass(frozen=True, slots=True, eq=False)
class _Whole:
    """A whole history as book() last booked it: the events as given, the key of the last in
    booking order, each symbol's booking (in symbol order) and the rows merged."""

    events: tuple[Trade | Split, ...]
    last: tuple[date, bool]
    symbols: dict[str, _Symbol]
    dispositions: _Merge
    income: _Merge
    ledger: Ledger

    @property
    def weight(self) -> int:
        return len(self.events) + len(self.ledger.lots) + len(self.ledger.dispositions) + len(self.ledger.income)


# Each user's whole history as last booked, by its first event (the user's first trade): the next
# message over the same trades costs a comparison of identities, and one that added a few at the
# end books only their symbols and merges only the rows from the first that changed. A few
# histories share a first event (the trades up to a day, a symbol's own): up to WHOLES of them are
# kept under it, the latest first. Good only while every part it was merged from is still in KEPT
# (so KEPT.clear() forgets them too). Its rows are its parts' rows, so it weighs the references
# (and can keep rows of parts KEPT dropped alive until it drops them too).
WHOLE = WeighedCache[list[_Whole]](max_weight=4_000_000)  # about 25 bytes a unit: 100 MB at most
WHOLES = 4


def _order(event: Trade | Split) -> tuple[date, bool]:
    # A split comes before its day's trades: it takes effect at the start of the ex-date, so that
    # day's trades are in new shares.
    return (event.date, not isinstance(event, Split))


def _ordered(events: Iterable[Trade | Split]) -> list[Trade | Split]:
    given = list(events)
    # Stable: same-day trades keep the order the user gave them. Without splits, by date alone
    # (a key read in C, not a call of _order per event: a tenth of a second on 100,000 trades).
    if any(isinstance(event, Split) for event in given):
        return sorted(given, key=_order)
    return sorted(given, key=_DATE)


_DATE = attrgetter("date")
_SHARES = itemgetter(1)  # of a pick


def _raise_first(symbols: Iterable[_Symbol]) -> None:
    errors = [(s.positions[s.part.error[0]], s.part.error[1]) for s in symbols if s.part.error]
    if errors:
        raise min(errors, key=lambda error: error[0])[1].with_traceback(None)  # the first in booking order


def _whole(
    given: tuple[Trade | Split, ...],
    last: Trade | Split,
    symbols: dict[str, _Symbol],
    old: _Whole | None,
    added: date | None = None,
) -> _Whole:
    """The history's ledger from its symbols' bookings (in symbol order; `last` the last event in
    booking order): merged from `old`'s rows where they are the same (when the events only grew
    at the end, from the date `added`), else from every part."""
    _raise_first(symbols.values())
    since = 0
    if old is not None:
        assert added is not None, "a grown history says from when"
        since = _first_changed(old, symbols, len(given), added)
    kinds = []
    for income in (False, True):
        runs = [run for s in symbols.values() for run in _runs(s.part, s.positions, income, since)]
        kinds.append(
            _Merge.of(runs) if old is None else (old.income if income else old.dispositions).from_(since, runs)
        )
    ledger = Ledger(
        lots=tuple(chain.from_iterable(s.part.lots for s in symbols.values())),
        dispositions=kinds[0].rows,
        income=kinds[1].rows,
    )
    collector.keeping(len(ledger.lots))
    return _Whole(given, _order(last), symbols, kinds[0], kinds[1], ledger)


def _first_changed(old: _Whole, symbols: dict[str, _Symbol], count: int, added: date) -> int:
    """The first position (in the whole history of `count` events) where a row differs from `old`'s
    (whose history grew by events on or after `added`)."""
    since = count
    for symbol, now in symbols.items():
        was = old.symbols.get(symbol)
        if was is not None and was.part is now.part:
            continue
        for income in (False, True):
            runs = _rows(now.part, income)[0]
            at = _changed_from(was.part, now.part, income, added) if was else runs[0][0] if runs else None
            if at is not None:
                since = min(since, now.positions[at])
    return since


def kept_symbols(
    events: Sequence[Trade | Split], method: Method = "fifo"
) -> list[tuple[tuple[Hashable, ...], list[Trade | Split]]] | None:
    """Each symbol's events in booking order with their key in KEPT (the method and their
    identities), from the kept booking of exactly `events` (as given); None when there is none."""
    given = tuple(events)
    old = _kept_whole(given, method) if given else None
    if old is None or len(old.events) != len(given):
        return None
    return [(s.key, s.events) for s in old.symbols.values()]


def _kept_whole(given: tuple[Trade | Split, ...], method: Method) -> _Whole | None:
    """The longest kept booking of a history that `given` continues (the same events, then maybe
    more), while all of its parts are still kept; put first among those under its first event."""
    continued = [
        old
        for old in WHOLE.get((method, id(given[0]))) or ()
        if len(old.events) <= len(given) and all(map(operator.is_, old.events, given))
    ]
    found = max(continued, key=lambda old: len(old.events), default=None)
    if found is None or any(KEPT.get(s.key) is not s.part for s in found.symbols.values()):
        return None
    _keep_whole(found, method)
    return found


def _keep_whole(whole: _Whole, method: Method) -> None:
    """Kept first under its first event; the others under it stay, the last used first, while they fit
    WHOLES and half the bound (the history a trade grew from too: a trade checked but refused, or not
    yet confirmed, leaves it the current one)."""
    key = (method, id(whole.events[0]))
    kept, weight = [whole], whole.weight
    for old in WHOLE.get(key) or ():
        if old is not whole and len(kept) < WHOLES and weight + old.weight <= WHOLE.max_weight // 2:
            kept.append(old)
            weight += old.weight
    WHOLE.put(key, kept, weight)


def _grown(old: _Whole, given: tuple[Trade | Split, ...], method: Method, keep: bool) -> _Whole | None:
    """`old`'s history and the events added at its end, booked; None when they don't come after
    every earlier event in booking order (or lack the ids that name their lots)."""
    added = _ordered(given[len(old.events) :])
    if _order(added[0]) < old.last or not all(event.id for event in added):
        return None
    symbols = dict(old.symbols)
    for symbol, (events, positions) in _grouped(added, len(old.events), old.symbols).items():
        symbols[symbol] = _symbol(events, positions, method, keep)
    return _whole(given, added[-1], dict(sorted(symbols.items())), old, added[0].date)


def _grouped(
    ordered: Sequence[Trade | Split], start: int = 0, earlier: dict[str, _Symbol] | None = None
) -> dict[str, tuple[list[Trade | Split], list[int]]]:
    """`ordered` by symbol, each event with its position in the whole history (the first is at
    `start`), after the symbol's `earlier` events where it has some."""
    groups: dict[str, tuple[list[Trade | Split], list[int]]] = {}
    for position, event in enumerate(ordered, start=start):
        group = groups.get(event.symbol)
        if group is None:
            was = earlier.get(event.symbol) if earlier else None
            group = groups[event.symbol] = ([*was.events], [*was.positions]) if was else ([], [])
        group[0].append(event)
        group[1].append(position)
    return groups


def _symbol(events: list[Trade | Split], positions: list[int], method: Method, keep: bool) -> _Symbol:
    key = (method, *map(id, events))
    return _Symbol(events, positions, key, _symbol_part(events, method, keep, key))


def book(events: Iterable[Trade | Split], method: Method = "fifo", keep: bool = True) -> Ledger:
    """Book every trade (and split) in date order; see the module docstring.

    A symbol's lots never meet another's (a wash sale needs the same security), so each
    symbol is booked on its own and kept (KEPT): after a change only the symbols whose
    trades changed are booked again, and the result is row for row what one booking of
    everything gives. The whole history's ledger is kept too (WHOLE): asked again, or with a
    few events added at its end, it is not sorted and merged again. Events without ids are
    named by their position in the whole history, so a history of several symbols with such
    events is booked all together, as before.
    `keep=False` is for a trial nobody asks for twice (a what-if's candidate sale): it uses
    what is kept but keeps nothing new, which would only crowd out real bookings and leave
    rows for the collector to scan until they were dropped.
    """
    given = tuple(events)
    if not given:
        return Ledger(lots=(), dispositions=())
    with collector.paused():
        old = _kept_whole(given, method)
        if old is not None and len(old.events) == len(given):
            return old.ledger
        whole = _grown(old, given, method, keep) if old is not None else None
        if whole is None:
            ordered = _ordered(given)
            if not all(event.id for event in ordered) and len({event.symbol for event in ordered}) > 1:
                return book_at_once(ordered, method)
            symbols = {
                symbol: _symbol(group_events, positions, method, keep)
                for symbol, (group_events, positions) in sorted(_grouped(ordered).items())
            }
            whole = _whole(given, ordered[-1], symbols, None)
        if keep:
            _keep_whole(whole, method)
        return whole.ledger


def book_at_once(events: Iterable[Trade | Split], method: Method = "fifo") -> Ledger:
    """Book everything in one pass, keeping nothing: what book() must equal, row for row."""
    ordered = _ordered(events)
    with collector.paused():
        part = _run(_Book(method=method, ordered=ordered), ordered)
        if not ordered:
            return Ledger(lots=(), dispositions=())
        return _whole((), ordered[-1], {"": _Symbol(ordered, list(range(len(ordered))), (), part)}, None).ledger


def realize(events: Iterable[Trade | Split], method: Method = "fifo") -> list[Disposition]:
    """Every taxable disposition, one per lot per sale (one Form 8949 row each)."""
    return list(book(events, method).dispositions)
