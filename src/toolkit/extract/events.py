"""Extract control events: a place captured, advanced on, repelled from, left, or held."""

from __future__ import annotations

import bisect
import re
from functools import cache

import pandas as pd
import regex

from toolkit import scan as scanner
from toolkit.alternation import alternation, lowered
from toolkit.extract.context import (
    ReportContext,
    find_actors,
    find_places,
    find_sources,
    province_meant,
)
from toolkit.extract.periods import find_times
from toolkit.lexicons import load
from toolkit.reference import actor_index, place_index
from toolkit.schemas import ControlEvents
from toolkit.tables import EVENT_COLUMNS, coerce_events

_WORD = regex.compile(r"[\w-]+")
_STOP = regex.compile(r"[.;:]")
_CLAUSE_BREAK = re.compile(r"[,;.]")


def _words(phrases, trailing: bool = True) -> re.Pattern:
    end = r"(?![\w-])" if trailing else ""
    pattern = re.compile(rf"(?<![\w-])(?:{alternation(phrases)}){end}")
    return scanner.register(pattern, phrases, trailing=trailing)


@scanner.warm_with
@cache
def _patterns() -> dict:
    # lower-case patterns, matched against `lowered` text (see toolkit.alternation)
    lex = load("events")
    actions = {a: _words(ws) for a, ws in lex["actions"].items()}
    # "a failed pro-government assault": an attack that failed was repelled
    failed = rf"failed\s+(?:[\w-]+\s+){{0,2}}?(?:{alternation(lex['failed_attacks'])})"
    actions["repelled"] = scanner.register(
        re.compile(rf"(?<![\w-])(?:{alternation(lex['actions']['repelled'])}|{failed})(?![\w-])"),
        lex["actions"]["repelled"],
        extra=[r"\bfailed\s"],
    )
    cues = [w for ws in lex["actions"].values() for w in ws]
    cues += [*lex["held_nouns"], *lex["denial"], "held", "controlled", "dominated", "occupied"]
    cues += ["under the control of", "under control of", "failed"]
    return {
        "actions": actions,
        "held": scanner.register(
            re.compile(
                rf"(?<!\w)(?P<who>{alternation(lex['held_prefix'])})[-\s](?:held|controlled)\b"
            )
        ),
        "held_by": scanner.register(
            re.compile(
                r"\b(?:(?:held|controlled|dominated|occupied)\s+by|under\s+(?:the\s+)?control\s+of)"
                r"\s+(?:either\s+)?(?:the\s+)?"
            )
        ),
        "held_noun": scanner.register(
            re.compile(
                rf"(?:(?<!\w)(?P<who>{alternation(lex['held_prefix'])})\s+(?:de\s+facto\s+)?"
                # "the IS group's de facto capital", "Daeshs de facto capital" (stripped)
                rf"|(?P<owner>[\w-]+(?:\s+group)?)(?:['’]s|(?<=group)s|s(?=\s+de\s+facto))\s+"
                rf"(?:de\s+facto\s+)?(?:\w+\s+)?)(?:{alternation(lex['held_nouns'])})\b(?:\s+(?:in|of))?\s+"
            )
        ),
        "approach": re.compile(rf"(?<!\w)(?:{alternation(lex['approach'])})(?!\w)"),
        "counted_parts": re.compile(
            r"\b(?:\w+)\s+(?:more\s+)?(?:rebel\s+|major\s+|smaller\s+)?"
            r"(?:districts|neighbou?rhoods|areas|villages|zones?)\b"
        ),
        "partial": re.compile(rf"(?:{alternation(lex['partial'])})"),
        "reference": re.compile(rf"(?<!\w)(?:{alternation(lex['reference_points'])})(?!\w)"),
        "part_after": re.compile(rf"\s+(?:{alternation(lex['part_nouns'])})\b"),
        "clause": re.compile(alternation(lex["clause_breaks"])),
        "formerly": re.compile(rf"(?<!\w)(?:{alternation(lex['formerly'])})\s+(?:\S+\s+)?$"),
        "motion": re.compile(r"(?<!\w)(?:into|to|towards?)(?!\w)"),
        "rescue": re.compile(rf"(?<!\w)(?:{alternation(lex['rescue'])})(?!\w)"),
        "not_territory": re.compile(rf"(?<!\w)(?:{alternation(lex['not_territory'])})(?!\w)"),
        "settlement_of": regex.compile(
            rf"\s+(?:{alternation(lex['settlement_nouns'])})\s+of\s+(?!the\b)(?-i:\p{{Lu}})",
            regex.I,
        ),
        "partial_hold": re.compile(rf"(?<!\w)(?:{alternation(lex['partial_hold'])})(?!\w)"),
        "aim": re.compile(rf"(?:{alternation(lex['aim'])})\s+(?:\w+\s+)?$"),
        "denial": scanner.register(
            re.compile(rf"(?<!\w)(?:{alternation(lex['denial'])})(?!\w)"), lex["denial"]
        ),
        "anaphora": {
            k: scanner.register(re.compile(rf"(?<!\w)(?:{alternation(v)})(?!\w)"), v)
            for k, v in lex["anaphora"].items()
        },
        "held_prefix": lex["held_prefix"],
        # any word that can start an event: sentences without one are skipped
        "cue": scanner.register(
            re.compile(rf"(?<!\w)(?:{alternation(cues)})"), cues, trailing=False
        ),
    }


