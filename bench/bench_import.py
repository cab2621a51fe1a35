"""Importing a 20,000-row broker file through the whole chat (ChatService, SQLite): a complete
history, and the same file starting mid-way (half its purchases removed, so 5,000 sales sell
shares it never shows bought), through the preview, "Add without those sales" and "Add"."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from bench.bench_forms import schwab_csv
from conversations.events import Event, FileIn
from conversations.files.importers import MAX_ROWS
from tests.chat import NOW, Chat


def mid_way(content: bytes) -> bytes:
    """Drop every purchase of the even-numbered symbols ("S12X")."""
    header, *rows = content.decode().splitlines()
    kept = [row for row in rows if not ('"Buy"' in row and int(row.split('"S')[1].split("X")[0]) % 2 == 0)]
    return "\n".join([header, *kept]).encode()


def run(label: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        chat = Chat(Path(folder) / "cgt.db")
        chat.onboard()
        start = time.perf_counter()
        chat._run(Event(kind="file", id="file-1", now=NOW, file=FileIn(name="history.csv", content=content)))
        preview = time.perf_counter() - start
        labels = [b.label for reply in chat.last for row in reply.buttons for b in row]
        without = 0.0
        if labels and labels[0].startswith("Add without"):
            start = time.perf_counter()
            chat.tap("Add without")
            without = time.perf_counter() - start
        start = time.perf_counter()
        chat.tap("Add")
        add = time.perf_counter() - start
        saved = len(chat.service.state(1).trades)
    print(f"{label:<40} {preview:>8.2f} {without:>9.2f} {add:>6.2f}  {saved:,} trades saved")


def main() -> None:
    content = schwab_csv(MAX_ROWS, random.Random(8949))
    print(f"{'file (20,000 rows)':<40} {'preview':>8} {'without':>9} {'add':>6}  (seconds)")
    run("whole history", content)
    run("mid-way: half the purchases missing", mid_way(content))


if __name__ == "__main__":
    main()
