"""Tax-advantaged accounts: which account names mean one, what kind each is, and how to call it.

The engine knows one such type, "ira" (stored data: the name stays): a sale inside is not a taxable
disposition, and a purchase there that replaces a taxable loss disallows it for good. An HSA, a 401(k),
a 403(b), a 457(b), a 529 plan or a Coverdell ESA is booked the same way; the words the user reads
name the account's own kind, since the IRS ruling behind the permanent disallowance speaks of IRAs only.
"""

from __future__ import annotations

import re

from calc.models import AccountType

# Accounts whose dividends are on no taxable 1099-DIV total and whose trades report no gain, as brokers
# name them ("IRA Account", "ROTH IRA", "HSA", "Health Savings Account", "401(K)", "BrokerageLink"):
# IRAs (IRC 408(e)(1), 408A(a)), health savings accounts (IRC 223(e)(1)), employer plans (IRC 401(a),
# 501(a), 403(b), 457(b)), 529 plans (IRC 529(a)) and Coverdell ESAs (IRC 530(a)).
TAX_EXEMPT_ACCOUNT = re.compile(
    r"\b(?:ira|roth|hsa|health\s+savings|401\s*\(?k\)?|403\s*\(?b\)?|457\s*\(?b\)?|529|brokeragelink|coverdell)(?![\w(])",
    re.I,
)

# What a user types after "in my": "IRA", "Roth IRA", "HSA", "401k", "401(k)", "Roth 401k", "403b", "457b",
# "529" (or "my son's 529 plan"), "Coverdell" (or "Coverdell ESA", "ESA"). Outside an IRA and a Coverdell
# the words "in my/the/a/an" must come first, so a bare "401" or "529" stays a number.
SAID_ACCOUNT = re.compile(
    r"(?:\b(?:in\s+(?:my\s+|the\s+|a\s+|an\s+)?)?(?:(?P<ira>(?:roth|traditional|rollover)\s+)?ira\b"
    r"|(?P<coverdell>coverdell(?:\s+esa)?)\b)"
    r"|\bin\s+(?:my\s+|the\s+|a\s+|an\s+)?(?:[a-z]+['’]s\s+)?(?P<plan>(?:roth\s+)?(?:40[13]|457)\s*\(?[kb]\)?(?![\w(])"
    r"|hsa\b|health\s+savings\b|(?P<college>529)(?:\s+plan)?(?![\w(]|[.,]\d)|(?P<esa>esa)\b))(?:\s+account\b)?",
    re.I,
)

_PLAN = re.compile(r"(?P<roth>roth\s+)?(?P<n>40[13]|457)\s*\(?(?P<letter>[kb])\)?", re.I)
# The kind of account a broker's (or user's) name says, first match wins ("Roth 401(k)" is read by _PLAN).
_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bhsa\b|\bhealth\s+savings", re.I), "HSA"),
    (re.compile(r"\bcoverdell", re.I), "Coverdell ESA"),
    (re.compile(r"\b529(?![\w(])", re.I), "529 plan"),
    (re.compile(r"\bbrokeragelink\b", re.I), "workplace plan"),
    (re.compile(r"\broth\b(?!\s*(?:40[13]|457))", re.I), "Roth IRA"),
    (re.compile(r"\bira\b", re.I), "IRA"),
)
# Kinds with an article "an" before them when said aloud.
_AN = ("IRA", "HSA")


def account_type(account: str | None) -> AccountType:
    """ "ira" (sheltered: the engine's name for it) when the account's name says it is tax-advantaged."""
    return "ira" if account and TAX_EXEMPT_ACCOUNT.search(account) else "taxable"


def said_account(text: str) -> tuple[str, str | None]:
    """The account a trade line names ("in my HSA" -> "HSA", "in my 401k" -> "401(k)") and the text without it."""
    found = SAID_ACCOUNT.search(text)
    if not found:
        return text, None
    rest = text[: found.start()] + " " + text[found.end() :]
    if found["coverdell"] or found["esa"]:
        return rest, "Coverdell ESA"
    if found["college"]:
        return rest, "529 plan"
    if found["plan"] is None:
        return rest, (f"{found['ira'].strip().title()} IRA" if found["ira"] else "IRA")
    plan = _PLAN.match(found["plan"])
    return rest, "HSA" if plan is None else _plan_name(plan)


def _plan_name(plan: re.Match[str]) -> str:
    """ "401(k)", "Roth 401(k)", "403(b)", "457(b)": a workplace plan as it is written."""
    return ("Roth " if plan["roth"] else "") + f"{plan['n']}({plan['letter'].lower()})"


def kind(account: str | None) -> str:
    """What kind of sheltered account it is, to say to the user: "IRA", "Roth IRA", "HSA", "401(k)"..."""
    if account:
        if plan := _PLAN.search(account):  # a Roth 401(k) is a 401(k) whose withdrawals can be tax-free
            return _plan_name(plan)
        for pattern, name in _KINDS:
            if pattern.search(account):
                return name
    return "IRA"  # what a sheltered trade without a telling name has always been


def is_ira(account: str | None) -> bool:
    """An IRA (traditional, rollover or Roth): the accounts Rev. Rul. 2008-5 speaks of."""
    return kind(account).endswith("IRA")


def a(kind_: str) -> str:
    """ "an IRA", "an HSA", "a 401(k)"."""
    return f"{'an' if kind_ in _AN else 'a'} {kind_}"


def plural(kind_: str) -> str:
    """ "IRAs", "HSAs", "401(k)s", "529 plans"."""
    return f"{kind_}s"


def kinds_said(kinds: list[str]) -> str:
    """ "IRAs", "IRAs and HSAs": the kinds in the order first met, each once."""
    named = [plural(k) for k in dict.fromkeys(kinds)]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def where_said(kinds: list[str]) -> str:
    """ "an HSA" for one kind, "IRAs and HSAs" for several."""
    return a(kinds[0]) if len(set(kinds)) == 1 else kinds_said(kinds)


def ruling_words(kinds: list[str]) -> str:
    """Why a loss replaced in these accounts is lost for good, said honestly: the IRS ruled for IRAs only."""
    others = [k for k in kinds if not k.endswith("IRA")]
    if not others:
        return "Shares in an IRA can't take the loss into their basis (Rev. Rul. 2008-5), so unlike other wash sales you never get it back."
    return (
        "The IRS ruled that for IRAs: shares there can't take the loss into their basis, so unlike other wash sales "
        f"it never comes back (Rev. Rul. 2008-5). No ruling covers {kinds_said(others)}; I treat "
        + ("them" if len(set(others)) > 1 else f"your {others[0]}")
        + " the same way, as the cautious reading. A tax professional can tell you if the loss may be kept."
    )


def untaxed(kinds: list[str]) -> str:
    """What holding there means: an IRA's gains are taxed, if ever, when withdrawn; an HSA's or a 529's
    need never be, so "until withdrawn" is said of IRAs only."""
    return "untaxed until withdrawn" if all(k.endswith("IRA") for k in kinds) else "sheltered from tax"
