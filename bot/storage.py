"""SQLite storage (sqlite-utils): each user's state, with every change in one transaction.

Tables: users (profile, prices, open wizard), trades (one row per trade), and
processed (event ids already handled, written in the same transaction as the
change they caused, so a redelivered update changes nothing twice).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import sqlite_utils

from calc.models import Trade
from conversations.state import Profile, UserState, Wizard


def open_database(path: Path | str) -> sqlite_utils.Database:
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Financial data: readable by its owner only, from the moment the file exists.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    db = sqlite_utils.Database(conn)
    if str(path) != ":memory:":
        db.enable_wal()
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    _migrate(db)
    return db


def _migrate(db: sqlite_utils.Database) -> None:
    if "users" not in db.table_names():
        db.table("users").create(
            {"id": int, "profile": str, "prices": str, "wizard": str, "last_added": str, "next_trade_number": int},
            pk="id",
        )
    if "trades" not in db.table_names():
        db.table("trades").create({"user_id": int, "id": str, "seq": int, "data": str}, pk=("user_id", "id"))
        db.table("trades").create_index(["user_id", "seq"])
    if "reminders_sent" not in db.table_names():
        db.table("reminders_sent").create({"user_id": int, "key": str, "sent_at": str}, pk=("user_id", "key"))
    if "processed" not in db.table_names():
        db.table("processed").create({"user_id": int, "event_id": str}, pk=("user_id", "event_id"))


class Store:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def users(self) -> list[int]:
        return [row["id"] for row in self.db["users"].rows]

    def seen(self, user_id: int, event_id: str) -> bool:
        return bool(
            self.db.execute(
                "select 1 from processed where user_id = ? and event_id = ?", [user_id, event_id]
            ).fetchone()
        )

    def load(self, user_id: int) -> UserState:
        row = self.db.execute(
            "select profile, prices, wizard, last_added, next_trade_number from users where id = ?", [user_id]
        ).fetchone()
        if row is None:
            return UserState()
        trades = tuple(
            Trade.model_validate_json(data)
            for (data,) in self.db.execute("select data from trades where user_id = ? order by seq", [user_id])
        )
        return UserState(
            profile=Profile.model_validate_json(row[0]),
            prices=json.loads(row[1]),
            wizard=Wizard.model_validate_json(row[2]) if row[2] else None,
            last_added=tuple(json.loads(row[3])),
            next_trade_number=row[4],
            trades=trades,
        )

    def save(self, user_id: int, old: UserState, new: UserState, event_id: str | None) -> None:
        """Write what changed, and the event id, in one transaction."""
        conn = self.db.conn
        if new is old:  # states are immutable: nothing changed, and one statement is a transaction of its own
            self._processed(user_id, event_id)
            return
        conn.execute("begin immediate")
        try:
            self._processed(user_id, event_id)
            if new == UserState() and old != new:
                self._delete_user(user_id)
            else:
                self._write_user(user_id, old, new)
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise

    def _processed(self, user_id: int, event_id: str | None) -> None:
        if event_id is not None:
            self.db.conn.execute("insert into processed (user_id, event_id) values (?, ?)", [user_id, event_id])

    def _write_user(self, user_id: int, old: UserState, new: UserState) -> None:
        conn = self.db.conn
        conn.execute(
            "insert or replace into users (id, profile, prices, wizard, last_added, next_trade_number) "
            "values (?, ?, ?, ?, ?, ?)",
            [
                user_id,
                new.profile.model_dump_json(),
                json.dumps({k: str(v) for k, v in new.prices.items()}),
                new.wizard.model_dump_json() if new.wizard else None,
                json.dumps(list(new.last_added)),
                new.next_trade_number,
            ],
        )
        if old.trades is new.trades:
            return
        before = {t.id: t for t in old.trades}
        after = {t.id: t for t in new.trades}
        gone = [trade_id for trade_id in before if trade_id not in after]
        if gone:
            conn.executemany("delete from trades where user_id = ? and id = ?", [(user_id, i) for i in gone])
        # Identity first: unchanged trades are the same objects, and pydantic equality is slow.
        changed = [t for t in new.trades if (old_t := before.get(t.id)) is not t and old_t != t]
        if changed:
            (top,) = conn.execute("select coalesce(max(seq), 0) from trades where user_id = ?", [user_id]).fetchone()
            rows = []
            for t in changed:
                if t.id in before:
                    conn.execute(
                        "update trades set data = ? where user_id = ? and id = ?", [t.model_dump_json(), user_id, t.id]
                    )
                else:
                    top += 1
                    rows.append((user_id, t.id, top, t.model_dump_json()))
            conn.executemany("insert into trades (user_id, id, seq, data) values (?, ?, ?, ?)", rows)

    def _delete_user(self, user_id: int) -> None:
        conn = self.db.conn
        conn.execute("delete from trades where user_id = ?", [user_id])
        conn.execute("delete from users where id = ?", [user_id])
        # processed ids stay: a redelivered /forget must not act again.
