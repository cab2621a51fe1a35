"""The planner's shortcut: other symbols netted once, only the candidate's symbol netted again.

/whatif and the lot choice behind it try several sales of one symbol (now, on each day worth
waiting for, and one per way of picking lots). Lots and wash sales never cross symbols, so
the planner sums the other symbols' sales by year once (kept per symbol, calc.years.SUMMED)
and, per candidate, books and sums only the candidate's symbol. The reference books and nets
the whole history for every candidate (`at_once=True`, the way it was always figured). For
random histories (three symbols, sales across four years, wash sales, an IRA, splits, ISO
exercises whose sales make wages and AMT adjustments) and random candidate sales (any day,
any size, some more than is held), under random figures and carryovers, both must give the
same answer to the cent: every row, the wages, the tax with the sale, what it adds, each
wait and its saving, each lot choice and its tax, or the same error.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calc import Split, Trade, book
from calc.booking import KEPT, LATEST, Ledger
from calc.errors import CalcError
from calc.models import Lot
from calc.netting import Sales, lost_to_ira
from calc.planner import plan_sale, what_if
from calc.years import (
    ESPP_RULES,
    SALE_RULES,
    SUMMED,
    Carryover,
    TaxYears,
    YearChain,
    YearFigures,
    Years,
    YearTotals,
    summed,
    totals_of,
)
from conversations import taxview
from conversations.state import UserState

SYMBOLS = ("AAA", "BBB", "CCC")
START = date(2023, 2, 1)

rows = st.tuples(
    st.integers(0, 540),  # day: a trade every week or so in each symbol, so losses meet wash sales
    st.sampled_from(SYMBOLS),
    st.sampled_from(["buy"] * 4 + ["sell"] * 3 + ["split", "iso", "iso", "espp"]),
    st.integers(1, 60),  # shares
    st.integers(5, 90),  # price (an ISO's strike is a fifth of it, an ESPP's purchase price 85% of it)
    st.booleans(),  # in the IRA
)

figures = st.tuples(
    st.sampled_from(["single", "mfj", "mfs"]),
    st.sampled_from([0, 20_000, 85_000, 190_000, 650_000]),  # wages: none, each bracket region, past the NIIT line
    st.sampled_from([0, 2_000, 9_000, 40_000]),  # a stated carryover into 2023 (0: none)
)

sales = st.tuples(
    st.sampled_from(SYMBOLS),
    st.integers(-60, 420),  # day, from the history's last: mostly after it (today), up to the next year
    st.sampled_from([5, 10, 20, 35, 50, 75, 100, 130]),  # percent of the shares held at the end (130: too many)
    st.integers(1, 120),  # price
)


Row = tuple[int, str, str, int, int, bool]


def history(drawn: list[Row]) -> list[Trade | Split]:
    events: list[Trade | Split] = []
    held: dict[tuple[str, bool], D] = {}
    for number, (day, symbol, kind, shares, price, ira) in enumerate(sorted(drawn), 1):
        when = START + timedelta(days=day)
        if kind == "split":
            ratio = D(2) if shares % 2 else D("0.5")
            events.append(Split(date=when, symbol=symbol, ratio=ratio, id=f"S{number}"))
            held = {account: count * ratio if account[0] == symbol else count for account, count in held.items()}
            continue
        account = (symbol, ira and kind in ("buy", "sell"))
        whole = int(held.get(account, 0))
        side = "buy" if kind != "sell" or not whole else "sell"
        quantity = D(shares if side == "buy" else min(shares, whole))
        held[account] = held.get(account, D(0)) + (quantity if side == "buy" else -quantity)
        granted = when - timedelta(days=100 if shares % 2 else 500)  # sold within a year: disqualifying or not
        equity = {
            "iso": {"source": "iso", "price": D(price) / 5, "fmv": D(price), "grant_date": granted},
            "espp": {
                "source": "espp",
                "price": D(price) * D("0.85"),
                "fmv": D(price),
                "grant_date": granted,
                "offering_fmv": D(price) + shares % 7 - 3,
            },
        }
        events.append(
            Trade.model_validate(
                {
                    "date": when,
                    "symbol": symbol,
                    "side": side,
                    "quantity": quantity,
                    "price": D(price),
                    "account_type": "ira" if account[1] else "taxable",
                    "account": "IRA" if account[1] else None,
                    "id": f"T{number}",
                    **equity.get(kind, {}),
                }
            )
        )
    return events


def years_of(drawn: tuple[str, int, int]) -> Years:
    status, wages, carried = drawn
    years = Years(figures={2024: YearFigures(filing_status=status, wages=D(wages))})
    if carried:
        years = years.with_carryover(2023, D(carried), D(carried // 3))
    return years


def plain_totals(ledger: Ledger) -> dict[int, YearTotals]:
    """totals_of written the plain way: for each year, each figure summed over that year's rows."""
    totals = {}
    for year in sorted({d.sold.year for d in ledger.dispositions} | {e.date.year for e in ledger.income}):
        rows = [d for d in ledger.dispositions if d.sold.year == year]
        short = [d for d in rows if d.term == "short"]
        long = [d for d in rows if d.term == "long"]
        sales = Sales(
            short_gains=sum((d.gain for d in short if d.gain >= 0), D(0)),
            short_losses=sum((d.gain for d in short if d.gain < 0), D(0)),
            long_gains=sum((d.gain for d in long if d.gain >= 0), D(0)),
            long_losses=sum((d.gain for d in long if d.gain < 0), D(0)),
            washed=sum((d.wash_sale_disallowed for d in rows), D(0)),
            amt_short=sum((d.amt_gain - d.gain for d in short if d.amt_gain is not None), D(0)),
            amt_long=sum((d.amt_gain - d.gain for d in long if d.amt_gain is not None), D(0)),
            rows=len(rows),
            lost=lost_to_ira(rows),
        )
        made_by_sales = [
            e for e in ledger.income if e.date.year == year and any(r.rule in SALE_RULES for r in e.reasons)
        ]
        totals[year] = YearTotals(
            sales=sales,
            wages=ledger.wages(year),
            adjustments=ledger.amt_adjustments(year),
            sale_wages=sum((e.amount for e in made_by_sales if e.kind == "wages"), D(0)),
            sale_adjustments=sum((e.amount for e in made_by_sales if e.kind == "amt_adjustment"), D(0)),
            espp_wages=sum((e.amount for e in made_by_sales if any(r.rule in ESPP_RULES for r in e.reasons)), D(0)),
        )
    return totals


