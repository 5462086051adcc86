"""What the extractor knows about one report while reading it: dates, places, sources."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import pandas as pd
import regex

from toolkit import scan as scanner
from toolkit.alternation import alternation, lowered, words_pattern
from toolkit.extract.sentences import split_sentences
from toolkit.lexicons import load
from toolkit.reference import actor_index, canonical_source, gazetteer, place_index, source_index
from toolkit.reports import find_dateline

_PHOTO_BY = regex.compile(r"photo\s+by\s+$", regex.I)
# "kill 8 IS group militants", "175 members of the ISIS": a name inside a counted noun is the
# victims' group, not a source that speaks
_COUNTED_NAME = regex.compile(
    r"(?:\b(?!(?:19|20)[0-9][0-9]\b)[0-9][0-9,]*|\b(?:one|two|three|four|five|six|seven|eight|"
    r"nine|ten|dozens|scores|"
    r"hundreds|thousands))\s+(?:(?:more|other|members|fighters|militants|of|the)\s+){0,3}$",
    regex.I,
)


def _counted(body: str, start: int) -> bool:
    return _COUNTED_NAME.search(body, max(0, start - 30), start) is not None


_CITY_KINDS = ("city",)
_CITY_PHRASE = scanner.register(
    regex.compile(
        # "the city of Raqqa" names Raqqa, not the report's city
        r"(?<!\w)(?:the\s+(?:besieged\s+|battered\s+|northern\s+|desert\s+)?city(?:'s|’s|s)?(?!\s+of\b)"
        r"(?:\s+(?P<dir>east|west|north|south))?|(?P<half>eastern|western)\s+half\s+of\s+the"
        r"\s+city|the\s+(?P<nb>eastern|western)\s+neighbou?rhoods"
        r"|its\s+(?P<its>eastern|western)\s+(?:half|part|side|districts|neighbou?rhoods))(?!\w)",
        regex.I,
    )
)
_HEADING = regex.compile(r"^\s*-\s+(?P<h>[^\n]{2,60}?)\s+-\s*$", regex.M)


@cache
def _place_kinds() -> dict[str, str]:
    g = gazetteer()
    return dict(zip(g["name"], g["kind"], strict=True))


@cache
def _parents() -> dict[str, str]:
    g = gazetteer()
    return {n: p for n, p in zip(g["name"], g["parent"], strict=True) if isinstance(p, str) and p}


def ancestors(name: str) -> list[str]:
    """`name` and the places that contain it, smallest first, from the gazetteer."""
    chain, parents = [name], _parents()
    while chain[-1] in parents and len(chain) < 8:
        chain.append(parents[chain[-1]])
    return chain


def common_place(names: list[str]) -> str | None:
    """The smallest gazetteer place containing every one of `names`."""
    chains = [ancestors(n) for n in names]
    shared = set(chains[0]).intersection(*chains[1:])
    return next((n for n in chains[0] if n in shared), None)


@cache
def _governorate_of_city() -> dict[str, str]:
    """City -> its governorate, for the cities whose governorate bears their name."""
    g = gazetteer()
    kinds = dict(zip(g["name"], g["kind"], strict=True))
    return {
        name: parent
        for name, kind, parent in zip(g["name"], g["kind"], g["parent"], strict=True)
        if kind == "city" and kinds.get(parent) == "governorate" and parent == f"{name} governorate"
    }


@scanner.warm_with
@cache
def _attribution() -> re.Pattern:
    # lower case, matched against `lowered` text (see toolkit.alternation)
    verbs = load("attribution")["verbs"]
    return scanner.register(re.compile(words_pattern(verbs)), verbs)


@scanner.warm_with
@cache
def _pronoun() -> re.Pattern:
    words = load("attribution")["continuations"]
    return scanner.register(re.compile(words_pattern(words)), words)


@dataclass
class ReportContext:
    """One report prepared for extraction."""

    report_id: str
    body: str
    published: date | None
    default_claimant: str
    main_city: str | None
    # governorates the report names as such ("Idlib province"): a bare "Idlib" may mean them
    governorates: frozenset[str] = frozenset()
    cities: frozenset[str] = frozenset()  # every city the report names
    sentences: list[tuple[int, int]] = field(default_factory=list)
    section_city: dict[int, str] = field(default_factory=dict)  # sentence start -> city
    hits: scanner.Hits | None = None  # where each cue list may match (toolkit.scan)
    dateline: tuple[int, int] = (0, 0)  # the dateline's span: its date is no event's
    times: dict = field(default_factory=dict)  # sentence index -> its time mentions

    @classmethod
    def from_row(cls, row) -> ReportContext:
        body = row.body
        pub = row.published.date() if pd.notna(row.published) else None
        via = row.via if isinstance(row.via, str) and row.via.strip() else None
        outlet = row.outlet if isinstance(row.outlet, str) and row.outlet.strip() else None
        # a story combining several wires is owned by the outlet that combined them
        if via and "," not in via and ";" not in via:
            default = canonical_source(via)
        else:
            default = canonical_source(outlet) or canonical_source(via) or "unknown"
        main_city, governorates, cities = _main_city(body)
        ctx = cls(row.report_id, body, pub, default, main_city, governorates, cities)

        ctx.sentences = list(split_sentences(body))
        found = find_dateline(body)
        ctx.dateline = found[:2] if found else (0, 0)
        ctx.hits = scanner.hits_of(lowered(body))
        if ctx.hits is not None:
            ctx.hits.know_sentences(ctx.sentences)
        ctx.section_city = _sections(body, ctx.sentences)
        return ctx

    @classmethod
    def of(cls, report) -> ReportContext:
        """The context of a report row, built once when claims and then events ask for it."""
        return _context_of(report)

    def city_at(self, pos: int) -> str | None:
        """The city of the section holding `pos` (round-ups), else the report's main city."""
        city = None
        for start, name in self.section_city.items():
            if start <= pos:
                city = name
        return city or self.main_city


