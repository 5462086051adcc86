"""Qualifiers ("more than", "almost", "an estimated") and the bounds they imply."""

from __future__ import annotations

from functools import cache

import regex

from toolkit import vocab
from toolkit.extract.numbers import Amount
from toolkit.lexicons import load


@cache
def _before_pattern() -> regex.Pattern:
    lex = load("qualifiers")
    alts = sorted(
        ((w, q) for q, words in lex.items() if q in vocab.QUALIFIERS for w in words),
        key=lambda p: len(p[0]),
        reverse=True,
    )
    body = "|".join(f"(?P<{q}_{i}>{regex.escape(w)})" for i, (w, q) in enumerate(alts))
    # the phrase must end right before the number ("a total of", "just" may sit in between:
    # "within just 20km")
    return regex.compile(rf"(?<!\w)(?:{body})\s+(?:a\s+total\s+of\s+|just\s+|only\s+)?$", regex.I)


def qualifier_before(text: str, start: int) -> tuple[str, int]:
    """The qualifier that ends right before `start`, and where it begins ("exact" if none)."""
    window_start = max(0, start - 40)
    m = _before_pattern().search(text[window_start:start])
    if not m:
        return "exact", start
    name = next(k for k, v in m.groupdict().items() if v is not None)
    return name.rsplit("_", 1)[0], window_start + m.start()


def bounds(amount: Amount, qualifier: str) -> tuple[str, float | None, float | None, float | None]:
    """(qualifier, value, value_low, value_high) as the contract sets them for this wording."""
    if amount.kind == "vague":
        return "vague", None, amount.low, amount.high
    if amount.kind == "range":
        return "range", None, amount.low, amount.high
    v = amount.value
    if qualifier in vocab.LOWER_QUALIFIERS:
        return qualifier, v, v, None
    if qualifier in vocab.UPPER_QUALIFIERS:
        return qualifier, v, None, v
    return qualifier, v, v, v