def outcome_lots(events: list[Trade | Split]) -> tuple[Lot, ...]:
    """The taxable lots held at the end (none when the history can't be booked)."""
    try:
        return book(events).taxable_lots()
    except CalcError:
        return ()


def outcome(figure: Callable[[], object]) -> object:
    try:
        return figure()
    except CalcError as error:
        return type(error), str(error)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=15, max_size=60), figures, st.lists(sales, min_size=1, max_size=3))
def test_the_shortcut_gives_the_figures_booking_everything_gives(
    drawn: list[Row], figured: tuple[str, int, int], candidates: list[tuple[str, int, int, int]]
) -> None:
    SUMMED.clear()
    events = history(drawn)
    years = years_of(figured)
    trades = [e for e in events if isinstance(e, Trade)]
    splits = [e for e in events if isinstance(e, Split)]
    last = max(e.date for e in events)
    for symbol, day, percent, price in candidates:
        when = last + timedelta(days=day)
        held = sum((lot.quantity for lot in outcome_lots(events) if lot.symbol == symbol), D(0))
        shares = max(D(1), (held * percent / 100).quantize(D(1)))
        sale = Trade(date=when, symbol=symbol, side="sell", quantity=shares, price=D(price))
        # Twice: the second time the other symbols' totals come from SUMMED.
        for _ in range(2):
            fast = outcome(lambda: what_if(trades, years, sale, splits))  # noqa: B023
            assert fast == outcome(lambda: what_if(trades, years, sale, splits, at_once=True))  # noqa: B023
            planned = outcome(lambda: plan_sale(events, symbol, shares, D(price), when, years))  # noqa: B023
            reference = outcome(lambda: plan_sale(events, symbol, shares, D(price), when, years, at_once=True))  # noqa: B023
            assert planned == reference