def _cued_sentences(ctx: ReportContext, cue: re.Pattern) -> set[int]:
    """Indexes of the sentences holding an event cue word, found in one pass over the body."""
    starts = [s for s, _ in ctx.sentences]
    body = lowered(ctx.body)
    return {
        bisect.bisect_right(starts, m.start()) - 1 for m in scanner.finditer(ctx.hits, cue, body)
    }


def extract_events(reports: pd.DataFrame) -> pd.DataFrame:
    """Control events of every report in a `Reports` frame, valid under `ControlEvents`."""
    return events_table([r for rep in reports.itertuples(index=False) for r in report_events(rep)])


def events_table(rows: list[dict]) -> pd.DataFrame:
    """The frame of extracted event rows, valid under `ControlEvents`."""
    return ControlEvents.validate(coerce_events(pd.DataFrame(rows, columns=EVENT_COLUMNS)))


def report_events(report) -> list[dict]:
    """Control events of one report (a row of a `Reports` frame)."""
    ctx = ReportContext.of(report)
    body = lowered(ctx.body)  # the patterns are lower case; spans are the same in both
    pats = _patterns()
    rows: list[dict] = []
    last_district: str | None = None
    cued = _cued_sentences(ctx, pats["cue"])
    for n_sentence, (s_start, s_end) in enumerate(ctx.sentences):
        if n_sentence not in cued:
            for _, _, name in place_index().find(ctx.body, s_start, s_end):
                if _kind(name) == "district":
                    last_district = name
            continue
        text = body[s_start:s_end]
        # a country never changes hands in these reports ("eastern Syria held by Daesh"
        # names the region of a town, not a holding), nor does a river
        named = find_places(ctx, s_start, s_end)
        places = [p for p in named if _kind(p[2]) not in ("country", "river")]
        places += _anaphora(ctx, s_start, s_end, places, last_district)
        places.sort()
        actors = find_actors(ctx, s_start, s_end)
        sources = find_sources(ctx, s_start, s_end)
        times = _LazyTimes(text, ctx.published, s_start)
        used: set[tuple[str, str]] = set()

        def claimant_near(pos: int, sources=sources, text=text, s_start=s_start) -> str:
            if sources and _attributed(text, ctx.hits, s_start):
                return min(sources, key=lambda src: abs(src[0] - pos))[2]
            return ctx.default_claimant

        def holds(place, holder, cue: int, start: int, end: int, used=used) -> None:
            """Record that `holder` holds `place`, as of the publication day; only part of it
            ("almost entirely held by", "IS-held parts of the city") is an advance."""
            claimant = claimant_near(cue)
            place = (place[0], place[1], province_meant(ctx, place))
            lo, hi = sorted((cue, place[0] if place[0] > cue else place[1]))
            partial = (
                pats["partial_hold"].search(body, lo, hi)
                or _PART_BEFORE.search(body, max(0, place[0] - 12), place[0])
                # "the mostly Kurdish-controlled city of Hasaka"
                or _PARTLY_BEFORE.search(body, max(0, cue - 12), cue)
            )
            action = "advanced" if partial else "holds"
            date = ctx.published if action == "holds" else None
            rows.append(_row(ctx, place, holder, action, "asserted", claimant, date, start, end))
            used.add((place[2], "holds"))

        # held places: "rebel-held X", "X held by Y"
        hits = ctx.hits
        for m in scanner.finditer(hits, pats["held"], body, s_start, s_end):
            # an alias may include the cue itself ("the rebel-held east")
            place = next(
                (
                    p
                    for p in places
                    if p[0] >= m.start()
                    and p[1] > m.end()
                    and p[0] <= m.end() + 50
                    and not (p[0] > m.end() and _CLAUSE_BREAK.search(body, m.end(), p[0]))
                ),
                None,
            )
            held_city = _HELD_CITY.match(body, m.end()) if place is None else None
            if held_city and (city := ctx.city_at(m.start())):
                place = (m.end() + 1, held_city.end(), city)  # "the ISIL-held city"
            if place and _locates_only(pats, ctx.body, m.start(), m.end(), place):
                continue  # "the rebel-held town of Atareb in Aleppo province"
            if place:
                actor = actor_index().lookup(pats["held_prefix"][m.group("who").lower()])
                holds(place, actor, m.start(), m.start(), place[1])
        for m in scanner.finditer(hits, pats["held_by"], body, s_start, s_end):
            if _NEGATED.search(body, max(s_start, m.start() - 8), m.start()):
                continue  # "not under the control of the Islamic State"
            # "held by the rebels": the alias may take in the article the cue consumed
            holder = next((x for x in actors if x[0] <= m.end() < x[1]), None)
            holder = holder or _first_after(actors, m.end(), 5)
            if holder is None and (group := _GROUP_OF.match(body, m.end())):
                holder = _first_after(actors, group.end(), 5)  # "an alliance of rebels"
            if holder is None:
                # "controlled by rebels", "controlled by a rebel alliance"
                word = _WORD.match(body, _ARTICLE.match(body, m.end()).end())
                key = word.group(0).lower() if word else ""
                if key in pats["held_prefix"]:
                    holder = (
                        m.end(),
                        m.end() + len(key),
                        actor_index().lookup(pats["held_prefix"][key]),
                    )
            # "fled east Aleppo into territory controlled by ...": the place is left behind
            near = [
                p
                for p in places
                if m.start() - HELD_BY_REACH <= p[1] <= m.start()
                and not pats["motion"].search(body, p[1], m.start())
                # "Tabqa and an adjacent air base held by IS": the base is held
                and not _ANOTHER_THING.search(body, p[1], m.start())
            ]
            # "western neighborhoods of the city held by ...": the most specific place
            place = min(near, key=lambda p: (_SPECIFIC.get(_kind(p[2]), 9), -p[0]), default=None)
            if holder and place and (place[2], "holds") not in used:
                holds(place, holder[2], m.start(), place[0], holder[1])
        for m in scanner.finditer(hits, pats["held_noun"], body, s_start, s_end):
            place = next((p for p in places if m.end() <= p[0] + 12 and p[0] <= m.end() + 15), None)
            if not place or (place[2], "holds") in used:
                continue
            if pats["reference"].search(body, m.end(), place[0]):
                continue  # "a Daesh bastion near the Turkish border"
            if pats["formerly"].search(body, max(s_start, m.start() - 25), m.start()):
                continue  # "the one-time rebel bastion": held once, not now
            key = (m.group("who") or "").lower()
            holder = actor_index().lookup(pats["held_prefix"][key]) if key else None
            if holder is None and m.group("owner"):
                owner_end = m.end("owner")
                owners = [a for a in actors if a[0] < owner_end and owner_end - a[1] <= 10]
                holder = owners[-1][2] if owners else None
            if holder:
                holds(place, holder, m.start(), m.start(), place[1])
        # "Idlib province ... is a major stronghold for opposition forces"
        for place in places:
            stronghold = _STRONGHOLD_FOR.match(body, place[1])
            if stronghold is None or (place[2], "holds") in used:
                continue
            if any(place[1] < p[0] < stronghold.end() for p in places):
                continue  # the stronghold is a place named in between
            holder = _first_after(actors, stronghold.end(), 12)
            if holder:
                holds(place, holder[2], place[1], place[0], holder[1])
        # "the town of Manbij, a key IS group stronghold": the holder is named before the noun
        for place in places:
            after = _STRONGHOLD_AFTER.match(body, place[1])
            if after is None or (place[2], "holds") in used:
                continue
            who = after.group("who").lower()
            holder = actor_index().lookup(pats["held_prefix"].get(who, "")) or next(
                (a[2] for a in actors if after.start("who") <= a[0] < after.end("who")), None
            )
            if holder and _kind(place[2]) in ("city", "district", "village"):
                holds(place, holder, place[1], place[0], after.end())
        # "Raqqa, the de facto capital of ISIS"
        for place in places:
            of = _CAPITAL_OF.match(body, place[1])
            if of is None or (place[2], "holds") in used:
                continue
            holder = _first_after(actors, of.end(), 3)
            if holder and _kind(place[2]) == "city":
                holds(place, holder[2], place[1], place[0], holder[1])
        # changes of hands
        for action, rx in pats["actions"].items():
            for m in scanner.finditer(hits, rx, body, s_start, s_end):
                if pats["aim"].search(body[max(s_start, m.start() - 30) : m.start()]):
                    continue
                if m.group().endswith(("ed", "en")) and _THE_BEFORE.search(
                    body, max(s_start, m.start() - 5), m.start()
                ):
                    continue  # "the liberated parts of the city": a state, not an event
                if _INFINITIVE.search(body, max(s_start, m.start() - 20), m.start()):
                    continue  # "an offensive by regime forces to capture ...": an aim
                if _NOT_A_CAPTURE.match(body, m.end()):
                    continue  # "the blast took place in ...", "took part in"
                passive = action == "captured" and _passive_object(places, body, m)
                place = passive or _first_after(places, m.end(), 90)
                if place is None and action == "withdrew":
                    place = _last_before(places, m.start(), 120)
                    between = ""
                if place is None and action == "captured":
                    place = _parts_of_the_city(ctx, body, m.end())
                if place is None and action == "captured":
                    place = _object_before(places, body, m.start())
                if place is None:
                    continue
                whole = _whole_of(places, body, place)
                # "western districts of Manbij" is part of it; "the city of Manbij" is all of it
                part_of = whole is not None and _kind(place[2]) in ("city part", "district")
                place = whole or place
                # "advances in Raqqa" in a report about Raqqa province: the governorate
                place = (place[0], place[1], province_meant(ctx, place))
                between = body[m.end() : place[0]]
                if (place[2], action) in used or _STOP.search(between):
                    continue
                if pats["clause"].search(between):
                    continue
                if action == "captured" and _UNNAMED_BEFORE.search(between):
                    continue  # "retook the al-Qaryatain city in Homs": an unknown place
                reference = pats["reference"].search(between)
                if reference and not (action == "repelled" and "outskirts" in reference.group()):
                    continue
                if pats["rescue"].search(between):
                    continue  # "pulled out of the rubble"
                if pats["not_territory"].search(between):
                    continue  # "seized shipments of UN aid to the city"
                if action == "advanced" and pats["approach"].search(between):
                    continue
                act = "advanced" if part_of and action == "captured" else action
                if act == "captured" and (
                    pats["partial"].search(between)
                    or _A_PART.search(between)
                    or pats["counted_parts"].search(between)
                    or (
                        pats["part_after"].match(body, place[1])
                        and not _THE_BEFORE.search(body, max(0, place[0] - 4), place[0])
                    )
                ):
                    act = "advanced"
                if act == "advanced" and (place[2], "captured") in used:
                    continue
                actor = _event_actor(actors, m, act)
                if passive:  # "recently seized by rebels": the force after "by" took it
                    actor = next((a[2] for a in actors if 0 <= a[0] - m.end() <= 12), None)
                date = ctx.published if act == "holds" else _day(times, m.start())
                # "retaken the cities of Ramadi and Fallujah": each place of the list
                for listed in [place, *_listed_after(places, body, place)]:
                    if (listed[2], act) in used:
                        continue
                    rows.append(
                        _row(
                            ctx,
                            listed,
                            actor,
                            act,
                            "asserted",
                            claimant_near(m.start()),
                            date,
                            min(m.start(), listed[0]),
                            max(m.end(), listed[1]),
                        )
                    )
                    used.add((listed[2], act))
        # "X denied this": the last asserted capture is denied by X
        for m in scanner.finditer(hits, pats["denial"], body, s_start, s_end):
            prior = [r for r in rows if r["action"] in ("captured", "advanced")]
            if prior:
                denied = dict(prior[-1])
                denied.update(
                    stance="denied",
                    claimant=claimant_near(m.start()),
                    span_start=m.start(),
                    span_end=m.end(),
                )
                rows.append(denied)
        for _, _, name in places:
            if name and _kind(name) == "district":
                last_district = name
    return rows


