"""Long answers as a summary and pages, each a phone screen (about 1,200 characters).

A paged answer (`Paged`) is a summary and a list of entries (lots, sales, suggestions), each
entry in a group (a symbol) whose heading opens every page it appears on. When everything fits
one screen it is one message; otherwise the summary comes first, with buttons to the pages.

Pages are made when a button is pressed, from the stored state, never kept: a button carries
the view, its argument (a symbol, a year), the page and a fingerprint of what the pages were
made from. Pressed after that changed (a trade added, a price given, another day), it shows the
answer as it is now and says so, rather than a page of something that is no longer true. Entries
and their lines are made only up to the page shown (`Each`), so page 1 of a 20,000-lot history
costs a page, not 20,000 lines.

The fingerprint is of the summary, the overview, the number of entries and a view's `about`: a
few figures that change with what the pages list (a count, sums, the first and last entries),
not every entry, which cost more than the answer on a long history. A change none of them sees
(an edit that leaves every total as it was) shows the page as it is now without the note: pages
are always made from the state as it is when pressed, never from what the button was sent with.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Generic, NamedTuple, TypeVar, overload

from conversations.events import Button, Reply
from conversations.kernel import Ctx, Handler, Outcome, say
from conversations.markup import bold, plain

PAGE_CHARS = 1200  # one phone screen, what the user sees (tags and entities not counted)
NEXT, BACK, SUMMARY = "Next ›", "‹ Back", "Summary"
CHANGED = "That answer has changed since those buttons were sent; here it is now."


class Entry(NamedTuple):
    group: str  # the key of the group it belongs to ("" for none); entries of a group are together
    line: Callable[[], str]  # its line, Telegram HTML, made only when its page is shown


T = TypeVar("T")


class Each(Sequence[Entry], Generic[T]):
    """The entries of `items`, each made by `entry` only when a page reads it: a long history's first
    page costs its own entries, not one for every sale or lot."""

    def __init__(self, items: Sequence[T], entry: Callable[[T], Entry]) -> None:
        self.items, self.entry = items, entry

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return Each(self.items[index], self.entry)
        return self.entry(self.items[index])

    def __iter__(self) -> Iterator[Entry]:
        return map(self.entry, self.items)


@dataclass(frozen=True)
class Paged:
    view: str  # the button prefix of the view, e.g. "pf"
    arg: str  # what the view is of (a symbol, a year); no ":" in it
    title: str  # the pages' heading, plain text ("Your lots")
    summary: str  # Telegram HTML
    entries: Sequence[Entry]  # an Each, so that only the entries of the page shown are made
    noun: tuple[str, str] | None  # ("lot", "lots"): "Lots 9–16 of 200"; None: "Page 3" (entries of many kinds)
    about: object  # a few figures that change with what the pages list (see the module's docstring)
    heading: Callable[[str], str] = lambda group: bold(group)  # a group's heading line (HTML)
    overview: str = ""  # HTML under the summary when the entries take pages (a line per symbol)
    more: str = "Details ›"  # the summary's button to page 1
    buttons: tuple[tuple[Button, ...], ...] = ()  # more rows under the summary (a chart, other views)

    @cached_property
    def fingerprint(self) -> str:  # made when a button needs it: an answer that fits one screen has none
        digest = hashlib.blake2b(
            repr((self.summary, self.overview, len(self.entries), self.about)).encode(), digest_size=4
        )
        return digest.hexdigest()


def answer(ctx: Ctx, paged: Paged) -> Outcome:
    """The paged answer as sent for its command: everything when it fits one screen, else the summary."""
    return Outcome(ctx.state, [_summary(ctx, paged)])


def button(build: Callable[[Ctx, str], Paged | str]) -> Handler:
    """The handler for a view's page buttons (data "view:arg:page:fingerprint"; no fingerprint opens the
    view as it is now). `build` makes the view from the state now, or says in words why there is none
    any more (a symbol no longer held)."""

    def pressed(ctx: Ctx, data: str) -> Outcome:
        arg, page_text, fingerprint = [*data.split(":"), "", "", ""][:3]
        paged = build(ctx, arg)
        if isinstance(paged, str):
            return say(ctx, paged)
        page = int(page_text) if page_text.isdigit() and len(page_text) < 6 else 0
        if fingerprint and fingerprint != paged.fingerprint:
            summary = _summary(ctx, paged)
            note = f"<i>{CHANGED}</i>\n\n"
            return Outcome(ctx.state, [summary.model_copy(update={"text": note + summary.text, "edit": True})])
        return Outcome(ctx.state, [_page(ctx, paged, page).model_copy(update={"edit": True})])

    return pressed


def to(paged: Paged, page: int, label: str) -> Button:
    return Button(label=label, data=f"{paged.view}:{paged.arg}:{page}:{paged.fingerprint}")


def opening(view: str, arg: str, label: str) -> Button:
    """A button to another view's summary, as it is when pressed."""
    return Button(label=label, data=f"{view}:{arg}:0:")


