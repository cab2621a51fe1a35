"""The Telegram adapter: updates become conversation events, replies become Bot API calls.

No conversation logic lives here. Handlers are registered in `build_application`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, MessageLimit, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import logs, metrics, redaction, reminders, webhook
from bot import polling as polling_inbox
from bot.flood import FloodGate, warn_too_fast
from bot.service import ChatService
from bot.settings import Settings
from bot.steps import Steps
from bot.storage import HANDLED_KEPT
from calc import collector
from conversations.commands import MENU
from conversations.events import Button, Event, FileIn, Reply

log = logging.getLogger("cgt_bot.telegram")

MAX_FILE_BYTES = 2 * 1024 * 1024
GROUP_REPLY = "I only talk in private chats: your trades and taxes are private. Message me directly."
ERROR_REPLY = "Sorry, something went wrong on my side. Nothing was saved from that message; please try again."
# When the step was saved but its answer could not be sent, "try again" would record a trade twice.
ERROR_AFTER_SAVE_REPLY = "Sorry, I saved that but couldn't show you the whole answer. /trades shows what is recorded; no need to send it again."


WAITING_UPDATES = 100_000  # updates fetched and waiting for their turn (a getUpdates call brings 100)


class PerUserOrder(BaseUpdateProcessor):
    """Different users' updates run concurrently; one user's run in arrival order.

    An update waits for its user's turn before it takes one of the concurrent-update slots, so a
    user with many queued updates holds one slot, not hundreds. With a flood gate, past its burst a
    user's updates are skipped with one plain warning (bot/flood.py); in long polling the gate is
    applied earlier, as updates are queued (bot/polling.py), so a flood isn't even recorded.
    """

    def __init__(
        self,
        max_concurrent_updates: int = 256,
        gate: FloodGate | None = None,
        done: Callable[[object], None] | None = None,
    ) -> None:
        # PTB's own semaphore is taken before do_process_update and would be held while waiting for
        # the user's turn; it is made wide, and the real limit is `_slots`, taken once it is the turn.
        super().__init__(WAITING_UPDATES)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self.gate = gate
        self.done = done or (lambda update: None)  # called when an update's step is over, however it ended
        self._turns: dict[int, tuple[asyncio.Lock, int]] = {}  # user -> (lock, updates holding or waiting)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            async with self._slots:
                await coroutine
            return
        admitted, warn = self.gate.admit(user.id) if self.gate is not None else (True, False)
        if not admitted:
            if asyncio.iscoroutine(coroutine):
                coroutine.close()  # never run: nothing of it happens, and no "never awaited" warning
            self.done(update)
            if warn and isinstance(update, Update):
                await warn_too_fast(update, user.id)
            return
        lock, count = self._turns.get(user.id) or (asyncio.Lock(), 0)
        self._turns[user.id] = (lock, count + 1)
        try:
            async with lock, self._slots:
                try:
                    await coroutine
                finally:
                    self.done(update)
        finally:
            lock, count = self._turns[user.id]
            if count == 1:
                del self._turns[user.id]  # no lock kept for every user who ever wrote
            else:
                self._turns[user.id] = (lock, count - 1)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    return _markup(reply.buttons) if reply.buttons else None


@lru_cache(maxsize=1024)
def _markup(buttons: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    """Built once per keyboard (Undo, Chart by month... recur across users): PTB objects are frozen."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in buttons])


def _chunks(text: str) -> list[str]:
    limit = MessageLimit.MAX_TEXT_LENGTH
    if len(text) <= limit:
        return [text]
    chunks, current = [], ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            chunks.append(current) if current else None
            current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            chunks.append(current)
            current = ""
        current += line
    if current:
        chunks.append(current)
    return chunks


def _own_private_chat(update: Update) -> bool:
    """A private chat with the sender themself. State is loaded by the sender's id and answers go
    to the chat: in a private chat the two ids are the same, and anything else gets no answer
    carrying the sender's data."""
    chat, user = update.effective_chat, update.effective_user
    return chat is not None and user is not None and chat.type == ChatType.PRIVATE and chat.id == user.id


