"""End to end through python-telegram-bot's real Application, against the local Bot API emulator."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.service import ChatService
from bot.settings import Settings
from bot.telegram import build_application
from conversations.commands import BY_NAME
from conversations.events import Event, Reply
from tests.emulator import TOKEN, Emulator


def make_app(emulator: Emulator, db: Path, rate_limit: bool = True) -> Application:
    settings = Settings(TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=db, TELEGRAM_BASE_URL="http://bot-api.local")
    return build_application(
        settings,
        ChatService(db),
        rate_limit=rate_limit,
        request=HTTPXRequest(httpx_kwargs={"transport": emulator.transport()}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"transport": emulator.transport()}),
    )


@pytest.fixture
def emulator() -> Emulator:
    return Emulator()


@contextlib.asynccontextmanager
async def running(emulator: Emulator, db: Path) -> AsyncIterator[Application]:
    """The application started as `make run` starts it (post_init included), stopped after."""
    application = make_app(emulator, db)
    async with application:
        await application.post_init(application)  # type: ignore[misc]
        yield application


@pytest.fixture
async def app(emulator: Emulator, tmp_path: Path) -> AsyncIterator[Application]:
    async with running(emulator, tmp_path / "cgt.db") as application:
        yield application


async def feed(app: Application, payload: dict) -> None:
    await app.process_update(Update.de_json(payload, app.bot))


async def test_command_menu_is_set(app: Application, emulator: Emulator) -> None:
    (call,) = [c for c in emulator.calls if c.method == "setMyCommands"]
    menu = {entry["command"] for entry in json.loads(call.params["commands"])}
    assert "gains" in menu and "exercise" in menu
    assert menu <= set(BY_NAME)  # the menu offers only commands the conversation knows


async def test_onboarding_and_trades_through_telegram(app: Application, emulator: Emulator) -> None:
    await feed(app, emulator.text_update(5, "/start"))
    assert "not tax advice" in emulator.texts(5)[-1]
    year = emulator.buttons(5)[0][0]
    await feed(app, emulator.button_update(5, year["callback_data"]))
    assert any(c.method == "answerCallbackQuery" for c in emulator.calls)
    assert "filing status" in emulator.texts(5)[-1]
    await feed(app, emulator.button_update(5, emulator.buttons(5)[0][0]["callback_data"]))  # Single
    await feed(app, emulator.text_update(5, "85000"))
    await feed(app, emulator.button_update(5, emulator.buttons(5)[0][0]["callback_data"]))  # no carryover
    await feed(app, emulator.button_update(5, emulator.buttons(5)[0][0]["callback_data"]))  # keep the time zone
    assert "All set" in emulator.texts(5)[-1]
    await feed(app, emulator.text_update(5, "/buy 100 XYZ 20 2024-01-10"))
    assert "Saved #1" in emulator.texts(5)[-1]
    await feed(app, emulator.text_update(5, "/sell 100 XYZ 15 2024-12-01"))
    assert "short-term loss" in emulator.texts(5)[-1]
    await feed(app, emulator.text_update(5, "/gains 2024"))
    assert "Short-term net -$500.00" in emulator.texts(5)[-1]
    await feed(app, emulator.text_update(5, "/portfolio"))
    assert "don't hold anything" in emulator.texts(5)[-1]
    await feed(app, emulator.text_update(5, "/export"))
    assert any(c.method == "sendDocument" and c.params["chat_id"] == "5" for c in emulator.calls)


async def test_duplicate_update_changes_nothing_twice(app: Application, emulator: Emulator) -> None:
    update = emulator.text_update(6, "/buy 5 ABC 7 2024-02-01", update_id=4242)
    await feed(app, update)
    await feed(app, update)
    first, again = [t for t in emulator.texts(6) if "Saved" in t]
    assert first == again  # a redelivery gets the kept answer (the first may not have arrived)...
    await feed(app, emulator.text_update(6, "/trades"))
    assert emulator.texts(6)[-1].count("ABC") == 1  # ...and the trade is recorded once


async def test_two_users_interleaved_are_isolated(app: Application, emulator: Emulator) -> None:
    await feed(app, emulator.text_update(7, "/buy 5 ABC 7 2024-02-01"))
    await feed(app, emulator.text_update(8, "/trades"))
    await feed(app, emulator.text_update(8, "/edit 1 price 1"))
    await feed(app, emulator.button_update(8, "del:T1"))
    await feed(app, emulator.text_update(7, "/trades"))
    assert "No trades" in emulator.texts(8)[0]
    assert "question is closed" in emulator.texts(8)[-1]
    assert "#1 buy 5 ABC at $7.00" in emulator.texts(7)[-1]
    assert all("ABC" not in t for t in emulator.texts(8)[:2])


async def test_restart_mid_flow_resumes(emulator: Emulator, tmp_path: Path) -> None:
    db = tmp_path / "cgt.db"
    first = make_app(emulator, db)
    async with first:
        await feed(first, emulator.text_update(9, "/buy"))
        await feed(first, emulator.text_update(9, "XYZ"))
    second = make_app(emulator, db)
    async with second:
        await feed(second, emulator.text_update(9, "2024-01-10"))
    assert "How many shares" in emulator.texts(9)[-1]


async def test_button_pressed_twice(app: Application, emulator: Emulator) -> None:
    await feed(app, emulator.text_update(10, "/buy 5 ABC 7 2024-02-01"))
    undo = emulator.buttons(10)[0][0]["callback_data"]
    await feed(app, emulator.button_update(10, undo))
    # The emulator dates its messages 2026-11-23 and the press is now: an old Undo, so it asks first.
    assert "Undo #1 buy 5 ABC" in emulator.texts(10)[-1]
    yes = emulator.buttons(10)[0][0]["callback_data"]
    await feed(app, emulator.button_update(10, yes))
    await feed(app, emulator.button_update(10, yes))
    assert "Undone" in emulator.texts(10)[-2] and "question is closed" in emulator.texts(10)[-1].lower()


async def test_429_is_retried_after_retry_after(app: Application, emulator: Emulator) -> None:
    emulator.flood_once.add("sendMessage")
    await feed(app, emulator.text_update(11, "/help"))
    sends = [c for c in emulator.by_chat[11] if c.method == "sendMessage"]
    assert len(sends) == 2  # the 429, then the retry
    assert "/buy" in emulator.texts(11)[-1]


async def test_group_chat_is_declined(app: Application, emulator: Emulator) -> None:
    await feed(app, emulator.text_update(12, "/buy 5 ABC 7 2024-02-01", chat_type="group"))
    assert "only talk in private chats" in emulator.texts(-12)[-1]
    assert [c.method for c in emulator.by_chat[-12]][-1] == "leaveChat"  # says it once, then leaves


async def test_long_reply_is_split_under_4096(app: Application, emulator: Emulator) -> None:
    for day in range(1, 29):
        await feed(app, emulator.text_update(13, f"/buy 1 S{day:02d}X 10 2024-02-{day:02d}"))
    await feed(app, emulator.text_update(13, "/portfolio"))
    assert all(len(t) <= 4096 for t in emulator.texts(13))


async def test_csv_document_is_received(app: Application, emulator: Emulator) -> None:
    await feed(app, emulator.document_update(14, "trades.csv", b"date,side,symbol\n"))
    assert any(c.method == "getFile" for c in emulator.calls)
    assert emulator.texts(14)


async def test_token_never_logged(app: Application, emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await feed(app, emulator.text_update(15, "/help"))
    logging.getLogger("httpx").warning("POST http://x/bot%s/sendMessage", TOKEN)
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in "".join(r.getMessage() for r in caplog.records)


async def test_polling_loop_delivers_updates(emulator: Emulator, tmp_path: Path) -> None:
    import asyncio

    app = make_app(emulator, tmp_path / "cgt.db")
    emulator.updates.append(emulator.text_update(16, "/help"))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.01, timeout=0)
        for _ in range(200):
            if emulator.texts(16):
                break
            await asyncio.sleep(0.01)
        await app.updater.stop()
        await app.stop()
    assert "/buy" in emulator.texts(16)[-1]


async def test_long_polling_answers_a_burst_at_most_100_updates_a_call(emulator: Emulator, tmp_path: Path) -> None:
    import asyncio

    app = make_app(emulator, tmp_path / "cgt.db", rate_limit=False)  # 154 answers at 30 a second would take 5 s

    def offsets() -> list[int]:
        return [int(c.params.get("offset") or 0) for c in emulator.calls if c.method == "getUpdates"]

    async def until(done: Callable[[], bool]) -> None:
        for _ in range(500):
            if done():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("timed out")

    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=10)  # long polling, as in production
        buys = [emulator.text_update(user, "/buy 1 XYZ 20 2024-01-10") for user in (30, 31)]
        try:
            await until(lambda: emulator.waiting_polls == 1)  # the first poll waits: nothing is queued yet
            helps = [emulator.text_update(200 + i, "/help") for i in range(150)]
            emulator.queue(*buys, *helps, *[emulator.text_update(user, "/portfolio") for user in (30, 31)])
            await until(lambda: all(emulator.texts(user) for user in range(200, 350)))
            await until(lambda: all(len(emulator.texts(user)) == 2 for user in (30, 31)))
        finally:
            await app.updater.stop()
            await app.stop()
    # Each poll asks from the update after the last one it got: what each call returned.
    fetched = [b - a for a, b in itertools.pairwise([buys[0]["update_id"], *sorted(set(offsets()) - {0})])]
    assert fetched == [100, 54]  # Telegram's limit: 100 a call
    assert all("Your holdings" in emulator.texts(user)[1] for user in (30, 31))  # one user's updates in order


async def test_oversized_file_is_refused(app: Application, emulator: Emulator) -> None:
    await feed(app, emulator.document_update(17, "huge.csv", b"x" * (2 * 1024 * 1024 + 1)))
    assert "too large" in emulator.texts(17)[-1]
    assert not any(c.method == "getFile" for c in emulator.calls)


async def test_webhook_requires_a_secret(tmp_path: Path) -> None:
    from bot.telegram import run

    settings = Settings(
        TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=tmp_path / "w.db", CGT_WEBHOOK_URL="https://example.org/telegram"
    )
    with pytest.raises(SystemExit, match="CGT_WEBHOOK_SECRET"):
        run(settings)


async def test_answer_to_an_old_message_arrives_as_a_new_one(app: Application, emulator: Emulator) -> None:
    await feed(app, emulator.text_update(18, "/start"))
    year = emulator.buttons(18)[0][0]["callback_data"]
    emulator.fail_once["editMessageText"] = "message can't be edited"
    await feed(app, emulator.button_update(18, year))
    assert "filing status" in emulator.texts(18)[-1]
    assert emulator.by_chat[18][-1].method == "sendMessage"


async def test_error_after_saving_does_not_invite_a_duplicate(app: Application, emulator: Emulator) -> None:
    await feed(app, emulator.text_update(19, "/help"))
    emulator.fail_once["sendMessage"] = "chat not found"
    await feed(app, emulator.text_update(19, "/buy 5 ABC 7 2024-02-01"))
    assert "saved that" in emulator.texts(19)[-1] and "try again" not in emulator.texts(19)[-1]
    await feed(app, emulator.text_update(19, "/trades"))
    assert emulator.texts(19)[-1].count("ABC") == 1


async def test_error_before_saving_invites_a_retry(app: Application, emulator: Emulator) -> None:
    emulator.fail_once["getFile"] = "wrong file_id or the file is temporarily unavailable"
    await feed(app, emulator.document_update(20, "trades.csv", b"date,side,symbol\n"))
    assert "Nothing was saved" in emulator.texts(20)[-1]


async def test_a_slow_step_holds_back_only_its_own_user(
    app: Application, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Steps run in threads (bot/steps.py): while one user's step is slow (a long history being
    booked), another user is answered; the slow user's next message waits its turn and applies after."""
    service: ChatService = app.bot_data["service"]
    started, release = threading.Event(), threading.Event()
    ran: list[tuple[int, str | None]] = []
    real = service.process

    def process(user_id: int, event: Event) -> list[Reply]:
        if user_id == 1 and event.text == "/gains":
            started.set()
            assert release.wait(10)  # stands for seconds of booking; on the event loop nothing else could run
        ran.append((user_id, event.text))
        return real(user_id, event)

    monkeypatch.setattr(service, "process", process)

    async def through(payload: dict) -> None:  # as the polling loop delivers: through the update processor
        update = Update.de_json(payload, app.bot)
        await app.update_processor.process_update(update, app.process_update(update))

    slow = asyncio.ensure_future(through(emulator.text_update(1, "/gains")))
    after = asyncio.ensure_future(through(emulator.text_update(1, "/help")))
    for _ in range(1000):  # until user 1's slow step is under way
        if started.is_set():
            break
        await asyncio.sleep(0.01)
    await through(emulator.text_update(2, "/help"))
    assert emulator.texts(2) and not emulator.texts(1)  # user 2 answered while user 1's step still runs
    release.set()
    await asyncio.gather(slow, after)
    assert [text for user, text in ran if user == 1] == ["/gains", "/help"]  # in the order sent
    assert len(emulator.texts(1)) >= 2
