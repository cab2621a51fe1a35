"""/espp: shares bought through an employee stock purchase plan, in one line or step by step.

The employer's Form 3922 has every figure: the offering (grant) date (box 1), the purchase date
(box 2), the value per share on each (boxes 3 and 4), the price paid (box 5) and the shares (box 6);
box 8 is the price figured as if bought on the offering date, when the plan's price wasn't fixed then.
The engine (calc.espp) does the law; this module asks, checks, records and explains.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from calc import Trade
from calc import espp as law
from calc.models import ZERO
from calc.params import espp_law
from conversations.drafts import EsppDraft
from conversations.espp_words import W2_AND_1099B, holding_periods, lot_words
from conversations.formatting import Fmt
from conversations.kernel import Ctx, Handler, Outcome, answers, ask, say
from conversations.parsing import (
    NUMBER,
    US,
    InputError,
    Locale_,
    asked_symbol,
    money,
    quantity,
    symbol,
    trade_date,
)
from conversations.state import UserState
from conversations.taxview import ledger_for
from conversations.trading import (
    ASKING_QUANTITY,
    ASKING_SYMBOL,
    ASKING_TRADE_DATE,
    answer_date,
    checked,
    next_trade_id,
    number_of,
    save,
)

ASKING_PAID = "ASKING_PAID"
ASKING_PURCHASE_FMV = "ASKING_PURCHASE_FMV"
ASKING_OFFERING_DATE = "ASKING_OFFERING_DATE"
ASKING_OFFERING_FMV = "ASKING_OFFERING_FMV"
EXAMPLE = "/espp 100 ACME bought 2026-06-30 at 42.50 offering 2026-01-02 fmv 50 purchase fmv 55"
HELP = (
    f"Write it like: {EXAMPLE} (shares, symbol, the purchase date and the price you paid a share, the offering "
    "date and a share's value then, a share's value on the purchase date: Form 3922 boxes 6, 2, 5, 1, 3 and 4). "
    "Or send /espp alone and I'll ask step by step."
)

# The words that start each figure of a one-line /espp. "offering" and "purchase" say which day the
# date or value after them belongs to; "fmv" (or "worth", "value") is that day's value.
PURCHASE_WORDS = {"bought", "purchased", "purchase", "on", "exercised"}
OFFERING_WORDS = {"offering", "offered", "offer", "grant", "granted", "enrolled", "enrollment", "start", "started"}
VALUE_WORDS = {"fmv", "worth", "value", "valued"}
PRICE_WORDS = {"at", "@", "paid", "price", "for", "cost"}
FILLER = {"shares", "share", "of", "a", "each", "per", "the", "date", "was", "and", "espp", "day", "then", ","}


@dataclass(frozen=True)
class Purchase:
    """An ESPP purchase as the user gave it (every figure of Form 3922 the engine needs)."""

    quantity: Decimal
    symbol: str
    purchased: dt.date
    price: Decimal
    purchase_fmv: Decimal
    offered: dt.date
    offering_fmv: Decimal
    offering_price: Decimal | None = None


def espp(ctx: Ctx, args: str) -> Outcome:
    if not args.strip():
        return ask(
            ctx,
            "espp",
            ASKING_SYMBOL,
            "Which stock did your ESPP buy? Send the ticker symbol, like ACME. (Every figure I'll ask for is on "
            "the Form 3922 your employer sends.)",
            EsppDraft(),
        )
    completed = complete(ctx, args)
    if completed is not None:
        return completed
    return record(ctx, purchase_line(args, ctx.today, ctx.fmt.locale))


def _slots(args: str) -> dict[str, list[str]]:
    """The words of a one-line /espp sorted by the figure they give ("head": the shares and symbol)."""
    slots: dict[str, list[str]] = {"head": []}
    day, current = "purchase", "head"
    words = re.sub(r"\bbox\s+8\b", "box8", args.replace("$", " "), flags=re.I).split()
    for word in (w.rstrip(",;:") for w in words):
        lowered = word.lower()
        if lowered == "on" and current in ("date", "grant_date") and not slots.get(current):
            continue  # "bought on ...", "offering on ...": the date follows
        if lowered in PURCHASE_WORDS:
            day, current = "purchase", "date"
        elif lowered in OFFERING_WORDS:
            day, current = "offering", "grant_date"
        elif lowered in VALUE_WORDS:
            current = "fmv" if day == "purchase" else "offering_fmv"
        elif lowered in ("at", "@", "price") and day == "offering":
            current = "offering_fmv"  # "offering 2026-01-02 at 50", "offering price 50": the value then
        elif lowered in PRICE_WORDS:
            current = "price"
        elif lowered == "box8":
            current = "offering_price"
        elif lowered and lowered not in FILLER:
            slots.setdefault(current, []).append(word)
    return slots


# Each figure of a line: its Trade field, how to read it, and its name in a message.
FIGURES = {
    "date": ("the purchase date (box 2)", "date"),
    "price": ("the price you paid a share (box 5)", "price you paid"),
    "grant_date": ("the offering date (box 1)", "date"),
    "offering_fmv": ("a share's value on the offering date (box 3)", "value on the offering date"),
    "fmv": ("a share's value on the purchase date (box 4)", "value on the purchase date"),
    "offering_price": ("the price as if bought on the offering date (box 8)", "box 8 price"),
}


def _figures(slots: dict[str, list[str]], today: dt.date, locale: Locale_) -> dict[str, object]:
    """The figures a line gives, read, as Trade fields."""
    figures: dict[str, object] = {}
    for field, (_, name) in FIGURES.items():
        words = slots.get(field)
        if not words:
            continue
        if name == "date":
            figures[field] = trade_date(" ".join(words), today, locale)
        else:
            figures[field] = money(words[0], name, allow_zero=field in ("price", "offering_price"), locale=locale)
    return figures


def purchase_line(args: str, today: dt.date, locale: Locale_ = US) -> Purchase:
    """Read '100 ACME bought 2026-06-30 at 42.50 offering 2026-01-02 fmv 50 purchase fmv 55'."""
    slots = _slots(args)
    numbers = [w for w in slots["head"] if NUMBER.match(w)]
    tickers = [w for w in slots["head"] if re.fullmatch(r"[A-Za-z][A-Za-z0-9.\-]{0,7}", w)]
    if not numbers or not tickers:
        raise InputError(f"I need the number of shares and the symbol. {HELP}")
    missing = [message for field, (message, _) in FIGURES.items() if field != "offering_price" and not slots.get(field)]
    if missing:
        raise InputError(f"I still need {_listed(missing)}. {HELP}")
    f = _figures(slots, today, locale)
    return Purchase(
        quantity=quantity(numbers[0], locale),
        symbol=symbol(tickers[0]),
        purchased=_day(f["date"]),
        price=_money(f["price"]),
        purchase_fmv=_money(f["fmv"]),
        offered=_day(f["grant_date"]),
        offering_fmv=_money(f["offering_fmv"]),
        offering_price=_money(f["offering_price"]) if "offering_price" in f else None,
    )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _day(value: object) -> dt.date:
    assert isinstance(value, dt.date)
    return value


def _money(value: object) -> Decimal:
    assert isinstance(value, Decimal)
    return value


def allowed(p: Purchase, fmt: Fmt) -> Purchase:
    """What Form 3922 can't say: an offering after the purchase, or a price below what IRC 423 allows."""
    if p.offered > p.purchased:
        raise InputError(
            "The offering date is after the purchase date. The offering (grant) date comes first, usually the "
            "first day of the offering period; the purchase is at its end (Form 3922 boxes 1 and 2)."
        )
    most = espp_law().max_discount
    lowest = (1 - most) * min(p.offering_fmv, p.purchase_fmv)
    if p.price + Decimal("0.01") < lowest:  # a cent for the plan's rounding
        raise InputError(
            f"A qualified plan can't sell below {100 - most * 100:.0f}% of the lower of the two values "
            f"(IRC 423(b)(6)), and {fmt.money(p.price)} is below that ({fmt.money(lowest)}). Check Form 3922 boxes 3, 4 and 5; "
            "shares from a plan that isn't a section 423 plan are pay when bought (record them with /vest)."
        )
    return p