class TelegramFrontEnd:
    def __init__(self, service: ChatService, steps: Steps) -> None:
        self.service = service
        self.steps = steps

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None:
            return
        if not _own_private_chat(update):
            await message.reply_text(GROUP_REPLY)
            chat = update.effective_chat
            if chat is not None and chat.type != ChatType.PRIVATE:
                await context.bot.leave_chat(chat.id)  # said once: in a group, financial data has no place
            return
        event = await self._event_from_message(update, message, context)
        if event is None:
            return
        await self._answer(update, context, event)

    async def _event_from_message(
        self, update: Update, message: Message, context: ContextTypes.DEFAULT_TYPE
    ) -> Event | None:
        now = (message.date or datetime.now(UTC)).astimezone(UTC)
        locale = update.effective_user.language_code if update.effective_user else None
        base = {"id": str(update.update_id), "now": now, "locale": locale, "message": str(message.message_id)}
        if update.edited_message is not None:
            # The user changed a message they sent: the conversation changes what it recorded. A file's
            # edit (a new caption or file) carries only the name: files aren't re-read from an edit.
            edited = (message.edit_date or datetime.now(UTC)).astimezone(UTC)
            named = FileIn(name=message.document.file_name or "upload.csv", content=b"") if message.document else None
            return Event(kind="edit", text=message.text or message.caption or "", file=named, **{**base, "now": edited})
        if message.document is not None:
            document = message.document
            if document.file_size and document.file_size > MAX_FILE_BYTES:
                await message.reply_text(f"That file is too large; send one under {MAX_FILE_BYTES // 1024 // 1024} MB.")
                return None
            file = await context.bot.get_file(document.file_id)
            content = bytes(await file.download_as_bytearray())
            if len(content) > MAX_FILE_BYTES:
                await message.reply_text(f"That file is too large; send one under {MAX_FILE_BYTES // 1024 // 1024} MB.")
                return None
            return Event(kind="file", file=FileIn(name=document.file_name or "upload.csv", content=content), **base)
        if message.text is None:
            await message.reply_text("Send me text, like /buy 100 XYZ 20 2024-01-10, or /help.")
            return None
        return Event(kind="text", text=message.text, **base)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        user = update.effective_user
        if query is None or user is None:
            return
        await query.answer()  # always, so the client stops its spinner
        if not _own_private_chat(update):
            return
        now = datetime.now(UTC)
        event = Event(
            kind="button", id=str(update.update_id), now=now, data=query.data or "", locale=user.language_code
        )
        await self._answer(update, context, event)

    async def _answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event) -> None:
        user = update.effective_user
        chat = update.effective_chat
        assert user is not None and chat is not None
        # In a thread, or a heavy user's in a child process (bot/steps.py): a slow step (a long history
        # booked) holds back only this user.
        with metrics.STEP_SECONDS.time():
            replies = await self.steps.run(user.id, event)
        metrics.UPDATES.labels(kind=event.kind).inc()
        for reply in replies:
            await self._send(update, context, chat.id, reply)

    async def _send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply) -> None:
        query = update.callback_query
        if (
            reply.edit
            and query is not None
            and query.message is not None
            and len(reply.as_plain()) <= MessageLimit.MAX_TEXT_LENGTH
        ):
            try:
                await query.edit_message_text(reply.as_html(), reply_markup=_keyboard(reply), parse_mode=ParseMode.HTML)
            except BadRequest as error:
                reason = str(error).lower()
                if "not modified" in reason:
                    pass  # the same button pressed again: the message already says this
                elif "can't be edited" in reason or "message to edit not found" in reason:
                    # Too old (48 h) or deleted: the answer still belongs in the chat, as a new message.
                    await self._send_text(context, chat_id, reply)
                else:
                    raise
        else:
            await self._send_text(context, chat_id, reply)
        for file in reply.files:
            if file.kind == "photo":
                await context.bot.send_photo(chat_id, file.content, caption=file.caption or None, filename=file.name)
            else:
                await context.bot.send_document(chat_id, file.content, caption=file.caption or None, filename=file.name)

    @staticmethod
    async def _send_text(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply) -> None:
        """Every reply in HTML parse mode (plain ones escaped whole: conversations/markup.py). Telegram
        counts the limit after parsing; a reply over it (capping makes that rare) goes as plain parts,
        since a cut could split a tag or an entity."""
        if len(reply.as_plain()) <= MessageLimit.MAX_TEXT_LENGTH:
            await context.bot.send_message(
                chat_id, reply.as_html(), reply_markup=_keyboard(reply), parse_mode=ParseMode.HTML
            )
            return
        chunks = _chunks(reply.as_plain())
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            await context.bot.send_message(chat_id, chunk, reply_markup=_keyboard(reply) if last else None)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        metrics.ERRORS.inc()
        log.error("update failed: %s", type(context.error).__name__, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, self._error_reply(update))
            except Exception:  # the error may be the network itself
                log.warning("could not tell the user about the error")

    def _error_reply(self, update: Update) -> str:
        user = update.effective_user
        if user is None:
            return ERROR_REPLY
        with self.service.user_lock(user.id):
            saved = self.service.store.seen(user.id, str(update.update_id))
        return ERROR_AFTER_SAVE_REPLY if saved else ERROR_REPLY


