"""A transcript driver for conversation tests: feed lines, read replies."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from bot.service import ChatService
from conversations.events import Event, Reply

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
_ids = itertools.count()


class Chat:
    def __init__(self, db: Path, user_id: int = 1, now: datetime = NOW, locale: str | None = None) -> None:
        self.db = db
        self.locale = locale  # the language Telegram would report
        self.service = ChatService(db)
        self.user_id = user_id
        self.now = now
        self.last: list[Reply] = []
        self.sent: list[str] = []  # the ids of the messages sent, in order

    def send(self, text: str, event_id: str | None = None) -> str:
        self.sent.append(str(len(self.sent) + 1))  # message ids count per chat, as Telegram's do
        return self._message("text", text, self.sent[-1], event_id)

    def edit(self, text: str, message: str | None = None, event_id: str | None = None) -> str:
        """The user changes a message they sent (the last one unless `message` names another)."""
        return self._message("edit", text, message or self.sent[-1], event_id)

    def _message(self, kind: Literal["text", "edit"], text: str, message: str, event_id: str | None) -> str:
        event_id = event_id or f"e{next(_ids)}"
        return self._run(Event(kind=kind, id=event_id, now=self.now, text=text, locale=self.locale, message=message))

    def tap(self, label: str) -> str:
        buttons = [b for r in self.last for row in r.buttons for b in row]
        match = [b for b in buttons if b.label.lower().startswith(label.lower())]
        assert match, f"no button {label!r} in {[b.label for b in buttons]}"
        return self.press(match[0].data)

    def press(self, data: str, event_id: str | None = None) -> str:
        return self._run(
            Event(kind="button", id=event_id or f"e{next(_ids)}", now=self.now, data=data, locale=self.locale)
        )

    def _run(self, event: Event) -> str:
        self.last = self.service.process(self.user_id, event)
        return "\n".join(r.as_plain() for r in self.last)  # as the user sees it

    def read_pages(self) -> str:
        """The answer just sent and, when it is paged (conversations/paging.py), every page after it,
        following its first "›" button and then Next: the whole answer as one text."""
        texts = ["\n".join(r.as_plain() for r in self.last)]
        more = [b for r in self.last for row in r.buttons for b in row if b.label.endswith("›")]
        if more and more[0].data.count(":") == 3:
            texts.append(self.press(more[0].data))
            while any(b.label == "Next ›" for r in self.last for row in r.buttons for b in row):
                texts.append(self.tap("Next ›"))
        return "\n".join(texts)

    def restart(self) -> Chat:
        chat = Chat(self.db, self.user_id, self.now, self.locale)
        chat.sent = self.sent  # the chat goes on: message ids keep counting
        return chat

    def onboard(self, status: str = "Single", income: str = "85000") -> None:
        self.send("/start")
        self.tap("2026")
        self.tap(status)
        self.send(income)
        self.tap("None")
        self.tap("Keep")


def trades(chat: Chat) -> list[tuple[str, str, Decimal, Decimal]]:
    """The user's trades as (side, symbol, shares, price), in the order stored."""
    return [(t.side, t.symbol, t.quantity, t.price) for t in chat.service.state(1).trades]
