"""The words the understanding layer knows, as data: verbs and idioms for buying and selling, the
words that say which number is which, and the small words it skips."""

from __future__ import annotations

import re

BUY_VERBS = {
    "buy", "bought", "buying", "purchase", "purchased", "got", "grabbed", "snagged", "added", "acquired",
    "scooped", "kaufte", "gekauft", "kauf", "kaufen",
    "buyed",  # the regular past tense people type for "bought"
    "cop", "copped",  # slang
}  # fmt: skip
SELL_VERBS = {
    "sell", "sold", "selling", "dumped", "dump", "unloaded", "offloaded", "trimmed", "trim", "liquidated",
    "verkauft", "verkaufte", "verkaufen",
    "selled",  # the regular past tense, typed for "sold"
    "verkaufe",
    "flog", "flogged", "flogging",  # British
}  # fmt: skip
# Idioms of several words, matched on the lowercased text before the words are split.
BUY_IDIOMS = re.compile(
    r"\b(picked up|pick up|loaded up on|load up on|scooped up|bought into|opened a position in|went long|"
    r"put \$?[\d.,]+k? (?:in|into)|invested|spent|averaged down|averaging down|doubled down|doubling down|"
    r"topped up|bought more)\b",
    re.I,
)
SELL_IDIOMS = re.compile(
    r"\b(got rid of|get rid of|took profits? on|take profits? on|cashed out|cash out|got out of|get out of|"
    r"exited|exit|closed out|closed|close out|let go of|sold off|sold out|took some profit|bailed on|bailed out of|"
    r"bailing on|stopped out|got stopped out|took a loss on|take a loss on|taking a loss on)\b",
    re.I,
)
# A sale of the whole position when no number is given: "closed my PYPL position", "exited AAPL".
WHOLE_POSITION = re.compile(
    r"\b(closed|close out|closed out|exited|exit|cashed out|got out of|sold out of|liquidated|position|"
    r"got rid of my|dump my|dumped my|dumping my|sold my|sell my|everything|entire|whole|rest of|remaining|"
    r"bailed on|bailed out of|stopped out|took a loss on|every (?:last |single )?share|alle)\b",
    re.I,
)
ALL_WORDS = re.compile(r"\b(all|everything|entire|whole|rest of|remaining|every (?:last |single )?share|alle)\b", re.I)
HALF_WORDS = re.compile(r"\bhalf\b|\bh(?:ä|ae)lfte\b", re.I)
# A part of ONE share is a number of shares, not a part of the position: "bought half a share of AMZN".
PART_OF_A_SHARE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:a\s+)?half\s+(?:of\s+)?(?:an?\s+)?share\b", re.I), "0.5"),
    (re.compile(r"\bthree[- ]quarters\s+of\s+an?\s+share\b", re.I), "0.75"),
    (re.compile(r"\b(?:a|one)[- ]quarter\s+(?:of\s+)?an?\s+share\b", re.I), "0.25"),
]
# A part of the position held, as a fraction: "a third of my NVDA", "two thirds", "1/4 of".
FRACTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\btwo[- ]thirds\b", re.I), "2/3"),
    (re.compile(r"\bthree[- ]quarters\b", re.I), "3/4"),
    (re.compile(r"\b(?:a|one)[- ]third\b", re.I), "1/3"),
    (re.compile(r"\b(?:a|one)[- ](?:quarter|fourth)\b", re.I), "1/4"),
    (re.compile(r"\b(?:a|one)[- ]fifth\b", re.I), "1/5"),
    (re.compile(r"\b(?P<n>[1-9])/(?P<d>[2-9])\s+of\b", re.I), "n/d"),  # "1/3 of my TSLA": not a date
]
HYPOTHETICAL = re.compile(
    r"\bwhat\s*if\b|\bwhatif\b|\bwhat happens\b|\bwhat would\b|\bhow much\b|\btax(es)?\b|\bif i\b|\bthinking\b|"
    r"\bconsidering\b|\bshould i\b|\bdamage\b|\bcost me\b|\bowe\b|\btax hit\b|\braise\b|\bwould i\b|"
    r"\bwas w(?:ä|ae)re\b|\bwenn ich\b",  # German "was wäre, wenn ich ... verkaufe"
    re.I,
)
SALE_WORD = re.compile(r"\b(" + "|".join(sorted(SELL_VERBS | {"raise", "dumping", "unload"})) + r")\b", re.I)
EXERCISE = re.compile(r"\bexercis\w*\b", re.I)
VEST = re.compile(r"\bvest(ed|ing|s)?\b", re.I)
ISO_WORDS = re.compile(r"\b(isos?|incentive stock options?)\b", re.I)
NSO_WORDS = re.compile(r"\b(nsos?|nqsos?|non[- ]?qualified( stock)?( options?)?|nqs?os?)\b", re.I)
PRICE_STATEMENT = re.compile(
    r"^\s*(?:the\s+)?(?:price\s+of\s+)?\$?(?P<sym>[A-Za-z][A-Za-z.\-]{0,6})\s+(?:price\s+)?(?:is|'s)\s+"
    r"(?:now\s+|at\s+|trading\s+at\s+)?\$?(?P<price>\d[\d.,]*)\b(?:\s+(?:now|today))?\s*$",
    re.I,
)
GREETING = re.compile(
    r"^\W*(hi|hello|hey|hiya|howdy|yo|sup|wassup|what'?s\s+up|hallo|servus|moin|good\s+(morning|afternoon|evening))\b"
    r"(\s+(there|bot|all|everyone|again))?\W*$",
    re.I,
)
HELP = re.compile(
    r"^\W*(help|help me|hilfe|menu|commands?|start over)\W*$|\bwhat can (you|i) do\b|\bhow (does|do) (this|it|i use)\b|"
    r"\bhow do i use\b|\bwhat commands\b|\bwhat (do|can) you do\b",
    re.I,
)
UNDO = re.compile(
    r"^\W*(oops|undo|rückgängig)\b|\bundo\b|\btake (that|it) back\b|\b(remove|delete) (that|the) last\b|"
    r"\b(remove|delete) (the )?last (one|trade|entry)\b|"
    r"\bcancel (that|this|the|my) (last )?(trade|one|entry|purchase|sale|order)\b|"
    r"\bscratch that\b|\b(remove|delete) (it|that)\b|\bthat was (a mistake|wrong)\b",
    re.I,
)
THANKS = re.compile(
    r"^\W*(thanks|thank you|thank u|thank ya|thanku|tysm|thx|ty|great|cool|ok|okay|nice|danke|perfect|cheers|ta)\b",
    re.I,
)
QUESTION_START = re.compile(
    r"^\s*(when|what|what's|whats|how|is|are|would|will|can|could|do|does|did|which|why|am|any|should|by when|"
    r"wie|was|wann|welche[rs]?|muss|soll)\b",  # German questions too
    re.I,
)

