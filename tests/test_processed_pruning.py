"""The record of handled updates is forgotten once Telegram can't deliver a copy, and not before.

Telegram keeps an update it couldn't deliver for at most 24 hours; a copy delivered within that time
must still change nothing (a trade recorded once, the same answer again). Both backends.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from bot.database import Database, PostgresDatabase, SqliteDatabase, is_url
from bot.migrations import MIGRATIONS, migrate
from bot.service import ChatService
from bot.storage import FORGET_BATCH, HANDLED_KEPT, Store
from bot.telegram import sweep
from conversations.events import Event
from tests.emulator import Emulator
from tests.test_telegram_e2e import make_app

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
DAY = 86_400.0


def _buy(update_id: str) -> Event:
    return Event(kind="text", id=update_id, now=NOW, text="/buy 5 ABC 7 2024-02-01")


def _handled_ago(store: Store, event_id: str, seconds: float) -> None:
    """As if the update had been handled `seconds` ago."""
    with store.db.write() as tx:
        tx.execute("UPDATE processed SET handled_at = ? WHERE event_id = ?", [time.time() - seconds, event_id])


def _ids(store: Store) -> list[str]:
    return [str(row[0]) for row in store.db.query("SELECT event_id FROM processed ORDER BY event_id")]


def test_the_window_outlasts_what_telegram_keeps() -> None:
    assert timedelta(hours=24) * 2 <= HANDLED_KEPT  # Telegram keeps an undelivered update 24 hours
    assert timedelta(days=7) > HANDLED_KEPT  # after a week without updates ids may start again at random


def test_a_copy_within_the_window_records_nothing_after_the_sweep(db_target: str) -> None:
    service = ChatService(db_target)
    first = service.process(1, _buy("100"))
    assert first[0].text.startswith("Saved #1")
    # Telegram's last try comes just under a day after it got the update; the sweep runs just before it.
    _handled_ago(service.store, "100", DAY - 60)
    assert service.store.forget_handled(time.time() - HANDLED_KEPT.total_seconds()) == 0
    again = ChatService(db_target)  # another worker, nothing cached
    assert again.process(1, _buy("100")) == first  # the same answer, nothing recorded again
    assert [t.id for t in again.state(1).trades] == ["T1"]
    assert not again.store.enqueue(1, 100, "{}", time.time())  # nor queued again in the inbox


def test_rows_past_the_window_are_forgotten_and_newer_ones_kept(db_target: str) -> None:
    service = ChatService(db_target)
    for update_id in ("200", "201", "202"):
        service.process(1, _buy(update_id))
    service.process(2, _buy("203"))
    _handled_ago(service.store, "200", HANDLED_KEPT.total_seconds() + 60)
    _handled_ago(service.store, "203", HANDLED_KEPT.total_seconds() + 60)
    _handled_ago(service.store, "201", HANDLED_KEPT.total_seconds() - 60)
    assert service.store.forget_handled(time.time() - HANDLED_KEPT.total_seconds()) == 2
    assert _ids(service.store) == ["201", "202"]
    # What is forgotten is only the update's record: the trades it made stay.
    assert len(service.state(1).trades) == 3 and len(service.state(2).trades) == 1


def test_many_rows_go_in_batches_and_two_sweeps_at_once_agree(db_target: str) -> None:
    store = ChatService(db_target).store
    old = time.time() - HANDLED_KEPT.total_seconds() - DAY
    rows = [(user, f"e{n}", "[]", old) for user in (1, 2) for n in range(FORGET_BATCH)]
    with store.db.write() as tx:
        tx.executemany("INSERT INTO processed (user_id, event_id, replies, handled_at) VALUES (?, ?, ?, ?)", rows)
    service = ChatService(db_target)
    service.process(1, _buy("fresh"))
    other = ChatService(db_target).store  # a second worker sweeping at the same moment
    cutoff = time.time() - HANDLED_KEPT.total_seconds()
    counts: list[int] = []

    async def both() -> None:
        counts.extend(
            await asyncio.gather(
                asyncio.to_thread(store.forget_handled, cutoff), asyncio.to_thread(other.forget_handled, cutoff)
            )
        )

    asyncio.run(both())
    assert sum(counts) == 2 * FORGET_BATCH
    assert _ids(store) == ["fresh"]


def _bare(target: str) -> Database:
    return PostgresDatabase(target) if is_url(target) else SqliteDatabase(Path(target))


def test_updates_handled_before_the_upgrade_count_from_the_upgrade(db_target: str) -> None:
    db = _bare(db_target)
    migrate(db, MIGRATIONS[:7])
    with db.write() as tx:
        tx.execute("INSERT INTO processed (user_id, event_id, replies) VALUES (1, '300', '[]')")
    before = time.time()
    migrate(db)
    store = Store(db)
    (handled,) = db.query("SELECT handled_at FROM processed WHERE event_id = '300'")[0]
    assert before - 2 <= float(handled) <= time.time() + 2
    assert store.forget_handled(time.time() - HANDLED_KEPT.total_seconds()) == 0  # still redeliverable
    assert store.seen(1, "300")
    assert store.forget_handled(time.time() + 60) == 1


def test_the_background_sweep_forgets_old_updates(tmp_path: Path) -> None:
    db = tmp_path / "cgt.db"
    app = make_app(Emulator(), db)
    service: ChatService = app.bot_data["service"]
    service.process(1, _buy("400"))
    service.process(1, _buy("401"))
    _handled_ago(service.store, "400", HANDLED_KEPT.total_seconds() + 60)
    asyncio.run(sweep(SimpleNamespace(application=app)))  # type: ignore[arg-type]
    assert _ids(service.store) == ["401"]
