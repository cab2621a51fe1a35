"""What real investors hold, in the chat: wash-sale replacements' tacked holding period, crypto,
inherited and gifted shares. Each a tiny ledger with its figures worked from the rule cited."""

from __future__ import annotations

from datetime import UTC, datetime
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


def test_crypto_losses_are_not_wash_sales_but_the_same_trades_in_a_stock_are(chat: Chat) -> None:
    # 0.5 BTC bought at $60,000 on Jan 5, 0.1 more at $55,000 on Jan 20, then 0.5 sold at $50,000 on
    # Feb 2 (FIFO: the Jan 5 coins): a $5,000 loss, with a purchase 13 days before. For stock the
    # 0.1 replaces 0.1 of the 0.5 sold: 1/5 of the loss, $1,000, is disallowed (IRC 1091). Bitcoin is
    # property (Notice 2014-21), not stock or securities: the whole $5,000 counts.
    chat.send("/buy 0.5 BTC 60000 2026-01-05")
    chat.send("/buy 0.1 BTC 55000 2026-01-20")
    sold = chat.send("/sell 0.5 BTC 50000 2026-02-02")
    assert "$5,000.00 short-term loss" in sold and "crypto is property, not a security" in sold
    assert "Wash sale" not in sold
    chat.send("/buy 0.5 XYZ 60000 2026-01-05")
    chat.send("/buy 0.1 XYZ 55000 2026-01-20")
    stock = chat.send("/sell 0.5 XYZ 50000 2026-02-02")
    assert "Wash sale" in stock and "$1,000.00 of the loss" in stock


def test_a_coin_the_user_calls_crypto_stays_crypto(chat: Chat) -> None:
    # 10,000 PEPE at $0.02 ($200), 5,000 more at $0.018 on Jan 20 (said without the word), 10,000 sold
    # at $0.01 on Feb 2: a $100 loss, kept whole.
    chat.send("/buy 10000 PEPE 0.02 2026-01-05 crypto")
    chat.send("/buy 5000 PEPE 0.018 2026-01-20")
    sold = chat.send("/sell 10000 PEPE 0.01 2026-02-02")
    assert "$100.00 short-term loss" in sold and "crypto is property" in sold
    assert [t.asset for t in chat.service.state(1).trades] == ["crypto", "crypto", "crypto"]


def test_harvest_says_crypto_can_be_bought_back_at_once(chat: Chat) -> None:
    chat.send("/buy 1 ETH 4000 2026-01-05")
    chat.send("/buy 1 ETH 3500 2026-11-10")  # 13 days before today (Nov 23): a wash-sale risk for a stock
    chat.send("/price ETH 3000")
    text = chat.send("/harvest")
    assert "Crypto is property, not a security" in text and "would be a wash sale" not in text


def test_inherited_shares_in_one_line(chat: Chat) -> None:
    # Value at death $50 x 100 = $5,000 is the basis (IRC 1014); sold 2 months later at $60: long-term.
    text = chat.send("/buy 100 XYZ 50 2024-03-01 inherited")
    assert "Inherited: your basis is the value on the date of death, $5,000.00 (IRC 1014)" in text
    sold = chat.send("/sell 100 XYZ 60 2024-05-01")
    assert "$1,000.00 long-term gain" in sold and "long-term however long (IRC 1223(9))" in sold


def test_gifted_shares_in_one_line_with_the_dual_basis(chat: Chat) -> None:
    text = chat.send("/buy 100 XYZ 20 2019-05-01 gift value 15 on 2024-03-01")
    assert "the donor's basis, $2,000.00, and holding period (from May 1, 2019) carry over" in text
    assert "between $1,500.00 and $2,000.00 there's neither gain nor loss" in text
    (trade,) = chat.service.state(1).trades
    assert (trade.source, trade.date.isoformat(), str(trade.held_since), trade.gift_value) == (
        "gift",
        "2024-03-01",
        "2019-05-01",
        15,
    )
    # Sold at $10 a month after the gift: the loss is from the $1,500 value, short-term: $500.
    sold = chat.send("/sell 100 XYZ 10 2024-04-01")
    assert "$500.00 short-term loss" in sold and "figured from its value then" in sold


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("/buy 100 XYZ 20 2019-05-01 gift", "the value per share on the day of the gift"),
        ("/buy 100 XYZ 20 2019-05-01 gift value 15", "the date of the gift"),
        ("/buy 100 XYZ 20 2024-05-01 gift value 15 on 2024-03-01", "before the donor's purchase"),
        ("/sell 100 XYZ 20 2024-05-01 inherited", "Inherited or gifted shares are a purchase line"),
    ],
)
def test_gift_and_inheritance_lines_missing_something(chat: Chat, line: str, words: str) -> None:
    assert words in chat.send(line)
    assert not chat.service.state(1).trades


def walk(chat: Chat, *steps: tuple[str, str]) -> str:
    """Send each text and check its answer says what is expected; the last answer."""
    answer = ""
    for text, expected in steps:
        answer = chat.send(text)
        assert expected in answer, (text, answer)
    return answer


def _trade_fields(chat: Chat) -> dict[str, object]:
    trade = chat.service.state(1).trades[-1]
    return trade.model_dump(exclude={"id", "number"})


