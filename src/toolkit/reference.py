"""Reference data: the gazetteer, the source registry and the actors list, with alias lookup."""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
import regex

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
_JOINER = re.compile(r"[\s\-'’.()]{1,3}")


@dataclass(frozen=True, eq=False)
class AliasIndex:
    """Finds canonical names by their aliases in text, longest alias first.

    Aliases are matched word by word through a dictionary rather than one large regular
    expression, so a report is scanned once whatever the size of the registry. Short
    all-capital aliases (IS, UN, WHO) match only in capitals: "is" is not IS.
    """

    canonical: dict[str, str]
    words: dict[tuple[str, ...], str]
    acronyms: frozenset[str]
    prefixes: frozenset[tuple[str, ...]]

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
        prefixes = frozenset(k[:n] for k in words for n in range(1, len(k) + 1))
        return cls(canonical, words, acronyms, prefixes)

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
        tokens = _tokens(text)
        firsts = self.prefixes
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            if (tokens[i][2],) not in firsts:  # most words start no alias
                i += 1
                continue
            hit = self._match_at(text, tokens, i)
            if hit is None:
                i += 1
                continue
            n, name = hit
            out.append((tokens[i][0], tokens[i + n - 1][1], name))
            i += n
        return out

    def _match_at(self, text: str, tokens, i: int) -> tuple[int, str] | None:
        # grow the run of words while it is the start of some alias and the words are joined
        # only by short joiners; then take the longest run that is a whole alias
        best = None
        key: tuple[str, ...] = ()
        j = i
        while j < len(tokens):
            if j > i and not _JOINER.fullmatch(text, tokens[j - 1][1], tokens[j][0]):
                break
            key = (*key, tokens[j][2])
            if key not in self.prefixes:
                break
            name = self.words.get(key)
            if name is not None and not self._wrong_case(text, tokens[i], key):
                best = (len(key), name)
            j += 1
        return best

    def _wrong_case(self, text: str, token, key: tuple[str, ...]) -> bool:
        return (
            len(key) == 1
            and key[0].upper() in self.acronyms
            and text[token[0] : token[1]] != key[0].upper()
        )

    def lookup(self, name: str) -> str | None:
        """Canonical name for an exact alias, or None."""
        return self.canonical.get(_norm(name))


@lru_cache(maxsize=4)
def _tokens(text: str) -> list[tuple[int, int, str]]:
    # the three indexes (places, sources, actors) read the same words of a report
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]


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
    return AliasIndex.from_frame(gazetteer())


@cache
def source_index() -> AliasIndex:
    return AliasIndex.from_frame(sources())


@cache
def actor_index() -> AliasIndex:
    return AliasIndex.from_frame(actors())


def canonical_source(name: str | None) -> str | None:
    """The registry's canonical name for an outlet or claimant, or the name itself."""
    if name is None or pd.isna(name):
        return None
    return source_index().lookup(str(name)) or str(name)
