"""Held-out set 4's misses, fixed as data after its figures were committed, through the whole conversation."""

from __future__ import annotations

import pytest

from tests.chat import Chat, trades


@pytest.mark.parametrize(("line", "expected"), [("sup", "Hi!"), ("ta", "You're welcome")])
def test_slang_small_talk(chat: Chat, line: str, expected: str) -> None:
    assert expected in chat.send(line)


def test_yday_and_a_held_key_are_read_as_typed(chat: Chat) -> None:
    assert "Saved #1" in chat.send("purchsed 12 MSFT at 417 yday")
    assert "Saved #2" in chat.send("sellled 5 MSFT at 420 just now")
    assert trades(chat) == [("buy", "MSFT", 12, 417), ("sell", "MSFT", 5, 420)]
    assert "Nov 22, 2026" in chat.send("/trades") and "Nov 23, 2026" in chat.send("/trades")


def test_german_half_of_a_position_is_confirmed(chat: Chat) -> None:
    chat.locale = "de_DE"
    chat.send("/buy 10 NVDA 100 2026-01-05")
    shown = chat.send("habe die Hälfte meiner NVDA zu 150 verkauft")
    assert "5 NVDA" in shown and len(trades(chat)) == 1
    chat.tap("Save")
    assert trades(chat)[-1] == ("sell", "NVDA", 5, 150)


def test_a_british_what_if_with_flogged_is_the_sales_own_tax(chat: Chat) -> None:
    chat.send("/buy 10 AMD 100 2026-01-05")
    reply = chat.send("what would the tax be if I flogged half my AMD at 120")
    assert "$100.00" in reply and "short-term" in reply  # 5 shares x $20: the sale's own gain
    assert len(trades(chat)) == 1


@pytest.mark.parametrize("question", ["what's my CGT bill so far", "wie viel Steuer muss ich zahlen"])
def test_tax_questions_in_british_and_german(chat: Chat, question: str) -> None:
    chat.send("/buy 10 AMD 100 2026-01-05")
    chat.send("/sell 10 AMD 120 2026-02-05")
    reply = chat.send(question)
    # $85,000 of wages, single: taxable income $68,900, Tax Table rows of $50 at 22%: $200 x 22% = $44.
    assert "Estimated federal tax these sales add: $44.00" in reply
