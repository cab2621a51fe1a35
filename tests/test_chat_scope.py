"""Questions outside what the bot covers get an honest answer, not a federal figure dressed up as one,
and the year's tax shows the NIIT (Form 8960) and the AMT as their own lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chat import Chat


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.onboard(income="150000")
    return c


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("what about state tax?", "US federal tax only"),
        ("do I owe California tax on this", "US federal tax only"),
        ("how are my covered calls taxed?", "Options you trade (calls and puts)"),
        ("I sold a put and it got assigned", "premium folded into the price"),
        ("what about short sales?", "I don't handle short sales"),
        ("I shorted TSLA, how is that taxed", "I don't handle short sales"),
        ("is my gold ETF taxed differently?", "up to 28%"),
        ("what about collectibles", "up to 28%"),
        ("I sold my rental property", "unrecaptured Section 1250 gain"),
        ("what about depreciation recapture", "Section 1250"),
        ("what don't you cover?", "Not covered: state tax"),
    ],
)
def test_out_of_scope_questions_get_honest_answers(chat: Chat, question: str, words: str) -> None:
    assert words in chat.send(question)


def test_the_usual_questions_still_get_their_answers(chat: Chat) -> None:
    assert "wash sale is selling at a loss" in chat.send("what is a wash sale?")
    assert "US federal tax only" not in chat.send("how much tax do I owe?")


def test_tax_owed_shows_niit_on_its_own_line(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db")
    chat.onboard(income="300000")
    chat.send("/buy 100 XYZ 100 2024-01-10")
    chat.send("/sell 100 XYZ 600 2026-02-02")
    text = chat.send("how much tax do I owe?")
    # Long-term gain 100 x (600 - 100) = 50,000; MAGI 350,000 is 150,000 over the single threshold of
    # 200,000, so the NIIT is 3.8% of the 50,000 of investment income = 1,900.
    assert "• net investment income tax (3.8%, Form 8960) $1,900.00" in text
    lines = text.splitlines()
    total = next(line for line in lines if line.startswith("Total estimated federal tax for 2026"))
    income_tax = next(line for line in lines if line.startswith("• income tax"))
    amount = {line: float(line.rsplit("$", 1)[1].replace(",", "")) for line in (total, income_tax)}
    assert amount[total] == pytest.approx(amount[income_tax] + 1900)


def test_an_iso_exercise_that_adds_amt_says_once_it_comes_back_as_a_credit(chat: Chat) -> None:
    # Bargain element (250 - 10) x 2,000 = 480,000 of AMT adjustment on 150,000 of wages: AMT is due.
    text = chat.send("/exercise 2000 ABC iso strike 10 fmv 250 2026-03-03 granted 2024-01-15")
    assert "of AMT to your 2026 tax" in text
    assert text.count("Form 8801") == 1


def test_an_iso_exercise_the_exemption_covers_says_nothing_of_a_credit(chat: Chat) -> None:
    # (12 - 10) x 100 = 200 of adjustment: the AMT exemption covers it, so there is no credit to speak of.
    text = chat.send("/exercise 100 ABC iso strike 10 fmv 12 2026-03-03 granted 2024-01-15")
    assert "adds no AMT" in text and "Form 8801" not in text
