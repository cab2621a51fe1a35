"""What one user can cost everyone else.

- /harvest's planner over one position of 20,000 lots (the attack in issue 20 took 170 s):
  lots spread over 600 days, every lot chosen (a $1M gain to offset), every lot bought in the
  wash-sale window.
- Another user's reply time while one user asks for the heaviest answers or floods: the full
  stack (PTB long polling, conversations, SQLite) against the Bot API emulator. User A holds 20,000
  lots and sends /harvest, /form8949 and /whatif; user C sends 1,000 messages at once; user B's
  /help is queued just after, and the clock runs from B's update being queued to B's reply.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

from bench.bench_telegram import full_stack
from bot.service import ChatService
from calc.models import Trade
from calc.planner import harvest
from calc.years import Years
from conversations.state import Profile, UserState
from tests.emulator import Emulator

LOTS = 20_000
WHEN = date(2025, 11, 23)


def position(n: int, start: date, days: int, prefix: str = "T") -> list[Trade]:
    trades = [
        Trade(
            date=start + timedelta(days=i % days),
            symbol="XYZ",
            side="buy",
            quantity=Decimal(1),
            price=Decimal(20),
            id=f"{prefix}{i + 1}",
        )
        for i in range(n)
    ]
    return sorted(trades, key=lambda t: t.date)


def planner() -> list[tuple[str, float]]:
    spread = position(LOTS, date(2024, 1, 1), 600)
    gain = [
        Trade(date=date(2025, 1, 2), symbol="BIG", side="buy", quantity=Decimal(1), price=Decimal(1), id="B1"),
        Trade(date=date(2025, 2, 3), symbol="BIG", side="sell", quantity=Decimal(1), price=Decimal(10**6), id="B2"),
    ]
    recent = position(LOTS, WHEN - timedelta(days=29), 30, prefix="R")
    rows = []
    for name, trades in (
        ("spread over 600 days, 200 lots chosen", spread),
        ("every lot chosen (a $1M gain to offset)", gain + spread),
        ("every lot bought in the wash-sale window", recent),
    ):
        start = time.perf_counter()
        harvest(trades, {"XYZ": Decimal(5)}, WHEN, Years.one(2025))
        rows.append((name, time.perf_counter() - start))
    return rows


@dataclass
class TimingEmulator(Emulator):
    queued_at: dict[int, float] = field(default_factory=dict)
    answered_at: dict[int, float] = field(default_factory=dict)

    def handle(self, request: httpx.Request) -> httpx.Response:
        response = super().handle(request)
        if request.url.path.endswith(("/sendMessage", "/sendDocument")):
            chat = int(self.calls[-1].params["chat_id"])
            self.answered_at.setdefault(chat, time.perf_counter())
        return response


RUNS = itertools.count(1)
HOLDER, SELLER, B, C = 1, 4, 2, 3  # HOLDER: 20,000 open lots; SELLER: sold 19,999 lots in 2025


async def other_users_wait(db: Path, heavy: int, asks: list[str], flood: int) -> float:
    # Fresh update ids each run: the database remembers the ones it processed.
    emulator = TimingEmulator(_update_ids=itertools.count(next(RUNS) * 1_000_000))
    app = full_stack(emulator, db)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=10)
        try:
            await asyncio.sleep(0.05)
            # All at once, the other user's first: the emulator runs in this event loop, so a step
            # that blocks the loop would also hold back a later queue() call and hide the wait.
            emulator.queued_at[B] = time.perf_counter()
            emulator.queue(
                *[emulator.text_update(heavy, text) for text in asks],
                *[emulator.text_update(C, "/help") for _ in range(flood)],
                emulator.text_update(B, "/help"),
            )
            for _ in range(120_000):
                if B in emulator.answered_at and (not asks or heavy in emulator.answered_at):
                    break
                await asyncio.sleep(0.001)
            await asyncio.sleep(0.05)
        finally:
            await app.updater.stop()
            await app.stop()
    return emulator.answered_at[B] - emulator.queued_at[B]


def seed(db: Path) -> None:
    service = ChatService(db)
    profile = Profile(onboarded=True, tax_year=2025)
    held = tuple(position(LOTS, date(2024, 1, 1), 600))
    service.store.save(HOLDER, UserState(), UserState(profile=profile, trades=held, prices={"XYZ": Decimal(5)}), None)
    sale = Trade(
        date=date(2025, 9, 2), symbol="XYZ", side="sell", quantity=Decimal(LOTS - 1), price=Decimal(25), id="S1"
    )
    service.store.save(SELLER, UserState(), UserState(profile=profile, trades=(*held, sale)), None)


def main() -> None:
    print("## /harvest planner, one position of 20,000 lots\n")
    print("| case | seconds |\n|---|---|")
    for name, seconds in planner():
        print(f"| {name} | {seconds:.2f} |")
    print("\n## Another user's /help while one user asks for heavy answers or floods (full stack)\n")
    print("| what the other user does | this user's /help answered in (s), 2 runs |\n|---|---|")
    cases = [
        ("nothing (baseline)", HOLDER, [], 0),
        ("/harvest over 20,000 lots", HOLDER, ["/harvest"], 0),
        ("/whatif selling 19,999 of 20,000 lots", HOLDER, ["/whatif sell 19999 XYZ 30"], 0),
        ("/form8949 2025 with 19,999 rows", SELLER, ["/form8949 2025"], 0),
        ("1,000 messages at once", HOLDER, [], 1000),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        seed(db)
        for name, heavy, asks, flood in cases:
            waits = [asyncio.run(other_users_wait(db, heavy, asks, flood)) for _ in range(2)]
            print(f"| {name} | {min(waits):.3f}–{max(waits):.3f} |")


if __name__ == "__main__":
    main()
