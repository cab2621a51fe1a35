"""What one user can ask: trades per person, messages per second, and a flood that leaves others alone."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest
from telegram import Update

from bot.flood import BURST, TOO_FAST, FloodGate
from bot.telegram import PerUserOrder
from conversations import router
from conversations.events import Event, FileIn
from tests.chat import NOW, Chat
from tests.emulator import Emulator

_ids = itertools.count()


def test_trades_per_user_are_capped_on_every_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(router, "MAX_TRADES_PER_USER", 3)
    chat = Chat(tmp_path / "cgt.db")
    for day in (10, 11, 12):
        assert "Saved" in chat.send(f"/buy 1 XYZ 20 2024-01-{day}")
    reply = chat.send("/buy 1 XYZ 20 2024-01-13")
    assert "I keep up to 3 per person" in reply and "Nothing was saved" in reply
    rows = "\n".join(f"2024-02-{d},buy,ABC,1,20" for d in range(10, 15))
    event = Event(
        kind="file",
        id="f1",
        now=NOW,
        file=FileIn(name="a.csv", content=f"date,side,symbol,quantity,price\n{rows}\n".encode()),
    )
    chat.last = chat.service.process(1, event)
    chat.tap("Add")
    assert "That would make 8 trades" in chat.last[0].text
    assert len(chat.service.state(1).trades) == 3
    assert "Deleted" in chat.send("/delete 3") or chat.last[0].buttons  # fewer is always fine
    assert "went wrong" not in chat.send("/trades")


def test_the_flood_gate_admits_a_burst_then_one_a_second_and_warns_once() -> None:
    gate = FloodGate()
    answers = [gate.admit(7, now=100.0) for _ in range(BURST + 50)]
    assert [a for a, _ in answers].count(True) == BURST
    assert [w for _, w in answers].count(True) == 1  # one warning for the whole flood
    assert gate.admit(8, now=100.0) == (True, False)  # another user is untouched
    assert gate.admit(7, now=101.0) == (True, False)  # a second later: room for one more
    assert gate.admit(7, now=101.0) == (False, True)  # and a new flood gets a new warning


def _update(emulator: Emulator, user: int, text: str) -> Update:
    return Update.de_json(emulator.text_update(user, text), None)


async def test_a_user_waiting_for_their_turn_holds_no_slot() -> None:
    # Two slots. User 1's first step is slow and ten more of theirs wait; user 2 must not wait
    # behind them (before: each waiting update held a slot, so user 2 waited for the whole queue).
    emulator = Emulator()
    processor = PerUserOrder(max_concurrent_updates=2)
    release = asyncio.Event()
    done: list[str] = []

    async def step(name: str, wait: bool = False) -> None:
        if wait:
            await release.wait()
        done.append(name)

    tasks = [asyncio.create_task(processor.process_update(_update(emulator, 1, "/x"), step("a0", wait=True)))]
    tasks += [
        asyncio.create_task(processor.process_update(_update(emulator, 1, "/x"), step(f"a{i}"))) for i in range(1, 11)
    ]
    tasks.append(asyncio.create_task(processor.process_update(_update(emulator, 2, "/x"), step("b"))))
    for _ in range(50):
        await asyncio.sleep(0)
    assert done == ["b"]  # user 2 answered while user 1's first step still runs
    release.set()
    await asyncio.gather(*tasks)
    assert done == ["b", *(f"a{i}" for i in range(11))]  # user 1's in their order
    assert not processor._turns  # nothing kept per user afterwards


async def test_a_flood_through_telegram_is_answered_in_part_with_one_warning(tmp_path: Path) -> None:
    from tests.test_telegram_e2e import make_app

    emulator = Emulator()
    app = make_app(emulator, tmp_path / "cgt.db", rate_limit=False)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=10)
        try:
            emulator.queue(*[emulator.text_update(40, "/help") for _ in range(300)], emulator.text_update(41, "/help"))
            for _ in range(1000):
                if emulator.texts(41) and TOO_FAST in emulator.texts(40):
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.2)
        finally:
            await app.updater.stop()
            await app.stop()
    flood = emulator.texts(40)
    assert flood.count(TOO_FAST) == 1
    assert len(flood) - 1 <= BURST + 2  # the burst (and what refilled meanwhile), not 300 answers
    assert emulator.texts(41)  # the other user was answered


async def test_the_flood_gate_holds_in_webhook_mode_too(tmp_path: Path) -> None:
    from bot.webhook import InboxWorker
    from tests.test_telegram_e2e import make_app

    emulator = Emulator()
    app = make_app(emulator, tmp_path / "cgt.db", rate_limit=False)
    async with app:
        worker = InboxWorker(app, app.bot_data["service"].store)
        for _ in range(BURST + 30):
            await worker.receive(emulator.text_update(42, "/help"))
        await worker.receive(emulator.text_update(43, "/help"))
        await worker.finish(timeout=30)
    flood = emulator.texts(42)
    assert flood.count(TOO_FAST) == 1 and len(flood) - 1 <= BURST + 1
    assert emulator.texts(43)  # another user is answered
