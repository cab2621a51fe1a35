"""Where conversation steps run: never on the event loop, and a heavy user's not even in its process.

Most steps take a millisecond, but a 100,000-trade user's first /gains after a restart books for
seconds, and even a warm one takes a tenth of a second of CPU per message. On the event loop that
would hold up every other user; in a thread of the same process it still takes the interpreter lock
from the loop and from light users' steps for most of that time. So:

- light users' steps run in a pool of threads of this process (`Steps.light`);
- a heavy user's (more than HEAVY_TRADES trades) run in a child process, always the same one for a
  user (`user_id % processes`), so their booked ledger stays warm in that child's caches. Each child
  is a one-worker ProcessPoolExecutor started on first use (start-up stays instant), with its own
  ChatService on the same database (several processes on one database are safe: ChatService commits
  only on the version it read, and records each update's id with its change), and a lower priority
  (os.nice), so the light users' process gets a core first;
- a child that dies (killed, out of memory) is replaced and the step sent once more: a step is
  idempotent by its update's id, so one that was saved before the child died answers from the kept
  reply and saves nothing twice.

One user's updates still apply one at a time in arrival order wherever they run: the adapter
(PerUserOrder, or the webhook inbox) awaits each step before the user's next. Whether a user is
heavy is known from the cached state, or for a user this process has not loaded, from a count of
their trades in the database, then remembered; a user who drops to half that many comes back (not
at the line itself, so that one trade more or less doesn't move them back and forth, cold each time).
The user's state is not kept here while a child has them: it would take memory and go stale. The
other places that read a user's data (a reminder's text, the sweep's replan) go the same way.

Without a database another process can open (in-memory SQLite, in tests) or with `processes=0`, a
heavy user's steps run in threads of their own here, as before: so a few of them at once can't take
every thread from light users. Threads share the interpreter lock, so the switch interval is
shortened for the light steps and the loop to get it back within a millisecond rather than five.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from bot.reminders import reminder_text
from bot.service import ChatService
from bot.storage import Claimed
from calc import collector
from conversations.events import Event, Reply

T = TypeVar("T")

HEAVY_TRADES = 5_000  # a user with more trades than this may book for a noticeable time
SWITCH_INTERVAL = 0.001  # seconds a thread keeps the interpreter lock when another wants it (default 0.005)
NICE = 10  # a child's priority below the light users' process: a core for them first when both want one

# In a child process: its own service on the parent's database (set by _start_child).
_child: ChatService | None = None


def _start_child(target: str, nice: int) -> None:
    global _child
    # Ctrl-C in a terminal reaches the whole process group: the bot stops its children itself
    # (Steps.shutdown), and a child whose bot died ends with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    os.nice(nice)
    _child = ChatService(target)
    collector.settle()  # as the bot's process does once started: what is loaded now is never scanned again


def _end_with_parent() -> None:
    """A child whose bot was killed (SIGKILL, out of memory) would wait for work forever, holding its
    ledgers' memory: it ends as soon as its parent does (a transaction it had open rolls back)."""
    parent = multiprocessing.parent_process()
    if parent is not None:

        def watch() -> None:
            parent.join()
            os._exit(0)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _child_service() -> ChatService:
    assert _child is not None, "called outside a step process"
    return _child


def _child_step(user_id: int, event: Event) -> tuple[list[Reply], int | None]:
    """A step in the child: its replies, and the trades the user has now (to move them back when few)."""
    service = _child_service()
    replies = service.process(user_id, event)
    return replies, service.trades_held(user_id)


def _child_replan(user_id: int, now: datetime) -> None:
    _child_service().replan(user_id, now)


def _child_reminder_text(claimed: Claimed) -> str | None:
    return reminder_text(_child_service(), claimed)


