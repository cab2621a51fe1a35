"""Recording trades: the /buy and /sell wizards, one-line trades, /undo, /trades, /edit, /delete, /price."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from calc import CalcError, Disposition, Lot, LotPick, Trade
from calc.booking import WASH_WINDOW
from calc.limits import PRICE
from calc.matching import take_in_order
from calc.models import ZERO, Asset
from calc.netting import lost_to_ira
from conversations import shelters, splits
from conversations.capping import first_few
from conversations.confirming import CLOSED as CLOSED_QUESTION
from conversations.confirming import ago, answered, bound, button, on_step, question, stale, unbind, undo_button
from conversations.drafts import TradeDraft
from conversations.espp_words import sale_words
from conversations.events import Button, Reply
from conversations.formatting import Fmt, error_words, gain_line, held_words
from conversations.kernel import Ctx, Handler, Outcome, answers, ask, asking, say
from conversations.parsing import (
    GIFT,
    INHERITED,
    InputError,
    TradeLine,
    asked_symbol,
    money,
    quantity,
    short,
    symbol,
    trade_date,
    trade_line,
)
from conversations.state import UserState
from conversations.taxview import books_without, gift_day, held, ledger_as_of, ledger_for, ledger_of

ASKING_SYMBOL = "ASKING_SYMBOL"
ASKING_TRADE_DATE = "ASKING_TRADE_DATE"
ASKING_QUANTITY = "ASKING_QUANTITY"
ASKING_PRICE = "ASKING_PRICE"
ASKING_FEES = "ASKING_FEES"
ASKING_LOTS = "ASKING_LOTS"
ASKING_GIFT_DATE = "ASKING_GIFT_DATE"
ASKING_GIFT_VALUE = "ASKING_GIFT_VALUE"
MAX_LOT_BUTTONS = 8
CLOSED = "That question is closed. Start again with /buy or /sell."


def buy(ctx: Ctx, args: str) -> Outcome:
    return _start(ctx, "buy", args)


def sell(ctx: Ctx, args: str) -> Outcome:
    return _start(ctx, "sell", args)


def _start(ctx: Ctx, side: str, args: str) -> Outcome:
    if args:
        line = trade_line(f"/{side} {args}", ctx.today, locale=ctx.fmt.locale)
        assert line is not None
        return record(ctx, line)
    verb = "buy" if side == "buy" else "sell"
    return ask(
        ctx, side, ASKING_SYMBOL, f"Which stock did you {verb}? Send the ticker symbol, like AAPL.", TradeDraft()
    )


# --- the wizard, one question at a time --------------------------------------------------------
def answer_symbol(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    ticker = asked_symbol(text)
    if wizard.flow == "sell":
        owned = held(ledger_for(ctx.state), ticker)
        if not owned:
            holdings = sorted({lot.symbol for lot in ledger_for(ctx.state).lots})
            hint = (
                f" You hold {', '.join(holdings)}."
                if holdings
                else " You haven't recorded any purchases yet: /buy first."
            )
            raise InputError(f"You don't hold any {ticker}.{hint}")
    draft = asking(ctx).model_copy(update={"symbol": ticker})
    days = (button(ctx, "Today", "date", "today"), button(ctx, "Yesterday", "date", "yesterday"))
    if wizard.flow == "buy":  # shares not bought have their own dates and basis (IRC 1014, 1015)
        return ask(
            ctx,
            "buy",
            ASKING_TRADE_DATE,
            "On what date did you buy them? (the trade date, like 2024-01-10 or Jan 10 2024)\n"
            "Inherited them, or got them as a gift? Tap that instead.",
            draft,
            buttons=(days, (button(ctx, "Inherited", "got", "inherited"), button(ctx, "A gift", "got", "gift"))),
        )
    return ask(
        ctx,
        wizard.flow,
        ASKING_TRADE_DATE,
        "On what date? (the trade date, like 2024-01-10 or Jan 10 2024)",
        draft,
        buttons=(days,),
    )


def answer_how_got(ctx: Ctx, how: str) -> Outcome:
    """Inherited or a gift, tapped (or typed) at the /buy date question: that question asked for them."""
    wizard = ctx.state.wizard
    if wizard is None or wizard.flow != "buy":
        return say(ctx, CLOSED)
    draft = answers(ctx, TradeDraft)
    if how == "inherited":
        question = (
            "On what date did the person you inherited them from die? (like 2024-03-01; if the estate chose the "
            "alternate valuation date, send that date)"
        )
    elif how == "gift":
        question = (
            "On what date did the donor buy them? (like 2019-05-01: their holding period and basis carry over to you)"
        )
    else:
        return say(ctx, "Tap Inherited or A gift, or send the date you bought them.")
    return ask(ctx, "buy", ASKING_TRADE_DATE, question, draft.model_copy(update={"source": how}))


def answer_date(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    if wizard.flow == "buy" and answers(ctx, TradeDraft).source == "purchase":
        if GIFT.search(text):
            return answer_how_got(ctx, "gift")
        if INHERITED.search(text):
            return answer_how_got(ctx, "inherited")
    when = trade_date(text, ctx.today, ctx.fmt.locale)
    draft = asking(ctx).model_copy(update={"date": when})
    if wizard.flow == "sell":
        owned = held(ledger_as_of(ctx.state, when), draft.symbol)
        if not owned:
            raise InputError(f"On {ctx.fmt.day(when)} you didn't hold any {draft.symbol} yet. Send a later date.")
        question = f"How many shares? (you held {ctx.fmt.shares(owned)} then)"
    else:
        question = "How many shares?"
    return ask(ctx, wizard.flow, ASKING_QUANTITY, question, draft)


def answer_quantity(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    draft = answers(ctx, TradeDraft).model_copy(update={"quantity": quantity(text, ctx.fmt.locale)})
    return ask(ctx, wizard.flow, ASKING_PRICE, PRICE_QUESTIONS[draft.source], draft)


PRICE_QUESTIONS = {
    "purchase": "At what price per share? (like 20 or 187.50)",
    "inherited": "What was each share worth on that date? (the value at death is your basis, IRC 1014; like 50 or 187.50)",
    "gift": "What did the donor pay per share? (their basis carries over to you, IRC 1015; like 20 or 187.50)",
}


def answer_price(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    price = money(text, "price", allow_zero=False, locale=ctx.fmt.locale)
    draft = answers(ctx, TradeDraft).model_copy(update={"price": price})
    if draft.source == "inherited":  # no fees: nothing was bought
        return record(ctx, _line("buy", draft))
    if draft.source == "gift":
        return ask(ctx, "buy", ASKING_GIFT_DATE, "On what date were they given to you? (like 2024-03-01)", draft)
    return ask(
        ctx,
        wizard.flow,
        ASKING_FEES,
        "Any fees or commission in total? (like 4.95)",
        draft,
        buttons=((button(ctx, "No fees", "fees", "0"),),),
    )


def answer_fees(ctx: Ctx, text: str) -> Outcome:
    wizard = ctx.state.wizard
    assert wizard is not None
    draft = answers(ctx, TradeDraft).model_copy(update={"fees": money(text, "fee", locale=ctx.fmt.locale)})
    line = _line(wizard.flow, draft)
    if wizard.flow == "sell":
        lots = _open_lots(ctx, line)
        if len(lots) > 1:
            return ask(ctx, "sell", ASKING_LOTS, _lots_question(ctx, lots), draft, buttons=_lot_buttons(ctx, lots, []))
    return record(ctx, line)


def answer_gift_date(ctx: Ctx, text: str) -> Outcome:
    draft = answers(ctx, TradeDraft)
    given = trade_date(text, ctx.today, ctx.fmt.locale)
    if draft.date is not None and given < draft.date:
        raise InputError(
            f"That's before the donor bought them ({ctx.fmt.day(draft.date)}). Send the date you received the gift."
        )
    return ask(
        ctx,
        "buy",
        ASKING_GIFT_VALUE,
        "What was each share worth on the day of the gift? (like 15; if it was less than the donor paid, a loss "
        "is figured from it)",
        draft.model_copy(update={"given": given}),
    )


def answer_gift_value(ctx: Ctx, text: str) -> Outcome:
    value = money(text, "value", allow_zero=False, locale=ctx.fmt.locale)
    return record(ctx, _line("buy", answers(ctx, TradeDraft).model_copy(update={"gift_value": value})))


def _line(side: str, draft: TradeDraft) -> TradeLine:
    assert draft.quantity is not None and draft.price is not None and draft.date is not None, draft
    gift = draft.source == "gift"
    return TradeLine(
        side=side,
        quantity=draft.quantity,
        symbol=draft.symbol,
        price=draft.price,
        date=draft.given if gift and draft.given else draft.date,
        fees=draft.fees or ZERO,
        source=draft.source,
        held_since=draft.date if gift else None,
        gift_value=draft.gift_value if gift else None,
    )


def _open_lots(ctx: Ctx, line: TradeLine) -> list[Lot]:
    return [lot for lot in ledger_as_of(ctx.state, line.date).lots if lot.symbol == line.symbol]


def _lots_question(ctx: Ctx, lots: Sequence[Lot]) -> str:
    fmt = ctx.fmt
    rows = []
    for lot in lots[:MAX_LOT_BUTTONS]:
        term = "long-term" if ctx.today >= lot.long_term_from else f"long-term from {fmt.day(lot.long_term_from)}"
        rows.append(
            f"• {fmt.shares(lot.quantity)} bought {fmt.day(lot.purchased)}, basis {fmt.money(lot.basis)} "
            f"({fmt.money(lot.basis_per_share)}/share), {term}"
        )
    return (
        "Which shares are you selling? Oldest first, as brokers do unless told; or tap lots in the order to sell them.\n"
        + "\n".join(rows)
    )


def _lot_buttons(ctx: Ctx, lots: Sequence[Lot], chosen: list[str]) -> tuple[tuple[Button, ...], ...]:
    rows = [(button(ctx, "Oldest first", "lots", "fifo"),)]
    for lot in lots[:MAX_LOT_BUTTONS]:
        if lot.id not in chosen:
            label = f"{ctx.fmt.shares(lot.quantity)} from {ctx.fmt.day(lot.purchased)}"
            rows.append((button(ctx, label, "lot", lot.id),))
    return tuple(rows)


def _sale_asking_lots(ctx: Ctx, key: str) -> TradeDraft | Outcome:
    """The sale whose lots question `key` names; or the answer to a button of a closed question."""
    wizard = ctx.state.wizard
    if wizard is None or wizard.step != ASKING_LOTS:
        return say(ctx, "That sale was already recorded or cancelled.")
    draft = bound(ctx, key, TradeDraft, "sell", ASKING_LOTS)
    if draft is None:
        return say(ctx, f"{CLOSED_QUESTION} Tap the lots under the newest question.")
    return draft


def choose_lots(ctx: Ctx, arg: str) -> Outcome:
    draft = _sale_asking_lots(ctx, unbind(arg)[1])
    return draft if isinstance(draft, Outcome) else record(ctx, _line("sell", draft))


def pick_lot(ctx: Ctx, arg: str) -> Outcome:
    lot_id, key = unbind(arg)
    draft = _sale_asking_lots(ctx, key)
    if isinstance(draft, Outcome):
        return draft
    line = _line("sell", draft)
    lots = {lot.id: lot for lot in _open_lots(ctx, line)}
    if lot_id not in lots:
        return say(ctx, "That lot isn't open any more. Tap another, or Oldest first.")
    if lot_id in draft.picks:
        return say(ctx, "You already picked that lot.")
    chosen = [*draft.picks, lot_id]
    picked = sum((lots[i].quantity for i in chosen), ZERO)
    draft = draft.model_copy(update={"picks": tuple(chosen)})
    if picked < line.quantity:
        left = [lot for lot in lots.values()]
        return ask(
            ctx,
            "sell",
            ASKING_LOTS,
            f"Picked {ctx.fmt.shares(picked)} of {ctx.fmt.shares(line.quantity)}. Tap another lot.",
            draft,
            buttons=_lot_buttons(ctx, left, chosen),
        )
    return record(ctx, line, _in_order([lots[i] for i in chosen], line.quantity))


def _in_order(lots: Sequence[Lot], quantity: Decimal) -> tuple[LotPick, ...]:
    return tuple(LotPick(lot_id=lot.id, quantity=take) for lot, take in take_in_order(lots, quantity))


# --- saving ------------------------------------------------------------------------------------
class NotBooked(InputError):
    """The ledger can't take the trades: `reason` is the engine's, in words (a sale of shares not held)."""

    def __init__(self, refusal: str, reason: str, after: str) -> None:
        super().__init__(f"{refusal}: {reason}. {after}")
        self.reason = reason


def checked(
    ctx: Ctx, trades: Sequence[Trade], refusal: str = "I can't record that", after: str = "Nothing was saved."
) -> None:
    """The trades book (a sale never sells shares not held then), or the engine's reason, in words."""
    try:
        ledger_of(trades, ctx.state.splits)
    except CalcError as error:
        raise NotBooked(refusal, error_words(error, ctx.fmt), after) from None


