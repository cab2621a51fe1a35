"""The three histories issue 18 measures, seeded so every run books the same trades.

- retail: 10 funds bought every month for 20 years, a few shares sold now and then (~3,000 trades);
- active: 50 symbols, 20 trades every trading day for 3 years (~15,700 trades);
- wash: bench_realize's 100,000 random trades, nearly every loss sale a wash sale;
- and, for bench_rebook only, one_symbol: the same generator's 100,000 trades all in one stock.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from bench.bench_realize import random_trades
from calc import Trade
from conversations.state import Profile, UserState


def _trade(number: int, day: date, symbol: str, side: str, quantity: int, price: Decimal) -> Trade:
    return Trade(
        date=day,
        symbol=symbol,
        side=side,
        quantity=Decimal(quantity),
        price=price.quantize(Decimal("0.01")),
        id=f"T{number}",
    )


def retail(seed: int = 1) -> list[Trade]:
    rng = random.Random(seed)
    funds = [f"FUND{i}" for i in range(10)]
    price = {fund: Decimal(rng.randint(20, 80)) for fund in funds}
    held = dict.fromkeys(funds, 0)
    trades: list[Trade] = []
    for month in range(240):
        day = date(2006 + month // 12, 1 + month % 12, 3)
        for fund in funds:
            price[fund] = max(Decimal(5), price[fund] * Decimal(1 + rng.uniform(-0.06, 0.07)))
            quantity = rng.randint(3, 12)
            trades.append(_trade(len(trades) + 1, day, fund, "buy", quantity, price[fund]))
            held[fund] += quantity
            if month % 4 == 3 and held[fund] > 10:  # a small sale every four months
                sold = rng.randint(1, 5)
                trades.append(_trade(len(trades) + 1, day + timedelta(days=10), fund, "sell", sold, price[fund]))
                held[fund] -= sold
    return trades


def active(seed: int = 2) -> list[Trade]:
    rng = random.Random(seed)
    symbols = [f"S{i:02d}" for i in range(50)]
    price = {s: Decimal(rng.randint(20, 400)) for s in symbols}
    held = dict.fromkeys(symbols, 0)
    trades: list[Trade] = []
    day = date(2023, 1, 2)
    while day < date(2026, 1, 1):
        if day.weekday() < 5:
            for _ in range(20):
                symbol = rng.choice(symbols)
                price[symbol] = max(Decimal(1), price[symbol] * Decimal(1 + rng.uniform(-0.03, 0.03)))
                if held[symbol] and rng.random() < 0.45:
                    quantity = rng.randint(1, min(held[symbol], 200))
                    trades.append(_trade(len(trades) + 1, day, symbol, "sell", quantity, price[symbol]))
                    held[symbol] -= quantity
                else:
                    quantity = rng.randint(1, 200)
                    trades.append(_trade(len(trades) + 1, day, symbol, "buy", quantity, price[symbol]))
                    held[symbol] += quantity
        day += timedelta(days=1)
    return trades


def wash() -> list[Trade]:
    return [t.model_copy(update={"id": f"T{int(t.id[1:]) + 1}"}) for t in random_trades(100_000)]


def one_symbol() -> list[Trade]:
    """bench_realize's generator with every trade in one stock: 100,000 trades of one symbol, the
    worst case for booking by symbol (bench_rebook)."""
    return [t.model_copy(update={"id": f"T{int(t.id[1:]) + 1}"}) for t in random_trades(100_000, symbols=("ONE",))]


HISTORIES: dict[str, Callable[[], list[Trade]]] = {"retail": retail, "active": active, "wash": wash}


def state_of(trades: list[Trade]) -> UserState:
    last_year = max(t.date for t in trades).year
    # As a stored profile reads (the year's other income asked at onboarding).
    profile = Profile.model_validate({"onboarded": True, "tax_year": last_year, "other_income": "85000"})
    return UserState(profile=profile, trades=tuple(trades), next_trade_number=len(trades) + 1)
