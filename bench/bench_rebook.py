"""Booking again after a change in the middle of a long history (issue 18): from a checkpoint.

Two histories, each in its own interpreter: bench_realize's 100,000 wash-heavy trades over 50
symbols, and the same generator with all 100,000 trades in one stock (the worst case for booking
by symbol: a change there used to book all of it again). For each: the first booking (nothing
kept), then changes as the chat makes them, each timed alone as book() of the whole history —
a trade in the middle repriced, the undo of that, a trade in the middle deleted, a purchase added
back-dated into the middle, each made to the history as it stands — with checkpoints (booking again
from one before the change, up to one after it where the state meets the previous booking's) and
with them off (the symbol booked from its start).
What the kept booking weighs (calc.booking.KEPT's weight: rows, trades and lots copied for
checkpoints) and the process's peak memory are reported too.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from bench.histories import one_symbol, wash
from calc import Trade, book, booking
from calc.booking import KEPT, LATEST

HISTORIES: dict[str, Callable[[], list[Trade]]] = {"wash": wash, "one_symbol": one_symbol}
SPOTS = (0.35, 0.5, 0.65)  # where in the history each change falls


def changes(trades: list[Trade], share: float) -> dict[str, list[Trade]]:
    middle = int(len(trades) * share)
    trade = trades[middle]
    repriced = trade.model_copy(update={"price": trade.price + Decimal("0.5")})
    added = trade.model_copy(update={"id": "NEW", "side": "buy", "quantity": Decimal(5)})
    return {
        "edit": [*trades[:middle], repriced, *trades[middle + 1 :]],
        "undo": trades,
        "delete": [*trades[:middle], *trades[middle + 1 :]],
        "add": [*trades[:middle], added, *trades[middle:]],
    }


def timed(events: list[Trade]) -> float:
    started = time.perf_counter()
    book(events)
    return time.perf_counter() - started


def one(name: str) -> dict[str, object]:
    trades = HISTORIES[name]()
    gc.collect()
    result: dict[str, object] = {"name": name, "trades": len(trades)}
    for mode in ("checkpoints", "none"):
        KEPT.clear()
        LATEST.clear()  # else "from start" would go on from the bookings just made, still alive
        booking.CHECKPOINT_COST = 5_000 if mode == "checkpoints" else 10**15
        started = time.perf_counter()
        book(trades)
        result[f"{mode} first"] = time.perf_counter() - started
        result[f"{mode} weight"] = KEPT.weight
        kept = {id(part): part for part in LATEST.values()}.values()  # each by its first and its last trade
        result[f"{mode} copied"] = sum(c.lots for part in kept for c in part.checkpoints)
        timings: dict[str, list[float]] = {}
        for share in SPOTS:
            for kind, events in changes(trades, share).items():
                if kind != "undo":
                    book(trades)  # each change is to the history as it stands (its previous booking: this one)
                timings.setdefault(kind, []).append(timed(events))
        for kind, values in timings.items():
            result[f"{mode} {kind}"] = [min(values), statistics.median(values), max(values)]
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main() -> None:
    if sys.argv[1:2] == ["one"]:
        print(json.dumps(one(sys.argv[2])))
        return
    print("book() of the whole history after one change in its middle, seconds: min / median / max of 3 spots")
    print("(machine shared with other work; 'from start' = the changed symbol booked again from its first trade)")
    kinds = ("edit", "undo", "delete", "add")
    for name in HISTORIES:
        run = subprocess.run(
            [sys.executable, "-m", "bench.bench_rebook", "one", name], capture_output=True, text=True, check=True
        )
        row = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"\n{name}: {row['trades']:,} trades; peak {row['peak_mib']:.0f} MiB")
        for mode, label in (("checkpoints", "checkpoints"), ("none", "from start")):
            cells = "  ".join(f"{kind} {'/'.join(f'{v:.2f}' for v in row[f'{mode} {kind}'])}" for kind in kinds)
            print(f"  {label:<12} first booking {row[f'{mode} first']:.2f} s  {cells}")
            print(
                f"  {'':<12} kept weight {row[f'{mode} weight']:,} (lots copied for checkpoints {row[f'{mode} copied']:,})"
            )


if __name__ == "__main__":
    main()
