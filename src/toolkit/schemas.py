"""Pandera schemas for every table the toolkit reads or writes.

`Claims` and `ControlEvents` enforce the claims contract; `Reports`, `Places`,
`Sources` and `Actors` guard the corpus and the reference data.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from toolkit import vocab

SAFE_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"


class Reports(pa.DataFrameModel):
    """One row per report file, body included."""

    report_id: Series[str] = pa.Field(unique=True, str_matches=SAFE_ID)
    title: Series[str] = pa.Field(nullable=True)
    outlet: Series[str] = pa.Field(nullable=True)
    via: Series[str] = pa.Field(nullable=True)
    published: Series[pd.DatetimeTZDtype] = pa.Field(
        nullable=True, dtype_kwargs={"unit": "us", "tz": "UTC"}
    )
    url: Series[str] = pa.Field(nullable=True, str_matches=r"^https?://\S+$")
    language: Series[str] = pa.Field(str_matches=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
    body: Series[str] = pa.Field(str_length={"min_value": 1})
    n_chars: Series[int] = pa.Field(ge=1)
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    path: Series[str]

    @pa.dataframe_check(error="n_chars must equal the length of body")
    def n_chars_matches_body(cls, df: pd.DataFrame) -> Series[bool]:
        return df["n_chars"] == df["body"].str.len()

    class Config:
        strict = False
        coerce = True


class Evidenced(pa.DataFrameModel):
    """A table whose rows point at their evidence: the span of report text they come from."""

    span_start: Series[int] = pa.Field(ge=0)
    span_end: Series[int] = pa.Field(ge=1)

    @pa.dataframe_check(error="span_start must be before span_end")
    def span_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return df["span_start"] < df["span_end"]

    class Config:
        strict = False
        coerce = True


class FigureRules(pa.DataFrameModel):
    """The contract's rules for a table of figures (claims, published reference figures):
    unit fits category, value plausible, bounds follow the qualifier, period in order."""

    @pa.dataframe_check(error="unit must be the unit of the category")
    def unit_of_category(cls, df: pd.DataFrame) -> Series[bool]:
        return units_match(df)

    @pa.dataframe_check(error="value beyond the plausible maximum of its unit")
    def value_not_absurd(cls, df: pd.DataFrame) -> Series[bool]:
        return values_plausible(df)

    @pa.dataframe_check(error="bounds must follow the qualifier (see the contract)")
    def bounds_follow_qualifier(cls, df: pd.DataFrame) -> Series[bool]:
        return bounds_consistent(df)

    @pa.dataframe_check(error="period_start must not be after period_end")
    def period_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        return periods_ordered(df)


class Claims(FigureRules, Evidenced):
    """The claims table of the contract: one row per numeric statement."""

    report_id: Series[str]
    category: Series[str] = pa.Field(isin=vocab.CATEGORIES)
    value: Series[float] = pa.Field(nullable=True, ge=0)
    qualifier: Series[str] = pa.Field(isin=vocab.QUALIFIERS)
    value_low: Series[float] = pa.Field(nullable=True, ge=0)
    value_high: Series[float] = pa.Field(nullable=True, ge=0)
    unit: Series[str] = pa.Field(isin=vocab.UNITS)
    location: Series[str] = pa.Field(nullable=True)
    actor: Series[str] = pa.Field(nullable=True)
    claimant: Series[str] = pa.Field(str_length={"min_value": 1})
    period_start: Series[pa.DateTime] = pa.Field(nullable=True)
    period_end: Series[pa.DateTime] = pa.Field(nullable=True)


class ControlEvents(Evidenced):
    """The control-events table of the contract: a place changed hands or is held."""

    report_id: Series[str]
    place: Series[str] = pa.Field(str_length={"min_value": 1})
    actor: Series[str] = pa.Field(nullable=True)
    action: Series[str] = pa.Field(isin=vocab.ACTIONS)
    stance: Series[str] = pa.Field(isin=vocab.STANCES)
    claimant: Series[str] = pa.Field(str_length={"min_value": 1})
    date: Series[pa.DateTime] = pa.Field(nullable=True)


class Places(pa.DataFrameModel):
    """The gazetteer: canonical place names, aliases and honest coordinates."""

    name: Series[str] = pa.Field(unique=True)
    aliases: Series[str] = pa.Field(nullable=True)
    kind: Series[str] = pa.Field(isin=vocab.PLACE_KINDS)
    parent: Series[str] = pa.Field(nullable=True)
    latitude: Series[float] = pa.Field(nullable=True, ge=-90, le=90)
    longitude: Series[float] = pa.Field(nullable=True, ge=-180, le=180)
    coord_source: Series[str] = pa.Field(nullable=True)
    coord_precision_km: Series[float] = pa.Field(nullable=True, ge=0)

    @pa.dataframe_check(error="every parent must itself be a place in the gazetteer")
    def parent_known(cls, df: pd.DataFrame) -> Series[bool]:
        return df["parent"].isna() | df["parent"].isin(df["name"])

    @pa.dataframe_check(error="a coordinate needs its source and precision")
    def coordinates_sourced(cls, df: pd.DataFrame) -> Series[bool]:
        has = df["latitude"].notna()
        return ~has | (df["coord_source"].notna() & df["coord_precision_km"].notna())

    class Config:
        strict = False
        coerce = True


class Sources(pa.DataFrameModel):
    """The source registry: claimants and outlets with their kind and alignment."""

    name: Series[str] = pa.Field(unique=True)
    aliases: Series[str] = pa.Field(nullable=True)
    kind: Series[str] = pa.Field(isin=vocab.SOURCE_KINDS)
    alignment: Series[str] = pa.Field(isin=vocab.ALIGNMENTS)
    fakes_code: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(error="an outlet code may name only one source")
    def fakes_code_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["fakes_code"].duplicated(keep=False) | df["fakes_code"].isna()

    class Config:
        strict = False
        coerce = True


class Actors(pa.DataFrameModel):
    """Armed forces and groups that act in the reports."""

    name: Series[str] = pa.Field(unique=True)
    aliases: Series[str] = pa.Field(nullable=True)
    side: Series[str] = pa.Field(isin=vocab.ACTOR_SIDES)

    class Config:
        strict = False
        coerce = True


def units_match(df: pd.DataFrame) -> pd.Series:
    """True where `unit` is a unit of the row's `category` (claims and reference figures)."""
    pairs = zip(df["category"], df["unit"], strict=True)
    return pd.Series([u in vocab.CATEGORY_UNITS.get(c, ()) for c, u in pairs], index=df.index)


