"""German and British users end to end: python-telegram-bot's real Application against the Bot API
emulator, each user's messages carrying their Telegram language_code (de, en-GB). Their numbers and
dates are read their way, and the replies write numbers and dates their way."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.service import ChatService
from tests.emulator import Emulator
from tests.test_telegram_e2e import feed, running

GERMAN, BRITISH = 21, 22


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(languages={GERMAN: "de", BRITISH: "en-GB"})


@pytest.fixture
async def app(emulator: Emulator, tmp_path: Path) -> AsyncIterator[Application]:
    async with running(emulator, tmp_path / "cgt.db") as application:
        yield application


async def say(app: Application, emulator: Emulator, user: int, text: str) -> str:
    await feed(app, emulator.text_update(user, text))
    return emulator.texts(user)[-1]


async def tap(app: Application, emulator: Emulator, user: int, label: str) -> str:
    buttons = [b for row in emulator.buttons(user) for b in row]
    data = next(b["callback_data"] for b in buttons if b["text"].startswith(label))
    await feed(app, emulator.button_update(user, data))
    return emulator.texts(user)[-1]


async def onboard(app: Application, emulator: Emulator, user: int, income: str) -> str:
    await say(app, emulator, user, "/start")
    await tap(app, emulator, user, "2026")
    prompt = await tap(app, emulator, user, "Single")
    await say(app, emulator, user, income)
    await tap(app, emulator, user, "None")
    await tap(app, emulator, user, "Keep")
    return prompt


async def test_a_german_user_through_telegram(app: Application, emulator: Emulator, tmp_path: Path) -> None:
    prompt = await onboard(app, emulator, GERMAN, "85.000")  # the German way of writing 85,000
    assert "like 85.000" in prompt
    state = ChatService(tmp_path / "cgt.db").state(GERMAN)
    assert str(state.profile.years.given(2026).wages) == "85000"
    # A comma decimal price and a German date, saved at once, answered in German numbers and dates.
    saved = await say(app, emulator, GERMAN, "bought 10 SAP at 120,50 on 10.11.2026")
    assert "Saved #1: bought 10 SAP at 120,50\xa0$ on 10.11.2026" in saved
    # Income told in words: shown in German numbers, stored only on Save.
    shown = await say(app, emulator, GERMAN, "mein Gehalt ist 92.000")
    assert "Wages for 2026: 92.000,00\xa0$ — save it?" in shown
    assert "Saved: wages for 2026, 92.000,00\xa0$." in await tap(app, emulator, GERMAN, "Save")
    # "85,000" reads two ways for a German: asked with both readings, never stored as 85.
    asked = await say(app, emulator, GERMAN, "/income 2025 wages 85,000")
    assert "did you mean 85.000,00\xa0$ or 85,00\xa0$?" in asked
    await tap(app, emulator, GERMAN, "85.000,00")
    state = ChatService(tmp_path / "cgt.db").state(GERMAN)
    assert [str(state.profile.years.given(y).wages) for y in (2025, 2026)] == ["85000", "92000"]
    portfolio = await say(app, emulator, GERMAN, "/portfolio")
    assert "10.11.2026" in portfolio and "1.205,00\xa0$" in portfolio  # 10 x 120,50 in German


async def test_a_british_user_through_telegram(app: Application, emulator: Emulator, tmp_path: Path) -> None:
    await onboard(app, emulator, BRITISH, "85000")
    saved = await say(app, emulator, BRITISH, "bought 10 AAPL at 150.25 on 3/11")  # 3 November, day first
    assert "Saved #1: bought 10 AAPL at US$150.25 on 3 Nov 2026" in saved
    state = ChatService(tmp_path / "cgt.db").state(BRITISH)
    assert state.trades[0].date.isoformat() == "2026-11-03"
    shown = await say(app, emulator, BRITISH, "I earn 60k a year")
    assert "Wages for 2026: US$60,000.00 — save it?" in shown
    await tap(app, emulator, BRITISH, "Save")
    assert str(ChatService(tmp_path / "cgt.db").state(BRITISH).profile.years.given(2026).wages) == "60000"
    portfolio = await say(app, emulator, BRITISH, "/portfolio")
    assert "3 Nov 2026" in portfolio and "US$1,502.50" in portfolio
