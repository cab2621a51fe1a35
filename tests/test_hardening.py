"""Crash safety, isolation, bad input at scale, and secrets."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.settings import Settings
from conversations.parsing import InputError, money, quantity, symbol, trade_date, trade_line
from tests.chat import Chat
from tests.emulator import TOKEN

TODAY = date(2026, 11, 23)


def test_sigkill_mid_stream_keeps_every_acknowledged_trade_once(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    lines = [f"/buy {i + 1} S{i % 7} {10 + i % 13} 2024-0{1 + i % 9}-1{i % 10}\n" for i in range(1000)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console", "--db", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    acknowledged: list[str] = []
    for line in lines[:600]:
        proc.stdin.write(line)
    proc.stdin.flush()
    while len(acknowledged) < 300:
        out = proc.stdout.readline()
        if out.startswith("Saved #"):
            acknowledged.append(out.split(":")[0])
    proc.send_signal(signal.SIGKILL)  # mid-stream: 300 more lines are queued or being processed
    proc.wait()

    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    state = Chat(db).service.state(1)
    ids = [t.id for t in state.trades]
    assert len(ids) == len(set(ids))  # nothing twice
    numbers = {f"Saved #{t.id[1:]}" for t in state.trades}
    assert set(acknowledged) <= numbers  # every acknowledged trade is there
    # Whatever was saved is the input in order, with nothing half-written.
    for t, line in zip(state.trades, lines, strict=False):
        assert line.split()[2] == t.symbol and int(line.split()[1]) == t.quantity

    # The restarted bot carries on: the rest of the stream saves normally.
    later = Chat(db)
    for line in lines[len(state.trades) :]:
        later.send(line.strip())
    assert len(later.service.state(1).trades) == 1000


def test_database_file_is_owner_only(tmp_path: Path) -> None:
    Chat(tmp_path / "private.db").send("/help")
    mode = stat.S_IMODE((tmp_path / "private.db").stat().st_mode)
    assert mode == 0o600


def test_forged_and_replayed_callbacks_cannot_touch_another_user(tmp_path: Path) -> None:
    alice = Chat(tmp_path / "cgt.db", user_id=1)
    mallory = Chat(tmp_path / "cgt.db", user_id=2)
    alice.send("/buy 5 ABC 7 2024-02-01")
    alice.send("/sell")
    alice.send("ABC")
    alice_state = alice.service.state(1)
    for data in [
        "undo:T1",
        "del:T1",
        "lot:T1",
        "lots:fifo",
        "forget:yes",
        "set:year",
        "status:mfj",
        "fees:0",
        "date:today",
    ]:
        mallory.press(data)
    mallory.send("/export")
    (file,) = mallory.last[0].files
    assert b"ABC" not in file.content
    assert "ABC" not in mallory.send("/portfolio") and "ABC" not in mallory.send("/trades")
    assert alice.restart().service.state(1) == alice_state


def test_token_is_never_echoed_in_errors() -> None:
    with pytest.raises(ValidationError) as error:
        Settings(TELEGRAM_BOT_TOKEN="123:" + "x" * 5)
    assert "xxxxx" not in str(error.value)
    shown = Settings(TELEGRAM_BOT_TOKEN=TOKEN)
    assert TOKEN not in repr(shown) and TOKEN not in str(shown.model_dump())


def test_malformed_token_is_a_one_line_error(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli"],
        env={**os.environ, "TELEGRAM_BOT_TOKEN": "not-a-token", "CGT_DB": str(tmp_path / "x.db")},
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "doesn't look like a bot token" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        ("2024-2-9", date(2024, 2, 9)),  # not the ISO shape: the general parser reads it
        ("2023-02-29", "as a date"),
        ("2024-13-01", "as a date"),
        ("1969-12-31", "after 1970"),
        (f"{TODAY.year + 1}-01-01", "in the future"),
    ],
)
def test_iso_dates_read_as_the_general_parser_reads_them(text: str, expected: date | str) -> None:
    if isinstance(expected, date):
        assert trade_date(text, TODAY) == expected
    else:
        with pytest.raises(InputError, match=expected):
            trade_date(text, TODAY)


PARSERS = [
    lambda text: trade_line(text, TODAY),
    lambda text: trade_line(text, TODAY, side="buy"),
    lambda text: trade_date(text, TODAY),
    lambda text: money(text),
    quantity,
    symbol,
]


def _never_crash(text: str) -> None:
    for parse in PARSERS:
        try:
            parse(text)
        except InputError as error:
            assert str(error)  # always a message


words = st.sampled_from(
    [
        "buy",
        "sold",
        "/sell",
        "100",
        "XYZ",
        "@",
        "$20",
        "on",
        "Jan",
        "10",
        "2024-01-10",
        "-5",
        "fees",
        "1/2/2024",
        "yesterday",
        "1e9",
        "NaN",
        "∞",
        "0",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(words, max_size=8).map(" ".join)))
def test_parsers_never_crash(text: str) -> None:
    _never_crash(text)


@pytest.mark.slow
@settings(max_examples=5000, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(words, max_size=12).map(" ".join)))
def test_parsers_never_crash_many(text: str) -> None:
    _never_crash(text)


STARTS = [
    ["/start"],
    ["/start", "2026"],
    ["/buy"],
    ["/buy", "XYZ"],
    ["/buy", "XYZ", "2024-01-02"],
    ["/sell"],
    ["/settings"],
]


@pytest.mark.parametrize("prefix", STARTS)
def test_every_step_survives_fuzz(tmp_path: Path, prefix: list[str]) -> None:
    chat = Chat(tmp_path / "fuzz.db")
    chat.send("/buy 10 XYZ 20 2024-01-10")

    @settings(max_examples=25, deadline=None)
    @given(st.one_of(st.text(max_size=60), st.lists(words, max_size=6).map(" ".join)))
    def step(text: str) -> None:
        for line in prefix:
            chat.send(line)
        before = chat.service.state(1).trades
        reply = chat.send(text)
        assert reply.strip()
        after = chat.service.state(1).trades
        assert len(after) in (len(before), len(before) + 1)  # at most the one trade this answer completes
        chat.send("/cancel")

    step()
