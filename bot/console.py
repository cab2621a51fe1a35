"""The terminal chat: the same conversations as Telegram, one line in, replies out.

Buttons show as numbered options; answer with the number or the label. Works
with piped input too (one reply block per line, ends at end of input).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.service import ChatService
from conversations.events import Button, Event, FileIn, Reply

LOCAL_USER = 1


def render(reply: Reply, out: TextIO, files_dir: Path) -> list[Button]:
    """Print one reply; return its buttons in the order they were numbered."""
    print(reply.as_plain(), file=out)  # no formatting in a terminal: tags off, entities read
    buttons = [button for row in reply.buttons for button in row]
    for number, button in enumerate(buttons, start=1):
        print(f"  [{number}] {button.label}", file=out)
    for file in reply.files:
        target = write_private(files_dir, file.name, file.content)
        print(f"  (saved {target})", file=out)
    return buttons


def write_private(folder: Path, name: str, content: bytes) -> Path:
    """A file the bot sends, written readable by its owner only (like the database: it is financial data)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / Path(name).name  # a bare name: never a path out of the folder
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)  # an older file with wider permissions is narrowed too
        handle.write(content)
    return target


QUIT = frozenset({"exit", "quit", "/exit", "/quit"})


def to_event(line: str, buttons: list[Button], number: int) -> Event:
    now = datetime.now(UTC)
    event_id = f"console-{time.time_ns()}-{number}"
    text = line.strip()
    choice = next(
        (b for i, b in enumerate(buttons, start=1) if text == str(i) or text.lower() == b.label.lower()),
        None,
    )
    if choice is not None:
        return Event(kind="button", id=event_id, now=now, data=choice.data)
    if text.lower().startswith("/import "):
        path = Path(text[8:].strip()).expanduser()
        try:
            if path.is_file():
                content = path.read_bytes()
                return Event(kind="file", id=event_id, now=now, file=FileIn(name=path.name, content=content))
        except OSError:  # a name too long, no permission: /import answers that it couldn't open it
            pass
    return Event(kind="text", id=event_id, now=now, text=line.rstrip("\n"))


def chat(service: ChatService, user_id: int, lines: Iterable[str], out: TextIO, files_dir: Path) -> None:
    buttons: list[Button] = []
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        if line.strip().lower() in QUIT:
            return  # what people type to leave a terminal program (in Telegram "exit" may mean a sale)
        print(f"> {line.rstrip()}" if not sys.stdin.isatty() else "", file=out) if out is not sys.stdout else None
        asked = service.state(user_id).wizard
        replies = service.process(user_id, to_event(line, buttons, number))
        shown: list[Button] = []
        for reply in replies:
            shown = render(reply, out, files_dir) or shown
        # A rejected answer leaves its question open: its numbered options still count.
        buttons = shown or (buttons if asked is not None and service.state(user_id).wizard == asked else [])
        print(file=out)
        out.flush()


def run(db: Path | str, user_id: int = LOCAL_USER, stdin: TextIO | None = None, out: TextIO | None = None) -> None:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    service = ChatService(db)
    interactive = stdin.isatty()
    if interactive:
        print(
            f"cgt-bot in the terminal (data in {service.store.db.where}). Type /help, or /start to begin; exit or Ctrl-D to quit.\n",
            file=out,
        )
        wizard = service.state(user_id).wizard
        if wizard is not None:
            print("(You were in the middle of a question; answer it, or /cancel.)\n", file=out)
    try:
        chat(service, user_id, _lines(stdin, interactive), out, Path.cwd() / "out")
    except KeyboardInterrupt:
        print(file=out)


def _lines(stdin: TextIO, interactive: bool) -> Iterable[str]:
    while True:
        if interactive:
            try:
                line = input("you> ")
            except EOFError:
                return
        else:
            line = stdin.readline()
            if not line:
                return
        yield line
