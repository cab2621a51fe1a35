"""A local Telegram Bot API emulator for end-to-end tests, plugged in through httpx.MockTransport.

python-telegram-bot's real request path (HTTPXRequest, its encoding and error
handling) runs unchanged; only the socket is replaced. Every call is recorded
per chat so tests read a transcript. Telegram's real errors are returned where
a real bot would hit them. getUpdates behaves as Telegram's: at most `limit`
(100) updates a call, confirmed ones forgotten, and a call with a `timeout` waits
until an update is queued (long polling).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as email_policy
from typing import Any
from urllib.parse import parse_qsl

import httpx

from tests.telegram_html import BadHtml, parse

BOT_ID = 777000111
TOKEN = f"{BOT_ID}:AAH-test-token-for-the-emulator-only-xyz"


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class Emulator:
    calls: list[Call] = field(default_factory=list)
    by_chat: dict[int, list[Call]] = field(default_factory=lambda: defaultdict(list))
    files: dict[str, bytes] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[tuple[int, int], str] = field(default_factory=dict)
    flood_once: set[str] = field(default_factory=set)  # methods that answer 429 once
    fail_once: dict[str, str] = field(default_factory=dict)  # method -> a 400 description, answered once
    waiting_polls: int = 0  # getUpdates calls waiting for an update
    reject_token: bool = False  # every call answers 401 Unauthorized, as for a revoked token
    unreachable: bool = False  # every call fails to connect
    # method -> how many calls are answered before the rest hang (a bot to be killed mid-call);
    # release() lets the hanging ones finish.
    answer_first: dict[str, int] = field(default_factory=dict)
    offsets_asked: list[int] = field(default_factory=list)  # getUpdates offsets, as each call arrives
    languages: dict[int, str] = field(default_factory=dict)  # user id -> the language_code their app reports
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)  # an update was queued
    # Message ids count per chat, as Telegram's do in private chats: two users' first messages are both 1.
    _message_ids: dict[int, itertools.count[int]] = field(
        default_factory=lambda: defaultdict(lambda: itertools.count(1))
    )
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    # --- building updates ---------------------------------------------------------------
    def queue(self, *updates: dict[str, Any]) -> None:
        """Updates for the bot to fetch with getUpdates; a long poll waiting for one returns."""
        self.updates.extend(updates)
        self._arrived.set()

    def user(self, user_id: int, language: str = "en") -> dict[str, Any]:
        language = self.languages.get(user_id, language)
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": language}

    def text_update(
        self, user_id: int, text: str, chat_type: str = "private", update_id: int | None = None
    ) -> dict[str, Any]:
        chat_id = user_id if chat_type == "private" else -user_id
        message = {
            "message_id": next(self._message_ids[chat_id]),
            "date": 1795446000,
            "chat": {"id": chat_id, "type": chat_type},
            "from": self.user(user_id),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": update_id if update_id is not None else next(self._update_ids), "message": message}

    def edit_update(self, sent: dict[str, Any], text: str, update_id: int | None = None) -> dict[str, Any]:
        """The user edits a message they sent (`sent` is the update that brought it): Telegram sends the
        whole message again as `edited_message`, with its own update id and an edit date."""
        message = {**sent["message"], "text": text, "edit_date": sent["message"]["date"] + 60}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        else:
            message.pop("entities", None)
        return {"update_id": update_id if update_id is not None else next(self._update_ids), "edited_message": message}

    def button_update(self, user_id: int, data: str, message_id: int = 1) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._update_ids)),
                "from": self.user(user_id),
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": 1795446000,
                    "chat": {"id": user_id, "type": "private"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "cgt"},
                    "text": self.messages.get((user_id, message_id), "…"),
                },
            },
        }

    def document_update(self, user_id: int, name: str, content: bytes) -> dict[str, Any]:
        file_id = f"file{len(self.files)}"
        self.files[file_id] = content
        return {
            "update_id": next(self._update_ids),
            "message": {
                "message_id": next(self._message_ids[user_id]),
                "date": 1795446000,
                "chat": {"id": user_id, "type": "private"},
                "from": self.user(user_id),
                "document": {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_name": name,
                    "file_size": len(content),
                },
            },
        }

    # --- reading what the bot did -------------------------------------------------------
    def texts(self, chat_id: int) -> list[str]:
        """What the user sees, message by message (HTML read as Telegram shows it)."""
        return [_shown(c.params)[0] for c in self.by_chat[chat_id] if c.method in ("sendMessage", "editMessageText")]

    def buttons(self, chat_id: int) -> list[list[dict[str, str]]]:
        for call in reversed(self.by_chat[chat_id]):
            markup = call.params.get("reply_markup")
            if markup:
                return json.loads(markup)["inline_keyboard"] if isinstance(markup, str) else markup["inline_keyboard"]
        return []

    def release(self) -> None:
        """Calls stop hanging, and none hangs from now on."""
        self.answer_first.clear()
        self._released.set()

    # --- the transport ------------------------------------------------------------------
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._serve)

    async def _serve(self, request: httpx.Request) -> httpx.Response:
        if self.unreachable:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if self.reject_token:
            return self._error(401, "Unauthorized")
        method = request.url.path.rsplit("/", 1)[-1]
        if method in self.answer_first:
            if self.answer_first[method] <= 0:
                await self._released.wait()
                return self._error(502, "Bad Gateway")  # the caller is long dead
            self.answer_first[method] -= 1
        if request.url.path.endswith("/getUpdates"):
            params = self._params(request)
            offset = int(params.get("offset") or 0)
            self.offsets_asked.append(offset)
            if offset:  # Telegram forgets what is confirmed when the call arrives, not when it is answered
                self.updates[:] = self._pending(offset)
            timeout = float(params.get("timeout") or 0)
            if timeout > 0 and not self._pending(int(params.get("offset") or 0)):
                self._arrived.clear()
                self.waiting_polls += 1
                try:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._arrived.wait(), timeout)
                finally:
                    self.waiting_polls -= 1
        return self.handle(request)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if "/file/bot" in path:
            return httpx.Response(200, content=self.files[path.rsplit("/", 1)[-1]])
        method = path.rsplit("/", 1)[-1]
        params = self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        chat_id = params.get("chat_id")
        if chat_id is not None:
            self.by_chat[int(chat_id)].append(call)
        if method in self.flood_once:
            self.flood_once.discard(method)
            return self._error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        if method in self.fail_once:
            return self._error(400, f"Bad Request: {self.fail_once.pop(method)}")
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return self._ok(True)
        return handler(params)

    def _params(self, request: httpx.Request) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "")
        body = request.read()
        if content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=email_policy).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
            )
            params: dict[str, Any] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                params[str(name)] = payload if part.get_filename() else payload.decode()
            return params
        if content_type.startswith("application/json"):
            return json.loads(body or b"{}")
        return dict(parse_qsl(body.decode()))

    @staticmethod
    def _ok(result: Any) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "result": result})

    @staticmethod
    def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> httpx.Response:
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        return httpx.Response(code, json=body)

    def _message(self, chat_id: int, text: str) -> dict[str, Any]:
        message_id = next(self._message_ids[chat_id])
        self.messages[(chat_id, message_id)] = text
        return {
            "message_id": message_id,
            "date": 1795446000,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "cgt"},
            "text": text,
        }

    def api_leaveChat(self, _: dict[str, Any]) -> httpx.Response:
        return self._ok(True)

    def api_getMe(self, _: dict[str, Any]) -> httpx.Response:
        return self._ok({"id": BOT_ID, "is_bot": True, "first_name": "cgt", "username": "cgt_test_bot"})

    def _pending(self, offset: int) -> list[dict[str, Any]]:
        return [u for u in self.updates if u["update_id"] >= offset]

    def api_getUpdates(self, params: dict[str, Any]) -> httpx.Response:
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates[:] = self._pending(offset)  # confirmed: Telegram forgets them
        limit = min(int(params.get("limit") or 100), 100)
        return self._ok(self._pending(offset)[:limit])

    def api_sendMessage(self, params: dict[str, Any]) -> httpx.Response:
        text, refused = _shown(params)
        if refused:
            return self._error(400, f"Bad Request: can't parse entities: {refused}")
        if len(text) > 4096:  # counted after the entities are parsed, as Telegram does
            return self._error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        if markup:
            keyboard = json.loads(markup) if isinstance(markup, str) else markup
            for row in keyboard.get("inline_keyboard", []):
                for button in row:
                    if len(button.get("callback_data", "").encode()) > 64:
                        return self._error(400, "Bad Request: BUTTON_DATA_INVALID")
        return self._ok(self._message(int(params["chat_id"]), text))

    def api_editMessageText(self, params: dict[str, Any]) -> httpx.Response:
        key = (int(params["chat_id"]), int(params["message_id"]))
        text, refused = _shown(params)
        if refused:
            return self._error(400, f"Bad Request: can't parse entities: {refused}")
        if self.messages.get(key) == text:
            return self._error(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
            )
        self.messages[key] = text
        return self._ok(self._message(key[0], text))

    def api_sendDocument(self, params: dict[str, Any]) -> httpx.Response:
        return self._ok(
            {**self._message(int(params["chat_id"]), ""), "document": {"file_id": "d", "file_unique_id": "d"}}
        )

    def api_sendPhoto(self, params: dict[str, Any]) -> httpx.Response:
        photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        return self._ok({**self._message(int(params["chat_id"]), ""), "photo": photo})

    def api_getFile(self, params: dict[str, Any]) -> httpx.Response:
        file_id = params["file_id"]
        return self._ok(
            {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]), "file_path": file_id}
        )


def _shown(params: dict[str, Any]) -> tuple[str, str]:
    """A message's text as Telegram shows it, and why Telegram would refuse it ("" when it wouldn't)."""
    text = str(params.get("text", ""))
    if str(params.get("parse_mode", "")).upper() != "HTML":
        return text, ""
    try:
        return parse(text), ""
    except BadHtml as error:
        return text, str(error)


def serve_http(emulator: Emulator, port: int) -> Any:
    """The emulator on a real socket (127.0.0.1:port), for bot processes started by a test
    (TELEGRAM_BASE_URL=http://127.0.0.1:port). Runs on the caller's event loop; returns the server."""
    import tornado.httpserver
    import tornado.web

    class Api(tornado.web.RequestHandler):
        async def _any(self) -> None:
            request = httpx.Request(
                self.request.method or "POST",
                f"http://127.0.0.1:{port}{self.request.uri}",
                headers=dict(self.request.headers),
                content=self.request.body,
            )
            response = await emulator._serve(request)
            self.set_status(response.status_code)
            self.set_header("Content-Type", response.headers.get("content-type", "application/json"))
            self.write(response.content)

        async def get(self, *_: str) -> None:
            await self._any()

        async def post(self, *_: str) -> None:
            await self._any()

    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/(.*)", Api)]))
    server.listen(port, address="127.0.0.1")
    return server
