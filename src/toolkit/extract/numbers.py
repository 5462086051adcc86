"""Find the amounts stated in text: digits, number words, fractions, vague amounts, ranges.

Each mention carries its character span, so claims can point at their evidence.
Unit words that follow (percent, kilometres) are read here too; what is counted
(people, families) is left to the category rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import regex

from toolkit import scan as scanner
from toolkit.alternation import alternation, lowered, words_pattern
from toolkit.lexicons import load

_SEPARATORS = regex.compile(r"[\s-]+")
_DIGITS = regex.compile(r"[0-9]+(?:\.[0-9]+)?")
_PART_BEFORE = regex.compile(r"\bthe\s+(?:\w+ern\s+)?$", regex.I)


@dataclass(frozen=True)
class Amount:
    """A number mention: `value` for exact figures, `low`/`high` for vague amounts and ranges."""

    start: int
    end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    kind: str = "number"  # number, fraction, vague, range
    unit: str | None = None  # percent or km when the text says so

    @property
    def is_range(self) -> bool:
        return self.kind == "range"


_DOZENS = ("a", "one", "two", "three", "half a")


@scanner.warm_with
@cache
def _patterns() -> dict[str, re.Pattern]:
    # lower-case patterns, matched against `lowered` text (see toolkit.alternation)
    lex = load("numbers")
    small = [w for w in (*lex["units"], *lex["tens"]) if w != "a"]
    # where a number can start: a digit after no letter, a number word, "a hundred"
    starts = [*small, *(f"a {m}" for m in lex["multipliers"])]
    tens, small = alternation(lex["tens"]), alternation(small)
    word = rf"(?:(?:{tens})(?:[- ](?:{small}))?|{small})"
    mult = alternation(lex["multipliers"])
    # "two hundred", "three thousand", "twenty-five thousand", "a hundred"
    word_number = rf"(?:{word}|a)(?:[ -](?:{mult}))+|{word}"
    # "1,959", "18000", "200 000" (a space before the thousands, only when they are round:
    # stripped text turns "5, 100 wounded" into "5 100 wounded")
    digits = (
        r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]{1,3}(?: [0-9]{3})* 000(?![0-9])"
        r"|[0-9]+(?:\.[0-9]+)?"
    )
    number = rf"(?:(?:{digits})(?:[ -](?:{mult}))*|(?:{word_number}))"
    pct = alternation(lex["percent_words"])
    km = alternation(lex["km_words"] + lex["mile_words"])
    joiners = r"\s*(?:-|–|to)\s*"
    dozen = "|".join(_DOZENS)
    return {
        "range": scanner.register(
            re.compile(
                rf"(?<![\w.,])(?:between\s+)?(?P<a>{number})(?:\s*(?P<ua>{pct}))?"
                rf"(?:{joiners}|\s+and\s+(?=(?:{number})))(?P<b>{number})(?![\w,])"
            )
        ),
        "number": scanner.register(
            # "20km": a unit may be glued to the figure
            re.compile(rf"(?<![\w.,])(?P<a>{number})(?:(?!\w)|(?=(?:{km})(?!\w)))"),
            starts,
            joiner="[ -]",
            extra=[r"\b[0-9]"],
        ),
        "unit": re.compile(rf"\s?(?:(?P<pct>{pct})|(?P<km>{km}))(?!\w)"),
        "vague": scanner.register(re.compile(words_pattern(lex["vague"])), lex["vague"]),
        "fraction": scanner.register(
            re.compile(rf"(?<!\w)(?:{alternation(lex['fractions'])})(?=\s+of\b|\s*$)"),
            lex["fractions"],
        ),
        # "a quarter of a million", "half a million": a fraction of a multiplier is a count
        "fraction_of": scanner.register(
            re.compile(
                rf"(?<!\w)(?P<f>{alternation(lex['fractions'])})\s+(?:of\s+)?an?\s+"
                rf"(?P<m>{mult})(?!\w)"
            )
        ),
        "dozen": scanner.register(
            re.compile(rf"(?<!\w)(?:{dozen})\s+dozen(?!\w)"), [f"{d} dozen" for d in _DOZENS]
        ),
    }


_DIGIT = re.compile(r"[0-9]")


@scanner.warm_with
@cache
def _trigger() -> re.Pattern:
    lex = load("numbers")
    words = [w for w in (*lex["units"], *lex["tens"], *lex["multipliers"]) if w != "a"]
    words += [*lex["vague"], *lex["fractions"], "dozen"]
    return scanner.register(re.compile(words_pattern(words)), words)


def may_hold_amount(
    text: str, pos: int = 0, endpos: int | None = None, hits: scanner.Hits | None = None
) -> bool:
    """A cheap test that text[pos:endpos] could hold an amount (a digit or a number word),
    to skip sentences quickly. `hits` are those of text (toolkit.scan)."""
    end = len(text) if endpos is None else endpos
    low = lowered(text)
    return bool(_DIGIT.search(low, pos, end) or scanner.search(hits, _trigger(), low, pos, end))


_SPACED_THOUSANDS = re.compile(r"(?<=[0-9]) (?=[0-9]{3}(?![0-9]))")


def parse_number(text: str) -> float | None:
    """Value of one number phrase ("1,959", "18000", "four", "2.5 million", "two hundred")."""
    lex = load("numbers")
    text = _SPACED_THOUSANDS.sub("", text.strip().lower().replace(",", ""))  # "200 000"
    words = _SEPARATORS.split(text)
    total, current = 0.0, None
    for w in words:
        if not w:
            continue
        if _DIGITS.fullmatch(w):
            current = (current or 0) + float(w)
        elif w in lex["units"]:
            current = (current or 0) + lex["units"][w]
        elif w in lex["tens"]:
            current = (current or 0) + lex["tens"][w]
        elif w in lex["multipliers"]:
            m = lex["multipliers"][w]
            if m == 100:
                current = (current or 1) * m
            else:
                total += (current or 1) * m
                current = None
        else:
            return None
    if current is None and total == 0:
        return None
    return total + (current or 0)


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    m = _patterns()["unit"].match(text, end)
    if not m:
        return None, end
    if m.group("km"):
        word = m.group("km").lower()
        return ("mile" if word.startswith("mile") else "km"), m.end()
    return "percent", m.end()


def find_amounts(text: str, hits: scanner.Hits | None = None, offset: int = 0) -> list[Amount]:
    """All amounts in `text`, left to right, without overlaps (ranges and vague first).

    `text` may be a slice of a report starting at `offset`, and `hits` those of the report.
    """
    pats = _patterns()

    def matches(name: str):
        return scanner.finditer(hits, pats[name], text, offset=offset)

    lex = load("numbers")
    text = lowered(text)  # the patterns are lower case; spans are the same in both
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(a: Amount) -> None:
        found.append(a)
        taken.append((a.start, a.end))

    if _DATE_CHARS.search(text):  # "updated 27.05.2017": a date anywhere counts nothing
        taken += [m.span() for m in _NUMERIC_DATE.finditer(text)]
    if _FURNITURE_HINT.search(text):  # share counters and clock times of a web page
        taken += [m.span() for m in _furniture().finditer(text)]

    for m in matches("range"):
        lo, hi = parse_number(m.group("a")), parse_number(m.group("b"))
        if lo is None or hi is None or not lo < hi or not free(m.start(), m.end()):
            continue
        if _looks_like_date_or_time(text, m.start(), m.end()):
            taken.append((m.start(), m.end()))  # nor are its two days figures
            continue
        unit, end = _unit_after(text, m.end())
        if m.group("ua") and unit is None:
            unit = "percent"
        add(Amount(m.start(), end, None, lo, hi, "range", unit))
    for m in matches("fraction_of"):
        if free(m.start(), m.end()):
            share = float(lex["fractions"][_phrase(m.group("f"))]) / 100
            whole = lex["multipliers"][m.group("m")]
            add(Amount(m.start(), m.end(), round(share * whole), kind="number"))
    for m in matches("vague"):
        if free(m.start(), m.end()):
            lo, hi = lex["vague"][_phrase(m.group(0))]
            add(Amount(m.start(), m.end(), None, float(lo), float(hi), "vague"))
    for m in matches("dozen"):
        if free(m.start(), m.end()):
            n = parse_number(m.group(0).split()[0]) if "half" not in m.group(0).lower() else 0.5
            add(Amount(m.start(), m.end(), 12.0 * (n or 1), kind="number"))
    for m in matches("fraction"):
        if _PART_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue  # "the eastern half of the city" names a part, not a share
        if free(m.start(), m.end()):
            add(
                Amount(
                    m.start(),
                    m.end(),
                    float(lex["fractions"][_phrase(m.group(0))]),
                    kind="fraction",
                    unit="percent",
                )
            )
    for m in matches("number"):
        if not free(m.start(), m.end()):
            continue
        phrase = m.group("a")
        value = parse_number(phrase)
        word = phrase.lower()
        if value is None or word == "a" or word == "one" and not _counted_after(text, m.end()):
            continue
        unit, end = _unit_after(text, m.end())
        add(Amount(m.start(), end, value, kind="number", unit=unit))
    return sorted(found, key=lambda a: a.start)


def _phrase(words: str) -> str:
    """A matched list entry as the list spells it: "tens of\nthousands" is "tens of thousands"."""
    return " ".join(words.split())


def _counted_after(text: str, end: int) -> bool:
    """Whether "one" at `end` counts people: a person noun ("one civilian") or a verb of
    harm ("one was wounded") follows it.

    Otherwise "one" and "a" are no figure ("one of the largest", "a person was hurt"),
    unless a multiplier made them part of one ("a hundred").
    """
    m = _NEXT_WORD.match(text, end)
    return bool(m) and m.group(1) in _people_nouns() or bool(_ONE_HURT.match(text, end))


_NEXT_WORD = re.compile(r"\s+([\w'’-]+)")
# "one was wounded", "another one was injured": "one" stands for a person
_ONE_HURT = re.compile(r"\s+(?:was|were)\s+(?:also\s+)?(?:killed|wounded|injured|hurt)\b")


_NOT_PEOPLE = (
    "other_group",
    "person_group",
    "family",
)  # "from one family" names no count of families


@cache
def _people_nouns() -> frozenset[str]:
    lex = load("categories")
    words = {
        w.rstrip("*").lower() for c, ws in lex["nouns"].items() if c not in _NOT_PEOPLE for w in ws
    }
    return frozenset(words - set(lex["modifiers"]) - {"others", "lives"})


# a numeric date, day first or not ("27.05.2017", "5/12/2016"); its parts are no figures
_NUMERIC_DATE = re.compile(r"(?<![0-9.])[0-9]{1,2}([./-])[0-9]{1,2}\1(?:19|20)?[0-9]{2}(?![0-9])")
_DATE_CHARS = re.compile(r"[0-9][./-][0-9]{1,2}[./-][0-9]")

_FURNITURE_HINT = re.compile(r"url|updated|[0-9]\s*[ap]m\b|[0-9]{4}\s+[0-9]{1,2}[./-]")
_CLOCK = r"(?<![0-9.,])(?:[01][0-9]|2[0-3])[0-5][0-9](?![0-9])"


@cache
def _furniture() -> re.Pattern:
    lex = load("numbers")
    return re.compile(
        rf"(?<![a-z])(?:{alternation(lex['counter_labels'])})(?:\s+[0-9]+)+"
        rf"|\b(?:{alternation(lex['clock_labels'])})\s+{_CLOCK}"
        rf"|{_CLOCK}(?=\s*(?:[0-9]{{1,2}}[./-][0-9]{{1,2}}[./-][0-9]{{2,4}}|[ap]m\b))"
    )


_DAYS = re.compile(r"(?:between\s+)?[0-9]{1,2}\s*(?:-|–|to|and)\s*[0-9]{1,2}")
# a month's name or its abbreviation, not any word that starts like one ("5 martyrs")
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_AFTER = re.compile(rf"\s*(?:of\s+)?{MONTH_NAME}\b")


def _looks_like_date_or_time(text: str, start: int, end: int) -> bool:
    """Whether a range is of days of a month: "21-26 Sept", "between 21 and 26 of September"."""
    return bool(_DAYS.fullmatch(text, start, end) and _MONTH_AFTER.match(text, end))