# --- the wizard: symbol, purchase date, shares, then these ------------------------------------------
def answer_symbol(ctx: Ctx, text: str) -> Outcome:
    draft = answers(ctx, EsppDraft).model_copy(update={"symbol": asked_symbol(text)})
    return ask(
        ctx,
        "espp",
        ASKING_TRADE_DATE,
        "On what date were the shares bought? (the purchase date, Form 3922 box 2, like 2026-06-30)",
        draft,
    )


def answer_shares(ctx: Ctx, text: str) -> Outcome:
    draft = answers(ctx, EsppDraft).model_copy(update={"quantity": quantity(text, ctx.fmt.locale)})
    return ask(ctx, "espp", ASKING_PAID, "What price did you pay a share? (box 5, like 42.50)", draft)


def answer_paid(ctx: Ctx, text: str) -> Outcome:
    paid = money(text, "price you paid", locale=ctx.fmt.locale)
    draft = answers(ctx, EsppDraft).model_copy(update={"price": paid})
    return ask(ctx, "espp", ASKING_PURCHASE_FMV, "What was a share worth on the purchase date? (box 4, like 55)", draft)


def answer_purchase_fmv(ctx: Ctx, text: str) -> Outcome:
    fmv = money(text, "value on the purchase date", allow_zero=False, locale=ctx.fmt.locale)
    draft = answers(ctx, EsppDraft).model_copy(update={"fmv": fmv})
    return ask(
        ctx,
        "espp",
        ASKING_OFFERING_DATE,
        "When did the offering start? (the grant date, Form 3922 box 1, like 2026-01-02: usually the first day "
        "of the offering period)",
        draft,
    )


