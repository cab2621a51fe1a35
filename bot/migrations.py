"""Versioned schema migrations, the same steps for SQLite and PostgreSQL, applied at start-up.

Each migration is a version number, what it does, and its statements per engine. `schema_migrations`
records what was applied; a start-up applies what is missing, in order, in one transaction under the
global write lock, so two workers starting together migrate once. Add a migration at the end; never
edit one that has landed.

Version 1 is the schema the bot had before migrations existed (`IF NOT EXISTS`), so an older SQLite
file is adopted as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # bot.database runs the migrations when it connects; they only name its type
    from bot.database import Database


@dataclass(frozen=True)
class Migration:
    version: int
    what: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]

    def statements(self, kind: str) -> tuple[str, ...]:
        return self.sqlite if kind == "sqlite" else self.postgresql


_V1_SQLITE = (
    "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, profile TEXT, prices TEXT, wizard TEXT, "
    "last_added TEXT, next_trade_number INTEGER)",
    "CREATE TABLE IF NOT EXISTS trades (user_id INTEGER, id TEXT, seq INTEGER, data TEXT, PRIMARY KEY (user_id, id))",
    "CREATE INDEX IF NOT EXISTS idx_trades_user_id_seq ON trades (user_id, seq)",
    "CREATE TABLE IF NOT EXISTS reminders_sent (user_id INTEGER, key TEXT, sent_at TEXT, PRIMARY KEY (user_id, key))",
    "CREATE TABLE IF NOT EXISTS processed (user_id INTEGER, event_id TEXT, PRIMARY KEY (user_id, event_id))",
)
# Telegram user ids pass 2^31: BIGINT on PostgreSQL (SQLite's INTEGER is 64-bit already).
_V1_POSTGRESQL = (
    "CREATE TABLE IF NOT EXISTS users (id BIGINT PRIMARY KEY, profile TEXT, prices TEXT, wizard TEXT, "
    "last_added TEXT, next_trade_number INTEGER)",
    "CREATE TABLE IF NOT EXISTS trades (user_id BIGINT, id TEXT, seq INTEGER, data TEXT, PRIMARY KEY (user_id, id))",
    "CREATE INDEX IF NOT EXISTS idx_trades_user_id_seq ON trades (user_id, seq)",
    "CREATE TABLE IF NOT EXISTS reminders_sent (user_id BIGINT, key TEXT, sent_at TEXT, PRIMARY KEY (user_id, key))",
    "CREATE TABLE IF NOT EXISTS processed (user_id BIGINT, event_id TEXT, PRIMARY KEY (user_id, event_id))",
)

_V2 = (
    "ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
    "CREATE TABLE counters (user_key TEXT PRIMARY KEY, next_trade_number INTEGER NOT NULL, version INTEGER NOT NULL)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


def _v3(real: str) -> tuple[str, ...]:
    # Times are seconds since the epoch (UTC): compared as numbers on both engines.
    return (
        f"CREATE TABLE reminders_due (user_id BIGINT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, "
        f"due_on TEXT NOT NULL, send_at {real} NOT NULL, claimed_until {real}, sent_at {real}, outcome TEXT, "
        "PRIMARY KEY (user_id, key))",
        "CREATE INDEX idx_reminders_due_unsent ON reminders_due (send_at) WHERE sent_at IS NULL",
        "CREATE TABLE reminder_plans (user_id BIGINT PRIMARY KEY, until TEXT NOT NULL)",
        f"CREATE TABLE send_pace (name TEXT PRIMARY KEY, next_at {real} NOT NULL)",
        "INSERT INTO send_pace (name, next_at) VALUES ('telegram', 0)",
    )


# What was sent before the table existed stays sent.
_V3_COPY = (
    "INSERT INTO reminders_due (user_id, key, kind, due_on, send_at, sent_at, outcome) "
    "SELECT user_id, key, '', '', 0, 0, 'sent' FROM reminders_sent",
)

_V7 = (
    "CREATE TABLE message_trades (user_id BIGINT NOT NULL, message_id TEXT NOT NULL, trade_ids TEXT NOT NULL, "
    "PRIMARY KEY (user_id, message_id))",
    "ALTER TABLE users ADD COLUMN messages_from BIGINT",
)


def _v8(real: str, now: str) -> tuple[str, ...]:
    # Rows from before have no time: they count as handled at the upgrade, so they go a window after it.
    return (
        f"ALTER TABLE processed ADD COLUMN handled_at {real}",
        f"UPDATE processed SET handled_at = {now}",
        "CREATE INDEX idx_processed_handled_at ON processed (handled_at)",
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "users, trades, reminders sent, processed events", _V1_SQLITE, _V1_POSTGRESQL),
    Migration(
        2,
        "a version per user state (caches in several processes see each other's writes); "
        "trade numbers that outlive /forget, keyed by a salted hash of the user id",
        (*_V2, "INSERT INTO meta (key, value) VALUES ('salt', lower(hex(randomblob(16))))"),
        (*_V2, "INSERT INTO meta (key, value) VALUES ('salt', md5(random()::text || clock_timestamp()::text))"),
    ),
    Migration(
        3,
        "reminders due: one row per planned reminder, kept with each change and claimed by one worker; "
        "each user's planning horizon; the send pace all workers share",
        (*_v3("REAL"), *_V3_COPY),
        (*_v3("DOUBLE PRECISION"), *_V3_COPY),
    ),
    Migration(
        4,
        "stock splits the user recorded (/split, broker files), a JSON list per user",
        ("ALTER TABLE users ADD COLUMN splits TEXT NOT NULL DEFAULT '[]'",),
        ("ALTER TABLE users ADD COLUMN splits TEXT NOT NULL DEFAULT '[]'",),
    ),
    Migration(
        5,
        "the update inbox: each webhook update recorded before it is answered, applied in order by the worker "
        "holding the user's lease",
        *[
            (
                "CREATE TABLE inbox (user_id BIGINT NOT NULL, update_id BIGINT NOT NULL, payload TEXT NOT NULL, "
                f"received_at {real} NOT NULL, PRIMARY KEY (user_id, update_id))",
                f"CREATE TABLE inbox_leases (user_id BIGINT PRIMARY KEY, owner TEXT NOT NULL, until {real} NOT NULL)",
            )
            for real in ("REAL", "DOUBLE PRECISION")
        ],
    ),
    Migration(
        6,
        "the answer to each handled update, kept with its processed row: a redelivered update gets the same "
        "answer again instead of none",
        ("ALTER TABLE processed ADD COLUMN replies TEXT",),
        ("ALTER TABLE processed ADD COLUMN replies TEXT",),
    ),
    Migration(
        7,
        "which trades each of a user's messages recorded (message ids count per chat, so the user is part of the "
        "key), and from which message that is known: an edited message changes the trade it recorded",
        _V7,
        _V7,
    ),
    Migration(
        8,
        "when each update was handled (seconds since the epoch, UTC), so the background sweep can forget the "
        "ids of updates Telegram can no longer deliver again (Store.forget_handled)",
        _v8("REAL", "CAST(strftime('%s', 'now') AS REAL)"),
        _v8("DOUBLE PRECISION", "extract(epoch FROM now())"),
    ),
)

_BOOKKEEPING = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, what TEXT, applied_at TEXT)"


def migrate(db: Database, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply the missing migrations; returns the versions applied now."""
    with db.exclusive() as tx:
        tx.execute(_BOOKKEEPING)
        done = {row[0] for row in tx.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for migration in sorted(migrations, key=lambda m: m.version):
            if migration.version in done:
                continue
            for statement in migration.statements(db.kind):
                tx.execute(statement)
            tx.execute(
                "INSERT INTO schema_migrations (version, what, applied_at) VALUES (?, ?, ?)",
                [migration.version, migration.what, datetime.now(UTC).isoformat()],
            )
            applied.append(migration.version)
    return applied


def current_version(db: Database) -> int:
    with db.read() as tx:
        row = tx.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)