def record(ctx: Ctx, line: TradeLine, picks: tuple[LotPick, ...] = ()) -> Outcome:
    if line.lot_dates and not picks:
        picks = _named_lots(ctx, line)
    trade = Trade(
        date=line.date,
        symbol=line.symbol,
        side=line.side,
        quantity=line.quantity,
        price=line.price,
        fees=line.fees,
        id=next_trade_id(ctx.state),
        lots=picks,
        account=line.account,
        account_type=line.account_type,
        asset=line.asset or _asset_said_before(ctx.state, line.symbol),
        source=line.source,
        held_since=line.held_since,
        gift_value=line.gift_value,
    )
    return save(ctx, trade, describe_saved)


def _named_lots(ctx: Ctx, line: TradeLine) -> tuple[LotPick, ...]:
    """A sale of the lots bought on the days the line names (specific identification), in that order."""
    fmt = ctx.fmt
    open_lots = [lot for lot in _open_lots(ctx, line) if lot.account == line.account]
    # A day names every lot bought that day; among them the costliest go first, the shares a sale
    # naming its lots usually wants (the biggest loss, the smallest gain).
    named = [
        lot
        for day in line.lot_dates
        for lot in sorted((lot for lot in open_lots if lot.purchased == day), key=lambda lot: -lot.basis_per_share)
    ]
    missing = [day for day in line.lot_dates if not any(lot.purchased == day for lot in open_lots)]
    if missing:
        held = ", ".join(
            f"{fmt.shares(lot.quantity)} bought {fmt.day(lot.purchased)}" for lot in open_lots[:MAX_LOT_BUTTONS]
        )
        raise InputError(
            f"On {fmt.day(line.date)} you held no {line.symbol} bought {fmt.day(missing[0])}."
            + (f" Your lots then: {held}." if held else "")
        )
    have = sum((lot.quantity for lot in named), ZERO)
    if have < line.quantity:
        raise InputError(
            f"The lots you named hold {fmt.shares(have)} {line.symbol}, not the {fmt.shares(line.quantity)} you're "
            "selling. Name more lots, or leave them out to sell the oldest first."
        )
    return _in_order(named, line.quantity)