def answer_offering_date(ctx: Ctx, text: str) -> Outcome:
    offered = trade_date(text, ctx.today, ctx.fmt.locale)
    draft = answers(ctx, EsppDraft)
    assert draft.date is not None
    if offered > draft.date:
        raise InputError(
            f"That's after the purchase on {ctx.fmt.day(draft.date)}: the offering comes first. "
            "Send the offering (grant) date, Form 3922 box 1."
        )
    return ask(
        ctx,
        "espp",
        ASKING_OFFERING_FMV,
        "And what was a share worth on the offering date? (box 3, like 50)",
        draft.model_copy(update={"offered": offered}),
    )


def answer_offering_fmv(ctx: Ctx, text: str) -> Outcome:
    offering_fmv = money(text, "value on the offering date", allow_zero=False, locale=ctx.fmt.locale)
    d = answers(ctx, EsppDraft)
    assert d.quantity is not None and d.date is not None and d.price is not None and d.fmv is not None
    assert d.offered is not None
    purchase = Purchase(
        quantity=d.quantity,
        symbol=d.symbol,
        purchased=d.date,
        price=d.price,
        purchase_fmv=d.fmv,
        offered=d.offered,
        offering_fmv=offering_fmv,
    )
    return record(ctx, purchase)


# --- saving and explaining ---------------------------------------------------------------------------
def record(ctx: Ctx, p: Purchase) -> Outcome:
    allowed(p, ctx.fmt)
    trade = Trade(
        date=p.purchased,
        symbol=p.symbol,
        side="buy",
        quantity=p.quantity,
        price=p.price,
        id=next_trade_id(ctx.state),
        source="espp",
        fmv=p.purchase_fmv,
        grant_date=p.offered,
        offering_fmv=p.offering_fmv,
        offering_price=p.offering_price,
    )
    return save(ctx, trade, describe)


