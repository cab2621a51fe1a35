"""Booking: trades in date order become open lots, dispositions and option income.

One pass over the trades, oldest first (same-day trades in the order given).
A purchase opens a lot; a sale takes shares from lots by the chosen method
(calc.matching), and a loss sale then looks 30 days back and forward for
replacement shares (calc.wash). A split rescales lots; option exercises open
lots whose basis and income follow calc.equity.
"""

from __future__ import annotations

import bisect
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from calc import equity
from calc.errors import NotEnoughShares
from calc.holding import holding_reason, long_term_from
from calc.matching import METHODS, OpenLot, Picks
from calc.models import (
    ZERO,
    Disposition,
    Frozen,
    IncomeEvent,
    Lot,
    Method,
    Reason,
    Split,
    Trade,
)

CENT = Decimal("0.01")
WASH_WINDOW = timedelta(days=30)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def share_of(total: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """`part/whole` of `total`, to the cent; the whole of it when part is all of it."""
    return total if part == whole else cents(total * part / whole)


class Ledger(Frozen):
    lots: tuple[Lot, ...]
    dispositions: tuple[Disposition, ...]
    income: tuple[IncomeEvent, ...] = ()

    def wages(self, year: int) -> Decimal:
        """Ordinary income from equity compensation in `year` (NSO/RSU/disqualifying ISO)."""
        return sum((e.amount for e in self.income if e.kind == "wages" and e.date.year == year), ZERO)

    def amt_adjustments(self, year: int) -> Decimal:
        """ISO bargain elements exercised and held in `year` (Form 6251 line 2i)."""
        return sum((e.amount for e in self.income if e.kind == "amt_adjustment" and e.date.year == year), ZERO)


@dataclass
class _Pending:
    """A disallowed loss waiting for a purchase later in the window."""

    quantity: Decimal
    amount: Decimal
    tacked_days: int
    reason: Reason


@dataclass
class _Book:
    method: Method
    ordered: Sequence[Trade | Split]
    open_lots: dict[tuple[str, str | None], list[OpenLot]] = field(default_factory=lambda: defaultdict(list))
    # Every purchase by symbol as (date, position), known before the pass so a sale can look ahead.
    buys: dict[str, list[tuple[date, int]]] = field(default_factory=lambda: defaultdict(list))
    # Shares of each purchase still free to absorb a wash-sale loss (each absorbs one loss only).
    capacity: dict[int, Decimal] = field(default_factory=dict)
    # Splits by symbol as (position, ratio): a sale and a purchase on either side of a split
    # count shares in different units (100 old shares are 200 new ones after 2-for-1).
    splits: dict[str, list[tuple[int, Decimal]]] = field(default_factory=lambda: defaultdict(list))
    lots_of_buy: dict[int, list[OpenLot]] = field(default_factory=lambda: defaultdict(list))
    pending: dict[int, list[_Pending]] = field(default_factory=lambda: defaultdict(list))
    dispositions: list[Disposition] = field(default_factory=list)
    income: list[IncomeEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        for position, event in enumerate(self.ordered):
            if isinstance(event, Trade) and event.side == "buy":
                self.buys[event.symbol].append((event.date, position))
                self.capacity[position] = event.quantity
            elif isinstance(event, Split):
                self.splits[event.symbol].append((position, event.ratio))

    # --- purchases -------------------------------------------------------------------------
    def buy(self, position: int, trade: Trade) -> None:
        acquisition = equity.acquisition(trade)
        self.income.extend(acquisition.income)
        lot = OpenLot(
            id=trade.id or f"t{position}",
            symbol=trade.symbol,
            acquired=trade.date,
            purchased=trade.date,
            quantity=trade.quantity,
            basis=acquisition.basis,
            sequence=position,
            account=trade.account,
            account_type=trade.account_type,
            source=trade.source,
            amt_basis=acquisition.amt_basis,
            grant_date=trade.grant_date,
            bargain_per_share=acquisition.bargain_per_share,
            reasons=list(acquisition.reasons),
        )
        self.open_lots[(trade.symbol, trade.account)].append(lot)
        self.lots_of_buy[position].append(lot)
        for pending in self.pending.pop(position, []):
            self._adjust(lot, pending.quantity, pending.amount, pending.tacked_days, pending.reason)

    def _adjust(self, lot: OpenLot, quantity: Decimal, amount: Decimal, tacked_days: int, reason: Reason) -> None:
        """Add a disallowed loss to `quantity` shares of `lot` (split off if fewer than all)."""
        target = self._split_off(lot, quantity) if quantity < lot.quantity else lot
        target.replaced = True
        target.basis += amount
        target.wash_sale_adjustment += amount
        target.acquired = target.purchased - timedelta(days=tacked_days)
        target.reasons.append(reason)

    def _split_off(self, lot: OpenLot, quantity: Decimal) -> OpenLot:
        siblings = self.lots_of_buy[lot.sequence]
        part = OpenLot(
            id=f"{siblings[0].id}.{len(siblings)}",
            symbol=lot.symbol,
            acquired=lot.acquired,
            purchased=lot.purchased,
            quantity=quantity,
            basis=share_of(lot.basis, quantity, lot.quantity),
            sequence=lot.sequence,
            account=lot.account,
            account_type=lot.account_type,
            source=lot.source,
            wash_sale_adjustment=share_of(lot.wash_sale_adjustment, quantity, lot.quantity),
            amt_basis=None if lot.amt_basis is None else share_of(lot.amt_basis, quantity, lot.quantity),
            grant_date=lot.grant_date,
            bargain_per_share=lot.bargain_per_share,
            reasons=list(lot.reasons),
        )
        lot.quantity -= part.quantity
        lot.basis -= part.basis
        lot.wash_sale_adjustment -= part.wash_sale_adjustment
        if lot.amt_basis is not None and part.amt_basis is not None:
            lot.amt_basis -= part.amt_basis
        siblings.append(part)
        lots = self.open_lots[(lot.symbol, lot.account)]
        lots.insert(lots.index(lot) + 1, part)
        return part

    # --- sales -----------------------------------------------------------------------------
    def sell(self, position: int, trade: Trade) -> None:
        key = (trade.symbol, trade.account)
        lots = self.open_lots[key]
        method: Method = "specific" if trade.lots else self.method
        picks = METHODS[method](lots, trade.quantity, trade.lots)
        if sum((quantity for _, quantity in picks), ZERO) < trade.quantity:
            held = sum((lot.quantity for lot in lots), ZERO)
            where = f" in {trade.account}" if trade.account else ""
            raise NotEnoughShares(
                f"on {trade.date.isoformat()} you held {held:f} {trade.symbol}{where}, so you can't sell {trade.quantity:f}"
            )
        self._dispose(position, trade, picks, trade.quantity * trade.price - trade.fees)
        if any(lot.quantity == 0 for lot, _ in picks):
            self.open_lots[key] = [lot for lot in lots if lot.quantity > 0]

    def _dispose(self, position: int, trade: Trade, picks: Picks, net_proceeds: Decimal) -> None:
        # First take every picked share out of its lot, so that shares sold in this same
        # sale can't count as replacements for each other; then book each part.
        parts = []
        proceeds_left = net_proceeds
        shares_left = trade.quantity
        for lot, quantity in picks:
            proceeds = proceeds_left if quantity == shares_left else cents(net_proceeds * quantity / trade.quantity)
            proceeds_left -= proceeds
            shares_left -= quantity
            basis = share_of(lot.basis, quantity, lot.quantity)
            adjustment = share_of(lot.wash_sale_adjustment, quantity, lot.quantity)
            if lot.amt_basis is not None:
                lot.amt_basis -= share_of(lot.amt_basis, quantity, lot.quantity)
            lot.quantity -= quantity
            lot.basis -= basis
            lot.wash_sale_adjustment -= adjustment
            if lot.account_type != "ira":  # a sale inside an IRA is not a taxable disposition
                parts.append((lot, quantity, proceeds, basis))
        for lot, quantity, proceeds, basis in parts:
            self._book_disposition(position, trade, lot, quantity, proceeds, basis)

    def _book_disposition(
        self, position: int, trade: Trade, lot: OpenLot, quantity: Decimal, proceeds: Decimal, basis: Decimal
    ) -> None:
        reasons = [holding_reason(lot.acquired, trade.date), *lot.reasons]
        ordinary, iso_income = equity.disposition(lot, quantity, trade.date, proceeds - basis)
        basis += ordinary  # income taxed as wages isn't taxed again as gain
        self.income.extend(iso_income)
        for event in iso_income:
            reasons.extend(event.reasons)
        disallowed = ZERO
        if proceeds < basis:
            disallowed = self._wash_sale(position, trade, lot, quantity, basis - proceeds, reasons)
        self.dispositions.append(
            Disposition.trusted(
                symbol=trade.symbol,
                quantity=quantity,
                acquired=lot.acquired,
                sold=trade.date,
                proceeds=proceeds,
                basis=basis,
                gain=proceeds - basis + disallowed,
                term="long" if trade.date >= long_term_from(lot.acquired) else "short",
                wash_sale_disallowed=disallowed,
                lot_id=lot.id,
                sale_id=trade.id or f"t{position}",
                account=trade.account,
                reasons=tuple(reasons),
            )
        )

    def _wash_sale(
        self, position: int, sale: Trade, sold: OpenLot, quantity: Decimal, loss: Decimal, reasons: list[Reason]
    ) -> Decimal:
        """IRC 1091: disallow the loss on as many shares as were acquired within 30 days either side.

        Replacement shares are taken in acquisition order, each absorbs one loss only,
        and the sold shares' own purchase never replaces them. A replacement bought in
        an IRA disallows the loss for good: no basis is added anywhere.
        """
        buys = self.buys[sale.symbol]
        start = bisect.bisect_left(buys, (sale.date - WASH_WINDOW, -1))
        end = bisect.bisect_right(buys, (sale.date + WASH_WINDOW, len(self.ordered)))
        tacked_days = (sale.date - sold.acquired).days
        remaining = quantity
        disallowed = ZERO
        for _, buy_position in buys[start:end]:
            if remaining <= 0:
                break
            if buy_position == sold.sequence:
                continue
            free = self.capacity[buy_position]
            if free <= 0:
                continue
            if buy_position < position:  # bought before the sale: only shares still held and not yet used
                free = min(free, sum((lot.quantity for lot in self._unreplaced(buy_position)), ZERO))
            # In the purchase's own share units (differs only when a split falls between the two).
            ratio = self._split_ratio(sale.symbol, position, buy_position)
            take_there = min(free, remaining * ratio)
            if take_there <= 0:
                continue
            take = remaining if take_there == remaining * ratio else take_there / ratio
            part = loss - disallowed if take == remaining else cents(loss * take / quantity)
            self.capacity[buy_position] -= take_there
            remaining -= take
            disallowed += part
            replacement = self.ordered[buy_position]
            assert isinstance(replacement, Trade)
            reasons.append(self._sale_reason(replacement, buy_position, take_there, part, loss))
            if replacement.account_type == "ira":
                continue
            lot_reason = Reason.trusted(
                rule="wash.basis_added",
                facts={
                    "amount": part,
                    "shares": take_there,
                    "sale_date": sale.date,
                    "sold_lot": sold.id,
                    "tacked_days": tacked_days,
                },
                source="IRC 1091(d); Publication 550, Wash Sales",
            )
            if buy_position < position:
                self._adjust_past(buy_position, take_there, part, tacked_days, lot_reason)
            else:
                self.pending[buy_position].append(_Pending(take_there, part, tacked_days, lot_reason))
        return disallowed

    def _split_ratio(self, symbol: str, sale_position: int, buy_position: int) -> Decimal:
        """New shares per old for splits after the sale and before a later purchase.

        Purchases before the sale need none: split() rescales their lots and capacity in place.
        """
        ratio = Decimal(1)
        for split_position, split_ratio in self.splits.get(symbol, ()):
            if sale_position < split_position < buy_position:
                ratio *= split_ratio
        return ratio

    def _unreplaced(self, buy_position: int) -> list[OpenLot]:
        return [lot for lot in self.lots_of_buy[buy_position] if lot.quantity > 0 and not lot.replaced]

    def _adjust_past(
        self, buy_position: int, shares: Decimal, amount: Decimal, tacked_days: int, reason: Reason
    ) -> None:
        left_shares, left_amount = shares, amount
        for lot in self._unreplaced(buy_position):
            if left_shares <= 0:
                break
            take = min(lot.quantity, left_shares)
            part = left_amount if take == left_shares else cents(amount * take / shares)
            self._adjust(lot, take, part, tacked_days, reason)
            left_shares -= take
            left_amount -= part

    @staticmethod
    def _sale_reason(replacement: Trade, buy_position: int, shares: Decimal, part: Decimal, loss: Decimal) -> Reason:
        return Reason.trusted(
            rule="wash.ira_permanent" if replacement.account_type == "ira" else "wash.disallowed",
            facts={
                "shares": shares,
                "disallowed": part,
                "loss": loss,
                "replacement_lot": replacement.id or f"t{buy_position}",
                "replacement_date": replacement.date,
            },
            source="IRC 1091; Publication 550, Wash Sales",
        )

    # --- corporate actions -----------------------------------------------------------------
    def split(self, position: int, split: Split) -> None:
        """Scale every lot of the symbol; basis and holding period stay. Cash in lieu sells the fraction."""
        for _, buy_position in self.buys.get(split.symbol, ()):
            if buy_position > position:
                break
            self.capacity[buy_position] *= split.ratio  # shares free to replace a loss, now in new shares
        for (symbol, account), lots in self.open_lots.items():
            if symbol != split.symbol:
                continue
            for lot in lots:
                lot.quantity *= split.ratio
                lot.reasons.append(
                    Reason(rule="split", facts={"ratio": split.ratio, "date": split.date}, source="Publication 550")
                )
            held = sum((lot.quantity for lot in lots), ZERO)
            fraction = held - int(held)
            if split.cash_in_lieu and fraction and lots:
                sale = Trade(
                    date=split.date,
                    symbol=symbol,
                    side="sell",
                    quantity=fraction,
                    price=split.cash_in_lieu / fraction,
                    account=account,
                    id=split.id or f"t{position}",
                )
                self._dispose(position, sale, [(lots[-1], min(fraction, lots[-1].quantity))], split.cash_in_lieu)
                self.open_lots[(symbol, account)] = [lot for lot in lots if lot.quantity > 0]

    def frozen_lots(self) -> tuple[Lot, ...]:
        return tuple(
            Lot.trusted(
                id=lot.id,
                symbol=lot.symbol,
                acquired=lot.acquired,
                purchased=lot.purchased,
                quantity=lot.quantity,
                basis=lot.basis,
                long_term_from=long_term_from(lot.acquired),
                account=lot.account,
                account_type=lot.account_type,
                source=lot.source,
                wash_sale_adjustment=lot.wash_sale_adjustment,
                reasons=tuple(lot.reasons),
            )
            for (_, _), lots in sorted(self.open_lots.items(), key=lambda item: (item[0][0], item[0][1] or ""))
            for lot in sorted(lots, key=lambda lot: lot.sequence)
            if lot.quantity > 0
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Booking allocates many small objects that all stay alive (no cycles to collect);
    the cyclic collector would rescan them again and again, doubling the time on large ledgers."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _ordered(events: Iterable[Trade | Split]) -> list[Trade | Split]:
    # Stable: same-day events keep the order the user gave them.
    return sorted(events, key=lambda event: event.date)


def book(events: Iterable[Trade | Split], method: Method = "fifo") -> Ledger:
    """Book every trade (and split) in date order; see the module docstring."""
    ordered = _ordered(events)
    state = _Book(method=method, ordered=ordered)
    with _collector_paused():
        for position, event in enumerate(ordered):
            if isinstance(event, Split):
                state.split(position, event)
            elif event.side == "buy":
                state.buy(position, event)
            else:
                state.sell(position, event)
        return Ledger.trusted(
            lots=state.frozen_lots(), dispositions=tuple(state.dispositions), income=tuple(state.income)
        )


def realize(events: Iterable[Trade | Split], method: Method = "fifo") -> list[Disposition]:
    """Every taxable disposition, one per lot per sale (one Form 8949 row each)."""
    return list(book(events, method).dispositions)
