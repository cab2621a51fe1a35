"""A row's reasons, which booking keeps compact and builds when read (calc.why), are the Reasons the
rules say, with the numbers and sources the chat words: the same whether read first or after `cites`."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from calc import book
from calc.models import Disposition, Reason
from calc.netting import lost_to_ira, sales_by_year
from conversations.formatting import Fmt, held_words
from tests.ledger import ledger, never_oversold

D = Decimal
WASH = "IRC 1091; Publication 550, Wash Sales"
HOLDING = "IRC 1222; Publication 550, Holding Period"
RULES = (
    "holding.short",
    "holding.long",
    "holding.inherited",
    "wash.disallowed",
    "wash.ira_permanent",
    "wash.basis_added",
    "wash.not_crypto",
    "split",
)


def test_a_wash_sale_and_the_later_sale_of_its_replacement_say_what_the_rules_say() -> None:
    # Publication 550's example: the $250 loss moves into the shares bought 17 days later, and the
    # 153 days the old shares were held tack on to the new ones (IRC 1223(3)).
    led = book(
        ledger("""
        2024-01-02 buy  100 XYZ 10    id=old
        2024-06-03 sell 100 XYZ 7.50  id=s
        2024-06-20 buy  100 XYZ 8     id=new
        2025-07-01 sell 100 XYZ 9     id=s2
        """)
    )
    washed, later = led.dispositions
    basis_added = Reason(
        "wash.basis_added",
        {"amount": D(250), "shares": D(100), "sale_date": date(2024, 6, 3), "sold_lot": "old", "tacked_days": 153},
        "IRC 1091(d); Publication 550, Wash Sales",
    )
    assert washed.reasons == (
        Reason(
            "holding.short",
            {"days": 153, "acquired": date(2024, 1, 2), "sold": date(2024, 6, 3), "long_term_from": date(2025, 1, 3)},
            HOLDING,
        ),
        Reason(
            "wash.disallowed",
            {
                "shares": D(100),
                "disallowed": D(250),
                "loss": D(250),
                "replacement_lot": "new",
                "replacement_date": date(2024, 6, 20),
            },
            WASH,
        ),
    )
    # Held from Jan 19, 2024 (Jun 20 less the 153 days) to Jul 1, 2025: 529 days, long-term from Jan 20, 2025.
    assert later.reasons == (
        Reason(
            "holding.long",
            {"days": 529, "acquired": date(2024, 1, 19), "sold": date(2025, 7, 1), "long_term_from": date(2025, 1, 20)},
            HOLDING,
        ),
        basis_added,
    )
    fmt = Fmt()
    assert held_words(washed, fmt) == "held 153 days, one year or less"
    assert held_words(later, fmt) == (
        "held 529 days (376 days, plus 153 from the shares whose loss moved here in a wash sale), more than one year"
    )


def test_an_ira_replacement_disallows_the_loss_for_good() -> None:
    (sale,) = book(
        ledger("""
        2024-01-02 buy  100 XYZ 10    id=old
        2024-06-03 sell 100 XYZ 7.50  id=s
        2024-06-20 buy  100 XYZ 8     id=ira account=ira
        """)
    ).dispositions
    assert sale.reasons[1:] == (
        Reason(
            "wash.ira_permanent",
            {
                "shares": D(100),
                "disallowed": D(250),
                "loss": D(250),
                "replacement_lot": "ira",
                "replacement_date": date(2024, 6, 20),
            },
            WASH,
        ),
    )


def test_an_inherited_loss_two_ira_purchases_replace_stays_inherited_and_is_lost_for_good() -> None:
    # Each IRA purchase replaces part of the loss (IRC 1091, Rev. Rul. 2008-5): $2.50 a share on
    # 40 + 60 shares, all $250 lost for good; the shares were inherited, so the sale is long-term
    # (IRC 1223(9)) however many IRA purchases replaced them.
    events = ledger("""
        2024-01-02 buy  100 XYZ 10    id=inh source=inherited
        2024-06-03 sell 100 XYZ 7.50  id=s
        2024-06-10 buy  40  XYZ 8     id=ira1 account=ira
        2024-06-20 buy  60  XYZ 8     id=ira2 account=ira
        """)
    (unread,) = book(events, keep=False).dispositions
    summed = sales_by_year([unread])[2024]  # before its reasons are built
    assert (summed.washed, summed.lost) == (D(250), D(250))
    assert unread.cites("holding.inherited") and not unread.cites("holding.long")
    assert [r.rule for r in unread.reasons] == ["holding.inherited", "wash.ira_permanent", "wash.ira_permanent"]
    assert sales_by_year([unread])[2024] == summed == sales_by_year([unread], only=2024)[2024]  # built now
    assert lost_to_ira([unread]) == D(250)
    assert lost_to_ira([unread], "ira1") == D(100)


def test_inherited_shares_say_they_are_long_term_whatever_the_days() -> None:
    (sale,) = book(
        ledger("""
        2024-01-02 buy  100 XYZ 10 id=inh source=inherited
        2024-03-01 sell 100 XYZ 12
        """)
    ).dispositions
    assert sale.term == "long"
    assert sale.reasons == (
        Reason(
            "holding.inherited",
            {"days": 59, "acquired": date(2024, 1, 2), "sold": date(2024, 3, 1)},
            "IRC 1223(9); Publication 551, Inherited Property",
        ),
    )
    assert held_words(sale, Fmt()) == "inherited 59 days before, long-term however long (IRC 1223(9))"


def rules_of(row: Disposition) -> set[str]:
    return {reason.rule for reason in row.reasons}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.booleans(), st.integers(1, 50), st.integers(5, 30), st.integers(0, 1)),
        min_size=1,
        max_size=40,
    ),
)
def test_cites_says_what_the_built_reasons_say(rows: list[tuple[int, bool, int, int, int]]) -> None:
    events, _ = never_oversold(rows)
    unread = book(events, keep=False).dispositions
    cited = [{rule for rule in RULES if row.cites(rule)} for row in unread]  # before anything is built
    summed = sales_by_year(unread)  # from the compact reasons
    assert cited == [rules_of(row) for row in unread]
    assert sales_by_year(unread) == summed  # from the built ones
    again = book(events, keep=False).dispositions  # a fresh booking, read in another order
    assert [repr(row) for row in again] == [repr(row) for row in unread]
    assert [pickle.loads(pickle.dumps(row)) for row in again] == list(unread)
