"""The one entry point every front end uses: a user's event in, replies out, saved safely."""

from __future__ import annotations

import threading
from pathlib import Path

from bot.storage import Store, open_database
from conversations.events import Event, Reply
from conversations.router import handle
from conversations.state import UserState


class ChatService:
    """Loads the user's state, runs the conversation, saves the change with the event id.

    The same event id twice is handled once (Telegram may redeliver an update).
    States are cached in memory; the database stays the truth, written before the
    cache, so a crash loses nothing acknowledged.
    """

    def __init__(self, db_path: Path | str) -> None:
        self.store = Store(open_database(db_path))
        self._cache: dict[int, UserState] = {}
        self._lock = threading.Lock()

    @property
    def lock(self) -> threading.Lock:
        """Held for every write: a conversation step, or marking a reminder sent."""
        return self._lock

    def state(self, user_id: int) -> UserState:
        with self._lock:
            return self._state(user_id)

    def _state(self, user_id: int) -> UserState:
        cached = self._cache.get(user_id)
        if cached is None:
            cached = self._cache[user_id] = self.store.load(user_id)
        return cached

    def process(self, user_id: int, event: Event) -> list[Reply]:
        with self._lock:
            if self.store.seen(user_id, event.id):
                return []
            old = self._state(user_id)
            outcome = handle(old, event)
            self.store.save(user_id, old, outcome.state, event.id)
            self._cache[user_id] = outcome.state
            return outcome.replies
