"""Smaller edges: an over-long /import path, exported files' permissions, a private chat that isn't the sender's."""

from __future__ import annotations

import io
import stat
from pathlib import Path

from telegram import Update

from bot.console import chat
from bot.service import ChatService
from bot.telegram import GROUP_REPLY
from tests.emulator import Emulator
from tests.test_telegram_e2e import make_app


def test_an_over_long_import_path_is_answered_not_fatal(tmp_path: Path) -> None:
    out = io.StringIO()
    service = ChatService(tmp_path / "cgt.db")
    lines = ["/import " + "x" * 300 + "\n", "/import /no/such/" + "y/" * 400 + ".csv\n", "/help\n"]
    chat(service, 1, lines, out, tmp_path / "out")
    text = out.getvalue()
    assert text.count("I couldn't open the file") == 2
    assert "/buy" in text  # the chat went on to answer /help


def test_files_the_terminal_writes_are_owner_only(tmp_path: Path) -> None:
    out = io.StringIO()
    service = ChatService(tmp_path / "cgt.db")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "cgt-trades.csv").write_text("old")
    (folder / "cgt-trades.csv").chmod(0o644)  # left by an older version
    chat(
        service,
        1,
        ["/buy 1 XYZ 20 2024-01-10\n", "/sell 1 XYZ 25 2024-02-10\n", "/export\n", "/form8949 2024\n"],
        out,
        folder,
    )
    written = sorted(folder.iterdir())
    assert {p.name for p in written} >= {"cgt-trades.csv", "form8949-2024.csv", "form8949-2024.pdf"}
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert (folder / "cgt-trades.csv").read_text().startswith("number,")


async def test_a_private_chat_that_is_not_the_senders_gets_nothing(tmp_path: Path) -> None:
    emulator = Emulator()
    app = make_app(emulator, tmp_path / "cgt.db")
    async with app:
        await app.post_init(app)  # type: ignore[misc]
        await app.process_update(Update.de_json(emulator.text_update(50, "/buy 5 ABC 7 2024-02-01"), app.bot))
        forged = emulator.text_update(50, "/trades")
        forged["message"]["chat"]["id"] = 51  # someone else's private chat, the sender 50
        await app.process_update(Update.de_json(forged, app.bot))
        button = emulator.button_update(50, "del:T1")
        button["callback_query"]["message"]["chat"]["id"] = 51
        await app.process_update(Update.de_json(button, app.bot))
    assert emulator.texts(51) == [GROUP_REPLY]  # no trades of user 50 sent to chat 51
    assert "ABC" not in "".join(emulator.texts(51))
    assert len(ChatService(tmp_path / "cgt.db").state(50).trades) == 1
