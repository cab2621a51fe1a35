"""What real investors hold, in the chat: wash-sale replacements' tacked holding period, crypto,
inherited and gifted shares. Each a tiny ledger with its figures worked from the rule cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chat import Chat


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.onboard(income="150000")
    return c


def test_a_wash_sale_replacement_says_its_tacked_holding_period(chat: Chat) -> None:
    # Bought 2025-01-02 at $50, sold 2025-10-03 at $40: a $1,000 loss after 274 days. Bought back
    # 2025-10-10 (7 days later): the loss is disallowed and moves into the new shares, whose holding
    # period includes the old shares' 274 days (IRC 1223(3); Publication 550, Wash Sales).
    # Sold 2026-03-31: 172 days of its own + 274 = 446 days, more than one year: long-term.
    # Gain: 100 x ($45 - $42) - $1,000 moved into the basis = -$700, a long-term loss.
    chat.send("/buy 100 AAA 50 2025-01-02")
    chat.send("/sell 100 AAA 40 2025-10-03")
    chat.send("/buy 100 AAA 42 2025-10-10")
    sold = chat.send("/sell 100 AAA 45 2026-03-31")
    assert "$700.00 long-term loss" in sold
    assert "held 446 days (172 days, plus 274 from the shares whose loss moved here in a wash sale)" in sold
    assert "172 days, plus 274" in chat.send("/gains 2026")


def test_a_sale_without_a_wash_sale_says_just_its_days(chat: Chat) -> None:
    chat.send("/buy 100 AAA 50 2025-01-02")
    assert "held 274 days, one year or less" in chat.send("/sell 100 AAA 60 2025-10-03")
