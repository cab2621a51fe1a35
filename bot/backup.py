"""`cgt-bot backup PATH` and `cgt-bot restore PATH`: the whole database, while the bot runs.

SQLite: the online backup API (a consistent copy page by page, writers go on meanwhile); the copy is
owner-only, as the database is. Restore checks the file (integrity, and that it is this bot's
database) before copying it over the live one; stop the bot first so no step writes in between.
PostgreSQL: pg_dump's custom format and pg_restore --clean, when the client tools are installed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from bot.database import Database, DatabaseUnusable, SqliteDatabase, connect, is_url


class BackupError(Exception):
    pass


def backup(target: str, path: Path) -> str:
    db = connect(target)
    _owner_only(path)  # pg_dump writes into the file as it is: owner-only too
    if isinstance(db, SqliteDatabase):
        with sqlite3.connect(path) as copy:
            db.conn.backup(copy)
        return f"Backed up {db.where} to {path}."
    _pg_tool("pg_dump", "--format=custom", f"--file={path}", target)
    return f"Backed up {db.where} to {path} (pg_dump custom format)."


def restore(target: str, path: Path) -> str:
    if not path.is_file():
        raise BackupError(f"there is no file {path}")
    try:
        db: Database = connect(target)
    except DatabaseUnusable:
        if is_url(target):
            raise
        _set_aside(Path(target))  # restoring is what a damaged file calls for: kept beside, never overwritten
        db = connect(target)
    if isinstance(db, SqliteDatabase):
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
                if source.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                    raise BackupError(f"{path} is damaged (integrity check failed)")
                names = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not {"users", "trades"} <= names:
                    raise BackupError(f"{path} is not a cgt-bot database")
                source.backup(db.conn)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} can't be read as a database ({error})") from error
        connect(target)  # a backup from an older version gets its migrations
        return f"Restored {db.where} from {path}."
    _pg_tool("pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={target}", str(path))
    return f"Restored {db.where} from {path}."


def _set_aside(path: Path) -> None:
    """Move a damaged database (and its -wal and -shm) to NAME.damaged-TIMESTAMP, for whoever may rescue it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.rename(f"{path}.damaged-{stamp}{suffix}")


def _owner_only(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _pg_tool(name: str, *args: str) -> None:
    tool = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    if tool is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client tools: apt-get install postgresql-client)")
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            f"{name} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
        )
