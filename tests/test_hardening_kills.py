"""SIGKILL at each point of an import and of a reply: the bot as it runs (`cgt-bot telegram`, long polling)
against the Bot API emulator on a socket, killed while one of its calls hangs, then started again.

Telegram forgets an update once the next getUpdates asks past it, and python-telegram-bot asks as soon
as it has queued a batch: before, an update fetched but not handled was lost (nothing saved, nothing
answered), and one saved but not answered was answered with nothing when it came again, so the user
sent the trade twice. Now each is recorded before it is confirmed and kept with its answer.
Each runs on SQLite and on PostgreSQL (the db_target fixture).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.service import ChatService
from tests.emulator import TOKEN, Emulator, serve_http

ROOT = Path(__file__).resolve().parent.parent
USER = 70
CSV = b"date,side,symbol,quantity,price\n2024-01-10,buy,ABC,5,20\n2024-02-10,buy,XYZ,3,30\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Bot:
    def __init__(self, db: str, api_port: int, log: Path) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": f"http://127.0.0.1:{api_port}",
            "CGT_DB": str(db),
        }
        env.pop("CGT_WEBHOOK_URL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "telegram"], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
        )

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


async def until(check: Callable[[], Any], what: str, timeout: float = 30) -> None:
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def answered(emulator: Emulator, text: str) -> int:
    return sum(text in t for t in emulator.texts(USER))


@pytest.fixture
async def world(tmp_path: Path, db_target: str) -> Any:  # async: the server runs on the test's event loop
    emulator = Emulator()
    port = free_port()
    server = serve_http(emulator, port)
    yield emulator, port, db_target, tmp_path / "bot.log"
    emulator.release()
    server.stop()


async def kill_while(emulator: Emulator, port: int, db: str, log: Path, method: str, after: int, *updates: Any) -> None:
    """Start the bot, queue the updates, kill it once `method` has been answered `after` times and hangs."""
    emulator.answer_first[method] = after
    bot = Bot(db, port, log)
    try:
        await until(lambda: emulator.waiting_polls > 0, "the bot to poll")
        emulator.queue(*updates)
        confirmed = updates[-1]["update_id"] + 1
        # Killed only once Telegram has forgotten the updates (the next getUpdates asked past them).
        await until(
            lambda: (
                any(offset >= confirmed for offset in emulator.offsets_asked) and emulator.answer_first.get(method) == 0
            ),
            f"{method} to hang",
        )
        await asyncio.sleep(0.3)  # the hanging call is in flight
    finally:
        bot.kill()
    assert not emulator.updates  # confirmed: Telegram will not send them again
    emulator.release()


async def restart(emulator: Emulator, port: int, db: str, log: Path, done: Callable[[], bool]) -> None:
    bot = Bot(db, port, log)
    try:
        await until(done, "the restarted bot to answer")
    finally:
        bot.stop()


async def test_killed_while_fetching_the_imported_file(world: Any) -> None:
    emulator, port, db, log = world
    upload = emulator.document_update(USER, "trades.csv", CSV)
    await kill_while(emulator, port, db, log, "getFile", 0, upload)  # fetched, not yet handled
    await restart(emulator, port, db, log, lambda: answered(emulator, "That looks like") == 1)
    assert ChatService(db).state(USER).trades == ()  # a preview: nothing saved before Add


async def test_killed_after_add_while_the_answer_is_in_flight(world: Any) -> None:
    emulator, port, db, log = world
    first = Bot(db, port, log)
    try:
        await until(lambda: emulator.waiting_polls > 0, "the bot to poll")
        emulator.queue(emulator.document_update(USER, "trades.csv", CSV))
        await until(lambda: answered(emulator, "That looks like") == 1, "the preview")
    finally:
        first.stop()
    tapped = next(b["callback_data"] for row in emulator.buttons(USER) for b in row if b["text"].startswith("Add"))
    add = emulator.button_update(USER, tapped)
    # Saved, then killed while the answer hangs.
    await kill_while(emulator, port, db, log, "sendMessage", 0, add)
    assert len(ChatService(db).state(USER).trades) == 2
    await restart(emulator, port, db, log, lambda: answered(emulator, "Added 2 trades") == 1)
    assert len(ChatService(db).state(USER).trades) == 2  # added once


async def test_killed_mid_reply_in_a_burst_of_trades(world: Any) -> None:
    emulator, port, db, log = world
    buys = [emulator.text_update(USER, f"/buy {i + 1} ABC 20 2024-01-{1 + i:02d}") for i in range(12)]
    await kill_while(emulator, port, db, log, "sendMessage", 5, *buys)  # five answered, the sixth hangs
    saved = len(ChatService(db).state(USER).trades)
    assert 6 <= saved <= 12
    await restart(emulator, port, db, log, lambda: answered(emulator, "Saved #") >= 12)
    trades = ChatService(db).state(USER).trades
    assert [t.quantity for t in trades] == list(range(1, 13))  # each once, in the order sent
    for number in range(1, 13):
        assert answered(emulator, f"Saved #{number}:") == 1  # each answered once, none twice


async def test_an_update_telegram_sends_again_is_queued_once(tmp_path: Path) -> None:
    from telegram import Update

    from bot.polling import RecordingQueue

    emulator = Emulator()
    store = ChatService(tmp_path / "cgt.db").store
    queue = RecordingQueue(store)
    update = Update.de_json(emulator.text_update(USER, "/help"), None)
    await queue.put(update)
    await queue.put(update)  # sent again before it was handled: once in the queue
    assert queue.qsize() == 1 and [u for u, _ in store.pending(USER)] == [update.update_id]
    queue.done(await queue.get())
    assert store.pending(USER) == []
