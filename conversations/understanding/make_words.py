"""Regenerates words.txt, the everyday English words a lowercase ticker must not be guessed from.

A held ticker typed in lowercase ("is tsla long term yet") is read as the ticker, unless the word is
also everyday English ("is key long term yet" from someone holding KeyCorp): then the chat says how it
could have read it instead of guessing. The list is wordfreq's (Apache-2.0 code; its data is CC BY-SA
4.0, attributed here: Robyn Speer, wordfreq v3.1) English words of up to six letters with a Zipf
frequency of 4 or more (once in 100,000 words: "key" 5.1, "cat" 4.8, "dash" 4.0; "ibm" 3.9,
"tsla" 2.3). wordfreq is large (58 MB) and only this script needs it: `pip install wordfreq==3.1.1`,
then `python -m conversations.understanding.make_words`. The chat reads only the generated file.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).with_name("words.txt")
ZIPF = 4.0
LONGEST = 6  # a ticker's letters before any class suffix (parsing.SYMBOL)


def words() -> list[str]:
    from wordfreq import top_n_list, zipf_frequency

    return sorted(
        {
            w
            for w in top_n_list("en", 30_000)
            if w.isascii() and w.isalpha() and len(w) <= LONGEST and zipf_frequency(w, "en") >= ZIPF
        }
    )


def main() -> None:
    found = words()
    header = f"# everyday English words (wordfreq 3.1, Zipf >= {ZIPF}, up to {LONGEST} letters; make_words.py)"
    OUT.write_text("\n".join([header, *found]) + "\n", encoding="utf-8")
    print(f"{len(found)} words written to {OUT}")


if __name__ == "__main__":
    main()