async def send_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    steps: Steps = context.application.bot_data["steps"]
    counts = await reminders.send_due(context.bot, steps.service, text=steps.reminder_text)
    for outcome, n in counts.items():
        metrics.REMINDERS.labels(outcome=outcome).inc(n)
    if counts:
        log.info("reminders: %s", ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())))


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The background sweep, every minute, off the event loop: plans the reminders of users whose plan
    runs out, and forgets the updates handled longer ago than Telegram could deliver them again."""
    service: ChatService = context.application.bot_data["service"]
    steps: Steps = context.application.bot_data["steps"]
    now = datetime.now(UTC)
    await asyncio.to_thread(reminders.sweep, service, now, replan=steps.replan)
    forgotten = await asyncio.to_thread(service.store.forget_handled, (now - HANDLED_KEPT).timestamp())
    if forgotten:
        log.info("forgot %d handled updates older than %s", forgotten, HANDLED_KEPT)


async def start_up(app: Application) -> None:
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in MENU])
    if app.bot_data.get("polling"):
        await polling_inbox.apply_left_over(app, app.bot_data["service"].store)
    # Nobody is replanned here: reminders are rows kept with each change (bot/reminders.py).
    if app.job_queue is not None:
        once = {"max_instances": 1, "coalesce": True}
        app.job_queue.run_repeating(send_reminders, interval=1, first=1, name="reminders:send", job_kwargs=once)
        app.job_queue.run_repeating(sweep, interval=60, first=5, name="sweep", job_kwargs=once)
    collector.settle()  # what start-up loaded stays: freeze it so no collection scans it again


async def close_down(app: Application) -> None:
    """The step threads and processes stop with the application (bot/steps.py)."""
    await asyncio.to_thread(app.bot_data["steps"].shutdown)


def build_application(
    settings: Settings, service: ChatService, rate_limit: bool = True, **builder_options: Any
) -> Application:
    """The Application with every handler registered; `builder_options` go to ApplicationBuilder (tests).

    `rate_limit=False` drops AIORateLimiter, for measuring our own throughput rather than Telegram's limits.
    """
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value()
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    redaction.install([token, secret])
    gate = FloodGate()
    polling = not settings.webhook_url
    # Polling: each update gated and recorded in the inbox before getUpdates confirms it (bot/polling.py).
    queue = polling_inbox.RecordingQueue(service.store, gate) if polling else None
    processor = PerUserOrder(gate=None if queue else gate, done=queue.done if queue else None)
    builder = (
        ApplicationBuilder().token(token).concurrent_updates(processor).post_init(start_up).post_shutdown(close_down)
    )
    if queue is not None:
        builder = builder.update_queue(queue)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    for name, value in builder_options.items():
        builder = getattr(builder, name)(value)
    app = builder.build()
    app.bot_data["service"] = service
    app.bot_data["polling"] = polling
    app.bot_data["flood_gate"] = gate  # webhook workers gate as they record (bot/webhook.py)
    steps = app.bot_data["steps"] = Steps(service, processes=settings.heavy_processes)
    front = TelegramFrontEnd(service, steps)
    app.add_handler(CallbackQueryHandler(front.on_button))
    # New messages and edited ones (an edit changes what the message recorded); not channel posts' edits.
    app.add_handler(
        MessageHandler(filters.ALL & (~filters.UpdateType.EDITED | filters.UpdateType.EDITED_MESSAGE), front.on_message)
    )
    app.add_error_handler(front.on_error)
    return app


def run(settings: Settings, **builder_options: Any) -> int:
    """Serve until stopped; the exit status. A start-up failure (a token Telegram rejects, a server
    out of reach) is one redacted line on stderr, not a traceback with the token in it."""
    logs.configure(settings.log_format)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    if settings.webhook_url and secret is None:
        raise SystemExit("cgt-bot: set CGT_WEBHOOK_SECRET with CGT_WEBHOOK_URL so updates can be verified.")
    service = ChatService(settings.db)
    if settings.webhook_url:
        builder_options = {"updater": None, **builder_options}  # our own server takes the webhooks
    app = build_application(settings, service, rate_limit=settings.rate_limit, **builder_options)
    assert settings.telegram_bot_token is not None
    redactor = redaction.RedactingFilter([settings.telegram_bot_token.get_secret_value(), secret])
    try:
        if settings.webhook_url:
            assert secret is not None
            register = settings.webhook_url if settings.webhook_register else None
            asyncio.run(webhook.serve(app, service.store, secret, settings.listen, settings.port, register))
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print("cgt-bot: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather (/token).", file=sys.stderr)
        return 2
    except (NetworkError, OSError) as error:
        where = settings.telegram_base_url or "api.telegram.org"
        reason = redactor.redact(str(error)) or type(error).__name__
        print(f"cgt-bot: can't reach Telegram ({where}): {reason}", file=sys.stderr)
        return 1
    except Exception:  # anything else: a traceback through the redacting log, never Python's raw one
        log.exception("cgt-bot stopped")
        return 1
    return 0