def _asset_said_before(state: UserState, ticker: str) -> Asset | None:
    """A symbol the user once called crypto stays crypto: they needn't say it on every line."""
    return next((t.asset for t in reversed(state.trades) if t.symbol == ticker and t.asset), None)


def next_trade_id(state: UserState) -> str:
    return f"T{state.next_trade_number}"


Describe = Callable[[Fmt, UserState, Trade], str]


def save(ctx: Ctx, trade: Trade, describe: Describe) -> Outcome:
    """Add the trade (refused with the engine's reason if the ledger can't take it), say what it did."""
    state = ctx.state
    trades = (*state.trades, trade)
    checked(ctx, trades)
    new_state = state.with_entry(trade)
    text = describe(ctx.fmt, new_state, trade)
    return Outcome(new_state, [Reply(text=text, buttons=((undo_button(ctx, trade.id),),))])


def describe_saved(fmt: Fmt, state: UserState, trade: Trade) -> str:
    verb = "Bought" if trade.side == "buy" else "Sold"
    head = (
        f"Saved #{number_of(trade)}: {verb.lower()} {fmt.shares(trade.quantity)} {trade.symbol} at {fmt.money(trade.price)} "
        f"on {fmt.day(trade.date)}"
        + (f" in your {trade.account}" if trade.account_type == "ira" else "")
        + (f", fees {fmt.money(trade.fees)}" if trade.fees else "")
        + "."
    )
    ledger = ledger_for(state)
    if trade.account_type == "ira":
        return "\n".join([head, *_sheltered_words(fmt, ledger.dispositions, trade)])
    if trade.side == "buy":
        lot = next((lot for lot in ledger.lots if lot.id == trade.id), None)
        if lot is None:
            return head
        lines = [head, *_acquired_words(fmt, trade, lot)]
        if lot.wash_sale_adjustment:
            lines.append(
                f"It replaces shares you sold at a loss within {WASH_WINDOW.days} days, so {fmt.money(lot.wash_sale_adjustment)} of that "
                "loss is added to its basis (a wash sale)."
            )
        return "\n".join(lines)
    parts = []
    sold = [d for d in ledger.dispositions if d.sale_id == trade.id]
    if trade.lots:
        bought = [state.trade(d.purchase_id) for d in sold]
        head += (
            "\nFrom the lots you chose, not the oldest first: "
            + ", ".join(
                f"{fmt.shares(d.quantity)} bought {fmt.day(t.date)}" for d, t in zip(sold, bought, strict=True) if t
            )
            + ". Keep your broker's written confirmation of these lots (specific identification)."
        )
    for d in sold:
        held = held_words(d, fmt, gift_day(state, d))
        part = (
            f"• {gain_line(d.gain - d.wash_sale_disallowed, d.term, fmt)}: {fmt.counted(d.quantity, 'share')} {held}."
        )
        if any(r.rule == "gift.loss_basis" for r in d.reasons):
            part += "\n  A gift worth less than the donor's basis when given: the loss is figured from its value then."
        if any(r.rule == "gift.no_gain_no_loss" for r in d.reasons):
            part += "\n  Sold between the value at the gift and the donor's basis: neither gain nor loss (IRC 1015(a))."
        if any(r.rule == "wash.not_crypto" for r in d.reasons):
            part += (
                f"\n  You bought {d.symbol} within {WASH_WINDOW.days} days, but crypto is property, not a security: the wash-sale "
                "rule (IRC 1091) doesn't apply to it, so this loss counts."
            )
        if espp := sale_words(d, fmt):
            part += f"\n  {espp}"
        if d.wash_sale_disallowed:
            part += (
                f"\n  Wash sale: you bought {d.symbol} within {WASH_WINDOW.days} days, so {fmt.money(d.wash_sale_disallowed)} of the loss "
                "can't be deducted now; it's added to the new shares' basis."
            )
        parts.append(part)
    return "\n".join([head, *first_few(parts, "lot", fmt)])


