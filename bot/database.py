"""Where the data lives: SQLite (embedded, the default) or PostgreSQL (several workers), behind one interface.

`connect(target)` takes a file path (SQLite) or a `postgresql://` URL. Both give:
- `write(*user_ids)`: a transaction holding the write lock of those users, across every process on the
  database (SQLite: `BEGIN IMMEDIATE`, one writer at a time; PostgreSQL: a transaction-scoped advisory
  lock per user, so different users never wait for each other; with no users, row locks only, as for
  `SELECT ... FOR UPDATE SKIP LOCKED`);
- `exclusive()`: a transaction that one process at a time holds (migrations);
- `read()`: a transaction for a consistent read;
- statements written once with `?` placeholders, in SQL both engines speak (`ON CONFLICT`, no
  `INSERT OR ...`);
- versioned migrations (`bot/migrations.py`), applied at start-up under a lock.

Connections are per thread: a step running off the event loop gets its own.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Protocol

from bot.migrations import migrate


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Tx(Protocol):
    """An open transaction: statements with `?` placeholders."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class Database(ABC):
    kind: ClassVar[str]

    def __init__(self) -> None:
        self._local = threading.local()

    @abstractmethod
    def _connect(self) -> Any: ...

    @property
    def conn(self) -> Any:
        """This thread's connection (made on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @abstractmethod
    def write(self, *user_ids: int) -> Any:
        """Context manager: a transaction holding the write lock of `user_ids`."""

    @abstractmethod
    def exclusive(self) -> Any:
        """Context manager: a transaction no other process holds at the same time."""

    @abstractmethod
    def read(self) -> Any:
        """Context manager: a read-only transaction."""

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """One statement on its own, outside any transaction: a single read costs one round trip."""
        return self._one(sql, params)

    @abstractmethod
    def _one(self, sql: str, params: Sequence[Any]) -> list[Any]: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def checkpoint(self) -> None:
        """Move what the write-ahead log holds into the database and empty the log."""

    @property
    @abstractmethod
    def where(self) -> str:
        """For messages: the file, or the server without its password."""

    @property
    @abstractmethod
    def target(self) -> str | None:
        """What another process opens to reach this same database (None: only this process can)."""


class _SqliteTx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)


class SqliteDatabase(Database):
    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._memory = str(path) == ":memory:"
        self._shared: sqlite3.Connection | None = None
        self._shared_lock = threading.RLock()
        if not self._memory:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                # Financial data: readable by its owner only, from the moment the file exists.
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))

    @property
    def where(self) -> str:
        return str(self.path)

    @property
    def target(self) -> str | None:
        return None if self._memory else str(self.path)

    def _connect(self) -> sqlite3.Connection:
        if self._memory:  # one in-memory database, shared by the threads (each connection would get its own)
            if self._shared is None:
                self._shared = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            return self._shared
        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        # Writers queue for the lock rather than fail: another process's step holds it for milliseconds.
        conn.execute("PRAGMA busy_timeout=30000")
        # Deleted rows are overwritten with zeros, not left in free pages: /forget leaves no bytes behind.
        conn.execute("PRAGMA secure_delete=ON")
        return conn

    def checkpoint(self) -> None:
        if not self._memory:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Tx]:
        with self._shared_lock if self._memory else _nothing():
            conn = self.conn
            conn.execute(begin)
            try:
                yield _SqliteTx(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def write(self, *user_ids: int) -> Any:
        # One writer at a time for the whole file: the per-user lock is the file's lock.
        return self._transaction("BEGIN IMMEDIATE")

    def exclusive(self) -> Any:
        return self._transaction("BEGIN IMMEDIATE")

    def read(self) -> Any:
        return self._transaction("BEGIN")

    def _one(self, sql: str, params: Sequence[Any]) -> list[Any]:
        with self._shared_lock if self._memory else _nothing():
            return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


@contextmanager
def _nothing() -> Iterator[None]:
    yield


class _PgTx:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self._conn.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self._conn.cursor() as cursor:
                cursor.executemany(self._sql(sql), rows)


# The two-int advisory-lock key space doesn't overlap the one-bigint space used for user ids.
GLOBAL_LOCK = (0x636774, 1)


class PostgresDatabase(Database):
    kind = "postgresql"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    @property
    def where(self) -> str:
        from psycopg.conninfo import conninfo_to_dict

        info = conninfo_to_dict(self.url)
        return f"postgresql://{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"

    @property
    def target(self) -> str | None:
        return self.url

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    @contextmanager
    def _transaction(self, user_ids: Sequence[int] = (), exclusive: bool = False) -> Iterator[Tx]:
        conn = self.conn
        with conn.transaction():
            # Sorted, so two writers locking the same users can't deadlock.
            for user_id in sorted(set(user_ids)):
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [user_id])
            if exclusive:
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", GLOBAL_LOCK)
            yield _PgTx(conn)

    def write(self, *user_ids: int) -> Any:
        return self._transaction(user_ids)

    def checkpoint(self) -> None:
        pass  # deleted rows are reclaimed by (auto)vacuum; PostgreSQL has no log file to empty here

    def exclusive(self) -> Any:
        return self._transaction(exclusive=True)

    def read(self) -> Any:
        return self._transaction()

    def _one(self, sql: str, params: Sequence[Any]) -> list[Any]:
        return _PgTx(self.conn).execute(sql, params).fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def is_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


class DatabaseUnusable(Exception):
    """The database can't be used as it is: damaged, empty where data was, unwritable, out of reach.
    The message is one line for the operator, saying what to do."""


RESTORE = "restore your last backup with cgt-bot restore BACKUP_FILE (the damaged file is set aside)"


def connect(target: str | Path) -> Database:
    """Open the database `target` names, check it, and bring its schema up to date.

    Raises DatabaseUnusable rather than start over a damaged file: a 0-byte file where a database
    was would otherwise start empty, every user's data gone without a word."""
    if is_url(target):
        db: Database = PostgresDatabase(str(target))
        try:
            migrate(db)
        except Exception as error:  # psycopg's OperationalError and kin, imported lazily
            if type(error).__module__.startswith("psycopg"):
                first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                raise DatabaseUnusable(f"can't use the database at {db.where}: {first}") from None
            raise
        return db
    path = Path(target)
    if str(path) != ":memory:":
        _check_file(path)
    db = SqliteDatabase(path)
    try:
        if str(path) != ":memory:":
            _check_sqlite(db)
        migrate(db)
    except sqlite3.DatabaseError as error:  # OperationalError (read-only, locked) included
        raise DatabaseUnusable(_sqlite_reason(path, error)) from None
    return db


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseUnusable(f"{path} is a folder; CGT_DB (or --db) names the database file")
    if path.exists() and path.stat().st_size == 0 and not Path(f"{path}-wal").exists():
        raise DatabaseUnusable(
            f"{path} is empty (0 bytes) where a database was: if it held your data, {RESTORE}; "
            "to start afresh, delete the file"
        )


def _check_sqlite(db: SqliteDatabase) -> None:
    """Damage anywhere in the file (quick_check reads every page), then that it can be written."""
    rows = db.conn.execute("PRAGMA quick_check").fetchall()
    if [tuple(r) for r in rows] != [("ok",)]:
        raise sqlite3.DatabaseError(f"database disk image is malformed ({rows[0][0]})")
    # A write, rolled back: a read-only file or folder fails here, not at the first trade saved.
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE write_probe (x INTEGER)")
    finally:
        conn.execute("ROLLBACK")


def _sqlite_reason(path: Path, error: sqlite3.DatabaseError) -> str:
    text = str(error)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return f"{path} can't be written ({text}): check the permissions of the file and of its folder"
    if "locked" in text:
        return f"{path} is locked by another program ({text}); try again when it is done"
    return f"{path} is damaged ({text}): {RESTORE}"
