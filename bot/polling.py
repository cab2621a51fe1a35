"""Long polling without losing an update around a crash: each one is recorded before Telegram forgets it.

getUpdates confirms a batch by asking for the next one (its offset), and python-telegram-bot asks
as soon as the batch is queued, not once it is handled: a bot killed 10 ms after a button press
had confirmed an update it never handled, so nothing was saved and nothing answered. Here the
queue records each update in the inbox (bot/storage.py, the table webhook workers use) as it is
queued, which is before the next getUpdates; the update leaves the inbox when its step is done
(PerUserOrder). At start-up what is left is applied first, in each user's order: an update that
was saved but not answered gets its kept answer again (ChatService), one never handled is handled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.flood import FloodGate, warn_too_fast
from bot.storage import Store

log = logging.getLogger("cgt_bot.polling")


class RecordingQueue(asyncio.Queue[object]):
    """Application.update_queue in polling mode: an update past the flood gate goes into the inbox,
    then on to be handled. A flood's surplus is neither recorded nor handled (one warning says so),
    so 1,000 messages at once cost 20 writes, not 1,000."""

    def __init__(self, store: Store, gate: FloodGate | None = None) -> None:
        super().__init__()
        self.store = store
        self.gate = gate
        self._recorded: set[tuple[int, int]] = set()

    async def put(self, item: object) -> None:
        user = item.effective_user if isinstance(item, Update) else None
        if isinstance(item, Update) and user is not None:
            admitted, warn = self.gate.admit(user.id) if self.gate is not None else (True, False)
            if not admitted:
                if warn:
                    await warn_too_fast(item, user.id)
                return
            # Synchronous on purpose: the Updater's next getUpdates (which confirms this update to
            # Telegram) must not start before the row is committed.
            if not self.store.enqueue(user.id, item.update_id, json.dumps(item.to_dict()), time.time()):
                # Handled already, or left over and applied at start-up: Telegram sent it again because
                # the bot died before confirming it. Answering again would say the same thing twice.
                return
            self._recorded.add((user.id, item.update_id))
        await super().put(item)

    def done(self, update: object) -> None:
        """The update's step is over (answered, refused or failed): it leaves the inbox."""
        if isinstance(update, Update) and update.effective_user is not None:
            key = (update.effective_user.id, update.update_id)
            if key in self._recorded:
                self._recorded.discard(key)
                self.store.drop_from_inbox(*key)


async def apply_left_over(app: Application, store: Store, limit: int = 10_000) -> int:
    """Handle what a killed bot recorded but didn't finish, oldest first per user; how many."""
    applied = 0
    for user_id in store.stranded(time.time() + 1, time.time(), limit):
        for update_id, payload in store.pending(user_id):
            update: Any = Update.de_json(json.loads(payload), app.bot)
            try:
                await app.process_update(update)
            finally:
                store.drop_from_inbox(user_id, update_id)
            applied += 1
    if applied:
        log.info("applied %d updates left over from before a restart", applied)
    return applied
