"""Answers that fit a phone: a 200-lot portfolio's /portfolio, /gains and /harvest, page by page.

Issue 15: /portfolio was 4,538 characters split mid-list, /gains 2,752, /harvest 3,036. Each is
now a summary of at most PAGE_CHARS characters, with buttons to pages of the same size; paging
reaches every lot and every sale exactly once, and an old page button never shows stale data.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from conversations.events import Event, FileIn
from conversations.paging import CHANGED, NEXT, PAGE_CHARS
from conversations.taxview import ledger_for
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
