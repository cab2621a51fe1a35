"""Broker CSV import: each broker's published layout, bad rows with their row numbers, limits, re-import.

Fixtures in tests/fixtures/brokers/ follow each broker's export as documented by the broker and
as read by public importers (beancount-reds-importers, Export-To-Ghostfolio): column names,
title and disclaimer lines, "as of" dates, negative sold quantities, parenthesised amounts.
Every fixture holds the same two stock trades plus the broker's own oddities.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.drafts import ImportDraft
from conversations.events import Event, FileIn
from conversations.files.importers import MAX_BYTES, MAX_ROWS, ImportError_, read_csv
from conversations.importing import PREVIEW_CLOSED
from conversations.state import Wizard
from tests.chat import NOW, Chat

FIXTURES = Path(__file__).parent / "fixtures" / "brokers"
TODAY = date(2026, 11, 23)
D = Decimal
OPTIONS = "of options trades (not supported yet)"
NOT_TRADES = "of other activity (dividends, interest, transfers, totals)"


@pytest.mark.parametrize(
    ("name", "fmt", "fees", "account", "problems", "left_out"),
    [
        (
            "generic.csv",
            "generic CSV",
            (D(1), D(0)),
            None,
            [(4, "side “hold” should be buy or sell"), (5, "quantity “abc”"), (6, "2099-01-02 is in the future")],
            {},
        ),
        (
            "schwab.csv",
            "Charles Schwab transaction history",
            (D(1), D("0.05")),
            None,
            [(3, "price “$1O.00” isn't a number")],
            {OPTIONS: 1, NOT_TRADES: 2},  # the dividend is a row of its own; the split a corporate action
        ),
        (
            "fidelity.csv",
            "Fidelity account history",
            (D(0), D("0.02")),
            None,
            [(7, "quantity “ten”")],
            {OPTIONS: 1},  # and the dividend, a row of its own
        ),
        (
            "robinhood.csv",
            "Robinhood activity report",
            (D(0), D("0.03")),  # the sale's regulatory fees, seen only in Amount: 1,500.00 - 1,499.97
            None,
            [(5, "date “2/30/2024”")],
            {OPTIONS: 1, NOT_TRADES: 1},  # and the CDIV dividend, a row of its own
        ),
        (
            "ibkr_statement.csv",
            "Interactive Brokers trades",
            (D(1), D(1)),
            None,
            [(12, "in EUR")],
            {OPTIONS: 1},
        ),
        (
            "ibkr_flex.csv",
            "Interactive Brokers trades",
            (D(1), D(1)),
            "U1234567",
            [(6, "date “20241301”")],
            {OPTIONS: 1},
        ),
    ],
)
def test_each_broker_format(
    name: str,
    fmt: str,
    fees: tuple[Decimal, Decimal],
    account: str | None,
    problems: list[tuple[int, str]],
    left_out: dict[str, int],
) -> None:
    preview = read_csv(name, (FIXTURES / name).read_bytes(), today=TODAY)
    assert preview.format == fmt
    trades = sorted(preview.trades, key=lambda t: t.date)
    assert [(t.date, t.side, t.symbol, t.quantity, t.price, t.account) for t in trades] == [
        (date(2024, 1, 10), "buy", "XYZ", 100, 20, account),
        (date(2024, 12, 1), "sell", "XYZ", 100, 15, account),
    ]
    assert tuple(t.fees for t in trades) == fees
    assert [p.line for p in preview.problems] == [line for line, _ in problems]
    for (_, reason), problem in zip(problems, preview.problems, strict=True):
        assert reason in problem.reason
    assert dict(preview.left_out) == left_out
    assert (preview.buys, preview.sells, preview.first, preview.last, preview.symbols) == (
        1,
        1,
        date(2024, 1, 10),
        date(2024, 12, 1),
        ["XYZ"],
    )


def test_ids_are_stable_distinct_and_count_identical_fills() -> None:
    content = (FIXTURES / "schwab.csv").read_bytes()
    first = [t.id for t in read_csv("a.csv", content, today=TODAY).trades]
    assert first == [t.id for t in read_csv("renamed.csv", content, today=TODAY).trades]
    assert len(set(first)) == 2
    twice = b"date,side,symbol,quantity,price\n2024-01-10,buy,XYZ,1,20\n2024-01-10,buy,XYZ,1,20\n"
    ids = [t.id for t in read_csv("g.csv", twice, today=TODAY).trades]
    assert len(set(ids)) == 2  # two identical fills are two trades
    once = [t.id for t in read_csv("g.csv", twice.rsplit(b"2024", 1)[0], today=TODAY).trades]
    assert once == ids[:1]  # a shorter export of the same history shares the ids it has


def test_schwab_as_of_date_is_the_trade_date() -> None:
    content = b'"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"\n'
    content += b'"03/04/2024 as of 03/01/2024","Buy","XYZ","XYZ CORP","1,000","$1.50","","-$1,500.00"\n'
    (t,) = read_csv("s.csv", content, today=TODAY).trades
    assert (t.date, t.quantity, t.price) == (date(2024, 3, 1), 1000, D("1.5"))


def test_robinhood_rounded_price_takes_the_exact_cash() -> None:
    header = '"Activity Date","Process Date","Settle Date","Instrument","Description","Trans Code","Quantity","Price","Amount"\n'
    row = '"1/10/2024","1/10/2024","1/12/2024","XYZ","XYZ","Buy","3","$10.00","($30.01)"\n'
    row += '"1/11/2024","1/11/2024","1/12/2024","XYZ","XYZ","Buy","3","$10.00","($29.99)"\n'
    a, b = read_csv("r.csv", (header + row).encode(), today=TODAY).trades
    assert (a.price, a.fees) == (10, D("0.01"))  # cost 30.01 = 30.00 + 0.01
    # The printed price was rounded up: the price to 6 places, the cent's remainder a fee, the cash exact.
    assert (b.price, b.fees) == (D("9.996666"), D("0.000002")) and b.quantity * b.price + b.fees == D("29.99")


def test_ibkr_flex_with_line_descriptors_and_orders_with_executions() -> None:
    content = b"""BOF,U1234567,Trades,1,20240101,20241231
