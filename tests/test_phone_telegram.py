"""Pages and HTML through python-telegram-bot and the Bot API emulator, as a phone gets them."""

from __future__ import annotations

from pathlib import Path

from tests.emulator import Emulator
from tests.test_telegram_e2e import feed, make_app

USER = 41


async def test_a_page_button_edits_its_message_in_place_in_html(tmp_path: Path) -> None:
    emulator = Emulator()
    app = make_app(emulator, tmp_path / "cgt.db", rate_limit=False)
    async with app:
        for i in range(36):
            ticker = ("AAA", "BBB", "CCC")[i % 3]
            await feed(app, emulator.text_update(USER, f"/buy {i + 1} {ticker} {10 + i} 2025-0{1 + i % 9}-1{i % 10}"))
        await feed(app, emulator.text_update(USER, "/portfolio"))
        summary = [c for c in emulator.by_chat[USER] if c.method == "sendMessage"][-1]
        assert summary.params["parse_mode"] == "HTML" and summary.params["text"].startswith("<b>Your holdings</b>")
        shown = emulator.texts(USER)[-1]
        assert shown.startswith("Your holdings\n36 lots of 3 symbols") and len(shown) <= 1200
        message_id = max(key[1] for key in emulator.messages if key[0] == USER)
        # The emulator dates messages 2026-11-23 and a press is now: pages made today differ from the
        # summary made then, so the first press says so and shows the answer as it is now.
        await feed(app, emulator.button_update(USER, _data("Lots by symbol ›", emulator), message_id=message_id))
        assert emulator.texts(USER)[-1].startswith("That answer has changed since")
        pages: list[str] = []
        label = "Lots by symbol ›"
        while label:
            await feed(app, emulator.button_update(USER, _data(label, emulator), message_id=message_id))
            edit = emulator.by_chat[USER][-1]
            assert edit.method == "editMessageText" and int(edit.params["message_id"]) == message_id
            assert edit.params["parse_mode"] == "HTML" and "<b>" in edit.params["text"]
            pages.append(emulator.messages[(USER, message_id)])
            label = "Next ›" if "Next ›" in [b["text"] for row in emulator.buttons(USER) for b in row] else ""
        assert len(pages) >= 3 and all(len(page) <= 1200 for page in pages)
        assert sum(page.count("\n• ") for page in pages) == 36  # every lot once


def _data(label: str, emulator: Emulator) -> str:
    return next(b["callback_data"] for row in emulator.buttons(USER) for b in row if b["text"] == label)


async def test_hostile_text_reaches_the_phone_as_typed(tmp_path: Path) -> None:
    emulator = Emulator()
    app = make_app(emulator, tmp_path / "cgt.db", rate_limit=False)
    async with app:
        for text in ("/<b>x</b>", "AT&T <3", "/portfolio </i>", "/gains <b>"):
            await feed(app, emulator.text_update(USER, text))
    refused = [c for c in emulator.calls if c.method == "sendMessage" and "parse_mode" not in c.params]
    assert not refused  # every answer went in HTML parse mode...
    texts = emulator.texts(USER)
    assert len(texts) == 4 and "<b>x</b>" in texts[0]  # ...and the emulator accepted it, shown as typed
