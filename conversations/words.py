"""Free text: what the understanding layer read, turned into an answer or an action.

Exact trades are saved at once (with Undo); a reading that involved a guess (a company name, a
dollar amount, "all"/"half", a number the locale reads two ways, a missing date) is shown first —
"bought 10 AAPL (Apple Inc.) at $150.00 today — Save / Change" — and saved only on Save.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal

from calc.models import ZERO
from conversations import figures, questions
from conversations.account import unknown
from conversations.confirming import bound, button
from conversations.drafts import GuessDraft
from conversations.editing import replaced
from conversations.events import Button, Reply
from conversations.formatting import Fmt
from conversations.kernel import Ctx, Handler, Outcome, ask, say
from conversations.options import exercise, vest
from conversations.parsing import LOTS, InputError, TradeLine, checked_money, checked_quantity, short, trade_line
from conversations.parsing import symbol as parsed_symbol
from conversations.taxview import held, ledger_as_of
from conversations.trading import buy, number_of, price, record, sell, undo_in_words
from conversations.understanding.commands import closest
from conversations.understanding.companies import name_of
from conversations.understanding.held import Held, held_ticker
from conversations.understanding.reader import understand
from conversations.understanding.reading import Reading
from conversations.understanding.yesno import yes_or_no
from conversations.whatif import whatif

CONFIRMING_TRADE = "CONFIRMING_TRADE"
CLOSED = "That question is closed. Send the trade again if you still want to save it."
SIX_PLACES = Decimal("0.000001")
ABOUT_A_STOCK = ("longterm", "wash")  # the questions answered for one stock when they name it
# The line's fields a guess keeps (and what else the line said: crypto, a gift, the lots a sale names).
GUESSED = (
    "side",
    "symbol",
    "quantity",
    "price",
    "date",
    "fees",
    "account",
    "asset",
    "held_since",
    "gift_value",
    "lot_dates",
)


def free_text(ctx: Ctx, text: str, commands: Mapping[str, Handler]) -> Outcome:
    """Any message that isn't a command or the answer to an open question. `commands` is the
    command table's handlers (for "help" in words), passed in as this module is one of them."""
    return act(ctx, understand(text, ctx.today, str(ctx.fmt.locale)), text, commands)


def act(ctx: Ctx, reading: Reading, text: str, commands: Mapping[str, Handler]) -> Outcome:
    if reading.problem:
        raise InputError(reading.problem)
    intent = reading.intent
    if intent == "sell" and LOTS.search(text):  # lots named: read exactly, as /sell reads them
        line = trade_line(text, ctx.today, side="sell", locale=ctx.fmt.locale)
        if line is not None and line.lot_dates:
            return record(ctx, line)
    if intent in ("buy", "sell"):
        return _trade(ctx, reading)
    if intent == "whatif":
        return _whatif(ctx, reading)
    if intent in ("exercise", "vest"):
        return _option(ctx, reading)
    if intent == "price" and reading.symbol and reading.price:
        return price(ctx, f"{reading.symbol} {reading.price}")
    if intent in ("income", "filing", "carryover"):
        return figures.told(
            ctx, intent, reading.year, reading.dollars, reading.kind, reading.unsure == "dollars", reading.per or 1
        )
    if intent == "question" and reading.topic:
        return _question(ctx, reading, text)
    if intent == "help":
        return commands["help"](ctx, "")
    if intent in SMALL_TALK:
        return SMALL_TALK[intent](ctx, "")
    return _not_understood(ctx, reading, text)


def trade_command(ctx: Ctx, side: str, args: str) -> Outcome:
    """/buy and /sell: alone, the step-by-step questions. With a trade, the strict one-line parser
    (its messages say exactly what is wrong), except where the words need a guess the strict parser
    would get wrong (a dollar amount, a company name, all/half): those are read as free text is, and
    confirmed. A line without a date is confirmed too ("today — Save / Change")."""
    if not args:
        return (buy if side == "buy" else sell)(ctx, args)
    reading = understand(f"/{side} {args}", ctx.today, str(ctx.fmt.locale))
    if reading.intent == side:
        _not_zero(ctx, reading)
    if reading.intent == side and (reading.dollars or reading.company or reading.portion) and not reading.problem:
        return _trade(ctx, reading)
    line = trade_line(f"/{side} {args}", ctx.today, locale=ctx.fmt.locale)
    assert line is not None
    if (reading.date is None or reading.unsure) and not reading.problem:
        return _confirm(ctx, line, replace(reading, company=None, dollars=None, portion=None))
    return record(ctx, line)


