"""Years in the chat: /gains for any year, whatever year the chat is on; a profile per year
(/income, /filing, /carryover, /settings YEAR); option income that is one figure everywhere;
/whatif that says which return a wait lands on. Each example of issue 13, with its figure
worked from the IRS worksheets in the comments.
"""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from bot.storage import open_store
from conversations.state import Profile, UserState
from tests.chat import Chat

D = Decimal

# Single, other income $80,000: losses in 2022, a long-term gain in 2023, a short-term gain in 2024.
HISTORY = [
    "/buy 100 BBB 100 2021-01-04",
    "/buy 10 CCC 100 2021-06-01",
    "/buy 100 AAA 100 2022-01-03",
    "/sell 100 BBB 40 2022-03-01",
    "/sell 100 AAA 20 2022-06-01",
    "/sell 10 CCC 300 2023-05-01",
    "/buy 10 DDD 100 2024-01-02",
    "/sell 10 DDD 200 2024-03-01",
]


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    return Chat(tmp_path / "cgt.db")


def history(chat: Chat) -> None:
    chat.onboard(income="80000")  # tax year 2026: the year is "left as it was"
    for line in HISTORY:
        assert "Saved" in chat.send(line), line


def test_every_year_chains_from_the_first_one(chat: Chat) -> None:
    history(chat)
    # 2022: short -8,000, long -6,000; 3,000 deducted; worksheet: 5,000 short (8,000 - 3,000), 6,000 long.
    assert "$5,000.00 short-term and $6,000.00 long-term into 2023" in chat.send("/gains 2022")
    # 2023: the carryover comes in: short -5,000, long 2,000 - 6,000; net -9,000; 3,000 deducted;
    # worksheet: short 5,000 - 3,000 = 2,000, long 4,000 (line 11: max(0, 3,000 - 5,000) = 0).
    text = chat.send("/gains 2023")
    assert "carryover -$5,000.00" in text and "carryover -$6,000.00" in text
    assert "Together: -$9,000.00" in text
    assert "$2,000.00 short-term and $4,000.00 long-term into 2024" in text
    assert "Estimated federal tax these sales add: $0.00." in text  # -11,000 without, -9,000 with: 3,000 both
    # 2024: 1,000 - 2,000 short, -4,000 long: net -5,000; 2,000 long-term left (line 11 = 3,000 - 1,000).
    text = chat.send("/gains 2024")
    assert "Estimated federal tax these sales add: $0.00." in text
    assert "$0.00 short-term and $2,000.00 long-term into 2025" in text
    # 2025: nothing sold, but the 2,000 long-term carryover is deducted that year.
    text = chat.send("/gains 2025")
    assert "haven't sold anything" not in text
    assert "carryover -$2,000.00" in text and "$2,000.00 this year" in text and "Nothing is left" in text
    # Its saving: 2025 taxable 80,000 - 15,750 = 64,250 without it, 62,250 with it, both in the 22% rows
    # of the Tax Table: 22% x 2,000 = 440.
    assert "No sales in 2025, but the loss carried in from 2024 counts" in text
    assert "The $2,000.00 carried in from 2024 lowers your 2025 tax by about $440.00." in text
    assert "these sales add" not in text
    assert "Into 2025: $0.00 short-term and $2,000.00 long-term, figured from your trades" in chat.send(
        "/carryover 2025"
    )
    # 2022-2025 have no figures of their own: each says whose it used, in one line.
    assert "Using 2026's income of $80,000.00 and 2026's filing status (single) for 2025" in text


def test_the_chat_year_changes_no_other_years_figures(chat: Chat) -> None:
    history(chat)
    before = {year: chat.send(f"/gains {year}") for year in (2022, 2023, 2024, 2025)}
    chat.send("/settings")
    chat.tap("Tax year")
    chat.send("2024")  # the chat is now "on" 2024
    assert chat.service.state(1).profile.tax_year == 2024
    after = {year: chat.send(f"/gains {year}") for year in (2022, 2023, 2024, 2025)}
    assert after == before
    assert chat.send("/gains") == before[2024]


def test_a_carryover_given_at_onboarding_stays_with_its_year(chat: Chat) -> None:
    # Onboarded for 2024 with a 5,000 short-term carryover; a 1,000 short-term gain in 2024.
    chat.send("/start")
    chat.send("2024")
    chat.tap("Single")
    chat.send("85000")
    chat.send("5,000 0")
    chat.tap("Keep")
    chat.send("/buy 10 XYZ 100 2024-01-02")
    chat.send("/sell 10 XYZ 200 2024-03-01")
    # 1,000 - 5,000 = -4,000: 3,000 deducted, 1,000 into 2025; the gain adds no tax (3,000 deducted either way).
    first = chat.send("/gains 2024")
    assert "Estimated federal tax these sales add: $0.00." in first
    assert "$1,000.00 short-term and $0.00 long-term into 2025" in first
    chat.send("/settings")
    chat.tap("Tax year")
    chat.send("2025")
    assert chat.send("/gains 2024") == first  # the carryover didn't move to 2025
    text = chat.send("/gains 2025")
    assert "carryover -$1,000.00" in text and "-$5,000.00" not in text


