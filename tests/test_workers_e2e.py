"""Two bot processes in webhook mode on one database (PostgreSQL, and SQLite on one host), behind
the Bot API emulator delivering each user's updates to both, alternately and at once.

Checked as Telegram users would see it: every trade recorded once, each user's trades in the order
they were sent and answered in that order, an update delivered to both workers applied once, each
due reminder sent once, /healthz and /metrics answering, and SIGTERM stopping both cleanly.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from bot.service import ChatService
from calc.models import Trade
from conversations.state import Profile, UserState
from tests.emulator import TOKEN, Emulator, serve_http

SECRET = "webhook-secret-for-tests"
USERS = range(1, 7)
MESSAGES = 8
ROOT = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_worker(db: str, api_port: int, port: int, log: Path, **settings: str) -> subprocess.Popen[bytes]:
    """A webhook worker in its own process; `settings` adds environment variables (CGT_RATE_LIMIT=...)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"http://127.0.0.1:{api_port}",
        "CGT_DB": db,
        "CGT_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "CGT_WEBHOOK_SECRET": SECRET,
        "CGT_LISTEN": "127.0.0.1",
        "CGT_PORT": str(port),
        "CGT_LOG_FORMAT": "json",
        **settings,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "telegram"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def wash_window_user(db: str, user_id: int) -> None:
    """A user whose wash-sale window ends today, at 10:00 in Tokyo: due whenever the test runs."""
    today = datetime.now(UTC).astimezone().date()
    sold = today - timedelta(days=31)
    trades = (
        Trade(
            date=sold - timedelta(days=60), symbol="WSH", side="buy", quantity=Decimal(10), price=Decimal(100), id="T1"
        ),
        Trade(date=sold, symbol="WSH", side="sell", quantity=Decimal(10), price=Decimal(50), id="T2"),
    )
    state = UserState(
        profile=Profile(onboarded=True, tax_year=today.year, timezone="Asia/Tokyo"),
        trades=trades,
        next_trade_number=3,
    )
    service = ChatService(db)
    service.store.save(user_id, UserState(), state, None)
    service.replan(user_id, datetime.combine(today, datetime.min.time(), tzinfo=UTC))
    assert any(key.startswith("wash_window:WSH") for key, _, _ in service.store.due_reminders(user_id))


async def wait_until(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def test_two_workers_keep_each_users_order_and_apply_every_update_once(db_target: str, tmp_path: Path) -> None:
    ChatService(db_target)  # migrated before the workers start, as a deploy step would
    wash_window_user(db_target, 100)
    emulator = Emulator()
    api_port = free_port()
    api = serve_http(emulator, api_port)
    ports = [free_port(), free_port()]
    workers = [start_worker(db_target, api_port, port, tmp_path / f"worker{i}.log") for i, port in enumerate(ports)]
    try:
        async with httpx.AsyncClient(timeout=10) as client:

            async def healthy(port: int) -> bool:
                try:
                    return (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
                except httpx.TransportError:
                    return False

            deadline = time.monotonic() + 60
            while not all([await healthy(p) for p in ports]):
                assert all(w.poll() is None for w in workers), (tmp_path / "worker0.log").read_text()
                assert time.monotonic() < deadline, "workers did not start"
                await asyncio.sleep(0.2)

            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            forged = await client.post(f"http://127.0.0.1:{ports[0]}/telegram", json={"update_id": 1}, headers={})
            assert forged.status_code == 403

            async def deliver(user: int) -> None:
                # Each user's updates in order, alternately to the two workers, without waiting for answers;
                # every third one is delivered to both (a retry that reached the other worker).
                for n in range(1, MESSAGES + 1):
                    update = emulator.text_update(user, f"/buy {n} U{user} {10 + n} 2024-01-{n:02d}")
                    targets = [ports[(n + user) % 2]] + ([ports[(n + user + 1) % 2]] if n % 3 == 0 else [])
                    for port in targets:
                        answer = await client.post(f"http://127.0.0.1:{port}/telegram", json=update, headers=headers)
                        assert answer.status_code == 200

            await asyncio.gather(*(deliver(user) for user in USERS))

            def saved(user: int) -> list[str]:
                return [t for t in emulator.texts(user) if t.startswith("Saved #")]

            await wait_until(lambda: all(len(saved(u)) >= MESSAGES for u in USERS), 120, "every purchase answered")
            await wait_until(lambda: any("buy WSH again" in t for t in emulator.texts(100)), 30, "the reminder")
            await asyncio.sleep(2.5)  # time for a doubled answer or reminder to show up, if there were one

            metrics = (await client.get(f"http://127.0.0.1:{ports[0]}/metrics")).text
            assert "cgt_updates_total" in metrics and "cgt_step_seconds_bucket" in metrics

        for user in USERS:
            # Answered in the order sent, once each: #1 for 1 share, #2 for 2, ...
            assert [t.split(":")[0] for t in saved(user)] == [f"Saved #{n}" for n in range(1, MESSAGES + 1)]
            trades = ChatService(db_target).state(user).trades
            assert [int(t.quantity) for t in trades] == list(range(1, MESSAGES + 1))
        assert len([t for t in emulator.texts(100) if "buy WSH again" in t]) == 1
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=30) for worker in workers]
        api.stop()
    assert codes == [0, 0], [(tmp_path / f"worker{i}.log").read_text()[-2000:] for i in range(2)]
    logs = "".join((tmp_path / f"worker{i}.log").read_text() for i in range(2))
    assert '"message": "update applied"' in logs
    assert TOKEN not in logs and '"user": 1,' not in logs  # no token; users by pseudonym only
