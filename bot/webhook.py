"""Webhook mode for any number of worker processes on one database (PostgreSQL, or SQLite on one host).

POST /telegram: Telegram's secret-token header checked, the update recorded in the inbox
(Store.enqueue), then 200 — so an update Telegram was told we have is never lost. The user's
updates are then applied by whichever worker holds the user's lease (one at a time per user, in
update_id order), each exactly once: the processed record and the change are one transaction
(ChatService). A worker that dies leaves its users' updates to the others once its lease runs out.
GET /healthz (the database answers) and GET /metrics (Prometheus). SIGTERM or SIGINT: stop taking
updates, finish the ones in flight, stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import time
import uuid
from typing import Any

import tornado.httpserver
import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram import Update
from telegram.ext import Application

from bot.flood import warn_too_fast
from bot.storage import Store

log = logging.getLogger("cgt_bot.webhook")
LEASE = 30.0  # seconds a worker owns a user's inbox without renewing it
RECOVER_EVERY = 5.0  # seconds between looks for updates a dead worker left
PATH = "/telegram"


class InboxWorker:
    """Records updates and applies each user's in order; one per process."""

    def __init__(self, app: Application, store: Store) -> None:
        self.app = app
        self.store = store
        self.owner = uuid.uuid4().hex
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._again: set[int] = set()
        self.accepting = True

    async def receive(self, payload: dict[str, Any]) -> None:
        update = Update.de_json(payload, self.app.bot)
        user = update.effective_user
        if user is None:  # not a user's update (a channel post...): nothing to order
            await self.app.process_update(update)
            return
        # The same flood gate as in polling (bot/flood.py, on PerUserOrder): past a user's burst their
        # updates are skipped, with one warning, so one chat can't fill every worker's inbox.
        gate = self.app.bot_data.get("flood_gate")
        if gate is not None:
            admitted, warn = gate.admit(user.id)
            if not admitted:
                if warn:
                    await warn_too_fast(update, user.id)
                return
        if self.store.enqueue(user.id, update.update_id, json.dumps(payload), time.time()):
            self.kick(user.id)

    def kick(self, user_id: int) -> None:
        task = self._tasks.get(user_id)
        if task is not None and not task.done():
            self._again.add(user_id)  # the running drain takes it before it ends
            return
        self._tasks[user_id] = asyncio.create_task(self._drain(user_id))

    async def _drain(self, user_id: int) -> None:
        try:
            while True:
                self._again.discard(user_id)
                await self._drain_once(user_id)
                if user_id not in self._again:
                    return
        finally:
            self._tasks.pop(user_id, None)

    async def _drain_once(self, user_id: int) -> None:
        while self.store.lease_user(user_id, self.owner, time.time(), LEASE):
            renewed = time.time()
            try:
                while rows := self.store.pending(user_id):
                    for update_id, payload in rows:
                        started = time.perf_counter()
                        await self.app.process_update(Update.de_json(json.loads(payload), self.app.bot))
                        self.store.drop_from_inbox(user_id, update_id)
                        if time.time() > renewed + LEASE / 2:  # renew before it can run out
                            self.store.lease_user(user_id, self.owner, time.time(), LEASE)
                            renewed = time.time()
                        log.info(
                            "update applied",
                            extra={
                                "user": self.store.pseudonym(user_id),
                                "update": update_id,
                                "ms": round((time.perf_counter() - started) * 1000, 1),
                            },
                        )
            finally:
                self.store.release_user(user_id, self.owner)
            # Another worker may have recorded one while we held the lease and left it to us.
            if not self.store.pending(user_id):
                return

    async def recover(self) -> None:
        """Apply what a dead worker left (its lease ran out)."""
        now = time.time()
        for user_id in self.store.stranded(now - RECOVER_EVERY, now, 100):
            self.kick(user_id)

    async def finish(self, timeout: float) -> None:
        """Wait for the updates being applied (graceful shutdown)."""
        self.accepting = False
        tasks = [t for t in self._tasks.values() if not t.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)


class TelegramHandler(tornado.web.RequestHandler):
    def initialize(self, worker: InboxWorker, secret: str) -> None:
        self.worker = worker
        self.secret = secret

    async def post(self) -> None:
        given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        if not self.worker.accepting:
            self.set_status(503)  # shutting down: Telegram delivers it again, to another worker
            return
        try:
            payload = json.loads(self.request.body)
        except ValueError:
            self.set_status(400)
            return
        await self.worker.receive(payload)
        self.set_status(200)


class HealthHandler(tornado.web.RequestHandler):
    def initialize(self, worker: InboxWorker) -> None:
        self.worker = worker

    def get(self) -> None:
        ok = self.worker.accepting and self.worker.store.healthy()
        self.set_status(200 if ok else 503)
        self.write("ok\n" if ok else "unavailable\n")


class MetricsHandler(tornado.web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.write(generate_latest())


def web_app(worker: InboxWorker, secret: str) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (PATH, TelegramHandler, {"worker": worker, "secret": secret}),
            ("/healthz", HealthHandler, {"worker": worker}),
            ("/metrics", MetricsHandler),
        ]
    )


async def serve(
    app: Application,
    store: Store,
    secret: str,
    listen: str,
    port: int,
    webhook_url: str | None,
    stop: asyncio.Event | None = None,
    grace: float = 30.0,
) -> None:
    """Serve until SIGTERM/SIGINT (or `stop`); register the webhook with Telegram when given its URL."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    if webhook_url:
        await app.bot.set_webhook(webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
    await app.start()
    worker = InboxWorker(app, store)
    server = tornado.httpserver.HTTPServer(web_app(worker, secret))
    server.listen(port, address=listen)
    log.info("webhook worker listening", extra={"port": port})

    async def recovering() -> None:
        while True:
            await asyncio.sleep(RECOVER_EVERY)
            try:
                await worker.recover()
            except Exception:
                log.exception("recovering stranded updates failed")

    recovery = asyncio.create_task(recovering())
    try:
        await stop.wait()
    finally:
        log.info("stopping: finishing the updates in flight")
        server.stop()
        recovery.cancel()
        await worker.finish(grace)
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        log.info("stopped")
