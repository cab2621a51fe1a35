"""Dividends in broker files: the reinvested purchases become lots, and the chat asks for the year's
Form 1099-DIV totals (boxes 1a, 1b, 2a) instead of guessing their tax from the rows (issue 16 item 1).

schwab_2023.csv is Schwab's published layout (tests/fixtures/brokers/README.md): in 2023 it lists
Reinvest Dividend rows of $694.48 (SPY), $1,259.59 (SNSXX), $152.91 (TCPC) and a Pr Yr Div Reinvest
of $932.07 (SPY): $3,039.05, each next to the Reinvest Shares purchase it paid for.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from calc.booking import book
from conversations.files.importers import read_csv
from tests.chat import Chat
from tests.test_chat_import_brokers import send_file


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.onboard(income="85000")
    send_file(c, "schwab_2023.csv")
    c.tap("Add without those sales")
    return c


def test_reinvested_dividends_ask_for_the_years_1099_div(chat: Chat) -> None:
    added = chat.tap("Add 10 trades")
    assert "Added 10 trades and 1 split" in added
    assert "The file lists dividends ($3,039.05 in 2023, reinvested ones included" in added
    labels = [b.label for r in chat.last for row in r.buttons for b in row]
    assert "Enter 2023's 1099-DIV" in labels and "Not now" in labels
    # The reinvestments are lots, as before: SNSXX's 1,259.59 shares at $1.00, bought Oct 16, 2023.
    state = chat.service.state(1)
    snsxx = [lot for lot in book([*state.trades, *state.splits]).lots if lot.symbol == "SNSXX"]
    assert [(lot.quantity, lot.basis) for lot in snsxx] == [(Decimal("1259.59"), Decimal("1259.59"))]
    assert "box 1a" in chat.tap("Enter 2023's 1099-DIV")
    assert "Box 1b: qualified dividends? (part of the $3,100.00 in 1a)" in chat.send("3,100")
    assert "can't be more" in chat.send("3,200")  # qualified dividends are part of box 1a
    assert "Box 2a" in chat.send("1,800")
    saved = chat.tap("None")
    assert "Saved for 2023 from your 1099-DIV: ordinary dividends $3,100.00 (qualified $1,800.00)" in saved
    figures = chat.service.state(1).profile.years.given(2023)
    assert (figures.ordinary_dividends, figures.qualified_dividends, figures.capital_gain_distributions) == (
        Decimal(3100),
        Decimal(1800),
        Decimal(0),
    )
    assert "$3,100.00" in chat.send("/income 2023")


def test_all_of_it_and_a_stale_button(chat: Chat) -> None:
    chat.tap("Add 10 trades")
    chat.tap("Enter 2023's 1099-DIV")
    first = chat.last
    chat.send("500")
    chat.tap("All of it")  # box 1b = box 1a
    stale = [b.data for r in first for row in r.buttons for b in row if b.label == "None"]
    assert "closed" in chat.press(stale[0])  # box 1a's None doesn't answer box 2a
    chat.send("120")
    figures = chat.service.state(1).profile.years.given(2023)
    assert (figures.ordinary_dividends, figures.qualified_dividends, figures.capital_gain_distributions) == (
        Decimal(500),
        Decimal(500),
        Decimal(120),
    )


def test_not_now_and_a_year_already_given(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard(income="85000")
    chat.send("/income 2023 ordinary dividends 2,000")
    send_file(chat, "schwab_2023.csv")
    chat.tap("Add without those sales")
    added = chat.tap("Add 10 trades")
    assert "1099-DIV" not in added  # 2023's dividends are given already: nothing to ask
    other = Chat(tmp_path / "other.db")
    other.onboard()
    send_file(other, "ibkr_transaction_history.csv")  # IBKR's Dividend and Payment in Lieu rows, 2025
    other.tap("Add")
    assert "$61.20 in 2025" in "\n".join(r.text for r in other.last)
    assert "/income 2025 ordinary dividends" in other.tap("Not now")


def test_a_dividend_row_out_of_bounds_is_a_problem_row() -> None:
    rows = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"\n'
    rows += '"02/01/2024","Qualified Dividend","XYZ","XYZ CORP","","","","$1e999999"\n'
    preview = read_csv("schwab.csv", rows.encode())
    assert preview.dividends == [] and "amount" in preview.problems[0].reason


def test_dividends_in_an_hsa_or_ira_are_not_asked_about(tmp_path: Path) -> None:
    # fidelity_all_accounts_2025.csv is Fidelity's all-accounts layout as published in
    # redstreet/beancount_reds_importers (tests/fixtures/brokers/README.md): on Dec 3, 2025 it lists
    # dividends of $713.08 in "IRA Account", $0.66 in "HSA" and $3,688.33 (VTEB) in "Brokerage", and
    # $588 (ZTS) on Dec 2 in "Brokerage". Only the brokerage account's are taxable: $4,276.33.
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard(income="85000")
    send_file(chat, "fidelity_all_accounts_2025.csv")
    chat.tap("Add without those sales")
    added = chat.tap("Add 3 trades")
    assert "The file lists dividends ($4,276.33 in 2025" in added
