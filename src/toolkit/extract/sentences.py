"""Split report bodies into sentences with their character offsets.

Survives text whose spaces after full stops were stripped ("city.Every") and keeps
abbreviations ("U.S.", "Gen.", "Dec.") and decimals ("2.5") inside a sentence. Every
line break ends a sentence too, so headlines and list items stand alone.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

ABBREVIATIONS = {
    "u.s", "u.n", "u.k", "gen", "col", "lt", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr",
    "prof", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "no", "vs", "etc", "e.g", "i.e", "govt", "approx", "inc", "co", "ltd",
}  # fmt: skip

# A boundary: . ! ? (and closing quotes/brackets) followed by space, or glued to a capital.
_END = regex.compile(r"[.!?]+[\"'”’)\]]*(?=\s|\p{Lu}|$)|\n+")


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence in text, stripped of surrounding white space."""
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group(0)[0] == ".":
            before = regex.search(r"([\p{L}.]+)$", text[start : m.start()])
            word = before.group(1).lower() if before else ""
            if word in ABBREVIATIONS or regex.fullmatch(r"(?:\p{L}\.)*\p{L}", word) and len(word) <= 3 and "." in word:
                continue
            if regex.fullmatch(r"\p{Lu}", text[m.start() - 1 : m.start()]) and (
                m.start() < 2 or not text[m.start() - 2].isalpha()
            ):
                continue  # an initial: "John F. Kennedy"
        yield from _strip(text, start, end)
        start = end
    yield from _strip(text, start, len(text))


def _strip(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end
