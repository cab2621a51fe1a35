"""Reminders with a controlled clock: what is due, scheduling under stable names, never twice."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
import time as clock
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.request import HTTPXRequest

import calc.years
import conversations.reminders as pure
from bot import reminders as sender
from bot.service import ChatService
from bot.settings import Settings
from bot.storage import Store
from bot.telegram import build_application, start_up
from calc.years import Years
from conversations.events import Event
from conversations.markup import plain
from conversations.reminders import last_trading_day, reminders, upcoming
from conversations.state import Profile, UserState
from tests.emulator import TOKEN, Emulator
from tests.ledger import ledger
from tests.test_telegram_e2e import running

D = Decimal


TRADES = """
2025-12-01 buy  10 XYZ 100
2026-11-10 buy  10 ABC 100
2026-11-20 sell 10 ABC 80
2026-06-01 buy  5 LOS 100
"""


def state(text: str = TRADES) -> UserState:
    trades = ledger(text)
    return UserState(
        profile=Profile(tax_year=2026, years=Years.one(2026, wages=D(150000))),
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


def test_each_loss_sale_says_when_buying_back_is_safe_if_that_day_is_in_the_range() -> None:
    # Loss sales on Oct 1, Nov 1 and Nov 20 (safe again 31 days later: Nov 1, Dec 2, Dec 21), a gain on Nov 25.
    s = state("""
    2026-09-01 buy  10 AAA 100
    2026-09-01 buy  10 BBB 100
    2026-09-01 buy  10 CCC 100
    2026-09-01 buy  10 DDD 100
    2026-10-01 sell 10 AAA 90
    2026-11-01 sell 10 BBB 90
    2026-11-20 sell 10 CCC 90
    2026-11-25 sell 10 DDD 120
    """)
    windows = sorted(
        (r.on, r.key) for r in reminders(s, date(2026, 11, 1), date(2026, 12, 2)) if r.kind == "wash_window"
    )
    assert windows == [
        (date(2026, 11, 1), "wash_window:AAA:2026-10-01"),
        (date(2026, 12, 2), "wash_window:BBB:2026-11-01"),
    ]


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
    assert before.text.startswith("<b>XYZ turns long-term on Dec 2, 2026</b>\n")  # a bold heading, HTML


def test_a_wait_past_december_31_compares_this_years_return_with_next_years() -> None:
    # 10 XYZ bought 2026-01-03 at $100 turn long-term on 2027-01-04; at $150 the gain is $500. Single,
    # $150,000 of wages in 2026 (borrowed for 2027, figured with 2026's law, the latest known).
    # Sold on the Dec 28 reminder: short-term on 2026's return, taxable 133,900 + 500 in the 24% bracket: $120.
    # Waiting: long-term on 2027's, above the 0% band: 15% x 500 = $75. Saves $45.
    s = UserState(
        profile=Profile(tax_year=2026, years=Years.one(2026, wages=D(150000))),
        trades=tuple(t.model_copy(update={"id": "T1"}) for t in ledger("2026-01-03 buy 10 XYZ 100")),
        prices={"XYZ": D(150)},
    )
    (before,) = [r for r in reminders(s, date(2026, 12, 28), date(2026, 12, 28)) if r.kind == "long_term"]
    assert "turn long-term on Jan 4, 2027" in before.text
    assert "waiting saves about $45.00 of tax (the sale then goes on your 2027 return instead of 2026's)" in before.text


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
    monkeypatch.setattr(calc.years, "compute_tax", no_tax)
    assert len(upcoming(state(), date(2026, 11, 23), date(2026, 12, 31))) == 5


# The sender: a due-date table written with each change, claimed once across workers.

DEC1 = datetime(2026, 12, 1, 16, tzinfo=UTC).timestamp()  # 11:00 in New York: the Dec 1 reminder is due


def ticking(start: float, step: float = 2.0) -> Any:
    """A clock that moves `step` seconds each time it is read (the per-chat second passes between sends)."""
    ticks = itertools.count()
    return lambda: start + step * next(ticks)


class RecordingBot:
    def __init__(self, record: list[tuple[float, int, str]] | None = None) -> None:
        self.sent = record if record is not None else []

    async def send_message(self, chat_id: int, text: str, *, parse_mode: str) -> None:
        assert parse_mode == "HTML"
        self.sent.append((time.monotonic(), chat_id, text))


def planned(db: Path | str, *users: int, now: datetime = datetime(2026, 11, 30, 12, tzinfo=UTC)) -> ChatService:
    service = ChatService(db)
    for user in users:
        service.store.save(user, UserState(), state(), None)
        service.replan(user, now)
    return service


def test_each_change_writes_the_users_reminders_with_it(db_target: str) -> None:
    service = ChatService(db_target)
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)

    def say(text: str) -> None:
        service.process(5, Event(kind="text", id=text, now=now, text=text))

    say("/buy 10 XYZ 100 2025-12-01")
    assert not [k for k, _, _ in service.store.due_reminders(5) if k.startswith("long_term")]  # no price, no gain
    say("/price XYZ 150")
    keys = {key: on for key, on, _ in service.store.due_reminders(5)}
    assert keys["long_term:T1:before:2026-12-02"] == date(2026, 11, 25)
    assert keys["long_term:T1:on:2026-12-02"] == date(2026, 12, 2)
    assert keys["year_end:2026-12-01"] == date(2026, 12, 1)
    say("/reminders off")
    assert service.store.due_reminders(5) == []
    say("/reminders on")
    say("/forget")
    service.process(5, Event(kind="button", id="yes", now=now, data=_forget_button(service, now)))
    assert service.store.due_reminders(5) == []


def _forget_button(service: ChatService, now: datetime) -> str:
    replies = service.process(5, Event(kind="text", id="forget-again", now=now, text="/forget"))
    return next(b.data for r in replies for row in r.buttons for b in row if b.label.lower().startswith("yes"))


async def test_two_workers_send_each_reminder_once(db_target: str) -> None:
    planned(db_target, 42, 43)
    record: list[tuple[float, int, str]] = []
    workers = [ChatService(db_target), ChatService(db_target)]
    results = await asyncio.gather(*(sender.send_due(RecordingBot(record), w, now=lambda: DEC1) for w in workers))
    texts = sorted((chat, plain(text).split("\n")[0]) for _, chat, text in record)
    # Due by Dec 1 at 11:00 in New York: each user's year-end check, sent by one worker or the other, once.
    assert texts == [(42, "Year-end check for 2026"), (43, "Year-end check for 2026")]
    assert sum(r.get("sent", 0) for r in results) == 2
    # A restarted worker finds nothing left to send for that time.
    assert await sender.send_due(RecordingBot(record), ChatService(db_target), now=lambda: DEC1) == {}
    assert len(record) == 2
    assert ChatService(db_target).store.reminder_sent(42, "year_end:2026-12-01")


async def test_workers_share_one_pace(db_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender, "PACE", 0.05)
    planned(db_target, *range(1, 11))
    record: list[tuple[float, int, str]] = []
    workers = [ChatService(db_target), ChatService(db_target)]
    slots: list[float] = []
    take_slot = Store.send_slot

    def recorded_slot(store: Store, now: float, interval: float) -> float:
        slots.append(take_slot(store, now, interval))
        return slots[-1]

    monkeypatch.setattr(Store, "send_slot", recorded_slot)
    start = clock.time()
    on_dec1 = lambda: DEC1 + clock.time() - start  # noqa: E731 - a running clock from Dec 1, 11:00 New York
    await asyncio.gather(*(sender.send_due(RecordingBot(record), w, now=on_dec1) for w in workers))
    assert len(record) >= 10  # the due reminders of ten users went out, from both workers
    assert len(slots) == len(record)  # every message went out in a slot taken from the shared pace
    # Together, never faster than the shared pace. The slots, not the wall-clock send times, are checked:
    # on a busy machine a sleeping worker wakes late and its send lands close to the next worker's.
    gaps = [b - a for a, b in itertools.pairwise(sorted(slots))]
    assert min(gaps) >= 0.05 - 1e-6  # slots are epoch seconds as floats: 1e-7 of rounding
    per_chat: dict[int, list[float]] = {}
    for t, chat, _ in record:
        per_chat.setdefault(chat, []).append(t)
    assert all(b - a >= 1 - 0.01 for ts in per_chat.values() for a, b in itertools.pairwise(sorted(ts)))


async def test_the_text_is_written_from_the_data_when_the_reminder_goes_out(tmp_path: Path) -> None:
    service = planned(tmp_path / "r.db", 42)
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)

    def say(text: str) -> None:
        service.process(42, Event(kind="text", id=text, now=now, text=text))

    bot = RecordingBot()
    say("/price XYZ 200")  # after planning: the reminder tells today's figures
    dec2 = datetime(2026, 12, 2, 16, tzinfo=UTC).timestamp()
    await sender.send_due(bot, service, now=ticking(dec2))
    assert any("turn long-term today" in text and "At $200.00" in text for _, _, text in bot.sent)
    say("/reminders off")  # nothing is sent once the data no longer calls for it
    await sender.send_due(bot, service, now=ticking(dec2 + 30 * 86400))
    assert not any("Year-end check" in text and "15" in text for _, _, text in bot.sent[1:])
    assert not service.store.reminder_sent(42, "year_end:2026-12-15")


def test_start_up_plans_nobody_and_the_sweep_plans_the_unplanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "r.db"
    service = ChatService(db)
    for user in range(1, 4):
        service.store.save(user, UserState(), state(), None)  # as an upgraded database: rows, no plans
    app = make_app(Emulator(), db)

    def no_planning(*_: object) -> None:
        raise AssertionError("start-up planned a user")

    monkeypatch.setattr(sender, "plan_for", no_planning)
    asyncio.run(start_up(app))
    assert {job.name for job in app.job_queue.jobs()} == {"reminders:send", "sweep"}
    monkeypatch.undo()
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    assert sender.sweep(service, now) == 3
    assert sender.sweep(service, now) == 0  # planned for 400 days: not again until a month before that ends
    assert service.store.due_reminders(2)


def make_app(emulator: Emulator, db: Path) -> Any:
    settings = Settings(TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=db)
    return build_application(
        settings, ChatService(db), request=HTTPXRequest(httpx_kwargs={"transport": emulator.transport()})
    )


KILLED_WORKER = """
import asyncio, sys, time
from bot import reminders
from bot.service import ChatService
from bot.storage import Store