def buy_command(ctx: Ctx, args: str) -> Outcome:
    return trade_command(ctx, "buy", args)


def sell_command(ctx: Ctx, args: str) -> Outcome:
    return trade_command(ctx, "sell", args)


def unknown_command(ctx: Ctx, name: str, known: Iterable[str]) -> Outcome:
    """/sel: "did you mean /sell?", with the command as a button."""
    guess = closest(name, known)
    if guess is None:
        return say(ctx, f"I don't know /{short(name, 30)}. Send /help to see the commands.")
    return say(
        ctx,
        f"I don't know /{short(name, 30)}. Did you mean /{guess}?",
        ((Button(label=f"/{guess}", data=f"cmd:{guess}"), Button(label="/help", data="cmd:help")),),
    )


# --- trades -------------------------------------------------------------------------------------
def _trade(ctx: Ctx, reading: Reading) -> Outcome:
    line = _line(ctx, reading)
    if not reading.guessed:
        return record(ctx, line)
    return _confirm(ctx, line, reading)


def offered(ctx: Ctx, text: str, message: str) -> Outcome:
    """A trade typed while /start's questions were open (in `message`): shown now for a yes, even when
    exact, since it was sent before the answers it is figured with; nothing typed is lost."""
    reading = understand(text, ctx.today, str(ctx.fmt.locale))
    lead = f"Before we were set up you sent “{short(text, 80)}”."
    try:
        line = _line(ctx, reading)
    except InputError as error:
        return say(ctx, f"{lead} I couldn't read it as a trade to save: {error}")
    return _confirm(ctx, line, reading, message=message, lead=lead + " ")


def _line(ctx: Ctx, reading: Reading) -> TradeLine:
    """The trade a reading says, or InputError saying what is missing."""
    side = reading.intent
    symbol = reading.symbol
    when = reading.date or ctx.today
    if symbol is None:
        raise InputError(f"Which stock? {_example(ctx, side)}")
    _not_zero(ctx, reading)
    shares = _shares(ctx, reading, symbol, when)
    if shares is None or reading.price is None:
        missing = (
            "the number of shares and the price"
            if shares is None and reading.price is None
            else ("the number of shares" if shares is None else "the price per share")
        )
        raise InputError(f"I'm missing {missing}. {_example(ctx, side, symbol)}")
    locale = ctx.fmt.locale
    return TradeLine(
        side=side,
        quantity=checked_quantity(shares),
        symbol=parsed_symbol(symbol),
        price=checked_money(reading.price, "price", allow_zero=False, locale=locale),
        date=when,
        fees=checked_money(reading.fees or ZERO, "fee", locale=locale),
        account=reading.account,
        account_type="ira" if reading.account else "taxable",
    )


def _not_zero(ctx: Ctx, reading: Reading) -> None:
    """ "bought 0 ABC at 10" isn't a trade to save: say so, and how to write the one meant."""
    if reading.shares is not None and reading.shares == 0:
        verb = "bought" if reading.intent == "buy" else "sold"
        raise InputError(
            f"Zero shares isn't a trade, so there's nothing to save. Say how many shares you {verb}. "
            + _example(ctx, reading.intent, reading.symbol or "AAPL")
        )


