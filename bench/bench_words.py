"""How many held-out phrasings the understanding layer reads exactly, and how fast.

The held-out tables (tests/phrasings/heldout*.tsv) measure it; a row counts as understood only when
every field of the reading is the one expected. heldout3.tsv and heldout4.tsv were each written
before the session that measured it changed any code for it; each figure is reported as first measured.
"""

from __future__ import annotations

import time

from conversations.commands import BY_NAME
from conversations.understanding.reader import understand
from tests.phrasings.table import TODAY, actual, expected, rows


def main() -> None:
    commands = BY_NAME
    for name in ("heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "tuned.tsv"):
        table = rows(name)
        missed = [r for r in table if actual(understand(r.text, TODAY, r.locale, commands)) != expected(r)]
        share = 1 - len(missed) / len(table)
        print(f"{name}: {len(table) - len(missed)} of {len(table)} understood exactly ({share:.0%})")
        if name.startswith("heldout"):
            for r in missed:
                print(f"  missed: {r}  got {actual(understand(r.text, TODAY, r.locale, commands))}")
    table = rows("tuned.tsv")
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for r in table:
            understand(r.text, TODAY, r.locale, commands)
    per = (time.perf_counter() - start) / (rounds * len(table))
    print(f"reading one message: {per * 1e6:.0f} µs on average over {rounds * len(table)} messages")


if __name__ == "__main__":
    main()
