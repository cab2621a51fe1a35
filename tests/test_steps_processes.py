"""Heavy users' steps run in a child process (bot/steps.py), so they can't take the light users'
interpreter lock: what the user gets is the same as in-process, one user's messages still apply in
order, a redelivery changes nothing, and a child that dies is replaced with nothing lost or doubled.
On SQLite and PostgreSQL (several processes on one database). No timing is asserted anywhere."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from telegram import Update
from telegram.request import HTTPXRequest

from bot import steps as steps_module
from bot.reminders import reminder_text
from bot.service import ChatService
from bot.settings import Settings
from bot.steps import Steps
from bot.storage import Claimed
from bot.telegram import build_application
from calc.models import Trade
from conversations.events import Event, Reply
from conversations.state import UserState
from tests.emulator import TOKEN, Emulator, serve_http
from tests.test_workers_e2e import ROOT, SECRET, free_port, start_worker, wait_until

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
HEAVY, LIGHT = 7, 8
HEAVY_TRADES = 3  # a user with 4 trades is "heavy" here: the routing is what is tested, not the booking
_ids = itertools.count(1)


def text(body: str, event_id: str | None = None) -> Event:
    return Event(kind="text", id=event_id or f"u{next(_ids)}", now=NOW, text=body)


def seed(db: str, user_id: int, trades: int) -> None:
    """Trades saved through the service, as the user would have sent them earlier."""
    service = ChatService(db)
    for day in range(1, trades + 1):
        service.process(user_id, text(f"/buy 10 ABC {20 + day} 2026-03-{day:02d}"))


def seen(reply: Reply) -> dict[str, Any]:
    """A reply as the user gets it, files byte for byte (a PDF is stamped with the message's time)."""
    return {**reply.model_dump(), "files": [(f.name, f.content) for f in reply.files]}


def plain(replies: list[Reply]) -> str:
    return "\n".join(r.as_plain() for r in replies)


class Recorded:
    """Which users' steps the bot's own process ran (a stand-in for ChatService.process that calls it)."""

    def __init__(self, service: ChatService, monkeypatch: pytest.MonkeyPatch) -> None:
        self.users: list[int] = []
        real = service.process

        def process(user_id: int, event: Event) -> list[Reply]:
            self.users.append(user_id)
            return real(user_id, event)

        monkeypatch.setattr(service, "process", process)


@pytest.fixture
def heavy_db(db_target: str) -> str:
    seed(db_target, HEAVY, HEAVY_TRADES + 1)
    seed(db_target, LIGHT, 1)
    return db_target


@pytest.fixture
def steps(heavy_db: str) -> Iterator[Steps]:
    made = Steps(ChatService(heavy_db), processes=1, heavy_trades=HEAVY_TRADES)
    yield made
    made.shutdown()


def child_pid(steps: Steps, user_id: int = HEAVY) -> int:
    assert steps.children is not None
    return steps.children.call(user_id, os.getpid)


async def test_heavy_steps_run_in_another_process(steps: Steps, monkeypatch: pytest.MonkeyPatch) -> None:
    here = Recorded(steps.service, monkeypatch)
    heavy = plain(await steps.run(HEAVY, text("/buy 5 XYZ 30 2026-04-01")))
    light = plain(await steps.run(LIGHT, text("/buy 5 XYZ 30 2026-04-01")))
    assert "5 XYZ" in heavy and "5 XYZ" in light
    assert here.users == [LIGHT]  # the heavy user's step never ran in this process...
    assert child_pid(steps) != os.getpid()  # ...but in the child, which saved it
    assert steps.service.store.trades_count(HEAVY) == HEAVY_TRADES + 2
    assert steps.service.trades_held(HEAVY) is None  # and their state is not kept here
    assert steps.service.trades_held(LIGHT) == 2


async def test_a_user_grown_heavy_moves_to_the_child_and_back_when_light(
    steps: Steps, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = Recorded(steps.service, monkeypatch)
    for day in (2, 3, 4):  # 1 trade, then 4: past HEAVY_TRADES
        await steps.run(LIGHT, text(f"/buy 1 QQQ 10 2026-05-{day:02d}"))
    assert steps.service.trades_held(LIGHT) is None  # handed over: dropped here
    shown = plain(await steps.run(LIGHT, text("/trades")))
    assert shown.count("QQQ") == 3 and here.users == [LIGHT] * 3  # /trades ran in the child
    for number in (4, 3, 2):  # down to one trade, each deletion confirmed with its button
        asked = await steps.run(LIGHT, text(f"/delete {number}"))
        (yes,) = [b for r in asked for row in r.buttons for b in row if b.label.startswith("Yes")]
        await steps.run(LIGHT, Event(kind="button", id=f"u{next(_ids)}", now=NOW, data=yes.data))
    assert steps.service.store.trades_count(LIGHT) == 1 and here.users == [LIGHT] * 3
    await steps.run(LIGHT, text("/help"))
    assert here.users[-1] == LIGHT and len(here.users) == 4  # light again: back in this process


async def test_replies_are_identical_to_in_process(tmp_path: Path) -> None:
    """The same messages, one bot with heavy users in a child and one with them in threads."""
    script = [
        "/buy 5 XYZ 30 2026-04-01",
        "/sell 3 ABC 40 2026-06-01",
        "/gains 2026",
        "/portfolio",
        "/trades",
        "/whatif sell 5 ABC 25",
        "/form8949 2026",
        "bought 2 abc at 19 on march 3 2026",
    ]
    answers: dict[int, list[list[dict[str, Any]]]] = {}
    for processes in (1, 0):
        db = str(tmp_path / f"p{processes}.db")
        seed(db, HEAVY, HEAVY_TRADES + 1)
        steps = Steps(ChatService(db), processes=processes, heavy_trades=HEAVY_TRADES)
        try:
            got = [await steps.run(HEAVY, text(line, f"same-{i}")) for i, line in enumerate(script)]
            last = got[-1]
            buttons = [b for r in last for row in r.buttons for b in row]
            assert buttons, "the guessed line asks before saving"
            pressed = Event(kind="button", id="same-button", now=NOW, data=buttons[0].data)
            got.append(await steps.run(HEAVY, pressed))
            if processes:
                assert steps.children is not None and child_pid(steps) != os.getpid()
        finally:
            steps.shutdown()
        answers[processes] = [[seen(r) for r in replies] for replies in got]
    assert any(r["files"] for replies in answers[1] for r in replies)  # a file came back through the pipe too
    assert answers[1] == answers[0]


async def test_a_redelivered_update_is_answered_again_and_saved_once(steps: Steps) -> None:
    first = await steps.run(HEAVY, text("/buy 5 XYZ 30 2026-04-01", "update-900"))
    again = await steps.run(HEAVY, text("/buy 5 XYZ 30 2026-04-01", "update-900"))
    assert again == first
    assert steps.service.store.trades_count(HEAVY) == HEAVY_TRADES + 2


def _exit_after_next_step() -> None:
    """In the child: its next step is saved, then the process dies before it can answer."""
    service = steps_module._child_service()
    real = service.process

    def process(user_id: int, event: Event) -> list[Reply]:
        real(user_id, event)
        os._exit(9)

    service.process = process  # type: ignore[method-assign]


def _exit_before_next_step() -> None:
    """In the child: it dies as its next step arrives, before anything is saved."""
    service = steps_module._child_service()

    def process(user_id: int, event: Event) -> list[Reply]:
        os._exit(9)

    service.process = process  # type: ignore[method-assign]


@pytest.mark.parametrize("when", [_exit_after_next_step, _exit_before_next_step])
async def test_a_child_that_dies_mid_step_is_replaced_and_the_step_sent_again(steps: Steps, when: Any) -> None:
    assert steps.children is not None
    first = child_pid(steps)
    steps.children.call(HEAVY, when)
    event = text("/buy 5 XYZ 30 2026-04-01")
    replies = await steps.run(HEAVY, event)
    assert "5 XYZ" in plain(replies)
    assert child_pid(steps) != first
    assert steps.service.store.trades_count(HEAVY) == HEAVY_TRADES + 2  # once, neither lost nor doubled
    assert await steps.run(HEAVY, event) == replies  # the kept answer


async def test_a_child_killed_between_steps_is_replaced(steps: Steps) -> None:
    first = child_pid(steps)
    os.kill(first, signal.SIGKILL)
    assert "5 XYZ" in plain(await steps.run(HEAVY, text("/buy 5 XYZ 30 2026-04-01")))
    assert child_pid(steps) not in (first, os.getpid())
    assert steps.service.store.trades_count(HEAVY) == HEAVY_TRADES + 2


async def test_a_step_that_kills_every_child_fails_after_one_retry(steps: Steps) -> None:
    assert steps.children is not None
    with pytest.raises(steps_module.BrokenProcessPool):
        await steps.children.run(HEAVY, os._exit, 3)
    assert "5 XYZ" in plain(await steps.run(HEAVY, text("/buy 5 XYZ 30 2026-04-01")))  # a fresh one after


async def test_reminders_of_a_heavy_user_are_planned_and_worded_in_the_child(
    steps: Steps, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = steps.service.store
    await steps.run(HEAVY, text("/price ABC 50"))  # a gain waiting to turn long-term: a reminder for it
    main_state = Recorded(steps.service, monkeypatch)
    loaded: list[str] = []  # what this process read or planned of a user's data
    monkeypatch.setattr(steps.service, "state", lambda user_id: loaded.append("state"))
    monkeypatch.setattr(steps.service, "replan", lambda user_id, now: loaded.append("replan"))
    with store.db.write() as tx:  # no plan yet: as for a user stored before plans existed
        tx.execute("DELETE FROM reminder_plans WHERE user_id = ?", [HEAVY])
        tx.execute("DELETE FROM reminders_due WHERE user_id = ?", [HEAVY])
    await asyncio.to_thread(steps.replan, HEAVY, NOW)
    due = store.due_reminders(HEAVY)
    # Lots bought in March 2026 turn long-term in March 2027, with a gain at $50.
    key, on = next((key, on) for key, on, _ in due if on.year == 2027)
    claimed = Claimed(HEAVY, key, "", on)
    words = await asyncio.to_thread(steps.reminder_text, claimed)
    assert words and "ABC" in words
    target = store.db.target
    assert target is not None and words == reminder_text(ChatService(target), claimed)  # as worded in-process
    assert loaded == [] and main_state.users == []  # nothing of the heavy user was loaded or run here
    assert steps.service.trades_held(HEAVY) is None


def test_without_a_database_another_process_can_open_heavy_steps_use_threads() -> None:
    """In-memory SQLite (tests, the terminal): no child can reach it, so heavy steps stay in threads."""
    steps = Steps(ChatService(":memory:"), processes=2, heavy_trades=HEAVY_TRADES)
    try:
        assert steps.children is None
        for day in range(1, 6):
            replies = asyncio.run(steps.run(HEAVY, text(f"/buy 1 ABC 20 2026-03-{day:02d}")))
            assert "1 ABC" in plain(replies)
        assert steps.service.trades_held(HEAVY) == 5  # kept here: this process runs their steps
    finally:
        steps.shutdown()


async def test_one_users_messages_apply_in_order_through_telegram(heavy_db: str) -> None:
    """Eight messages at once from the heavy user, through PTB's Application and PerUserOrder: the
    child applies them one at a time in the order sent, each answered once."""
    emulator = Emulator()
    settings = Settings(TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=heavy_db, CGT_HEAVY_PROCESSES=1)
    app = build_application(
        settings,
        ChatService(heavy_db),
        rate_limit=False,
        request=HTTPXRequest(httpx_kwargs={"transport": emulator.transport()}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"transport": emulator.transport()}),
    )
    steps: Steps = app.bot_data["steps"]
    steps.heavy_trades = HEAVY_TRADES
    async with app:
        try:

            async def through(payload: dict[str, Any]) -> None:
                update = Update.de_json(payload, app.bot)
                await app.update_processor.process_update(update, app.process_update(update))

            prices = range(31, 39)
            await asyncio.gather(*(through(emulator.text_update(HEAVY, f"/buy 1 XYZ {p} 2026-04-01")) for p in prices))
            assert steps.children is not None and child_pid(steps) != os.getpid()
            assert steps.service.trades_held(HEAVY) is None
        finally:
            await app.post_shutdown(app)  # type: ignore[misc]
    stored = steps.service.store.load(HEAVY).trades
    assert [int(t.price) for t in stored if t.symbol == "XYZ"] == list(prices)
    assert len(emulator.texts(HEAVY)) == len(prices)


def _step_processes(parent: int) -> list[int]:
    """The spawned step processes among `parent`'s children (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


async def test_a_real_bot_runs_a_heavy_user_in_a_child_and_stops_it_on_sigterm(db_target: str, tmp_path: Path) -> None:
    """`cgt-bot telegram` as deployed (webhook mode, its own process): a user past HEAVY_TRADES is
    answered from a child process of the bot, in order, and SIGTERM stops the bot and its child."""
    history = tuple(
        Trade(
            date=date(2020, 1, 1) + timedelta(days=i % 1500),
            symbol=f"S{i % 40}",
            side="buy",
            quantity=Decimal(1),
            price=Decimal(10 + i % 7),
            id=f"T{i + 1}",
        )
        for i in range(steps_module.HEAVY_TRADES + 1)
    )
    service = ChatService(db_target)
    service.store.save(HEAVY, UserState(), UserState(trades=history, next_trade_number=len(history) + 1), None)
    emulator = Emulator()
    api_port, port = free_port(), free_port()
    api = serve_http(emulator, api_port)
    worker = start_worker(db_target, api_port, port, tmp_path / "worker.log", CGT_HEAVY_PROCESSES="1")
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            for _ in range(600):  # until it answers /healthz (or has died: its log says why)
                assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-2000:]
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            for n in range(1, 4):
                update = emulator.text_update(HEAVY, f"/buy {n} NEW 20 2026-01-0{n}")
                assert (
                    await client.post(f"http://127.0.0.1:{port}/telegram", json=update, headers=headers)
                ).status_code == 200
            await wait_until(lambda: len([t for t in emulator.texts(HEAVY) if "NEW" in t]) >= 3, 120, "the answers")
        (child,) = _step_processes(worker.pid)
        news = [t for t in service.store.load(HEAVY).trades if t.symbol == "NEW"]
        assert [int(t.quantity) for t in news] == [1, 2, 3]
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
        api.stop()
    assert code == 0, (tmp_path / "worker.log").read_text()[-2000:]
    await wait_until(lambda: not _running(child), 30, "the child to end")


def _running(pid: int) -> bool:
    """The process exists and isn't a zombie (one whose parent died is reaped by init, or left a zombie)."""
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


async def test_a_child_ends_when_its_bot_is_killed(tmp_path: Path) -> None:
    """SIGKILL (or the OOM killer) leaves the bot no time to stop its children: each watches its
    parent and ends with it, rather than waiting for work forever with its users' ledgers in memory."""
    bot = (
        "import os, sys, time\n"
        "from bot.service import ChatService\n"
        "from bot.steps import Steps\n"
        "steps = Steps(ChatService(sys.argv[1]), processes=1)\n"
        "print(steps.children.call(1, os.getpid), flush=True)\n"
        "time.sleep(600)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", bot, str(tmp_path / "cgt.db")], stdout=subprocess.PIPE, env=env)
    try:
        assert process.stdout is not None
        child = int(process.stdout.readline())
        assert _running(child)
    finally:
        process.kill()
        process.wait(timeout=30)
    try:
        await wait_until(lambda: not _running(child), 30, "the child to end")
    finally:
        if _running(child):
            os.kill(child, signal.SIGKILL)  # not left behind by a failing run