def test_no_income_given_says_it_assumes_zero(chat: Chat) -> None:
    chat.send("/buy 100 XYZ 150 2026-01-05")
    chat.send("/sell 100 XYZ 50 2026-03-02")
    text = chat.send("/gains 2026")
    assert "I don't know your income for 2026, so this assumes $0.00 of other income, filing single" in text
    assert "/income 2026 wages" in text
    assert "below the standard deduction" not in text and "used up" not in text
    # Not "$3,000 this year ... none of it is used up": with $0 of income the whole loss moves on, said once.
    assert "You haven't told me your 2026 income, so I count it as $0.00" in text
    assert "it saves no tax in 2026 and $10,000.00 carries forward to 2027" in text
    assert "other income do you expect for 2026" in chat.tap("Tell me your 2026 income")  # offered as a button
    chat.send("90,000")
    text = chat.send("/gains 2026")
    assert "assumes" not in text and "below the standard deduction" not in text
    # 10,000 loss, 3,000 deducted against 90,000 - 16,100: 7,000 short-term carried into 2027.
    assert "$7,000.00 short-term and $0.00 long-term into 2027" in text


def test_one_line_commands_set_a_years_figures(chat: Chat) -> None:
    assert "Saved: wages for 2026, $190,000.00" in chat.send("/income 2026 wages 190,000")
    chat.send("/income 2026 qualified dividends 1,200")
    chat.send("/income 2026 ordinary dividends 1,500")
    chat.send("/income 2026 interest 300")
    chat.send("/income 2026 capital gain distributions 250")
    assert "married filing jointly" in chat.send("/filing 2026 mfj")
    assert "carried into 2022" in chat.send("/carryover 2022 short 5,000 long 6,000")
    years = chat.service.state(1).profile.years
    figures = years.given(2026)
    assert (figures.wages, figures.qualified_dividends, figures.ordinary_dividends) == (190000, 1200, 1500)
    assert (figures.interest, figures.capital_gain_distributions, figures.filing_status) == (300, 250, "mfj")
    assert (years.carryovers[2022].short, years.carryovers[2022].long) == (5000, 6000)
    text = chat.send("/settings 2025")
    assert "2025: married filing jointly (from 2026); wages $190,000.00" in text and "(from 2026)" in text


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("/income 2026 bonus 5,000", "I don't know the income “bonus 5,000”"),
        ("/income 2026 wages", "How much?"),
        ("/income 2026 wages -5", "The wages can't be negative"),
        ("/income 1999 wages 5", "Send a year from 2018"),
        ("/filing 2026 married", "Jointly or separately?"),
        ("/filing 2026 married filing jointly", "Saved: 2026, married filing jointly"),
        ("/filing 2026 complicated", "I don't know the filing status"),
        ("/carryover 2022 lots", "like /carryover 2022 short 5,000 long 6,000"),
    ],
)
def test_one_line_commands_answer_bad_input(chat: Chat, line: str, answer: str) -> None:
    assert answer in chat.send(line)


def iso_sale(chat: Chat, price: str) -> tuple[str, str, str]:
    """The what-if for a disqualifying sale of 1,000 ISO shares, then the same sale recorded."""
    chat.onboard(income="150000")
    chat.send("/exercise 1000 ABC iso strike 10 fmv 50 2026-03-03 granted 2025-06-10")
    whatif = chat.send(f"/whatif sell 1000 ABC {price}")
    chat.send(f"/sell 1000 ABC {price} 2026-11-23")
    return whatif, chat.send("/gains 2026"), chat.send("/form8949 2026")


def test_a_disqualifying_iso_sale_is_one_figure_before_and_after_recording(chat: Chat) -> None:
    whatif, gains, form = iso_sale(chat, "57.20")
    # Wages: the lesser of the bargain element (50 - 10) x 1,000 = 40,000 and the gain 47,200 (IRC 422(c)(2));
    # the rest, 7,200, is short-term gain. 2026 single, 150,000 other income:
    # with the sale: 150,000 + 40,000 + 7,200 - 16,100 = 181,100 taxable; tax 1,240 + 4,560 + 12,166
    #   + 24% x 75,400 = 36,062; AMT: 197,200 - 90,100 = 107,100 x 26% = 27,846 < 36,062, none.
    # without it: 133,900 taxable, tax 24,734; the exercise's 40,000 AMT adjustment stays: AMTI 190,000,
    #   99,900 x 26% = 25,974, AMT 1,240. Added: 36,062 - 25,974 = 10,088.
    assert "$40,000.00 of wages" in whatif and "estimated federal tax for 2026 +$10,088.00" in whatif
    assert "$7,200.00 short-term gain" in gains and "$40,000.00 of wages" in gains
    assert "Estimated federal tax these sales add: $10,088.00." in gains
    assert "$40,000.00 of the gain is wages" in form