@settings(max_examples=120, deadline=None)
@given(st.lists(rows, min_size=15, max_size=60), figures, st.sampled_from(SYMBOLS))
def test_years_from_kept_totals_equal_years_from_the_ledger(
    drawn: list[Row], figured: tuple[str, int, int], edited: str
) -> None:
    SUMMED.clear()
    events = history(drawn)
    years = years_of(figured)
    # As after an edit: one symbol's trades change price (new objects); the others' totals come from SUMMED.
    again = [
        e.model_copy(update={"price": e.price + 1}) if isinstance(e, Trade) and e.symbol == edited else e
        for e in events
    ]
    for version in (events, events, again):
        try:
            ledger = book(version)
        except CalcError:
            continue
        # Rows come in date order: the wash-window reminders read only the newest (conversations.reminders).
        assert [d.sold for d in ledger.dispositions] == sorted(d.sold for d in ledger.dispositions)
        whole = TaxYears(ledger, years)
        kept = YearChain(summed(version), years)
        assert kept.totals == totals_of(ledger) == plain_totals(ledger)
        assert kept.first_year() == whole.first_year()
        for year in range(2022, 2028):
            mine, theirs = kept.view(year), whole.view(year)
            assert mine == theirs
            assert mine.with_gains == theirs.with_gains
            assert mine.without_gains == theirs.without_gains
            assert mine.carryover_saving == theirs.carryover_saving


def test_a_stated_carryover_and_no_sales_still_chain() -> None:
    # $5,000 carried into 2024 with $80,000 of wages: $3,000 deducted, $2,000 carried on into 2025.
    years = Years(figures={2024: YearFigures(wages=D(80000))}, carryovers={2024: Carryover(short=D(5000))})
    assert YearChain(summed([]), years).summary(2025).carryover_short == 2000


@settings(max_examples=40, deadline=None)
@given(st.lists(rows, min_size=15, max_size=60), st.sampled_from(SYMBOLS))
def test_the_chat_nets_its_ledger_from_kept_totals(drawn: list[Row], edited: str) -> None:
    events = history(drawn)
    first = UserState(
        trades=tuple(e for e in events if isinstance(e, Trade)), splits=tuple(e for e in events if isinstance(e, Split))
    )
    changed = first.model_copy(
        update={
            "trades": tuple(
                t.model_copy(update={"price": t.price + 1}) if t.symbol == edited else t for t in first.trades
            )
        }
    )
    for state in (first, first, changed):
        try:
            ledger = taxview.ledger_for(state)
        except CalcError:
            continue
        assert taxview.tax_years(state, ledger).totals == totals_of(ledger)


def test_candidate_sales_are_booked_from_what_is_kept_and_kept_nowhere() -> None:
    events = history([(day, symbol, "buy", 10, 20 + day % 7, False) for day in range(0, 300, 9) for symbol in SYMBOLS])
    trades = [e for e in events if isinstance(e, Trade)]
    KEPT.clear()
    book(trades)
    kept, latest = len(KEPT), dict(LATEST)
    sale = Trade(date=max(t.date for t in trades), symbol="AAA", side="sell", quantity=D(25), price=D(30))
    result = what_if(trades, Years(), sale)
    plan_sale(trades, "AAA", D(25), D(30), sale.date, Years())
    assert len(KEPT) == kept and latest == LATEST  # nothing a later message could want
    assert result == what_if(trades, Years(), sale, at_once=True)