def _acquired_words(fmt: Fmt, trade: Trade, lot: Lot) -> list[str]:
    """The lot's basis and holding period, with the rule behind them for inherited and gifted shares."""
    if trade.source == "inherited":
        return [
            f"Inherited: your basis is the value on the date of death, {fmt.money(lot.basis)} (IRC 1014), and a sale is "
            "long-term whenever it happens (IRC 1223(9)). If the estate chose the alternate valuation date, use that "
            "date's value instead."
        ]
    if trade.source != "gift" or trade.held_since is None or trade.gift_value is None:
        return [f"Basis {fmt.money(lot.basis)}; it turns long-term on {fmt.day(lot.long_term_from)}."]
    lines = [
        f"A gift: the donor's basis, {fmt.money(lot.basis)}, and holding period (from {fmt.day(trade.held_since)}) "
        f"carry over (IRC 1015, 1223(2)); it's long-term from {fmt.day(lot.long_term_from)}."
    ]
    value = trade.gift_value * trade.quantity
    if value < lot.basis:
        lines.append(
            f"It was worth {fmt.money(value)} when given, less than that basis. So if you sell for less than "
            f"{fmt.money(value)}, the loss is figured from {fmt.money(value)} and the holding period starts at the "
            f"gift; between {fmt.money(value)} and {fmt.money(lot.basis)} there's neither gain nor loss (IRC 1015(a))."
        )
    return lines


