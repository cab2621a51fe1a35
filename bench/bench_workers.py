"""Webhook workers on one PostgreSQL: updates per second and per-message latency with 1, 2 and 4 workers.

Each worker is a real `cgt-bot telegram` process in webhook mode; the Bot API emulator (tests/emulator.py,
on a local socket, in this process) delivers the updates and records the answers. 300 users each send
5 messages (buy, buy, portfolio, sell, trades), each waiting for the answer to the last before sending
the next, as a person would; a user's updates go to the workers in turn. Latency is from the POST of the
update to the emulator receiving its answer; updates/s is all updates over the whole run. PostgreSQL is
started by tests/pg.py (throwaway data directory). Everything shares the machine's cores: the load
generator and the emulator, the workers and PostgreSQL; on 2 cores the point is that more workers still
work, keep order and stay correct, not the absolute figure.

Updates are posted the way Telegram delivers them: over at most TELEGRAM_CONNECTIONS connections (Telegram's
default `max_connections` for a webhook), split among the workers, each kept open for the whole run. The
harness once failed at 4 workers with httpx.ReadError: the workers had answered, but on a machine this loaded
the load generator's event loop stalled past httpx's 5-second keep-alive expiry, and its connection pool
closed an idle connection it had already handed to a waiting request (encode/httpcore#1110, in httpcore
1.0.9). A client per worker with no keep-alive expiry never closes a connection it has handed out.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from tests.emulator import Emulator, serve_http
from tests.pg import Server
from tests.test_workers_e2e import SECRET, free_port, start_worker

USERS = 300
TELEGRAM_CONNECTIONS = 40  # setWebhook's max_connections when not given: Telegram's connections to a bot at once
MESSAGES = [
    "/buy 10 XYZ 20 2024-01-10",
    "/buy 5 ABC 7 2024-02-01",
    "/portfolio",
    "/sell 5 XYZ 25 2025-03-03",
    "/trades",
]
ROOT = Path(__file__).resolve().parent.parent


class AnsweringEmulator(Emulator):
    """Tells the waiting user when their answer arrives."""

    def __init__(self) -> None:
        super().__init__()
        self.answered: dict[int, asyncio.Event] = defaultdict(asyncio.Event)

    def handle(self, request: httpx.Request) -> httpx.Response:
        response = super().handle(request)
        if request.url.path.endswith("/sendMessage") and self.calls[-1].params.get("chat_id") is not None:
            self.answered[int(self.calls[-1].params["chat_id"])].set()
        return response


def start(db: str, api_port: int, port: int, log: Path) -> subprocess.Popen[bytes]:
    # Telegram's 30 messages/s would measure Telegram, not the workers.
    return start_worker(db, api_port, port, log, CGT_RATE_LIMIT="false")


async def run(workers: int, server: Server, tmp: Path) -> tuple[float, list[float], int]:
    db = server.new_database()
    from bot.service import ChatService

    ChatService(db)  # migrated once, as a deploy step would
    emulator = AnsweringEmulator()
    api_port = free_port()
    api = serve_http(emulator, api_port)
    ports = [free_port() for _ in range(workers)]
    procs = [start(db, api_port, port, tmp / f"w{workers}-{i}.log") for i, port in enumerate(ports)]
    latencies: list[float] = []
    try:
        each = max(1, TELEGRAM_CONNECTIONS // workers)
        limits = httpx.Limits(max_connections=each, max_keepalive_connections=each, keepalive_expiry=None)
        async with contextlib.AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(httpx.AsyncClient(timeout=60, limits=limits)) for _ in ports]
            for port, client in zip(ports, clients, strict=True):
                while True:
                    try:
                        if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.2)
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

            async def user(uid: int) -> None:
                for n, text in enumerate(MESSAGES):
                    answered = emulator.answered[uid]
                    answered.clear()
                    update = emulator.text_update(uid, text)
                    sent = time.perf_counter()
                    at = (uid + n) % workers
                    reply = await clients[at].post(
                        f"http://127.0.0.1:{ports[at]}/telegram", json=update, headers=headers
                    )
                    reply.raise_for_status()  # Telegram would deliver it again; here it would be a wrong figure
                    await asyncio.wait_for(answered.wait(), 120)
                    latencies.append(time.perf_counter() - sent)

            began = time.perf_counter()
            await asyncio.gather(*(user(uid) for uid in range(1, USERS + 1)))
            elapsed = time.perf_counter() - began
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)
        api.stop()
    # Correct as well as fast: every purchase recorded once, in order.
    service = ChatService(db)
    wrong = sum(1 for uid in range(1, USERS + 1) if [int(t.quantity) for t in service.state(uid).trades] != [10, 5, 5])
    return USERS * len(MESSAGES) / elapsed, latencies, wrong


def main() -> None:
    counts = [int(n) for n in sys.argv[1:]] or [1, 2, 4]  # `python -m bench.bench_workers 4 4` runs 4 workers twice
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the PostgreSQL server below still goes
    server = Server()
    server.start()
    if not server.url:
        print(f"skipped: {server.problem}")
        return
    try:
        with tempfile.TemporaryDirectory() as tmp:
            print(f"{'workers':>8}{'updates/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'wrong users':>13}")
            for workers in counts:
                rate, latencies, wrong = asyncio.run(run(workers, server, Path(tmp)))
                q = statistics.quantiles(latencies, n=100)
                print(f"{workers:>8}{rate:>12.0f}{q[49] * 1000:>10.0f}{q[98] * 1000:>10.0f}{wrong:>13}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
