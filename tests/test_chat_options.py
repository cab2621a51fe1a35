"""Stock options and RSUs in the chat: recording exercises and vests, and the beliefs people hold about them."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conversations.account import export_csv
from conversations.events import Event, FileIn
from tests.chat import Chat

D = Decimal


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.onboard(income="150000")
    return c


def test_nso_exercise_in_one_line_is_wages_with_market_value_basis(chat: Chat) -> None:
    text = chat.send("/exercise 1000 XYZ nso strike 10 fmv 50 2026-02-02")
    assert "$40,000.00 is wages for 2026, not a capital gain" in text
    assert "($50.00 − $10.00) × 1,000 shares" in text
    assert "Your basis is $50,000.00" in text and "turn long-term on Feb 3, 2027" in text
    assert "at most $3,000.00 a year" in text  # harvesting won't cancel it
    (trade,) = chat.service.state(1).trades
    assert (trade.source, trade.price, trade.fmv) == ("nso", 10, 50)
    assert "2026 wages" not in text and "$150,000.00 of other income" in text  # double counting is flagged


def test_iso_exercise_explains_amt_and_the_qualifying_date(chat: Chat) -> None:
    text = chat.send("/exercise 100 ABC iso at $10 worth $50 on 2026-03-03 granted 2025-06-10")
    assert "No regular tax now" in text and "($50.00 − $10.00) × 100 shares = $4,000.00" in text
    assert "it adds no AMT" in text  # $4,000 is well inside the exemption at $150,000
    # Two years from the Jun 10, 2025 grant is later than one year from exercise.
    assert "Sell on or after Jun 11, 2027" in text
    assert chat.service.state(1).trades[0].grant_date is not None


def test_large_iso_exercise_estimates_the_amt_it_adds(chat: Chat) -> None:
    text = chat.send("/exercise 10000 ABC iso strike 1 fmv 40 2026-03-03 granted 2023-01-10")
    assert "adds about $" in text and "of AMT to your 2026 tax" in text
    added = D(text.split("adds about $")[1].split(" ")[0].replace(",", ""))
    assert 50_000 < added < 150_000  # $390,000 of AMT income at 26-28%, less what regular tax already takes


def test_rsu_vest_is_wages_and_basis(chat: Chat) -> None:
    text = chat.send("/vest 10 XYZ fmv 120 2026-03-03")
    assert "$1,200.00 is wages for 2026" in text and "It is also your basis" in text
    (trade,) = chat.service.state(1).trades
    assert (trade.source, trade.price, trade.fmv) == ("rsu", 0, 120)


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("/exercise 10 XYZ strike 5 fmv 6 2026-01-01", "NSOs or ISOs"),
        ("/exercise 10 XYZ iso strike 5 fmv 6 2026-01-01", "grant date too"),
        ("/exercise 10 XYZ nso fmv 6 2026-01-01", "strike price"),
        ("/exercise 10 XYZ nso strike 5 2026-01-01", "worth that day"),
        ("/exercise 10 XYZ nso strike 5 fmv 6", "On what date"),
        ("/exercise 10 XYZ iso strike 5 fmv 6 2026-01-01 granted 2026-02-01", "grant date is after"),
        ("/vest XYZ fmv 6 2026-01-01", "number of shares"),
        ("/exercise 10 XYZ nso strike five fmv 6 2026-01-01", "as a strike price"),
    ],
)
def test_bad_exercise_lines_say_how_and_save_nothing(chat: Chat, line: str, complaint: str) -> None:
    assert complaint in chat.send(line)
    assert chat.service.state(1).trades == ()


def test_exercise_step_by_step(chat: Chat) -> None:
    assert "Which kind" in chat.send("/exercise")
    assert "ticker" in chat.tap("ISO")
    chat.send("qqq")
    assert "How many shares" in chat.send("2026-05-01")
    assert "strike" in chat.send("50")
    assert "worth that day" in chat.send("3")
    assert "Form 3921 box 4" in chat.last[0].text
    assert "granted" in chat.send("30")
    assert "Saved #1: exercised 50 QQQ incentive stock options" in chat.send("2024-05-01")
    assert chat.service.state(1).wizard is None
    assert "closed" in chat.press("optkind:nso")  # a button of the finished question changes nothing


def test_vest_step_by_step(chat: Chat) -> None:
    chat.send("/vest")
    chat.send("msft")
    chat.send("2026-06-01")
    assert "worth that day" in chat.send("7")
    assert "$2,800.00 is wages for 2026" in chat.send("400")


def test_losses_against_option_income_is_corrected_gently_with_the_users_numbers(chat: Chat) -> None:
    chat.send("/exercise 1000 XYZ nso strike 10 fmv 50 2026-02-02")
    chat.send("/buy 100 ABC 500 2026-01-05")
    chat.send("/sell 100 ABC 100 2026-03-03")
    text = chat.send("Can I harvest losses to offset my option income?")
    assert "common belief" in text and "wages, not capital gains" in text
    assert "$40,000.00 of option income counts as wages" in text
    assert "net capital loss of $40,000.00 offsets $3,000.00 of it this year; $37,000.00 carries forward" in text


def test_iso_tax_question(chat: Chat) -> None:
    text = chat.send("do I owe tax when I exercise ISOs?")
    assert "isn't taxed by the regular income tax" in text and "alternative minimum tax" in text


def test_trades_list_and_export_round_trip_keep_the_option_details(chat: Chat, tmp_path: Path) -> None:
    chat.send("/exercise 100 ABC iso strike 10 fmv 50 2026-03-03 granted 2025-06-10")
    chat.send("/vest 10 XYZ fmv 120 2026-03-03")
    listing = chat.send("/trades")
    assert "exercise 100 ABC ISO at $10.00 (worth $50.00)" in listing and "vest 10 XYZ worth $120.00" in listing
    exported = export_csv(chat.service.state(1))
    table = exported.decode().split("\r\n\r\n")[0]  # the trades, before the settings
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [(r["source"], r["fmv"], r["grant_date"]) for r in rows] == [("iso", "50", "2025-06-10"), ("rsu", "120", "")]
    # Read back by another user through /import: the same trades, option details and all.
    other = Chat(tmp_path / "cgt.db", user_id=2)
    other.onboard()
    other._run(Event(kind="file", id="f1", now=other.now, file=FileIn(name="export.csv", content=exported)))
    assert "Added 2 trades" in other.tap("Add")
    imported = other.service.state(2).trades
    assert [(t.source, t.price, t.fmv, t.grant_date) for t in imported] == [
        (t.source, t.price, t.fmv, t.grant_date) for t in chat.service.state(1).trades
    ]


def test_gains_explains_the_amt_gain_of_iso_shares_sold_later(chat: Chat) -> None:
    chat.send("/exercise 100 ABC iso strike 10 fmv 50 2024-03-04 granted 2023-01-02")
    chat.send("/sell 100 ABC 70 2026-03-05")
    text = chat.send("/gains 2026")
    assert "$6,000.00 long-term gain" in text
    assert "ISO shares' gains are $4,000.00 smaller" in text and "line 2k" in text


def test_whatif_on_iso_shares_counts_the_wages_and_the_qualifying_date(chat: Chat) -> None:
    chat.send("/exercise 1000 ABC iso strike 10 fmv 50 2026-03-03 granted 2025-06-10")
    text = chat.send("/whatif sell 1000 ABC 80")
    assert "$30,000.00 short-term gain" in text and "$40,000.00 of wages too" in text
    assert "Total +$30,000.00 of capital gain and $40,000.00 of wages" in text
    assert "Waiting until Mar 4, 2027, when these shares turn long-term, would save" in text  # the $30,000 part only
    qualifying = text.split(
        "Waiting until Jun 11, 2027, when these shares turn long-term and the sale becomes a qualifying disposition, would save about $"
    )[1]
    assert "all $70,000.00 of it long-term gain" in qualifying
    saving = Decimal(qualifying.split(" ")[0].replace(",", ""))
    assert 1_630 < saving < 70_000 * Decimal("0.37")  # more than the long-term date alone saves
    assert "goes on your 2027 return, not 2026's" in text


def test_edit_an_exercise(chat: Chat) -> None:
    chat.send("/exercise 500 ABC nso strike 20 fmv 60 2025-05-01")
    chat.send("/buy 10 XYZ 5 2025-05-02")
    assert "worth $65.00" in chat.send("/edit 1 fmv 65")
    assert chat.service.state(1).trades[0].fmv == 65
    assert "only option exercises and vests" in chat.send("/edit 2 fmv 7")
    chat.send("/exercise 100 DEF iso strike 1 fmv 9 2025-06-01 granted 2024-01-02")
    assert "grant date is after" in chat.send("/edit 3 granted 2025-07-01")
    chat.send("/edit 3 granted 2024-02-01")
    assert chat.service.state(1).trades[2].grant_date == date(2024, 2, 1)


def test_form8949_warns_about_the_brokers_basis_for_option_shares(chat: Chat) -> None:
    chat.send("/exercise 100 ABC nso strike 10 fmv 50 2025-03-03")
    chat.send("/sell 100 ABC 60 2026-03-05")
    text = chat.send("/form8949 2026")
    assert "shares from options or RSUs" in text and "code B" in text
    chat.send("/buy 10 XYZ 5 2025-01-02")
    chat.send("/sell 10 XYZ 6 2025-06-02")
    assert "code B" not in chat.send("/form8949 2025")  # plain purchases: nothing to warn about