def _sheltered_words(fmt: Fmt, dispositions: Sequence[Disposition], trade: Trade) -> list[str]:
    """An IRA, HSA, 401(k)... trade: nothing to report, but a purchase may lose a taxable loss for good."""
    kind = shelters.kind(trade.account)
    lines = [
        f"Trades inside {shelters.a(kind)} aren't taxed as they happen: no gain or loss to report, so I leave them out of your gains."
    ]
    if trade.side == "sell":
        return lines
    lost = lost_to_ira(dispositions, trade.id)
    if lost:
        lines.append(
            f"⚠ But it replaces {trade.symbol} you sold at a loss within {WASH_WINDOW.days} days in a taxable account: "
            f"{fmt.money(lost)} of that loss is disallowed for good. {shelters.ruling_words([kind])}"
        )
    return lines


# --- undo, list, edit, delete, price ------------------------------------------------------------
def undo_pressed(ctx: Ctx, arg: str) -> Outcome:
    """Undo under a saved trade: at once while it is fresh; a few minutes later, only after a yes."""
    target, _, stamped = arg.partition(":")
    entry = ctx.state.trade(target) or ctx.state.split(target)
    if entry is None:
        return say(ctx, "There's nothing to undo: that entry is already gone.")
    if not stale(ctx, stamped):
        return undo(ctx, target)
    return ask_undo(ctx, target, f"That Undo button is from {ago(ctx, stamped)}. ")


