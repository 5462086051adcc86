"""Reference data: the gazetteer, the source registry and the actors list, with alias lookup."""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
import regex

from toolkit import scan as scanner
from toolkit.alternation import alternation, lowered
from toolkit.schemas import Actors, Places, Sources


def data_dir() -> Path:
    """The project's data folder: $TOOLKIT_DATA, else `data/` beside the source tree."""
    env = os.environ.get("TOOLKIT_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


@cache
def gazetteer() -> pd.DataFrame:
    """data/gazetteer.csv validated under `Places`."""
    return Places.validate(pd.read_csv(data_dir() / "gazetteer.csv"))


@cache
def sources() -> pd.DataFrame:
    """data/sources.csv validated under `Sources`."""
    return Sources.validate(
        pd.read_csv(data_dir() / "sources.csv", keep_default_na=False, na_values=[""])
    )


@cache
def actors() -> pd.DataFrame:
    """data/actors.csv validated under `Actors`."""
    return Actors.validate(pd.read_csv(data_dir() / "actors.csv"))


_WORD = re.compile(r"\w+")
# what may stand between two words of one alias: "al-Bab", "U.N.", "Syria's", "Rights (SOHR)"
_JOINER = r"[\s\-'’.()]{1,3}"


@dataclass(frozen=True, eq=False)
class AliasIndex:
    """Finds canonical names by their aliases in text, longest alias first.

    All aliases are compiled into one prefix-tree expression run over the lower-cased
    report, so a report is scanned once whatever the size of the registry. Short
    all-capital aliases (IS, UN, WHO) match only in capitals: "is" is not IS.
    """

    canonical: dict[str, str]
    words: dict[tuple[str, ...], str]
    acronyms: frozenset[str]
    pattern: re.Pattern
    forms: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> AliasIndex:
        canonical: dict[str, str] = {}
        words: dict[tuple[str, ...], str] = {}
        acronyms = frozenset(a for a in _aliases(frame) if _is_acronym(a))
        for name, aliases in zip(frame["name"], frame["aliases"].fillna(""), strict=True):
            for alias in [name, *str(aliases).split("|")]:
                alias = alias.strip()
                if alias:
                    canonical.setdefault(_norm(alias), name)
                    key = tuple(w.lower() for w in _WORD.findall(alias))
                    if key:
                        words.setdefault(key, name)
        phrases = [" ".join(k) for k in words]
        # an optional "s": a possessive whose apostrophe was stripped ("SANAs reporter")
        pattern = re.compile(rf"(?<!\w)(?:{alternation(phrases, _JOINER)})s?(?!\w)")
        scanner.register(pattern, phrases, _JOINER, suffix="s?")
        return cls(canonical, words, acronyms, pattern)

    def find(self, text: str, pos: int = 0, endpos: int | None = None):
        """Yield (start, end, canonical name) for every alias in text[pos:endpos]."""
        hits = _hits(self, text)
        end = len(text) if endpos is None else endpos
        i = bisect.bisect_left(hits, (pos,))
        while i < len(hits) and hits[i][1] <= end:
            yield hits[i]
            i += 1

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """Every alias in text, leftmost-longest and non-overlapping."""
        out: list[tuple[int, int, str]] = []
        low = lowered(text)
        for m in scanner.finditer(scanner.hits_of(low), self.pattern, low):
            name, acronym = self._surface(m.group())
            if acronym is not None and text[m.start() : m.start() + len(acronym)] != acronym:
                continue  # "is" is not IS
            out.append((m.start(), m.end(), name))
        return out

    def _surface(self, matched: str) -> tuple[str, str | None]:
        # (canonical name, the capitals an acronym must be written in) of a matched form;
        # a corpus repeats the same few forms, so each is worked out once
        known = self.forms.get(matched)
        if known is None:
            key = tuple(_WORD.findall(matched))
            if key not in self.words:  # the possessive "s" of stripped text
                key = (*key[:-1], key[-1][:-1])
            acronym = key[0].upper() if len(key) == 1 and key[0].upper() in self.acronyms else None
            known = self.forms[matched] = (self.words[key], acronym)
        return known

    def lookup(self, name: str) -> str | None:
        """Canonical name for an exact alias, or None."""
        return self.canonical.get(_norm(name))


@lru_cache(maxsize=16)
def _hits(index: AliasIndex, text: str) -> list[tuple[int, int, str]]:
    # extraction asks for the aliases of one sentence at a time; scan each report once
    return index.scan(text)


def _aliases(frame: pd.DataFrame):
    for name, aliases in zip(frame["name"], frame["aliases"].fillna(""), strict=True):
        yield name
        yield from (a.strip() for a in str(aliases).split("|") if a.strip())


def _is_acronym(alias: str) -> bool:
    return alias.isupper() and len(alias) <= 4 and alias.isalpha()


def _norm(text: str) -> str:
    return regex.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


@cache
def place_index() -> AliasIndex:
    return AliasIndex.from_frame(_with_province_forms(gazetteer()))


# the words wire copy puts after a city's name to mean the governorate named after it
PROVINCE_WORDS = ("province", "countryside", "governorate")


def _with_province_forms(frame: pd.DataFrame) -> pd.DataFrame:
    """The gazetteer with "<any spelling of X> province / countryside / governorate" as
    aliases of "X governorate": the table lists only some spellings ("Hasakeh province"),
    copy uses them all ("Hasaka province")."""
    frame = frame.copy()
    names = set(frame["name"])
    extra: dict[str, list[str]] = {}
    columns = (frame["name"], frame["aliases"].fillna(""), frame["kind"])
    for name, aliases, kind in zip(*columns, strict=True):
        governorate = f"{name} governorate"
        if kind != "city" or governorate not in names:
            continue
        spellings = [name, *(a for a in str(aliases).split("|") if a.strip())]
        extra[governorate] = [f"{sp.strip()} {w}" for sp in spellings for w in PROVINCE_WORDS]
    frame["aliases"] = [
        "|".join(filter(None, [str(a) if isinstance(a, str) else "", *extra.get(n, [])]))
        for n, a in zip(frame["name"], frame["aliases"], strict=True)
    ]
    return frame


@cache
def source_index() -> AliasIndex:
    return AliasIndex.from_frame(sources())


@cache
def actor_index() -> AliasIndex:
    return AliasIndex.from_frame(actors())


scanner.warm_with(place_index)
scanner.warm_with(source_index)
scanner.warm_with(actor_index)


def canonical_source(name: str | None) -> str | None:
    """The registry's canonical name for an outlet or claimant, or the name itself."""
    if name is None or pd.isna(name):
        return None
    return source_index().lookup(str(name)) or str(name)
