"""Start-up with 10,000 stored users: from opening the database to the bot ready to answer.

Each user has a few purchases with prices, so each has reminders due. Start-up used to book every user
to plan reminders (issue 18: 13-16 s for 1,000 users with 1,000 lots each); now reminders are rows kept
with each change, start-up plans nobody, and the background sweep plans a few hundred users a minute.
Timed: ChatService(db) (migrations included) plus the Telegram start-up hook against the local emulator,
in a fresh process per run so no cache flatters it; the sweep's rate is reported separately.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from calc import Trade
from conversations.state import Profile, UserState

USERS = 10_000


def populate(db: Path) -> None:
    from bot.service import ChatService

    rng = random.Random(7)
    service = ChatService(db)
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    for user in range(1, USERS + 1):
        trades = tuple(
            Trade(
                date=date(2025, 6, 1) + timedelta(days=rng.randint(0, 500)),
                symbol=f"S{rng.randint(0, 30)}",
                side="buy",
                quantity=Decimal(rng.randint(1, 50)),
                price=Decimal(rng.randint(10, 300)),
                id=f"T{i + 1}",
            )
            for i in range(rng.randint(1, 8))
        )
        state = UserState(
            profile=Profile(onboarded=True, tax_year=2026),
            trades=trades,
            prices={t.symbol: Decimal(rng.randint(5, 400)) for t in trades},
            next_trade_number=len(trades) + 1,
        )
        service.store.save(user, UserState(), state, None)
        if user <= 1000:
            service.replan(user, now)  # some planned, as a running bot's would be


START = """
import asyncio, sys, time
t0 = time.perf_counter()
from pydantic import SecretStr
from telegram.request import HTTPXRequest
from bot.service import ChatService
from bot.settings import Settings
from bot.telegram import start_up, build_application
from tests.emulator import TOKEN, Emulator
t1 = time.perf_counter()
service = ChatService(sys.argv[1])
app = build_application(
    Settings(TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=sys.argv[1]),
    service,
    request=HTTPXRequest(httpx_kwargs={"transport": Emulator().transport()}),
)
async def main():
    async with app:
        await start_up(app)
asyncio.run(main())
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f}")
"""


def main() -> None:
    from bot.reminders import sweep
    from bot.service import ChatService

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "startup.db"
        began = time.perf_counter()
        populate(db)
        made = time.perf_counter() - began
        imports, ready = [], []
        for _ in range(5):
            out = subprocess.run(
                [sys.executable, "-c", START, str(db)], capture_output=True, text=True, check=True
            ).stdout.split()
            imports.append(float(out[0]))
            ready.append(float(out[1]))
        service = ChatService(db)
        began = time.perf_counter()
        planned = sweep(service, datetime(2026, 11, 30, 12, tzinfo=UTC), limit=1000)
        swept = time.perf_counter() - began
    print(f"{'stored users':<44}{USERS:>10,}  (made in {made:.0f} s)")
    print(f"{'start-up: open, migrate, start hook (median)':<44}{statistics.median(ready):>10.3f} s")
    print(f"{'start-up: range of 5 runs':<44}{min(ready):>6.3f}-{max(ready):.3f} s")
    print(f"{'imports before it (median)':<44}{statistics.median(imports):>10.3f} s")
    print(f"{'sweep: users planned per second':<44}{planned / swept:>10,.0f}")


if __name__ == "__main__":
    main()
