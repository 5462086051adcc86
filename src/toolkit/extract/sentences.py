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


_INITIALS = regex.compile(r"(?:\p{L}\.)*\p{L}")
_UPPER = regex.compile(r"\p{Lu}")


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence in text, stripped of surrounding white space."""
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if text[m.start()] == "." and _is_abbreviation(text, start, m.start()):
            continue
        yield from _strip(text, start, end)
        start = end
    yield from _strip(text, start, len(text))


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation or an initial, not a sentence."""
    i = dot
    while i > start and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    if word in ABBREVIATIONS or len(word) <= 3 and "." in word and _INITIALS.fullmatch(word):
        return True
    # an initial: "John F. Kennedy"
    return bool(_UPPER.fullmatch(text[dot - 1 : dot])) and (dot < 2 or not text[dot - 2].isalpha())


def _strip(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end
