"""The one entry point every front end uses: a user's event in, replies out, saved safely."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from bot.reminders import moves_reminders, plan_for
from bot.storage import Outcome, Store, forgotten, open_store
from calc import collector
from conversations.events import Event, Reply
from conversations.router import handle
from conversations.state import UserState

# Losing a race means another writer committed, so the whole system always progresses; a user
# typing into two terminals at once loses a handful of times at most.
MAX_RERUNS = 100
USER_LOCKS = 1024


class ChatService:
    """Loads the user's state, runs the conversation, saves the change with the event id.

    The same event id twice is handled once (Telegram may redeliver an update). States are cached
    in memory with their version; each step reads the version in the database first, so several
    processes on one database (terminals, webhook workers) see each other's writes. The write is
    conditional on that version (Store.commit, under the user's write lock): a step that raced
    another writer reruns on the new state (steps are pure), so nothing is lost, doubled, or
    numbered twice.
    """

    def __init__(self, db: Path | str | Store) -> None:
        self.store = db if isinstance(db, Store) else open_store(db)
        self._cache: dict[int, tuple[int, UserState]] = {}
        self._lock = threading.Lock()
        # One user's steps one at a time; different users' at once (in threads, bot/steps.py), so a
        # slow step holds back only its own user. Striped: a lock per user would grow without end.
        self._user_locks = tuple(threading.Lock() for _ in range(USER_LOCKS))

    @property
    def lock(self) -> threading.Lock:
        """Held for every reminder claim in this process (steps take their user's lock)."""
        return self._lock

    def user_lock(self, user_id: int) -> threading.Lock:
        return self._user_locks[user_id % USER_LOCKS]

    def trades_held(self, user_id: int) -> int | None:
        """How many trades the user's cached state has (None when not loaded): how heavy their steps are."""
        cached = self._cache.get(user_id)
        return len(cached[1].trades) if cached else None

    def drop(self, user_id: int) -> None:
        """Forget the user's cached state: their steps now run in another process (bot/steps.py), so
        this copy would only take memory (it would not be wrong: every step checks the version)."""
        self._cache.pop(user_id, None)

    def state(self, user_id: int) -> UserState:
        with self.user_lock(user_id):
            return self._state(user_id)[1]

    def _state(self, user_id: int, version: int | None = None) -> tuple[int, UserState]:
        version = self.store.version(user_id) if version is None else version
        cached = self._cache.get(user_id)
        if cached is None or cached[0] != version:
            with collector.paused():  # a long history is many objects that stay: frozen, not rescanned
                cached = self._cache[user_id] = self.store.load_versioned(user_id)
        return cached

    def process(self, user_id: int, event: Event) -> list[Reply]:
        with self.user_lock(user_id):
            for _ in range(MAX_RERUNS):
                # Handled already (Telegram redelivers after a restart): the same answer again, no change.
                # Whether it was, and the user's version, in one query: each is a round trip to the database.
                seen, current = self.store.peek(user_id, event.id)
                if seen:
                    return self.store.answered(user_id, event.id) or []
                version, old = self._state(user_id, current)
                outcome = handle(old, event)
                # The user's reminders follow their data, written in the same transaction as the change.
                plan = plan_for(outcome.state, event.now) if moves_reminders(old, outcome.state) else None
                result, now = self.store.commit(
                    user_id, version, old, outcome.state, event.id, plan, replies=outcome.replies
                )
                if result is Outcome.SEEN:
                    return self.store.answered(user_id, event.id) or []
                if result is Outcome.SAVED:
                    if forgotten(outcome.state):
                        self._cache.pop(user_id, None)  # what outlives /forget is read back
                    else:
                        self._cache[user_id] = (now, outcome.state)
                    return outcome.replies
            raise RuntimeError(f"gave up after {MAX_RERUNS} concurrent changes to the same user")

    def replan(self, user_id: int, now: datetime) -> None:
        """Write the user's reminder plan from their current data (the sweep, off the event loop:
        planning books the ledger, so the lock is not held while it runs)."""
        for _ in range(MAX_RERUNS):
            with self.user_lock(user_id):
                version, state = self._state(user_id)
            plan = plan_for(state, now)
            if self.store.commit(user_id, version, state, state, None, plan)[0] is Outcome.SAVED:
                return