def test_an_iso_sale_below_the_exercise_value_makes_wages_of_the_gain(chat: Chat) -> None:
    whatif, gains, form = iso_sale(chat, "30")
    # Sold at 30: the gain over the strike is 20,000, less than the 40,000 bargain element: all of it is wages,
    # and no capital gain is left. With the sale: 170,000 - 16,100 = 153,900 taxable, tax 1,240 + 4,560 + 12,166
    # + 24% x 48,200 = 29,534 (AMT 79,900 x 26% = 20,774: none). Added: 29,534 - 25,974 = 3,560.
    assert "$20,000.00 of wages" in whatif and "+$3,560.00" in whatif
    assert "$20,000.00 of wages" in gains and "Estimated federal tax these sales add: $3,560.00." in gains
    assert "$20,000.00 of the gain is wages" in form


def test_a_wait_that_is_long_term_and_qualifying_is_one_saving(chat: Chat) -> None:
    chat.onboard(income="150000")
    # Granted 2025-03-01, exercised 2026-03-02: long-term from 2027-03-03 (more than a year), qualifying from
    # 2027-03-03 too (more than 2 years from grant, 1 from exercise): one day, one saving.
    chat.send("/exercise 1000 ABC iso strike 10 fmv 50 2026-03-02 granted 2025-03-01")
    text = chat.send("/whatif sell 1000 ABC 57.20")
    assert text.count("Waiting until") == 1
    assert "Waiting until Mar 3, 2027, when these shares turn long-term and the sale becomes a qualifying" in text
    # Selling now: 2026 36,062 (above) + 2027 with nothing sold 24,734 (2026's law and income) = 60,796.
    # Waiting: 2026 25,974 (the AMT adjustment stays) + 2027 with 47,200 long-term: 24,734 + 15% x 47,200
    # = 31,814 (AMT: the AMT gain is only 7,200, line 2k -40,000: none) = 57,788. Saving 3,008.
    assert "would save about $3,008.00" in text
    assert "goes on your 2027 return, not 2026's" in text


def test_a_wait_past_december_31_says_which_return(chat: Chat) -> None:
    chat.onboard(income="85000")
    chat.send("/buy 100 XYZ 100 2026-01-08")
    text = chat.send("/whatif sell 100 XYZ 150")
    # Now: 5,000 short-term. 2026 taxable 85,000 - 16,100 + 5,000 = 73,900: Tax Table row 73,900-73,950,
    # midpoint 73,925: 1,240 + 4,560 + 22% x 23,525 = 10,975.50 -> 10,976; without, 68,925: 9,875.50 -> 9,876.
    # Waiting until 2027-01-09 (long-term): 2027 at 2026's law and income, 5,000 long-term at 15% = 750.
    # Now: 10,976 + 9,876; then: 9,876 + 10,626: saving 350.
    assert "estimated federal tax for 2026 +$1,100.00" in text
    assert "Waiting until Jan 9, 2027, when these shares turn long-term, would save about $350.00" in text
    assert "goes on your 2027 return, not 2026's" in text and "2027's isn't in my tables yet" in text
    assert "Using 2026's income of $85,000.00" in text


def test_a_stored_profile_from_before_years_becomes_its_tax_years(tmp_path: Path) -> None:
    store = open_store(tmp_path / "old.db")
    store.save(7, UserState(), UserState(), None)
    old = {
        "onboarded": True,
        "tax_year": 2024,
        "filing_status": "mfj",
        "other_income": "120000",
        "carryover_short": "5000",
        "carryover_long": "0",
        "locale": "en_US",
        "timezone": "America/Chicago",
        "reminders": True,
        "reminder_days": 7,
    }
    with sqlite3.connect(tmp_path / "old.db") as raw:  # the profile column as an older version wrote it
        raw.execute("UPDATE users SET profile = ? WHERE id = 7", [json.dumps(old)])
    profile = open_store(tmp_path / "old.db").load(7).profile
    assert profile.tax_year == 2024 and profile.timezone == "America/Chicago"
    figures = profile.years.given(2024)
    assert (figures.filing_status, figures.wages) == ("mfj", 120000)
    assert profile.years.carryovers[2024].short == 5000 and 2025 not in profile.years.carryovers
    # Saved again, it is the new shape, and loads the same.
    assert Profile.model_validate_json(profile.model_dump_json()) == profile
    # An old profile never onboarded, with nothing given: no income is claimed for it.
    fresh = Profile.model_validate({"tax_year": 2026, "filing_status": "single", "other_income": "0"})
    assert fresh.years.resolve(2026).income_from is None
