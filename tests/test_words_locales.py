"""German and British users through the whole conversation: their numbers and dates, read their way,
and asked about when they can be read two ways."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.chat import Chat


def test_a_german_income_of_85_000_is_asked_not_stored_as_85(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", locale="de")
    chat.send("/start")
    chat.tap("2026")
    prompt = chat.tap("Single")
    assert "like 85.000" in prompt  # the example is written the German way
    asked = chat.send("85,000")
    assert "Did you mean" in asked and "85.000,00" in asked and "85,00" in asked
    chat.tap("85.000,00")
    chat.tap("None")
    chat.tap("Keep")
    assert chat.service.state(1).profile.years.given(2026).wages == Decimal(85000)


def test_a_german_trade_in_words(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", locale="de")
    chat.onboard(income="85000")
    saved = chat.send("bought 10 SAP at 120,50 on 10.11.2026")
    assert "Saved" in saved and "120,50" in saved
    asked = chat.send("bought 1,500 AAPL at 150 yesterday")
    assert "save it?" in asked and "1,5 AAPL" in asked  # one and a half, as German reads it: shown, not saved
    assert len(chat.service.state(1).trades) == 1


def test_a_british_date_is_day_first(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", locale="en-GB")
    chat.onboard()
    assert "3 Nov 2026" in chat.send("bought 10 AAPL at 150 on 3/11")
