"""Answers that fit a phone: a 200-lot portfolio's /portfolio, /gains and /harvest, page by page.

Issue 15: /portfolio was 4,538 characters split mid-list, /gains 2,752, /harvest 3,036. Each is
now a summary of at most PAGE_CHARS characters, with buttons to pages of the same size; paging
reaches every lot and every sale exactly once, and an old page button never shows stale data.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from conversations.events import Event, FileIn
from conversations.paging import CHANGED, NEXT, PAGE_CHARS
from conversations.taxview import ledger_for
from conversations.trading import number_of
from tests.chat import NOW, Chat
from tests.test_phone_html import checked

SYMBOLS = ("AAPL", "MSFT", "NVDA", "VTI", "TSLA", "AMZN", "QQQ", "KO")
_files = itertools.count()


def history() -> list[str]:
    """About 260 trades over 2022-2026 in eight symbols: buys most months, loss sales bought back within
    30 days (wash sales), and gains; 200 or so lots stay open."""
    rng = random.Random(15)
    rows = []
    for n, ticker in enumerate(SYMBOLS):
        price = Decimal(40 + 30 * n)
        day = date(2022, 1, 3) + timedelta(days=n)
        held = 0
        for _ in range(32):
            shares = rng.randint(1, 40)
            rows.append(f"{day},buy,{ticker},{shares},{price},0")
            held += shares
            if rng.random() < 0.25 and held > 20:  # a sale, often at a loss, with the next buy inside 30 days
                sold = rng.randint(1, 10)
                rows.append(f"{day + timedelta(days=10)},sell,{ticker},{sold},{price * Decimal('0.8'):.2f},0")
                held -= sold
            price = (price * Decimal(rng.choice(("0.9", "0.97", "1.04", "1.12")))).quantize(Decimal("0.01"))
            day += timedelta(days=rng.choice((20, 25, 45, 70)))
            if day >= NOW.date():
                break
    rows.sort()
    return rows


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Chat:
    chat = Chat(tmp_path_factory.mktemp("phone") / "cgt.db")
    chat.onboard()
    content = ("date,side,symbol,quantity,price,fees\n" + "\n".join(history()) + "\n").encode()
    event = Event(kind="file", id=f"f{next(_files)}", now=NOW, file=FileIn(name="big.csv", content=content))
    chat.last = chat.service.process(chat.user_id, event)
    chat.tap("Add")
    for i, ticker in enumerate(SYMBOLS[:-1]):  # one symbol without a price
        chat.send(f"/price {ticker} {60 + 25 * i}")
    return chat


def lots_held(chat: Chat) -> int:
    return len(ledger_for(chat.service.state(chat.user_id)).lots)


def page_through(chat: Chat, first: str) -> list[list[str]]:
    """Every page from the summary's `first` button on, following Next; the texts as the user sees them."""
    pages = [checked(chat.last)]
    chat.tap(first)
    pages.append(checked(chat.last))
    while any(b.label == NEXT for r in chat.last for row in r.buttons for b in row):
        chat.tap(NEXT)
        pages.append(checked(chat.last))
        assert len(pages) < 200, "paging never ends"
    return pages


def test_the_history_is_big_enough(big: Chat) -> None:
    state = big.service.state(big.user_id)
    ledger = ledger_for(state)
    assert len(ledger.lots) >= 200
    assert len({lot.symbol for lot in ledger.lots}) == len(SYMBOLS)
    assert sum(1 for d in ledger.dispositions if d.wash_sale_disallowed) >= 5
    assert len({d.sold.year for d in ledger.dispositions}) >= 3


def test_portfolio_summary_then_pages_reach_every_lot_once(big: Chat) -> None:
    big.send("/portfolio")
    (summary,) = checked(big.last)
    assert len(summary) <= PAGE_CHARS
    assert "short-term" in summary and "long-term" in summary
    pages = page_through(big, "Lots by symbol")
    for page in pages:
        assert all(len(text) <= PAGE_CHARS for text in page)
    bullets = [line for page in pages[1:] for text in page for line in text.splitlines() if line.startswith("• ")]
    assert len(bullets) == lots_held(big)
    assert max(Counter(bullets).values()) <= 2  # the same line twice only for two identical lots
    seen = Counter((line.split(": ")[0]) for page in pages[1:] for text in page for line in text.splitlines())
    for ticker in SYMBOLS:
        assert seen[ticker] >= 1  # each symbol's heading opens its lots


def test_a_symbol_of_the_portfolio(big: Chat) -> None:
    big.send("/portfolio")
    big.tap("AAPL")
    (summary,) = checked(big.last)
    assert summary.startswith("AAPL") and len(summary) <= PAGE_CHARS
    held = sum(1 for lot in ledger_for(big.service.state(big.user_id)).lots if lot.symbol == "AAPL")
    if held:
        pages = page_through(big, "Every lot") if big.last[0].buttons[0][0].label.startswith("Every") else []
        bullets = [line for page in pages[1:] for text in page for line in text.splitlines() if line.startswith("• ")]
        assert len(bullets) == held or not pages