# how far before "held by" the held place may be named
HELD_BY_REACH = 90

_SPECIFIC = {"district": 0, "village": 0, "city part": 1, "landmark": 1, "city": 2}


_ANOTHER_THING = re.compile(r"\band\s+(?:an?|the)\s+")
_UNNAMED_BEFORE = re.compile(
    r"\b(?:city|town|village|district|area|neighbou?rhood)\s+in\s+(?:the\s+)?$"
)
_HELD_CITY = re.compile(r"\s+city\b(?!\s+of\b)")
# "the Ramouseh area" names the place; "a major Aleppo zone" a part of it
_THE_BEFORE = re.compile(r"\bthe\s+$")
# one unnamed part held, which the place after it only locates; "government-held areas in
# west Aleppo" (plural, no article) is a holding of west Aleppo, as the seed annotation has it
_SETTLEMENT_IN = re.compile(
    r"\s+(?:neighbou?rhood|district|village|town|area|suburb)\s+(?:in|on|at|near|along|outside)\b",
    re.I,
)
_A_BEFORE = re.compile(r"\ban?\s+$", re.I)
# "seized a rebel-held neighbourhood in the northwest edge of Aleppo": a part of the place
_A_PART = re.compile(
    r"\ban?\s+(?:[\w-]+\s+){0,2}(?:neighbou?rhood|district|village|area|suburb|quarter)\b"
)
# "Raqqa, the de facto capital of ISIS": the place is held by the force named after it
_CAPITAL_OF = re.compile(
    r"\s*,?\s+(?:the\s+)?(?:self-proclaimed\s+|de[\s-]facto\s+)?(?:\w+\s+)?capital\s+of\s+"
    r"(?:the\s+)?"
)
_ARTICLE = re.compile(r"(?:an?\s+)?")
# "Idlib province ... is a major stronghold for Syrian opposition forces"
_STRONGHOLD_FOR = re.compile(
    r"[^.;]{0,40}?\b(?:is|was|remains)\s+(?:an?|the|its)\s+(?:(?:key|main|major|last|strategic)\s+)*"
    r"(?:stronghold|bastion)\s+(?:for|of)\s+(?:the\s+)?"
)
_STRONGHOLD_AFTER = re.compile(
    r"\s*,?\s+(?:an?|the|its)\s+(?:(?:key|main|major|last|strategic|remaining)\s+)*"
    r"(?P<who>[\w-]+(?:\s+group)?)(?:['’]?s)?\s+(?:stronghold|bastion)\b"
)
_PARTLY_BEFORE = re.compile(r"\b(?:mostly|largely|partly|partially)\s+$")
_GROUP_OF = re.compile(r"(?:an?\s+)?(?:alliance|coalition|array|mix|number)\s+of\s+(?:the\s+)?")
# "to capture", but not "managed to capture"
_INFINITIVE = re.compile(r"(?<!managed )(?<!able )(?<!succeeded )\bto\s+$")
# "Jarabulus, which Turkish-led forces captured": the place is the object, named before
_RELATIVE = re.compile(r"\s*,?\s*(?:which|that)\s+(?:[\w-]+\s+){1,5}$")


