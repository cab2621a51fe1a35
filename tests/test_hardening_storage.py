"""Storage under attack: what /forget leaves on disk, and databases that are damaged or can't be written."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.chat import Chat

ROOT = Path(__file__).resolve().parent.parent

USER = 987_654_321  # 0x3ADE68B1: SQLite stores it as these four bytes, big-endian


def disk_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))


def test_forget_leaves_no_bytes_of_the_user_on_disk(tmp_path: Path) -> None:
    db = tmp_path / "cgt.db"
    neighbour = Chat(db, user_id=5)
    neighbour.send("/buy 1 KEEPME 10 2024-01-10")
    chat = Chat(db, user_id=USER)
    chat.send("/buy 10 WASHY 50 2026-09-01")
    chat.send("/sell 10 WASHY 40 2026-09-30")  # a loss: a wash-sale window reminder is planned
    chat.send("/buy 10 WASHY 41 2026-10-02")
    chat.send("/price WASHY 30")
    chat.send("/reminders")
    assert b"WASHY" in disk_bytes(db)
    chat.send("/forget")
    assert "Done" in chat.tap("Yes")
    data = disk_bytes(db)
    assert b"WASHY" not in data  # trades, prices, reminder keys: gone, and zeroed, not left in free pages
    assert USER.to_bytes(4, "big") not in data  # no row keyed by the user: processed updates included
    assert b"KEEPME" in data  # the other user keeps everything
    assert (db.parent / "cgt.db-wal").stat().st_size == 0 if (db.parent / "cgt.db-wal").exists() else True
    assert "KEEPME" in neighbour.send("/portfolio")
    assert "Saved #" in chat.send("/buy 1 NEW 10 2024-01-10")  # a fresh start works


def console(db: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--db", str(db)],
        input="/help\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def a_database_with_data(folder: Path) -> Path:
    db = folder / "cgt.db"
    chat = Chat(db)
    for i in range(300):
        chat.send(f"/buy {i + 1} S{i % 9} 20 2024-01-{1 + i % 28:02d}")
    chat.service.store.db.checkpoint()
    chat.service.store.db.close()
    for extra in ("cgt.db-wal", "cgt.db-shm"):
        (folder / extra).unlink(missing_ok=True)
    assert db.stat().st_size > 64 * 1024
    return db


def refused(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0, result.stderr
    assert words in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("empty", "is empty (0 bytes)"),
        ("4 KB", "is damaged"),
        ("half", "is damaged"),
        ("garbage", "is damaged"),
        ("page zeroed", "is damaged"),
    ],
)
def test_a_damaged_database_stops_start_up_with_one_line(tmp_path: Path, damage: str, words: str) -> None:
    db = a_database_with_data(tmp_path)
    before = db.read_bytes()
    if damage == "empty":
        db.write_bytes(b"")
    elif damage == "4 KB":
        db.write_bytes(before[:4096])
    elif damage == "half":
        db.write_bytes(before[: len(before) // 2])
    elif damage == "garbage":
        db.write_bytes(b"this is not a database, it was overwritten by mistake\n" * 100)
    else:  # a page in the middle overwritten: only a check of every page finds it
        page = 4096
        middle = (len(before) // page // 2) * page
        db.write_bytes(before[:middle] + b"\xff" * page + before[middle + page :])
    damaged = db.read_bytes()
    result = console(db)
    refused(result, words)
    assert "backup" in result.stderr or "delete the file" in result.stderr
    assert db.read_bytes() == damaged  # left as it was, for recovery


def test_an_unwritable_database_stops_start_up_with_one_line(tmp_path: Path) -> None:
    db = a_database_with_data(tmp_path)
    if os.geteuid() != 0:
        db.chmod(0o444)
        tmp_path.chmod(0o555)
        try:
            refused(console(db), "can't be written")
        finally:
            tmp_path.chmod(0o755)
        return
    # Root writes through any permission bits: make the file immutable instead, if this machine lets us.
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("running as root where chattr +i is not allowed: no way to make a file unwritable")
    try:
        refused(console(db), "can't be written")
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)


def test_a_new_or_healthy_database_starts(tmp_path: Path) -> None:
    assert console(tmp_path / "new" / "cgt.db").returncode == 0
    db = a_database_with_data(tmp_path)
    result = console(db)
    assert result.returncode == 0 and "/buy" in result.stdout


async def test_logs_name_no_user_and_no_symbol(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from telegram import Update

    from tests.emulator import Emulator
    from tests.test_telegram_e2e import make_app

    emulator = Emulator()
    app = make_app(emulator, tmp_path / "cgt.db")
    with caplog.at_level(logging.INFO):
        async with app:
            await app.post_init(app)  # type: ignore[misc]
            for text in ("/buy 10 WASHY 50 2026-09-01", "/sell 10 WASHY 40 2026-09-30", "/reminders", "/forget"):
                await app.process_update(Update.de_json(emulator.text_update(USER, text), app.bot))
            emulator.fail_once["sendMessage"] = "chat not found"  # an error path logs too
            await app.process_update(Update.de_json(emulator.text_update(USER, "/portfolio"), app.bot))
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert caplog.records  # something was logged (the error above at least)
    assert str(USER) not in text and "WASHY" not in text


async def test_an_update_redelivered_after_its_answer_was_lost_gets_the_same_answer(tmp_path: Path) -> None:
    # Saved, then the process died while the answer was in flight (here: Telegram refused it), so
    # the update comes again. It used to be answered with nothing, and the user sent the trade twice.
    from telegram import Update

    from tests.emulator import Emulator
    from tests.test_telegram_e2e import make_app

    emulator = Emulator()
    update = emulator.text_update(60, "/buy 5 ABC 7 2024-02-01", update_id=777)
    app = make_app(emulator, tmp_path / "cgt.db")
    emulator.fail_once["sendMessage"] = "chat not found"
    async with app:
        await app.process_update(Update.de_json(update, app.bot))
    assert sum("Saved #1" in t for t in emulator.texts(60)) == 1  # tried once, refused: never arrived
    again = make_app(emulator, tmp_path / "cgt.db")  # a restarted bot, the update redelivered
    async with again:
        await again.process_update(Update.de_json(update, again.bot))
        await again.process_update(Update.de_json(emulator.text_update(60, "/trades"), again.bot))
    assert sum(t.startswith("Saved #1: bought 5 ABC") for t in emulator.texts(60)) == 2  # sent again
    assert emulator.texts(60)[-1].count("ABC") == 1  # recorded once


def test_forget_deletes_every_row_keyed_by_the_user_on_both_backends(db_target: str) -> None:
    chat = Chat(db_target, user_id=USER)  # type: ignore[arg-type]
    chat.send("/buy 10 WASHY 50 2026-09-01")
    chat.send("/sell 10 WASHY 40 2026-09-30")
    chat.send("/buy 10 WASHY 41 2026-10-02")
    chat.send("/price WASHY 30")
    chat.send("/forget")
    chat.tap("Yes")
    db = chat.service.store.db
    with db.read() as tx:
        if db.kind == "sqlite":
            tables = [r[0] for r in tx.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
            keyed = [
                t for t in tables if any(c[1] == "user_id" for c in tx.execute(f"PRAGMA table_info({t})").fetchall())
            ]
        else:
            keyed = [
                r[0]
                for r in tx.execute(
                    "SELECT table_name FROM information_schema.columns WHERE column_name = 'user_id' "
                    "AND table_schema = current_schema()"
                ).fetchall()
            ]
        assert {"trades", "processed", "reminders_due"} <= set(keyed)
        left = {t: tx.execute(f"SELECT count(*) FROM {t} WHERE user_id = ?", [USER]).fetchone()[0] for t in keyed}
        users = tx.execute("SELECT count(*) FROM users WHERE id = ?", [USER]).fetchone()[0]
    assert left == dict.fromkeys(keyed, 0) and users == 0


def test_an_unreachable_postgresql_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    result = console("postgresql://cgt:s3cret-pw@127.0.0.1:1/cgt")  # nothing listens on port 1
    refused(result, "can't use the database at postgresql://127.0.0.1:1/cgt")
    assert "s3cret-pw" not in result.stderr
