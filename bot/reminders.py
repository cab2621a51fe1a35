"""Sending reminders: rows in SQLite, jobs in python-telegram-bot's JobQueue under stable names.

Jobs are not persisted (PTB issues 974, 2436, 4080): at start-up and after every change
each user's reminders are recomputed from their data and their jobs re-created under the
name `rem:<user>:<key>`. Planning says only which reminders and when; the text, which
figures tax, is written from the user's data when the job fires (nothing is sent if the
data no longer calls for it). A reminder is marked sent in SQLite before it goes out and
unmarked if sending fails, so it is never sent twice, across restarts too. A flood wait
(429) sends it again after `retry_after`; a chat closed to the bot (403) is not retried.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from telegram.error import Forbidden, RetryAfter
from telegram.ext import Application, ContextTypes, Job, JobQueue

from bot.service import ChatService
from conversations.reminders import Due, Reminder, reminders, upcoming

log = logging.getLogger("cgt_bot.reminders")
SEND_AT = time(10, 0)
HORIZON = timedelta(days=40)
# Telegram allows about 30 messages a second overall: spread a broadcast at 25 a second.
SPACING = timedelta(seconds=1 / 25)
PER_CHAT = timedelta(seconds=1)


class ReminderLog:
    def __init__(self, service: ChatService) -> None:
        self.store = service.store

    def was_sent(self, user_id: int, key: str) -> bool:
        return self.store.reminder_sent(user_id, key)

    def claim(self, user_id: int, key: str, now: datetime) -> bool:
        """Mark as sent; False when it already was (another job, or before a restart)."""
        return self.store.claim_reminder(user_id, key, now.isoformat())

    def release(self, user_id: int, key: str) -> None:
        self.store.release_reminder(user_id, key)


R = TypeVar("R", bound=Due)


def _unsent(service: ChatService, user_id: int, found: list[R]) -> list[R]:
    log_ = ReminderLog(service)
    return [r for r in found if not log_.was_sent(user_id, r.key)]


def due(service: ChatService, user_id: int, start: date, end: date) -> list[Reminder]:
    return _unsent(service, user_id, reminders(service.state(user_id), start, end))


def send_time(reminder: Due, timezone: str) -> datetime:
    return datetime.combine(reminder.on, SEND_AT, tzinfo=ZoneInfo(timezone))


def plan(service: ChatService, user_ids: list[int], now: datetime) -> list[tuple[datetime, int, Due]]:
    """(when, user, reminder) for every unsent reminder in the horizon, a broadcast spread out in time."""
    jobs = []
    for user_id in user_ids:
        state = service.state(user_id)
        zone = ZoneInfo(state.profile.timezone)
        today = now.astimezone(zone).date()
        for reminder in _unsent(service, user_id, upcoming(state, today, today + HORIZON)):
            jobs.append((max(send_time(reminder, state.profile.timezone), now), user_id, reminder))
    jobs.sort(key=lambda job: (job[0], job[1], job[2].key))
    spread = []
    previous: datetime | None = None
    last_to_user: dict[int, datetime] = {}
    for when, user_id, reminder in jobs:
        if previous is not None and when < previous + SPACING:
            when = previous + SPACING
        if user_id in last_to_user and when < last_to_user[user_id] + PER_CHAT:
            when = last_to_user[user_id] + PER_CHAT  # and at most one a second to any one chat
        spread.append((when, user_id, reminder))
        previous = max(previous, when) if previous else when
        last_to_user[user_id] = when
    spread.sort(key=lambda job: job[0])
    return spread


def schedule(app: Application, service: ChatService, user_ids: list[int], now: datetime) -> int:
    """Bring the users' reminder jobs in line with their data; returns how many are scheduled.

    A job already queued for the same reminder at the same time stays (its text is written when
    it fires), so a change that moves no reminder costs the queue nothing.
    """
    queue = app.job_queue
    if queue is None:
        return 0
    # Each user's jobs, kept beside the queue so one user's change doesn't scan everyone's jobs.
    jobs_of: dict[int, list[Job[Any]]] = app.bot_data.setdefault("reminder_jobs", {})
    queued: dict[str, Job[Any]] = {}
    for user_id in user_ids:
        for job in jobs_of.pop(user_id, []):
            if _queued(queue, job):
                _remove(queue, queued.get(str(job.name)))  # a name queued twice keeps the newer job
                queued[str(job.name)] = job
    planned = plan(service, user_ids, now)
    for when, user_id, reminder in planned:
        name, data = f"rem:{user_id}:{reminder.key}", (user_id, reminder.key, reminder.on)
        kept = queued.pop(name) if name in queued else None
        if kept is None or kept.data != data or kept.job.trigger.run_date != when:
            _remove(queue, kept)
            kept = queue.run_once(send_reminder, when=when, name=name, data=data, chat_id=user_id, user_id=user_id)
        jobs_of.setdefault(user_id, []).append(kept)
    for job in queued.values():
        _remove(queue, job)
    return len(planned)


def _queued(queue: JobQueue[Any], job: Job[Any]) -> bool:
    """Still waiting to run: the queue drops a one-shot job once it has run."""
    return not job.removed and queue.scheduler.get_job(job.job.id) is not None


def _remove(queue: JobQueue[Any], job: Job[Any] | None) -> None:
    if job is not None and _queued(queue, job):
        job.schedule_removal()


async def send_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    assert job is not None
    data: tuple[int, str, date] = job.data  # type: ignore[assignment]
    user_id, key, on = data
    service: ChatService = context.application.bot_data["service"]
    text = next((r.text for r in reminders(service.state(user_id), on, on) if r.key == key), None)
    if text is None:  # the user's data changed since it was planned (a sale, reminders off): nothing to say
        return
    sent = ReminderLog(service)
    with service.lock:  # the same lock as a conversation step: one writer at a time
        if not sent.claim(user_id, key, datetime.now(ZoneInfo("UTC"))):
            return
    try:
        await context.bot.send_message(user_id, text)
    except Forbidden:
        # The user blocked the bot or deleted their account: retrying at every start would fail the same way.
        log.info("reminder %s not sent: chat %s is closed to the bot", key, user_id)
    except RetryAfter as flood:
        with service.lock:
            sent.release(user_id, key)
        # AIORateLimiter doesn't retry by default: come back when Telegram says, under the same name.
        if context.job_queue is not None:
            again = context.job_queue.run_once(
                send_reminder, when=flood.retry_after, name=job.name, data=job.data, chat_id=user_id, user_id=user_id
            )
            context.application.bot_data.setdefault("reminder_jobs", {}).setdefault(user_id, []).append(again)
    except Exception:
        with service.lock:
            sent.release(user_id, key)  # try again at the next start
        raise


def dry_run(service: ChatService, on: date) -> str:
    """What would be sent on `on`, per user (for operators)."""
    lines = []
    for user_id in service.store.users():
        found = due(service, user_id, on, on)
        if not found:
            continue
        lines.append(f"user {user_id}:")
        for reminder in found:
            lines.append(f"  [{reminder.kind}] " + reminder.text.replace("\n", "\n    "))
    return "\n".join(lines) if lines else f"No reminders to send on {on.isoformat()}."
