"""Real broker files end to end through the chat (issue 14): histories that start mid-way, the
broker's own cost basis, reconciliation with a 1099-B, corporate actions. Figures are worked by
hand from the fixture rows (tests/fixtures/brokers/README.md says where each layout comes from).
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

from calc.booking import book
from conversations.events import Event, FileIn
from tests.chat import NOW, Chat

FIXTURES = Path(__file__).parent / "fixtures" / "brokers"
D = Decimal
_files = itertools.count()


def send_file(chat: Chat, name: str, content: bytes | None = None) -> str:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return chat._run(Event(kind="file", id=f"file-{next(_files)}", now=NOW, file=FileIn(name=name, content=data)))


def buttons(chat: Chat) -> list[str]:
    return [b.label for r in chat.last for row in r.buttons for b in row]


def test_mid_way_history_asks_for_the_missing_lot_and_books_it(chat: Chat) -> None:
    preview = send_file(chat, "fidelity_all_accounts_2025.csv")
    assert preview.startswith("That looks like a Fidelity account history.")
    assert "• Nov 24, 2025: sold 341 VVV (Brokerage 333333333); none held before." in preview
    assert "merger: 1,060 LSEGY" in preview and "other activity" not in preview.split("merger")[1]
    assert buttons(chat) == ["Add without those sales", "Cancel"]
    assert chat.service.state(1).trades == ()  # nothing saved while asking
    reply = chat.send("341 VVV 05/10/2023 $9,500")
    assert "341 VVV bought May 10, 2023 for $9,500.00" in reply and buttons(chat) == ["Add 5 trades", "Cancel"]
    assert "Added 5 trades" in chat.tap("Add 5 trades")
    state = chat.service.state(1)
    (sale,) = book(state.trades).dispositions
    # 10,378.37 received (the Amount, not 341 x 30.44 = 10,380.04) less 9,500.00 paid; held May 2023 - Nov 2025.
    assert (sale.symbol, sale.proceeds, sale.basis, sale.gain, sale.term) == (
        "VVV",
        D("10378.37"),
        D("9500"),
        D("878.37"),
        "long",
    )
    again = send_file(chat, "fidelity_all_accounts_2025.csv")
    assert "4 trades you already have" in again and "Nothing new to add." in again
    assert "Remove the 5 trades" in chat.press("import:undo")  # a button without its time asks first
    assert "removed the 5 imported trades" in chat.tap("Yes, undo")  # the purchase typed in goes too
    assert chat.service.state(1).trades == ()


def test_mid_way_history_adds_the_rest_without_the_unseen_sale(chat: Chat) -> None:
    send_file(chat, "fidelity_all_accounts_2025.csv")
    reply = chat.tap("Add without those sales")
    assert "left out 1 sale whose shares I haven't seen" in reply and buttons(chat) == ["Add 3 trades", "Cancel"]
    chat.tap("Add 3 trades")
    assert sorted(t.symbol for t in chat.service.state(1).trades) == ["BND", "VTEB", "WM"]


def test_a_typed_lot_that_cannot_be_the_missing_one_is_explained(chat: Chat) -> None:
    send_file(chat, "fidelity_all_accounts_2025.csv")
    assert "The sales missing purchases are in VVV, not WM." in chat.send("341 WM 2023-05-10 9500")
    assert "is after the sale on Nov 24, 2025" in chat.send("341 VVV 2025-11-28 9500")
    assert "needs four things" in chat.send("341 VVV 9500")
    assert chat.service.state(1).trades == ()
    assert buttons(chat) == ["Add without those sales", "Cancel"]


def test_open_lots_file_sent_while_asking_covers_the_sale(chat: Chat) -> None:
    send_file(chat, "fidelity_all_accounts_2025.csv")
    reply = send_file(chat, "open_lots.csv")
    assert "341 VVV bought May 10, 2023 for $9,500.00" in reply and buttons(chat) == ["Add 5 trades", "Cancel"]


def test_newest_first_robinhood_round_trip_books_in_its_real_order(chat: Chat) -> None:
    preview = send_file(chat, "robinhood_newest_first.csv")
    assert "mid-way" not in preview and buttons(chat) == ["Add 3 trades", "Cancel"]
    assert "stock reward: 1 SIRI received free" in preview
    chat.tap("Add 3 trades")
    (sale,) = book(chat.service.state(1).trades).dispositions
    assert (sale.sold, sale.proceeds, sale.basis) == (date(2019, 12, 12), D("73.91"), D("74.24"))


def test_ibkr_closed_lots_cover_a_sale_from_before_the_statement(chat: Chat) -> None:
    preview = send_file(chat, "ibkr_statement_closed_lots.csv")
    assert preview.startswith("That looks like an Interactive Brokers activity statement.")
    assert (
        "• 10 NVDA bought Jan 5, 2023 for $2,400.00" in preview
        and "• 15 NVDA bought Jun 5, 2023 for $3,850.00" in preview
    )
    assert "mid-way" not in preview and buttons(chat) == ["Add 4 trades", "Cancel"]
    chat.tap("Add 4 trades")
    parts = sorted(book(chat.service.state(1).trades).dispositions, key=lambda d: d.acquired)
    # 21,250 - 2 commission = 21,248 split 10:15 over the two lots; Jan 2023 -> Mar 2024 long, Jun 2023 short.
    assert [(d.quantity, d.proceeds, d.basis, d.term) for d in parts] == [
        (10, D("8499.20"), D("2400.00"), "long"),
        (15, D("12748.80"), D("3850.00"), "short"),
    ]


def test_realized_report_without_trades_adds_each_lot_and_its_sale(chat: Chat) -> None:
    preview = send_file(chat, "schwab_realized_lots.csv")
    assert "3 sold lots" in preview and "The broker disallowed $1,000.00 of loss as wash sales (XYZ)" in preview
    assert buttons(chat) == ["Add 6 trades", "Cancel"]
    chat.tap("Add 6 trades")
    gains = {d.symbol: d.gain for d in book(chat.service.state(1).trades).dispositions}
    assert gains == {"VUG": D("2.12"), "DBGI": D("399.96"), "XYZ": D("-1000.00")}


def test_1099b_beside_the_users_own_sales_says_where_and_why_they_differ(chat: Chat) -> None:
    chat.send("/buy 100 XYZ 50 2025-02-03")
    chat.send("/sell 100 XYZ 40 2025-03-14")
    chat.send("/vest 30 ACME fmv 100 2024-01-15")
    chat.send("/sell 30 ACME 130 2025-06-02")
    before = chat.service.state(1).trades
    report = send_file(chat, "form1099b.csv")
    assert "compared them with yours; nothing was added" in report
    assert "Mar 14, 2025 XYZ: the broker disallows $1,000.00 more of the loss as a wash sale than I do" in report
    assert "Jun 2, 2025 ACME: the broker's basis is $0.00, yours $3,000.00" in report
    assert "code B, and -$3,000.00 in (g)" in report
    assert "Jan 13, 2025 DBGI: the broker reports selling 200 shares for $3,399.96" in report
    assert chat.service.state(1).trades == before


def test_1099b_misses_a_wash_sale_with_an_ira_purchase(chat: Chat) -> None:
    chat.send("/buy 100 XYZ 50 2025-02-03")
    chat.send("/sell 100 XYZ 40 2025-03-14")
    chat.send("/buy 100 XYZ 41 2025-03-20 in my IRA")
    form = b"Description,Date Acquired,Date Sold,Proceeds,Cost Basis,Wash Sale Loss Disallowed,Term,Box\n"
    form += b'100 sh. XYZ,02/03/2025,03/14/2025,"4,000.00","5,000.00",,Short,A\n'
    report = send_file(chat, "1099b.csv", form)
    assert "I disallow $1,000.00 more of the loss as a wash sale than the broker does" in report
    assert "which the broker couldn't see" in report and "code W, and $1,000.00 in (g)" in report


def test_flex_query_without_symbol_in_the_chat(chat: Chat) -> None:
    reply = send_file(chat, "ibkr_flex_no_symbol.csv")
    assert "looks like an Interactive Brokers Flex query" in reply and "tick Symbol" in reply
    assert chat.service.state(1).trades == ()


def test_share_class_from_a_file_is_the_one_price_and_portfolio_know(chat: Chat) -> None:
    send_file(chat, "fidelity_combined_2022.csv")  # "BRK/B" as Fidelity prints it
    chat.tap("Add 5 trades")
    assert "Noted: BRK.B at $420.00" in chat.send("/price BRK/B 420")
    chat.send("/price brk-b 421")
    assert chat.service.state(1).prices == {"BRK.B": D("421")}
    assert "BRK.B: 1,000 shares, basis $318,550.00, worth $421,000.00" in chat.send("/portfolio")


def test_missing_lots_in_several_lines_and_twice_the_same_lot(chat: Chat) -> None:
    send_file(chat, "fidelity_all_accounts_2025.csv")
    reply = chat.send("10 VVV 2023-05-10 300\n10 VVV 2023-05-10 300")
    assert "sold 341 VVV (Brokerage 333333333); 20 held before." in reply  # still 321 short: asked again
    assert buttons(chat) == ["Add without those sales", "Cancel"]
    assert "321 VVV bought Jun 1, 2023 for $9,630.00" in chat.send("321 VVV Jun 1, 2023 $9,630")
    assert buttons(chat) == ["Add 7 trades", "Cancel"]
    chat.tap("Add 7 trades")
    lots = [t for t in chat.service.state(1).trades if t.symbol == "VVV" and t.side == "buy"]
    assert len({t.id for t in lots}) == 3 and sum(t.quantity for t in lots) == 341
    parts = [d for d in book(chat.service.state(1).trades).dispositions if d.symbol == "VVV"]
    assert sum(d.basis for d in parts) == D("10230.00")  # 300 + 300 + 9,630
    assert sum(d.proceeds for d in parts) == D("10378.37")


def test_splits_in_files_are_applied_and_undone_with_the_import(chat: Chat) -> None:
    preview = send_file(chat, "fidelity_espp_2021.csv")
    # REVERSE SPLIT R/S FROM +130 / R/S TO -1,300 with 1,000 + 300 LGO held: 1-for-10.
    assert "• Mar 8, 2021: LGO 1-for-10 reverse split." in preview
    assert buttons(chat) == ["Add 8 trades and 1 split", "Cancel"]
    assert "Added 8 trades and 1 split" in chat.tap("Add 8 trades")
    state = chat.service.state(1)
    lgo = [lot for lot in book([*state.trades, *state.splits]).lots if lot.symbol == "LGO"]
    assert [(lot.quantity, lot.basis) for lot in lgo] == [
        (100, D("1160.00")),
        (30, D("480.00")),
    ]  # a tenth of the shares
    espp = next(t for t in state.trades if t.source == "espp")
    assert espp.date == date(2020, 12, 31)  # "YOU BOUGHT ESPP### AS OF 12-31-20", run on 01/04/2021
    chat.press("import:undo")
    chat.tap("Yes, undo")
    assert chat.service.state(1).trades == () and chat.service.state(1).splits == ()


def test_schwab_split_of_shares_added_and_the_rest_without_the_unseen_sale(chat: Chat) -> None:
    preview = send_file(chat, "schwab_2023.csv")
    assert "• Jul 12, 2024: AVGO 10-for-1 split." in preview  # 9 shares added to 1 held
    assert "• Aug 22, 2023: sold 592.199 FIHBX; 28.841 held before." in preview
    reply = chat.tap("Add without those sales")
    assert "cut 1 sale to the shares held" in reply and buttons(chat) == ["Add 10 trades and 1 split", "Cancel"]
    chat.tap("Add 10 trades")
    state = chat.service.state(1)
    lots = {lot.symbol: lot for lot in book([*state.trades, *state.splits]).lots}
    assert (lots["AVGO"].quantity, lots["AVGO"].basis) == (10, D("1680.00"))
    assert lots["FIHBX"].quantity == D("12.4")  # the 28.841 held were sold; the October reinvestment stays


def test_a_realized_report_sent_again_is_compared_not_added_twice(chat: Chat) -> None:
    send_file(chat, "schwab_realized_lots.csv")
    chat.tap("Add 6 trades")
    report = send_file(chat, "schwab_realized_lots.csv")
    assert "compared them with yours; nothing was added" in report and "1 difference:" in report
    # VUG and DBGI agree to the dollar; XYZ's replacement purchase (the broker's wash sale) isn't here.
    assert "Mar 14, 2025 XYZ: the broker disallows $1,000.00 more of the loss as a wash sale than I do" in report
    assert len(chat.service.state(1).trades) == 6


def test_a_previews_lists_open_under_bold_headings_and_what_the_file_says_is_escaped(chat: Chat) -> None:
    """The preview is Telegram HTML like the other long answers: each list under a bold heading, the
    file's own text (a bad price, a company's name) escaped."""
    content = (FIXTURES / "schwab.csv").read_bytes().replace(b"$1O.00", b"<b>1O&amp;</b>")
    shown = send_file(chat, "schwab.csv", content)
    (preview,) = chat.last
    assert preview.html
    assert "\n<b>1 row I couldn't read:</b>\n" in preview.text
    assert "\n<b>Corporate actions for you to confirm (nothing changed for them):</b>\n" in preview.text
    assert "“&lt;b&gt;1O&amp;amp;&lt;/b&gt;” isn't a number" in preview.text  # shown as typed, not as bold
    assert "row 3: price “<b>1O&amp;</b>” isn't a number" in shown
    assert "Add them?" in shown and chat.tap("Add").startswith("Added")
