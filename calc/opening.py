"""Histories that start mid-way: which sales sell shares the history never shows being bought.

A broker export covers a date range, so a sale in it may close a lot bought before the range.
`shortfalls` walks the trades (and splits) in booking order, per symbol and account as booking
matches lots, and lists each sale that sells more than is held, with how many shares are missing.
`without_shortfalls` keeps what can be booked: a sale trimmed to the shares held (its fees in
proportion), or dropped when none are.

    >>> from datetime import date
    >>> from decimal import Decimal as D
    >>> t = lambda d, side, q: Trade(date=date(2025, 1, d), symbol="X", side=side, quantity=D(q), price=D(10), id=f"t{d}")
    >>> [(s.sale_id, s.missing) for s in shortfalls([t(2, "buy", 5), t(3, "sell", 8)])]
    [('t3', Decimal('3'))]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from calc.models import ZERO, Split, Trade


@dataclass(frozen=True)
class Shortfall:
    sale_id: str
    symbol: str
    account: str | None
    date: date
    sold: Decimal  # shares the sale sells
    held: Decimal  # shares held just before it

    @property
    def missing(self) -> Decimal:
        return self.sold - self.held


def _ordered(events: Iterable[Trade | Split]) -> list[Trade | Split]:
    return sorted(events, key=lambda event: event.date)  # stable, as booking orders them


def shortfalls(events: Iterable[Trade | Split]) -> list[Shortfall]:
    """Every sale of shares not held at the time, in date order."""
    held: defaultdict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
    found: list[Shortfall] = []
    for event in _ordered(events):
        if isinstance(event, Split):
            for key in [key for key in held if key[0] == event.symbol]:
                held[key] *= event.ratio
            continue
        key = (event.symbol, event.account)
        if event.side == "buy":
            held[key] += event.quantity
        elif event.quantity > held[key]:
            found.append(Shortfall(event.id, event.symbol, event.account, event.date, event.quantity, held[key]))
            held[key] = ZERO
        else:
            held[key] -= event.quantity
    return found


def without_shortfalls(trades: Sequence[Trade], short: Sequence[Shortfall]) -> list[Trade]:
    """The trades with each short sale cut to the shares held then (dropped when none were)."""
    held_then = {s.sale_id: s.held for s in short}
    kept: list[Trade] = []
    for t in trades:
        if t.id not in held_then:
            kept.append(t)
        elif held_then[t.id] > 0:
            part = held_then[t.id] / t.quantity
            kept.append(t.model_copy(update={"quantity": held_then[t.id], "fees": t.fees * part}))
    return kept
