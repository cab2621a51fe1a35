"""Storage on both backends: the same tests on SQLite and on a real PostgreSQL server (tests/pg.py).

Races are run as users cause them: two terminals on one database, each recording trades at once.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from bot.migrations import MIGRATIONS, current_version, migrate
from bot.service import ChatService
from bot.storage import open_store
from conversations.events import Event
from tests.chat import Chat

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _buy(n: int, who: str) -> str:
    return f"/buy {n} {who} {10 + n % 7} 2024-03-{1 + n % 27:02d}"


def test_two_terminals_recording_at_once_lose_and_double_nothing(db_target: str, tmp_path: Path) -> None:
    """The report: two `cgt-bot console --db same --user 1` each recording 50 purchases ended with
    IntegrityError and 50 lost. Both run at once here, as separate processes."""
    open_store(db_target)  # migrated once before the race, as a deployed database would be
    procs = []
    for who in ("AAA", "BBB"):
        script = tmp_path / f"{who}.txt"
        script.write_text("".join(_buy(n + 1, who) + "\n" for n in range(50)))
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "console", "--db", db_target, "--user", "1"],
            stdin=script.open(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        )
        procs.append(proc)
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
        outputs.append(out)

    trades = ChatService(db_target).state(1).trades
    assert len(trades) == 100
    assert len({t.id for t in trades}) == 100
    for who in ("AAA", "BBB"):  # each terminal's purchases, all there, in the order typed
        assert [int(t.quantity) for t in trades if t.symbol == who] == list(range(1, 51))
    # Every number the terminals announced is a different trade, numbered 1 to 100.
    announced = [line.split(":")[0] for out in outputs for line in out.splitlines() if line.startswith("Saved #")]
    assert sorted(announced) == sorted(f"Saved #{n}" for n in range(1, 101))


def test_threads_in_one_process_and_two_services_agree(db_target: str) -> None:
    a, b = ChatService(db_target), ChatService(db_target)

    def record(service: ChatService, who: str) -> None:
        for n in range(1, 21):
            event = Event(kind="text", id=f"{who}-{n}", now=NOW, text=_buy(n, who))
            assert service.process(7, event)

    threads = [threading.Thread(target=record, args=(s, w)) for s, w in ((a, "AAA"), (b, "BBB"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(a.state(7).trades) == len(b.state(7).trades) == 40
    assert a.state(7).next_trade_number == 41


def test_a_change_in_another_process_is_seen_by_the_next_step(db_target: str) -> None:
    here, there = Chat(db_target), Chat(db_target)  # type: ignore[arg-type]
    here.send("/buy 10 XYZ 20 2024-01-10")
    assert "XYZ" in there.send("/portfolio")
    there.send("/sell 10 XYZ 25 2024-02-10")
    assert "#3" in here.send("/buy 1 ABC 5 2024-01-10")  # the third trade, though `here` saw only one


def test_an_update_delivered_to_two_workers_is_handled_once(db_target: str) -> None:
    a, b = ChatService(db_target), ChatService(db_target)
    event = Event(kind="text", id="update-9", now=NOW, text="/buy 5 ABC 7 2024-02-01")
    first = a.process(3, event)
    assert first
    assert b.process(3, event) == first  # the same answer again (issue 20: a redelivery is answered)
    assert len(b.state(3).trades) == 1  # and handled once


def test_trade_numbers_are_never_reused_after_forget(db_target: str) -> None:
    chat = Chat(db_target)  # type: ignore[arg-type]
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/buy 5 XYZ 21 2024-01-11")
    stale_undo = chat.last[0].buttons[0][0].data  # Undo for #2
    chat.send("/forget")
    chat.tap("Yes")
    assert chat.restart().service.state(1).trades == ()
    assert "#3" in chat.send("/buy 7 NEW 9 2024-05-01")  # not #1 again
    chat.press(stale_undo)  # the old message's Undo can't reach the new trade
    assert [t.symbol for t in chat.restart().service.state(1).trades] == ["NEW"]


def test_forget_leaves_no_user_id_in_the_counters(db_target: str) -> None:
    chat = Chat(db_target, user_id=987654321)  # type: ignore[arg-type]
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/forget")
    chat.tap("Yes")
    store = chat.service.store
    with store.db.read() as tx:
        keys = [row[0] for row in tx.execute("SELECT user_key FROM counters").fetchall()]
        assert tx.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    assert keys and all("987654321" not in key for key in keys)


def test_migrations_apply_once_and_record_their_version(db_target: str) -> None:
    store = open_store(db_target)
    latest = max(m.version for m in MIGRATIONS)
    assert current_version(store.db) == latest
    assert migrate(store.db) == []  # a second start-up applies nothing
    assert open_store(db_target).users() == []


def test_a_database_from_before_migrations_is_adopted(tmp_path: Path) -> None:
    """A SQLite file the bot wrote before versioned migrations keeps its trades."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY, profile TEXT, prices TEXT, wizard TEXT, last_added TEXT,
                                next_trade_number INTEGER);
            CREATE TABLE trades (user_id INTEGER, id TEXT, seq INTEGER, data TEXT, PRIMARY KEY (user_id, id));
            CREATE TABLE reminders_sent (user_id INTEGER, key TEXT, sent_at TEXT, PRIMARY KEY (user_id, key));
            CREATE TABLE processed (user_id INTEGER, event_id TEXT, PRIMARY KEY (user_id, event_id));
            INSERT INTO users VALUES (1, '{}', '{}', NULL, '[]', 2);
            INSERT INTO trades VALUES (1, 'T1', 1,
              '{"date":"2024-01-10","symbol":"XYZ","side":"buy","quantity":"10","price":"20","id":"T1"}');
            """
        )
    state = ChatService(path).state(1)
    assert [t.id for t in state.trades] == ["T1"]
    assert "#2" in Chat(path).send("/buy 1 ABC 5 2024-01-10")


def test_appended_edited_and_deleted_trades_all_read_back(db_target: str) -> None:
    """Appending writes only the new trades (no old-against-new comparison); edits and deletes
    still take the full comparison. Either way what is read back is what the chat holds."""
    service = ChatService(db_target)
    said = iter(range(1000))

    def say(text: str) -> list[str]:
        replies = service.process(1, Event(kind="text", id=f"s{next(said)}", now=NOW, text=text))
        return [button.data for reply in replies for row in reply.buttons for button in row]

    for n in range(1, 4):
        say(_buy(n, "ABC"))
    say("/edit 2 price 21.50")
    (yes, *_) = say("/delete 1")  # asks first: the first button confirms
    service.process(1, Event(kind="button", id="s-yes", now=NOW, data=yes))
    say(_buy(4, "XYZ"))
    held = service.state(1).trades
    loaded = open_store(db_target).load(1).trades
    assert [t.model_dump() for t in loaded] == [t.model_dump() for t in held]
    assert [(t.symbol, t.price) for t in loaded] == [("ABC", 21.5), ("ABC", 13), ("XYZ", 14)]