# Words that tell which number is which.
PRICE_BEFORE = {"at", "@", "for", "paid", "got", "received", "price", "receiving", "zu", "für", "fuer", "um"}
PRICE_AFTER = ("each", "apiece", "a share", "per share", "/share", "a pop", "per", "/sh")
DOLLARS_AFTER = ("of", "worth", "in", "into", "on", "from", "dollars", "bucks", "usd")
STRIKE_BEFORE = {"strike", "at", "price"}
FMV_BEFORE = {"fmv", "value", "was", "price", "worth", "at"}
# "in my roth" (no "IRA" after it) is a Roth IRA too.
ROTH_ALONE = re.compile(r"\bin\s+(?:my|the|a)\s+roth\b(?!\s+(?:ira|401))", re.I)
FEES_AFTER = re.compile(r"\b(?:with\s+)?(?:fees?|commission)\s*[:=]?\s*\$?(?P<n>\d[\d.,]*)", re.I)
FEES_BEFORE = re.compile(r"\b(?:with\s+)?\$?(?P<n>\d[\d.,]*)\s+(?:in\s+)?(?:fees?|commission)\b", re.I)

# The word after "my" names something the user holds ("when does my tsla go long term"), so there a
# lowercase ticker or a company's exact name is read even in a question.
OWNED = re.compile(r"\b(?:my|meine[nr]?)\s+(?P<words>[^\s,;:!?]+(?:\s+[^\s,;:!?]+){0,2})", re.I)

# Words skipped when looking for the symbol or a company name.
FILLER = {
    "i", "me", "my", "mine", "the", "a", "an", "of", "in", "into", "on", "at", "@", "for", "to", "and", "just",
    "shares", "share", "sh", "stock", "stocks", "position", "positions", "more", "another", "some", "each", "per",
    "apiece", "all", "half", "everything", "entire", "whole", "rest", "remaining", "x", "also", "today", "now", "then",
    "paid", "got", "received", "by", "with", "worth", "dollars", "bucks", "usd", "up", "out", "off", "it", "them",
    "that", "this", "was", "is", "be", "been", "have", "had", "has", "what", "if", "how", "much", "would", "will",
    "should", "could", "can", "do", "does", "did", "tax", "taxes", "owe", "cost", "damage", "thinking", "about",
    "considering", "happens", "or", "wait", "hit", "so", "far", "yet", "when", "there", "from", "raise", "pop",
    "profit", "profits", "took", "take", "long", "went", "opened", "dip", "bought", "ira", "roth",
    "your", "its", "habe", "zu", "für", "am", "um", "und", "stück", "aktien", "fees", "fee", "commission", "strike",
    "fmv", "fair", "market", "value", "price", "options", "option", "nso", "nsos", "iso", "isos", "rsu", "rsus",
    "vested", "vest", "exercised", "exercise", "incentive", "non-qualified", "qualified", "nonqualified", "were", "let", "go", "rid", "cashed", "closed", "close", "exited", "exit", "liquidated",
    "loaded", "scooped", "picked", "put", "invested", "spent", "trading", "trade", "sold", "sell", "selling",
    "buy", "buying", "purchase", "purchased", "grabbed", "snagged", "added", "acquired", "dumped", "unloaded",
    "offloaded", "trimmed", "new", "again", "too", "already", "oh", "ok", "well", "hey", "dollar", "year", "end",
    "before", "after", "until", "since", "last", "week", "day", "days", "ago", "sale", "loss", "gain", "lot", "lots",
    "averaged", "averaging", "doubled", "doubling", "down", "bailed", "bailing", "stopped", "topped", "every",
    "alle", "meine", "meiner", "meinen", "mein", "die", "der", "das", "ich", "hab", "hälfte", "haelfte", "wenn",
    "wäre", "waere",  # German small words
}  # fmt: skip
# Capitalised words that are never tickers.
NOT_TICKERS = {"I", "IRA", "NSO", "NSOS", "ISO", "ISOS", "RSU", "RSUS", "FMV", "OK", "USD", "CPA", "AMT", "NIIT",
               "ETF", "ROTH", "A", "AM", "PM", "EUR", "NQSO", "NQSOS", "IPO", "YOLO", "LOL", "TY", "THX", "US",
               "W2", "W-2", "MFJ", "MFS", "HOH", "QSS", "AGI", "MAGI", "CGT"}  # fmt: skip
