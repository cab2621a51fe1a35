"""Old buttons: a destructive one pressed minutes later asks first; a confirmation answers only the
question it was sent with (issue 20: an old "Yes, delete everything" must not delete again)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.chat import Chat


def buttons(chat: Chat) -> dict[str, str]:
    return {b.label: b.data for r in chat.last for row in r.buttons for b in row}


def test_a_fresh_undo_acts_at_once(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-01-05")
    assert "Undone: #1" in chat.tap("Undo")
    assert chat.service.state(1).trades == ()


def test_an_undo_pressed_minutes_later_asks_first(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-01-05")
    undo = buttons(chat)["Undo"]
    chat.now += timedelta(minutes=19)
    asked = chat.press(undo)
    assert "from 19 minutes ago" in asked and "Undo #1 buy 10 AAPL" in asked
    assert len(chat.service.state(1).trades) == 1  # nothing removed yet
    yes = buttons(chat)["Yes, undo it"]
    assert "Kept" in chat.tap("Keep it")
    assert "That question is closed" in chat.press(yes)  # kept: its yes is dead
    assert len(chat.service.state(1).trades) == 1
    chat.press(undo)
    assert "Undone: #1" in chat.tap("Yes, undo it")
    assert chat.service.state(1).trades == ()


def test_an_old_yes_delete_everything_does_not_delete_again(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-01-05")
    chat.send("/forget")
    old_yes = buttons(chat)["Yes, delete everything"]
    assert "everything about you is deleted" in chat.press(old_yes)
    chat.onboard()
    chat.send("/buy 5 MSFT 400 2026-01-05")
    assert "That question is closed" in chat.press(old_yes)
    assert len(chat.service.state(1).trades) == 1
    chat.send("/forget")
    chat.send("/trades")  # the question stays open until answered or replaced
    assert "That question is closed" in chat.press(old_yes)


def test_a_delete_confirmation_answers_only_its_own_question(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-01-05")
    chat.send("/buy 5 MSFT 400 2026-01-06")
    chat.send("/delete 1")
    first = buttons(chat)["Yes, delete"]
    chat.send("/delete 2")
    second = buttons(chat)["Yes, delete"]
    assert "That question is closed" in chat.press(first)  # it asked about #1, #2's question is open
    assert "Deleted: #2" in chat.press(second)
    assert [t.symbol for t in chat.service.state(1).trades] == ["AAPL"]


def test_undo_this_import_later_asks_first(chat: Chat, tmp_path: Path) -> None:
    from tests.test_forms_import import FIXTURES, file_event

    chat._run(file_event("generic.csv", (FIXTURES / "generic.csv").read_bytes(), 1))
    chat.tap("Add 2 trades")
    undo = buttons(chat)["Undo this import"]
    for line in ("/portfolio", "/gains", "/trades"):
        chat.send(line)
    chat.now += timedelta(hours=3)
    assert "from 3 hours ago" in chat.press(undo) and len(chat.service.state(1).trades) == 2
    assert "removed the 2 imported trades" in chat.tap("Yes, undo the import")
