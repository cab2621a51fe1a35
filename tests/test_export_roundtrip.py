"""/export, then importing the file into a fresh user, restores the same ledger (issue 16: splits,
the crypto mark, inherited and gifted shares, and the lots a sale named used to be lost).

User 1 records a history with one of each; user 2 starts afresh, imports user 1's export, and
must see the very same /portfolio and /gains for every year, word for word.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from calc.models import Trade
from conversations.events import Event, FileIn
from tests.chat import NOW, Chat

HISTORY = [
    "/buy 10 XYZ 20 2024-01-10",
    "/split XYZ 1:3 2024-06-10 cash 12.50",  # 3 1/3 shares: the third of a share paid in cash
    "/buy 100 AAA 50 2025-01-02",
    "/sell 100 AAA 40 2025-10-03",  # a $1,000 loss ...
    "/buy 100 AAA 42 2025-10-10",  # ... washed into these shares
    "/buy 50 AAA 45 2026-01-05",
    "/sell 60 AAA 47 2026-03-02 lots 2026-01-05, 2025-10-10",  # named lots, not the oldest first
    "/buy 0.5 FOOC 100 2026-02-01 crypto",
    "/sell 0.5 FOOC 80 2026-02-10",  # crypto: the loss stays though it is bought back
    "/buy 0.5 FOOC 70 2026-02-15",
    "/buy 100 INH 50 2024-03-01 inherited",
    "/sell 100 INH 48 2024-05-01",  # long-term however long
    "/buy 100 GFT 20 2019-05-01 gift value 15 on 2024-03-01",
    "/sell 50 GFT 12 2026-04-01",  # below the value at the gift: the loss from $15
    "/exercise 10 OPT nso strike 10 fmv 50 2026-02-02",
    "/vest 10 RSU fmv 120 2026-03-03",
    "/buy 20 IRAX 30 2026-05-01 in my Roth IRA",
    "/price AAA 44",
    "/price GFT 17",
    "/price XYZ 5",
]
ESPP = Trade(
    date=date(2024, 6, 28),
    symbol="ACME",
    side="buy",
    quantity=Decimal(100),
    price=Decimal("42.50"),
    source="espp",
    fmv=Decimal(55),
    grant_date=date(2024, 1, 2),
    offering_fmv=Decimal(50),
    id="T900",
)
REPORTS = ["/portfolio", "/gains 2024", "/gains 2025", "/gains 2026", "/trades"]


def test_an_export_imported_into_a_fresh_user_is_the_same_ledger(tmp_path: Path) -> None:
    first = Chat(tmp_path / "cgt.db", user_id=1)
    first.onboard(income="85000")
    for line in HISTORY:
        reply = first.send(line)
        assert "Saved" in reply or "Noted" in reply or "split" in reply.lower(), (line, reply)
    state = first.service.state(1)
    first.service.store.save(1, state, state.model_copy(update={"trades": (*state.trades, ESPP)}), None)
    first.send("/sell 100 ACME 70 2026-01-05")  # a qualifying ESPP sale: $750 of it is pay
    first.send("/export")
    (export,) = first.last[0].files

    second = Chat(tmp_path / "cgt.db", user_id=2)
    second.onboard(income="85000")
    event = Event(kind="file", id="import-1", now=NOW, file=FileIn(name="cgt-trades.csv", content=export.content))
    preview = second._run(event)
    assert "couldn't read" not in preview and "rows I couldn't" not in preview, preview
    assert "Added" in second.tap("Add")
    for line in ("/price AAA 44", "/price GFT 17", "/price XYZ 5"):  # prices are settings, not trades
        second.send(line)

    mine, theirs = first.service.state(1), second.service.state(2)
    assert len(theirs.trades) == len(mine.trades) and len(theirs.splits) == len(mine.splits) == 1
    assert theirs.splits[0].ratio == mine.splits[0].ratio and theirs.splits[0].cash_in_lieu == Decimal("12.50")
    for report in REPORTS[:-1]:
        assert second.send(report) == first.send(report), report
    # /trades numbers them afresh, but lists the same trades.
    assert second.send("/trades").count("#") == first.send("/trades").count("#")


def test_the_export_carries_each_field(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    for line in HISTORY[:12]:
        chat.send(line)
    chat.send("/buy 100 GFT 20 2019-05-01 gift value 15 on 2024-03-01")
    chat.send("/export")
    text = chat.last[0].files[0].content.decode()
    header, *rows = text.splitlines()
    assert header.startswith("number,id,date,side,symbol,quantity,price,fees,account,lots,source,fmv,grant_date,asset")
    assert any(",split,XYZ," in row and ",12.50" in row for row in rows)
    assert any(",FOOC," in row and ",crypto," in row for row in rows)
    assert any(",inherited," in row for row in rows)
    assert any(",gift," in row and ",2019-05-01,15," in row for row in rows)
    assert any(",T6:50;T5:10," in row for row in rows)  # the lots the sale named
