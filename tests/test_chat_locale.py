"""Numbers and dates read the way the user's language writes them, and shown the same way."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.chat import Chat


def test_a_german_user_writes_and_reads_german_numbers(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", locale="de")
    chat.onboard(income="85.000")  # eighty-five thousand, as Germans write it
    assert chat.service.state(1).profile.years.resolve(2026).wages == 85000
    text = chat.send("/buy 10 SAP 120,50 10.01.2026")
    assert "120,50\xa0$" in text and "10.01.2026" in text  # Babel: a no-break space before the sign
    trade = chat.service.state(1).trades[0]
    assert (trade.price, str(trade.date)) == (Decimal("120.50"), "2026-01-10")
    chat.send("/buy 10 SAP 99.50 2026-01-11")  # the US way works too where it can't mean anything else
    assert chat.service.state(1).trades[-1].price == Decimal("99.50")


def test_a_us_user_is_asked_when_a_number_could_mean_two_things(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    assert "could be read two ways: did you mean 12,050 or 120.5?" in chat.send("/buy 10 XYZ 120,50 2026-01-10")
    assert chat.service.state(1).trades == ()
    assert "$1,250.50" in chat.send("/buy 10 XYZ 1,250.50 2026-01-10")


def test_day_first_dates_where_the_language_writes_them_so(tmp_path: Path) -> None:
    british = Chat(tmp_path / "gb.db", locale="en-GB")
    british.onboard()
    british.send("/buy 10 XYZ 20 10/01/2026")
    assert str(british.service.state(1).trades[0].date) == "2026-01-10"
    american = Chat(tmp_path / "us.db", user_id=2)
    american.onboard()
    american.send("/buy 10 XYZ 20 10/01/2026")
    assert str(american.service.state(2).trades[0].date) == "2026-10-01"
