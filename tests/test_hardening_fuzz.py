"""Fuzzing the whole chat: seeded random sessions of commands, answers, garbage, forged buttons and hostile
files, with the invariants checked after every step. A short run in CI, a long one under `make slow`.

Invariants: no step raises; every answer fits one Telegram message and says something; every button's
data fits Telegram's 64 bytes; what is saved books (the ledger takes it), has unique ids and numbers
within calc.limits; every CSV the bot writes is free of formula cells; the reports never apologise.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.service import ChatService
from calc.limits import FEES, PRICE, SHARES
from conversations.events import Event, FileIn, Reply
from conversations.files.render.csv_cells import DANGEROUS_START, PLAIN_NUMBER
from conversations.taxview import ledger_for

NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)
SYMBOLS = ["XYZ", "ABC", "BRK.B", "Q", "$XYZ", "xyz", "TOOLONGSYMBOL", "=1+1", ""]
NUMBERS = [
    "1",
    "10",
    "0.5",
    "100",
    "1,000",
    "20.25",
    "0",
    "-5",
    "1e20",
    "1e999999",
    "NaN",
    "999999999",
    "1000000001",
    "0.123456789",
    "0.10000000000000000000000000000001",
    "12,50",
    "1.000,50",
    "∞",
    "½",
]
DATES = [
    "2024-01-10",
    "2024-12-01",
    "1/10/2024",
    "Jan 10 2024",
    "yesterday",
    "today",
    "2099-01-01",
    "1969-12-31",
    "2024-02-30",
    "31/12/2024",
    "0000-00-00",
    "",
]
COMMANDS = [
    "/help",
    "/start",
    "/portfolio",
    "/gains",
    "/gains 2024",
    "/trades",
    "/undo",
    "/export",
    "/forget",
    "/harvest",
    "/form8949 2024",
    "/form8949 2024 B",
    "/reminders",
    "/reminders off",
    "/settings",
    "/cancel",
    "/import",
    "/whatif",
    "/nosuchcommand",
    "/delete 1",
    "/delete 99999999999999999999",
    "/edit 1 price 21.50",
    "/edit 1 shares 0.000000001",
    "/edit 1 fees 1e30",
    "/edit 2 date 2099-01-01",
    "/edit 1 symbol =HYPERLINK()",
    "/price XYZ 5",
    "/price XYZ 5000000000",
    "/exercise",
    "/vest",
    "/whatif sell 10 XYZ 30",
    "/whatif raise 5000000000 from XYZ at 0.000001",
    "/whatif raise 500 from ABC at 12",
    "/split XYZ 2-for-1 2024-06-01",
    "/split XYZ 1000000000-for-1 2024-06-01",
    "/exercise 10 XYZ nso strike 10 fmv 50 2024-02-02",
    "/vest 10 ABC fmv 5000000000 2024-03-03",
]
BUTTON_DATA = [
    "undo:T1",
    "del:T1",
    "lot:T1",
    "lots:fifo",
    "forget:yes",
    "forget:no",
    "import:yes",
    "import:no",
    "import:undo",
    "plan:yes",
    "chart:gains",
    "status:mfj",
    "set:year",
    "fees:0",
    "date:today",
    "nosuch:x",
    "",
    ":",
    "undo:",
    "del:" + "9" * 50,
    "lot:../../etc",
]
WORDS = [
    "bought",
    "sold",
    "what if I sell",
    "how much tax do I owe?",
    "in my IRA",
    "at",
    "@",
    "on",
    "fees",
    "shares",
    "all",
    "half",
    "\u202e",
    "\x00",
    "<b>",
    "&amp;",
    "🙂",
    "\n",
    "/",
    "  ",
]
ACCOUNTS = ['=HYPERLINK("http://x"&A2,"x")', "+cmd|' /C calc'!A0", "@SUM(1)", "\t=1", "IRA", "Brokerage", ""]


def valid_day(rng: random.Random) -> str:
    return f"{rng.randint(2023, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def random_line(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        side = rng.choice(["/buy", "/buy", "/sell"])
        if rng.random() < 0.7:  # well formed, so that trades pile up and later steps meet them
            parts = [side, str(rng.randint(1, 50)), rng.choice(["XYZ", "ABC"]), str(rng.randint(5, 40)), valid_day(rng)]
        else:
            parts = [side, rng.choice(NUMBERS), rng.choice(SYMBOLS), rng.choice(NUMBERS), rng.choice(DATES)]
        if rng.random() < 0.2:
            parts += ["fees", rng.choice(NUMBERS)]
        return " ".join(parts)
    if kind < 0.55:
        return rng.choice(COMMANDS)
    if kind < 0.75:  # an answer to whatever question is open
        return rng.choice(NUMBERS + DATES + SYMBOLS + ["1", "2", "Yes", "No", "Today"])
    if kind < 0.9:
        return " ".join(rng.choice(WORDS + NUMBERS + SYMBOLS) for _ in range(rng.randint(1, 8)))
    return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 40)))


def random_file(rng: random.Random) -> bytes:
    rows = ["date,side,symbol,quantity,price,fees,account"]
    for _ in range(rng.randint(0, 12)):
        account = rng.choice(ACCOUNTS)
        if rng.random() < 0.6:
            rows.append(
                f"{valid_day(rng)},buy,{rng.choice(['XYZ', 'ABC'])},{rng.randint(1, 50)},{rng.randint(5, 40)},0,"
            )
            continue
        rows.append(
            ",".join(
                [
                    rng.choice(DATES),
                    rng.choice(["buy", "sell", "b", "s", "short", ""]),
                    rng.choice(SYMBOLS),
                    rng.choice(NUMBERS).replace(",", ""),
                    rng.choice(NUMBERS).replace(",", ""),
                    rng.choice(["", "0", "4.95", "1e30", "-1"]),
                    '"' + account.replace('"', '""') + '"',
                ]
            )
        )
    return "\n".join(rows).encode()


def check(replies: list[Reply], service: ChatService, user: int) -> None:
    for reply in replies:
        assert reply.text.strip() or reply.files
        assert len(reply.text) <= 4096
        assert "went wrong" not in reply.text
        for row in reply.buttons:
            for button in row:
                assert len(button.data.encode()) <= 64
        for file in reply.files:
            if file.name.endswith(".csv"):
                for cells in csv.reader(io.StringIO(file.content.decode())):
                    for cell in cells:
                        assert not cell.startswith(DANGEROUS_START) or PLAIN_NUMBER.match(cell), cell
    state = service.state(user)
    ids = [t.id for t in state.trades]
    assert len(ids) == len(set(ids))
    for t in state.trades:
        assert SHARES.problem(t.quantity) is None and PRICE.problem(t.price) is None and FEES.problem(t.fees) is None
    ledger_for(state)  # what is saved always books, splits included


def session(db: Path, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    service = ChatService(db)
    buttons: list[str] = []
    for step in range(steps):
        user = rng.choice([1, 1, 1, 2])  # mostly one user; a second one interleaved
        roll = rng.random()
        event_id = f"s{seed}-{step}" if rng.random() > 0.05 else f"s{seed}-{step - 1}"  # some redeliveries
        if roll < 0.15 and buttons:
            event = Event(kind="button", id=event_id, now=NOW, data=rng.choice(buttons))
        elif roll < 0.2:
            event = Event(kind="button", id=event_id, now=NOW, data=rng.choice(BUTTON_DATA))
        elif roll < 0.25:
            event = Event(kind="file", id=event_id, now=NOW, file=FileIn(name="f.csv", content=random_file(rng)))
        else:
            event = Event(kind="text", id=event_id, now=NOW, text=random_line(rng))
        replies = service.process(user, event)
        check(replies, service, user)
        buttons = [b.data for r in replies for row in r.buttons for b in row] or buttons
    for user in (1, 2):
        for command in ("/gains 2024", "/portfolio", "/trades", "/form8949 2024", "/harvest", "/export"):
            check(
                service.process(user, Event(kind="text", id=f"end-{seed}-{user}-{command}", now=NOW, text=command)),
                service,
                user,
            )


@pytest.mark.parametrize("seed", range(5))
def test_fuzzed_sessions_keep_every_invariant(tmp_path: Path, seed: int) -> None:
    session(tmp_path / "fuzz.db", seed, steps=600)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 120))
def test_fuzzed_sessions_keep_every_invariant_long(tmp_path: Path, seed: int) -> None:
    session(tmp_path / "fuzz.db", seed, steps=3000)