def _shares(ctx: Ctx, reading: Reading, symbol: str, when: dt.date) -> Decimal | None:
    if reading.shares is not None:
        return reading.shares
    if reading.dollars is not None:
        if reading.price is None:
            raise InputError(
                f"At what price? With the price I can work out the shares {ctx.fmt.money(reading.dollars)} bought."
            )
        shares = (reading.dollars / reading.price).quantize(SIX_PLACES, rounding=ROUND_DOWN)
        if shares <= 0:
            raise InputError("That amount buys less than a millionth of a share. Send the number of shares instead.")
        return shares.normalize()
    if reading.portion is not None:
        owned = held(ledger_as_of(ctx.state, when), symbol)
        if not owned:
            raise InputError(f"On {ctx.fmt.day(when)} you didn't hold any {symbol}, so there's nothing to sell.")
        if reading.portion == "all":
            return owned
        part = owned * _fraction(reading.portion)
        if owned == owned.to_integral_value() and part >= 1:
            return part.to_integral_value(rounding=ROUND_DOWN)  # whole shares held: a whole number of them
        return part.quantize(SIX_PLACES, rounding=ROUND_DOWN).normalize()
    return None


FRACTION_WORDS = {"half": "half", "1/2": "half", "1/3": "a third of", "2/3": "two thirds of", "1/4": "a quarter of",
                  "3/4": "three quarters of"}  # fmt: skip


def _fraction(portion: str) -> Decimal:
    top, _, bottom = ("1/2" if portion == "half" else portion).partition("/")
    return Decimal(top) / Decimal(bottom)


def _portion_words(portion: str) -> str:
    return FRACTION_WORDS.get(portion, f"{portion} of")


def _confirm(ctx: Ctx, line: TradeLine, reading: Reading, message: str | None = None, lead: str = "") -> Outcome:
    fmt = ctx.fmt
    company = f" ({reading.company})" if reading.company else ""
    verb = "bought" if line.side == "buy" else "sold"
    day = "today" if line.date == ctx.today and reading.date is None else f"on {fmt.day(line.date)}"
    what = f"{verb} {fmt.shares(line.quantity)} {line.symbol}{company} at {fmt.money(line.price)} {day}"
    where = f" in your {line.account}" if line.account else ""
    fees = f", fees {fmt.money(line.fees)}" if line.fees else ""
    notes = []
    if reading.dollars is not None:
        notes.append(
            f"{fmt.money(reading.dollars)} at {fmt.money(line.price)} a share is {fmt.counted(line.quantity, 'share')}."
        )
    if reading.portion == "all":
        notes.append(f"That's all the {line.symbol} you held then.")
    elif reading.portion is not None:
        notes.append(f"That's {_portion_words(reading.portion)} the {line.symbol} you held then.")
    if reading.unsure == "symbol":
        notes.append(f"I took that as the ticker {line.symbol}.")
    elif reading.unsure:
        notes.append(
            f"I read the {'number of shares' if reading.unsure == 'shares' else 'price'} the way your language writes "
            f"numbers ({fmt.number(Decimal('1.5'))} is one and a half). If you meant thousands, tap Change."
        )
    if reading.date is None:
        notes.append("You didn't say when, so I put today.")
    draft = GuessDraft(
        **{name: getattr(line, name) for name in GUESSED},
        message=ctx.event.message if message is None else message,  # saved, editing that message changes it
        source="purchase" if line.source not in ("inherited", "gift") else line.source,
    )
    text = f"{what}{where}{fees}{_said_words(fmt, line)} — save it?" + ("\n" + "\n".join(notes) if notes else "")
    buttons = ((button(ctx, "Save", "save"), button(ctx, "Change", "change")),)
    return ask(ctx, "words", CONFIRMING_TRADE, lead + text[0].upper() + text[1:], draft, buttons=buttons)


def _said_words(fmt: Fmt, line: TradeLine) -> str:
    """What else the line said, shown with the trade it asks about (and kept to the Save)."""
    words = []
    if line.asset == "crypto":
        words.append("crypto")
    if line.source == "inherited":
        words.append("inherited: the price is the value at death")
    if line.source == "gift" and line.held_since and line.gift_value is not None:
        words.append(f"a gift, the donor's from {fmt.day(line.held_since)}, worth {fmt.money(line.gift_value)} a share")
    if line.lot_dates:
        words.append("from the lots bought " + ", ".join(fmt.day(day) for day in line.lot_dates))
    return f" ({'; '.join(words)})" if words else ""


