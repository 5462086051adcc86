"""Total control stated in words ("all of Palmyra", "full control of the city") as a 100% share."""

from __future__ import annotations

from functools import cache

import regex

from toolkit import scan as scanner
from toolkit.alternation import alternation
from toolkit.extract.numbers import Amount
from toolkit.lexicons import load


@scanner.warm_with
@cache
def _pattern() -> regex.Pattern:
    alt = alternation(load("qualifiers")["total_share"])
    # "recaptured all of Palmyra", 'regained "full control" of the city'; the capital that
    # names a place is matched case-sensitively ("take all measures" is no share)
    return scanner.register(
        regex.compile(
            rf"(?<!\w)[\"“]?(?:{alt})[\"”]?(?=\s+(?:of\s+)?(?:the\s+)?(?:al-)?(?-i:\p{{Lu}})|\s+of\s+the\s+(?:[\w-]+\s+){{0,2}}?(?:city|town|province|governorate)\b)",
            regex.I,
        )
    )


# A control verb in the infinitive ("a bid to recapture all of ...") states an aim, not a fact.
_AIM = regex.compile(
    r"(?:\bto\s+(?:re)?(?:take|capture|gain|seize|control|claim)\w*|"
    r"\b(?:re)?(?:taking|capturing|gaining|seizing|claiming)|\bbid\b|\bpush\b)(?:\s+\S+){0,3}\s*$",
    regex.I,
)


def may_hold_total(
    text: str, pos: int = 0, endpos: int | None = None, hits: scanner.Hits | None = None
) -> bool:
    """A cheap test that text[pos:endpos] could state total control (`hits`: those of text)."""
    return scanner.search(hits, _pattern(), text, pos, endpos) is not None


def total_shares(sentence: str, hits: scanner.Hits | None = None, offset: int = 0) -> list[Amount]:
    """Mentions of total control in `sentence` (a slice of a report starting at `offset`,
    whose `hits` are given), each as a 100 percent amount."""
    out = []
    for m in scanner.finditer(hits, _pattern(), sentence, offset=offset):
        if _AIM.search(sentence[max(0, m.start() - 40) : m.start()]):
            continue
        out.append(Amount(m.start(), m.end(), 100.0, kind="total", unit="percent"))
    return out
