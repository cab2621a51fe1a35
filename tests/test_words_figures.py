"""Income, filing status and carryover told in words ("my salary is 95k", "we file jointly", "I carried
over 5,000 of losses from last year"): shown as read, saved only on Save, by the same actions as
/income, /filing and /carryover; in the user's locale."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from calc.years import Years
from tests.chat import Chat


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.onboard(income="85000")
    return c


def years(chat: Chat) -> Years:
    return chat.service.state(1).profile.years


@pytest.mark.parametrize(
    ("line", "shown", "year", "field", "amount"),
    [
        ("my salary is 95k", "Wages for 2026: $95,000.00 — save it?", 2026, "wages", 95000),
        ("I make about 120,000 a year", "Wages for 2026: $120,000.00 — save it?", 2026, "wages", 120000),
        ("my wife and I made 210k in 2025", "Wages for 2025: $210,000.00 — save it?", 2025, "wages", 210000),
        (
            "I had 1,800 of dividends in 2025",
            "Ordinary dividends for 2025: $1,800.00",
            2025,
            "ordinary_dividends",
            1800,
        ),
    ],
)
def test_income_in_words_is_shown_then_saved(
    chat: Chat, line: str, shown: str, year: int, field: str, amount: int
) -> None:
    before = years(chat)
    reply = chat.send(line)
    assert shown in reply
    assert [b.label for r in chat.last for row in r.buttons for b in row] == ["Save", "Change"]
    assert years(chat) == before  # nothing stored before the yes
    saved = chat.tap("Save")
    assert f"Saved: {field.replace('_', ' ')} for {year}" in saved
    assert getattr(years(chat).given(year), field) == Decimal(amount)


def test_a_year_left_out_is_said(chat: Chat) -> None:
    assert "You didn't say which year, so I put 2026" in chat.send("my salary is 95k")
    assert "didn't say which year" not in chat.send("my wife and I made 210k in 2025")


def labels(chat: Chat) -> list[str]:
    return [b.label for r in chat.last for row in r.buttons for b in row]


def data(chat: Chat, label: str) -> str:
    return next(b.data for r in chat.last for row in r.buttons for b in row if b.label == label)


def test_change_stores_nothing_and_shows_the_command(chat: Chat) -> None:
    chat.send("my salary is 95k")
    save = data(chat, "Save")
    reply = chat.tap("Change")
    assert "Nothing saved" in reply and "/income 2026 wages 95,000" in reply
    assert years(chat).given(2026).wages == Decimal(85000)
    assert "That question is closed" in chat.press(save)  # the question's Save died with it
    assert years(chat).given(2026).wages == Decimal(85000)


def test_a_typed_yes_saves_and_other_words_are_a_new_message(chat: Chat) -> None:
    chat.send("salary 99,000 for 2025")
    assert "Saved: wages for 2025" in chat.send("yes")
    chat.send("my salary is 101k")
    assert "Saved #1" in chat.send("/buy 1 AAPL 150 2026-01-05")  # a command leaves the question
    assert years(chat).given(2026).wages == Decimal(85000)


@pytest.mark.parametrize(
    ("line", "shown", "status"),
    [
        ("we file jointly", "Filing status for 2026: married filing jointly — save it?", "mfj"),
        ("I'm married filing separately", "married filing separately — save it?", "mfs"),
        ("filing as head of household for 2025", "Filing status for 2025: head of household", "hoh"),
    ],
)
def test_filing_status_in_words(chat: Chat, line: str, shown: str, status: str) -> None:
    before = years(chat)
    assert shown in chat.send(line)
    assert years(chat) == before  # nothing stored before the yes
    chat.tap("Save")
    year = 2025 if "2025" in line else 2026
    assert years(chat).given(year).filing_status == status


def test_married_alone_asks_jointly_or_separately(chat: Chat) -> None:
    assert "Married filing jointly or separately for 2026?" in chat.send("I'm married")
    assert labels(chat) == ["Jointly", "Separately", "Change"]
    asked = chat.send("yes")  # a yes can't say which: asked again, nothing stored
    assert "jointly or separately" in asked and "Tap the one you meant" in asked
    assert years(chat).given(2026).filing_status == "single"
    assert "married filing jointly" in chat.tap("Jointly")
    assert years(chat).given(2026).filing_status == "mfj"


def test_a_carryover_in_words_asks_its_character(chat: Chat) -> None:
    asked = chat.send("I carried over 5,000 of losses from last year")
    assert "Loss carryover into 2026: $5,000.00 (from your 2025 return). Short-term or long-term?" in asked
    assert labels(chat) == ["Short-term", "Long-term", "Change"]
    assert 2026 not in years(chat).carryovers
    chat.tap("Long-term")
    stated = years(chat).carryovers[2026]
    assert (stated.short, stated.long) == (Decimal(0), Decimal(5000))


def test_a_carryover_with_its_character_and_year(chat: Chat) -> None:
    shown = chat.send("my carryover into 2025 is 1,200 short-term")
    assert "Loss carryover into 2025: $1,200.00 short-term (from your 2024 return) — save it?" in shown
    chat.tap("Save")
    stated = years(chat).carryovers[2025]
    assert (stated.short, stated.long) == (Decimal(1200), Decimal(0))


def test_income_questions_are_answered_not_stored(chat: Chat) -> None:
    before = years(chat)
    assert "2026: single; wages $85,000.00" in chat.send("what's my filing status?")
    assert "2026: single; wages $85,000.00" in chat.send("what income have you got for me?")
    assert years(chat) == before


def test_a_german_income_in_words(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", locale="de")
    chat.onboard(income="85000")
    assert "Wages for 2026: 92.000,00\xa0$ — save it?" in chat.send("mein Gehalt ist 92.000")
    chat.tap("Save")
    assert years(chat).given(2026).wages == Decimal(92000)
    asked = chat.send("my salary is 95,000")  # 95,000 is 95 in German: both readings, the user picks
    assert "did you mean 95.000,00\xa0$ or 95,00\xa0$?" in asked
    chat.tap("95.000,00")
    assert years(chat).given(2026).wages == Decimal(95000)


def test_a_german_income_command_that_reads_two_ways_is_asked(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", locale="de")
    chat.onboard(income="85000")
    asked = chat.send("/income 2025 wages 85,000")
    assert "did you mean 85.000,00\xa0$ or 85,00\xa0$?" in asked and 2025 not in years(chat).figures
    chat.tap("85.000,00")
    assert years(chat).given(2025).wages == Decimal(85000)
