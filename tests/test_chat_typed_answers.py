""" "Save", "yes" or "change" typed as people answer on a phone: to the open question when it takes
typed answers, and otherwise a reply that says nothing is waiting and what to do, never "I didn't
understand that"."""

from __future__ import annotations

import pytest

from conversations.words import yes_or_no
from tests.chat import Chat, trades


@pytest.mark.parametrize("typed", ["Save", "yes", "Yes!", "yes please", "save it", "y", "sure", "ja"])
def test_a_yes_with_nothing_asked_says_nothing_is_waiting_and_how_to_save_a_trade(chat: Chat, typed: str) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    reply = chat.send(typed)
    assert "nothing waiting to be saved" in reply and "send it again" in reply
    assert "didn't understand" not in reply
    assert len(trades(chat)) == 1


@pytest.mark.parametrize("typed", ["change", "no", "Nope.", "change it", "cancel"])
def test_a_no_with_nothing_asked_says_nothing_changed_and_how_to_change_a_trade(chat: Chat, typed: str) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    reply = chat.send(typed)
    assert "nothing changed" in reply and "/edit" in reply
    assert "didn't understand" not in reply
    assert trades(chat) == [("buy", "XYZ", 10, 20)]


def test_a_second_yes_after_the_guess_was_saved_saves_nothing_twice(chat: Chat) -> None:
    chat.send("bought $1,500 of AAPL at 150 yesterday")
    assert "Saved" in chat.send("yes please")  # typed answers take polite words too
    assert "nothing waiting to be saved" in chat.send("yes")
    assert trades(chat) == [("buy", "AAPL", 10, 150)]


def test_save_it_typed_answers_an_open_guess(chat: Chat) -> None:
    chat.send("bought $1,500 of AAPL at 150 yesterday")
    chat.send("save it")
    assert trades(chat) == [("buy", "AAPL", 10, 150)]


def test_a_typed_yes_to_a_question_answered_by_buttons_points_at_the_buttons(chat: Chat) -> None:
    chat.send("/buy 10 XYZ 20 2024-01-10")
    chat.send("/delete 1")
    (yes,) = [b.data for r in chat.last for row in r.buttons for b in row if b.label == "Yes, delete"]
    reply = chat.send("yes")
    assert "tap one of its buttons" in reply
    assert trades(chat) == [("buy", "XYZ", 10, 20)]  # a typed yes never deletes
    chat.press(yes)  # the question is still open
    assert trades(chat) == []


def test_what_counts_as_a_typed_yes_or_no() -> None:
    assert [yes_or_no(t) for t in ("OK", "Yes, save it", "no thanks", "Change")] == [True, True, False, False]
    # Not answers: a trade, a question, both at once, politeness alone, anything longer.
    for text in ("yes 10 AAPL", "no idea what my gains are", "yes no", "please", "save me some tax please", ""):
        assert yes_or_no(text) is None, text
