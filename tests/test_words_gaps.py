"""Gaps left in the everyday-words work (issues 15 and 16), typed as people type on a phone: a yes at
a "which stock?" question, a lowercase ticker the user holds in a question, and sheltered accounts
said in words (a 529, a Coverdell, a Roth 401(k))."""

from __future__ import annotations

import pytest

from conversations.drafts import EsppDraft, GrantDraft, TradeDraft
from conversations.understanding.held import held_ticker
from tests.chat import Chat, trades


def symbol_so_far(chat: Chat) -> str:
    """The ticker the open question has taken ("" while it is still asking for one)."""
    wizard = chat.service.state(1).wizard
    assert wizard is not None and isinstance(wizard.answers, TradeDraft | GrantDraft | EsppDraft), wizard
    return wizard.answers.symbol


# --- a yes or no at a ticker question -------------------------------------------------------------
@pytest.mark.parametrize("typed", ["yes", "Ok", "sure", "no", "yes please", "yep"])
def test_a_yes_or_no_at_the_ticker_question_is_not_a_ticker(chat: Chat, typed: str) -> None:
    chat.send("/buy")
    reply = chat.send(typed)
    assert "which stock" in reply and "ticker symbol, like AAPL" in reply, reply
    assert "date" not in reply.lower()  # still at the ticker question, nothing taken as a ticker
    assert symbol_so_far(chat) == ""
    assert "Which stock" not in chat.send("XYZ")  # the question is still open and takes a ticker
    assert symbol_so_far(chat) == "XYZ"


def test_a_ticker_spelled_like_yes_is_given_with_a_dollar_sign(chat: Chat) -> None:
    chat.send("/buy")
    assert "If the ticker really is YES, send it as $YES" in chat.send("yes")
    chat.send("$YES")
    chat.tap("Yesterday")
    chat.send("10")
    chat.send("4.50")
    chat.tap("No fees")
    assert trades(chat) == [("buy", "YES", 10, 4.5)]


@pytest.mark.parametrize("flow", ["/sell", "/vest", "/espp"])
def test_every_ticker_question_refuses_a_yes(chat: Chat, flow: str) -> None:
    chat.send("/buy 10 XYZ 20 2026-01-05")
    chat.send(flow)
    assert "which stock" in chat.send("ok")
    assert symbol_so_far(chat) == ""


# --- a held ticker in lowercase, in a question -------------------------------------------------------
@pytest.fixture
def holder(chat: Chat) -> Chat:
    chat.send("/buy 5 TSLA 200 2025-01-05")
    chat.send("/buy 3 AAPL 150 2025-12-20")
    chat.send("/buy 10 NVDA 100 2026-01-05")
    chat.send("/price NVDA 120")
    return chat


def test_is_tsla_long_term_yet_answers_for_the_users_tsla(holder: Chat) -> None:
    reply = holder.send("is tsla long term yet")
    assert "Your TSLA, lot by lot" in reply and "5 shares bought Jan 5, 2025: long-term already" in reply


def test_when_does_aapl_go_long_term_gives_its_day(holder: Chat) -> None:
    # Bought Dec 20, 2025: long-term from the day after the anniversary (IRC 1222, Pub. 550).
    assert "3 shares bought Dec 20, 2025: long-term on Dec 21, 2026 (in 28 days)" in holder.send(
        "when does aapl go long term"
    )


def test_how_much_tax_if_i_sell_nvda_is_the_whole_position_said_so(holder: Chat) -> None:
    reply = holder.send("how much tax if i sell nvda")
    # 10 shares held, $100 -> $120: a $200 short-term gain; at $85,000 of wages (22% bracket) $44 of tax.
    assert "If you sold 10 NVDA at $120.00" in reply and "+$200.00" in reply and "+$44.00" in reply
    assert len(trades(holder)) == 3  # a what-if saves nothing


