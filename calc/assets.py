"""Which holdings the wash-sale rule reaches.

IRC 1091 disallows losses on "stock or securities". Virtual currency held as property
(IRS Notice 2014-21; Publication 544's property rules) is neither, so selling bitcoin at a
loss and buying it back the next day keeps the loss. A trade says what it is (`Trade.asset`);
left unsaid, the well-known coins below are crypto and everything else a security. Note that
some exchange-traded funds holding crypto are securities (their shares are stock of a trust):
record them with their fund ticker, or as `asset="security"`.
"""

from __future__ import annotations

from calc.models import Trade

# Coins and stablecoins people hold most, by the symbol exchanges quote them under. Not law: a
# default for lines that don't say; anything else is crypto when the line says "crypto".
WELL_KNOWN_CRYPTO = frozenset(
    {"BTC", "ETH", "SOL", "XRP", "DOGE", "ADA", "LTC", "BCH", "DOT", "AVAX", "XLM", "SHIB", "USDC", "USDT", "XMR"}
)


def is_crypto(trade: Trade) -> bool:
    if trade.asset is not None:
        return trade.asset == "crypto"
    return trade.symbol in WELL_KNOWN_CRYPTO
