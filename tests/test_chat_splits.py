"""Stock splits told in the chat: `/split`, plain words, reverse splits, cash in lieu.

A split multiplies the shares and keeps the basis and the holding period (Publication 550,
"Stock splits"); cash in lieu of a fractional share is a sale of that fraction (Pub 550,
"Fractional shares").
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.chat import Chat

D = Decimal


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.onboard(income="150000")
    c.send("/buy 100 XYZ 20 2024-01-10")
    return c


def test_a_two_for_one_split_doubles_the_shares_and_keeps_the_basis(chat: Chat) -> None:
    text = chat.send("/split XYZ 2:1 2024-06-10")
    # 100 shares x 2 = 200; basis 100 x $20 = $2,000 stays, $10 a share.
    assert "Recorded #2: XYZ split 2-for-1 on Jun 10, 2024" in text
    assert "100 shares you held then became 200" in text and "$2,000.00 ($10.00 a share instead of $20.00)" in text
    # Before the split was known, selling 200 was refused; now it goes through, and the sale of all
    # 200 at $15 on 2025-02-03 is long-term (bought 2024-01-10): $3,000 - $2,000 = $1,000 gain.
    sold = chat.send("/sell 200 XYZ 15 2025-02-03")
    assert "$1,000.00 long-term gain" in sold
    state = chat.restart().service.state(1)  # saved across a restart
    assert [(s.symbol, s.ratio, s.id) for s in state.splits] == [("XYZ", 2, "S2")]


def test_selling_the_new_shares_is_refused_until_the_split_is_told(chat: Chat) -> None:
    refused = chat.send("/sell 200 XYZ 15 2025-02-03")
    assert "you can't sell 200" in refused
    assert not chat.service.state(1).trades[1:]


@pytest.mark.parametrize(
    "line",
    [
        "XYZ split 2-for-1 on 2024-06-10",
        "xyz did a 2 for 1 stock split on June 10, 2024",
        "/split XYZ 2-for-1 on 6/10/2024",
        "/split xyz 2 for 1 Jun 10 2024",
    ],
)
def test_the_ways_people_write_a_split(chat: Chat, line: str) -> None:
    assert "XYZ split 2-for-1 on Jun 10, 2024" in chat.send(line)
    assert chat.service.state(1).splits[0].ratio == 2


@pytest.mark.parametrize(
    "line",
    ["/split XYZ 1:10 2024-06-10", "/split XYZ reverse 10:1 2024-06-10", "XYZ 1-for-10 reverse split on 2024-06-10"],
)
def test_a_reverse_split(chat: Chat, line: str) -> None:
    # 100 shares become 10; basis $2,000 is $200 a share.
    text = chat.send(line)
    assert "XYZ reverse split 1-for-10" in text and "became 10" in text and "$200.00 a share" in text
    assert chat.service.state(1).splits[0].ratio == D("0.1")


def test_cash_in_lieu_is_a_sale_of_the_fraction(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard()
    chat.send("/buy 105 XYZ 2 2025-01-10")
    # 1-for-10: 105 shares -> 10.5; the half share is paid in cash, $12.50.
    # Its basis: 105 x $2 = $210 over 10.5 new shares = $20 each; half a share = $10.
    # Held 2025-01-10 to 2025-06-10: short-term; gain $12.50 - $10.00 = $2.50.
    text = chat.send("/split XYZ 1:10 2025-06-10 cash in lieu $12.50")
    assert "cash in lieu of 0.5 share is a sale of that fraction: $2.50 short-term gain" in text
    assert "$2.50 short-term gain" in chat.send("/gains 2025")
    assert "10 shares" in chat.send("/portfolio")


def test_a_split_told_twice_is_saved_once(chat: Chat) -> None:
    chat.send("/split XYZ 2:1 2024-06-10", event_id="u1")
    chat.send("/split XYZ 2:1 2024-06-10", event_id="u1")  # Telegram delivered it again
    again = chat.send("/split XYZ 2:1 2024-06-10")  # the user said it again
    assert "Already recorded" in again
    assert len(chat.service.state(1).splits) == 1
    assert "If that one is wrong, /delete 2 first" in chat.send("/split XYZ 3:1 2024-06-10")


def test_undo_and_delete_take_a_split_back_out(chat: Chat) -> None:
    chat.send("/split XYZ 2:1 2024-06-10")
    assert "Undone: #2 XYZ split 2-for-1" in chat.tap("Undo")
    assert not chat.service.state(1).splits
    chat.send("/split XYZ 2:1 2024-06-10")
    assert "#3 XYZ split 2-for-1 on Jun 10, 2024" in chat.send("/trades")
    chat.send("/sell 150 XYZ 15 2025-02-03")
    chat.send("/delete 3")
    # The sale of 150 needs the split's shares: removing it is refused, and nothing changes.
    assert "Remove the later sale first" in chat.tap("Yes, delete")
    assert len(chat.service.state(1).splits) == 1


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("/split XYZ 2024-06-10", "I need the ratio"),
        ("/split XYZ 1:1 2024-06-10", "isn't a split"),
        ("/split XYZ 2:1", "On what date?"),
        ("/split ABC 2:1 2024-06-10", "you held no ABC"),
        ("/split XYZ 2:1 2023-06-10", "you held no XYZ"),  # before the purchase
        ("/split XYZ 5000:1 2024-06-10", "beyond what I can take"),
        ("/split", "Which stock split"),
    ],
)
def test_bad_split_lines_say_how_to_write_them(chat: Chat, line: str, words: str) -> None:
    assert words in chat.send(line)
    assert not chat.service.state(1).splits


def test_a_sale_on_the_split_date_is_in_new_shares(chat: Chat) -> None:
    # The split takes effect at the start of its day (the ex-date): selling 200 that day works.
    chat.send("/split XYZ 2:1 2024-06-10")
    assert "you can't sell" not in chat.send("/sell 200 XYZ 11 2024-06-10")
