"""Updates per second through the whole stack (PTB + conversations + SQLite) for 1,000 users,
against a minimal echo bot on the same local Bot API emulator, in the same run. Target ratio >= 0.7."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from bot.service import ChatService
from bot.settings import Settings
from bot.telegram import build_application
from tests.emulator import TOKEN, Emulator

USERS = 1_000
MESSAGES = ["/help", "/buy 10 XYZ 20 2024-01-10", "/sell 5 XYZ 25 2025-03-03", "/portfolio", "/gains 2025"]


def request(emulator: Emulator) -> HTTPXRequest:
    return HTTPXRequest(connection_pool_size=512, httpx_kwargs={"transport": emulator.transport()})


def full_stack(emulator: Emulator, db: Path) -> Application:  # type: ignore[type-arg]
    settings = Settings(TELEGRAM_BOT_TOKEN=SecretStr(TOKEN), CGT_DB=db)
    # No AIORateLimiter on either bot: it paces to Telegram's 30 messages/s, which would measure Telegram, not us.
    return build_application(settings, ChatService(db), rate_limit=False, request=request(emulator))


def echo_bot(emulator: Emulator) -> Application:  # type: ignore[type-arg]
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None and update.effective_message is not None
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "")

    app = ApplicationBuilder().token(TOKEN).request(request(emulator)).concurrent_updates(256).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    return app


async def throughput(app: Application, emulator: Emulator) -> float:  # type: ignore[type-arg]
    updates = [
        Update.de_json(emulator.text_update(user, text), app.bot) for text in MESSAGES for user in range(1, USERS + 1)
    ]
    async with app:
        started = time.perf_counter()
        # Each round sends every user's next message; a user's messages stay in order.
        for round_start in range(0, len(updates), USERS):
            await asyncio.gather(*(app.process_update(u) for u in updates[round_start : round_start + USERS]))
        elapsed = time.perf_counter() - started
    return len(updates) / elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        full_emulator, echo_emulator = Emulator(), Emulator()
        full = asyncio.run(throughput(full_stack(full_emulator, Path(tmp) / "bench.db"), full_emulator))
        echo = asyncio.run(throughput(echo_bot(echo_emulator), echo_emulator))
    sent = sum(1 for c in full_emulator.calls if c.method == "sendMessage")
    print(f"{USERS:,} users x {len(MESSAGES)} messages = {USERS * len(MESSAGES):,} updates; {sent:,} replies sent")
    print(f"{'full stack (SQLite, conversations)':<38}{full:>10,.0f} updates/s")
    print(f"{'minimal echo bot':<38}{echo:>10,.0f} updates/s")
    print(f"{'ratio':<38}{full / echo:>10.2f}   (target >= 0.7)")


if __name__ == "__main__":
    main()
