"""Tiny readable ledgers for tests: one trade per line.

2024-01-10 buy  100 XYZ 20        (optional: fees=1 id=a account=ira lots=a:50,b:50 source=nso fmv=30)
2024-06-01 split XYZ 2
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from calc.models import LotPick, Split, Trade


def ledger(text: str) -> list[Trade | Split]:
    events: list[Trade | Split] = []
    for line in text.strip().splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        day = date.fromisoformat(words[0])
        if words[1] == "split":
            extra = dict(w.split("=", 1) for w in words[4:])
            events.append(Split(date=day, symbol=words[2], ratio=Decimal(words[3]), **extra))
            continue
        side, quantity, symbol, price = words[1:5]
        options: dict[str, Any] = dict(w.split("=", 1) for w in words[5:])
        if "lots" in options:
            options["lots"] = tuple(
                LotPick(lot_id=pick.split(":")[0], quantity=Decimal(pick.split(":")[1]))
                for pick in str(options["lots"]).split(",")
            )
        if options.get("account") == "ira":
            options["account_type"] = "ira"
            options["account"] = None
        events.append(
            Trade(date=day, side=side, quantity=Decimal(quantity), symbol=symbol, price=Decimal(price), **options)
        )
    return events


def trades(text: str) -> list[Trade]:
    """A ledger of trades only (no splits), for what takes trades alone."""
    events = ledger(text)
    only = [event for event in events if isinstance(event, Trade)]
    assert len(only) == len(events), "this ledger is for trades only"
    return only


def never_oversold(
    rows: list[tuple[int, bool, int, int, int]], start: date = date(2023, 1, 1)
) -> tuple[list[Trade], int]:
    """Random (day offset, buy?, shares, price, fees) rows as XYZ trades, sales capped at what is held.

    Returns the trades and the shares still held at the end.
    """
    events: list[Trade] = []
    held = 0
    for offset, is_buy, quantity, price, fees in sorted(rows):
        if not is_buy:
            quantity = min(quantity, held)
            if not quantity:
                continue
        held += quantity if is_buy else -quantity
        events.append(
            Trade(
                date=date.fromordinal(start.toordinal() + offset),
                symbol="XYZ",
                side="buy" if is_buy else "sell",
                quantity=Decimal(quantity),
                price=Decimal(price),
                fees=Decimal(fees),
            )
        )
    return events, held
