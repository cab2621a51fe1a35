"""Each user's state, on SQLite or PostgreSQL (bot/database.py), every change in one transaction.

Tables: users (profile, prices, open wizard, the next trade number, a version, the splits), trades (one row per
trade), message_trades (which trades each message recorded, for edits), processed (event ids already handled
and when, written in the same transaction as the change they caused, so a redelivered update changes
nothing twice; forgotten once Telegram can't deliver it again, HANDLED_KEPT), reminders_sent, counters (what outlives
/forget: the next trade number and state version, under a salted hash of the user id, so a button
from before /forget can never act on a trade recorded after it).

Concurrency: `commit` writes a step only if the user's version is still the one the step read, under
the user's write lock; otherwise the caller reruns the step on the fresh state (ChatService.process).
So trade numbers always come from the database's current count, never from a stale copy, and two
processes on one database can't lose or double a trade.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from pathlib import Path

from bot.database import Database, Tx, connect
from calc.models import Split, Trade
from conversations.events import Reply
from conversations.state import Profile, UserState, Wizard, in_place

# How long the id of a handled update (with its kept answer) stays in `processed`, where a second
# delivery of the update finds it and changes nothing. Telegram keeps an update it could not deliver
# (a webhook answered with an error or not at all, a getUpdates batch never confirmed) for at most
# 24 hours after it received it, and we handle an update only after Telegram received it, so no copy
# can come more than a day after the row was written. Three days leaves two of margin (workers'
# clocks; an update applied late from the inbox only makes its row younger). Much longer would not be
# safer: after a week without updates Telegram may start update ids again at random, and a kept id
# could then hide a new update.
HANDLED_KEPT = timedelta(days=3)
FORGET_BATCH = 5_000  # rows deleted per transaction: the write lock is held briefly, then given back


class Outcome(Enum):
    SAVED = "saved"
    RACED = "raced"  # another writer changed the user since the step read it: rerun the step
    SEEN = "seen"  # the event was already handled (a redelivery, or another worker got it first)


@dataclass(frozen=True)
class Planned:
    """A reminder a user's data calls for: its stable key, kind, day, and when to send it (UTC epoch)."""

    key: str
    kind: str
    on: date
    send_at: float


@dataclass(frozen=True)
class Plan:
    """A user's reminders up to `until`, written with the change that called for them."""

    reminders: tuple[Planned, ...]
    until: date


@dataclass(frozen=True)
class Claimed:
    user_id: int
    key: str
    kind: str
    on: date