def test_an_old_page_button_shows_the_answer_as_it_is_now(big: Chat, tmp_path: Path) -> None:
    big.send("/portfolio")
    big.tap("Lots by symbol")
    old_next = next(b for r in big.last for row in r.buttons for b in row if b.label == NEXT)
    big.send("/price KO 50")  # what the pages show has changed
    big.press(old_next.data)
    (text,) = checked(big.last)
    assert text.startswith(CHANGED)
    assert "KO: " in text or "KO ›" in str(big.last[0].buttons)
    big.send("/price KO 0.5")


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025, 2026])
def test_gains_summary_then_every_sale_once(big: Chat, year: int) -> None:
    big.send(f"/gains {year}")
    (summary,) = checked(big.last)
    assert len(summary) <= PAGE_CHARS
    sold = [d for d in ledger_for(big.service.state(big.user_id)).dispositions if d.sold.year == year]
    labels = [b.label for r in big.last for row in r.buttons for b in row]
    if any(label.startswith("Every sale") for label in labels):
        pages = page_through(big, "Every sale")
        bullets = [line for page in pages[1:] for text in page for line in text.splitlines() if line.startswith("• ")]
    else:
        bullets = [line for line in summary.splitlines() if line.startswith("• ") and " sold " in line]
    assert len(bullets) == len(sold)


def test_every_reply_of_the_big_history_fits(big: Chat) -> None:
    for text in ("/harvest", "/trades", "/help", "/whatif sell 100 NVDA 300", "/gains", "/export", "/form8949 2025"):
        big.send(text)
        for shown in checked(big.last):
            assert len(shown) <= 4096


def test_harvest_summary_then_every_losing_lot_once(big: Chat) -> None:
    big.send("/harvest")
    (summary,) = checked(big.last)
    assert len(summary) <= PAGE_CHARS and "Estimated saving this year" in summary
    pages = page_through(big, "The lots, lot by lot")
    assert all(len(text) <= PAGE_CHARS for page in pages for text in page)
    lines = [line for page in pages[1:] for text in page for line in text.splitlines()]
    losing = [line for line in lines if line.startswith("• ") and "-term loss at $" in line]
    state = big.service.state(big.user_id)
    below_cost = [
        lot
        for lot in ledger_for(state).lots
        if lot.symbol in state.prices and lot.quantity * state.prices[lot.symbol] < lot.basis
    ]
    assert len(losing) == len(below_cost) > 10
    assert sum(line.startswith("/sell ") or "Then record the sale" in line for line in lines) == 1


def trade_numbers(lines: list[str]) -> list[int]:
    return [int(m.group(1)) for line in lines if (m := re.match(r"#(\d+) ", line))]


def test_trades_newest_first_a_page_at_a_time_reach_every_trade_once(big: Chat) -> None:
    """/trades showed "the last 15 of N" and no more: now the newest that fit, then every trade in pages
    that say where they are ("Trades 31–60 of 262"), newest first, each exactly once."""
    state = big.service.state(big.user_id)
    total = len(state.trades)
    big.send("/trades")
    (summary,) = checked(big.last)
    assert len(summary) <= PAGE_CHARS
    assert summary.startswith("Your trades\n") and f"{total} trades from Jan 3, 2022 to " in summary
    assert re.search(rf"… and {total - len(trade_numbers(summary.splitlines()))} more trades\.", summary)
    pages = page_through(big, "All trades")
    assert all(len(text) <= PAGE_CHARS for page in pages for text in page)
    spans = [
        re.match(r"Your trades · Trades ([\d,]+)–([\d,]+) of ([\d,]+)$", page[0].splitlines()[0]) for page in pages[1:]
    ]
    assert all(spans), [page[0].splitlines()[0] for page in pages[1:]]
    bounds = [(int(s[1]), int(s[2]), int(s[3])) for s in spans if s]
    assert bounds[0][0] == 1 and bounds[-1][1] == total and {b[2] for b in bounds} == {total}
    assert all(later[0] == earlier[1] + 1 for earlier, later in itertools.pairwise(bounds))  # no gap, no overlap
    listed = [number for page in pages[1:] for number in trade_numbers(page[0].splitlines())]
    assert sorted(listed) == sorted(int(number_of(t)) for t in state.trades)  # every trade, once
    day = {int(number_of(t)): t.date for t in state.trades}
    assert all(day[a] >= day[b] for a, b in itertools.pairwise(listed))  # newest first
    assert trade_numbers(summary.splitlines()) == listed[: len(trade_numbers(summary.splitlines()))]
    years = [line for page in pages[1:] for line in page[0].splitlines() if re.fullmatch(r"20\d\d", line)]
    newest = max(t.date for t in state.trades)
    assert years[0] == str(newest.year) and "2022" in years  # each page opens under its year


