"""Where conversation steps run: in threads, never on the event loop.

Most steps take a millisecond, but a 100,000-trade user's first /gains after a restart books for
seconds; on the event loop that would hold up every other user's messages. In a thread it holds
up only its own user: one user's updates still apply one at a time in arrival order, because
the adapter (PerUserOrder) awaits each step before the user's next and the service takes the
user's lock. Users with long histories get a pool of their own, so a few of them at once can't
take every thread from everyone else. Threads share the interpreter lock, so a running heavy
step still slows others a little: the switch interval is shortened so the loop and light steps
get it back within a millisecond rather than five.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from bot.service import ChatService

T = TypeVar("T")

HEAVY_TRADES = 5_000  # a user with more trades than this may book for a noticeable time
SWITCH_INTERVAL = 0.001  # seconds a thread keeps the interpreter lock when another wants it (default 0.005)


class Steps:
    def __init__(self, service: ChatService, light_threads: int = 8, heavy_threads: int = 2) -> None:
        self.service = service
        self.light = ThreadPoolExecutor(light_threads, thread_name_prefix="step")
        self.heavy = ThreadPoolExecutor(heavy_threads, thread_name_prefix="heavy-step")
        sys.setswitchinterval(SWITCH_INTERVAL)

    async def run(self, user_id: int, step: Callable[[], T]) -> T:
        heavy = self.service.trades_held(user_id) > HEAVY_TRADES
        return await asyncio.get_running_loop().run_in_executor(self.heavy if heavy else self.light, step)

    def shutdown(self) -> None:
        self.light.shutdown(wait=True)
        self.heavy.shutdown(wait=True)
