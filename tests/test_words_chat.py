"""Free text through the whole conversation: exact trades save at once, guesses wait for Save,
questions are answered for the stock they name, typos get the closest command."""

from __future__ import annotations

import pytest

from tests.chat import Chat, trades


def test_an_exact_line_saves_at_once_with_undo(chat: Chat) -> None:
    reply = chat.send("picked up 25 MSFT @ 410 this morning")
    assert "Saved #1: bought 25 MSFT at $410.00 on Nov 23, 2026" in reply
    assert [b.label for r in chat.last for row in r.buttons for b in row] == ["Undo"]
    assert trades(chat) == [("buy", "MSFT", 25, 410)]


@pytest.mark.parametrize(
    ("line", "shown", "saved"),
    [
        (
            "Bought 10 shares of Apple at $150.00",
            "Bought 10 AAPL (Apple Inc.) at $150.00 today",
            ("buy", "AAPL", 10, 150),
        ),
        (
            "bought $1500 of AAPL at 150 yesterday",
            "$1,500.00 at $150.00 a share is 10 shares",
            ("buy", "AAPL", 10, 150),
        ),
        ("/buy 10 AAPL 150", "Bought 10 AAPL at $150.00 today", ("buy", "AAPL", 10, 150)),
        ("bought 10 sofi at 13 yesterday", "I took that as the ticker SOFI", ("buy", "SOFI", 10, 13)),
    ],
)
def test_a_guess_is_shown_and_saved_only_on_save(chat: Chat, line: str, shown: str, saved: tuple[object, ...]) -> None:
    reply = chat.send(line)
    assert shown in reply and "save it?" in reply
    assert trades(chat) == []  # nothing stored before the yes
    assert "Saved #1" in chat.tap("Save")
    assert trades(chat) == [saved]


def test_change_saves_nothing_and_shows_how_to_write_it(chat: Chat) -> None:
    chat.send("Bought 10 shares of Apple at $150.00")
    reply = chat.tap("Change")
    assert "Nothing saved" in reply and "/buy 10 AAPL 150" in reply
    assert trades(chat) == []


def test_a_typed_yes_saves_and_an_old_save_button_is_closed(chat: Chat) -> None:
    chat.send("bought 10 Apple at 150 yesterday")
    old = next(b.data for r in chat.last for row in r.buttons for b in row if b.label == "Save")
    chat.send("bought 5 Microsoft at 400 yesterday")  # a new question replaces the first
    assert "That question is closed" in chat.press(old)
    assert "Saved #1: bought 5 MSFT" in chat.send("yes")
    assert "That question is closed" in chat.press(old)
    assert trades(chat) == [("buy", "MSFT", 5, 400)]


def test_all_half_and_closing_a_position(chat: Chat) -> None:
    chat.send("/buy 30 MSFT 400 2026-01-05")
    chat.send("/buy 11 NVDA 100 2026-01-05")
    chat.send("/buy 8 PYPL 70 2026-01-05")
    assert "Sold 30 MSFT at $420.00" in chat.send("dumped all my MSFT at 420 yesterday")
    chat.tap("Save")
    assert "Sold 5 NVDA at $140.00" in chat.send("sold half my NVDA at 140 yesterday")
    chat.tap("Save")
    assert "Sold 8 PYPL at $62.00" in chat.send("closed my PYPL position at 62 yesterday")
    chat.tap("Save")
    assert trades(chat)[3:] == [("sell", "MSFT", 30, 420), ("sell", "NVDA", 5, 140), ("sell", "PYPL", 8, 62)]
    assert "didn't hold any TSLA" in chat.send("sold all my TSLA at 300 yesterday")


def test_just_sold_with_price_words(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-01-05")
    assert "Saved #2: sold 10 AAPL at $175.00 on Nov 22, 2026" in chat.send(
        "Just sold 10 AAPL yesterday, got $175 a share"
    )


def test_what_if_in_words_answers_the_hypothetical(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-01-05")
    for line in (
        "what would I owe if I sold 10 AAPL at 200?",
        "thinking of selling 10 AAPL at 200, what's the damage?",
    ):
        reply = chat.send(line)
        assert "$500.00" in reply and "short-term" in reply  # the sale's own gain, not this year's estimate
    assert len(trades(chat)) == 1


def test_questions_are_answered_for_the_stock_named(chat: Chat) -> None:
    chat.send("/buy 10 NVDA 100 2026-01-05")
    chat.send("/buy 5 TSLA 200 2026-03-10")
    reply = chat.send("when does my TSLA go long term?")
    assert "TSLA" in reply and "Mar 11, 2027" in reply and "NVDA" not in reply
    chat.send("/buy 3 NVDA 90 2026-11-10")
    wash = chat.send("is selling NVDA now a wash sale?")
    assert "Nov 10, 2026" in wash and "Dec 11, 2026" in wash
    assert "Dec 31, 2026" in chat.send("what's the last day I can sell for 2026 taxes?")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("hi", "Tell me about a trade"),
        ("help", "/portfolio"),
        ("what's my profit?", "haven't sold anything in 2026"),
        ("should I sell my losers before year end?", "/price"),
        ("I exercised 1000 NSOs at strike 10, stock was 50", "Which company's stock?"),
    ],
)
def test_everyday_words_get_answers(chat: Chat, line: str, expected: str) -> None:
    reply = chat.send(line)
    assert expected in reply, reply
    assert "I didn't understand" not in reply


@pytest.mark.parametrize("words", ["undo", "cancel that trade", "oops, undo that", "remove the last trade"])
def test_undo_in_words_asks_first(chat: Chat, words: str) -> None:
    chat.send("/buy 5 MSFT 400 2026-01-02")
    chat.send("/buy 10 AAPL 150 2026-01-05")
    asked = chat.send(words)
    assert "Undo #2 buy 10 AAPL at $150.00 on Jan 5, 2026?" in asked
    assert len(trades(chat)) == 2  # never deleted on words alone
    assert "Undone: #2" in chat.tap("Yes, undo it")
    assert trades(chat) == [("buy", "MSFT", 5, 400)]


def test_undo_in_words_kept(chat: Chat) -> None:
    chat.send("/buy 10 AAPL 150 2026-01-05")
    chat.send("cancel that trade")
    chat.tap("Keep it")
    assert trades(chat) == [("buy", "AAPL", 10, 150)]


def test_undo_in_words_with_nothing_saved(chat: Chat) -> None:
    assert "There's nothing to undo." in chat.send("cancel that trade")


def test_a_mistyped_command_gets_the_closest_with_a_button(chat: Chat) -> None:
    reply = chat.send("/sel")
    assert "Did you mean /sell?" in reply
    assert "Which stock did you sell" in chat.tap("/sell")


def test_start_when_set_up_offers_settings(chat: Chat) -> None:
    reply = chat.send("/start")
    assert "already set up" in reply and "/settings" in reply
    assert "Tap one to change it" in chat.tap("Settings")
    chat.send("/start")
    assert "Which tax year" in chat.tap("Answer all five again")
