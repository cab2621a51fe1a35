"""Editing a sent message, end to end: Telegram's `edited_message` update through python-telegram-bot's
real Application and long polling, against the local Bot API emulator (tests/emulator.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from tests.emulator import Emulator
from tests.test_telegram_e2e import feed, make_app


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[tuple[Application, Emulator]]:
    """The bot, its updates fed straight to the Application, and the emulator it talks to."""
    emulator = Emulator()
    async with make_app(emulator, tmp_path / "cgt.db") as application:
        yield application, emulator


async def test_an_edited_price_changes_the_trade(bot: tuple[Application, Emulator]) -> None:
    app, emulator = bot
    sent = emulator.text_update(5, "/buy 10 AAPL 15 2026-03-02")
    await feed(app, sent)
    await feed(app, emulator.text_update(5, "/sell 10 AAPL 200 2026-06-01"))
    await feed(app, emulator.edit_update(sent, "/buy 10 AAPL 150 2026-03-02"))
    changed = emulator.texts(5)[-1]
    assert changed.startswith("Changed #1: price $15.00 → $150.00.")
    assert "#2, sold 10 AAPL on Jun 1, 2026: now a $500.00 short-term gain, was a $1,850.00 short-term gain." in changed
    await feed(app, emulator.text_update(5, "/trades"))
    listed = emulator.texts(5)[-1]
    assert "#1 buy 10 AAPL at $150.00 on Mar 2, 2026" in listed and "#3" not in listed


async def test_the_same_edit_delivered_twice_is_applied_once(bot: tuple[Application, Emulator]) -> None:
    app, emulator = bot
    sent = emulator.text_update(6, "/buy 10 AAPL 15 2026-03-02")
    await feed(app, sent)
    edit = emulator.edit_update(sent, "/buy 10 AAPL 150 2026-03-02", update_id=9100)
    await feed(app, edit)
    await feed(app, edit)
    first, again = emulator.texts(6)[-2:]
    assert first == again and first.startswith("Changed #1")  # the kept answer, nothing applied twice
    await feed(app, emulator.text_update(6, "/trades"))
    assert emulator.texts(6)[-1].count("AAPL") == 1


async def test_one_chat_s_edit_never_reaches_another_s_trade(bot: tuple[Application, Emulator]) -> None:
    """Both users' first message is message 1 (ids count per chat)."""
    app, emulator = bot
    ann = emulator.text_update(7, "/buy 10 AAPL 15 2026-03-02")
    bob = emulator.text_update(8, "/buy 3 MSFT 300 2026-03-02")
    assert ann["message"]["message_id"] == bob["message"]["message_id"] == 1
    await feed(app, ann)
    await feed(app, bob)
    await feed(app, emulator.edit_update(bob, "/buy 3 MSFT 310 2026-03-02"))
    assert emulator.texts(8)[-1].startswith("Changed #1: price $300.00 → $310.00.")
    await feed(app, emulator.text_update(7, "/trades"))
    assert "#1 buy 10 AAPL at $15.00" in emulator.texts(7)[-1]
    assert all("MSFT" not in text for text in emulator.texts(7))


async def test_an_edit_arrives_through_long_polling(tmp_path: Path) -> None:
    """In production the edit comes from getUpdates (allowed_updates lists edited_message), through the
    polling inbox: the same path as a new message."""
    emulator = Emulator()
    application = make_app(emulator, tmp_path / "cgt.db")
    sent = emulator.text_update(9, "/buy 10 AAPL 15 2026-03-02")
    emulator.queue(sent)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.01, timeout=0)
        for _ in range(300):
            if emulator.texts(9):
                break
            await asyncio.sleep(0.01)
        emulator.queue(emulator.edit_update(sent, "/buy 10 AAPL 150 2026-03-02"))
        for _ in range(300):
            if len(emulator.texts(9)) > 1:
                break
            await asyncio.sleep(0.01)
        await application.updater.stop()
        await application.stop()
    assert emulator.texts(9)[-1].startswith("Changed #1: price $15.00 → $150.00.")


async def test_an_edited_file_gets_a_way_to_change_imports(bot: tuple[Application, Emulator]) -> None:
    app, emulator = bot
    sent = emulator.document_update(10, "schwab.csv", b"Date,Action\n")
    edited = {**sent["message"], "caption": "my 2025 trades", "edit_date": sent["message"]["date"] + 60}
    await feed(app, {"update_id": 9200, "edited_message": edited})
    assert "Edits change trades typed on one line, not files" in emulator.texts(10)[-1]


async def test_an_edit_read_with_a_guess_changes_the_trade_on_save(bot: tuple[Application, Emulator]) -> None:
    app, emulator = bot
    sent = emulator.text_update(11, "/buy 10 AAPL 15 2026-03-02")
    await feed(app, sent)
    await feed(app, emulator.edit_update(sent, "bought 10 shares of Apple at 150 on 2026-03-02"))
    assert "I now read it as:" in emulator.texts(11)[-1]
    save = next(b for row in emulator.buttons(11) for b in row if b["text"] == "Save")
    await feed(app, emulator.button_update(11, save["callback_data"]))
    assert emulator.texts(11)[-1].startswith("Changed #1: price $15.00 → $150.00.")
    await feed(app, emulator.button_update(11, save["callback_data"]))  # tapped again: nothing more
    await feed(app, emulator.text_update(11, "/trades"))
    assert "#1 buy 10 AAPL at $150.00" in emulator.texts(11)[-1] and "#2" not in emulator.texts(11)[-1]
