"""Which open lots a sale takes shares from: one small function per method.

Each method orders (or picks) the open lots of one symbol in one account, given
oldest first, and returns (lot, shares) pairs; booking does the arithmetic. FIFO
stops reading once the sale is covered. Like beancount's booking methods, a new
method is one function and one table entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Protocol, TypeVar

from calc.errors import LotsDontAddUp, NotEnoughShares, UnknownLot
from calc.models import ZERO, AccountType, KeptReason, LotPick, Method, Source


@dataclass(eq=False, slots=True)  # slots: no per-lot dict, fewer objects for the collector
class OpenLot:
    """A lot while booking runs (mutable); frozen into calc.models.Lot at the end."""

    id: str
    purchase_id: str  # the trade that bought these shares (a wash-sale part keeps its purchase's id)
    symbol: str
    acquired: date
    purchased: date
    quantity: Decimal
    basis: Decimal
    sequence: int  # position of the purchase in booking order: FIFO order and the lot's origin
    account: str | None = None
    account_type: AccountType = "taxable"
    source: Source = "purchase"
    wash_sale_adjustment: Decimal = ZERO
    amt_basis: Decimal | None = None  # ISO shares: basis for AMT (fair market value at exercise)
    grant_date: date | None = None
    bargain_per_share: Decimal = ZERO  # ISO, ESPP: fmv - price at exercise, for a disqualifying disposition
    discount_per_share: Decimal = ZERO  # ESPP: the offering-date discount, for a qualifying one (calc.espp)
    replaced: bool = False  # these shares already absorbed a wash-sale loss
    # A gift worth less than the donor's basis when given: the basis per share for a loss (IRC 1015(a)).
    loss_basis_per_share: Decimal | None = None
    # A tuple, shared by the parts a wash sale splits off (a part's own reason makes it a new one).
    reasons: tuple[KeptReason, ...] = ()

    @property
    def basis_per_share(self) -> Decimal:
        return self.basis / self.quantity

    def copy(self) -> OpenLot:
        """The same lot, for a kept copy of booking's state."""
        return OpenLot(*_FIELDS(self))  # positional, every field in order: dataclasses.replace costs 5x


_FIELDS = attrgetter(*(f.name for f in fields(OpenLot)))

Picks = list[tuple[OpenLot, Decimal]]


class Held(Protocol):
    @property
    def quantity(self) -> Decimal: ...


H = TypeVar("H", bound=Held)


def take_in_order(lots: Iterable[H], quantity: Decimal) -> list[tuple[H, Decimal]]:
    """(lot, shares) taking `quantity` shares from `lots` in their order, the last one in part."""
    picks: list[tuple[H, Decimal]] = []
    remaining = quantity
    if remaining <= 0:
        return picks
    for lot in lots:
        held = lot.quantity
        if remaining <= held:  # the last one: the rest, or all of it when that is the rest
            picks.append((lot, remaining if remaining < held else held))
            return picks
        picks.append((lot, held))
        remaining -= held
    return picks


def fifo(lots: Iterable[OpenLot], quantity: Decimal, _: Sequence[LotPick]) -> Picks:
    """First in, first out: the default when no lots are named (Publication 550)."""
    return take_in_order(lots, quantity)


def lifo(lots: Iterable[OpenLot], quantity: Decimal, _: Sequence[LotPick]) -> Picks:
    return take_in_order(reversed(list(lots)), quantity)


def hifo(lots: Iterable[OpenLot], quantity: Decimal, _: Sequence[LotPick]) -> Picks:
    """Highest cost first: the smallest gain (or largest loss) now."""
    return take_in_order(sorted(lots, key=lambda lot: (-lot.basis_per_share, lot.sequence)), quantity)


def specific(lots: Iterable[OpenLot], quantity: Decimal, named: Sequence[LotPick]) -> Picks:
    """Specific identification: exactly the lots (and shares) the seller named."""
    by_id = {lot.id: lot for lot in lots}
    picks: Picks = []
    for pick in named:
        lot = by_id.get(pick.lot_id)
        if lot is None:
            raise UnknownLot(pick.lot_id)
        if pick.quantity > lot.quantity:
            raise NotEnoughShares(symbol=lot.symbol, held=lot.quantity, wanted=pick.quantity, lot_id=lot.id)
        picks.append((lot, pick.quantity))
    named_total = sum((q for _, q in picks), ZERO)
    if named_total != quantity:
        raise LotsDontAddUp(named=named_total, sold=quantity)
    return picks


MatchFn = Callable[[Iterable[OpenLot], Decimal, Sequence[LotPick]], Picks]
METHODS: dict[Method, MatchFn] = {"fifo": fifo, "lifo": lifo, "hifo": hifo, "specific": specific}