def _draft_line(draft: GuessDraft) -> TradeLine:
    return TradeLine(
        **draft.model_dump(include=set(GUESSED)),
        source=draft.source,
        account_type="ira" if draft.account else "taxable",
    )


def _open(ctx: Ctx, nonce: str) -> GuessDraft | None:
    """The trade waiting for a yes, if this is the question being answered."""
    return bound(ctx, nonce, GuessDraft, "words", CONFIRMING_TRADE)


def save_pressed(ctx: Ctx, nonce: str) -> Outcome:
    draft = _open(ctx, nonce)
    if draft is None:
        return say(ctx, CLOSED)
    line = _draft_line(draft)
    if draft.replaces:  # an edited message read with a guess: it changes the trade it recorded
        ctx.state = ctx.state.model_copy(update={"wizard": None})  # answered
        old = ctx.state.trade(draft.replaces)
        if old is None:
            return say(ctx, "That trade no longer exists: it was undone or deleted since, so nothing changed.")
        return replaced(ctx, old, lambda before: record(before, line))
    outcome = record(ctx, line)
    return Outcome(outcome.state.linked(draft.message, outcome.state.last_added), outcome.replies)


def change_pressed(ctx: Ctx, nonce: str) -> Outcome:
    draft = _open(ctx, nonce)
    if draft is None:
        return say(ctx, CLOSED)
    line = _draft_line(draft)
    if draft.replaces:
        old = ctx.state.trade(draft.replaces)
        kept = f"#{number_of(old)} stays as it was" if old is not None else "Nothing changed"
        return say(
            ctx, f"{kept}. Edit the message again the way it should be, like: " + _one_liner(ctx, line), wizard=None
        )
    return say(
        ctx,
        "Nothing saved. Send it again the way it should be, like: " + _one_liner(ctx, line),
        wizard=None,
    )


def answer_confirmation(ctx: Ctx, text: str, commands: Mapping[str, Handler]) -> Outcome:
    """Typed instead of tapped: yes saves, no changes; anything else is a new message."""
    answer = yes_or_no(text)
    if answer is not None:
        nonce = ctx.state.wizard.nonce if ctx.state.wizard else ""
        return save_pressed(ctx, nonce) if answer else change_pressed(ctx, nonce)
    ctx.state = ctx.state.model_copy(update={"wizard": None})
    return free_text(ctx, text, commands)


def _one_liner(ctx: Ctx, line: TradeLine) -> str:
    fmt = ctx.fmt
    return (
        f"/{line.side} {fmt.shares(line.quantity)} {line.symbol} {fmt.number(line.price)} "
        f"{line.date.isoformat()}" + (f" in my {line.account}" if line.account else "")
    )


def _example(ctx: Ctx, side: str, symbol: str = "AAPL") -> str:
    """A one-line example written the way the user's locale writes numbers."""
    verb = "bought" if side == "buy" else "sold"
    return f"Write it like: {verb} 10 {symbol} at {ctx.fmt.number(Decimal('150.25'))} yesterday."


# --- what if, options, questions ------------------------------------------------------------------
def _whatif(ctx: Ctx, reading: Reading) -> Outcome:
    symbol = reading.symbol
    assert symbol is not None
    at = f" {reading.price}" if reading.price is not None else ""
    if reading.dollars is not None:
        if reading.price is None:
            return whatif(ctx, f"raise {reading.dollars} from {symbol}")
        return whatif(ctx, f"raise {reading.dollars} from {symbol} at {reading.price}")
    shares = _shares(ctx, replace(reading, dollars=None), symbol, ctx.today)
    if shares is None and held(ledger_as_of(ctx.state, ctx.today), symbol):
        shares = _shares(ctx, replace(reading, dollars=None, portion="all"), symbol, ctx.today)  # "if i sell nvda"
    if shares is None:
        raise InputError(f"How many shares? Ask like: what if I sell 10 {symbol} at {ctx.fmt.number(Decimal(200))}?")
    return whatif(ctx, f"sell {shares} {symbol}{at}")