# "the Ramouseh area recently seized by rebels": a passive capture of the place before
_PASSIVE_GAP = re.compile(
    r"\s+(?:(?:area|district|neighbou?rhood|town|city|village)\s+)?(?:(?:which|that)\s+)?"
    r"(?:(?:was|were|is|has|had|have)\s+)?(?:been\s+)?(?:recently\s+|newly\s+|just\s+)?"
)
_BY = re.compile(r"\s+by\s")
_CONDITIONAL = re.compile(r"\b(?:if|unless|once|until|before)\s+(?:the\s+)?$")


def _passive_object(places, body: str, m):
    """The place a passive capture verb is about ("X recently seized by rebels")."""
    if not _BY.match(body, m.end()):
        return None
    before = [p for p in places if p[1] <= m.start() and m.start() - p[1] <= 50]
    if before and _PASSIVE_GAP.fullmatch(body, before[-1][1], m.start()):
        if _CONDITIONAL.search(body, max(0, before[-1][0] - 10), before[-1][0]):
            return None  # "if Manbij is captured by ...": not (yet) a fact
        return before[-1]
    return None


def _object_before(places, body: str, start: int):
    """The place a relative clause's capture verb takes as its object ("Jarabulus which
    Turkish-led forces captured")."""
    before = [p for p in places if p[1] <= start and start - p[1] <= 60]
    if before and _RELATIVE.fullmatch(body, before[-1][1], start):
        return before[-1]
    return None


