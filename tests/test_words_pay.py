"""Pay said by the period ("8k a month", "I make 7,500/month", "$4k biweekly") is shown as the year's
wages with how they were figured, and saved only on Save; /income's examples are in the user's locale."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.chat import Chat
from tests.test_words_figures import years


def labels(chat: Chat) -> list[str]:
    return [b.label for r in chat.last for row in r.buttons for b in row]


# Each year's figure worked by hand: periods in a year x the amount per period.
@pytest.mark.parametrize(
    ("line", "shown", "wages"),
    [
        ("8k a month", "$96,000.00 a year ($8,000.00 a month × 12)", 96000),  # 8,000 x 12
        ("I make 7,500/month", "$90,000.00 a year ($7,500.00 a month × 12)", 90000),  # 7,500 x 12
        ("$4k biweekly", "$104,000.00 a year ($4,000.00 every two weeks × 26)", 104000),  # 4,000 x 26
        ("I get paid 3,000 twice a month", "$72,000.00 a year ($3,000.00 twice a month × 24)", 72000),  # 3,000 x 24
        ("I earn 1,500 a week", "$78,000.00 a year ($1,500.00 a week × 52)", 78000),  # 1,500 x 52
    ],
)
def test_pay_by_the_period_is_shown_as_the_years_wages_then_saved(
    chat: Chat, line: str, shown: str, wages: int
) -> None:
    before = years(chat)
    assert f"Wages for 2026: {shown} — save it?" in chat.send(line)
    assert labels(chat) == ["Save", "Change"]
    assert years(chat) == before  # never saved unasked
    chat.tap("Save")
    assert years(chat).given(2026).wages == Decimal(wages)


def test_salary_a_year_is_the_year_as_said(chat: Chat) -> None:
    assert "Wages for 2026: $90,000.00 — save it?" in chat.send("salary 90k a year")
    assert "× " not in chat.last[-1].text


def test_change_gives_the_years_figure_as_a_command(chat: Chat) -> None:
    chat.send("8k a month")
    assert "/income 2026 wages 96,000" in chat.tap("Change")
    assert years(chat).given(2026).wages == Decimal(85000)


def test_income_command_by_the_period_is_asked_first(chat: Chat) -> None:
    asked = chat.send("/income 2025 wages 7,500 a month")
    assert "Wages for 2025: $90,000.00 a year ($7,500.00 a month × 12) — save it?" in asked
    assert 2025 not in years(chat).figures
    chat.tap("Save")
    assert years(chat).given(2025).wages == Decimal(90000)


def test_trading_income_by_the_month_is_not_wages(chat: Chat) -> None:
    before = years(chat)
    reply = chat.send("I make 8k a month trading")
    assert "Wages" not in reply and years(chat) == before


def test_german_pay_by_the_month(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", locale="de")
    chat.onboard(income="85000")
    shown = chat.send("ich verdiene 6.000 im Monat")
    assert "72.000,00\xa0$ a year (6.000,00\xa0$ a month × 12)" in shown  # 6.000 x 12
    chat.tap("Save")
    assert years(chat).given(2026).wages == Decimal(72000)


@pytest.mark.parametrize(("locale", "example"), [(None, "wages 190,000"), ("de", "wages 190.000")])
def test_income_usage_examples_are_in_the_users_locale(tmp_path: Path, locale: str | None, example: str) -> None:
    chat = Chat(tmp_path / "cgt.db", locale=locale)
    chat.onboard(income="85000")
    assert f"Send it like /income 2026 {example}" in chat.send("/income")
    assert f"/income 2026 {example}" in chat.send("/income 2026 bonus 5")  # the refusal's example too
    short_long = "short 5,000 long 6,000" if locale is None else "short 5.000 long 6.000"
    assert short_long in chat.send("/carryover 2026 some")
