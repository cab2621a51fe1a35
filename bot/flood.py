"""How much one user may ask: messages per second (a token bucket), so one chat can't crowd out the rest.

A flood of 1,000 messages from one chat in 50 ms used to queue 1,000 steps, each holding one of
the bot's concurrent-update slots while it waited for that user's turn: everyone else waited up
to 24 s. Past the burst, a user's messages are skipped (they were that user's own flood) and the
user is told once, in plain words, until the bucket has room again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from telegram import Update

log = logging.getLogger("cgt_bot.flood")

BURST = 20  # messages at once: a wizard tapped through quickly, a few trades pasted one by one
PER_SECOND = 1.0  # sustained; a person reads each answer
MAX_TRACKED = 10_000  # users remembered at once; idle (full) buckets are forgotten past it

TOO_FAST = (
    "You're sending messages faster than I can answer, so I skipped some of them. Wait a few seconds, "
    "then send again what I didn't answer. A broker CSV file brings many trades in one message."
)


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class FloodGate:
    def __init__(self, burst: int = BURST, per_second: float = PER_SECOND) -> None:
        self.burst = burst
        self.per_second = per_second
        self._buckets: dict[int, _Bucket] = {}

    def admit(self, user_id: int, now: float | None = None) -> tuple[bool, bool]:
        """(admitted, warn): whether to process this message, and whether to say it was skipped
        (once per flood, not once per skipped message)."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED:
                self._forget_idle(now)
            bucket = self._buckets[user_id] = _Bucket(tokens=float(self.burst), at=now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.per_second)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, False
        warn = not bucket.warned
        bucket.warned = True
        return False, warn

    def _forget_idle(self, now: float) -> None:
        full = [user for user, b in self._buckets.items() if b.tokens + (now - b.at) * self.per_second >= self.burst]
        for user in full:
            del self._buckets[user]


async def warn_too_fast(update: Update, user_id: int) -> None:
    try:
        await update.get_bot().send_message(user_id, TOO_FAST)
    except Exception:  # the warning is a courtesy; a network error must not end the bot
        log.warning("could not warn a user about skipped messages")