def describe(fmt: Fmt, state: UserState, trade: Trade) -> str:
    """What an ESPP purchase means: no tax now, and what a sale before or after the qualifying day makes pay."""
    assert trade.grant_date is not None and trade.fmv is not None and trade.offering_fmv is not None
    shares = trade.quantity
    bargain = max(ZERO, trade.fmv - trade.price)
    discount = law.discount_per_share(trade)
    qualifying = law.qualifying_from(trade.grant_date, trade.date)
    lot = next((lot for lot in ledger_for(state).lots if lot.id == trade.id), None)
    lines = [
        f"Saved #{number_of(trade)}: {fmt.shares(shares)} {trade.symbol} bought through your ESPP on "
        f"{fmt.day(trade.date)} at {fmt.money(trade.price)} (worth {fmt.money(trade.fmv)} that day; the offering "
        f"started {fmt.day(trade.grant_date)} at {fmt.money(trade.offering_fmv)}).",
        f"• No tax now: buying through the plan isn't income (IRC 421(a)). Your basis is the "
        f"{fmt.money(trade.price * shares + trade.fees)} you paid.",
        f"• Sell before {fmt.day(qualifying)} and {fmt.money(bargain * shares)} of it is pay, not a capital gain: "
        f"the discount you got when you bought, ({fmt.money(trade.fmv)} − {fmt.money(trade.price)}) × "
        f"{fmt.counted(shares, 'share')}, even if you sell at a loss (a disqualifying disposition). {W2_AND_1099B}",
        f"• Sell on or after {fmt.day(qualifying)} ({holding_periods()}: a qualifying disposition) and at most "
        f"{fmt.money(discount * shares)} is pay: the discount at the offering, ({fmt.money(trade.offering_fmv)} − "
        f"{fmt.money(law.offering_price(trade))}) × {fmt.counted(shares, 'share')}, or your gain if that's smaller; "
        "the rest is long-term gain. A sale at a loss then makes no pay.",
    ]
    if trade.offering_price is None and law.offering_price(trade) != trade.price:
        lines.append(
            f"  ({fmt.money(law.offering_price(trade))} is the price as if bought on the offering day, with your "
            "plan's discount from the lower of the two values. If box 8 of your Form 3922 shows another, send "
            f"/espp #{number_of(trade)} box8 and that price.)"
        )
    if lot is not None:
        lines.append(f"• The shares turn long-term on {fmt.day(lot.long_term_from)}.")
    return "\n".join(lines)


def complete(ctx: Ctx, args: str) -> Outcome | None:
    """`/espp #7 offering 2026-01-02 fmv 50 purchase fmv 55` (or `box8 45`): the Form 3922 figures for an
    ESPP purchase already recorded (a broker file says only "ESPP"); None when the line names no trade."""
    found = re.match(r"\s*#(\d+)\s+(.*)", args)
    if found is None:
        return None
    trade = next(
        (t for t in ctx.state.trades if number_of(t) == found[1] and t.side == "buy"),
        None,
    )
    if trade is None:
        raise InputError(f"There's no purchase #{found[1]}. /trades lists them with their numbers.")
    given = _figures(_slots(found[2]), ctx.today, ctx.fmt.locale)
    values = trade.model_dump() | {"source": "espp"} | given
    updated = Trade.model_validate(values)
    if updated.grant_date is None or updated.fmv is None or updated.offering_fmv is None:
        raise InputError(
            f"For #{number_of(trade)} I still need the offering date and a share's value then and on the purchase "
            f"day, like /espp #{number_of(trade)} offering 2026-01-02 fmv 50 purchase fmv 55."
        )
    allowed(
        Purchase(
            quantity=updated.quantity,
            symbol=updated.symbol,
            purchased=updated.date,
            price=updated.price,
            purchase_fmv=updated.fmv,
            offered=updated.grant_date,
            offering_fmv=updated.offering_fmv,
            offering_price=updated.offering_price,
        ),
        ctx.fmt,
    )
    trades = tuple(updated if t.id == trade.id else t for t in ctx.state.trades)
    checked(ctx, trades)
    state = ctx.state.model_copy(update={"trades": trades})
    return say(ctx, "Updated. " + describe(ctx.fmt, state, updated).removeprefix("Saved "), trades=trades)