HEADER,TRNT,ClientAccountID,Symbol,DateTime,Quantity,TradePrice,IBCommission,Buy/Sell,LevelOfDetail
DATA,TRNT,U1234567,XYZ,20240110;103000,60,20,-0.5,BUY,EXECUTION
DATA,TRNT,U1234567,XYZ,20240110;103001,40,20,-0.5,BUY,EXECUTION
DATA,TRNT,U1234567,XYZ,20240110;103001,100,20,-1,BUY,ORDER
EOF,U1234567
"""
    preview = read_csv("flex.csv", content, today=TODAY)
    assert [(t.date, t.quantity, t.fees) for t in preview.trades] == [
        (date(2024, 1, 10), 60, D("0.5")),
        (date(2024, 1, 10), 40, D("0.5")),
    ]  # the ORDER row sums the two executions and is not counted again
    assert preview.problems == []


def test_ibkr_statement_found_after_other_sections() -> None:
    filler = b"".join(b"Net Asset Value,Data,Stock,%d,0,0\n" % i for i in range(200))
    content = (FIXTURES / "ibkr_statement.csv").read_bytes()
    head, trades = content.split(b"Trades,Header", 1)
    preview = read_csv("s.csv", head + filler + b"Trades,Header" + trades, today=TODAY)
    assert len(preview.trades) == 2


def test_unknown_columns_binary_and_limits() -> None:
    with pytest.raises(ImportError_, match=r"don't recognise the columns in x\.csv.*date,side,symbol"):
        read_csv("x.csv", b"a,b,c\n1,2,3\n", today=TODAY)
    with pytest.raises(ImportError_, match=re.escape("x.csv isn't a CSV file I can read. Export")):
        read_csv("x.csv", bytes(range(256)) * 10, today=TODAY)
    with pytest.raises(ImportError_, match=re.escape("2.0 MB; I take files up to 2 MB")):
        read_csv("big.csv", b"x" * (MAX_BYTES + 1), today=TODAY)
    header = b"date,side,symbol,quantity,price\n"
    with pytest.raises(ImportError_, match=f"{MAX_ROWS + 1:,} rows; I take up to {MAX_ROWS:,}"):
        read_csv("rows.csv", header + b"2024-01-01,buy,X,1,1\n" * (MAX_ROWS + 1), today=TODAY)
    assert len(read_csv("rows.csv", header + b"2024-01-01,buy,X,1,1\n" * MAX_ROWS, today=TODAY).trades) == MAX_ROWS


def test_bad_values_each_get_a_reason() -> None:
    rows = [
        "2024-01-10,buy,XYZ,0,20",
        "2024-01-10,buy,XYZ,1,0",
        "2024-01-10,buy,,1,20",
        "2024-01-10,buy,NOT A TICKER!,1,20",
        "10/01/24x,buy,XYZ,1,20",
        "2024-01-10,buy,XYZ,1,20,-$",
        "2024-01-10,buy,XYZ,1,NaN",
    ]
    content = ("date,side,symbol,quantity,price,fees\n" + "\n".join(rows)).encode()
    preview = read_csv("bad.csv", content, today=TODAY)
    reasons = [(p.line, p.reason) for p in preview.problems]
    assert [line for line, _ in reasons] == [2, 3, 4, 5, 6, 8]
    assert "quantity is missing or zero" in reasons[0][1]
    assert "price is missing or zero" in reasons[1][1]
    assert "symbol is missing" in reasons[2][1]
    assert "doesn't look like a stock ticker" in reasons[3][1]
    assert "isn't a date" in reasons[4][1]
    assert "isn't a number" in reasons[5][1]
    assert [t.fees for t in preview.trades] == [0]  # "-$" is an empty amount


def file_event(name: str, content: bytes, n: int) -> Event:
    return Event(kind="file", id=f"file-{n}-{name}", now=NOW, file=FileIn(name=name, content=content))


def test_preview_confirm_and_reimport_adds_nothing_twice(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    content = (FIXTURES / "schwab.csv").read_bytes()
    preview = chat._run(file_event("schwab.csv", content, 1))
    assert "Charles Schwab" in preview and "1 buy and 1 sell from Jan 10, 2024 to Dec 1, 2024, in XYZ" in preview
    assert (
        "row 3: price “$1O.00” isn't a number" in preview
        and "Left out 1 row of options trades (not supported yet)." in preview
    )
    assert chat.service.state(1).trades == ()  # nothing saved before confirming
    assert "Added 2 trades" in chat.tap("Add 2 trades")
    assert "Added" not in chat._run(file_event("schwab.csv", content, 1))  # the same delivery again: ignored
    again = chat._run(file_event("schwab.csv", content, 2))
    assert "2 trades you already have" in again and "Nothing new" in again
    assert len(chat.service.state(1).trades) == 2
    chat._run(file_event("fidelity.csv", (FIXTURES / "fidelity.csv").read_bytes(), 3))
    assert "Cancelled" in chat.tap("Cancel")
    assert chat.press("import:yes") == PREVIEW_CLOSED
    assert len(chat.restart().service.state(1).trades) == 2


def test_confirm_twice_adds_once_and_undo_import(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat._run(file_event("generic.csv", (FIXTURES / "generic.csv").read_bytes(), 1))
    chat.tap("Add 2 trades")
    undo = next(b.data for r in chat.last for row in r.buttons for b in row if b.label == "Undo this import")
    assert "already added" in chat.press("import:yes")
    assert len(chat.service.state(1).trades) == 2
    assert "removed the 2 imported trades" in chat.press(undo)
    assert "already undone" in chat.press("import:undo")
    assert chat.service.state(1).trades == ()


def test_sale_without_its_purchase_is_caught_in_the_preview(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    sells_only = b"date,side,symbol,quantity,price\n2024-12-01,sell,XYZ,100,15\n"
    text = chat._run(file_event("sells.csv", sells_only, 1))
    assert "starts mid-way" in text and "Dec 1, 2024: sold 100 XYZ; none held before." in text
    assert [b.label for r in chat.last for row in r.buttons for b in row] == ["Add without those sales", "Cancel"]
    assert chat.service.state(1).trades == ()
    chat.send("/buy 100 XYZ 20 2024-01-10")
    chat._run(file_event("sells.csv", sells_only, 2))
    assert "Add 1 trade" in [b.label for r in chat.last for row in r.buttons for b in row]


def test_not_a_csv_and_too_big_in_the_chat(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    assert "I read CSV files" in chat._run(file_event("photo.jpg", b"\xff\xd8", 1))
    assert "up to 2 MB" in chat._run(file_event("big.csv", b"x" * (MAX_BYTES + 1), 2))
    assert chat.service.state(1).trades == ()


def test_terminal_import_path_reads_the_file(tmp_path: Path) -> None:
    from bot.console import to_event

    path = FIXTURES / "robinhood.csv"
    event = to_event(f"/import {path}", [], 1)
    assert event.kind == "file" and event.file is not None and event.file.content == path.read_bytes()


CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["buy", "sell", "XYZ", "2024-01-10", "01/10/2024", "$1,000.50", "(5.00)", "-3", "0", "--"]),
)


@settings(max_examples=60, deadline=None)
@given(
    header=st.sampled_from(
        [
            "date,side,symbol,quantity,price,fees",
            '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"',
            "Run Date,Action,Symbol,Quantity,Price ($),Commission ($),Fees ($),Amount ($)",
            "Activity Date,Instrument,Trans Code,Quantity,Price,Amount",
            "Symbol,TradeDate,Quantity,TradePrice,IBCommission,Buy/Sell",
        ]
    ),
    rows=st.lists(st.lists(CELL, max_size=9), max_size=8),
)
def test_any_rows_give_a_preview_never_a_crash(header: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    content = (header + "\n" + out.getvalue()).encode()
    preview = read_csv("fuzz.csv", content, today=TODAY)
    lines = len(rows) + 1
    assert all(2 <= p.line <= lines and p.reason for p in preview.problems)
    assert len(preview.trades) + len(preview.problems) + preview.skipped <= len(rows)
    assert all(t.quantity > 0 and t.price > 0 and t.fees >= 0 and t.id.startswith("I") for t in preview.trades)


def test_an_account_named_ira_is_tax_advantaged() -> None:
    content = (
        b"date,side,symbol,quantity,price,account\n"
        b"2024-01-10,buy,XYZ,10,20,ROTH IRA ...1234\n"
        b"2024-01-11,buy,XYZ,10,20,Individual ...5678\n"
        b"2024-01-12,buy,XYZ,10,20,Mirage Fund\n"
    )
    trades = read_csv("g.csv", content, today=TODAY).trades
    assert [t.account_type for t in trades] == ["ira", "taxable", "taxable"]


def test_an_earlier_previews_add_button_adds_nothing_from_the_newer_one(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat._run(file_event("generic.csv", (FIXTURES / "generic.csv").read_bytes(), 1))
    first_add = next(b.data for r in chat.last for row in r.buttons for b in row if b.label.startswith("Add"))
    chat._run(file_event("fidelity.csv", (FIXTURES / "fidelity.csv").read_bytes(), 2))
    newer_add = next(b.data for r in chat.last for row in r.buttons for b in row if b.label.startswith("Add"))
    # The first preview's Add answers a question that is closed: it neither adds the newer file nor the older.
    assert chat.press(first_add) == PREVIEW_CLOSED
    assert chat.service.state(1).trades == ()
    assert chat.service.state(1).wizard is not None  # the newer preview is still open, its own Add works
    assert "Added" in chat.press(newer_add)
    # With nothing open it is the same answer: one wording for a closed preview, whatever closed it.
    assert chat.press(first_add) == chat.press(newer_add) == PREVIEW_CLOSED
    assert "That question is closed" in PREVIEW_CLOSED and "send it again" in PREVIEW_CLOSED


def test_a_preview_stored_before_drafts_were_typed_is_added_by_its_old_button(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat._run(file_event("generic.csv", (FIXTURES / "generic.csv").read_bytes(), 1))
    typed = chat.service.state(1).wizard
    assert typed is not None and isinstance(typed.answers, ImportDraft)
    trades = json.dumps([t.model_dump(mode="json") for t in typed.answers.trades])
    # The wizard as an older release stored it: a dict of strings, buttons without a nonce.
    old = Wizard.model_validate(
        {"flow": "import", "step": typed.step, "draft": {"trades": trades, "splits": "[]", "name": "generic.csv"}}
    )
    assert isinstance(old.answers, ImportDraft) and old.answers.trades == typed.answers.trades
    assert old.nonce == ""
    state = chat.service.state(1).model_copy(update={"wizard": old})
    chat.service.store.save(1, chat.service.state(1), state, None)
    assert "Added 2 trades from generic.csv" in chat.restart().press("import:yes")