class _Memo:
    """A one-report memo: claims and events of the same report share its context."""

    key: tuple | None = None
    value: ReportContext | None = None


def _context_of(report) -> ReportContext:
    # as text, so that missing values (NaT, NA) compare without raising
    key = tuple(str(x) for x in (report.report_id, report.published, report.via, report.outlet))
    key += (report.body,)
    if _Memo.key != key:
        _Memo.key, _Memo.value = key, ReportContext.from_row(report)
    return _Memo.value


def _main_city(body: str) -> tuple[str | None, frozenset[str], frozenset[str]]:
    """The city a report names most, the governorates it names and the cities it names."""
    kinds = _place_kinds()
    names = [name for _, _, name in place_index().find(body)]
    counts = Counter(name for name in names if kinds.get(name) == "city")
    governorates = frozenset(name for name in names if kinds.get(name) == "governorate")
    main = counts.most_common(1)[0][0] if counts else None
    return main, governorates, frozenset(counts)


def _sections(body: str, sentences) -> dict[int, str]:
    kinds = _place_kinds()
    out = {}
    for m in _HEADING.finditer(body):
        cities = [n for _, _, n in place_index().find(m.group("h")) if kinds.get(n) == "city"]
        if cities:
            out[m.start()] = cities[0]
    return out


_MODIFIER = re.compile(r"[-‐][^\W\d_]")


def find_places(ctx: ReportContext, start: int, end: int) -> list[tuple[int, int, str]]:
    """Gazetteer places in body[start:end], plus "the city" and "the city's east" phrases.

    A name joined by a hyphen to the next word modifies it ("Turkey-backed forces",
    "a Beirut-based group"): it names who or where from, not where, and is left out.
    """
    body = ctx.body
    hits = list(place_index().find(body, start, end))
    found = [
        hit
        for i, hit in enumerate(hits)
        if not _MODIFIER.match(body, hit[1]) and not _qualifies_next(body, hit, hits[i + 1 : i + 2])
    ]
    for m in scanner.finditer(ctx.hits, _CITY_PHRASE, ctx.body, start, end):
        if any(s <= m.start() < e for s, e, _ in found):
            continue
        city = ctx.city_at(m.start())
        if not city:
            continue
        direction = m.group("dir") or m.group("half") or m.group("nb") or m.group("its")
        name = city
        if direction:
            d = direction.lower().replace("ern", "")
            name = place_index().lookup(f"{d} {city}") or place_index().lookup(f"{d}ern {city}")
            if not name:
                continue
        found.append((m.start(), m.end(), name))
    return sorted(_in_report_city(ctx, hit) for hit in found)


@scanner.warm_with
@cache
def _held_part() -> regex.Pattern:
    lex = load("places")
    holders = alternation(lex["held_part_holders"])
    nouns = alternation(lex["held_part_nouns"])
    between = alternation(lex["held_part_adjectives"])
    return scanner.register(
        regex.compile(
            rf"(?<!\w)(?:(?:{holders})[-\s](?:held|controlled)\s+(?:(?:{between})\s+)?(?:{nouns})"
            rf"|the\s+(?:{holders})\s+enclave)(?!\w)",
            regex.I,
        )
    )


