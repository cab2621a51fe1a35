"""Reminders with a controlled clock: what is due, scheduling under stable names, never twice."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import SecretStr
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.request import HTTPXRequest

import conversations.reminders as pure
from bot import reminders as sender
from bot.service import ChatService
from bot.settings import Settings
from bot.telegram import build_application
from conversations.events import Event
from conversations.reminders import last_trading_day, reminders, upcoming
from conversations.state import Profile, UserState
from tests.emulator import TOKEN, Emulator
from tests.ledger import ledger

D = Decimal


def state() -> UserState:
    trades = ledger("""
    2025-12-01 buy  10 XYZ 100
    2026-11-10 buy  10 ABC 100
    2026-11-20 sell 10 ABC 80
    2026-06-01 buy  5 LOS 100
    """)
    return UserState(
        profile=Profile(tax_year=2026, other_income=D(150000)),
        trades=tuple(t.model_copy(update={"id": f"T{i}"}) for i, t in enumerate(trades)),
        prices={"XYZ": D(150), "LOS": D(50)},
    )


def test_last_trading_day() -> None:
    assert last_trading_day(2026) == date(2026, 12, 31)  # a Thursday
    assert last_trading_day(2027) == date(2027, 12, 31)  # a Friday
    assert last_trading_day(2022) == date(2022, 12, 30)  # Dec 31 was a Saturday


def test_what_is_due_and_when() -> None:
    found = {(r.on, r.kind) for r in reminders(state(), date(2026, 11, 23), date(2026, 12, 31))}
    assert found == {
        (date(2026, 11, 25), "long_term"),  # 7 days before XYZ turns long-term on Dec 2
        (date(2026, 12, 2), "long_term"),
        (date(2026, 12, 1), "year_end"),
        (date(2026, 12, 15), "year_end"),
        (date(2026, 12, 21), "wash_window"),  # 31 days after the Nov 20 loss sale
    }


def test_year_end_text_has_gains_losses_rule_and_last_day() -> None:
    (dec1,) = [r for r in reminders(state(), date(2026, 12, 1), date(2026, 12, 1)) if r.kind == "year_end"]
    assert "Realized so far: -$200.00 short-term" in dec1.text
    assert "Unrealized losses you could harvest: $250.00" in dec1.text and "$3,000.00" in dec1.text
    assert "wash sale" in dec1.text and "Dec 31, 2026" in dec1.text


def test_long_term_reminder_says_what_waiting_saves() -> None:
    (before,) = [r for r in reminders(state(), date(2026, 11, 25), date(2026, 11, 25))]
    # A $500 gain, single with $150,000 of other income, and a $200 short-term loss already this year:
    # short-term, 300 net at 24% = $72; long-term, the loss offsets it first and 300 at 15% = $45. Saves $27.
    assert "turn long-term on Dec 2, 2026" in before.text and "waiting saves about $27.00" in before.text


def test_lots_in_an_ira_get_no_long_term_or_harvest_reminders() -> None:
    s = state()
    ira = ledger("2025-12-01 buy 10 IRAX 100 account=ira\n2026-06-01 buy 5 IRAL 100 account=ira")
    s = s.model_copy(
        update={
            "trades": (*s.trades, *(t.model_copy(update={"id": f"R{i}"}) for i, t in enumerate(ira))),
            "prices": {**s.prices, "IRAX": D(150), "IRAL": D(50)},
        }
    )
    found = reminders(s, date(2026, 11, 23), date(2026, 12, 31))
    assert not [r for r in found if "IRAX" in r.key or "IRAX" in r.text]  # its gain is never taxed
    (dec1,) = [r for r in found if r.on == date(2026, 12, 1)]
    assert "Unrealized losses you could harvest: $250.00" in dec1.text  # LOS only, not the IRA's IRAL


def test_reminders_off_means_none() -> None:
    s = state()
    off = s.model_copy(update={"profile": s.profile.model_copy(update={"reminders": False})})
    assert reminders(off, date(2026, 1, 1), date(2026, 12, 31)) == []


def test_planning_finds_the_reminders_that_are_written() -> None:
    s = state()
    for start, end in [(date(2026, 11, 23), date(2026, 12, 31)), (date(2026, 1, 1), date(2040, 12, 31))]:
        written = [(r.key, r.kind, r.on) for r in reminders(s, start, end)]
        assert [(d.key, d.kind, d.on) for d in upcoming(s, start, end)] == written
    # A year without its law: no year-end reminder, planned or written.
    assert not [d for d in upcoming(s, date(2040, 11, 1), date(2040, 12, 31)) if d.kind == "year_end"]


def test_planning_figures_no_tax(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_tax(*_: object) -> None:
        raise AssertionError("planning figured tax")

    monkeypatch.setattr(pure, "year_tax", no_tax)
    monkeypatch.setattr(pure, "compute_tax", no_tax)
    assert len(upcoming(state(), date(2026, 11, 23), date(2026, 12, 31))) == 5


def test_plan_spreads_a_broadcast_within_telegram_limits(tmp_path: Path) -> None:
    service = ChatService(tmp_path / "r.db")
    for user in range(1, 101):
        service.store.save(user, UserState(), state(), None)
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    planned = [job for job in sender.plan(service, list(range(1, 101)), now) if job[2].kind == "year_end"]
    dec1 = sorted(when for when, _, r in planned if r.on == date(2026, 12, 1))
    assert len(dec1) == 100
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(dec1)]
    assert min(gaps) >= 1 / 25 - 1e-9  # at most 25 a second overall
    assert dec1[0] == datetime(2026, 12, 1, 15, tzinfo=UTC)  # 10:00 in New York
    everything = sorted(when for when, _, _ in sender.plan(service, list(range(1, 101)), now))
    assert all((b - a).total_seconds() >= 1 / 25 - 1e-9 for a, b in itertools.pairwise(everything))
    per_user: dict[int, list[datetime]] = {}
    for when, user, _ in sender.plan(service, list(range(1, 101)), now):
        per_user.setdefault(user, []).append(when)
    assert all(
        (b - a).total_seconds() >= 1 for times in per_user.values() for a, b in itertools.pairwise(sorted(times))
    )


def make_app(emulator: Emulator, db: Path) -> Any:
    settings = Settings(TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=db)
    return build_application(
        settings, ChatService(db), request=HTTPXRequest(httpx_kwargs={"transport": emulator.transport()})
    )


async def test_scheduled_under_stable_names_sent_once_across_restart(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    ChatService(db).store.save(42, UserState(), state(), None)
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    emulator = Emulator()
    first = make_app(emulator, db)
    async with first:
        sender.schedule(first, first.bot_data["service"], [42], now)
        names = sorted(job.name for job in first.job_queue.jobs())
        assert "rem:42:year_end:2026-12-01" in names
        job = next(j for j in first.job_queue.jobs() if j.name == "rem:42:year_end:2026-12-01")
        await sender.send_reminder(SimpleNamespace(job=job, application=first, bot=first.bot))  # type: ignore[arg-type]
    # Restart between scheduling and sending: the jobs come back under the same names...
    second = make_app(emulator, db)
    async with second:
        sender.schedule(second, second.bot_data["service"], [42], now)
        again = sorted(job.name for job in second.job_queue.jobs())
        assert "rem:42:year_end:2026-12-15" in again
        assert "rem:42:year_end:2026-12-01" not in again  # ...except the one already sent
        stale = SimpleNamespace(data=(42, "year_end:2026-12-01", date(2026, 12, 1)), name="rem:42:year_end:2026-12-01")
        await sender.send_reminder(SimpleNamespace(job=stale, application=second, bot=second.bot))  # type: ignore[arg-type]
    sent = [c for c in emulator.by_chat[42] if c.method == "sendMessage"]
    assert len(sent) == 1 and "Year-end check for 2026" in sent[0].params["text"]


async def test_the_text_is_written_from_the_data_when_the_reminder_goes_out(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    ChatService(db).store.save(42, UserState(), state(), None)
    emulator = Emulator()
    app = make_app(emulator, db)
    service: ChatService = app.bot_data["service"]
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)

    async def fire(name_end: str) -> None:
        job = next(j for j in app.job_queue.jobs() if j.name.startswith("rem:42:") and j.name.endswith(name_end))
        await sender.send_reminder(SimpleNamespace(job=job, application=app, bot=app.bot))  # type: ignore[arg-type]

    def say(text: str) -> None:
        service.process(42, Event(kind="text", id=text, now=now, text=text))

    async with app:
        sender.schedule(app, service, [42], now)
        say("/price XYZ 200")  # after planning: the reminder tells today's figures
        await fire(":on:2026-12-02")
        say("/reminders off")  # nothing is sent once the data no longer calls for it
        await fire("year_end:2026-12-01")
    [sent] = [c.params["text"] for c in emulator.by_chat[42] if c.method == "sendMessage"]
    assert "turn long-term today" in sent and "At $200.00" in sent
    assert not sender.ReminderLog(service).was_sent(42, "year_end:2026-12-01")


async def test_replanning_keeps_jobs_that_did_not_move_and_forgets_ones_that_ran(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    ChatService(db).store.save(42, UserState(), state(), None)
    app = make_app(Emulator(), db)
    service: ChatService = app.bot_data["service"]
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)

    def jobs() -> dict[str, Any]:
        return {job.name: job for job in app.job_queue.jobs()}

    async with app:
        await app.start()  # a running queue, as in production
        try:
            sender.schedule(app, service, [42], now)
            first = jobs()
            sender.schedule(app, service, [42], now)
            assert jobs() == first and all(jobs()[name] is job for name, job in first.items())
            # The queue drops a one-shot job once it has run; the next change must not trip over it.
            first["rem:42:year_end:2026-12-01"].job.remove()
            sender.schedule(app, service, [42], now)
            assert set(jobs()) == set(first)
            # A reminder whose day moves gets a new job at the new time, under the same name.
            service.process(42, Event(kind="text", id="days", now=now, text="/reminders days 3"))
            sender.schedule(app, service, [42], now)
            [(name, before)] = [(n, j) for n, j in jobs().items() if ":before:" in n]
            assert before is not first[name] and before.next_t.date() == date(2026, 11, 29)
            assert first[name].removed and len(jobs()) == len(first)
        finally:
            await app.stop()


def test_dry_run_cli(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    ChatService(db).store.save(7, UserState(), state(), None)
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "reminders", "--dry-run", "--date", "2026-12-01", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "user 7:" in out and "[year_end] Year-end check for 2026" in out


@pytest.mark.parametrize(("command", "expected"), [("/reminders off", "off"), ("/reminders days 3", "3 days")])
def test_reminders_command(tmp_path: Path, command: str, expected: str) -> None:
    from tests.chat import Chat

    chat = Chat(tmp_path / "c.db")
    assert "Reminders are on" in chat.send("/reminders")
    assert expected in chat.send(command)


class FailingBot:
    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    async def send_message(self, chat_id: int, text: str) -> None:
        self.calls += 1
        raise self.error


class RecordingQueue:
    def __init__(self) -> None:
        self.jobs: list[dict[str, Any]] = []

    def run_once(self, callback: Any, **kwargs: Any) -> SimpleNamespace:
        self.jobs.append(kwargs)
        return SimpleNamespace(**kwargs)


def failing_send(tmp_path: Path, error: Exception) -> tuple[ChatService, RecordingQueue, Any]:
    service = ChatService(tmp_path / "r.db")
    service.store.save(42, UserState(), state(), None)
    queue = RecordingQueue()
    job = SimpleNamespace(data=(42, "year_end:2026-12-01", date(2026, 12, 1)), name="rem:42:year_end:2026-12-01")
    context = SimpleNamespace(
        job=job,
        job_queue=queue,
        bot=FailingBot(error),
        application=SimpleNamespace(bot_data={"service": service}),
    )
    return service, queue, context


async def test_flood_wait_sends_again_after_retry_after_under_the_same_name(tmp_path: Path) -> None:
    service, queue, context = failing_send(tmp_path, RetryAfter(3))
    await sender.send_reminder(context)
    assert not sender.ReminderLog(service).was_sent(42, "year_end:2026-12-01")  # free to be sent again
    [again] = queue.jobs
    wait = again["when"] if isinstance(again["when"], timedelta) else timedelta(seconds=again["when"])
    assert (again["name"], wait) == ("rem:42:year_end:2026-12-01", timedelta(seconds=3))
    assert context.application.bot_data["reminder_jobs"][42][0].name == "rem:42:year_end:2026-12-01"


async def test_a_chat_that_blocked_the_bot_is_not_retried(tmp_path: Path) -> None:
    service, queue, context = failing_send(tmp_path, Forbidden("Forbidden: bot was blocked by the user"))
    await sender.send_reminder(context)
    assert context.bot.calls == 1 and queue.jobs == []
    assert sender.ReminderLog(service).was_sent(42, "year_end:2026-12-01")  # not tried again at every start


async def test_other_errors_leave_the_reminder_for_the_next_start(tmp_path: Path) -> None:
    service, queue, context = failing_send(tmp_path, NetworkError("connection reset"))
    with pytest.raises(NetworkError):
        await sender.send_reminder(context)
    assert not sender.ReminderLog(service).was_sent(42, "year_end:2026-12-01") and queue.jobs == []
