"""Steady mixed load through the Telegram adapter with one 100,000-trade user active among the others.

The bot runs as built for production (PTB Application, PerUserOrder, light users' steps in threads,
the heavy user's in a child process: bot/steps.py; SQLite), on the local Bot API emulator. Light users (small histories) send /help, a purchase, /portfolio
and /gains at a steady rate (open loop: each update is due at its time whatever happened
before); meanwhile the heavy user (bench_realize's wash-heavy 100,000 trades, booked once
before the clock starts, through the adapter, so where its later steps run) sends add, /gains,
/whatif and /portfolio one after another. Reported: the light updates' latency from when each was
due to when its reply was sent, and the longest collector pause in the bot's process (the one light
users' steps and the event loop share). Target: p99 <= 100 ms at 50 updates/s with the heavy user
active. `python -m bench.bench_load 50` runs one rate.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application

from bench.bench_realize import GcWatch
from bench.bench_telegram import CountingEmulator, request
from bench.histories import state_of, wash
from bot.service import ChatService
from bot.settings import Settings
from bot.steps import Steps
from bot.storage import open_store
from bot.telegram import build_application
from calc import Trade
from conversations.state import UserState
from tests.emulator import TOKEN

LIGHT_USERS = 300
HEAVY = 1_000_000
RATES = (25, 50, 100)
SECONDS = 15
LIGHT = ["/help", "/buy 1 ABC 20 2025-06-10", "/portfolio", "/gains 2025"]


def light_state(user: int) -> UserState:
    start = date(2023, 1, 3)
    trades = [
        Trade(
            date=start + timedelta(days=17 * i),
            symbol=("ABC", "XYZ", "QQQ")[i % 3],
            side="buy",
            quantity=Decimal(10),
            price=Decimal(20 + (user + i) % 13),
            id=f"T{i + 1}",
        )
        for i in range(20)
    ]
    return state_of(trades)


async def through(app: Application, payload: dict[str, object]) -> None:
    """As the polling loop hands an update over: through PerUserOrder, then the handlers."""
    update = Update.de_json(payload, app.bot)
    await app.update_processor.process_update(update, app.process_update(update))


async def heavy_user(app: Application, emulator: CountingEmulator, stop: asyncio.Event, took: list[float]) -> None:
    texts = itertools.cycle(["/buy 1 S07 100 2025-12-30", "/gains 2025", "/whatif sell 5 S07 100", "/portfolio"])
    while not stop.is_set():
        started = time.perf_counter()
        await through(app, emulator.text_update(HEAVY, next(texts)))
        took.append(time.perf_counter() - started)


async def load(app: Application, emulator: CountingEmulator, rate: int) -> tuple[list[float], list[float]]:
    rng = random.Random(rate)
    stop = asyncio.Event()
    heavy_took: list[float] = []
    heavy = asyncio.ensure_future(heavy_user(app, emulator, stop, heavy_took))
    latencies: list[float] = []

    async def one(due: float, user: int, text: str) -> None:
        await through(app, emulator.text_update(user, text))
        latencies.append(time.perf_counter() - due)

    tasks = []
    start = time.perf_counter() + 0.1
    for i in range(rate * SECONDS):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.ensure_future(one(due, rng.randint(1, LIGHT_USERS), rng.choice(LIGHT))))
    await asyncio.gather(*tasks)
    stop.set()
    await heavy
    return latencies, heavy_took


async def run(db: str, rates: tuple[int, ...]) -> list[str]:
    emulator = CountingEmulator()
    settings = Settings(TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=db)
    app = build_application(
        settings, ChatService(db), rate_limit=False, request=request(emulator), get_updates_request=request(emulator)
    )
    lines = []
    steps: Steps = app.bot_data["steps"]
    async with app:
        await app.post_init(app)  # type: ignore[misc]
        started = time.perf_counter()
        await through(app, emulator.text_update(HEAVY, "/gains 2025"))  # the heavy user's ledger booked once
        lines.append(f"heavy user's first message (books 100,000 trades): {time.perf_counter() - started:.1f} s")
        where = steps.children.call(HEAVY, os.getpid) if steps.children else os.getpid()
        lines.append(f"the heavy user's steps run in process {where}, the bot's is {os.getpid()}")
        for rate in rates:
            with GcWatch() as watch:
                latencies, heavy = await load(app, emulator, rate)
            p50, p99 = statistics.median(latencies), sorted(latencies)[int(len(latencies) * 0.99)]
            lines.append(
                f"{rate:>4} updates/s: light p50 {p50 * 1000:6.1f} ms, p99 {p99 * 1000:7.1f} ms, max "
                f"{max(latencies) * 1000:7.1f} ms; heavy user {len(heavy)} messages, median "
                f"{statistics.median(heavy):.2f} s; longest collector pause {watch.longest * 1000:.1f} ms"
            )
        await app.post_shutdown(app)  # type: ignore[misc]  # the step threads and processes
    return lines


def main() -> None:
    rates = tuple(int(rate) for rate in sys.argv[1:]) or RATES
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        store = open_store(db)
        store.save(HEAVY, UserState(), state_of(wash()), None)
        for user in range(1, LIGHT_USERS + 1):
            store.save(user, UserState(), light_state(user), None)
        print(f"{LIGHT_USERS} light users (20 trades each) and one with 100,000 trades; {SECONDS} s per rate")
        for line in asyncio.run(run(db, rates)):
            print(line)
        print("latency: from when an update was due to when its reply was sent (machine shared with other work)")


if __name__ == "__main__":
    main()
