"""The broker's own cost basis as trades: lots held, lots a sale closed, sold lots.

Each becomes purchases (and, for a sold lot, its sale) with an import id, so adding the same
broker file again adds nothing twice. `fill` covers the sales of a history that starts mid-way
with the lots the broker says those sales closed (IBKR's ClosedLot rows), as far as they go.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from calc.limits import per_share
from calc.models import Trade
from calc.opening import Shortfall
from conversations.files.importers.common import BrokerLot, BrokerSale, Problem
from conversations.shelters import account_type


def import_id(*parts: object, seen: Counter[str] | None = None) -> str:
    """An import id ("I" + digest): what the row says, numbered among identical rows of one file."""
    key = "|".join(str(part) for part in parts)
    if seen is not None:
        seen[key] += 1
        key = f"{key}|{seen[key]}"
    return "I" + hashlib.sha256(key.encode()).hexdigest()[:16]


def purchase(symbol: str, when: date, quantity: Decimal, cost: Decimal, account: str | None, id_: str) -> Trade:
    price, rest = per_share(cost, quantity, "buy")  # the cost exact, the price to the places kept
    return Trade(
        date=when,
        symbol=symbol,
        side="buy",
        quantity=quantity,
        price=price,
        fees=rest,
        account=account or None,
        account_type=account_type(account),
        id=id_,
    )


def lots_as_trades(source: str, lots: Sequence[BrokerLot]) -> list[Trade]:
    seen: Counter[str] = Counter()
    return [
        purchase(
            lot.symbol,
            lot.acquired,
            lot.quantity,
            lot.cost,
            lot.account,
            import_id(
                source, lot.account, lot.acquired, lot.symbol, lot.quantity.normalize(), lot.cost.normalize(), seen=seen
            ),
        )
        for lot in lots
    ]


@dataclass
class SalesAsTrades:
    trades: list[Trade] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def sales_as_trades(source: str, sales: Sequence[BrokerSale]) -> SalesAsTrades:
    """Each sold lot as its purchase and its sale, at the broker's basis and proceeds."""
    out = SalesAsTrades()
    seen: Counter[str] = Counter()
    for sale in sales:
        if sale.acquired is None or sale.basis is None:
            missing = "the date acquired (“Various”)" if sale.acquired is None else "the cost basis"
            out.problems.append(Problem(sale.line, f"it doesn't give {missing}: add that purchase with /buy"))
            continue
        key = (source, sale.account, sale.acquired, sale.sold, sale.symbol, sale.quantity.normalize())
        money = (sale.proceeds.normalize(), sale.basis.normalize())
        bought = purchase(
            sale.symbol,
            sale.acquired,
            sale.quantity,
            sale.basis,
            sale.account,
            import_id(*key, *money, "buy", seen=seen),
        )
        out.trades.append(bought)
        price, fee = per_share(sale.proceeds, sale.quantity, "sell")  # the proceeds exact, as for the cost
        out.trades.append(
            bought.model_copy(
                update={
                    "date": sale.sold,
                    "side": "sell",
                    "price": price,
                    "fees": fee,
                    "id": import_id(*key, *money, "sell", seen=seen),
                }
            )
        )
    return out


def fill(short: Sequence[Shortfall], lots: Sequence[BrokerLot], source: str) -> list[Trade]:
    """Purchases from the broker's lots for the shares each short sale is missing, oldest lot first."""
    left = {index: lot.quantity for index, lot in enumerate(lots)}
    found: list[Trade] = []
    for gap in short:
        need = gap.missing
        for index, lot in sorted(enumerate(lots), key=lambda item: item[1].acquired):
            if need <= 0:
                break
            if lot.symbol != gap.symbol or lot.acquired > gap.date or left[index] <= 0:
                continue
            if lot.account and gap.account and lot.account != gap.account:
                continue
            take = min(need, left[index])
            left[index] -= take
            need -= take
            cost = lot.cost * take / lot.quantity
            found.append(
                purchase(
                    lot.symbol,
                    lot.acquired,
                    take,
                    cost,
                    gap.account,
                    import_id(source, "opening", gap.account, lot.acquired, lot.symbol, take.normalize(), cost),
                )
            )
    return found
