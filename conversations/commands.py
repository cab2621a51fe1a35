"""Every command, once: its handler, its Telegram menu text, its /help line and examples.

The Telegram menu (bot/telegram.py), the router and /help all read `COMMANDS`, so a new
command is one entry here. Help lists the commands section by section, in `SECTIONS` order;
the menu lists them in table order.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations import (
    account,
    espp,
    figures,
    forms,
    harvesting,
    onboarding,
    options,
    reports,
    splits,
    trade_list,
    trading,
    whatif,
    words,
)
from conversations.events import Reply
from conversations.kernel import Ctx, Handler, Outcome
from conversations.markup import bold, escape
from conversations.onboarding import DISCLAIMER

TRADES = "Record trades"
STANDING = "See where you stand"
ACCOUNT = "Settings and your data"
SECTIONS = (TRADES, STANDING, ACCOUNT)


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    section: str
    help: str  # its /help line, after "/name: "
    menu: str = ""  # its text in Telegram's command menu; "" leaves it out (reached from another command)
    examples: tuple[str, ...] = ()  # shown in /help after the line, "like ..."
    keeps_question: bool = False  # True: sending it doesn't close the question the user is answering

    def help_line(self) -> str:
        like = f", like {' or '.join(self.examples)}" if self.examples else ""
        return f"/{self.name}: {self.help}{like}"


def help_(ctx: Ctx, _: str) -> Outcome:
    return Outcome(ctx.state, [Reply(text=HELP, html=True)])


COMMANDS: tuple[Command, ...] = (
    Command(
        "start",
        onboarding.start,
        ACCOUNT,
        "the setup questions from the beginning",
        menu="set up: tax year, filing status, income",
    ),
    Command(
        "buy",
        words.buy_command,
        TRADES,
        "a purchase, step by step or in one line",
        menu="record a purchase",
        examples=("/buy 100 XYZ 20 2024-01-10", "“bought 10 AAPL at $150 on March 1”"),
    ),
    Command(
        "sell",
        words.sell_command,
        TRADES,
        "a sale, the same ways",
        menu="record a sale",
        examples=("/sell 5 VTI @ 210.50 yesterday fees 1",),
    ),
    Command(
        "exercise",
        options.exercise,
        TRADES,
        "stock options (ISOs add: granted 2024-01-15)",
        menu="record a stock option exercise (NSO, ISO)",
        examples=("/exercise 1000 XYZ nso strike 10 fmv 50 2026-02-02",),
    ),
    Command(
        "vest",
        options.vest,
        TRADES,
        "RSUs",
        menu="record an RSU vest",
        examples=("/vest 10 XYZ fmv 120 2026-03-03",),
    ),
    Command(
        "espp",
        espp.espp,
        TRADES,
        "shares from an employee stock purchase plan (Form 3922's figures)",
        menu="record an ESPP purchase",
        examples=(espp.EXAMPLE, "/espp #7 offering 2026-01-02 fmv 50 purchase fmv 55"),
    ),
    Command(
        "split",
        splits.split,
        TRADES,
        "a stock split (forward or reverse), with any cash in lieu",
        menu="record a stock split",
        examples=("/split XYZ 2:1 2024-06-10", "/split XYZ 1:10 2024-06-10 cash 12.50"),
    ),
    Command("trades", trade_list.list_trades, TRADES, "list them", menu="list, edit and delete trades"),
    Command("edit", trading.edit, TRADES, "correct one", examples=("/edit 3 price 21.50",)),
    Command("delete", trading.delete, TRADES, "delete one", examples=("/delete 3",)),
    Command("undo", trading.undo, TRADES, "undo the last one", menu="undo the last entry"),
    Command(
        "price",
        trading.price,
        TRADES,
        "a current price, for unrealized gains",
        menu="record a current price",
        examples=("/price XYZ 187.50",),
    ),
    Command(
        "portfolio",
        reports.portfolio,
        STANDING,
        "holdings by lot, when each turns long-term",
        menu="holdings and when lots turn long-term",
    ),
    Command(
        "gains",
        reports.gains,
        STANDING,
        "realized gains, netting, the yearly loss limit, carryforward, the tax they add",
        menu="realized gains and the tax they add",
        examples=("/gains 2025",),
    ),
    Command(
        "whatif",
        whatif.whatif,
        STANDING,
        "the tax a sale would add, the cheapest lots, and whether waiting would save",
        menu="the tax a sale would add",
        examples=("/whatif sell 50 XYZ 30",),
    ),
    Command(
        "harvest",
        harvesting.harvest_command,
        STANDING,
        "losses worth taking before year end, with wash-sale dates",
        menu="losses worth taking, wash-sale safe",
    ),
    Command(
        "settings",
        onboarding.settings,
        ACCOUNT,
        "the tax year the chat is on, a year's filing status, income and carryover, time zone",
        menu="change your answers",
        examples=("/settings 2025",),
    ),
    Command(
        "income",
        figures.income,
        ACCOUNT,
        "a year's wages (also interest, ordinary dividends, qualified dividends, capital gain distributions)",
        menu="a year's income",
        examples=("/income 2026 wages 190,000", "/income 2026 qualified dividends 1,200"),
    ),
    Command(
        "filing",
        figures.filing,
        ACCOUNT,
        "a year's filing status: single, mfj, mfs, hoh or qss",
        menu="a year's filing status",
        examples=("/filing 2026 mfj",),
    ),
    Command(
        "carryover",
        figures.carryover,
        ACCOUNT,
        "the capital-loss carryover into a year, from the year before's return",
        menu="the loss carryover into a year",
        examples=("/carryover 2022 short 5,000 long 6,000",),
    ),
    Command(
        "reminders",
        account.reminders_command,
        ACCOUNT,
        "year-end, long-term and wash-sale reminders (on, off, days)",
        menu="year-end and long-term reminders",
    ),
    Command(
        "import",
        account.import_help,
        ACCOUNT,
        "add trades from a broker CSV (send the file)",
        menu="add trades from a broker CSV",
    ),
    Command(
        "form8949",
        forms.form8949,
        ACCOUNT,
        "Form 8949 and Schedule D as CSV and PDF",
        menu="Form 8949 and Schedule D (CSV, PDF)",
        examples=("/form8949 2025",),
    ),
    Command("export", account.export, ACCOUNT, "all your data as CSV", menu="all your data as CSV"),
    Command(
        "forget", account.forget, ACCOUNT, "delete all your data, after a confirmation", menu="delete all your data"
    ),
    Command("help", help_, ACCOUNT, "this list", menu="what I can do", keeps_question=True),
    Command(
        "cancel",
        account.cancel,
        ACCOUNT,
        "stop the current question",
        menu="stop the current question",
        keeps_question=True,
    ),
)

BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}
MENU: tuple[tuple[str, str], ...] = tuple((c.name, c.menu) for c in COMMANDS if c.menu)


def _help_text() -> str:
    """Telegram HTML: each section's title in bold, everything else escaped."""
    sections = [
        "\n".join([bold(title), *(escape(c.help_line()) for c in COMMANDS if c.section == title)]) for title in SECTIONS
    ]
    return "\n\n".join([escape(f"I estimate the US federal tax on your stock sales. {DISCLAIMER}"), *sections])


HELP = _help_text()