class Children:
    """`count` one-worker process pools on the database `target`; a user always goes to the same one.

    A pool is made on its user's first step (a spawned interpreter: never a fork of this threaded
    process), and made again when its process died; the call that found it dead is sent once more.
    """

    def __init__(self, target: str, count: int, nice: int = NICE) -> None:
        self.target = target
        self.nice = nice
        self._pools: list[ProcessPoolExecutor | None] = [None] * count
        self._lock = threading.Lock()  # pools are made from the loop and from the sweep's thread

    def _pool(self, user_id: int) -> ProcessPoolExecutor:
        index = user_id % len(self._pools)
        with self._lock:
            pool = self._pools[index]
            if pool is None:
                pool = self._pools[index] = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_child,
                    initargs=(self.target, self.nice),
                )
            return pool

    def _replace(self, user_id: int, broken: ProcessPoolExecutor, attempt: int) -> None:
        """Drop a pool whose process died (once: another caller may have replaced it already)."""
        with self._lock:
            index = user_id % len(self._pools)
            if self._pools[index] is broken:
                self._pools[index] = None
        broken.shutdown(wait=False)
        if attempt > 0:
            raise BrokenProcessPool("a step process died twice on the same step")

    def call(self, user_id: int, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in the user's process, waiting in this thread."""
        for attempt in range(2):
            pool = self._pool(user_id)
            try:
                return pool.submit(function, *args).result()
            except BrokenProcessPool:
                self._replace(user_id, pool, attempt)
        raise AssertionError("unreachable")

    async def run(self, user_id: int, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in the user's process, awaited on the loop."""
        for attempt in range(2):
            pool = self._pool(user_id)
            try:
                return await asyncio.wrap_future(pool.submit(function, *args))
            except BrokenProcessPool:
                self._replace(user_id, pool, attempt)
        raise AssertionError("unreachable")

    def shutdown(self) -> None:
        with self._lock:
            pools, self._pools = self._pools, [None] * len(self._pools)
        for pool in pools:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


class Steps:
    def __init__(
        self,
        service: ChatService,
        processes: int = 2,
        light_threads: int = 8,
        heavy_threads: int = 2,
        heavy_trades: int = HEAVY_TRADES,
    ) -> None:
        self.service = service
        self.heavy_trades = heavy_trades
        self.light = ThreadPoolExecutor(light_threads, thread_name_prefix="step")
        target = service.store.db.target
        # No database another process can open (in-memory SQLite): heavy users get threads here instead.
        self.children = Children(target, processes) if target is not None and processes > 0 else None
        self.heavy = ThreadPoolExecutor(heavy_threads, thread_name_prefix="heavy-step")
        self._heavy: set[int] = set()  # users known to be heavy, whose steps run in self.children
        sys.setswitchinterval(SWITCH_INTERVAL)

    def _is_heavy(self, user_id: int) -> bool:
        """Known heavy, or holding many trades (cached here, else counted in the database: no load)."""
        if user_id in self._heavy:
            return True
        held = self.service.trades_held(user_id)
        if held is None:
            held = self.service.store.trades_count(user_id)
        return held > self.heavy_trades

    def _hand_over(self, user_id: int) -> None:
        """The user is heavy: from now on their steps run in a child, and their state is not kept here."""
        self._heavy.add(user_id)
        if self.children is not None:
            self.service.drop(user_id)

    def _light_step(self, user_id: int, event: Event) -> list[Reply] | None:
        """The step here, in a thread; None when the user turns out heavy (their step is not run)."""
        if self._is_heavy(user_id):
            return None
        return self.service.process(user_id, event)

    def _weighed(self, user_id: int, held: int | None) -> None:
        """After a step: a user grown heavy moves to a child (their state dropped here), one who
        became light again (after /forget, deletions) comes back."""
        if held is not None and held > self.heavy_trades:
            self._hand_over(user_id)
        elif held is not None and held <= self.heavy_trades // 2:
            self._heavy.discard(user_id)

    async def run(self, user_id: int, event: Event) -> list[Reply]:
        """The user's step where it belongs; awaited, so the caller orders each user's steps."""
        loop = asyncio.get_running_loop()
        if user_id not in self._heavy:
            here = await loop.run_in_executor(self.light, self._light_step, user_id, event)
            if here is not None:
                self._weighed(user_id, self.service.trades_held(user_id))
                return here
            self._hand_over(user_id)
        if self.children is None:
            replies = await loop.run_in_executor(self.heavy, self.service.process, user_id, event)
            self._weighed(user_id, self.service.trades_held(user_id))
            return replies
        replies, held = await self.children.run(user_id, _child_step, user_id, event)
        self._weighed(user_id, held)
        return replies

    def replan(self, user_id: int, now: datetime) -> None:
        """The sweep's replan of one user, where their steps run (called from the sweep's thread)."""
        if self.children is not None and self._is_heavy(user_id):
            self._hand_over(user_id)
            self.children.call(user_id, _child_replan, user_id, now)
        else:
            self.service.replan(user_id, now)

    def reminder_text(self, claimed: Claimed) -> str | None:
        """A due reminder's words, figured where the user's steps run (called from a thread)."""
        if self.children is not None and self._is_heavy(claimed.user_id):
            self._hand_over(claimed.user_id)
            return self.children.call(claimed.user_id, _child_reminder_text, claimed)
        return reminder_text(self.service, claimed)

    def shutdown(self) -> None:
        self.light.shutdown(wait=True)
        self.heavy.shutdown(wait=True)
        if self.children is not None:
            self.children.shutdown()
