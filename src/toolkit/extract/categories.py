"""Decide what an amount counts (its category) from the words around it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from toolkit import scan as scanner
from toolkit.alternation import alternation, lowered, words_pattern
from toolkit.extract.numbers import MONTH_NAME, Amount
from toolkit.lexicons import load

_WORD = regex.compile(r"[\w'’-]+")
_HYPHEN_WORD = regex.compile(r"-\p{L}")
_CLOCK = regex.compile(r"\s*(?:GMT|H:|h:|:\d|am\b|pm\b)")
_CLOCK_BEFORE = regex.compile(r"(?<![0-9])[0-9]{1,2}[:.]$")  # the minutes of "21:51"
_MONTH_BEFORE = regex.compile(rf"\b{MONTH_NAME}\.?\s*$")
_MONTH_AFTER = regex.compile(rf"\s*{MONTH_NAME}\b", regex.I)
# "25 kilometres 15 miles" with the brackets stripped: the miles convert the kilometres
_KM_BEFORE = regex.compile(r"\b(?:km|kms|kilomet(?:re|er)s?)\s*$")
_COUNT_BEFORE = regex.compile(
    r"\b(?:around|about|nearly|almost|some|over|at\s+least|more\s+than|than)\s*$"
)


def _counts_people(text: str, end: int) -> bool:
    """Whether a people noun is one of the two words after `end` ("1959 members", "2000
    Sunni residents")."""
    nouns = _lex()["nouns"]
    words = _TWO_WORDS.match(text, end)
    return bool(words) and any(
        nouns.get((w or "").lower()) in ("civilian", "child", "combatant", "person", "family")
        for w in words.groups()
    )


_TWO_WORDS = regex.compile(r"\s+([\w'’-]+)(?:\s+([\w'’-]+))?")
# a year after a preposition or a month and day: "in 2011", "since 2015", "June 12 2016"
_YEAR_BEFORE = regex.compile(
    rf"(?:\b(?:in|since|of|from|until|till|by|after|before|during|year|early|late|mid)"
    rf"|\b{MONTH_NAME}\.?(?:\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?)?)\s*$",
    regex.I,
)
_LABEL_BEFORE = regex.compile(r"(?:resolution|no\.|number|unscr|article|phase|age\s+of|aged)\s*$")


def _words_pattern(words) -> re.Pattern:
    # lower case, matched against `lowered` text (see toolkit.alternation)
    return scanner.register(re.compile(words_pattern(words)), words)


@scanner.warm_with
@cache
def _lex():
    lex = load("categories")
    nouns = {w.rstrip("*").lower(): cls for cls, ws in lex["nouns"].items() for w in ws}
    events = {k: _words_pattern(v) for k, v in lex["events"].items()}
    return {
        "nouns": nouns,
        "combatant_phrases": _words_pattern(lex["combatant_phrases"]),
        "events": events,
        "front": _words_pattern(lex["front"]),
        "geography": _words_pattern(lex["geography"]),
        "control": _words_pattern(lex["control"]),
        "stop": set(lex["stop_words"]),
        "modifiers": set(lex["modifiers"]),
        # "including 14 children", "among them two women": a part of the figure before
        "subset": re.compile(rf"(?<!\w)(?:{alternation(lex['subset_cues'])})\s+(?:\S+\s+){{0,2}}$"),
        "partitive": re.compile(rf"\s*(?:{alternation(lex['partitive'])})\b"),
    }


@dataclass(frozen=True)
class Reading:
    """The category of one amount, the class of what it counts and the end of its phrase."""

    category: str
    unit: str
    noun_class: str | None
    phrase_end: int
    event: str | None = None  # the cue class it was read from (killed, displaced ...)


_MEMBERS_OF = regex.compile(r"\s+of\s+(?:the\s+)?(?:[\w-]+\s+)?([\w'’-]+)")
_AND_FIGURE_NOUN = regex.compile(r"\s+[0-9][0-9,]*\s+(?:[^\W\d]+\s+)?([\w'’-]+)")
_AND_NOUN = regex.compile(r"\s+[^\W\d]+\s+([\w'’-]+)")
# Words that may stand between a number and its noun ("450 others", "17 foreign-backed
# militants", "1,959 members of the Iraqi forces", "eight of those killed were civilians").
_NOUN_WINDOW = 6


def counted_noun(text: str, end: int) -> tuple[str | None, int]:
    """Class of the noun counted by the amount ending at `end`, and where that noun ends."""
    lex = _lex()
    window = text[end : end + 80]
    words = list(_WORD.finditer(window))[:_NOUN_WINDOW]
    fallback: tuple[str | None, int] = (None, end)
    for w in words:
        word = w.group(0).lower()
        cls = lex["nouns"].get(word)
        if cls == "combatant" and word in ("members", "member"):
            # "15 members of medical staff": members of a group with no category
            of = _MEMBERS_OF.match(text, end + w.end())
            cls_of = of and lex["nouns"].get(of.group(1).lower())
            if cls_of in ("other_group", "person_group"):
                return cls_of, end + w.end()
        if word in lex["modifiers"]:  # "two more civilians": the noun is still to come
            if fallback[0] is None and cls:
                fallback = (cls, end + w.end())
            continue
        if cls:
            return cls, end + w.end()
        if word in ("were", "are") and w is words[0]:
            # "of which at least 96 were children": the noun comes after the verb
            after = _AND_NOUN.match(text, end + w.start() - 1)
            cls = after and lex["nouns"].get(after.group(1).lower())
            if cls in ("civilian", "child", "combatant"):
                return cls, after.end(1)
        if word == "and" and fallback[0] is None and w is not words[0]:
            # "30 regime and 39 rebel fighters": two figures of one noun
            after = _AND_FIGURE_NOUN.match(text, end + w.end())
            cls = after and lex["nouns"].get(after.group(1).lower())
            if cls in ("civilian", "child", "combatant"):
                return cls, end + w.start()
        if word == "and" and fallback[0] is None:
            # "30 regime and allied fighters": one noun with two modifiers
            after = _AND_NOUN.match(text, end + w.end())
            cls = after and lex["nouns"].get(after.group(1).lower())
            if cls:
                return cls, after.end(1)
        # "31 IS group militants": a capitalised name is part of the noun phrase, not "is"
        if word in lex["stop"] and not w.group(0)[:1].isupper():
            break
        if word in ("died", "including"):
            break  # "eight died including two children": the noun is not after these
    return fallback


def noun_before(text: str, start: int, hits=None, offset: int = 0) -> str | None:
    """Class of the nearest counted noun before `start` in lower-cased `text`.

    For figures whose noun comes first: "the toll for Iraqi forces ... 2,000".
    """
    lex = _lex()
    best = None
    for m in scanner.finditer(hits, lex["combatant_phrases"], text, 0, start, offset):
        best = (m.end(), "combatant")
    return best[1] if best else None


def _nearest_event(text: str, amount: Amount, phrase_end: int, hits=None, offset=0) -> str | None:
    """The event cue that governs the amount: first after its phrase, else nearest before.

    `text` is the lower-cased sentence. A cue right after the phrase outranks a verb just
    before the figure: with its punctuation stripped, "2 killed 10 injured" puts "killed"
    before 10, but 10 are the injured.
    """
    passive = _passive_cue(text, phrase_end, hits, offset)
    if passive:
        return passive
    if _TOLL.search(text, max(0, amount.start - 120), amount.start):
        return "killed"  # "the death toll from the attacks rose to 12"
    direct = _direct_cue(text, amount, hits, offset)
    if direct:
        return direct[1]
    after, before = [], []
    for start, end, _, name in _event_cues(text, hits, offset):
        if start >= amount.end:
            after.append((start - phrase_end, name))
        elif end <= amount.start:
            before.append((amount.start - end, name))
    near_after = [a for a in after if a[0] <= 45]
    if near_after:
        return min(near_after)[1]
    if before:
        return min(before)[1]
    return min(after)[1] if after else None


def _passive_cue(text: str, phrase_end: int, hits=None, offset: int = 0) -> str | None:
    """The event of a verb right after a figure's phrase ("25 others injured", "2 were killed").

    A verb in -ing takes the figure after it instead ("killing 2 people injuring 7 others").
    """
    right_after = _PASSIVE_GAP.match(text, phrase_end)
    if not right_after:
        return None
    # the longest cue there: "were left wounded" is wounded, not "left"
    cue = max(
        (
            c
            for c in _event_cues(text, hits, offset)
            if c[0] == right_after.end() and c[2][-3:] != "ing"
        ),
        key=lambda c: c[1] - c[0],
        default=None,
    )
    # "a bomber killed 30 people injured 90": a verb with a figure of its own is active
    if cue is None or _FIGURE_AFTER.match(text, cue[1]):
        return None
    return cue[3]


_FIGURE_AFTER = regex.compile(
    r"\s+(?:(?:at\s+least|more\s+than|nearly|almost|about|around|some|over|another)\s+)?"
    r"(?:[0-9]|(?:one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|scores)\b)"
)


# a toll that rises to the figure: "the death toll from the attacks rose to 12", "has
# reached 20", "was put at 8"
_TOLL = re.compile(
    r"(?<!\w)toll\s+(?:at\s+least\s+)?at\s+$"  # "put the death toll (at least) at 5"
    r"|(?<!\w)toll\b(?:[^.;:\d]{0,100}?)\s(?:has\s+|had\s+)?(?:(?:ris(?:es|en)|rose|climb(?:ed|s)|"
    r"reach(?:ed|es)|hit|hits|st(?:ood|ands)|jump(?:ed|s)|increas(?:ed|es)|mount(?:ed|s)|"
    r"went\s+up|go(?:es)?\s+up)\s+(?:to|at)|reach(?:ed|es)|(?:was\s+|were\s+|is\s+)?put\s+at)"
    r"\s+(?:(?:at\s+least|more\s+than|nearly|almost|about|around|some|over)\s+)?$"
)


@lru_cache(maxsize=4)
def _event_cues(text: str, hits=None, offset: int = 0) -> list[tuple[int, int, str, str]]:
    # every amount of a sentence looks at the same cue words: find them once per sentence
    return [
        (m.start(), m.end(), m.group(0).lower(), name)
        for name, pat in _lex()["events"].items()
        for m in scanner.finditer(hits, pat, text, offset=offset)
    ]


# what may stand between a figure's phrase and the verb of its clause: "25 were wounded",
# "six others injured", "12 people have been killed"
_PASSIVE_GAP = re.compile(
    r"\s+(?:(?:others?|more|people|persons)\s+)?(?:(?:were|was|have|has|had|been|are|got)\s+)*"
)


_QUALIFIER_GAP = regex.compile(
    r"\s*(?:(?:at\s+least|more\s+than|nearly|almost|about|around|some|over|up\s+to|an?|the|"
    r"estimated|additional|another|a\s+total\s+of)\s+)*$",
    regex.I,
)


def _direct_cue(text: str, amount: Amount, hits=None, offset: int = 0) -> tuple[int, str] | None:
    """(start, event) of a verb that takes the figure as its object ("killed 21 civilians",
    "detained hundreds")."""
    for start, end, word, name in _event_cues(text, hits, offset):
        near = amount.start - 40 <= start and end <= amount.start
        if near and word not in ("left", "leave") and _QUALIFIER_GAP.match(text, end, amount.start):
            return start, name
    return None


_LENGTH = regex.compile(r"\s*-?\s*(?:long|wide|deep|in\s+length)\b")
# killed and wounded given as one figure: "killed and wounded hundreds", "5 dead or injured"
_MIXED = regex.compile(
    r"(?:kill(?:ed|ing)|dead|deaths?)\s+(?:and|or|&)\s+(?:wound(?:ed|ing)|injur(?:ed|ing|ies))"
    r"|(?:wound(?:ed|ing)|injur(?:ed|ing))\s+(?:and|or|&)\s+(?:kill(?:ed|ing)|dead)"
)
_VERB_LATER = regex.compile(r"[^.;:\d]{0,40}?\b(?:were|was|are|is|been)\s+")
# a part of the figure before, told by its state: "eight were in critical condition"
_CONDITION = regex.compile(
    r"\s+(?:(?:were|are|was|is|remain(?:ed)?)\s+)?(?:still\s+)?(?:in\s+)?(?:a\s+)?"
    r"(?:(?:critical|serious|stable|dangerous|grave)\s+condition|missing|unaccounted\s+for)\b"
)


def _mixed(text: str, amount: Amount, phrase_end: int) -> bool:
    """Whether killed and wounded are told as one figure, just before or after it."""
    before = _MIXED.search(text, max(0, amount.start - 30), amount.start)
    if before and before.end() >= amount.start - 12:
        return True
    gap = _PASSIVE_GAP.match(text, phrase_end)
    if _MIXED.match(text, gap.end() if gap else phrase_end):
        return True
    # "15 members of Jeish al-Fatah were killed or wounded"
    later = _VERB_LATER.match(text, phrase_end)
    return bool(later and _MIXED.match(text, later.end()))


def classify(
    text: str,
    amount: Amount,
    previous_noun: str | None,
    previous_event: str | None = None,
    hits: scanner.Hits | None = None,
    offset: int = 0,
) -> Reading | None:
    """Category of `amount` within sentence `text`, or None when it is not a claim.

    A figure introduced as part of the one before ("38 killed, including 14 children")
    shares that figure's event (`previous_event`) whatever verb comes after it. `text` may
    be a slice of a report starting at `offset`, and `hits` those of the report.
    """
    lex = _lex()
    low = lowered(text)  # the word lists are lower case; spans are the same in both
    if amount.unit == "percent":
        return (
            Reading("territory_share", "percent", None, amount.end)
            if scanner.search(hits, lex["control"], low, offset=offset)
            else None
        )
    if amount.unit in ("km", "mile"):
        before = low[max(0, amount.start - 60) : amount.start]
        if amount.unit == "mile" and (before.rstrip().endswith("(") or _KM_BEFORE.search(before)):
            return None  # "25 kilometres (15 miles)": a conversion, not a second figure
        if _LENGTH.match(low, amount.end):
            return None  # "a 57 km long area", "a 15-kilometre-wide front": a size
        if lex["geography"].search(before) or not scanner.search(
            hits, lex["front"], low, offset=offset
        ):
            return None
        return Reading("front_distance", "km", None, amount.end)
    if _is_date_or_label(text, amount) or _CONDITION.match(low, amount.end):
        return None
    part = lex["partitive"].match(low, amount.end)
    if part:  # "seven of them children": a part with a category of its own, else none
        return _part_reading(text, amount, part.end(), previous_event)
    noun, phrase_end = counted_noun(text, amount.end)
    if _mixed(low, amount, phrase_end):
        return None
    if noun is None:
        noun = previous_noun or noun_before(low, amount.start, hits, offset)
    elif noun == "person" and previous_noun in _SAME_AGAIN and _OTHERS.search(low[:phrase_end]):
        noun = previous_noun  # "15 civilians were killed while six others were": the same kind
    if noun == "other_group":
        return None
    # "including 14 children" shares the event of the figure before, unless a verb of its
    # own follows it ("four killed including a child 25 others injured")
    subset = (
        previous_event
        and lex["subset"].search(low, max(0, amount.start - 30), amount.start)
        and not _passive_cue(low, phrase_end, hits, offset)
    )
    if subset and noun == previous_noun and noun not in (None, "person"):
        return None  # "33 militants, including 10 foreign members": same category, no row
    event = previous_event if subset else _nearest_event(low, amount, phrase_end, hits, offset)
    if not subset and noun == "person" and _DEAD_NOUN.search(low, amount.end, phrase_end):
        event = "killed"  # "leaving 14 dead", "5 martyrs": the noun tells what happened
    if event is None:
        return None
    if noun == "person_group":
        if event not in PEOPLE_COUNTED_AS_SUCH:
            return None  # "two medics were killed": no casualty category of their own
        noun = "person"
    unit = "families" if noun == "family" else "people"
    if event == "deployed":
        if noun != "combatant":
            return None
        return Reading("troops_deployed", unit, noun, phrase_end, event)
    if event == "killed":
        category = {
            "civilian": "civilians_killed",
            "child": "children_killed",
            "combatant": "combatants_killed",
        }.get(noun, "people_killed")
        return Reading(category, "people", noun, phrase_end, event)
    if noun is None and event not in ("displaced", "population", "wounded"):
        return None
    return Reading(event, unit, noun, phrase_end, event)


_DEAD_NOUN = regex.compile(r"\b(?:dead|martyrs?|bodies|corpses)$")

# Kinds that "others" after them repeats; "others" after a subset of children are not children.
_SAME_AGAIN = ("civilian", "combatant")
_OTHERS = regex.compile(r"\bothers\s*$")


# events that count any people, whatever group they belong to: "500 men were detained"
PEOPLE_COUNTED_AS_SUCH = ("detained", "displaced", "surrendered")


_PART_NOUN = regex.compile(r"\s+(?:(?:were|are|was|is|being)\s+)?(?:an?\s+)?([\w'’-]+)")
_OWN_CATEGORY = {"civilian": "civilians_killed", "child": "children_killed",
                 "combatant": "combatants_killed"}  # fmt: skip


def _part_reading(text: str, amount: Amount, end: int, previous_event: str | None):
    """ "Seven of them children", "14 of the dead were opposition fighters": a part of a
    toll named by a noun with a category of its own; a part in the same category is none."""
    if previous_event != "killed":
        return None
    words = [w.lower() for w in _WORD.findall(text[end : end + 40])][:4]
    for word in words:
        cls = _lex()["nouns"].get(word)
        if cls in _OWN_CATEGORY:
            return Reading(_OWN_CATEGORY[cls], "people", cls, amount.end, "killed")
        if cls or word in _lex()["stop"] - {"were", "was", "are", "is"}:
            break
    return None


def _is_date_or_label(text: str, amount: Amount) -> bool:
    """Years, days of months, clock times and compound adjectives ("six-week-old")."""
    before = text[max(0, amount.start - 12) : amount.start].lower()
    after = text[amount.end : amount.end + 14]
    if amount.kind != "number":
        return False
    v = amount.value or 0
    if _HYPHEN_WORD.match(after) or _CLOCK.match(after) or _CLOCK_BEFORE.search(before):
        return True
    if _MONTH_BEFORE.search(before):
        return True
    if _MONTH_AFTER.match(after):
        return True
    if 1900 <= v <= 2100 and float(v).is_integer() and "," not in text[amount.start : amount.end]:
        # a year, unless it counts people: "1959 members of the Iraqi forces", "around 2000
        # had been killed" (stripped text drops the thousands comma)
        if _YEAR_BEFORE.search(before):
            return True  # "in 2011", "June 12 2016"
        return not (_COUNT_BEFORE.search(before) or _counts_people(text, amount.end))
    return bool(_LABEL_BEFORE.search(before))