def forgotten(state: UserState) -> bool:
    """The state /forget leaves: nothing about the user (the trade counter aside)."""
    return state.blank()


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._salt: str | None = None

    # Reading

    def users(self) -> list[int]:
        return [row[0] for row in self.db.query("SELECT id FROM users ORDER BY id")]

    def seen(self, user_id: int, event_id: str) -> bool:
        return self.peek(user_id, event_id)[0]

    def answered(self, user_id: int, event_id: str) -> list[Reply] | None:
        """The answer kept with a handled update (None: not handled yet). A redelivery gets it again."""
        with self.db.read() as tx:
            row = tx.execute(
                "SELECT replies FROM processed WHERE user_id = ? AND event_id = ?", [user_id, event_id]
            ).fetchone()
        if row is None:
            return None
        return [Reply.model_validate(item) for item in json.loads(row[0])] if row[0] else []

    def version(self, user_id: int) -> int:
        return self.peek(user_id, "")[1]

    def peek(self, user_id: int, event_id: str) -> tuple[bool, int]:
        """Whether the event was handled, and the user's version: what a step checks first, in one query."""
        (row,) = self.db.query(
            "SELECT EXISTS (SELECT 1 FROM processed WHERE user_id = ? AND event_id = ?), "
            "COALESCE((SELECT version FROM users WHERE id = ?), (SELECT version FROM counters WHERE user_key = ?), 0)",
            [user_id, event_id, user_id, self._key(user_id)],
        )
        return bool(row[0]), int(row[1])

    def trades_count(self, user_id: int) -> int:
        """How many trades the user has, without loading them (from the index on user and position)."""
        (row,) = self.db.query("SELECT COUNT(*) FROM trades WHERE user_id = ?", [user_id])
        return int(row[0])

    def load(self, user_id: int) -> UserState:
        return self.load_versioned(user_id)[1]

    def load_versioned(self, user_id: int) -> tuple[int, UserState]:
        with self.db.read() as tx:
            return self._load(tx, user_id)

    def _load(self, tx: Tx, user_id: int) -> tuple[int, UserState]:
        row = tx.execute(
            "SELECT profile, prices, wizard, last_added, next_trade_number, version, splits, messages_from "
            "FROM users WHERE id = ?",
            [user_id],
        ).fetchone()
        if row is None:
            number, version = self._counter(tx, user_id)
            return version, UserState(next_trade_number=number)
        trades = tuple(
            Trade.model_validate_json(data)
            for (data,) in tx.execute("SELECT data FROM trades WHERE user_id = ? ORDER BY seq", [user_id]).fetchall()
        )
        state = UserState(
            profile=Profile.model_validate_json(row[0]),
            prices=json.loads(row[1]),
            wizard=Wizard.model_validate_json(row[2]) if row[2] else None,
            last_added=tuple(json.loads(row[3])),
            next_trade_number=row[4],
            trades=trades,
            splits=tuple(Split.model_validate(item) for item in json.loads(row[6])),
            recorded={
                message: tuple(json.loads(ids))
                for message, ids in tx.execute(
                    "SELECT message_id, trade_ids FROM message_trades WHERE user_id = ?", [user_id]
                ).fetchall()
            },
            messages_from=row[7],
        )
        return row[5], state

    def _version(self, tx: Tx, user_id: int) -> int:
        row = tx.execute("SELECT version FROM users WHERE id = ?", [user_id]).fetchone()
        return int(row[0]) if row is not None else self._counter(tx, user_id)[1]

    # Writing

    def save(self, user_id: int, old: UserState, new: UserState, event_id: str | None) -> None:
        """Write what changed, and the event id, in one transaction, whatever the version (set-up, tests)."""
        self.commit(user_id, None, old, new, event_id)

    def commit(
        self,
        user_id: int,
        version: int | None,
        old: UserState,
        new: UserState,
        event_id: str | None,
        plan: Plan | None = None,
        replies: Sequence[Reply] = (),
    ) -> tuple[Outcome, int]:
        """Write the step from `old` (read at `version`) to `new`, the event id and the user's reminder
        plan, in one transaction, or say why not. Returns the outcome and the user's version after it.
        """
        erased = False
        with self.db.write(user_id) as tx:
            current = self._version(tx, user_id)
            if event_id is not None and _seen(tx, user_id, event_id):
                return Outcome.SEEN, current
            if version is not None and (new is not old or plan is not None) and current != version:
                return Outcome.RACED, current
            if event_id is not None:
                tx.execute(
                    "INSERT INTO processed (user_id, event_id, replies, handled_at) VALUES (?, ?, ?, ?)",
                    [user_id, event_id, kept_replies(replies), time.time()],
                )
            if new is not old:  # states are immutable: the same object is no change
                if forgotten(new) and not forgotten(old):
                    self._delete_user(tx, user_id, old, current + 1)
                    erased = True
                else:
                    self._write_user(tx, user_id, old, new, current + 1)
                current += 1
            if plan is not None and not erased:
                self._write_plan(tx, user_id, plan)
        if erased:
            self.db.checkpoint()  # the deleted rows leave the write-ahead log too, not only the tables
        return Outcome.SAVED, current

    def _write_user(self, tx: Tx, user_id: int, old: UserState, new: UserState, version: int) -> None:
        values = [
            new.profile.model_dump_json(),
            json.dumps({k: str(v) for k, v in new.prices.items()}),
            new.wizard.model_dump_json() if new.wizard else None,
            json.dumps(list(new.last_added)),
            new.next_trade_number,
            version,
            json.dumps([split.model_dump(mode="json") for split in new.splits]),
            new.messages_from,
        ]
        tx.execute(
            "INSERT INTO users (id, profile, prices, wizard, last_added, next_trade_number, version, splits, "
            "messages_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET profile = excluded.profile, "
            "prices = excluded.prices, wizard = excluded.wizard, last_added = excluded.last_added, "
            "next_trade_number = excluded.next_trade_number, version = excluded.version, splits = excluded.splits, "
            "messages_from = excluded.messages_from",
            [user_id, *values],
        )
        if old.recorded is not new.recorded:
            self._write_recorded(tx, user_id, old.recorded, new.recorded)
        if old.trades is new.trades:
            return
        found = in_place(old.trades, new.trades)
        if found is not None:
            # Trades added at the end (the usual change) or changed in place (an edit): only those are
            # written, found by identity rather than by comparing every old trade with every new one
            # (55 ms on a 100,000-trade history).
            pairs, added = found
            before: dict[str, Trade] = {was.id: was for was, _ in pairs}
            changed = [now for was, now in pairs if was != now] + list(added)
        else:
            before = {t.id: t for t in old.trades}
            after = {t.id: t for t in new.trades}
            gone = [trade_id for trade_id in before if trade_id not in after]
            if gone:
                tx.executemany("DELETE FROM trades WHERE user_id = ? AND id = ?", [(user_id, i) for i in gone])
            # Identity first: unchanged trades are the same objects, and pydantic equality is slow.
            changed = [t for t in new.trades if (old_t := before.get(t.id)) is not t and old_t != t]
        if changed:
            (top,) = tx.execute("SELECT coalesce(max(seq), 0) FROM trades WHERE user_id = ?", [user_id]).fetchone()
            rows = []
            for t in changed:
                if t.id in before:
                    tx.execute(
                        "UPDATE trades SET data = ? WHERE user_id = ? AND id = ?", [t.model_dump_json(), user_id, t.id]
                    )
                else:
                    top += 1
                    rows.append((user_id, t.id, top, t.model_dump_json()))
            tx.executemany("INSERT INTO trades (user_id, id, seq, data) VALUES (?, ?, ?, ?)", rows)

    @staticmethod
    def _write_recorded(tx: Tx, user_id: int, old: dict[str, tuple[str, ...]], new: dict[str, tuple[str, ...]]) -> None:
        """The messages whose trades changed (in the same transaction as the trades they name)."""
        gone = [(user_id, message) for message in old if message not in new]
        if gone:
            tx.executemany("DELETE FROM message_trades WHERE user_id = ? AND message_id = ?", gone)
        tx.executemany(
            "INSERT INTO message_trades (user_id, message_id, trade_ids) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id, message_id) DO UPDATE SET trade_ids = excluded.trade_ids",
            [(user_id, message, json.dumps(list(ids))) for message, ids in new.items() if old.get(message) != ids],
        )

    def _delete_user(self, tx: Tx, user_id: int, old: UserState, version: int) -> None:
        tx.execute("DELETE FROM trades WHERE user_id = ?", [user_id])
        tx.execute("DELETE FROM message_trades WHERE user_id = ?", [user_id])
        tx.execute("DELETE FROM users WHERE id = ?", [user_id])
        tx.execute("DELETE FROM reminders_due WHERE user_id = ?", [user_id])
        tx.execute("DELETE FROM reminder_plans WHERE user_id = ?", [user_id])
        # What outlives /forget: how far trade numbers went (never reused) and the state's version
        # (a cache in another process must see the change), under a salted hash rather than the id.
        tx.execute(
            "INSERT INTO counters (user_key, next_trade_number, version) VALUES (?, ?, ?) "
            "ON CONFLICT (user_key) DO UPDATE SET next_trade_number = excluded.next_trade_number, "
            "version = excluded.version",
            [self._user_key(tx, user_id), old.next_trade_number, version],
        )
        # Every row keyed by the user goes, the ids of updates already handled too (a redelivered
        # /forget finds nothing left to delete). With secure_delete the freed bytes are zeroed.
        tx.execute("DELETE FROM processed WHERE user_id = ?", [user_id])

    def _counter(self, tx: Tx, user_id: int) -> tuple[int, int]:
        row = tx.execute(
            "SELECT next_trade_number, version FROM counters WHERE user_key = ?", [self._user_key(tx, user_id)]
        ).fetchone()
        return (int(row[0]), int(row[1])) if row is not None else (1, 0)

    def _user_key(self, tx: Tx, user_id: int) -> str:
        return self._key(user_id)

    def _key(self, user_id: int) -> str:
        if self._salt is None:
            self._salt = str(self.db.query("SELECT value FROM meta WHERE key = 'salt'")[0][0])
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()

    # Reminders: planned with each change (commit), claimed by one worker, marked with the outcome.

    def _write_plan(self, tx: Tx, user_id: int, plan: Plan) -> None:
        # Unsent, unclaimed rows give way to the new plan; sent ones stay (a key is sent once), and so
        # does one a worker is sending right now.
        tx.execute(
            "DELETE FROM reminders_due WHERE user_id = ? AND sent_at IS NULL AND claimed_until IS NULL", [user_id]
        )
        tx.executemany(
            "INSERT INTO reminders_due (user_id, key, kind, due_on, send_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id, key) DO NOTHING",
            [(user_id, r.key, r.kind, r.on.isoformat(), r.send_at) for r in plan.reminders],
        )
        tx.execute(
            "INSERT INTO reminder_plans (user_id, until) VALUES (?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET until = excluded.until",
            [user_id, plan.until.isoformat()],
        )

    def users_to_plan(self, before: date, limit: int) -> list[int]:
        """Users never planned, or whose plan ends before `before`: the background sweep's work."""
        with self.db.read() as tx:
            rows = tx.execute(
                "SELECT id FROM users u WHERE NOT EXISTS (SELECT 1 FROM reminder_plans p WHERE p.user_id = u.id) "
                "UNION SELECT user_id FROM reminder_plans WHERE until < ? ORDER BY 1 LIMIT ?",
                [before.isoformat(), limit],
            ).fetchall()
        return [row[0] for row in rows]

    def due_reminders(self, user_id: int) -> list[tuple[str, date, float | None]]:
        """(key, day, sent at) of the user's rows, for tests and operators."""
        with self.db.read() as tx:
            rows = tx.execute(
                "SELECT key, due_on, sent_at FROM reminders_due WHERE user_id = ? ORDER BY send_at, key", [user_id]
            ).fetchall()
        return [(row[0], date.fromisoformat(row[1]) if row[1] else date.min, row[2]) for row in rows]

    def reminder_sent(self, user_id: int, key: str) -> bool:
        return bool(
            self.db.query(
                "SELECT 1 FROM reminders_due WHERE user_id = ? AND key = ? AND sent_at IS NOT NULL", [user_id, key]
            )
        )

    def claim_due(self, now: float, lease: float, per_chat: float = 1.0) -> Claimed | None:
        """The most overdue unsent reminder, claimed for `lease` seconds by this worker.

        PostgreSQL: `FOR UPDATE SKIP LOCKED`, so workers claiming at once take different rows without
        waiting; SQLite: the write lock. A chat sent to in the last `per_chat` seconds, or with a
        reminder in flight, waits (Telegram: one message a second per chat).
        """
        skip_locked = " FOR UPDATE SKIP LOCKED" if self.db.kind == "postgresql" else ""
        with self.db.write() as tx:
            row = tx.execute(
                "SELECT user_id, key, kind, due_on FROM reminders_due r WHERE sent_at IS NULL AND send_at <= ? "
                "AND (claimed_until IS NULL OR claimed_until < ?) AND NOT EXISTS (SELECT 1 FROM reminders_due o "
                "WHERE o.user_id = r.user_id AND (o.sent_at > ? OR (o.claimed_until > ? AND o.sent_at IS NULL))) "
                "ORDER BY send_at LIMIT 1" + skip_locked,
                [now, now, now - per_chat, now],
            ).fetchone()
            if row is None:
                return None
            tx.execute(
                "UPDATE reminders_due SET claimed_until = ? WHERE user_id = ? AND key = ?",
                [now + lease, row[0], row[1]],
            )
        return Claimed(row[0], row[1], row[2], date.fromisoformat(row[3]))

    def finish_reminder(self, claimed: Claimed, outcome: str, now: float) -> None:
        """Record what became of a claimed reminder: "sent", "blocked" (chat closed to the bot: not
        retried), or "dropped" (the data no longer calls for it: the row goes, nothing was sent)."""
        with self.db.write(claimed.user_id) as tx:
            if outcome == "dropped":
                tx.execute("DELETE FROM reminders_due WHERE user_id = ? AND key = ?", [claimed.user_id, claimed.key])
            else:
                tx.execute(
                    "UPDATE reminders_due SET sent_at = ?, outcome = ?, claimed_until = NULL "
                    "WHERE user_id = ? AND key = ?",
                    [now, outcome, claimed.user_id, claimed.key],
                )

    def postpone_reminder(self, claimed: Claimed, send_at: float) -> None:
        """Give the claim back, to be sent at `send_at` (a flood wait, a network error)."""
        with self.db.write(claimed.user_id) as tx:
            tx.execute(
                "UPDATE reminders_due SET claimed_until = NULL, send_at = ? WHERE user_id = ? AND key = ?",
                [send_at, claimed.user_id, claimed.key],
            )

    def send_slot(self, now: float, interval: float) -> float:
        """When this worker may send its next message: every worker takes its slot from one row, so
        together they keep to `1 / interval` messages a second."""
        lock = " FOR UPDATE" if self.db.kind == "postgresql" else ""
        with self.db.write() as tx:
            (next_at,) = tx.execute("SELECT next_at FROM send_pace WHERE name = 'telegram'" + lock).fetchone()
            slot = max(float(next_at), now)
            tx.execute("UPDATE send_pace SET next_at = ? WHERE name = 'telegram'", [slot + interval])
        return slot

    # The update inbox (webhook mode): recorded before Telegram gets its 200, applied in order, once.

    def enqueue(self, user_id: int, update_id: int, payload: str, now: float) -> bool:
        """Record an update; False when it is already recorded or was already handled (a redelivery)."""
        with self.db.write(user_id) as tx:
            if _seen(tx, user_id, str(update_id)):
                return False
            cursor = tx.execute(
                "INSERT INTO inbox (user_id, update_id, payload, received_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [user_id, update_id, payload, now],
            )
            return cursor.rowcount == 1

    def pending(self, user_id: int) -> list[tuple[int, str]]:
        """The user's recorded updates, oldest first (update ids rise in the order Telegram got them)."""
        rows = self.db.query("SELECT update_id, payload FROM inbox WHERE user_id = ? ORDER BY update_id", [user_id])
        return [(int(row[0]), str(row[1])) for row in rows]

    def drop_from_inbox(self, user_id: int, update_id: int) -> None:
        with self.db.write(user_id) as tx:
            tx.execute("DELETE FROM inbox WHERE user_id = ? AND update_id = ?", [user_id, update_id])

    def lease_user(self, user_id: int, owner: str, now: float, lease: float) -> bool:
        """Make `owner` the one worker applying this user's updates for `lease` seconds (or renew it)."""
        with self.db.write(user_id) as tx:
            tx.execute(
                "INSERT INTO inbox_leases (user_id, owner, until) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE "
                "SET owner = excluded.owner, until = excluded.until "
                "WHERE inbox_leases.until < ? OR inbox_leases.owner = excluded.owner",
                [user_id, owner, now + lease, now],
            )
            row = tx.execute("SELECT owner FROM inbox_leases WHERE user_id = ?", [user_id]).fetchone()
        return row is not None and row[0] == owner

    def release_user(self, user_id: int, owner: str) -> None:
        with self.db.write(user_id) as tx:
            tx.execute("DELETE FROM inbox_leases WHERE user_id = ? AND owner = ?", [user_id, owner])

    def stranded(self, received_before: float, now: float, limit: int) -> list[int]:
        """Users with updates waiting and no live lease (their worker died): for another to apply."""
        with self.db.read() as tx:
            rows = tx.execute(
                "SELECT DISTINCT i.user_id FROM inbox i WHERE i.received_at < ? AND NOT EXISTS "
                "(SELECT 1 FROM inbox_leases l WHERE l.user_id = i.user_id AND l.until >= ?) LIMIT ?",
                [received_before, now, limit],
            ).fetchall()
        return [int(row[0]) for row in rows]

    def forget_handled(self, before: float, batches: int = 200) -> int:
        """Delete the records of updates handled before `before` (seconds since the epoch; HANDLED_KEPT
        says how far back Telegram can still deliver a copy), FORGET_BATCH rows per transaction, at most
        `batches` of them (the background sweep comes back for the rest). Returns how many went.
        Workers sweeping at once on PostgreSQL each take rows the others haven't locked."""
        skip_locked = " FOR UPDATE SKIP LOCKED" if self.db.kind == "postgresql" else ""
        forgotten = 0
        for _ in range(batches):
            with self.db.write() as tx:
                deleted = tx.execute(
                    "DELETE FROM processed WHERE (user_id, event_id) IN (SELECT user_id, event_id FROM processed "
                    "WHERE handled_at < ? LIMIT ?" + skip_locked + ")",
                    [before, FORGET_BATCH],
                ).rowcount
            forgotten += deleted
            if deleted < FORGET_BATCH:
                break
        return forgotten

    def pseudonym(self, user_id: int) -> str:
        """A stable stand-in for a user id in logs: a salted hash, not reversible without the database."""
        return self._key(user_id)[:12]

    def healthy(self) -> bool:
        try:
            self.db.query("SELECT 1")
        except Exception:
            return False
        return True


FILE_SENT_BEFORE = "(The file went with my first answer; ask again to have it sent once more.)"


def kept_replies(replies: Sequence[Reply]) -> str:
    """The answer as JSON, without file contents (a PDF of hundreds of pages is not kept per update)."""
    kept = []
    for reply in replies:
        text = f"{reply.text}\n{FILE_SENT_BEFORE}" if reply.files else reply.text
        kept.append(reply.model_copy(update={"text": text, "files": ()}).model_dump(mode="json"))
    return json.dumps(kept)


def _seen(tx: Tx, user_id: int, event_id: str) -> bool:
    row = tx.execute("SELECT 1 FROM processed WHERE user_id = ? AND event_id = ?", [user_id, event_id]).fetchone()
    return row is not None


def open_store(target: str | Path) -> Store:
    """The store at a SQLite path or a `postgresql://` URL, its schema brought up to date."""
    return Store(connect(target))