def espp_answer(ctx: Ctx) -> str:
    """ESPP in words ("how is my ESPP taxed?", "bought 100 ACME through my ESPP at 42.50"): how it works,
    the user's own ESPP lots and their qualifying days, and how to record one (never saved from words:
    a plain purchase would count the pay as capital gain)."""
    fmt = ctx.fmt
    lines = [
        "Shares from an employee stock purchase plan aren't taxed when you buy them. When you sell, part of it "
        f"is pay (on your W-2), not a capital gain: sold before the qualifying day ({holding_periods()}), the "
        "whole discount you got when you bought, even at a loss; from that day, at most the discount at the "
        "offering. Your broker's 1099-B basis usually leaves that pay out (Form 8949 code B fixes it).",
        f"Record a purchase with /espp and I'll ask for each figure from your Form 3922, or in one line: {EXAMPLE}.",
    ]
    said = _said_line(ctx)
    if said:
        lines[1] = said
    held = [lot for lot in ledger_for(ctx.state).lots if lot.source == "espp"]
    for lot in held[:5]:
        bought = ctx.state.trade(lot.purchase_id)
        if bought is not None:
            lines.append(
                f"• {fmt.shares(lot.quantity)} {lot.symbol} bought {fmt.day(lot.purchased)}: "
                + lot_words(lot, bought, ctx.today, fmt)
            )
    return "\n".join(lines)


SAID = re.compile(r"^\s*(i\s+)?(just\s+)?(bought|purchased|got|acquired)\s+", re.I)


def _said_line(ctx: Ctx) -> str:
    """A purchase told in words, as the /espp line that records it: with what was said filled in and
    what is missing named (the user sends it; a line from words is never saved unseen)."""
    text = ctx.event.text or ""
    if not SAID.search(text):
        return ""
    slots = _slots(SAID.sub("", text))
    numbers = [w for w in slots["head"] if NUMBER.match(w)]
    tickers = [w for w in slots["head"] if re.fullmatch(r"[A-Z][A-Z0-9.\-]{0,7}", w)]
    if not numbers or not tickers:
        return ""
    try:
        figures = _figures(slots, ctx.today, ctx.fmt.locale)
    except InputError:
        return ""
    needed = ("date", "price", "grant_date", "offering_fmv", "fmv")
    # Numbers as the user wrote them, so the line reads back the same (a German 42,50); dates as ISO.
    value: dict[str, str | None] = {field: None for field in needed}
    for field, given in figures.items():
        value[field] = given.isoformat() if isinstance(given, dt.date) else slots[field][0]
    line = (
        f"/espp {numbers[0]} {tickers[0]} bought {value['date'] or 'DATE'} at {value['price'] or 'PRICE'} "
        f"offering {value['grant_date'] or 'DATE'} fmv {value['offering_fmv'] or 'VALUE'} "
        f"purchase fmv {value['fmv'] or 'VALUE'}"
    )
    missing = [message for field, (message, _) in FIGURES.items() if field in needed and field not in figures]
    if not missing:
        return f"To save it, send: {line}"
    return f"To save it I also need {_listed(missing)} (Form 3922). Send it like: {line}"


def missing_figures_words(trades: Sequence[Trade], fmt: Fmt) -> str:
    """For a broker file's ESPP purchases (it says "ESPP" and the purchase date, not Form 3922's other
    figures): which ones, and the line that completes each, so their pay isn't counted as capital gain."""
    bare = [t for t in trades if t.source == "espp" and not law.has_figures(t)]
    if not bare:
        return ""
    listed = ", ".join(f"#{number_of(t)} ({fmt.shares(t.quantity)} {t.symbol} bought {fmt.day(t.date)})" for t in bare)
    return (
        f"\nESPP purchases without their Form 3922 figures: {listed}. Until you send them, a sale's pay counts as "
        f"capital gain. Send each like /espp #{number_of(bare[0])} offering 2026-01-02 fmv 50 purchase fmv 55 "
        "(the offering date and a share's value then, and its value on the purchase day: boxes 1, 3 and 4)."
    )


STEPS: dict[tuple[str, str], Handler] = {
    ("espp", ASKING_SYMBOL): answer_symbol,
    ("espp", ASKING_TRADE_DATE): answer_date,
    ("espp", ASKING_QUANTITY): answer_shares,
    ("espp", ASKING_PAID): answer_paid,
    ("espp", ASKING_PURCHASE_FMV): answer_purchase_fmv,
    ("espp", ASKING_OFFERING_DATE): answer_offering_date,
    ("espp", ASKING_OFFERING_FMV): answer_offering_fmv,
}
