"""A trade typed while /start's questions are open is kept, not lost: the step is asked again with a
word about the trade, and once set up the trade is shown for a yes (it was sent before the answers
it is figured with, so it is never saved unasked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chat import Chat, trades


@pytest.fixture
def new_user(tmp_path: Path) -> Chat:
    chat = Chat(tmp_path / "cgt.db")
    chat.send("/start")
    return chat


def finish(chat: Chat) -> str:
    chat.tap("Single")
    chat.send("85000")
    chat.tap("None")
    return chat.tap("Keep")


def test_a_trade_typed_at_the_tax_year_question_is_offered_once_set_up(new_user: Chat) -> None:
    reply = new_user.send("bought 10 AAPL at 150 yesterday")
    assert "I'll keep “bought 10 AAPL at 150 yesterday” and show it to you to save once we're set up" in reply
    assert "Which tax year?" in reply and trades(new_user) == []
    new_user.tap("2026")
    done = finish(new_user)
    assert "All set." in done
    assert "Bought 10 AAPL at $150.00 on Nov 22, 2026 — save it?" in done  # yesterday from Nov 23, 2026
    assert trades(new_user) == []  # not saved unasked
    new_user.tap("Save")
    assert trades(new_user) == [("buy", "AAPL", 10, 150)]
    assert new_user.service.state(1).profile.onboarded


def test_a_trade_typed_at_a_later_question_is_kept_too_and_change_saves_nothing(new_user: Chat) -> None:
    new_user.tap("2025")
    assert "I'll keep" in new_user.send("sold 3 MSFT at 400 today") and trades(new_user) == []
    done = finish(new_user)
    assert "Sold 3 MSFT at $400.00 on Nov 23, 2026 — save it?" in done
    assert "Tax year 2025" in done  # the answers given around it stand
    new_user.tap("Change")
    assert trades(new_user) == []


def test_two_trades_typed_the_second_is_named_to_send_again(new_user: Chat) -> None:
    new_user.send("bought 10 AAPL at 150 yesterday")
    new_user.tap("2026")
    new_user.send("bought 5 NVDA at 120 today")
    done = finish(new_user)
    assert "Bought 10 AAPL" in done
    assert "You also sent “bought 5 NVDA at 120 today”. Send it again once this one is answered." in done


def test_a_trade_missing_its_price_is_said_not_dropped(new_user: Chat) -> None:
    new_user.send("bought 10 AAPL yesterday")
    new_user.tap("2026")
    done = finish(new_user)
    assert "Before we were set up you sent “bought 10 AAPL yesterday”" in done and "missing the price" in done


def test_an_answer_is_still_an_answer(new_user: Chat) -> None:
    new_user.tap("2026")
    new_user.tap("Single")
    assert "carryover" in new_user.send("85k")  # income, not a trade
    assert "Send two amounts" in new_user.send("whatever")  # not a trade: the step's own message


def test_a_trade_command_during_the_questions_is_saved_and_the_question_asked_again(new_user: Chat) -> None:
    reply = new_user.send("/buy 10 AAPL 150 2026-01-05")
    assert "Saved #1" in reply and "Back to setting up: Which tax year?" in reply
    assert trades(new_user) == [("buy", "AAPL", 10, 150)]
    assert "filing status for 2026" in new_user.send("2026")  # the answer the user was about to give
    assert "All set." in finish(new_user)
    assert new_user.service.state(1).profile.onboarded


def test_a_report_during_the_questions_keeps_them_open_and_cancel_ends_them(new_user: Chat) -> None:
    new_user.tap("2025")
    assert "Back to setting up: What is your filing status for 2025?" in new_user.send("/gains")
    assert "Cancelled" in new_user.send("/cancel")
    assert new_user.service.state(1).wizard is None
