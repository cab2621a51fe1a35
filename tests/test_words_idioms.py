"""Held-out set 2's misses, through the whole conversation: idioms, a fraction of a position, a day of
the month, "hey bot", "thank u", and lowercase fund tickers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.chat import Chat, trades


@pytest.mark.parametrize(
    ("line", "saved"),
    [
        ("averaged down on INTC, 50 shares @ 19.80 yesterday", ("buy", "INTC", 50, Decimal("19.80"))),
        ("doubled down: 10 more NVDA at 118 yesterday", ("buy", "NVDA", 10, 118)),
        ("bought 10 qqq at 505 on 11/21", ("buy", "QQQ", 10, 505)),  # a fund: known, so nothing to confirm
    ],
)
def test_buying_idioms_save_at_once(chat: Chat, line: str, saved: tuple[object, ...]) -> None:
    assert "Saved #1" in chat.send(line)
    assert trades(chat) == [saved]


def test_selling_idioms_sell_the_position_after_a_yes(chat: Chat) -> None:
    chat.send("/buy 30 SOFI 10 2026-01-05")
    chat.send("/buy 12 AMD 100 2026-01-05")
    shown = chat.send("bailed on my SOFI at 13 yesterday")
    assert "Sold 30 SOFI at $13.00" in shown and "all the SOFI you held" in shown
    chat.tap("Save")
    shown = chat.send("stopped out of AMD at 92 on the 20th")
    assert "Sold 12 AMD at $92.00 on Nov 20, 2026" in shown
    chat.tap("Save")
    assert trades(chat)[2:] == [("sell", "SOFI", 30, 13), ("sell", "AMD", 12, 92)]


def test_a_third_of_a_position_is_rounded_down_to_whole_shares_and_confirmed(chat: Chat) -> None:
    chat.send("/buy 10 NVDA 100 2026-01-05")
    shown = chat.send("sold a third of my NVDA at 150 yesterday")
    assert "Sold 3 NVDA at $150.00" in shown and "a third of the NVDA you held" in shown
    assert len(trades(chat)) == 1  # nothing saved before the yes
    chat.tap("Save")
    assert trades(chat)[-1] == ("sell", "NVDA", 3, 150)


def test_a_day_of_the_month_is_the_latest_one_not_in_the_future(chat: Chat) -> None:
    # The chat's today is Monday 2026-11-23: the 18th is last week, the 25th last month.
    assert "on Nov 18, 2026" in chat.send("i got 3 shares of COST at 912 on the 18th")
    assert "on Oct 25, 2026" in chat.send("bought 2 COST at 900 on the 25th")
    assert trades(chat) == [("buy", "COST", 3, 912), ("buy", "COST", 2, 900)]  # "got" is the verb, not a price


@pytest.mark.parametrize(("line", "expected"), [("hey bot", "Hi!"), ("thank u", "You're welcome")])
def test_small_talk(chat: Chat, line: str, expected: str) -> None:
    assert expected in chat.send(line)


@pytest.mark.parametrize("line", ["bought 0 ABC at 10", "/buy 0 ABC 10", "sold 0 TSLA at 350 yesterday"])
def test_zero_shares_is_not_offered_as_a_trade(chat: Chat, line: str) -> None:
    reply = chat.send(line)
    assert "Zero shares isn't a trade" in reply and "Write it like:" in reply
    assert "save it?" not in reply and not [b for r in chat.last for row in r.buttons for b in row]
    assert trades(chat) == []
