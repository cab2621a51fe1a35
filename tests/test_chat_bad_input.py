"""Bad input at every step: a clear message, and nothing saved changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.chat import Chat


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.send("/buy 10 XYZ 20 2024-01-10")
    return c


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/buy 0 XYZ 20 2024-01-10", "zero shares isn't a trade"),
        ("/buy -5 XYZ 20 2024-01-10", "always positive"),
        ("/buy 5 XYZ 20 2031-01-10", "in the future"),
        ("/buy 5 XYZ 20 tomorrow", "in the future"),
        ("/buy 5 XYZ 20 2024-13-45", "couldn't read"),
        ("/sell 5 XYZ 20 2023-01-10", "held 0 XYZ"),  # a sale before the purchase
        ("/sell 50 XYZ 20 2024-05-10", "on May 10, 2024 you held 10 XYZ, so you can't sell 50"),
        ("/sell 5 ABC 20 2024-05-10", "held 0 ABC"),
        ("/whatif sell 50 XYZ 30", "on Nov 23, 2026 you held 10 XYZ, so you can't sell 50"),
        ("/buy 5 XYZ", "missing the price"),
        ("/buy", "Which stock"),
        ("/buy 5 !!! 20", "missing the symbol"),
        ("/buy 5 XYZ 20 #3", "didn't understand"),
        ("/gains 1999", "can't do that year"),
        ("/edit 99 price 3", "no trade #99"),
        ("/delete", "Which one"),
        ("/frobnicate", "don't know /frobnicate"),
        ("asdf qwer", "didn't understand"),
        ("x" * 5000, "too long"),
    ],
)
def test_bad_line_gets_a_clear_message_and_changes_nothing(chat: Chat, line: str, expected: str) -> None:
    before = chat.service.state(1).trades
    assert expected.lower() in chat.send(line).lower()
    assert chat.restart().service.state(1).trades == before


@pytest.mark.parametrize(
    ("answers", "bad", "expected"),
    [
        (["/sell"], "ABC", "don't hold any ABC"),
        (["/sell"], "not a ticker!", "doesn't look like a ticker"),
        (["/sell", "XYZ"], "2023-01-01", "didn't hold any XYZ yet"),
        (["/buy", "XYZ"], "someday", "couldn't read"),
        (["/buy", "XYZ"], "2099-01-01", "in the future"),
        (["/buy", "XYZ"], "tomorrow", "in the future"),
        (["/buy", "XYZ", "2024-02-01"], "-3", "more than zero"),
        (["/buy", "XYZ", "2024-02-01"], "lots", "couldn't read"),
        (["/buy", "XYZ", "2024-02-01", "5"], "free", "couldn't read"),
        (["/buy", "XYZ", "2024-02-01", "5"], "0", "more than zero"),
        (["/buy", "XYZ", "2024-02-01", "5", "20"], "-1", "can't be negative"),
        (["/sell", "XYZ", "2024-02-01", "50", "20"], "0", "can't sell 50"),
        (["/start"], "1850", "I know the tax law for"),
        (["/start", "2026"], "married", "Tap one of the filing statuses"),
        (["/start", "2026", "single"], "lots of money", "couldn't read"),
        (["/start", "2026", "single", "5000"], "12", "two amounts"),
    ],
)
def test_bad_answer_at_each_step_keeps_the_question(chat: Chat, answers: list[str], bad: str, expected: str) -> None:
    for answer in answers:
        chat.send(answer)
    wizard = chat.service.state(1).wizard
    trades = chat.service.state(1).trades
    assert expected.lower() in chat.send(bad).lower()
    after = chat.restart().service.state(1)
    assert after.trades == trades
    if expected != "can't sell 50":
        assert after.wizard == wizard  # still at the same question


def test_empty_answer(chat: Chat) -> None:
    chat.send("/buy")
    assert "empty" in chat.send("   ").lower()


def test_stale_button_changes_nothing(chat: Chat) -> None:
    assert "closed" in chat.press("status:mfj")
    assert chat.service.state(1).profile.years.resolve(2026).filing_status == "single"
    assert "expired" in chat.press("nonsense:1")


def test_duplicate_event_is_handled_once(chat: Chat) -> None:
    first = chat.send("/buy 5 ABC 7 2024-02-01", event_id="update-42")
    # A redelivery gets the same answer again (the first may never have arrived), and changes nothing.
    assert chat.send("/buy 5 ABC 7 2024-02-01", event_id="update-42") == first
    assert chat.restart().send("/buy 5 ABC 7 2024-02-01", event_id="update-42") == first
    assert len(chat.restart().service.state(1).trades) == 2


def test_an_event_that_changes_nothing_is_recorded_alone_and_handled_once(chat: Chat) -> None:
    conn = chat.service.store.db.conn
    changes = conn.total_changes
    assert "/portfolio" in chat.send("/help", event_id="update-43")
    assert conn.total_changes == changes + 1  # the event id; the user's row isn't written again
    help_text = chat.send("/help", event_id="update-43")  # redelivered: the kept answer, nothing written
    assert "/portfolio" in help_text and conn.total_changes == changes + 1
    assert chat.restart().send("/help", event_id="update-43") == help_text


def test_button_pressed_twice_undoes_once(chat: Chat) -> None:
    chat.send("/buy 5 ABC 7 2024-02-01")
    data = chat.last[0].buttons[0][0].data
    chat.press(data)
    assert "nothing to undo" in chat.press(data).lower()
    assert len(chat.service.state(1).trades) == 1


def test_restart_mid_wizard_resumes_the_same_question(chat: Chat) -> None:
    chat.send("/buy")
    chat.send("ABC")
    chat.send("2024-02-01")
    later = chat.restart()
    assert later.service.state(1).wizard is not None
    assert "price" in later.send("5")
    assert "fees" in later.send("7")
    assert "Saved" in later.send("0")


def test_users_are_isolated(tmp_path: Path) -> None:
    alice = Chat(tmp_path / "cgt.db", user_id=1)
    bob = Chat(tmp_path / "cgt.db", user_id=2)
    alice.send("/buy 5 ABC 7 2024-02-01")
    assert "No trades" in bob.send("/trades")
    assert "no trade #1" in bob.send("/edit 1 price 3").lower()
    assert "question is closed" in bob.press("del:T1")
    assert "nothing to undo" in bob.press("undo:T1").lower()
    assert len(alice.service.state(1).trades) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_text_gets_an_answer(chat: Chat, text: str) -> None:
    before = chat.service.state(1).trades
    reply = chat.send(text)
    assert reply.strip()
    if (
        not text.strip()
        .lower()
        .startswith(("/buy", "/sell", "buy", "sell", "bought", "sold", "/undo", "undo", "/forget"))
    ):
        assert chat.service.state(1).trades == before
