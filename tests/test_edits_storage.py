"""Which message recorded which trade, kept on both backends (SQLite and a real PostgreSQL, tests/pg.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.database import Database, PostgresDatabase, SqliteDatabase, is_url
from bot.migrations import MIGRATIONS, current_version, migrate
from bot.service import ChatService
from bot.storage import Store
from conversations.events import Event
from tests.chat import Chat

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _links(store: Store) -> list[tuple[int, str, str]]:
    rows = store.db.query("SELECT user_id, message_id, trade_ids FROM message_trades ORDER BY user_id, message_id")
    return [(int(row[0]), str(row[1]), str(row[2])) for row in rows]


def test_the_link_is_written_with_the_trade_and_read_back(db_target: str) -> None:
    chat = Chat(db_target)  # type: ignore[arg-type]
    chat.send("/buy 10 AAPL 15 2026-03-02")
    chat.send("/split AAPL 2:1 2026-06-10")
    other = Chat(db_target, user_id=2)  # type: ignore[arg-type]
    other.send("/buy 3 MSFT 300 2026-03-02")  # also message 1, in another chat
    store = chat.service.store
    assert _links(store) == [(1, "1", '["T1"]'), (1, "2", '["S2"]'), (2, "1", '["T1"]')]
    again = chat.restart()  # a new process: everything from the database
    state = again.service.state(1)
    assert state.recorded == {"1": ("T1",), "2": ("S2",)} and state.messages_from == 1
    assert again.edit("/buy 10 AAPL 150 2026-03-02", message="1").startswith("Changed #1: price $15.00 → $150.00.")
    assert [(t.id, t.price) for t in again.restart().service.state(1).trades] == [("T1", 150)]
    assert [(t.id, t.price) for t in other.restart().service.state(2).trades] == [("T1", 300)]


def test_forget_removes_the_links(db_target: str) -> None:
    chat = Chat(db_target)  # type: ignore[arg-type]
    chat.send("/buy 10 AAPL 15 2026-03-02")
    chat.send("/forget")
    chat.tap("Yes")
    assert _links(chat.service.store) == []
    assert chat.restart().service.state(1).recorded == {}


def test_a_redelivered_edit_changes_nothing_twice_across_processes(db_target: str) -> None:
    first, second = ChatService(db_target), ChatService(db_target)
    first.process(1, Event(kind="text", id="100", now=NOW, message="1", text="/buy 10 AAPL 15 2026-03-02"))
    edit = Event(kind="edit", id="101", now=NOW, message="1", text="/buy 10 AAPL 150 2026-03-02")
    answer = first.process(1, edit)
    version = first.store.version(1)
    assert second.process(1, edit) == answer  # another worker got the same update: the kept answer
    assert second.store.version(1) == version
    assert [(t.id, t.price) for t in second.state(1).trades] == [("T1", 150)]


def _bare(target: str) -> Database:
    return PostgresDatabase(target) if is_url(target) else SqliteDatabase(Path(target))


def test_users_from_before_the_migration_keep_their_trades_and_edits_are_safe(db_target: str) -> None:
    """A database at version 6 with a user and a trade: migration 7 adds the links, and an edit of a
    message from before it never records a second copy of the trade."""
    db = _bare(db_target)
    migrate(db, MIGRATIONS[:6])
    with db.write() as tx:
        tx.execute(
            "INSERT INTO users (id, profile, prices, wizard, last_added, next_trade_number, version) "
            "VALUES (1, '{}', '{}', NULL, '[]', 2, 3)"
        )
        tx.execute(
            "INSERT INTO trades (user_id, id, seq, data) VALUES (1, 'T1', 1, "
            '\'{"date":"2026-03-02","symbol":"AAPL","side":"buy","quantity":"10","price":"15","id":"T1"}\')'
        )
    assert migrate(db) == [m.version for m in MIGRATIONS[6:]]
    assert current_version(db) == max(m.version for m in MIGRATIONS)
    service = ChatService(Store(db))
    state = service.state(1)
    assert state.recorded == {} and state.messages_from is None
    replies = service.process(1, Event(kind="edit", id="7", now=NOW, message="4", text="/buy 10 AAPL 150 2026-03-02"))
    assert "I haven't saved anything from your edit" in replies[0].text
    service.process(1, Event(kind="text", id="8", now=NOW, message="5", text="/buy 1 MSFT 300 2026-03-02"))
    reloaded = ChatService(Store(db)).state(1)
    assert [t.id for t in reloaded.trades] == ["T1", "T2"]
    assert reloaded.recorded == {"5": ("T2",)} and reloaded.messages_from == 5