_NOT_A_CAPTURE = re.compile(r"\s+(?:place|part|shelter|refuge|cover)\b")
_NEGATED = re.compile(r"\bnot\s+$")
# "Most of Idleb province has been under the control of ...": part of the place is held
_PART_BEFORE = re.compile(r"\b(?:most|much)\s+of\s+(?:the\s+)?$")


def _locates_only(pats, text: str, start: int, end: int, place) -> bool:
    """Whether the words between a holding cue and a place say the place only locates what
    is held: "the rebel-held town of Atareb in Aleppo province" (a settlement missing from
    the gazetteer), "an ISIL-held village near the town of Manbij"."""
    if pats["reference"].search(text.lower(), end, place[0]):
        return True
    if _SETTLEMENT_IN.match(text, end, place[0]) and _A_BEFORE.search(
        text, max(0, start - 4), start
    ):
        return True  # "a rebel-held neighbourhood on the northwest edge of Aleppo"
    m = pats["settlement_of"].match(text, end, place[0])
    if m is None:
        return False
    # "a rebel-held neighbourhood of Syrias Aleppo city" names a known place after "of"
    after = m.end() - 1
    return not any(p[0] == after for p in place_index().find(text, after, after + 60))


_OF = re.compile(r"\s+of\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?")


def _whole_of(places, body: str, place):
    """The place a named part belongs to: "western districts of Manbij" names a part of
    Manbij, whatever city the generic "western districts" would name alone."""
    nxt = _first_after(places, place[1], 25)
    if nxt is None:
        return None
    of = _OF.match(body, place[1])
    return nxt if of and of.end() == nxt[0] else None