class Hangs:
    async def send_message(self, chat_id, text, parse_mode):
        print("sending", flush=True)
        await asyncio.sleep(3600)

asyncio.run(reminders.send_due(Hangs(), ChatService(sys.argv[1]), limit=1, now=lambda: float(sys.argv[2])))
"""


async def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(db_target: str) -> None:
    planned(db_target, 42)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER, db_target, str(DEC1)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "sending"
    proc.send_signal(signal.SIGKILL)  # mid-send: Telegram never answered
    proc.wait()
    bot = RecordingBot()
    service = ChatService(db_target)
    await sender.send_due(bot, service, now=lambda: DEC1 + 1)
    assert [text for _, _, text in bot.sent if "Year-end" in text] == []  # still the dead worker's (its lease)
    sent_before = len(bot.sent)
    await sender.send_due(bot, service, now=lambda: DEC1 + sender.LEASE + 1)
    assert len([text for _, _, text in bot.sent if "Year-end check" in text]) == 1  # sent once, by the next worker
    await sender.send_due(bot, service, now=lambda: DEC1 + 2 * sender.LEASE + 2)
    assert len(bot.sent) == sent_before + 1


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

    async def send_message(self, chat_id: int, text: str, *, parse_mode: str) -> None:
        self.calls += 1
        raise self.error


async def test_flood_wait_sends_again_after_retry_after(tmp_path: Path) -> None:
    service = planned(tmp_path / "r.db", 42)
    bot = FailingBot(RetryAfter(3))
    assert await sender.send_due(bot, service, limit=1, now=lambda: DEC1) == {"postponed": 1}
    assert not service.store.reminder_sent(42, "year_end:2026-12-01")
    assert await sender.send_due(bot, service, limit=5, now=lambda: DEC1 + 1) == {}  # not before retry_after
    later = RecordingBot()
    await sender.send_due(later, service, now=lambda: DEC1 + 4)
    assert any("Year-end check" in text for _, _, text in later.sent)


async def test_a_chat_that_blocked_the_bot_is_not_retried(tmp_path: Path) -> None:
    service = planned(tmp_path / "r.db", 42)
    bot = FailingBot(Forbidden("Forbidden: bot was blocked by the user"))
    assert await sender.send_due(bot, service, limit=1, now=lambda: DEC1) == {"blocked": 1}
    await sender.send_due(bot, service, now=lambda: DEC1 + 3600)
    assert bot.calls == 1  # not tried again
    assert service.store.reminder_sent(42, "year_end:2026-12-01")  # done, with its outcome


async def test_other_errors_leave_the_reminder_for_later(tmp_path: Path) -> None:
    service = planned(tmp_path / "r.db", 42)
    bot = FailingBot(NetworkError("connection reset"))
    assert await sender.send_due(bot, service, limit=1, now=lambda: DEC1) == {"failed": 1}
    assert not service.store.reminder_sent(42, "year_end:2026-12-01")
    ok = RecordingBot()
    await sender.send_due(ok, service, now=lambda: DEC1 + sender.RETRY + 1)
    assert any("Year-end check" in text for _, _, text in ok.sent)


def test_planning_knows_which_years_the_law_covers_without_figuring_the_years() -> None:
    """tax_known answers from the years whose law is known when every year the chain could read is
    known (a year-end reminder is planned on every change, and summing the years is a pass over every
    trade); it agrees with the chain's own first year, including sales before the first year known."""
    from calc.errors import UnsupportedYear
    from calc.params import params_for
    from conversations.taxview import ledger_for, tax_known, tax_years

    early = state(TRADES + "2016-03-01 buy 5 OLD 10\n2017-05-01 sell 5 OLD 12\n")
    for each in (state(), early, state("2026-01-05 buy 1 NEW 5")):
        first = tax_years(each, ledger_for(each)).first_year()
        for year in range(2012, 2032):
            try:
                for known in range(min(first or year, year), year + 1):
                    params_for(known)
                expected = True
            except UnsupportedYear:
                expected = False
            assert tax_known(each, year) is expected, (first, year)


