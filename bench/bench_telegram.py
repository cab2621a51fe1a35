"""Updates per second through the whole stack (PTB + conversations + SQLite) for 1,000 users,
against a minimal echo bot on the same local Bot API emulator, in the same run. Target ratio >= 0.7.

Each bot is measured two ways:
- polled: the bot runs as in production (Application.start, Updater.start_polling with long
  polling). The clock starts when all 5,000 updates are queued at the emulator, whose getUpdates
  hands them out 100 a call as Telegram does, and stops when the last reply is recorded: fetching,
  decoding, dispatching, handling and sending, for both bots.
- dispatched: Update objects are built before the clock starts and given to
  Application.process_update directly, one round of 1,000 users at a time (the figure reported
  before the bot was driven through getUpdates).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from bot.service import ChatService
from bot.settings import Settings
from bot.telegram import ERROR_AFTER_SAVE_REPLY, ERROR_REPLY, build_application
from tests.emulator import TOKEN, Emulator

USERS = 1_000
MESSAGES = ["/help", "/buy 10 XYZ 20 2024-01-10", "/sell 5 XYZ 25 2025-03-03", "/portfolio", "/gains 2025"]

Bot = Application


@dataclass
class CountingEmulator(Emulator):
    """The emulator, telling when the bot has sent the replies expected."""

    expected: int = 0
    replied: asyncio.Event = field(default_factory=asyncio.Event)
    _sent: int = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        response = super().handle(request)
        if request.url.path.endswith("/sendMessage"):
            self._sent += 1
            if self._sent == self.expected:
                self.replied.set()
        return response


def request(emulator: Emulator) -> HTTPXRequest:
    return HTTPXRequest(connection_pool_size=512, httpx_kwargs={"transport": emulator.transport()})


def full_stack(emulator: Emulator, db: Path) -> Bot:
    settings = Settings(TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=db)
    # No AIORateLimiter on either bot: it paces to Telegram's 30 messages/s, which would measure Telegram, not us.
    return build_application(
        settings,
        ChatService(db),
        rate_limit=False,
        request=request(emulator),
        get_updates_request=request(emulator),
    )


def echo_bot(emulator: Emulator) -> Bot:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None and update.effective_message is not None
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(request(emulator))
        .get_updates_request(request(emulator))
        .concurrent_updates(256)
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    return app


def updates(emulator: Emulator) -> list[dict[str, object]]:
    """Each round is every user's next message, so a user's messages arrive in order."""
    return [emulator.text_update(user, text) for text in MESSAGES for user in range(1, USERS + 1)]


async def polled(app: Bot, emulator: CountingEmulator) -> float:
    queued = updates(emulator)
    emulator.expected = len(queued)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=10)
        while not emulator.waiting_polls:  # the bot waits in its long poll before the clock starts
            await asyncio.sleep(0.001)
        started = time.perf_counter()
        emulator.queue(*queued)
        await asyncio.wait_for(emulator.replied.wait(), timeout=600)
        elapsed = time.perf_counter() - started
        await app.updater.stop()
        await app.stop()
    return len(queued) / elapsed


async def dispatched(app: Bot, emulator: CountingEmulator) -> float:
    built = [Update.de_json(u, app.bot) for u in updates(emulator)]
    emulator.expected = len(built)
    async with app:
        started = time.perf_counter()
        for round_start in range(0, len(built), USERS):
            await asyncio.gather(*(app.process_update(u) for u in built[round_start : round_start + USERS]))
        elapsed = time.perf_counter() - started
    assert emulator.replied.is_set()
    return len(built) / elapsed


Way = Callable[[Bot, CountingEmulator], Coroutine[Any, Any, float]]


def measure(way: Way, db: Path) -> tuple[float, float]:
    """(full stack, echo) updates per second, each bot on its own emulator."""
    full_emulator, echo_emulator = CountingEmulator(), CountingEmulator()
    full = asyncio.run(way(full_stack(full_emulator, db), full_emulator))
    echo = asyncio.run(way(echo_bot(echo_emulator), echo_emulator))
    answers = [c.params.get("text", "") for c in full_emulator.calls if c.method == "sendMessage"]
    assert not {ERROR_REPLY, ERROR_AFTER_SAVE_REPLY} & set(answers), "the full stack answered with errors"
    return full, echo


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = {
            name: measure(way, Path(tmp) / f"{name}.db")
            for name, way in (("polled", polled), ("dispatched", dispatched))
        }
    print(f"{USERS:,} users x {len(MESSAGES)} messages = {USERS * len(MESSAGES):,} updates, one reply each")
    print(f"{'':<44}{'full stack':>12}{'echo bot':>12}{'ratio':>8}")
    for name, label in (
        ("polled", "polled (getUpdates long polling, as run)"),
        ("dispatched", "dispatched (Update objects given directly)"),
    ):
        full, echo = results[name]
        print(f"{label:<44}{full:>12,.0f}{echo:>12,.0f}{full / echo:>8.2f}")
    print("updates/s; target ratio >= 0.7, polled")


if __name__ == "__main__":
    main()