def _parts_of_the_city(ctx: ReportContext, body: str, end: int):
    """The report's city when a verb takes some of its parts with no place named ("the army
    seized three districts from the rebels"): a gain in the city, read as an advance."""
    m = _patterns()["counted_parts"].match(body, end + 1) if body[end : end + 1] == " " else None
    city = ctx.city_at(end) if m else None
    # the span ends after the parts, so that they read as the partial gain they are
    return (m.end(), m.end(), city) if city else None


def _row(ctx, place, actor, action, stance, claimant, date, start, end) -> dict:
    return dict(
        report_id=ctx.report_id,
        place=place[2],
        actor=actor,
        action=action,
        stance=stance,
        claimant=claimant,
        date=date,
        span_start=start,
        span_end=end,
    )


def _attributed(text: str, hits=None, offset: int = 0) -> bool:
    """Whether the lower-cased sentence has an attribution verb ("said", "according to")."""
    from toolkit.extract.context import _attribution

    return bool(scanner.search(hits, _attribution(), text, offset=offset))


_AND = re.compile(r"\s*(?:,\s*)?(?:and|&)\s+")
_BETWEEN = re.compile(r"\bbetween\s+$")


def _listed_after(places, body: str, place) -> list:
    """The places listed right after `place` ("Ramadi and Fallujah", "Ramadi, Hit and Rutba")."""
    if _BETWEEN.search(body, max(0, place[0] - 9), place[0]):
        return []  # "a highway between Damascus and Homs" locates, it lists no capture
    out, last = [], place
    for p in places:
        if p[0] < last[1]:
            continue
        gap = _AND.fullmatch(body, last[1], p[0]) or (
            p[0] - last[1] <= 2 and body[last[1] : p[0]].strip() == ","
        )
        if not gap or _kind(p[2]) != _kind(place[2]):
            break
        out.append(p)
        last = p
    return out