def test_a_ticker_not_held_is_not_read_from_a_lowercase_word(holder: Chat) -> None:
    reply = holder.send("is amd long term yet")
    assert "AMD" not in reply and "Shares held one year or less" in reply


def test_a_held_ticker_that_is_an_everyday_word_is_not_guessed(holder: Chat) -> None:
    holder.send("/buy 3 KEY 15 2026-10-20")
    reply = holder.send("is key long term yet")
    assert "Your KEY, lot by lot" not in reply and "Shares held one year or less" in reply
    assert "If you meant your KEY shares, ask with the ticker in capitals: “is KEY long term yet”" in reply
    assert "Your KEY, lot by lot" in holder.send("is KEY long term yet")


def test_held_ticker_reads_only_held_symbols_and_skips_small_words() -> None:
    held = {"TSLA", "IT", "ALL", "CAT"}
    assert held_ticker("is tsla long term yet", held).symbol == "TSLA"
    assert held_ticker("is it all long term yet", held).symbol is None  # "it", "all": small words
    assert held_ticker("is my cat long term", held).maybe == "CAT"
    assert held_ticker("is nvda long term", held).symbol is None


# --- sheltered accounts said in words ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("in my 529", "529 plan"),
        ("in my son's 529 plan", "529 plan"),
        ("in my coverdell", "Coverdell ESA"),
        ("in my Coverdell ESA", "Coverdell ESA"),
    ],
)
def test_a_529_or_coverdell_said_in_words_is_sheltered(chat: Chat, said: str, kind: str) -> None:
    reply = chat.send(f"bought 10 VTI at 200 yesterday {said}")
    assert f"in your {kind}" in reply and f"Trades inside a {kind} aren't taxed" in reply
    chat.send("sold 10 VTI at 250 today " + said)
    assert chat.service.state(1).trades[-1].account_type == "ira"
    assert "You haven't sold anything in 2026 yet" in chat.send("/gains")  # the $500 gain isn't taxable


def test_a_roth_401k_is_worded_as_one(chat: Chat) -> None:
    reply = chat.send("bought 4 AAPL at 150 yesterday in my roth 401k")
    assert "in your Roth 401(k)" in reply and "Trades inside a Roth 401(k) aren't taxed" in reply
    assert "inside a 401(k)" not in reply


def test_a_529_amount_is_still_a_number(chat: Chat) -> None:
    chat.send("bought 529 VTI at 200 yesterday")
    assert chat.service.state(1).trades[-1].quantity == 529 and chat.service.state(1).trades[-1].account is None


# --- "this yr" / "last yr" in a question -------------------------------------------------------------
def test_this_yr_and_last_yr_in_a_question_name_the_year(chat: Chat) -> None:
    chat.send("/buy 10 AMD 100 2025-01-06")
    chat.send("/sell 10 AMD 120 2025-02-05")
    chat.send("/buy 10 AMD 100 2026-01-05")
    chat.send("/sell 10 AMD 130 2026-02-05")
    chat.send("/settings")
    chat.tap("Tax year")
    chat.tap("2025")  # the chat works on 2025's return; "this year" is still 2026
    this = chat.send("hows my tax looking for this yr")
    assert "Your 2026 tax so far" in this and "Total estimated federal tax for 2026" in this
    last = chat.send("how much tax did i pay last yr")
    assert "Your 2025 tax so far" in last and "Total estimated federal tax for 2025" in last
    assert "Realized in 2025" in chat.send("what was my profit last year")


def test_a_question_about_a_year_without_its_law_says_so(chat: Chat) -> None:
    chat.send("/buy 10 AMD 100 2025-01-06")
    assert "I can't figure 2017's tax: I know the tax law for 2018 through 2026" in chat.send("how much tax for 2017?")


def test_without_a_price_the_example_is_the_sale_asked(holder: Chat) -> None:
    assert "At what price? Ask like /whatif sell 5 TSLA 30" in holder.send("how much tax if i sell tsla")
