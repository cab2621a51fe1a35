"""Realize 100,000 seeded random trades over three years across 50 symbols, then summarize each year.

Target (issue 2): the whole run under 1 second on one core.
"""

from __future__ import annotations

import random
import resource
import time
from datetime import date, timedelta
from decimal import Decimal

from calc import Trade, book, summarize_year

TRADES = 100_000
SYMBOLS = [f"S{i:02d}" for i in range(50)]
START = date(2023, 1, 2)


def random_trades(count: int, seed: int = 7, rebuy_share: float = 0.0) -> list[Trade]:
    """Buys and sells that never oversell; with rebuy_share > 0, that share of sales are losses bought back within 30 days."""
    rng = random.Random(seed)
    held = dict.fromkeys(SYMBOLS, 0)
    price = {s: Decimal(rng.randint(20, 400)) for s in SYMBOLS}
    trades: list[Trade] = []
    days = 3 * 365
    for i in range(count):
        day = START + timedelta(days=i * days // count)
        symbol = rng.choice(SYMBOLS)
        price[symbol] = max(Decimal(1), price[symbol] + Decimal(rng.randint(-300, 300)) / 100)
        if held[symbol] and rng.random() < 0.45:
            side, quantity = "sell", rng.randint(1, min(held[symbol], 100))
            at = price[symbol] * Decimal("0.8") if rng.random() < rebuy_share else price[symbol]
            fees = Decimal(0)
            held[symbol] -= quantity
        else:
            side, quantity, at = "buy", rng.randint(1, 100), price[symbol]
            fees = Decimal(rng.choice([0, 0, 1]))
            held[symbol] += quantity
        trades.append(
            Trade.trusted(
                date=day,
                symbol=symbol,
                side=side,
                quantity=Decimal(quantity),
                price=at,
                fees=fees,
                account=None,
                account_type="taxable",
                id=f"t{i}",
                lots=(),
                source="purchase",
                fmv=None,
                grant_date=None,
            )
        )
    return trades


def run(trades: list[Trade]) -> tuple[float, int]:
    started = time.perf_counter()
    ledger = book(trades)
    for year in (2023, 2024, 2025):
        summarize_year(ledger.dispositions, year)
    return time.perf_counter() - started, len(ledger.dispositions)


def main() -> None:
    trades = random_trades(TRADES)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds, dispositions = run(trades)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    washed = sum(1 for d in book(trades[: TRADES // 10]).dispositions if d.wash_sale_disallowed)
    print(f"{'trades':<40}{TRADES:>12,}")
    sales = sum(1 for t in trades if t.side == "sell")
    print(f"{'sales':<40}{sales:>12,}")
    print(f"{'dispositions (lot parts sold)':<40}{dispositions:>12,}")
    print(f"{'  per sale (wash sales split lots)':<40}{dispositions / sales:>12.1f}")
    print(f"{'wash-sale rows in the first 10%':<40}{washed:>12,}")
    print(f"{'book + 3 year summaries':<40}{seconds:>10.2f} s   (target < 1 s)")
    print(f"{'trades per second':<40}{TRADES / seconds:>12,.0f}")
    print(f"{'time per disposition':<40}{seconds / dispositions * 1e6:>10.1f} µs")
    print(f"{'peak RSS (process, after run)':<40}{rss / 1024:>10.1f} MiB (+{(rss - before) / 1024:.1f})")


if __name__ == "__main__":
    main()
