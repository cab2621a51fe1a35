"""Computing the December reminders for 100,000 users (synthetic states in memory)."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from calc import Trade
from calc.years import Years
from conversations.reminders import reminders
from conversations.state import Profile, UserState

USERS = 100_000


def user(rng: random.Random) -> UserState:
    trades = []
    for i in range(rng.randint(1, 8)):
        day = date(2025, 1, 2) + timedelta(days=rng.randint(0, 680))
        trades.append(
            Trade(
                date=day,
                symbol=f"S{rng.randint(0, 30)}",
                side="buy",
                quantity=Decimal(rng.randint(1, 50)),
                price=Decimal(rng.randint(10, 300)),
                id=f"T{i}",
            )
        )
    prices = {t.symbol: Decimal(rng.randint(5, 400)) for t in trades}
    return UserState(
        profile=Profile(tax_year=2026, years=Years.one(2026, wages=Decimal(rng.randint(0, 300_000)))),
        trades=tuple(trades),
        prices=prices,
    )


def main() -> None:
    rng = random.Random(3)
    states = [user(rng) for _ in range(USERS)]
    started = time.perf_counter()
    count = sum(len(reminders(s, date(2026, 12, 1), date(2026, 12, 31))) for s in states)
    seconds = time.perf_counter() - started
    print(f"{'users':<36}{USERS:>12,}")
    print(f"{'December reminders found':<36}{count:>12,}")
    print(f"{'time':<36}{seconds:>10.1f} s")
    print(f"{'users per second':<36}{USERS / seconds:>12,.0f}")


if __name__ == "__main__":
    main()