def opposition_held_parts(ctx: ReportContext, start: int, end: int) -> list:
    """Unnamed parts of the report's city named by their holder ("rebel-held areas"), as the
    part of that city the opposition held (`lexicons/places.yml`)."""
    parts = load("places")["opposition_held_part"]
    found = []
    for m in scanner.finditer(ctx.hits, _held_part(), ctx.body, start, end):
        name = parts.get(ctx.city_at(m.start()) or "")
        if name:
            found.append((m.start(), m.end(), name))
    return found


# how far back a city named before a generic part ("Aleppo ... its western districts") reaches
CITY_REACH = 300


def _city_before(ctx: ReportContext, pos: int) -> str | None:
    """The last city named in the few hundred characters before `pos`."""
    kinds = _place_kinds()
    cities = [n for _, _, n in place_index().find(ctx.body, max(0, pos - CITY_REACH), pos)]
    cities = [n for n in cities if kinds.get(n) == "city"]
    return cities[-1] if cities else None


_DIRECTION = regex.compile(r"(east|west|north|south)(?:ern)?\b", regex.I)


def _in_report_city(ctx: ReportContext, hit):
    """A part named without its city ("the eastern neighbourhoods", an alias of eastern
    Mosul in Mosul copy), in a report that never names that city, is that part of the city
    named just before: east Aleppo in an Aleppo report; the city itself when the gazetteer
    has no such part of it."""
    start, end, name = hit
    if _place_kinds().get(name) != "city part" or any(c.isupper() for c in ctx.body[start:end]):
        return hit
    own = _parents().get(name)
    if own in ctx.cities:
        return hit  # the report names the part's own city: "western districts" is its west
    city = _city_before(ctx, start) or ctx.city_at(start)
    if not city or own == city:
        return hit
    d = _DIRECTION.match(name)
    part = d and (
        place_index().lookup(f"{d.group(1).lower()} {city}")
        or place_index().lookup(f"{d.group(1).lower()}ern {city}")
    )
    return (start, end, part or city)


def _qualifies_next(body: str, place, following) -> bool:
    """Whether a place in the possessive only qualifies the place after it ("Syria's Aleppo",
    "Syrias Aleppo" with the apostrophe stripped): the one after is the place meant."""
    if not following or following[0][0] - place[1] > 1:
        return False
    text = body[place[0] : place[1]]
    return text.endswith(("'s", "’s")) or (
        text.endswith("s") and place_index().lookup(text[:-1]) is not None
    )


def find_sources(ctx: ReportContext, start: int, end: int):
    """Sources named in body[start:end], and generic ones ("a military source") resolved by
    the country of their report section."""
    found = list(source_index().find(ctx.body, start, end))
    return _with_generic(ctx, found, "attribution", start, end)


def _with_generic(ctx: ReportContext, found: list, lexicon: str, start: int, end: int) -> list:
    """`found` and the generic phrases of `lexicons/LEXICON.yml` (`by_country`) in
    body[start:end] that no name overlaps, each resolved by the country of its section."""
    generic = load(lexicon)["by_country"]
    extra = []
    for m in scanner.finditer(ctx.hits, _generic_pattern(lexicon), ctx.body, start, end):
        name = generic[" ".join(m.group(0).lower().split())].get(_country_at(ctx, m.start()))
        # the generic phrase wins over a name inside it ("government forces" in
        # "pro-government forces"), not over one that reaches beyond it
        inside = [f for f in found if m.start() <= f[0] and f[1] <= m.end()]
        if name and not any(f[0] < m.end() and m.start() < f[1] for f in found if f not in inside):
            found = [f for f in found if f not in inside]
            extra.append((m.start(), m.end(), name))
    return sorted(found + extra) if extra else found


@cache
def _generic_pattern(lexicon: str) -> regex.Pattern:
    words = list(load(lexicon)["by_country"])
    return scanner.register(regex.compile(words_pattern(words), regex.I), words)


@scanner.warm_with
def _warm_generic() -> None:
    _generic_pattern("attribution")
    _generic_pattern("actors")


def _country_at(ctx: ReportContext, pos: int) -> str | None:
    """The country of the report section holding `pos` (its city), else of the report's
    most named city, else of a governorate it names."""
    kinds = _place_kinds()
    for place in [ctx.city_at(pos), *sorted(ctx.governorates)]:
        if place:
            return next((n for n in ancestors(place) if kinds.get(n) == "country"), None)
    return None


def find_actors(ctx: ReportContext, start: int, end: int):
    """Forces named in body[start:end]. A label right after a name ("ISIS terrorist
    organization", "Nusra terrorists") describes the force named, not another one."""
    found = []
    for hit in actor_index().find(ctx.body, start, end):
        if found and 0 <= hit[0] - found[-1][1] <= 1:
            continue
        found.append(hit)
    return _with_generic(ctx, found, "actors", start, end)


