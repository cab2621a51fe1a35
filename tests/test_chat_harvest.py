"""/harvest names the exact lots, and /sell can sell exactly those (issue 16, "found on the way").

The ledger is issue 16's: 50 AAA bought Feb 2 and 50 more Nov 20, 2026, both $40, now $20; 100 BBB
bought Mar 2, 2025 at $30, now $10. Single, $80,000 of wages: taxable income $63,900, in the 22%
bracket (up to $105,700) with room below, so each $1,000 of loss against income saves $220.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from calc.booking import KEPT, LATEST
from tests.chat import Chat

DEC_1 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def told(tmp_path: Path, *lines: str) -> Chat:
    """A single filer with $80,000 of wages on Dec 1, 2026 who sent these lines."""
    chat = Chat(tmp_path / "cgt.db", now=DEC_1)
    chat.onboard(income="80000")
    for line in lines:
        chat.send(line)
    return chat


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    return told(
        tmp_path,
        "/buy 50 AAA 40 2026-02-02",
        "/buy 50 AAA 40 2026-11-20",
        "/buy 100 BBB 30 2025-03-02",
        "/price AAA 20",
        "/price BBB 10",
    )


def test_the_suggestion_names_each_lot_and_the_cost_of_oldest_first(chat: Chat) -> None:
    chat.send("/harvest")
    text = chat.read_pages()
    suggestion, _, others = text.partition("Other lots below cost")
    # BBB's $2,000 and the Nov 20 AAA lot's $1,000 reach the $3,000 limit: 3,000 x 22% = $660.
    assert "Suggested: sell these 2 lots (listed under “The lots to sell”), $3,000.00 of losses in all." in suggestion
    assert "• BBB: the 100 shares bought Mar 2, 2025, $2,000.00 long-term loss at $10.00" in suggestion
    assert "• AAA: the 50 shares bought Nov 20, 2026, $1,000.00 short-term loss at $20.00" in suggestion
    assert "$3,000.00 offsets wages and other income (the most allowed in a year): about $660.00 less tax" in suggestion
    assert "Estimated saving this year: $660.00." in suggestion
    assert "specific identification" in suggestion and "confirm it in writing" in suggestion
    # Oldest first, 50 AAA is the February lot; the Nov 20 purchase makes its $1,000 loss a wash sale,
    # so only BBB's $2,000 counts: 2,000 x 22% = $440.
    assert "for AAA that's 50 shares bought Feb 2, 2026" in suggestion
    assert "$1,000.00 of the loss disallowed" in suggestion
    assert "save about $440.00 this year instead of $660.00" in suggestion
    assert (
        "/sell 100 BBB 10 2026-12-01 lot 2025-03-02" in suggestion
        and "/sell 50 AAA 20 2026-12-01 lot 2026-11-20" in suggestion
    )
    assert "don't buy AAA and BBB back before Jan 1, 2027" in suggestion  # Dec 1 + 30 days is Dec 31
    # The February lot is listed once, with its warning, and never suggested.
    assert "AAA: the 50 shares bought Feb 2, 2026" in others and "before Dec 21, 2026 would be a wash sale" in others
    assert "Feb 2, 2026, $1,000.00" not in suggestion


def test_selling_the_named_lot_records_the_suggested_sale(chat: Chat) -> None:
    sold = chat.send("/sell 50 AAA 20 2026-12-01 lot 2026-11-20")
    assert "From the lots you chose, not the oldest first: 50 bought Nov 20, 2026" in sold
    assert "$1,000.00 short-term loss" in sold and "Wash sale" not in sold
    state = chat.service.state(1)
    assert [(p.lot_id, p.quantity) for p in state.trades[-1].lots] == [("T2", 50)]
    # Without the lot, /sell takes the February shares and the loss is a wash sale.
    chat.send("/undo")
    fifo = chat.send("/sell 50 AAA 20 2026-12-01")
    assert "Wash sale" in fifo and "$1,000.00 of the loss can't be deducted now" in fifo


def test_lots_named_in_words_and_mistakes(chat: Chat) -> None:
    text = chat.send("/sell 60 AAA 20 Dec 1, 2026 lots Nov 20, 2026 and Feb 2, 2026")
    assert "From the lots you chose" in text
    picks = chat.service.state(1).trades[-1].lots
    assert [(p.lot_id, p.quantity) for p in picks] == [("T2", 50), ("T1", 10)]
    chat.send("/undo")
    missing = chat.send("/sell 50 AAA 20 2026-12-01 lot 2026-03-03")
    assert "you held no AAA bought Mar 3, 2026" in missing and "50 bought Feb 2, 2026" in missing
    short = chat.send("/sell 80 AAA 20 2026-12-01 lot 2026-11-20")
    undated = chat.send("/sell 50 AAA 20 lot 2026-11-20")
    assert "On what day did you sell?" in undated
    assert "The lots you named hold 50 AAA, not the 80 you're selling" in short
    unreadable = chat.send("/sell 50 AAA 20 2026-12-01 lot 11/20/2026 and sometime")
    assert "as the day a lot was bought" in unreadable and "lot 2024-11-20" in unreadable
    assert len(chat.service.state(1).trades) == 3  # nothing saved by the mistakes


def test_the_totals_are_the_sums_of_the_lots_shown(tmp_path: Path) -> None:
    # A $5,000 long-term gain realized this year; two losing lots worth $1,200 and $800 (short-term).
    # They cancel $2,000 of the $5,000: the net long-term gain falls to $3,000, at 15% (taxable
    # income $68,900, over the 0% band): $300 less tax. Nothing is left for the income limit.
    chat = told(
        tmp_path,
        "/buy 100 CCC 10 2024-01-02",
        "/sell 100 CCC 60 2026-03-02",
        "/buy 40 DDD 50 2026-06-01",
        "/buy 20 EEE 90 2026-07-01",
        "/price DDD 20",
        "/price EEE 50",
    )
    chat.send("/harvest")
    text = chat.read_pages()
    assert "You have $5,000.00 of net capital gains so far this year." in text
    assert "Suggested: sell these 2 lots (listed under “The lots to sell”), $2,000.00 of losses in all." in text
    assert "They cancel $2,000.00 of your $5,000.00 of gains: about $300.00 less tax." in text
    assert "offsets wages" not in text and "carries forward to 2027" not in text
    listed = text.split("The lots to sell\n")[1].split("Then record")[0]
    assert "DDD: the 40 shares bought Jun 1, 2026, $1,200.00 short-term loss at $20.00" in listed
    assert "EEE: the 20 shares bought Jul 1, 2026, $800.00 short-term loss at $50.00" in listed
    assert listed.count("• ") == 2 and "Other lots below cost" not in text


def test_lots_named_in_plain_words(chat: Chat) -> None:
    # Free text naming lots is read exactly, as /sell reads it: the named lot, not the oldest.
    sold = chat.send("sold 50 AAA at 20 today from the shares bought Nov 20")
    assert "Saved" in sold and "From the lots you chose, not the oldest first: 50 bought Nov 20, 2026" in sold
    assert chat.service.state(1).trades[-1].date == DEC_1.date()
    chat.send("/undo")
    assert "Wash sale" not in chat.send("sold 50 AAA at 20 on 2026-12-01 lot 2026-11-20")
    chat.send("/undo")
    assert "From the lots you chose" not in chat.send("sold a lot of AAA, 50 at 20 today")


def test_oldest_first_would_sell_shares_at_a_gain(tmp_path: Path) -> None:
    # 50 AAA bought in 2020 at $10 and 50 more on Jun 1, 2026 at $40; now $20. The June lot loses
    # $1,000: $1,000 x 22% = $220 saved. Oldest first sells the 2020 shares instead: a $500 long-term
    # gain, taxed at 15% on top of $63,900 of taxable income: $75 more tax, not $220 less.
    chat = told(tmp_path, "/buy 50 AAA 10 2020-01-02", "/buy 50 AAA 40 2026-06-01", "/price AAA 20")
    chat.send("/harvest")
    text = chat.read_pages()
    assert "• AAA: the 50 shares bought Jun 1, 2026, $1,000.00 short-term loss at $20.00" in text
    assert "Estimated saving this year: $220.00." in text
    assert "for AAA that's 50 shares bought Jan 2, 2020, $500.00 of gain instead of a loss" in text
    assert "That would add about $75.00 of tax this year instead of saving $220.00" in text


def test_a_gift_below_its_value_at_the_gift_is_harvested_from_that_value(tmp_path: Path) -> None:
    # Donor's basis 100 x $20 = $2,000, worth $1,500 when given (IRC 1015(a)); now $12: the loss is
    # 1,500 - 1,200 = $300 (not the donor's $800), $300 x 22% = $66.
    chat = told(tmp_path, "/buy 100 GFT 20 2019-05-01 gift value 15 on 2024-03-01", "/price GFT 12")
    chat.send("/harvest")
    text = chat.read_pages()
    assert "• GFT: the 100 shares received as a gift on Mar 1, 2024, $300.00 long-term loss at $12.00" in text
    assert "Estimated saving this year: $66.00." in text


def test_harvest_keeps_none_of_its_trial_sales(chat: Chat) -> None:
    """/harvest books the history with its suggested sales (and oldest first) to figure the saving:
    trials nobody asks for again, which must not crowd real bookings out of the cache shared by
    every user (calc.booking.KEPT) nor leave their rows for the collector to scan."""
    chat.send("/harvest")  # the history itself is booked and kept
    weight, parts, latest = KEPT.weight, len(KEPT), dict(LATEST)
    for _ in range(3):
        chat.send("/harvest")
        assert "Estimated saving this year: $660.00." in chat.read_pages()
    assert (KEPT.weight, len(KEPT)) == (weight, parts) and dict(LATEST) == latest