def ask_undo(ctx: Ctx, target: str, lead: str = "") -> Outcome:
    """ "Undo #3 buy 10 AAPL ...?" with Yes, undo it / Keep it: the entry goes only on the yes."""
    entry = ctx.state.trade(target) or ctx.state.split(target)
    if entry is None:
        return say(ctx, "There's nothing to undo.")
    what = short_trade(ctx.fmt, entry) if isinstance(entry, Trade) else splits.short_split(ctx.fmt, entry)
    number = number_of(entry) if isinstance(entry, Trade) else target[1:]
    return question(ctx, "undo", f"{lead}Undo #{number} {what}?", "Yes, undo it", "undo!", target)


def undo_in_words(ctx: Ctx, _: str) -> Outcome:
    """ "undo", "oops", "cancel that trade" typed: which entry it means is a guess (the last one saved),
    so it asks first, as an old Undo button does; /undo and a fresh Undo button act at once."""
    return ask_undo(ctx, ctx.state.last_added[-1]) if ctx.state.last_added else say(ctx, "There's nothing to undo.")


def undo_confirmed(ctx: Ctx, key: str) -> Outcome:
    draft = answered(ctx, "undo", key)
    if draft is None:
        return say(ctx, "That question is closed.")
    ctx.state = ctx.state.model_copy(update={"wizard": None})  # answered: its yes is spent
    return undo(ctx, draft.target)


def undo(ctx: Ctx, arg: str) -> Outcome:
    target = arg or (ctx.state.last_added[-1] if ctx.state.last_added else "")
    if target and (told := ctx.state.split(target)) is not None:
        return splits.remove(ctx, told, "Undone")
    trade = ctx.state.trade(target) if target else None
    if trade is None:
        return say(ctx, "There's nothing to undo.")
    return _remove(ctx, trade, "Undone")