def sentence_claimant(ctx: ReportContext, start: int, end: int) -> tuple[str | None, bool]:
    """The attributed source of a sentence (None if unattributed) and whether it is a person
    continuation ("He said ...") that should inherit the previous attribution."""
    text = lowered(ctx.body)[start:end]
    verbs = _verbs(ctx, text, start)
    if not verbs:
        return None, False
    # a photo credit is not an attribution
    sources = [
        (s, e, n)
        for s, e, n in find_sources(ctx, start, end)
        if not _PHOTO_BY.search(ctx.body, max(0, s - 12), s) and not _counted(ctx.body, s)
    ]
    if sources:
        return _attributed_source(ctx.body, start, verbs, sources), False
    if scanner.search(ctx.hits, _pronoun(), text, offset=start):
        return None, True
    return None, False


# "IS claimed responsibility for an attack that killed 32": no figure is attributed
_RESPONSIBILITY = re.compile(r"\s+(?:the\s+)?responsibility")


def _verbs(ctx: ReportContext, text: str, start: int) -> list:
    """The attribution verbs of a lower-cased sentence (`text`, at `start` in the body)."""
    verbs = scanner.finditer(ctx.hits, _attribution(), text, offset=start)
    return [v for v in verbs if not _RESPONSIBILITY.match(text, v.end())]


def figure_claimant(ctx: ReportContext, start: int, end: int, pos: int) -> str | None:
    """The source a figure at `pos` is attributed to when its sentence quotes several:
    the one its nearest attribution verb names ("UNICEF said six teachers died, while the
    Observatory said 35 people had died"). None when the sentence names fewer than two."""
    sources = [
        s
        for s in find_sources(ctx, start, end)
        if not _PHOTO_BY.search(ctx.body, max(0, s[0] - 12), s[0]) and not _counted(ctx.body, s[0])
    ]
    if len({name for _, _, name in sources}) < 2:
        return None
    text = lowered(ctx.body)[start:end]
    verbs = _verbs(ctx, text, start)
    before = [v for v in verbs if start + v.end() <= pos]
    after = [v for v in verbs if start + v.start() >= pos]
    for verb in [*reversed(before), *after]:
        named = _adjacent_source(start, verb, sources)
        if named:
            return named
    return None


# Farther than this from every attribution verb, a name is what the sentence is about (a
# force, a country), not who says it: "Russia killed over 80 civilians ... a monitor said".
ATTRIBUTION_REACH = 60


def _attributed_source(body: str, start: int, verbs, sources) -> str | None:
    """The source a verb attributes to: "according to X", "X said", "said X"; else the one
    nearest a verb, if any is within reach."""
    for v in verbs:
        named = _adjacent_source(start, v, sources)
        if named:
            return named
    reach = [
        (min(abs(s[0] - (start + v.end())), abs(start + v.start() - s[1])), s[2])
        for v in verbs
        for s in sources
    ]
    near = min(reach, default=None)
    return near[1] if near and near[0] <= ATTRIBUTION_REACH else None


def _adjacent_source(start: int, verb, sources) -> str | None:
    """The source named right by an attribution verb: "according to X", "X said", "said X"."""
    v_start, v_end = start + verb.start(), start + verb.end()
    if verb.group(0).lower().startswith("according"):
        after = [s for s in sources if 0 <= s[0] - v_end <= 12]
        return after[0][2] if after else None
    before = [s for s in sources if 0 <= v_start - s[1] <= 25]
    if before:
        return before[-1][2]
    after = [s for s in sources if 0 <= s[0] - v_end <= 6]
    return after[0][2] if after else None


_CITY_NAMED = regex.compile(r"\s+city\b|['’]?s\b", regex.I)
_CITY_BEFORE = regex.compile(r"\b(?:(?:city|town)\s+of|capital(?:\s+of)?)\s+$", regex.I)


def province_meant(ctx: ReportContext, place) -> str:
    """A bare city name that is also its governorate's ("air strikes on Idlib"), in a report
    that names the governorate as such, means the governorate; "Idlib city" does not."""
    governorate = _governorate_of_city().get(place[2])
    if governorate is None or governorate not in ctx.governorates:
        return place[2]
    named = ctx.body[place[0] : place[1]].lower()
    if named.endswith("s") and not place[2].lower().endswith("s"):
        return place[2]  # "Aleppos old city": a possessive names the city
    if (
        "city" in named
        or _CITY_NAMED.match(ctx.body, place[1])
        or _CITY_BEFORE.search(ctx.body, max(0, place[0] - 15), place[0])
    ):
        return place[2]
    return governorate
