"""The terminal chat: numbered buttons, piped input, a rejected answer keeps its options."""

from __future__ import annotations

import io
from pathlib import Path

from bot.console import chat
from bot.service import ChatService


def transcript(db: Path, lines: list[str], tmp: Path) -> str:
    out = io.StringIO()
    chat(ChatService(db), 1, [line + "\n" for line in lines], out, tmp / "out")
    return out.getvalue()


def test_a_number_picks_the_button_even_after_a_rejected_answer(tmp_path: Path) -> None:
    # Year, status, income, carryover by number; then a bad time zone, then option 1 (keep the default).
    text = transcript(tmp_path / "cgt.db", ["/start", "2", "1", "50000", "1", "Mars/Olympus", "1"], tmp_path)
    assert "I don't know the time zone “Mars/Olympus”" in text
    assert "time zone “1”" not in text
    profile = ChatService(tmp_path / "cgt.db").state(1).profile
    assert profile.onboarded
    assert profile.timezone == "America/New_York"
    assert profile.years.resolve(2026).filing_status == "single"


def test_numbers_do_not_outlive_a_finished_question(tmp_path: Path) -> None:
    # After /help (no open question) "1" is plain text, not a stale tap on an old button.
    text = transcript(tmp_path / "cgt.db", ["/buy 10 XYZ 20 2024-01-10", "/help", "1"], tmp_path)
    assert "Undone" not in text
    assert len(ChatService(tmp_path / "cgt.db").state(1).trades) == 1


def test_exit_leaves_the_terminal_chat_and_nothing_after_it_is_read(tmp_path: Path) -> None:
    text = transcript(tmp_path / "cgt.db", ["/buy 10 XYZ 20 2024-01-10", "exit", "/buy 5 XYZ 21 2024-01-11"], tmp_path)
    assert "Which stock?" not in text  # "exit" was not read as a sale
    assert len(ChatService(tmp_path / "cgt.db").state(1).trades) == 1