def _remove(ctx: Ctx, trade: Trade, verb: str) -> Outcome:
    after = ctx.state.without_entry(trade)
    books_without(ctx, after, f"#{number_of(trade)}")
    return say(
        ctx,
        f"{verb}: #{number_of(trade)} {short_trade(ctx.fmt, trade)}.",
        trades=after.trades,
        last_added=after.last_added,
    )


def short_trade(fmt: Fmt, t: Trade) -> str:
    if t.source == "rsu":
        return f"vest {fmt.shares(t.quantity)} {t.symbol} worth {fmt.money(t.fmv or ZERO)} on {fmt.day(t.date)}"
    if t.source == "espp":
        worth = f" (worth {fmt.money(t.fmv)})" if t.fmv is not None else ""
        return f"ESPP {fmt.shares(t.quantity)} {t.symbol} at {fmt.money(t.price)}{worth} on {fmt.day(t.date)}"
    if t.source in ("nso", "iso"):
        return (
            f"exercise {fmt.shares(t.quantity)} {t.symbol} {t.source.upper()} at {fmt.money(t.price)} "
            f"(worth {fmt.money(t.fmv or ZERO)}) on {fmt.day(t.date)}"
        )
    where = f" in your {t.account}" if t.account_type == "ira" else ""
    return f"{t.side} {fmt.shares(t.quantity)} {t.symbol} at {fmt.money(t.price)} on {fmt.day(t.date)}{where}"


def number_of(trade: Trade) -> str:
    """The number the user sees and types for a trade: its own, or its id's (T12 is #12)."""
    return str(trade.number) if trade.number else trade.id[1:]


def _numbered(ctx: Ctx, text: str) -> Trade:
    number = text.strip().lstrip("#")
    trade = None
    if number.isdigit():
        trade = ctx.state.trade(f"T{number}") or next((t for t in ctx.state.trades if t.number == int(number)), None)
    if trade is None:
        raise InputError(f"There's no trade #{short(number) or '?'}. /trades lists them with their numbers.")
    return trade


def delete(ctx: Ctx, args: str) -> Outcome:
    if not args:
        raise InputError("Which one? Send /delete and the trade's number, like /delete 3 (/trades lists them).")
    number = args.strip().lstrip("#").upper().removeprefix("S")
    if (told := ctx.state.split(f"S{number}")) is not None:
        return question(
            ctx,
            "delete",
            f"Delete #{number} {splits.short_split(ctx.fmt, told)}?",
            "Yes, delete",
            "del",
            told.id,
        )
    trade = _numbered(ctx, args)
    return question(
        ctx,
        "delete",
        f"Delete #{number_of(trade)} {short_trade(ctx.fmt, trade)}?",
        "Yes, delete",
        "del",
        trade.id,
    )


def confirm_delete(ctx: Ctx, key: str) -> Outcome:
    """The yes of the delete question still open, for the entry that question named."""
    draft = answered(ctx, "delete", key)
    if draft is None:
        return say(ctx, "That question is closed. /delete and the number asks again.")
    ctx.state = ctx.state.model_copy(update={"wizard": None})
    trade_id = draft.target
    if (told := ctx.state.split(trade_id)) is not None:
        return splits.remove(ctx, told, "Deleted")
    trade = ctx.state.trade(trade_id)
    if trade is None:
        return say(ctx, "That trade is already gone.")
    return _remove(ctx, trade, "Deleted")


EDITABLE = ("date", "shares", "price", "fees", "symbol", "fmv", "granted")