def _first_after(items, pos: int, within: int):
    after = [x for x in items if pos <= x[0] <= pos + within]
    return after[0] if after else None


def _last_before(items, pos: int, within: int):
    before = [x for x in items if pos - within <= x[1] <= pos]
    return before[-1] if before else None


def _event_actor(actors, m, action: str) -> str | None:
    before = [a for a in actors if a[1] <= m.start()]
    after = [a for a in actors if a[0] >= m.end() and a[0] - m.end() < 40]
    if action == "repelled" and after:
        return after[0][2]
    if before:
        return before[-1][2]
    return after[0][2] if after else None


class _LazyTimes:
    """The time words of a sentence, read only when an event needs its day."""

    def __init__(self, text: str, published, offset: int) -> None:
        self._args = (text, published, offset)
        self._times = None

    def __iter__(self):
        if self._times is None:
            text, published, offset = self._args
            self._times = find_times(text, published, offset=offset)
        return iter(self._times)


def _day(times, pos: int):
    days = [t for t in times if t.kind == "day"]
    if not days:
        return None
    return min(days, key=lambda t: abs(t.start - pos)).period_end


def _kind(name: str) -> str | None:
    from toolkit.extract.context import _place_kinds

    return _place_kinds().get(name)


def _anaphora(ctx: ReportContext, start: int, end: int, places, last_district):
    """'the district' refers back to the last district named (in this sentence or before)."""
    out = []
    body = lowered(ctx.body)
    for m in scanner.finditer(ctx.hits, _patterns()["anaphora"]["district"], body, start, end):
        before = [p for p in places if p[1] <= m.start() and _kind(p[2]) == "district"]
        name = before[-1][2] if before else last_district
        if name:
            out.append((m.start(), m.end(), name))
    return out
