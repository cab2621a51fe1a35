"""Questions by subject: which topic a question is about. The first pattern that matches wins,
so the narrow subjects come before the broad ones ("last day to sell for tax losses" is about the
last day, not about taxes)."""

from __future__ import annotations

import re

_OPTIONS = r"(options?|nsos?|nqsos?|isos?|rsus?|bargain|exercis\w*|vest\w*|w-?2|comp\w*)"
_LOSSES = r"(loss|losses|harvest\w*|write[- ]?off)"

US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|"
    "Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|"
    "Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|"
    "Virginia|Washington|West Virginia|Wisconsin|Wyoming|NYC"
)
# What the bot doesn't cover: asked or told ("I sold a put and it got assigned"), these get an honest
# answer before anything is read as a trade. So does ESPP: "bought 100 ACME through my ESPP at 42.50" is
# no plain purchase (part of it is pay), and /espp asks for Form 3922's figures.
OUT_OF_SCOPE: list[tuple[str, re.Pattern[str]]] = [
    ("espp", re.compile(r"\bespps?\b|\bemployee\s+(stock|share)\s+purchase", re.I)),
    (
        "state",
        re.compile(
            rf"\bstate\b.*\btax|\btax\w*\b.*\bstate\b|\b(local|city)\s+tax|\b({US_STATES})\b.*\btax|"
            rf"\btax\w*\b.*\b({US_STATES})\b",
            re.I,
        ),
    ),
    (
        "contracts",
        re.compile(
            r"\b(calls?|puts?)\b.*\b(options?|contracts?|premium|strike|expir\w*|assign\w*|sold|wrote|bought)\b|"
            r"\b(covered|naked|long|short)\s+(calls?|puts?)\b|\boptions?\s+(contracts?|trad\w*|premium)\b|"
            r"\b(straddle|spread|1256)\b|\b(sold|wrote|bought)\s+an?\s+(call|put)\b",
            re.I,
        ),
    ),
    ("shorts", re.compile(r"\bshort\s+(sale|sales|sell\w*|position)|\bsell\w*\s+short\b|\bshort(ed|ing)\b", re.I)),
    (
        "collectibles",
        re.compile(r"\bcollectibles?\b|\b28\s?%|\b(gold|silver|platinum|bullion|artwork|coin collection)\b", re.I),
    ),
    (
        "realestate",
        re.compile(r"\b1250\b|\brecapture\b|\b(rental|real estate|house|home sale|reits?)\b|\bdepreciat\w*", re.I),
    ),
    (
        "scope",
        re.compile(
            r"\b(what|which)\b.*\b(not|don't|do not|can't|cannot|doesn't)\b.*\b(cover|handle|support)\b|"
            r"\b(scope|limitations?)\b",
            re.I,
        ),
    ),
]
TOPICS: list[tuple[str, re.Pattern[str]]] = [
    *OUT_OF_SCOPE,
    ("options", re.compile(rf"\b{_LOSSES}\b.*\b{_OPTIONS}\b|\b{_OPTIONS}\b.*\b{_LOSSES}\b", re.I)),
    ("iso", re.compile(r"\bisos?\b.*\b(tax\w*|owe|amt)\b|\b(tax\w*|owe|amt)\b.*\bisos?\b", re.I)),
    (
        "lastday",
        re.compile(
            r"\b(last|final)\s+(trading\s+)?day\b|\bdeadline\b|\bby when\b|\bsell by\b|\bhave to sell by\b|"
            r"\bneed to sell\b.*\b(count|by)\b",
            re.I,
        ),
    ),
    ("wash", re.compile(r"\bwash\b|\bbuy\s+(it\s+|them\s+)?back\b|\bre-?buy\b|\brepurchase\b", re.I)),
    (
        "longterm",
        re.compile(r"\b(long|short)[- ]?term\b|\bholding period\b|\bhow long (have|did) i (held|hold|owned)\b", re.I),
    ),
    ("carryover", re.compile(r"\bcarry\s*(over|forward)|\bcarryover\b|\bloss limit\b|\b3,?000\b", re.I)),
    (
        "harvest",
        re.compile(
            r"\bharvest\w*\b|\blosers?\b|\b(at|for) a loss\b|\b(stocks?|positions?|lots?) (are |that are )?down\b|"
            r"\bsell\b.*\b(save|lower|reduce|cut)\b.*\btax",
            re.I,
        ),
    ),
    (
        "tax",
        re.compile(
            r"\b(how much|what)\b.*\b(tax|taxes)\b|\b(tax|taxes)\b.*\b(owe|due|estimate|bill|pay)\b|"
            r"\bdo i owe\b|\bwhat do i owe\b|\bestimate my tax|\btax bill\b|\bmy tax(es)?\b|"
            r"\bcgt\b|\bcapital gains? tax\b|\bsteuer\w*\b",  # British "CGT bill"; German "wie viel Steuer"
            re.I,
        ),
    ),
    (
        "gains",
        re.compile(
            r"\bprofits?\b|\bgains?\b|\bp\s*&\s*l\b|\bp/l\b|\bhow much (money )?(did|have) i (make|made|lose|lost)\b|"
            r"\bup or down\b|\bhow did i do\b|\bhow am i doing\b",
            re.I,
        ),
    ),
    (
        "portfolio",
        re.compile(
            r"\bportfolio\b|\bholdings?\b|\bpositions\b|\bwhat do i own\b|\bwhat am i holding\b|\bwhat do i have\b",
            re.I,
        ),
    ),
    ("trades", re.compile(r"\btrades\b|\btransactions\b", re.I)),
    ("filing", re.compile(r"\bfiling\s+status\b|\bhow\s+(do|should)\s+(i|we)\s+file\b", re.I)),
    (
        "income",
        re.compile(
            r"\b(income|salary|wages)\b.*\b(give|gave|given|told|tell|set|entered|using|use|have|got|change)\b|"
            r"\b(give|gave|told|tell|set|entered|using|use|change)\b.*\b(income|salary|wages)\b",
            re.I,
        ),
    ),
    ("advice", re.compile(r"\b(advice|advisor|adviser|accountant|cpa)\b", re.I)),
]


def topic_of(text: str) -> str | None:
    return next((name for name, pattern in TOPICS if pattern.search(text)), None)


def out_of_scope(text: str) -> str | None:
    return next((name for name, pattern in OUT_OF_SCOPE if pattern.search(text)), None)
