"""Every flow as a transcript: what the user sends, what the bot answers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.chat import Chat


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    return Chat(tmp_path / "cgt.db")


def test_onboarding(chat: Chat) -> None:
    assert "not tax advice" in chat.send("/start")
    assert "filing status" in chat.tap("2026")
    assert "other income" in chat.tap("Married filing jointly")
    assert "carryover" in chat.send("120,000")
    assert "time zone" in chat.send("1,200 3,500")
    done = chat.send("America/Chicago")
    assert "America/Chicago" in done
    assert "All set" in done and "married filing jointly" in done and "$120,000.00" in done
    assert "$1,200.00 short-term and $3,500.00 long-term" in done
    p = chat.service.state(1).profile
    figures = p.years.given(2026)
    assert (p.tax_year, figures.filing_status, figures.wages) == (2026, "mfj", Decimal(120000))


def test_one_line_buy_and_sell_with_why(chat: Chat) -> None:
    chat.onboard()
    bought = chat.send("/buy 100 XYZ 20 2024-01-10")
    assert "Saved #1" in bought and "turns long-term on Jan 11, 2025" in bought
    sold = chat.send("/sell 100 XYZ 15 2024-12-01")
    assert "$500.00 short-term loss: 100 shares held 326 days, one year or less" in sold


@pytest.mark.parametrize(
    "line",
    [
        "/buy 100 XYZ @ 20 on 2024-01-10",
        "/buy 100 XYZ at $20 on Jan 10 2024",
        "/buy 100 XYZ 20 1/10/2024",
        "bought 100 xyz at 20 on January 10, 2024",
    ],
)
def test_one_line_forms(chat: Chat, line: str) -> None:
    assert "Saved #1: bought 100 XYZ at $20.00 on Jan 10, 2024" in chat.send(line)


def test_thousands_separators_and_yesterday(chat: Chat) -> None:
    assert "bought 1,000 XYZ at $1,250.50 on Nov 22, 2026" in chat.send("/buy 1,000 XYZ 1,250.50 yesterday")


def test_guided_buy_and_sell_with_lot_choice(chat: Chat) -> None:
    chat.onboard()
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/buy 10 XYZ 30 2024-02-10")
    assert "Which stock did you sell" in chat.send("/sell")
    assert "what date" in chat.send("xyz")
    assert "you held 20 then" in chat.send("2025-03-01")
    assert "price" in chat.send("5")
    assert "fees" in chat.send("35")
    question = chat.tap("No fees")
    assert "Which shares" in question and "bought Feb 10, 2024" in question
    saved = chat.tap("10 from Feb 10, 2024")
    # Specific identification: the $30 lot, so a $25 gain, long-term (held past Feb 10, 2025).
    assert "$25.00 long-term gain" in saved
    state = chat.service.state(1)
    assert state.trades[-1].lots[0].quantity == 5


def test_undo_button_and_command(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    assert "Undone: #1" in chat.tap("Undo")
    assert chat.service.state(1).trades == ()
    chat.send("/buy 10 XYZ 20 2024-01-10")
    assert "Undone" in chat.send("/undo")
    assert "nothing to undo" in chat.send("/undo").lower()


def test_gains_netting_limit_and_tax(chat: Chat) -> None:
    chat.onboard(income="90000")
    chat.send("/buy 100 AAA 100 2025-01-02")
    chat.send("/sell 100 AAA 30 2025-06-02")  # 7,000 short-term loss
    chat.send("/buy 10 BBB 100 2023-01-03")
    chat.send("/sell 10 BBB 200 2025-03-03")  # 1,000 long-term gain
    report = chat.send("/gains 2025")
    assert "Short-term net -$7,000.00" in report and "Long-term net $1,000.00" in report
    assert "at most $3,000.00 a year" in report
    assert "$3,000.00 this year" in report
    # Worksheet line 8: 7,000 short-term loss - (3,000 deducted + 1,000 long-term gain).
    assert "keeping its character: $3,000.00 short-term and $0.00 long-term into 2026" in report
    # 3,000 less ordinary income in the 22% bracket (single, 90,000 of wages).
    assert "Estimated federal tax these sales add: -$660.00" in report


def test_portfolio_shows_long_term_dates_and_unrealized(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2026-03-01")
    chat.send("/price XYZ 25")
    text = chat.send("/portfolio")
    assert "turns long-term on Mar 2, 2027 (in 99 days)" in text
    assert "+$50.00 unrealized" in text


def test_whatif_with_waiting_saving(chat: Chat) -> None:
    chat.onboard(income="150000")
    chat.send("/buy 100 XYZ 10 2026-03-01")
    text = chat.send("what if I sell 100 XYZ at 60?")
    assert "$5,000.00 short-term gain" in text
    assert "Waiting until Mar 2, 2027" in text and "would save about" in text


def test_trades_edit_delete(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/buy 5 ABC 7 2024-01-11")
    assert "#2 buy 5 ABC" in chat.send("/trades")
    assert "now buy 10 XYZ at $21.50" in chat.send("/edit 1 price 21.50")
    assert "Delete #2" in chat.send("/delete 2")
    assert "Deleted: #2" in chat.tap("Yes")
    assert [t.id for t in chat.service.state(1).trades] == ["T1"]


def test_export_and_forget(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/export")
    (file,) = chat.last[0].files
    assert b"2024-01-10,buy,XYZ,10,20,0" in file.content
    chat.send("/forget")
    assert "deleted" in chat.tap("Yes").lower()
    assert chat.restart().service.state(1).trades == ()


def test_cancel_at_a_step(chat: Chat) -> None:
    chat.send("/buy")
    chat.send("XYZ")
    assert "Cancelled" in chat.send("/cancel")
    assert chat.service.state(1).wizard is None
    assert "Nothing to cancel" in chat.send("/cancel")


def test_settings_change_one_answer(chat: Chat) -> None:
    chat.onboard()
    chat.send("/settings")
    chat.tap("Filing status")
    assert "head of household" in chat.tap("Head of household")
    assert chat.service.state(1).profile.years.given(2026).filing_status == "hoh"


def test_help_has_the_disclaimer_once(chat: Chat) -> None:
    assert chat.send("/help").count("not tax advice") == 1
    assert "not tax advice" not in chat.send("/buy 10 XYZ 20 2024-01-10")


@pytest.mark.parametrize(
    ("income", "carried", "why"),
    [
        ("90000", "$7,000.00 short-term", ""),
        ("17000", "$9,100.00 short-term", "other income after the standard deduction is only $900.00"),
        ("5000", "$10,000.00 short-term", "below the standard deduction"),
    ],
)
def test_gains_carryover_follows_the_users_income(chat: Chat, income: str, carried: str, why: str) -> None:
    # A $10,000 loss; 2026's standard deduction (single) is $16,100: a small income uses up less carryover.
    chat.onboard(income=income)
    chat.send("/buy 100 XYZ 150 2026-01-05")
    chat.send("/sell 100 XYZ 50 2026-03-03")
    text = chat.send("/gains 2026")
    assert f"{carried} and $0.00 long-term into 2027" in text
    assert (why in text) if why else ("standard deduction" not in text)


def test_ira_trades_and_the_permanent_wash_sale(chat: Chat) -> None:
    chat.onboard(income="90000")
    chat.send("/buy 10 XYZ 20 2026-01-10")
    chat.send("/sell 10 XYZ 15 2026-03-01")  # a $50 loss...
    text = chat.send("/buy 10 XYZ 14 2026-03-10 in my IRA")  # ...replaced inside an IRA
    assert "in your IRA" in text and "aren't taxed as they happen" in text
    assert "$50.00 of that loss is disallowed for good" in text
    trade = chat.service.state(1).trades[-1]
    assert (trade.account, trade.account_type) == ("IRA", "ira")
    gains = chat.send("/gains 2026")
    assert "Wash sales into an IRA: $50.00 of losses are disallowed for good" in gains
    assert "added to the new shares' basis" not in gains
    assert "in your IRA, untaxed until withdrawn" in chat.send("/portfolio")
    assert "on Mar 10, 2026 in your IRA" in chat.send("/trades")
    # A Roth IRA is its own account: nothing of XYZ is held there.
    assert "you held 0 XYZ in Roth IRA" in chat.send("sold 10 XYZ at 16 on 2026-04-10 in Roth IRA")
    assert "in your IRA" in chat.send("sold 10 XYZ at 16 on 2026-04-10 in IRA")
