"""What goes into and comes out of a conversation, free of any transport.

A front end (Telegram, the terminal, a test) turns what the user did into an
Event, and shows each Reply as it can: buttons as an inline keyboard or as
numbered options, files as documents or photos.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from conversations import markup

# Telegram's hard limit on callback data; every Button must fit it.
MAX_CALLBACK_BYTES = 64


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileIn(_Model):
    name: str
    content: bytes


class Event(_Model):
    """One thing the user did.

    `id` identifies the delivery (Telegram's update_id, a line counter in the
    terminal): the same id seen twice is processed once. An "edit" is a message the user
    changed after sending it: `message` names that message, `text` is what it says now (an
    edit is a delivery of its own, with its own id).
    """

    kind: Literal["text", "button", "file", "edit"]
    id: str
    now: datetime
    # The user's message this event is (text, file) or changed (edit): Telegram's message_id, which
    # counts per chat, so it means something only with the user's own state. "" where there is none.
    message: str = ""
    text: str = ""
    data: str = ""  # a pressed button's data
    file: FileIn | None = None  # for an edit of a file message: its name only, no content
    locale: str | None = None  # the language code the client reports, e.g. "en", "de"


class Button(_Model):
    label: str
    data: str

    @field_validator("data")
    @classmethod
    def _fits_telegram(cls, value: str) -> str:
        if len(value.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"button data over {MAX_CALLBACK_BYTES} bytes: {value!r}")
        return value


class FileOut(_Model):
    name: str
    content: bytes
    kind: Literal["document", "photo"] = "document"
    caption: str = ""


class Reply(_Model):
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()  # rows of buttons
    files: tuple[FileOut, ...] = ()
    # True: replace the message whose button was pressed rather than sending a new one.
    edit: bool = False
    # True: `text` is Telegram HTML (built with conversations/markup.py: bold headings, the rest escaped).
    html: bool = Field(default=False)

    def as_html(self) -> str:
        """The text in Telegram's HTML parse mode (a plain reply escaped whole)."""
        return markup.as_html(self.text, self.html)

    def as_plain(self) -> str:
        """The text as a screen without formatting shows it (the terminal, a saved answer)."""
        return markup.as_plain(self.text, self.html)
