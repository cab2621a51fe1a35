"""Questions typed instead of commands get plain answers, with the user's own figures where they help."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chat import Chat


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.onboard(status="Married filing jointly", income="180000")
    for line in [
        "bought 50 AAPL at 150 on March 1 2025",
        "sold 20 AAPL at 140 on Feb 10 2026",  # a $200 loss...
        "bought 10 AAPL at 138 on Feb 20 2026",  # ...half of it a wash sale
        "bought 5 MSFT at 400 on Sep 1 2026",
    ]:
        c.send(line)
    return c


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("how much tax do I owe?", "Estimated federal tax these sales add: -$22.00."),
        ("What is a wash sale?", "In 2026 so far, $100.00 of your losses were wash sales."),
        ("when does my stock become long-term?", "5 MSFT bought Sep 1, 2026, on Sep 2, 2027 (in 283 days)"),
        ("how does the carryover work", "lowers your other income each year"),
        ("is this tax advice?", "not tax advice"),
        ("thanks!", "You're welcome"),
        ("can I use losses to offset my RSU income?", "common belief"),
        ("do ISOs get taxed when I exercise?", "alternative minimum tax"),
    ],
)
def test_questions_get_plain_answers(chat: Chat, question: str, answer: str) -> None:
    before = chat.service.state(1)
    assert answer in chat.send(question)
    assert chat.service.state(1).trades == before.trades  # a question records nothing


def test_anything_else_gets_the_hint(chat: Chat) -> None:
    assert "I didn't understand that" in chat.send("tell me a joke")


def test_questions_before_any_trade(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    assert "Record your sales with /sell" in chat.send("how much tax do I owe?")
    assert "short-term" in chat.send("what's the difference between short term and long term?")
