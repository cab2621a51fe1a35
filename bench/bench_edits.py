"""What editing a sent message costs on long histories, through the chat service and storage.

The retail and active histories of issue 18 (bench/histories.py) are stored, booked once (the first
message after a restart, not timed here: bench_histories measures it); then a one-line purchase is
sent and edited again and again, each edit a new price (the whole step: read the edit, book the
changed stock again, check the ledger, word what changed, commit with the processed update). Two
cases: a purchase dated the last day (fixing a typo right away) and one dated in the middle of the
stock's history (every later sale of that stock booked again and its gain compared). Each history
runs in its own interpreter. The per-message targets of issue 18 (p99 retail 50 ms, active 150 ms)
are the yardstick. The 100k history isn't measured: it is past the 50,000 trades a person may keep, so
no new line (and so no edit of one) is taken there.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from bench.bench_histories import percentile
from bench.histories import HISTORIES, state_of
from bot.service import ChatService
from bot.storage import open_store
from calc import collector
from conversations import taxview
from conversations.events import Event
from conversations.state import UserState

ROUNDS = {"retail": 40, "active": 20}
CASES = ("last day", "mid-history")


def one(name: str) -> dict[str, object]:
    trades = HISTORIES[name]()
    last = max(t.date for t in trades)
    symbol = trades[-1].symbol
    middle = trades[len(trades) // 2].date
    price = next(t.price for t in reversed(trades) if t.symbol == symbol)
    now = datetime.combine(last + timedelta(days=1), clock_time(15), tzinfo=UTC)
    timings: dict[str, list[float]] = {case: [] for case in CASES}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        open_store(db).save(1, UserState(), state_of(trades), None)
        service = ChatService(db)
        ids = iter(range(1_000_000))

        def step(kind: str, message: str, text: str) -> float:
            taxview.forget_kept()  # as after other users' messages: the ledger from the kept bookings
            started = time.perf_counter()
            replies = service.process(1, Event(kind=kind, id=f"b{next(ids)}", now=now, text=text, message=message))
            spent = time.perf_counter() - started
            assert kind != "edit" or replies[0].text.startswith("Changed #"), replies[0].text
            return spent

        step("text", "1", "/portfolio")  # the first message books everything
        collector.settle()
        for message, case, day in zip(("2", "3"), CASES, (last, middle), strict=True):
            step("text", message, f"/buy 1 {symbol} {price} {day.isoformat()}")
            for n in range(ROUNDS[name]):
                timings[case].append(step("edit", message, f"/buy 1 {symbol} {price + 1 + n % 2} {day.isoformat()}"))
    return {
        "name": name,
        "trades": len(trades),
        **{f"{c} p50": statistics.median(v) for c, v in timings.items()},
        **{f"{c} p99": percentile(v, 0.99) for c, v in timings.items()},
    }


def main() -> None:
    if sys.argv[1:2] == ["one"]:
        print(json.dumps(one(sys.argv[2])))
        return
    print("an edited one-line purchase, ms: p50 / p99 (chat service + SQLite; machine shared with other work)")
    print(f"{'history':<9}{'trades':>8}" + "".join(f"{c:>20}" for c in CASES))
    for name in ROUNDS:
        run = subprocess.run(
            [sys.executable, "-m", "bench.bench_edits", "one", name], capture_output=True, text=True, check=True
        )
        row = json.loads(run.stdout.strip().splitlines()[-1])
        cells = "".join(f"{row[f'{c} p50'] * 1000:>11.1f} /{row[f'{c} p99'] * 1000:>7.1f}" for c in CASES)
        print(f"{name:<9}{row['trades']:>8,}{cells}")


if __name__ == "__main__":
    main()
