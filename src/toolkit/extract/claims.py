"""Extract the claims table from report bodies: one row per numeric statement."""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from datetime import date
from functools import cache

import pandas as pd
import regex

from toolkit.alternation import alternation, lowered, words_pattern
from toolkit.errors import ReportWarning
from toolkit.extract.categories import classify
from toolkit.extract.context import (
    ReportContext,
    _place_kinds,
    ancestors,
    common_place,
    figure_claimant,
    find_actors,
    find_places,
    opposition_held_parts,
    province_meant,
    sentence_claimant,
)
from toolkit.extract.numbers import Amount, find_amounts, may_hold_amount
from toolkit.extract.periods import TimeMention, find_times, war_words
from toolkit.extract.qualifiers import bounds, qualifier_before
from toolkit.extract.shares import may_hold_total, total_shares
from toolkit.lexicons import load
from toolkit.schemas import Claims
from toolkit.tables import CLAIM_COLUMNS, coerce_claims, split_valid
from toolkit.vocab import STOCK_CATEGORIES


def extract_claims(
    reports: pd.DataFrame, with_rejects: bool = False
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Claims of every report in a `Reports` frame, as a frame valid under `Claims`.

    A read that breaks a schema rule (an absurd value, say) is never silently dropped:
    it is moved to a rejects table with the rule it broke, returned when with_rejects is
    true and announced by a warning otherwise.
    """
    rows = [row for report in reports.itertuples(index=False) for row in report_claims(report)]
    claims, rejects = claims_table(rows)
    if len(rejects) and not with_rejects:
        warnings.warn(
            f"{len(rejects)} extracted claim(s) broke a schema rule and were set aside: "
            + "; ".join(f"{r.report_id}: {r.rule}" for r in rejects.head(5).itertuples()),
            ReportWarning,
            stacklevel=2,
        )
    return (claims, rejects) if with_rejects else claims


def claims_table(rows: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(claims valid under `Claims`, rejects with the rule each broke) from extracted rows."""
    return split_valid(coerce_claims(pd.DataFrame(rows, columns=CLAIM_COLUMNS)), Claims)


def report_claims(report) -> list[dict]:
    """Claims of one report (a row of a `Reports` frame)."""
    ctx = ReportContext.of(report)
    rows: list[dict] = []
    last_claimant: str | None = None
    last_location: str | None = None
    prev_since: list[TimeMention] = []
    prev: tuple[int, int, list[TimeMention] | None] | None = None
    for n_sentence, (s_start, s_end) in enumerate(ctx.sentences):
        sentence = ctx.body[s_start:s_end]
        attributed, continues = sentence_claimant(ctx, s_start, s_end)
        hits = ctx.hits
        if attributed:
            last_claimant = attributed
        elif continues and last_claimant:
            attributed = last_claimant
        else:
            last_claimant = None
        claimant = attributed or ctx.default_claimant
        if not (
            may_hold_amount(ctx.body, s_start, s_end, hits)
            or may_hold_total(ctx.body, s_start, s_end, hits)
        ):
            prev = (s_start, s_end, None)
            continue
        if prev is not None and prev[2] is None:  # the previous sentence was skipped
            p_times = _times(ctx, n_sentence - 1)
            prev_since = [t for t in p_times if t.kind in SINCE_KINDS]
        times = _year_long(_times(ctx, n_sentence), sentence, s_start)
        d_start, d_end = ctx.dateline
        if s_start < d_end and d_start < s_end:
            times = [t for t in times if not d_start <= t.start < d_end]
        places = _with_held_parts(find_places(ctx, s_start, s_end), ctx, s_start, s_end)
        actors = find_actors(ctx, s_start, s_end)
        previous_noun = None
        previous_event: str | None = None
        candidates = [(a, None) for a in find_amounts(sentence, hits, s_start)] + [
            (a, "total") for a in total_shares(sentence, hits, s_start)
        ]
        for amount, how in sorted(candidates, key=lambda c: c[0].start):
            if d_start <= amount.start + s_start < d_end:
                continue  # "24.08.2013": the dateline's numbers count nothing
            reading = classify(sentence, amount, previous_noun, previous_event, hits, s_start)
            if reading is None:
                continue
            previous_noun = reading.noun_class or previous_noun
            previous_event = reading.event
            a = _shift(amount, s_start)
            qualifier, q_start = ("exact", a.start) if how else qualifier_before(ctx.body, a.start)
            qualifier, value, low, high = bounds(a, qualifier)
            location = _location(ctx, places, a, reading.category) or (
                _country_of(ctx, last_location) if _war_wide(sentence) else last_location
            )
            last_location = location
            stock = reading.category in STOCK_CATEGORIES or (
                reading.category == "troops_deployed"
                and _STANDING.search(ctx.body, a.end, min(s_end, a.end + 40))
            )
            start, end = _period(ctx.published, times, a, stock)
            if not stock and not _own_time(times, a):
                carried = _carried_since(prev_since, sentence, ctx.published)
                start, end = _carried_period(ctx, rows, n_sentence, carried, start, end)
            rows.append(
                dict(
                    report_id=ctx.report_id,
                    category=reading.category,
                    value=value,
                    qualifier=qualifier,
                    value_low=low,
                    value_high=high,
                    unit=reading.unit,
                    location=location,
                    actor=_actor(actors, places, a, reading, ctx.body, s_start),
                    claimant=(
                        figure_claimant(ctx, s_start, s_end, a.start) or claimant
                        if attributed and not continues
                        else claimant
                    ),
                    period_start=start,
                    period_end=end,
                    span_start=q_start,
                    span_end=max(a.end, s_start + reading.phrase_end),
                    _sentence=n_sentence,
                    _timed=_own_time(times, a) is not None,
                )
            )
        prev_since = [t for t in times if t.kind in SINCE_KINDS]
        prev = (s_start, s_end, times)
    _headlines_borrow(rows)
    _repeats_borrow(rows)
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def _with_held_parts(places: list, ctx: ReportContext, start: int, end: int) -> list:
    """The sentence's places and the unnamed parts named by their holder that no named place
    overlaps ("fled rebel-held areas" in an Aleppo report is east Aleppo)."""
    extra = [
        p
        for p in opposition_held_parts(ctx, start, end)
        if not any(q[0] < p[1] and p[0] < q[1] for q in places)
    ]
    if not extra or _COUNTRY_WIDE.search(ctx.body[start:end].lower()):
        return places  # "rebel-held districts across the country" are no city's
    return sorted(places + extra)


# "the 300 it has already deployed": troops standing in place are a stock, not a flow
_STANDING = regex.compile(r"\b(?:already|currently|now|stationed|a total of)\b", regex.I)


def _own_time(times: list[TimeMention], a: Amount) -> TimeMention | None:
    """A time expression of the figure's own sentence, other than the day a statement was made."""
    own = [t for t in times if t.kind != "said"]
    return min(own, key=lambda t: abs(t.start - a.start)) if own else None


SINCE_KINDS = ("since", "since_year", "began_year", "year")


def _carried_since(
    prev_since: list[TimeMention], sentence: str, published: date | None = None
) -> list[TimeMention]:
    """The "since ..." of the previous sentence that reaches this one.

    A dated one always does; a bare year ("since 2011") only when this sentence says "since
    then", and the year the war began also when this sentence names the war: "in power
    since 1963" does not date the next sentence's toll.
    """
    if all(t.kind == "since" for t in prev_since):
        return prev_since
    low = sentence.lower()
    then = _since_then_words().search(low) is not None
    war = then or war_words().search(low) is not None
    # "protests in 2011 ... Since then": from that year to the statement day
    return [
        replace(t, period_end=published) if t.kind == "year" else t
        for t in prev_since
        if t.kind == "since" or then or (t.kind == "began_year" and war)
    ]


def _year_long(times: list[TimeMention], sentence: str, offset: int) -> list[TimeMention]:
    """Drop a bare-year "since" that dates something else than the sentence's figures.

    "Since 2011 the country ... has killed hundreds of thousands" and "killed in the war
    since 2011" date a toll; "in Eastern Ghouta, which has been besieged since 2013" does
    not. A year is kept when it opens the sentence or the sentence names the war.
    """
    if all(t.kind not in ("since_year", "began_year") for t in times):
        return times
    war = war_words().search(sentence.lower()) is not None
    return [
        t
        for t in times
        if t.kind not in ("since_year", "began_year") or war or t.start - offset <= 1
    ]


@cache
def _since_then_words() -> re.Pattern:
    return re.compile(words_pattern(load("periods")["since_then"]))


def _carried_period(ctx, rows, n_sentence, prev_since, start, end):
    """A flow with no time of its own continues the previous flow figure (within two
    sentences, or five after "Meanwhile", "Earlier" ...) or a "since ..." of the previous
    sentence; else it runs to the statement day."""
    reach = CONTINUATION_REACH if _continues(ctx, n_sentence) else 2
    recent = [
        r
        for r in rows
        if r["_timed"]
        and n_sentence - r["_sentence"] <= reach
        and r["category"] not in STOCK_CATEGORIES
    ]
    if recent:
        return recent[-1]["period_start"], recent[-1]["period_end"]
    if prev_since:
        return prev_since[-1].period_start, prev_since[-1].period_end
    day = _day_told_next(ctx, n_sentence)
    if day is not None:
        return day, day
    return start, end


# how many sentences back "Meanwhile ...", "Earlier ..." may reach for the round-up's day
CONTINUATION_REACH = 5


def _continues(ctx: ReportContext, n_sentence: int) -> bool:
    """Whether the sentence opens as a continuation of a round-up ("Meanwhile ...")."""
    s, e = ctx.sentences[n_sentence]
    return _continuation().match(lowered(ctx.body), s, e) is not None


@cache
def _continuation() -> re.Pattern:
    return re.compile(r"\s*" + words_pattern(load("periods")["continuations"]))


def _times(ctx: ReportContext, n_sentence: int) -> list[TimeMention]:
    """The time words of a sentence of the report, read once however often asked for."""
    known = ctx.times.get(n_sentence)
    if known is None:
        s, e = ctx.sentences[n_sentence]
        known = ctx.times[n_sentence] = find_times(ctx.body[s:e], ctx.published, s, ctx.hits)
    return known


def _day_told_next(ctx, n_sentence: int):
    """The one day the next sentence names, when it names exactly one ("A bomber struck a
    wedding, killing 32 people. He blew himself up late Monday"): the day of the event told."""
    if n_sentence + 1 >= len(ctx.sentences):
        return None
    times = _times(ctx, n_sentence + 1)
    days = {t.period_end for t in times if t.kind == "day"}
    return days.pop() if len(days) == 1 and len(times) == 1 else None


# Sentences at the top of a report that may be its headline.
HEADLINE_SENTENCES = 2


def _headlines_borrow(rows: list[dict]) -> None:
    """A figure with no time borrows the period of the same figure right below it, and a
    headline figure that of the first timed figure of the body that restates it."""
    for i, r in enumerate(rows[:-1]):
        if r["_timed"]:
            continue
        same = [
            n
            for n in rows[i + 1 :]
            if n["_timed"]
            and n["category"] == r["category"]
            and n["value"] == r["value"]
            and (n["_sentence"] - r["_sentence"] == 1 or r["_sentence"] < HEADLINE_SENTENCES)
        ]
        if same:
            r["period_start"], r["period_end"] = same[0]["period_start"], same[0]["period_end"]


def _repeats_borrow(rows: list[dict]) -> None:
    """A figure of ten or more with no start of its own that repeats an earlier figure ("He
    said at least 31 people were killed" after "31 people killed on Saturday") takes that
    figure's period."""
    for i, r in enumerate(rows):
        # small figures recur by chance in round-ups ("two persons" in two attacks)
        if r["_timed"] or r["period_start"] is not None or not (r["value"] or 0) >= 10:
            continue
        same = [
            e
            for e in rows[:i]
            if e["category"] == r["category"]
            and e["value"] == r["value"]
            and e["period_start"] is not None
            and e["_sentence"] != r["_sentence"]
        ]
        if same:
            r["period_start"], r["period_end"] = same[-1]["period_start"], same[-1]["period_end"]


def _shift(a: Amount, offset: int) -> Amount:
    return Amount(a.start + offset, a.end + offset, a.value, a.low, a.high, a.kind, a.unit)


def _location(ctx: ReportContext, places, a: Amount, category: str) -> str | None:
    """The place a figure is about: for a share the place after it, else the nearest mention.

    People who fled are counted where they fled from: a place people went to is skipped,
    and one they left wins.
    """
    if category == "displaced":
        places, origins = _by_direction(ctx.body, places)
        if origins:
            places = origins
    if not places:
        return ctx.city_at(a.start) if category in ("territory_share",) else None
    after = [p for p in places if p[0] >= a.end]
    if category in ("territory_share", "front_distance") and after:
        return after[0][2]
    if after and after[0][0] - a.end <= 80:
        place = after[0]
    else:
        place = min(places, key=lambda p: min(abs(p[0] - a.end), abs(a.start - p[1])))
    return _around(ctx, place) or _listed_together(ctx, places, place)


# "a village near Manbij", "outside the city of Deir Ezzor": the city only locates the place
_NEAR_BEFORE = regex.compile(
    r"\b(?:near|outside|close\s+to)\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?$", regex.I
)


_WHERE = regex.compile(r"\s*,?\s*where\b")


def _around(ctx: ReportContext, place) -> str | None:
    """The governorate of a city named as a reference point: what happened near a city
    happened in its countryside, as every annotated sample reads it."""
    if _kind_of(place[2]) != "city" or not _NEAR_BEFORE.search(
        ctx.body, max(0, place[0] - 30), place[0]
    ):
        return None
    if _WHERE.match(ctx.body, place[1]):
        return None  # "close to the town of Khan Sheikhoun where an attack killed 90"
    return next((n for n in ancestors(place[2]) if _kind_of(n) == "governorate"), None)


# what may stand between places listed together: "in Aleppo and Quneitra", "in Damascus its
# countryside Aleppo Homs", "Raqqa and Deir Ezzor provinces"
_LIST_GAP = regex.compile(
    r"(?:\s*(?:,|and|&)?\s*(?:its\s+countryside|provinces?|countryside)?\s*(?:,|and|&)?\s*)",
    regex.I,
)


def _listed_together(ctx: ReportContext, places, place) -> str:
    """A figure about places listed together ("in Aleppo and Quneitra") is about the
    smallest place holding them all; a figure about one place, about that place."""
    i = places.index(place)
    run = [place]
    for nxt in places[i + 1 :]:
        if _LIST_GAP.fullmatch(ctx.body, run[-1][1], nxt[0]) is None:
            break
        run.append(nxt)
    names = [province_meant(ctx, p) for p in run]
    # "rebel-held east Aleppo": a place and the place holding it name one place, not a list
    names = [n for n in names if not any(n != o and n in ancestors(o) for o in names)]
    if len(set(names)) == 1:
        return names[0]
    return common_place(names) or names[0]


def _kind_of(name: str) -> str | None:
    return _place_kinds().get(name)


def _war_wide(sentence: str) -> bool:
    """Whether a sentence without a place of its own tells of the whole war ("the war has
    claimed more than 300,000 lives"), or of the whole country."""
    low = sentence.lower()
    return war_words().search(low) is not None or _COUNTRY_WIDE.search(low) is not None


# "across the war-battered country", "nationwide"; not "in the northeast of the country"
_COUNTRY_WIDE = regex.compile(
    r"\b(?:across|throughout|all\s+over)\s+(?:the\s+)?(?:[\w-]+\s+)?country\b|\bnationwide\b"
)


def _country_of(ctx: ReportContext, place: str | None) -> str | None:
    """The country holding `place` (else the report's main city), for a war-wide figure."""
    for name in (place, ctx.main_city):
        if name:
            country = next((n for n in ancestors(name) if _kind_of(n) == "country"), None)
            if country:
                return country
    return place


def _by_direction(body: str, places) -> tuple[list, list]:
    """(places that are not destinations, places that are origins) of a displacement."""
    cue = _direction_cue()
    low = lowered(body)
    kept, origins = [], []
    for p in places:
        m = cue.search(low, max(0, p[0] - 45), p[0])
        if m and m.group("to"):
            continue
        kept.append(p)
        if m:
            origins.append(p)
    return kept, origins


@cache
def _direction_cue() -> re.Pattern:
    # the last cue word before a place, at most three words ahead of it
    lex = load("categories")
    to, origin = alternation(lex["destination_cues"]), alternation(lex["origin_cues"])
    word = rf"(?!(?:{to}|{origin})(?![\w-]))[\w'’-]+"  # a word that is no cue itself
    return re.compile(rf"(?<![\w-])(?:(?P<to>{to})|(?P<from>{origin}))(?:\s+{word}){{0,3}}\s+$")


def _actor(actors, places, a: Amount, reading, body: str = "", s_start: int = 0) -> str | None:
    """The force that acts: the one named before a figure an active verb leads to ("regime
    air raids killed at least 15"), else "by X" after the figure, else the nearest named
    before it. A force named in the counted noun ("175 ISIS terrorists", "86 members of
    the government forces") is the victims', not the actor."""
    if not actors:
        return None
    if reading.category in ("displaced", "population", "surrendered"):
        return None
    victims_end = s_start + reading.phrase_end if body else a.end
    of = _OF_FORCE.match(body, victims_end) if body else None
    if of:
        victims_end = of.end() + 1
    actors = [x for x in actors if not a.end <= x[0] < victims_end]
    after = [x for x in actors if x[0] > a.end and x[0] - a.end < 60]
    before = [x for x in actors if x[1] <= a.start]
    if reading.category in ("territory_share", "front_distance", "troops_deployed", "detained"):
        return before[-1][2] if before else (after[0][2] if after else None)
    if before and body and _ACTIVE_VERB.search(body, max(0, a.start - 30), a.start):
        return before[-1][2]
    return after[0][2] if after else (before[-1][2] if before else None)


# "members of the Syrian government forces": the force after "of" belongs to the counted noun
_OF_FORCE = regex.compile(r"\s+of\s+(?:the\s+)?(?=\S)")
# an active verb right before a figure: its subject, named before it, is the actor
_ACTIVE_VERB = regex.compile(
    r"\b(?:kill(?:ed|s|ing)?|wound(?:ed|s|ing)?|injur(?:ed|es|ing)|left|executed?|claimed)"
    r"(?:\s+(?:at\s+least|more\s+than|over|some|about|around|nearly|almost|up\s+to))?\s+$",
    regex.I,
)


def _distance(t: TimeMention, a: Amount) -> int:
    return t.start - a.end if t.start >= a.end else a.start - t.end


def _period(published: date | None, times: list[TimeMention], a: Amount, stock: bool):
    """(period_start, period_end) of a figure from the time words of its sentence.

    A flow takes the nearest time expression, one right after the figure first ("30,000
    left on Friday and 20,000 so far on Saturday"); the day a statement was made ("he
    said on Wednesday") only closes an open period. A stock is as of a day named close
    to it, else as of the statement or publication day.
    """
    if published is None:
        return None, None
    said = [t for t in times if t.kind == "said"]
    said_day = said[0].period_end if said else published
    if stock:
        days = [t for t in times if t.kind in ("day", "said") and _distance(t, a) <= 40]
        day = min(days, key=lambda t: _distance(t, a)).period_end if days else said_day
        return day, day
    own = [t for t in times if t.kind != "said"]
    if not own:
        return None, said_day
    after = [t for t in own if t.start >= a.end and t.start - a.end <= 30]
    t = after[0] if after else min(own, key=lambda t: _distance(t, a))
    return t.period_start, t.period_end or said_day