def values_plausible(df: pd.DataFrame) -> pd.Series:
    """True where value and bounds are missing or within the absurdity limit of their unit."""
    limit = df["unit"].map(vocab.UNIT_MAXIMUM).astype("float64")
    ok = pd.Series(True, index=df.index)
    for col in ("value", "value_low", "value_high"):
        ok &= df[col].isna() | (df[col] <= limit)
    return ok


def periods_ordered(df: pd.DataFrame) -> pd.Series:
    """True where period_start is missing or not after a known period_end."""
    start, end = df["period_start"], df["period_end"]
    return start.isna() | (end.notna() & (start <= end))


def bounds_consistent(df: pd.DataFrame) -> pd.Series:
    """True where value_low / value_high follow the qualifier as the contract says."""
    q, v, lo, hi = df["qualifier"], df["value"], df["value_low"], df["value_high"]
    point = q.isin(vocab.POINT_QUALIFIERS) & v.notna() & (lo == v) & (hi == v)
    lower = q.isin(vocab.LOWER_QUALIFIERS) & v.notna() & (lo == v) & hi.isna()
    upper = q.isin(vocab.UPPER_QUALIFIERS) & v.notna() & lo.isna() & (hi == v)
    vague = (q == "vague") & v.isna() & lo.notna() & hi.notna() & (lo <= hi)
    ranged = (q == "range") & v.isna() & lo.notna() & hi.notna() & (lo < hi)
    return point | lower | upper | vague | ranged
