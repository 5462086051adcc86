"""Reference data: the gazetteer, the source registry and the actors list, with alias lookup."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
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
    return Sources.validate(pd.read_csv(data_dir() / "sources.csv", keep_default_na=False,
                                        na_values=[""]))


@cache
def actors() -> pd.DataFrame:
    """data/actors.csv validated under `Actors`."""
    return Actors.validate(pd.read_csv(data_dir() / "actors.csv"))


@dataclass(frozen=True)
class AliasIndex:
    """Finds canonical names by their aliases in text, longest alias first."""

    pattern: regex.Pattern
    canonical: dict[str, str]
    acronyms: regex.Pattern | None = None

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> AliasIndex:
        canonical: dict[str, str] = {}
        for name, aliases in zip(frame["name"], frame["aliases"].fillna("")):
            for alias in [name, *str(aliases).split("|")]:
                alias = alias.strip()
                if alias:
                    canonical.setdefault(_norm(alias), name)
        # short all-capital aliases (IS, UN, WHO) match only in capitals: "is" is not IS
        acronyms = sorted({a for a in _aliases(frame) if _is_acronym(a)}, key=len, reverse=True)
        alts = sorted(canonical, key=len, reverse=True)
        alts = [a for a in alts if a.upper() not in acronyms]
        body = "|".join(regex.escape(a).replace(r"\ ", r"\s+") for a in alts)
        pattern = regex.compile(rf"(?<!\w)(?:{body})(?!\w)", regex.I)
        acro = None
        if acronyms:
            acro = regex.compile(rf"(?<!\w)(?:{'|'.join(map(regex.escape, acronyms))})(?!\w)")
        return cls(pattern, canonical, acro)

    def find(self, text: str, pos: int = 0, endpos: int | None = None):
        """Yield (start, end, canonical name) for every alias in text[pos:endpos]."""
        end = len(text) if endpos is None else endpos
        hits = [(m.start(), m.end()) for m in self.pattern.finditer(text, pos, end)]
        if self.acronyms is not None:
            for m in self.acronyms.finditer(text, pos, end):
                if all(m.end() <= s or m.start() >= e for s, e in hits):
                    hits.append((m.start(), m.end()))
        for s, e in sorted(hits):
            yield s, e, self.canonical[_norm(text[s:e])]

    def lookup(self, name: str) -> str | None:
        """Canonical name for an exact alias, or None."""
        return self.canonical.get(_norm(name))


def _aliases(frame: pd.DataFrame):
    for name, aliases in zip(frame["name"], frame["aliases"].fillna("")):
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
