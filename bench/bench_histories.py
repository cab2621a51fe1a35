"""Per-message latency for the three histories of issue 18, through the chat service and storage.

Each history runs in its own interpreter (peak memory is per history). The user's trades are
stored first; then, as after a restart, the first message books everything (the full rebook,
collector counted: every collection during it and a full collection after); then rounds of
the messages a user sends: add one trade, /gains, /portfolio, /whatif. Before each message the
chat's identity cache of recent ledgers is emptied, so each gets its ledger from what booking
keeps across users (calc.booking.KEPT's per-symbol bookings and WHOLE's merged ledgers: what a
message after other users' messages pays), and an add books again the symbol it touches. Targets (p99): retail 50 ms, active 150 ms, 100k 1 s (/whatif 2 s); the full
100k rebook 5 s with the collector.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path

from bench.bench_realize import GcWatch
from bench.histories import HISTORIES, state_of
from bot.service import ChatService
from bot.storage import open_store
from calc import collector
from calc.booking import KEPT
from conversations import taxview
from conversations.events import Event
from conversations.state import UserState

ROUNDS = {"retail": 30, "active": 15, "wash": 6}
MESSAGES = ("add", "/gains", "/portfolio", "/whatif")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def one(name: str) -> dict[str, object]:
    trades = HISTORIES[name]()
    state = state_of(trades)
    last = max(t.date for t in trades)
    now = datetime.combine(last + timedelta(days=1), clock_time(15), tzinfo=UTC)
    held: dict[str, Decimal] = {}
    for t in trades:  # the symbol with the most shares held at the end
        held[t.symbol] = held.get(t.symbol, Decimal(0)) + (t.quantity if t.side == "buy" else -t.quantity)
    biggest = max(held, key=lambda symbol: held[symbol])
    price = next(t.price for t in reversed(trades) if t.symbol == biggest)
    texts = {
        "add": f"/buy 1 {biggest} {price} {last.isoformat()}",
        "/gains": f"/gains {last.year}",
        "/portfolio": "/portfolio",
        "/whatif": f"/whatif sell 5 {biggest} {price}",
    }
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        open_store(db).save(1, UserState(), state, None)
        KEPT.clear()  # as after a restart: nothing booked yet
        taxview.forget_kept()
        service = ChatService(db)
        collector.settle()  # as the bot does once started (bot/telegram.py)
        ids = iter(range(1_000_000))

        def send(text: str) -> float:
            taxview.forget_kept()
            started = time.perf_counter()
            service.process(1, Event(kind="text", id=f"b{next(ids)}", now=now, text=text))
            return time.perf_counter() - started

        with GcWatch() as watch:
            started, cpu = time.perf_counter(), time.process_time()
            send(texts["/gains"])
            gc.collect()  # and what the objects it left cost the collector later
            rebook, rebook_cpu = time.perf_counter() - started, time.process_time() - cpu
        rebook_pause = watch.longest
        timings: dict[str, list[float]] = {m: [] for m in MESSAGES}
        with GcWatch() as steady:
            for _ in range(ROUNDS[name]):
                for message in MESSAGES:
                    timings[message].append(send(texts[message]))
    return {
        "name": name,
        "trades": len(trades),
        "rebook": rebook,
        "rebook_cpu": rebook_cpu,
        "rebook_pause": rebook_pause,
        "steady_pause": steady.longest,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **{f"{m} p50": statistics.median(v) for m, v in timings.items()},
        **{f"{m} p99": percentile(v, 0.99) for m, v in timings.items()},
    }


def main() -> None:
    if sys.argv[1:2] == ["one"]:
        print(json.dumps(one(sys.argv[2])))
        return
    print("per message, ms: p50 / p99 (chat service + SQLite; machine shared with other work)")
    print(f"{'history':<9}{'trades':>8}" + "".join(f"{m:>18}" for m in MESSAGES))
    rows = []
    for name in HISTORIES:
        run = subprocess.run(
            [sys.executable, "-m", "bench.bench_histories", "one", name], capture_output=True, text=True, check=True
        )
        row = json.loads(run.stdout.strip().splitlines()[-1])
        rows.append(row)
        cells = "".join(f"{row[f'{m} p50'] * 1000:>9.1f} /{row[f'{m} p99'] * 1000:>7.1f}" for m in MESSAGES)
        print(f"{name:<9}{row['trades']:>8,}{cells}")
    print()
    print(f"{'history':<9}{'full rebook (first message)':>30}{'CPU':>8}{'longest GC pause':>30}{'peak':>10}")
    for row in rows:
        print(
            f"{row['name']:<9}{row['rebook']:>28.2f} s{row['rebook_cpu']:>6.2f} s"
            f"{row['rebook_pause'] * 1000:>14.1f} ms (then {row['steady_pause'] * 1000:.1f} ms)"
            f"{row['peak_mib']:>7.0f} MiB"
        )


if __name__ == "__main__":
    main()