def edit(ctx: Ctx, args: str) -> Outcome:
    parts = args.split(maxsplit=2)
    if len(parts) < 3:
        raise InputError("Send /edit, the trade's number, what to change and the new value, like /edit 3 price 21.50.")
    trade = _numbered(ctx, parts[0])
    field, value = parts[1].lower(), parts[2]
    changes: dict[str, object]
    if field in ("date", "day"):
        changes = {"date": trade_date(value, ctx.today, ctx.fmt.locale)}
    elif field in ("shares", "quantity", "qty"):
        changes = {"quantity": quantity(value, ctx.fmt.locale)}
    elif field in ("price", "strike"):
        changes = {"price": money(value, "price", allow_zero=trade.source == "rsu", locale=ctx.fmt.locale)}
    elif field in ("fmv", "value", "granted", "grant") and trade.source == "purchase":
        raise InputError(
            f"#{number_of(trade)} is a purchase: only option exercises and vests have a market value and grant date."
        )
    elif field in ("fmv", "value"):
        changes = {"fmv": money(value, "market value", allow_zero=False, locale=ctx.fmt.locale)}
    elif field in ("granted", "grant"):
        granted = trade_date(value, ctx.today, ctx.fmt.locale)
        if granted > trade.date:
            raise InputError("The grant date is after the exercise date. Options are granted first, then exercised.")
        changes = {"grant_date": granted}
    elif field in ("fees", "fee"):
        changes = {"fees": money(value, "fee", locale=ctx.fmt.locale)}
    elif field == "symbol":
        changes = {"symbol": symbol(value)}
    else:
        raise InputError(f"I can change {', '.join(EDITABLE)}. Like /edit 3 price 21.50.")
    updated = Trade.model_validate({**trade.model_dump(), **changes})  # within calc.limits, as typed ones are
    trades = tuple(updated if t.id == trade.id else t for t in ctx.state.trades)
    checked(ctx, trades)
    return say(ctx, f"Changed #{number_of(trade)}: now {short_trade(ctx.fmt, updated)}.", trades=trades)


def price(ctx: Ctx, args: str) -> Outcome:
    parts = args.replace("@", " ").split()
    if len(parts) != 2:
        raise InputError("Send the symbol and today's price, like /price XYZ 187.50.")
    ticker, value = symbol(parts[0]), money(parts[1], "price", allow_zero=False, locale=ctx.fmt.locale)
    PRICE.check(value)
    prices = {**ctx.state.prices, ticker: value}
    return say(ctx, f"Noted: {ticker} at {ctx.fmt.money(value)}. /portfolio shows unrealized gains.", prices=prices)


def _keep(ctx: Ctx, key: str) -> Outcome:
    wizard = ctx.state.wizard
    if wizard is not None and answered(ctx, wizard.flow, key) is not None:  # closes the question it answers
        return say(ctx, "Kept.", wizard=None)
    return say(ctx, "Kept.")


STEPS: dict[tuple[str, str], Handler] = {
    (flow, step): handler
    for flow in ("buy", "sell")
    for step, handler in (
        (ASKING_SYMBOL, answer_symbol),
        (ASKING_TRADE_DATE, answer_date),
        (ASKING_QUANTITY, answer_quantity),
        (ASKING_PRICE, answer_price),
        (ASKING_FEES, answer_fees),
    )
}
STEPS[("buy", ASKING_GIFT_DATE)] = answer_gift_date
STEPS[("buy", ASKING_GIFT_VALUE)] = answer_gift_value
STEPS[("sell", ASKING_LOTS)] = lambda ctx, text: (
    choose_lots(ctx, "fifo")
    if text.strip().lower() in ("fifo", "1", "oldest", "oldest first")
    else say(ctx, "Tap Oldest first or a lot above, or /cancel.")
)

BUTTONS: dict[str, Handler] = {
    "undo": undo_pressed,
    "undo!": undo_confirmed,
    "del": confirm_delete,
    "keep": _keep,
    "fees": on_step(ASKING_FEES, answer_fees, CLOSED),
    "date": on_step(ASKING_TRADE_DATE, answer_date, CLOSED),
    "got": on_step(ASKING_TRADE_DATE, answer_how_got, CLOSED),
    "lots": choose_lots,
    "lot": pick_lot,
}