def _option(ctx: Ctx, reading: Reading) -> Outcome:
    handler = exercise if reading.intent == "exercise" else vest
    if reading.shares is None and reading.symbol is None:
        return handler(ctx, "")
    parts = [str(reading.shares or ""), reading.symbol or ""]
    if reading.kind:
        parts.append(reading.kind)
    if reading.strike is not None:
        parts += ["strike", str(reading.strike)]
    if reading.fmv is not None:
        parts += ["fmv", str(reading.fmv)]
    if reading.date is not None:
        parts.append(reading.date.isoformat())
    if reading.symbol is None:
        raise InputError(
            f"Which company's stock? Send it again with the symbol, like: /{reading.intent} "
            + " ".join(p for p in parts if p).replace(" strike", " XYZ strike", 1)
        )
    return handler(ctx, " ".join(p for p in parts if p))


def _question(ctx: Ctx, reading: Reading, text: str) -> Outcome:
    """A question; one about a stock ("is tsla long term yet") names it in lowercase too when it is one
    the user has traded. One that is also a word ("is key long term yet") isn't guessed: the general
    answer comes with how to ask about that stock."""
    topic, symbol = reading.topic, reading.symbol
    assert topic is not None
    found = (
        held_ticker(text, {t.symbol for t in ctx.state.trades}) if symbol is None and topic in ABOUT_A_STOCK else Held()
    )
    answer = questions.about(ctx, topic, symbol or found.symbol, reading.year)
    if found.maybe is None:
        return answer
    asked = re.sub(rf"\b{re.escape(found.word)}\b", found.maybe, text, count=1)
    hint = f"If you meant your {found.maybe} shares, ask with the ticker in capitals: “{short(asked, 80)}”."
    return Outcome(answer.state, [*answer.replies, Reply(text=hint)])


def _greeting(ctx: Ctx, _: str) -> Outcome:
    return say(
        ctx,
        "Hi! Tell me about a trade in your own words, like “bought 10 AAPL at "
        f"{ctx.fmt.number(Decimal('150.25'))} yesterday”, or ask “what's my profit?”. /help lists everything.",
    )


def _thanks(ctx: Ctx, _: str) -> Outcome:
    return say(ctx, "You're welcome! Send /help any time to see what I can do.")


SMALL_TALK: dict[str, Handler] = {"greeting": _greeting, "undo": undo_in_words, "thanks": _thanks}


def _not_understood(ctx: Ctx, reading: Reading, text: str) -> Outcome:
    answer = yes_or_no(text)
    if answer is not None:
        return _nothing_asked(ctx, answer)
    if reading.symbol:
        company = name_of(reading.symbol)
        return say(
            ctx,
            f"What about {reading.symbol}{f' ({company})' if company else ''}? To record a trade: "
            f"“bought 10 {reading.symbol} at {ctx.fmt.number(Decimal('150.25'))} yesterday”; to ask: "
            f"“when does my {reading.symbol} go long-term?”",
            ((Button(label="Portfolio", data="cmd:portfolio"), Button(label="Help", data="cmd:help")),),
        )
    return unknown(ctx, text)


def _nothing_asked(ctx: Ctx, yes: bool) -> Outcome:
    """ "Save", "yes" or "change" typed where no question takes a typed answer: what is open, or that
    nothing is, and what to do instead (never "I didn't understand that")."""
    if ctx.state.wizard is not None:  # a question whose answers are its buttons (a delete, an import)
        return say(ctx, "To answer my question above, tap one of its buttons; /cancel leaves it.")
    if yes:
        return say(
            ctx,
            "There's nothing waiting to be saved. If you meant a trade, send it again (and tap Save if I "
            f"ask). {_example(ctx, 'buy')} /trades lists what is saved.",
        )
    return say(
        ctx,
        "There's nothing waiting for an answer, so nothing changed. To change a saved trade, find its number "
        "in /trades, then /edit 3 price 21.50 or /delete 3.",
    )


BUTTONS: dict[str, Handler] = {"save": save_pressed, "change": change_pressed}
