"""Per-step latency for a user with 10,000 lots, and start-up time of `cgt-bot console`."""

from __future__ import annotations

import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bot.service import ChatService
from calc import Trade
from conversations.events import Event
from conversations.state import UserState

LOTS = 10_000
NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)
STEPS = [
    "/buy",
    "ABC",
    "2026-01-05",
    "10",
    "12.5",
    "0",  # the guided wizard, step by step
    "/buy 5 ABC 13 2026-02-03",  # one line
    "/sell 3 ABC 15 2026-03-03",
    "/portfolio",
    "/gains 2026",
    "/whatif sell 5 S001 30",
    "/undo",
]


def seeded_state() -> UserState:
    start = date(2022, 1, 3)
    trades = tuple(
        Trade(
            date=start + timedelta(days=i % 1400),
            symbol=f"S{i % 50:03d}",
            side="buy",
            quantity=Decimal(10),
            price=Decimal(20 + i % 30),
            id=f"T{i + 1}",
        )
        for i in range(LOTS)
    )
    return UserState(trades=trades, next_trade_number=LOTS + 1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        service = ChatService(db)
        state = seeded_state()
        service.store.save(1, UserState(), state, None)
        ids = itertools.count()
        service = ChatService(db)  # a fresh process's view: first step loads from SQLite
        started = time.perf_counter()
        service.process(1, Event(kind="text", id="warm", now=NOW, text="/help"))
        cold = time.perf_counter() - started
        timings: dict[str, list[float]] = {}
        for _ in range(5):
            for text in STEPS:
                started = time.perf_counter()
                service.process(1, Event(kind="text", id=f"b{next(ids)}", now=NOW, text=text))
                timings.setdefault(text.split()[0] if text.startswith("/") else "wizard answer", []).append(
                    time.perf_counter() - started
                )
        every = sorted(t for ts in timings.values() for t in ts)
        p99 = every[min(len(every) - 1, int(len(every) * 0.99))]
        print(f"user with {LOTS:,} lots; {len(every)} steps")
        print(f"{'first step (loads from SQLite)':<34}{cold * 1000:>9.1f} ms")
        print(f"{'all steps p50 / p99':<34}{statistics.median(every) * 1000:>9.1f} ms / {p99 * 1000:.1f} ms")
        for name, values in timings.items():
            print(f"  {name:<32}{statistics.median(values) * 1000:>9.1f} ms (median)")
    startups = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "bot.cli", "console", "--db", str(Path(tmp) / "s.db")],
                input="/help\n",
                capture_output=True,
                text=True,
                check=True,
            )
            startups.append(time.perf_counter() - started)
    print(f"{'cgt-bot console start-up (/help, exit)':<34}{min(startups) * 1000:>9.1f} ms (best of 3)")


if __name__ == "__main__":
    main()