def test_an_old_trades_page_button_after_a_new_trade_shows_them_as_they_are_now(big: Chat) -> None:
    big.send("/trades")
    big.tap("All trades")
    big.tap(NEXT)
    back = next(b for r in big.last for row in r.buttons for b in row if b.label == "‹ Back")
    assert big.press(back.data).splitlines()[0].startswith("Your trades · Trades 1–")
    big.send("/buy 1 KO 10 2026-11-20")
    try:
        big.press(back.data)
        (text,) = checked(big.last)
        assert text.startswith(CHANGED) and "KO at $10.00 on Nov 20, 2026" in text  # the new trade, newest
    finally:
        big.send("/undo")


def test_a_few_trades_are_one_message_newest_first(chat: Chat) -> None:
    for line in ("/buy 10 XYZ 20 2024-01-10", "/buy 5 ABC 7 2026-02-01", "/sell 10 XYZ 25 2025-03-03"):
        chat.send(line)
    chat.send("/trades")
    (text,) = checked(chat.last)
    assert [line.split(" at ")[0] for line in text.splitlines() if line.startswith("#")] == [
        "#2 buy 5 ABC",
        "#3 sell 10 XYZ",
        "#1 buy 10 XYZ",
    ]
    assert "3 trades from Jan 10, 2024 to Feb 1, 2026, newest first." in text
    assert not chat.last[0].buttons  # all of it on one screen: nothing to page


def forty_lots(chat: Chat) -> None:
    """40 lots of 10 XYZ bought every 19 days from 2024, at prices between $20 and $56."""
    rows = [f"{date(2024, 1, 2) + timedelta(days=19 * i)},buy,XYZ,10,{20 + (i * 7) % 37},0" for i in range(40)]
    content = ("date,side,symbol,quantity,price,fees\n" + "\n".join(rows) + "\n").encode()
    chat._run(Event(kind="file", id=f"f{next(_files)}", now=NOW, file=FileIn(name="xyz.csv", content=content)))
    chat.tap("Add")


def test_whatif_on_many_lots_is_a_summary_then_the_lots_it_sells(chat: Chat) -> None:
    """/whatif listed ten lots, "… and 20 more", and thirty cheaper lots in one sentence (2,254 characters);
    now a summary that fits a screen, and every lot of both sales on the pages."""
    forty_lots(chat)
    chat.send("/whatif sell 300 XYZ 30")
    (summary,) = checked(chat.last)
    assert len(summary) <= PAGE_CHARS
    assert summary.startswith("If you sold 300 XYZ at $30.00 today (oldest shares first)\n")
    assert "Total -$2,290.00 from 30 lots; estimated federal tax for 2026 -$506.00." in summary
    assert "Cheaper: sell the 30 lots under “The cheaper lots” instead of the oldest first." in summary
    assert "$154.00 less this year" in summary
    pages = page_through(chat, "The lots it sells")
    assert all(len(text) <= PAGE_CHARS for page in pages for text in page)
    lines = [line for page in pages[1:] for line in page[0].splitlines()]
    oldest, cheaper = lines.index("Sold oldest first"), lines.index("The cheaper lots")
    sold = [line for line in lines[oldest:cheaper] if line.startswith("• XYZ: ")]
    picked = [line for line in lines[cheaper:] if line.startswith("• XYZ: ")]
    assert len(sold) == len(picked) == 30
    assert sum(" loss " in line for line in picked) > sum(" loss " in line for line in sold)  # costlier lots
    # Back at the summary after paging, its Record button records the cheaper lots.
    chat.tap("Summary")
    assert "Saved #41" in chat.tap("Record this sale")
    (sale,) = [t for t in chat.service.state(1).trades if t.side == "sell"]
    assert len(sale.lots) == 30 and sale.quantity == 300


def test_whatif_pages_are_figured_again_when_pressed(chat: Chat) -> None:
    forty_lots(chat)
    chat.send("/whatif raise 5,990 from XYZ at 30")
    whole = chat.read_pages()
    assert "To raise $5,990.00 at $30.00 you'd sell 200 XYZ." in whole  # 199.67 shares: 200
    assert "Selling 200 XYZ · Page 2" in whole and CHANGED not in whole  # figured again: the same answer
    chat.send("/whatif sell 300 XYZ 30")
    more = next(b for r in chat.last for row in r.buttons for b in row if b.label.endswith("›"))
    chat.send("/sell 100 XYZ 25 2026-11-20")  # what the pages would show has changed
    assert chat.press(more.data).startswith(CHANGED)


def test_trades_name_the_latest_splits_and_count_the_rest(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2020-01-10")
    for year in range(2020, 2027):
        chat.send(f"/split XYZ 2:1 {year}-06-01")
    chat.send("/trades")
    (text,) = checked(chat.last)
    assert "#4 XYZ split 2-for-1 on Jun 1, 2022" in text and "#3 XYZ" not in text
    assert "#8 XYZ split 2-for-1 on Jun 1, 2026; and 2 earlier (/export lists them)." in text


@pytest.mark.parametrize(
    "data", ["wi:", "wi:NaN,XYZ,30:1:x", "wi:10,<b>,30:1:", "wi:Infinity,XYZ,1:2:", "wi:-5,XYZ,30:1:"]
)
def test_a_forged_whatif_page_button_has_expired(chat: Chat, data: str) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    assert chat.press(data) == "That button has expired. Ask /whatif again."
