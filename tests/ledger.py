"""Tiny readable ledgers for tests: one trade per line.

2024-01-10 buy  100 XYZ 20        (optional: fees=1 id=a account=ira lots=a:50,b:50 source=nso fmv=30)
2024-06-01 split XYZ 2
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
        options: dict[str, object] = dict(w.split("=", 1) for w in words[5:])
        if "lots" in options:
            options["lots"] = tuple(
                LotPick(lot_id=pick.split(":")[0], quantity=Decimal(pick.split(":")[1]))
                for pick in str(options["lots"]).split(",")
            )
        if options.get("account") == "ira":
            options["account_type"] = "ira"
            options["account"] = None
        events.append(
            Trade(date=day, side=side, quantity=Decimal(quantity), symbol=symbol, price=Decimal(price), **options)  # type: ignore[arg-type]
        )
    return events
