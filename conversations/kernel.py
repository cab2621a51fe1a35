"""The conversation kernel: what every handler needs and nothing that knows the handlers.

A handler takes the context of one event (`Ctx`) and its argument text, and returns an
`Outcome`: the new state and the replies. `say` and `ask` build the common outcomes.
Handler modules import this module; only `conversations.router` imports the handlers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar
from zoneinfo import ZoneInfo

from conversations.drafts import (
    Answers,
    Asking,
    DividendDraft,
    EsppDraft,
    FiguresDraft,
    GrantDraft,
    GuessDraft,
    ImportDraft,
    SaleOffer,
    TradeDraft,
    YearDraft,
    YesNo,
)
from conversations.events import Button, Event, Reply
from conversations.formatting import Fmt
from conversations.state import UserState, Wizard

A = TypeVar(
    "A",
    TradeDraft,
    GrantDraft,
    EsppDraft,
    SaleOffer,
    YearDraft,
    ImportDraft,
    DividendDraft,
    GuessDraft,
    YesNo,
    FiguresDraft,
)


@dataclass
class Ctx:
    state: UserState
    event: Event
    fmt: Fmt = field(init=False)
    today: date = field(init=False)

    def __post_init__(self) -> None:
        self.fmt = Fmt(self.state.profile.locale)
        try:
            zone = ZoneInfo(self.state.profile.timezone)
        except (KeyError, ValueError):
            zone = ZoneInfo("America/New_York")
        now = self.event.now if self.event.now.tzinfo else self.event.now.replace(tzinfo=ZoneInfo("UTC"))
        self.today = now.astimezone(zone).date()


@dataclass(frozen=True)
class Outcome:
    state: UserState
    replies: list[Reply]


def say(
    ctx: Ctx, text: str, buttons: tuple[tuple[Button, ...], ...] = (), html: bool = False, **changes: object
) -> Outcome:
    """Reply with `text` (Telegram HTML when `html`: built with conversations/markup.py) and change the state."""
    state = ctx.state.model_copy(update=changes) if changes else ctx.state
    return Outcome(state, [Reply(text=text, buttons=buttons, html=html)])


def question_name(ctx: Ctx) -> str:
    """The nonce naming the question this event opens (the event's own id, short enough for a
    button's callback data): the buttons sent with it carry it, and `ask` keeps it in the wizard."""
    return ctx.event.id.replace(":", "")[-16:] or "0"


def ask(
    ctx: Ctx,
    flow: str,
    step: str,
    text: str,
    draft: Answers | None = None,
    buttons: tuple[tuple[Button, ...], ...] = (),
    html: bool = False,
    **changes: object,
) -> Outcome:
    """Open the question `step` of `flow`, keeping the answers so far (`draft`: a typed model from
    conversations/drafts.py). Each question is named by the event that opened it (`question_name`)."""
    wizard = Wizard(flow=flow, step=step, answers=draft, nonce=question_name(ctx), buttons_named=True)
    return say(ctx, text, buttons, html, wizard=wizard, **changes)


def answers(ctx: Ctx, kind: type[A]) -> A:
    """The open question's typed answers; a step runs only while its flow's question is open."""
    wizard = ctx.state.wizard
    assert wizard is not None and isinstance(wizard.answers, kind), wizard
    return wizard.answers


def asking(ctx: Ctx) -> Asking:
    """The answers of a /buy, /sell, /exercise, /vest or /espp question (they share the first questions)."""
    wizard = ctx.state.wizard
    assert wizard is not None and isinstance(wizard.answers, TradeDraft | GrantDraft | EsppDraft), wizard
    return wizard.answers


Handler = Callable[[Ctx, str], Outcome]
