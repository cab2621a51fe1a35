"""Held-out set 3's remaining misses, through the whole conversation: a misspelt verb, part of one share,
"every last share", lowercase names in questions, "scratch that" (asked first, as typed undo is), British
"flogged" and "cheers", German "alle meine"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.chat import Chat, trades


def test_a_misspelt_verb_is_still_a_purchase_saved_with_its_date(chat: Chat) -> None:
    shown = chat.send("buyed 3 MSFT at 415 on the 18th")
    assert "Saved #1" in shown and "Nov 18, 2026" in shown
    assert trades(chat) == [("buy", "MSFT", 3, 415)]


def test_half_a_share_is_half_of_one_share_not_half_the_position(chat: Chat) -> None:
    chat.send("/buy 10 AMZN 180 2026-01-05")
    shown = chat.send("bought half a share of AMZN at 200")
    assert len(trades(chat)) == 1  # no date given: asked before saving
    assert "0.5 AMZN" in shown and "$200.00" in shown
    chat.tap("Save")
    assert trades(chat)[-1] == ("buy", "AMZN", Decimal("0.5"), 200)


def test_every_last_share_sells_the_whole_position_after_a_yes(chat: Chat) -> None:
    chat.send("/buy 40 F 10 2026-01-05")
    shown = chat.send("sold every last share of F at 11.5 yesterday")
    assert "Sold 40 F at $11.50" in shown and "all the F you held" in shown
    assert len(trades(chat)) == 1
    chat.tap("Save")
    assert trades(chat)[-1] == ("sell", "F", 40, Decimal("11.5"))


@pytest.mark.parametrize("question", ["when do my tsla shares go long term", "when is my tesla long-term?"])
def test_a_lowercase_name_in_a_question_is_the_stock_asked_about(chat: Chat, question: str) -> None:
    chat.send("/buy 10 NVDA 100 2026-01-05")
    chat.send("/buy 5 TSLA 200 2026-03-10")
    reply = chat.send(question)
    assert "TSLA" in reply and "Mar 11, 2027" in reply and "NVDA" not in reply


def test_capital_gains_is_not_a_company_in_a_question(chat: Chat) -> None:
    chat.send("/buy 10 NVDA 100 2026-01-05")
    chat.send("/sell 10 NVDA 120 2026-02-05")
    reply = chat.send("what are my capital gains so far")
    assert "$200.00" in reply and "COF" not in reply and "Capital One" not in reply


@pytest.mark.parametrize("words", ["scratch that, wrong price", "that was a mistake, remove it"])
def test_taking_it_back_in_words_asks_first(chat: Chat, words: str) -> None:
    chat.send("/buy 5 MSFT 400 2026-01-02")
    chat.send("/buy 10 AAPL 15 2026-01-05")
    asked = chat.send(words)
    assert "Undo #2 buy 10 AAPL at $15.00 on Jan 5, 2026?" in asked
    assert len(trades(chat)) == 2  # never deleted on words alone
    chat.tap("Keep it")
    assert len(trades(chat)) == 2
    chat.send(words)
    assert "Undone: #2" in chat.tap("Yes, undo it")
    assert trades(chat) == [("buy", "MSFT", 5, 400)]


def test_british_flogged_and_cheers(chat: Chat) -> None:
    chat.locale = "en_GB"
    chat.send("/buy 30 F 10 2026-01-05")
    shown = chat.send("flogged 30 F at 11.20 yesterday")
    assert "Saved #2" in shown and ("22 Nov 2026" in shown or "Nov 22, 2026" in shown)
    assert trades(chat)[-1] == ("sell", "F", 30, Decimal("11.20"))
    assert "You're welcome" in chat.send("cheers")


def test_german_alle_meine_sells_the_whole_position_not_allegion(chat: Chat) -> None:
    chat.locale = "de_DE"
    chat.send("/buy 12 TSLA 300 2026-01-05")
    shown = chat.send("alle meine TSLA zu 350 verkauft")
    assert "ALLE" not in shown and "12 TSLA" in shown
    assert len(trades(chat)) == 1  # a portion and no date: asked first
    chat.tap("Save")
    assert trades(chat)[-1] == ("sell", "TSLA", 12, 350)
