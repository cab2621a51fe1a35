"""ESPP shares in the chat: /espp in one line and step by step, and the one pay figure in every reply.

The plan of these tests: offering Jan 2, 2026 at $50, purchase Jun 30, 2026 at $55, price $42.50
(85% of the lower value), 100 shares. Worked from IRC 423 / Publication 525 (see tests/test_lots_espp.py):
a disqualifying sale's pay is ($55 - $42.50) x 100 = $1,250; a qualifying sale's at most
($50 - $42.50) x 100 = $750; the first qualifying day is after both Jan 2, 2028 (offering + 2 years)
and Jun 30, 2027 (purchase + 1 year): Jan 3, 2028. The chat's today is Nov 23, 2026.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from bot.service import ChatService
from bot.storage import open_store
from calc.booking import book
from calc.years import TaxYears
from conversations.account import export_csv
from conversations.events import Event, FileIn
from tests.chat import NOW, Chat

LINE = "/espp 100 ACME bought 2026-06-30 at 42.50 offering 2026-01-02 fmv 50 purchase fmv 55"


@pytest.fixture
def chat(tmp_path: Path) -> Chat:
    c = Chat(tmp_path / "cgt.db")
    c.onboard(income="150000")
    return c


def test_one_line_saves_every_figure_and_says_what_a_sale_makes_pay(chat: Chat) -> None:
    text = chat.send(LINE)
    (trade,) = chat.service.state(1).trades
    assert (trade.source, trade.date, trade.price, trade.fmv) == ("espp", date(2026, 6, 30), D("42.50"), 55)
    assert (trade.grant_date, trade.offering_fmv, trade.offering_price) == (date(2026, 1, 2), 50, None)
    assert "No tax now" in text and "Your basis is the $4,250.00 you paid" in text
    assert "Sell before Jan 3, 2028 and $1,250.00 of it is pay, not a capital gain" in text
    assert "($55.00 − $42.50) × 100 shares, even if you sell at a loss" in text
    assert "Your W-2 should include it; your broker's 1099-B basis may not." in text
    assert "at most $750.00 is pay: the discount at the offering, ($50.00 − $42.50) × 100 shares" in text
    assert "turn long-term on Jul 1, 2027" in text


def test_phone_phrasings_of_the_line(chat: Chat) -> None:
    # Dates in words, dollar signs, "on", "worth" and "at" for the offering's value: the same purchase.
    chat.send(
        "/espp 100 shares of acme purchased on Jun 30 2026 for $42.50, offering on Jan 2 2026 at $50, purchase worth $55"
    )
    (trade,) = chat.service.state(1).trades
    assert (trade.symbol, trade.date, trade.price, trade.fmv) == ("ACME", date(2026, 6, 30), D("42.50"), 55)
    assert (trade.grant_date, trade.offering_fmv) == (date(2026, 1, 2), 50)


def test_step_by_step_asks_each_figure_with_its_form_3922_box(chat: Chat) -> None:
    assert "Which stock did your ESPP buy?" in chat.send("/espp")
    assert "purchase date, Form 3922 box 2" in chat.send("ACME")
    assert "How many shares?" in chat.send("2026-06-30")
    assert "box 5, like 42.50" in chat.send("100")
    assert "box 4" in chat.send("42.50")
    assert "Form 3922 box 1" in chat.send("55")
    assert "box 3" in chat.send("Jan 2, 2026")
    text = chat.send("50")
    assert "Saved #1" in text and "$1,250.00 of it is pay" in text
    (trade,) = chat.service.state(1).trades
    assert (trade.grant_date, trade.offering_fmv, trade.fmv, trade.price) == (date(2026, 1, 2), 50, 55, D("42.50"))


def test_bad_figures_get_a_friendly_message_and_nothing_is_saved(chat: Chat) -> None:
    # $30 is below 85% of the lower value ($42.50): no IRC 423 plan sells that low.
    text = chat.send("/espp 100 ACME bought 2026-06-30 at 30 offering 2026-01-02 fmv 50 purchase fmv 55")
    assert "IRC 423(b)(6)" in text and "$30.00 is below that ($42.50)" in text
    text = chat.send("/espp 100 ACME bought 2026-06-30 at 42.50")
    assert "I still need the offering date (box 1)" in text and "Write it like: /espp 100 ACME" in text
    text = chat.send("/espp 100 ACME bought 2026-01-02 at 42.50 offering 2026-06-30 fmv 50 purchase fmv 55")
    assert "The offering date is after the purchase date" in text
    chat.send("/espp")
    chat.send("ACME")
    chat.send("2026-06-30")
    chat.send("100")
    chat.send("42.50")
    chat.send("55")
    assert "after the purchase on Jun 30, 2026" in chat.send("2026-07-15")  # asked again, not saved
    assert chat.service.state(1).trades == ()


def test_a_disqualifying_sale_is_one_pay_figure_in_every_reply(chat: Chat) -> None:
    chat.send(LINE)
    sold = chat.send("/sell 100 ACME 60 2026-11-20")
    # Capital gain $6,000 - ($4,250 + $1,250) = $500, short-term; the $1,250 is pay.
    assert "$500.00 short-term gain" in sold and "$1,250.00 of this is pay, not a capital gain" in sold
    gains = chat.send("/gains 2026")
    assert "$500.00 short-term gain" in gains
    assert "ESPP shares sold this year make $1,250.00 of pay" in gains
    assert "ISO shares" not in gains
    # The year's tax counts it as wages: $150,000 + $1,250.
    state = chat.service.state(1)
    view = TaxYears(book(state.trades), state.profile.years).view(2026)
    assert view.tax_input.wages == D(151250) and view.espp_wages == D(1250)
    form = chat.send("/form8949 2026")
    assert "ESPP shares: $1,250.00 of your sales is pay" in form and "code B" in form
    (row,) = _form_rows(chat)
    # Box A: the 1099-B's basis (what was paid) in (e), code B, the pay as -1,250 in (g): (h) = 500.
    assert (row["(e)"], row["(f)"], row["(g)"], row["(h)"]) == ("4250.00", "B", "-1250.00", "500.00")


def _form_rows(chat: Chat) -> list[dict[str, str]]:
    (csv_file,) = [f for r in chat.last for f in r.files if f.name.endswith(".csv")]
    lines = csv_file.content.decode().splitlines()
    header = next(i for i, line in enumerate(lines) if "(e)" in line)
    table = csv.reader(lines[header:])
    names = [name.split(" ")[0] for name in next(table)]
    return [dict(zip(names, row, strict=False)) for row in table if row and row[0] not in ("", "Totals")][:1]


def test_a_sale_at_a_loss_still_makes_pay(chat: Chat) -> None:
    chat.send(LINE)
    text = chat.send("/sell 100 ACME 40 2026-11-20")
    # $4,000 - $5,500 = a $1,500 short-term loss, and still $1,250 of pay.
    assert "$1,500.00 short-term loss" in text and "$1,250.00 of this is pay" in text and "even at a loss" in text


def test_whatif_says_it_is_disqualifying_and_what_waiting_changes(chat: Chat) -> None:
    chat.send(LINE)
    chat.send("/income 2027 wages 150,000")
    chat.send("/income 2028 wages 150,000")
    text = chat.send("/whatif sell 100 ACME 70")
    # Now: $1,250 pay and $7,000 - $5,500 = $1,500 short-term gain.
    assert "$1,500.00 short-term gain" in text and "$1,250.00 of this is pay" in text
    assert "it is a disqualifying disposition" in text
    assert "Total +$1,500.00 of capital gain and $1,250.00 of wages" in text
    assert "ISO shares" not in text and "alternative minimum tax the exercise" not in text
    # On Jan 3, 2028 it qualifies: $750 of pay (the offering discount, below the $2,750 gain), the
    # other $2,000 long-term.
    assert "Waiting until Jan 3, 2028, when" in text and "qualifying disposition" in text
    assert "$750.00 of pay instead of $1,250.00, the rest long-term gain" in text


def test_portfolio_shows_the_qualifying_day(chat: Chat) -> None:
    chat.send(LINE)
    text = chat.send("/portfolio")
    assert "ESPP: sold before Jan 3, 2028, $1,250.00 of it is pay; from then, at most $750.00" in text


def test_export_and_import_carry_the_form_3922_figures(chat: Chat, tmp_path: Path) -> None:
    chat.send(LINE.replace("purchase fmv 55", "purchase fmv 55 box 8 42.50"))
    exported = export_csv(chat.service.state(1))
    table = exported.decode().split("\r\n\r\n")[0]
    (row,) = csv.DictReader(io.StringIO(table))
    assert (row["source"], row["fmv"], row["grant_date"], row["offering_fmv"], row["offering_price"]) == (
        "espp",
        "55",
        "2026-01-02",
        "50",
        "42.50",
    )
    other = Chat(tmp_path / "cgt.db", user_id=2)
    other.onboard()
    other._run(Event(kind="file", id="f1", now=other.now, file=FileIn(name="export.csv", content=exported)))
    assert "Added 1 trade" in other.tap("Add")
    (imported,) = other.service.state(2).trades
    (mine,) = chat.service.state(1).trades
    fields = ("source", "date", "price", "fmv", "grant_date", "offering_fmv", "offering_price")
    assert [getattr(imported, f) for f in fields] == [getattr(mine, f) for f in fields]


def test_a_broker_files_espp_purchase_is_completed_with_its_figures(chat: Chat) -> None:
    # Fidelity's "YOU BOUGHT ESPP### AS OF 12-31-20" gives the purchase date, not Form 3922's other figures.
    content = (Path(__file__).parent / "fixtures" / "brokers" / "fidelity_espp_2021.csv").read_bytes()
    chat._run(Event(kind="file", id="f1", now=chat.now, file=FileIn(name="History.csv", content=content)))
    added = chat.tap("Add")
    espp = next(t for t in chat.service.state(1).trades if t.source == "espp")
    assert f"ESPP purchases without their Form 3922 figures: #{espp.number} (" in added
    assert f"/espp #{espp.number} offering" in added
    text = chat.send(f"/espp #{espp.number} offering 2020-07-01 fmv 200 purchase fmv 222.33")
    assert "Updated" in text and "of it is pay" in text
    done = next(t for t in chat.service.state(1).trades if t.id == espp.id)
    assert (done.grant_date, done.offering_fmv, done.fmv) == (date(2020, 7, 1), 200, D("222.33"))
    assert (done.price, done.quantity, done.date) == (espp.price, espp.quantity, espp.date)


def test_espp_fields_are_stored_on_both_backends(db_target: str) -> None:
    service = ChatService(db_target)
    service.process(1, Event(kind="text", id="e1", now=NOW, text=LINE + " box 8 42.50"))
    (loaded,) = open_store(db_target).load(1).trades
    assert (loaded.source, loaded.grant_date, loaded.fmv, loaded.offering_fmv, loaded.offering_price) == (
        "espp",
        date(2026, 1, 2),
        55,
        50,
        D("42.50"),
    )
    assert loaded == service.state(1).trades[0]


def test_espp_in_words_is_never_saved_as_a_plain_purchase(chat: Chat) -> None:
    # A plain purchase would count the pay as capital gain: the words get the /espp line instead.
    text = chat.send("bought 100 ACME through my ESPP at 42.50 on Jun 30 2026")
    assert chat.service.state(1).trades == ()
    assert "I also need the offering date (box 1)" in text
    assert "Send it like: /espp 100 ACME bought 2026-06-30 at 42.50 offering DATE fmv VALUE" in text
    text = chat.send("I bought 100 ACME in my espp on 6/30/2026 at 42.50, offering 1/2/2026 fmv 50, purchase fmv 55")
    assert f"To save it, send: {LINE}" in text and chat.service.state(1).trades == ()
    assert "aren't taxed when you buy them" in chat.send("how is my ESPP taxed?")
    chat.send(LINE)
    text = chat.send("when do my employee stock purchase shares qualify?")
    assert "100 ACME bought Jun 30, 2026: ESPP: sold before Jan 3, 2028, $1,250.00 of it is pay" in text


def test_whatif_on_shares_that_already_qualify(chat: Chat) -> None:
    # Offering Jan 3, 2023 at $50, purchase Jun 30, 2023 at $55 for $42.50: qualifying from Jan 4, 2025.
    chat.send("/espp 100 ACME bought 2023-06-30 at 42.50 offering 2023-01-03 fmv 50 purchase fmv 55")
    text = chat.send("/whatif sell 100 ACME 45")
    # Gain $4,500 - $4,250 = $250, below the $750 offering discount: all $250 is pay, no capital gain.
    assert "$250.00 of this is pay, not a capital gain: your gain, smaller than the offering's discount" in text
    assert "Total $0.00 of capital gain and $250.00 of wages" in text
    assert "Waiting until" not in text


def test_a_german_user_gets_the_line_back_written_their_way(tmp_path: Path) -> None:
    chat = Chat(tmp_path / "cgt.db", locale="de")
    chat.onboard(income="85000")
    text = chat.send("bought 100 ACME through my ESPP at 42,50 on 30.06.2026")
    assert "/espp 100 ACME bought 2026-06-30 at 42,50 offering DATE" in text
    assert chat.service.state(1).trades == ()


def test_a_lookback_price_is_explained_and_box_8_corrects_it(chat: Chat) -> None:
    # The price, $34, is 85% of the purchase-day $40; as if bought on the offering day it would have
    # been 85% of $50 = $42.50, so the offering discount is ($50 - $42.50) x 100 = $750.
    text = chat.send("/espp 100 ACME bought 2026-06-30 at 34 offering 2026-01-02 fmv 50 purchase fmv 40")
    assert "at most $750.00 is pay: the discount at the offering, ($50.00 − $42.50) × 100 shares" in text
    assert "$42.50 is the price as if bought on the offering day" in text and "/espp #1 box8" in text
    # The employer's box 8 says $45 (a 10% plan): the discount is $5 x 100 = $500.
    text = chat.send("/espp #1 box 8 45")
    assert text.startswith("Updated. #1") and "at most $500.00 is pay" in text
    assert chat.service.state(1).trades[0].offering_price == 45
