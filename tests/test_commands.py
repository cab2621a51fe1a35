"""The command table is the one source for the router, /help and the Telegram menu."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conversations.commands import BY_NAME, COMMANDS, MENU, SECTIONS
from tests.chat import Chat


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    return Chat(tmp_path / "cgt.db")


def test_every_command_is_in_help_once_and_nothing_else_is(chat: Chat) -> None:
    text = chat.send("/help")
    listed = re.findall(r"^/(\w+):", text, flags=re.MULTILINE)
    assert sorted(listed) == sorted(c.name for c in COMMANDS)
    assert len(BY_NAME) == len(COMMANDS)  # no name twice


def test_the_menu_comes_from_the_table() -> None:
    assert [name for name, _ in MENU] == [c.name for c in COMMANDS if c.menu]
    assert all(c.section in SECTIONS for c in COMMANDS)
    # Telegram's limits for a menu entry: 1-32 lowercase letters, digits, underscores; text 1-256.
    assert all(re.fullmatch(r"[a-z0-9_]{1,32}", name) and 1 <= len(text) <= 256 for name, text in MENU)


def test_help_keeps_the_open_question_and_another_command_closes_it(chat: Chat) -> None:
    chat.send("/buy")
    chat.send("/help")
    assert chat.send("/cancel").startswith("Cancelled")
    chat.send("/buy")
    chat.send("/portfolio")
    assert chat.send("/cancel").startswith("Nothing to cancel")
