"""Resolve the period a figure covers from time words, against the report's publication day.

Each rule follows the claims contract: "since Saturday" runs from the last Saturday
before publication to the publication day; "on Friday" is that day; "over the past two
days" is the day before publication and the publication day; "last month" the whole
previous calendar month; "since mid-November" from the 11th. Nothing is guessed when the
publication day is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from toolkit import scan as scanner
from toolkit.alternation import alternation, lowered, words_pattern
from toolkit.extract.numbers import parse_number
from toolkit.lexicons import load


@dataclass(frozen=True)
class TimeMention:
    """A time expression in a sentence and the period it resolves to."""

    start: int
    end: int
    period_start: date | None
    period_end: date | None
    # day, said (the day a statement was made), since, since_year ("since 2011"),
    # began_year ("the war began in 2011"), span, month, year ("in 2013"), recent
    kind: str


# patterns read on windows around a mention, not on whole sentences
_WINDOW_PATTERNS = ("said",)


@scanner.warm_with
@cache
def _patterns() -> dict[str, re.Pattern]:
    pats = _compiled_patterns()
    for name, pattern in pats.items():
        if name not in _WINDOW_PATTERNS:
            scanner.register(pattern)
    return pats


def _compiled_patterns() -> dict[str, re.Pattern]:
    # lower-case patterns, matched against `lowered` text (see toolkit.alternation)
    lex = load("periods")
    wd = alternation(lex["weekdays"])
    month = alternation(lex["months"] + lex["month_abbreviations"])
    part = alternation(lex["month_parts"])
    unit = alternation(lex["span_units"])
    count = r"(?:[0-9]+|[a-z]+(?:-[a-z]+)?)"
    not_a_place = rf"(?!(?:st|nd|rd|th)?\s+(?:{alternation(lex['named_after_dates'])})\b)"
    return {
        "since_date": re.compile(
            rf"\bsince\b(?:(?!\bsince\b)[^.;]){{0,60}}?\b(?:on\s+)?(?P<month>{month})\.?\s+"
            rf"(?P<day>[0-9]{{1,2}})(?![0-9])(?:,?\s+(?P<year>(?:19|20)[0-9][0-9]))?"
        ),
        "since_day_month": re.compile(
            rf"\bsince\b[^.;]{{0,60}}?\b(?P<day>[0-9]{{1,2}})\s+(?P<month>{month})\b"
        ),
        "since_part": re.compile(
            rf"\bsince\s+(?:the\s+)?(?P<part>{part})[\s-]+(?:of\s+)?(?P<month>{month})\b"
        ),
        "since_month": re.compile(
            rf"\bsince\s+(?:early\s+)?(?P<month>{month})(?:\s+(?P<year>(?:19|20)[0-9][0-9]))?\b(?!\s+[0-9])"
        ),
        "began_in": re.compile(
            rf"\b(?:began|begun|started|erupted|flared\s+up|broke\s+out)(?:\s+[^\s.;]+){{0,8}}?"
            rf"\s+in\s+(?:(?P<month>{month})\s+)?(?P<year>(?:19|20)[0-9][0-9])\b"
        ),
        # "since 2011", "since early 2011": from the first day of the year
        "since_year": re.compile(
            r"\bsince\s+(?:early\s+|the\s+start\s+of\s+)?(?P<year>(?:19|20)[0-9][0-9])\b(?![,.]?[0-9])"
        ),
        "since_weekday": re.compile(rf"\bsince\s+(?:last\s+)?(?P<wd>{wd})\b"),
        "span": re.compile(
            rf"\b(?:{alternation(lex['span_lead'])})\s+(?P<n>{count})\s+(?P<unit>{unit})\b"
        ),
        # "seven days of airstrikes", "a two-day offensive"
        "span_of": re.compile(
            rf"\b(?P<n>{count})(?:\s+(?P<unit>{unit})\s+of\b|-(?P<adj>day|week|hour)(?:-long)?\b)"
        ),
        # "between 21 and 26 of September", "Nov 24-27"
        "day_range": re.compile(
            rf"\b(?:between\s+)?(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*"
            rf"(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{month})\b"
            rf"|\b(?P<month2>{month})\.?\s+(?P<e1>[0-9]{{1,2}})\s*(?:-|–|to)\s*(?P<e2>[0-9]{{1,2}})\b"
        ),
        "past_unit": re.compile(r"\b(?:in|over|during) the (?:past|last) (?P<unit>day|week)\b"),
        "last_month": re.compile(r"\blast\s+month\b"),
        # "since Moscow intervened in September 2015": from the first of that month
        "since_in": re.compile(
            rf"\bsince\b[^.;]{{0,80}}?\bin\s+(?:(?P<month>{alternation(lex['months'])})"
            r"(?:\s+(?P<year>(?:19|20)[0-9][0-9])|(?P<last>\s+last\s+year))?"
            r"|(?P<only_year>(?:19|20)[0-9][0-9]))\b(?![,.]?\s*[0-9])"
        ),
        # "In May the siege ...": a whole month, the latest by the publication day
        "in_month": re.compile(
            rf"\bin\s+(?P<month>{alternation(lex['months'])})"
            r"(?:\s+(?P<year>(?:19|20)[0-9][0-9])|(?P<last>\s+last\s+year))?\b(?![,.]?\s*[0-9])"
        ),
        # "a sarin attack in 2013": that whole year
        "in_year": re.compile(r"\bin\s+(?P<year>(?:19|20)[0-9][0-9])\b(?![,.]?[0-9])"),
        "this_year": re.compile(rf"\b(?:{alternation(lex['this_year'])})\b"),
        "last_year": re.compile(rf"\b(?:{alternation(lex['last_year'])})\b"),
        "month_part": re.compile(
            rf"\b(?:in\s+)?(?P<part>{part})[\s-]+(?:of\s+)?(?P<month>{month})\b"
        ),
        "date": re.compile(
            rf"\b(?:on\s+)?(?P<month>{month})\.?\s+(?P<day>[0-9]{{1,2}})(?![0-9]){not_a_place}"
            rf"(?:,?\s+(?P<year>(?:19|20)[0-9][0-9]))?"
        ),
        # "Tuesdays attacks": a possessive whose apostrophe was stripped is the day too
        "weekday": re.compile(rf"\b(?:on\s+|early\s+|late\s+|last\s+)?(?P<wd>{wd})(?:['’]?s)?\b"),
        "overnight": re.compile(r"\bovernight\b"),
        "said": re.compile(
            r"\b(?:said|says|announced|reported|told\s+\w+|stated|added)\s*(?:(?:late|early)\s+)?"
            r"(?:on\s+)?$"
        ),
        "yesterday": re.compile(r"\byesterday\b"),
        # "two days ago": that day
        "days_ago": re.compile(rf"\b(?P<n>{count})\s+days?\s+ago\b"),
        "today": re.compile(r"\b(?:today|tonight|this morning)\b"),
        "recent": re.compile(rf"\b(?:{alternation(lex['recent'])})\b"),
    }


@scanner.warm_with
@cache
def _trigger() -> re.Pattern:
    # a word every time pattern needs: sentences without one are skipped
    lex = load("periods")
    words = [*lex["weekdays"], *lex["months"], *lex["month_abbreviations"], *lex["month_parts"]]
    words += [f"{day}s" for day in lex["weekdays"]]  # "Tuesdays attacks", apostrophe stripped
    words += [*lex["span_units"], *lex["recent"], "since", "month", "yesterday", "today"]
    words += [
        "tonight",
        "this morning",
        "overnight",
        "began",
        "begun",
        "started",
        "erupted",
        "flared up",
    ]
    words += ["broke out", "ago", *lex["this_year"], *lex["last_year"]]
    words += [f"in {year}" for year in range(1990, 2030)]  # "a sarin attack in 2013"
    return scanner.register(re.compile(words_pattern(words)), words)


@cache
def war_words() -> re.Pattern:
    """Words naming the war itself ("conflict", "uprising")."""
    return re.compile(words_pattern(load("periods")["war_words"]))


def _month_number(name: str) -> int:
    lex = load("periods")
    key = name.lower().rstrip(".")[:3]
    return [m[:3] for m in lex["months"]].index(key) + 1


def last_weekday(published: date, weekday: str, strictly_before: bool) -> date:
    """The latest `weekday` on or (when strictly_before) before the publication day."""
    target = load("periods")["weekdays"].index(weekday.lower())
    back = (published.weekday() - target) % 7
    if back == 0 and strictly_before:
        back = 7
    return published - timedelta(days=back)


def _dated(published: date, month: str, day: str, year: str | None) -> date | None:
    m = _month_number(month)
    y = int(year) if year else published.year - (1 if m > published.month else 0)
    try:
        return date(y, m, int(day))
    except ValueError:
        return None


def _part_end(first: date) -> date:
    """The last day of the part of a month starting on `first` (1st-10th, 11th-20th, 21st-end)."""
    if first.day < 21:
        return first.replace(day=first.day + 9)
    next_month = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return next_month - timedelta(days=1)


# The longest span read as a period: a century. Longer ones are not periods of any report.
MAX_SPAN_DAYS = 36_600


def find_times(
    sentence: str, published: date | None, offset: int = 0, hits: scanner.Hits | None = None
) -> list[TimeMention]:
    """Time expressions in `sentence` with their resolved periods (offsets shifted by offset).

    `sentence` may be a slice of a report starting at `offset`, and `hits` those of the report.
    """
    if published is None:
        return []
    sentence = lowered(sentence)  # the patterns are lower case; spans are the same in both
    if not scanner.search(hits, _trigger(), sentence, offset=offset):
        return []  # most sentences name no time at all
    pats = _patterns()

    def matches(name: str):
        return scanner.finditer(hits, pats[name], sentence, offset=offset)

    lex = load("periods")
    found: list[TimeMention] = []
    taken: list[tuple[int, int]] = []

    def add(m, start, end, kind, span=None):
        s, e = span or (m.start(), m.end())
        if any(not (e <= a or s >= b) for a, b in taken):
            return
        if start is not None and start > published or end is not None and end > published:
            return
        taken.append((s, e))
        found.append(TimeMention(s + offset, e + offset, start, end, kind))

    for m in matches("since_part"):
        mo = _month_number(m.group("month"))
        y = published.year - (1 if mo > published.month else 0)
        add(m, date(y, mo, lex["month_parts"][m.group("part").lower()]), published, "since")
    for key in ("since_date", "since_day_month"):
        for m in matches(key):
            d = _dated(published, m.group("month"), m.group("day"), m.groupdict().get("year"))
            if d:
                add(m, d, published, "since")
    for m in matches("since_month"):
        mo = _month_number(m.group("month"))
        y = int(m.group("year")) if m.group("year") else published.year - (mo > published.month)
        add(m, date(y, mo, 1), published, "since")
    for m in matches("began_in"):
        if m.group("month"):
            add(
                m,
                date(int(m.group("year")), _month_number(m.group("month")), 1),
                published,
                "since",
            )
        else:  # "since the war began in 2011": a year only
            add(m, date(int(m.group("year")), 1, 1), published, "began_year")
    for m in matches("since_in"):
        if m.group("only_year"):  # "since the beginning of its campaign in 2014"
            add(m, date(int(m.group("only_year")), 1, 1), published, "since")
            continue
        mo = _month_number(m.group("month"))
        y = int(m.group("year")) if m.group("year") else published.year - (mo > published.month)
        add(m, date(y - (m.group("last") is not None), mo, 1), published, "since")
    for m in matches("since_year"):
        add(m, date(int(m.group("year")), 1, 1), published, "since_year")
    for m in matches("since_weekday"):
        add(m, last_weekday(published, m.group("wd"), strictly_before=True), published, "since")
    for m in matches("span"):
        n = parse_number(m.group("n"))
        if not n:
            continue
        days = n * lex["span_units"][m.group("unit").lower()]
        if days > MAX_SPAN_DAYS:  # "in 1,000,000 days" is no period of this war
            continue
        add(m, published - timedelta(days=max(1, round(days)) - 1), published, "span")
    for m in matches("span_of"):
        n = parse_number(m.group("n"))
        unit = m.group("unit") or m.group("adj")
        if not n or n * lex["span_units"][unit.lower()] > MAX_SPAN_DAYS:
            continue
        days = n * lex["span_units"][unit.lower()]
        add(m, published - timedelta(days=max(1, round(days)) - 1), published, "span")
    for m in matches("day_range"):
        month, d1, d2 = (m.group("month"), m.group("d1"), m.group("d2"))
        if month is None:
            month, d1, d2 = (m.group("month2"), m.group("e1"), m.group("e2"))
        first, last = _dated(published, month, d1, None), _dated(published, month, d2, None)
        if first and last and first <= last:
            add(m, first, last, "span")
    for m in matches("past_unit"):
        days = lex["span_units"][m.group("unit").lower()]
        add(m, published - timedelta(days=days - 1), published, "span")
    for m in matches("last_month"):
        first_this = published.replace(day=1)
        last_prev = first_this - timedelta(days=1)
        add(m, last_prev.replace(day=1), last_prev, "month")
    war = None
    for m in matches("in_month"):
        if war is None:  # "protests in March 2011 triggered a conflict": the war's first month
            war = war_words().search(sentence) is not None
        if war:
            break
        mo = _month_number(m.group("month"))
        y = int(m.group("year")) if m.group("year") else published.year - (mo > published.month)
        first = date(y - (m.group("last") is not None), mo, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        add(m, first, min(last, published), "month")
    for m in matches("in_year"):
        if war is None:
            war = war_words().search(sentence) is not None
        if not war:  # "protests in 2011 triggered a conflict": the war's first year
            y = int(m.group("year"))
            add(m, date(y, 1, 1), min(date(y, 12, 31), published), "year")
    for m in matches("this_year"):
        add(m, published.replace(month=1, day=1), published, "since")
    for m in matches("last_year"):
        y = published.year - 1
        add(m, date(y, 1, 1), date(y, 12, 31), "month")
    for m in matches("month_part"):
        mo = _month_number(m.group("month"))
        y = published.year - (1 if mo > published.month else 0)
        first = date(y, mo, lex["month_parts"][m.group("part").lower()])
        add(m, first, min(_part_end(first), published), "month_part")
    for m in matches("date"):
        d = _dated(published, m.group("month"), m.group("day"), m.group("year"))
        if d:
            add(m, d, d, "day")
    for m in matches("weekday"):
        d = last_weekday(published, m.group("wd"), strictly_before=False)
        said = pats["said"].search(sentence[max(0, m.start() - 25) : m.start()])
        add(m, d, d, "said" if said else "day")
    for m in matches("overnight"):  # the night before the day of publication
        add(m, published - timedelta(days=1), published, "span")
    for m in matches("days_ago"):
        n = parse_number(m.group("n"))
        if n and float(n).is_integer() and n < 60:
            d = published - timedelta(days=int(n))
            add(m, d, d, "day")
    for m in matches("yesterday"):
        d = published - timedelta(days=1)
        add(m, d, d, "day")
    for m in matches("today"):
        add(m, published, published, "day")
    for m in matches("recent"):
        add(m, None, published, "recent")
    return sorted(found, key=lambda t: t.start)
