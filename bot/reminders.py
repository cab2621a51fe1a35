"""Reminders: a due-date table planned with each change, claimed and sent by whichever worker is free.

Planning: a change that can move a reminder (trades, prices, profile) plans the user's reminders for
the next HORIZON (`plan_for`, pure) and ChatService writes them in the same transaction as the change
(Store.commit). A background sweep plans the few users whose plan runs out, and, once after an
upgrade, those never planned; start-up plans nobody, so it takes the same time for ten users or a
million. Which reminders and when is cheap; the text, which figures tax, is written from the user's
data when the reminder goes out (nothing is sent if the data no longer calls for it).

Sending: every second each worker claims the most overdue reminder (Store.claim_due: `FOR UPDATE
SKIP LOCKED` on PostgreSQL, the write lock on SQLite), takes its slot from the pace all workers share
through the database (25 messages a second overall, one a second per chat), sends, and records the
outcome. Each goes out in HTML parse mode, as every reply does (a bold heading, the rest escaped:
conversations/reminders.py). A claim is a lease: a worker killed mid-send leaves the reminder to the next worker once the
lease runs out, so none is lost; only a kill between Telegram accepting the message and the outcome
being written (one round trip) could send it twice — Telegram has no idempotency key to close that.
A flood wait (429) sends it again after `retry_after`; a chat closed to the bot (403) is not retried.
"""

from __future__ import annotations

import asyncio
import logging
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from telegram.constants import ParseMode
from telegram.error import Forbidden, RetryAfter

from bot.storage import Claimed, Plan, Planned
from conversations.reminders import Due, reminders, upcoming
from conversations.state import UserState

if TYPE_CHECKING:
    from bot.service import ChatService

log = logging.getLogger("cgt_bot.reminders")
SEND_AT = time(10, 0)
HORIZON = timedelta(days=400)  # this December and the next year's lots turning long-term
REFILL = timedelta(days=30)  # the sweep replans a user this long before their plan runs out
LEASE = 60.0  # seconds a claimed reminder is this worker's to send
PACE = 1 / 25  # Telegram allows about 30 messages a second overall: 25, across all workers
RETRY = 60.0  # after a network error, seconds until the reminder is tried again


def send_time(reminder: Due, timezone: str) -> datetime:
    return datetime.combine(reminder.on, SEND_AT, tzinfo=ZoneInfo(timezone))


def plan_for(state: UserState, now: datetime) -> Plan:
    """The user's reminders from today (in their time zone) to HORIZON, each with its send time."""
    today = now.astimezone(ZoneInfo(state.profile.timezone)).date()
    until = today + HORIZON
    planned = tuple(
        Planned(due.key, due.kind, due.on, send_time(due, state.profile.timezone).timestamp())
        for due in upcoming(state, today, until)
    )
    return Plan(planned, until)


def moves_reminders(old: UserState, new: UserState) -> bool:
    """Whether a step can change which reminders are due (the wizard alone can't)."""
    return old.trades is not new.trades or old.prices != new.prices or old.profile != new.profile


def sweep(
    service: ChatService, now: datetime, limit: int = 500, replan: Callable[[int, datetime], None] | None = None
) -> int:
    """Plan the users whose plan runs out within REFILL (or who have none); returns how many.
    `replan` plans one user where their steps run (bot/steps.py: a heavy user's in a child process)."""
    users = service.store.users_to_plan(now.date() + REFILL, limit)
    for user_id in users:
        (replan or service.replan)(user_id, now)
    return len(users)


class Sender(Protocol):
    async def send_message(self, chat_id: int, text: str, *, parse_mode: str) -> Any: ...


def reminder_text(service: ChatService, claimed: Claimed) -> str | None:
    """The reminder's words from the user's data now (None: the data no longer calls for it)."""
    state = service.state(claimed.user_id)
    return next((r.text for r in reminders(state, claimed.on, claimed.on) if r.key == claimed.key), None)


async def send_due(
    bot: Sender,
    service: ChatService,
    limit: int = 100,
    now: Any = clock.time,
    text: Callable[[Claimed], str | None] | None = None,
) -> dict[str, int]:
    """Claim and send due reminders until none is left or `limit` were handled; counts by outcome.
    `text` words one where the user's steps run (bot/steps.py: a heavy user's in a child process)."""
    store = service.store
    counts: dict[str, int] = {}
    for _ in range(limit):
        claimed = store.claim_due(now(), LEASE)
        if claimed is None:
            break
        outcome = await _send_one(bot, service, claimed, now, text or partial(reminder_text, service))
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


async def _send_one(
    bot: Sender, service: ChatService, claimed: Claimed, now: Any, words: Callable[[Claimed], str | None]
) -> str:
    store = service.store
    # The text figures tax from the user's data: off the event loop, so other users don't wait.
    text = await asyncio.to_thread(words, claimed)
    if text is None:  # the data changed since it was planned (a sale, reminders off): nothing to say
        store.finish_reminder(claimed, "dropped", now())
        return "dropped"
    slot = store.send_slot(now(), PACE)
    if slot > now():
        await asyncio.sleep(slot - now())
    try:
        await bot.send_message(claimed.user_id, text, parse_mode=ParseMode.HTML)  # as every reply is
    except Forbidden:
        # The user blocked the bot or deleted their account: retrying would fail the same way.
        log.info("reminder of kind %s not sent: the chat is closed to the bot", claimed.kind)
        store.finish_reminder(claimed, "blocked", now())
        return "blocked"
    except RetryAfter as flood:
        wait = flood.retry_after if isinstance(flood.retry_after, int | float) else flood.retry_after.total_seconds()
        store.postpone_reminder(claimed, now() + float(wait))
        return "postponed"
    except Exception as error:
        log.warning("reminder of kind %s not sent (%s): trying again later", claimed.kind, type(error).__name__)
        store.postpone_reminder(claimed, now() + RETRY)
        return "failed"
    store.finish_reminder(claimed, "sent", now())
    return "sent"


def dry_run(service: ChatService, on: date) -> str:
    """What would be sent on `on`, per user (for operators)."""
    lines = []
    for user_id in service.store.users():
        found = [
            r for r in reminders(service.state(user_id), on, on) if not service.store.reminder_sent(user_id, r.key)
        ]
        if not found:
            continue
        lines.append(f"user {user_id}:")
        for reminder in found:
            lines.append(f"  [{reminder.kind}] " + reminder.plain.replace("\n", "\n    "))
    return "\n".join(lines) if lines else f"No reminders to send on {on.isoformat()}."