async def test_reminders_go_out_in_html_parse_mode_with_bold_headings(tmp_path: Path) -> None:
    """Sent as every reply is: HTML parse mode, the heading bold. Through python-telegram-bot's real request
    path to the emulator, which refuses malformed HTML as Telegram does ("can't parse entities")."""
    db = tmp_path / "r.db"
    service = planned(db, 42)
    emulator = Emulator()
    dec22 = datetime(2026, 12, 22, 16, tzinfo=UTC).timestamp()  # every reminder planned on Nov 30 is due
    async with running(emulator, db) as app:
        counts = await sender.send_due(app.bot, service, now=ticking(dec22))
    assert counts == {"sent": 4}
    calls = [c for c in emulator.by_chat[42] if c.method == "sendMessage"]
    assert [c.params.get("parse_mode") for c in calls] == ["HTML"] * 4
    assert all(c.params["text"].startswith("<b>") and "</b>\n" in c.params["text"] for c in calls)
    shown = emulator.texts(42)  # as Telegram shows them: the tags read, not printed
    assert sorted(text.split("\n")[0] for text in shown) == [
        "ABC: the wash-sale window is over",
        "XYZ turns long-term today",
        "Year-end check for 2026",
        "Year-end check for 2026",
    ]
    assert not any("<b>" in text for text in shown)
    assert "it's 31 days since you sold it at a loss on Nov 20, 2026" in "\n".join(shown)