def fitting(ctx: Ctx, lines: list[str], room: int, noun: tuple[str, str], total: int | None = None) -> list[str]:
    """The first of `lines` that fit in `room` characters, then "… and N more <noun>" for the rest (of
    `total`, when `lines` are only the first of them: a long list's first screen, not all its lines)."""
    kept: list[str] = []
    size = 0
    for line in lines:
        size += len(plain(line)) + 1
        if size > room - 40:  # 40: room for the note
            break
        kept.append(line)
    left = (len(lines) if total is None else total) - len(kept)
    return [*kept, f"… and {ctx.fmt.number(Decimal(left))} more {noun[0] if left == 1 else noun[1]}."] if left else kept


def _summary(ctx: Ctx, paged: Paged) -> Reply:
    room = PAGE_CHARS - len(plain(paged.summary)) - 2
    whole = next(_pages(paged, room), None)
    if whole is not None and whole.last == len(paged.entries):  # everything fits: no pages
        return Reply(text=f"{paged.summary}\n\n{whole.text}", html=True, buttons=paged.buttons)
    if not paged.entries:
        return Reply(text=paged.summary, html=True, buttons=paged.buttons)
    text = f"{paged.summary}\n\n{paged.overview}" if paged.overview else paged.summary
    return Reply(text=text, html=True, buttons=((to(paged, 1, paged.more),), *paged.buttons))


class _Page(NamedTuple):
    text: str
    first: int  # 1-based, inclusive
    last: int


def _page(ctx: Ctx, paged: Paged, number: int) -> Reply:
    if number <= 0 or not paged.entries:
        return _summary(ctx, paged)
    shown, at = None, 0
    for at, page in enumerate(_pages(paged, PAGE_CHARS - 80), start=1):  # 80: room for the heading line
        shown = page
        if at == number:
            break
    number = at  # past the end (fewer pages now than when the button was sent): the last one
    assert shown is not None
    where = _where(ctx, paged, shown, number)
    moves = [to(paged, number - 1, BACK if number > 1 else f"‹ {SUMMARY}")]
    if shown.last < len(paged.entries):
        moves.append(to(paged, number + 1, NEXT))
    rows: tuple[tuple[Button, ...], ...] = (tuple(moves),)
    if number > 1:
        rows += ((to(paged, 0, SUMMARY),),)
    return Reply(text=f"{bold(paged.title)} · {where}\n\n{shown.text}", html=True, buttons=rows)


def _where(ctx: Ctx, paged: Paged, shown: _Page, number: int) -> str:
    """Where the page is: "Lots 9–16 of 200", or "Page 3" when the entries aren't one kind of thing."""
    if paged.noun is None:
        return f"Page {ctx.fmt.number(Decimal(number))}"
    one, many = paged.noun
    first, last, total = (ctx.fmt.number(Decimal(n)) for n in (shown.first, shown.last, len(paged.entries)))
    if shown.first == shown.last:
        return f"{one.capitalize()} {first} of {total}"
    return f"{many.capitalize()} {first}–{last} of {total}"


def _pages(paged: Paged, room: int) -> Iterator[_Page]:
    """Pages of at most `room` characters as the user sees them, made one after another as asked for.
    A group split over pages opens the next one with its heading again."""
    lines: list[str] = []
    size, first, group = 0, 1, None
    for index, entry in enumerate(paged.entries, start=1):
        line = entry.line()
        heading = paged.heading(entry.group) if entry.group and (entry.group != group or not lines) else ""
        block = ([""] if heading and lines else []) + ([heading] if heading else []) + [line]
        grow = sum(len(plain(b)) + 1 for b in block)
        if lines and size + grow > room:
            yield _Page("\n".join(lines), first, index - 1)
            lines, size, first = [], 0, index
            heading = paged.heading(entry.group) if entry.group else ""
            block = ([heading] if heading else []) + [line]
            grow = sum(len(plain(b)) + 1 for b in block)
        lines.extend(block)
        size += grow
        group = entry.group
    if lines:
        yield _Page("\n".join(lines), first, len(paged.entries))