def test_the_buy_wizard_asks_for_inherited_shares(chat: Chat) -> None:
    chat.send("/buy")
    asked = chat.send("XYZ")
    assert "Inherited them, or got them as a gift?" in asked
    assert "die" in chat.tap("Inherited")
    assert "How many shares" in chat.send("2024-03-01")
    assert "value at death is your basis" in chat.send("100")
    saved = chat.send("50")  # no fees question: nothing was bought
    assert "Inherited: your basis is the value on the date of death, $5,000.00 (IRC 1014)" in saved
    wizard = _trade_fields(chat)
    chat.send("/undo")
    chat.send("/buy 100 XYZ 50 2024-03-01 inherited")
    assert _trade_fields(chat) == wizard  # the same trade as the one-liner


def test_the_buy_wizard_asks_for_a_gift_and_its_value(chat: Chat) -> None:
    saved = walk(
        chat,
        ("/buy", "Which stock"),
        ("XYZ", "Inherited them, or got them as a gift?"),
        ("it was a gift", "donor buy them"),  # typed instead of tapped
        ("2019-05-01", "How many shares"),
        ("100", "donor pay per share"),
        ("20", "given to you"),
        ("2018-01-01", "before the donor bought them (May 1, 2019)"),
        ("2024-03-01", "worth on the day of the gift"),
        ("15", "Saved"),
    )
    # Donor's basis $2,000 and holding period from May 1, 2019; worth $1,500 when given: the dual basis.
    assert "A gift: the donor's basis, $2,000.00, and holding period (from May 1, 2019)" in saved
    assert "It was worth $1,500.00 when given, less than that basis" in saved
    wizard = _trade_fields(chat)
    chat.send("/undo")
    chat.send("/buy 100 XYZ 20 2019-05-01 gift value 15 on 2024-03-01")
    assert _trade_fields(chat) == wizard
    assert "closed" in chat.press("got:gift")  # the question is answered


def test_portfolio_words_a_low_value_gift_by_its_two_bases(chat: Chat) -> None:
    # Donor's basis 100 x $20 = $2,000; worth $1,500 when given (IRC 1015(a)).
    chat.send("/buy 100 XYZ 20 2019-05-01 gift value 15 on 2024-03-01")
    chat.send("/price XYZ 12")  # worth $1,200: a $300 loss from the value at the gift, not $800
    text = chat.send("/portfolio")
    assert "worth $1,200.00 at $12.00 (-$300.00 unrealized)" in text
    assert "-$300.00 unrealized: a gift worth $1,500.00 when given, less than the donor's basis" in text
    chat.send("/price XYZ 18")  # worth $1,800: between the two
    text = chat.send("/portfolio")
    assert "($0.00 unrealized)" in text and "no gain or loss at $18.00" in text
    assert "between $1,500.00 and $2,000.00 is neither (IRC 1015(a))" in text
    chat.send("/price XYZ 25")  # worth $2,500: a $500 gain from the donor's basis
    assert "+$500.00 unrealized (from the donor's basis)" in chat.send("/portfolio")


def test_an_open_replacement_lot_says_its_tacked_holding_period(tmp_path: Path) -> None:
    # The same wash sale, asked about on Mar 31, 2026 before selling: the replacement bought Oct 10, 2025
    # has 172 days of its own and the old shares' 274 (IRC 1223(3)), 446 in all: long-term already.
    chat = Chat(tmp_path / "cgt.db", now=datetime(2026, 3, 31, 15, 0, tzinfo=UTC))
    chat.onboard(income="150000")
    chat.send("/buy 100 AAA 50 2025-01-02")
    chat.send("/sell 100 AAA 40 2025-10-03")
    chat.send("/buy 100 AAA 42 2025-10-10")
    tacked = "held 446 days (172 days, plus 274 from the shares whose loss moved here in a wash sale)"
    assert tacked in chat.send("/portfolio")
    assert f"100 shares bought Oct 10, 2025, {tacked}: long-term already" in chat.send("when does my AAA go long term?")


def test_a_gifts_holding_period_says_the_donors_days(chat: Chat) -> None:
    # Given Mar 1, 2024 (997 days before Nov 23, 2026); the donor bought May 1, 2019, 1,766 days earlier.
    chat.send("/buy 100 XYZ 20 2019-05-01 gift value 25 on 2024-03-01")
    assert "held 2,763 days (997 days, plus 1,766 the donor held them)" in chat.send("/portfolio")


def test_a_line_confirmed_for_its_missing_date_keeps_what_else_it_said(chat: Chat) -> None:
    # Without a date the line is shown first; Save used to drop "inherited", "crypto" and the lots named.
    asked = chat.send("/buy 100 XYZ 50 inherited")
    assert "(inherited: the price is the value at death) — save it?" in asked
    assert "Inherited: your basis is the value on the date of death" in chat.tap("Save")
    assert "(crypto) — save it?" in chat.send("/buy 1 FOOC 50 crypto")
    chat.tap("Save")
    trades = chat.service.state(1).trades
    assert (trades[0].source, trades[1].asset) == ("inherited", "crypto")


def test_a_gifts_sale_says_the_donors_days(chat: Chat) -> None:
    # Given Mar 1, 2024, bought by the donor May 1, 2019; sold Apr 1, 2026 at $25, above the donor's $20:
    # a gain from the donor's basis, held from the donor's day: 761 days since the gift + 1766 = 2527.
    chat.send("/buy 100 XYZ 20 2019-05-01 gift value 15 on 2024-03-01")
    sold = chat.send("/sell 100 XYZ 25 2026-04-01")
    tacked = "held 2,527 days (761 days since the gift, plus 1,766 the donor held them), more than one year"
    assert "$500.00 long-term gain" in sold and tacked in sold
    assert tacked in chat.send("/gains 2026")
