"""Pandera schemas for every table the toolkit reads or writes.

`Claims` and `ControlEvents` enforce the claims contract; `Reports`, `Places`,
`Sources` and `Actors` guard the corpus and the reference data.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.dtypes import DataType
from pandera.engines import pandas_engine
from pandera.typing import Series

from toolkit import vocab

SAFE_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"


class Text(type(pandas_engine.Engine.dtype(str))):  # pandas' string dtype (object before 3)
    """The dtype pandera gives `str`, except that a column whose every value passes the
    dtype check passes it as one: pandera otherwise builds and prints an empty table of
    failures for each text column, a third of the cost of validating the events table."""

    def check(
        self, pandera_dtype: DataType, data_container: pd.Series | None = None
    ) -> bool | Iterable[bool]:
        """True, or what pandera's check says when some value fails."""
        passed = super().check(pandera_dtype, data_container)
        return True if not isinstance(passed, bool) and np.all(passed) else passed


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

    report_id: Series[Text]
    category: Series[Text] = pa.Field(isin=vocab.CATEGORIES)
    value: Series[float] = pa.Field(nullable=True, ge=0)
    qualifier: Series[Text] = pa.Field(isin=vocab.QUALIFIERS)
    value_low: Series[float] = pa.Field(nullable=True, ge=0)
    value_high: Series[float] = pa.Field(nullable=True, ge=0)
    unit: Series[Text] = pa.Field(isin=vocab.UNITS)
    location: Series[Text] = pa.Field(nullable=True)
    actor: Series[Text] = pa.Field(nullable=True)
    claimant: Series[Text] = pa.Field(str_length={"min_value": 1})
    period_start: Series[pa.DateTime] = pa.Field(nullable=True)
    period_end: Series[pa.DateTime] = pa.Field(nullable=True)


class ControlEvents(Evidenced):
    """The control-events table of the contract: a place changed hands or is held."""

    report_id: Series[Text]
    place: Series[Text] = pa.Field(str_length={"min_value": 1})
    actor: Series[Text] = pa.Field(nullable=True)
    action: Series[Text] = pa.Field(isin=vocab.ACTIONS)
    stance: Series[Text] = pa.Field(isin=vocab.STANCES)
    claimant: Series[Text] = pa.Field(str_length={"min_value": 1})
    date: Series[pa.DateTime] = pa.Field(nullable=True)


# Schemas each of whose rules judges a row by that row alone: whether a row is valid does
# not depend on the other rows, so `tables.split_valid` validates a table once, not twice.
ROW_WISE = (Claims, ControlEvents)


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
    """True where `unit` is a unit of the row's `category` (claims and reference figures).

    Decided once per distinct (category, unit) pair, not per row: a Python test per row
    cost more than all the other claims rules together.
    """
    cats, cat_values = pd.factorize(df["category"])
    units, unit_values = pd.factorize(df["unit"])
    # one extra, false, row and column: a missing category or unit (code -1) lands there
    fits = np.zeros((len(cat_values) + 1, len(unit_values) + 1), dtype=bool)
    for i, c in enumerate(cat_values):
        allowed = vocab.CATEGORY_UNITS.get(c, ())
        fits[i, :-1] = [u in allowed for u in unit_values]
    return pd.Series(fits[cats, units], index=df.index)


def values_plausible(df: pd.DataFrame) -> pd.Series:
    """True where value and bounds are missing or within the absurdity limit of their unit."""
    limit = _per_distinct(df["unit"], vocab.UNIT_MAXIMUM)
    ok = np.ones(len(df), dtype=bool)
    for col in ("value", "value_low", "value_high"):
        values = _floats(df[col])
        ok = ok & (pd.isna(values) | (values <= limit))
    return _series(ok, df.index)


def _per_distinct(keys: pd.Series, table: dict) -> np.ndarray:
    """`table[key]` for each row's key as floats, NaN where missing; looked up once per
    distinct key (`Series.map` over pyarrow strings cost as much as the whole rule)."""
    codes, distinct = pd.factorize(keys)
    # a trailing NaN for the missing keys (code -1)
    return np.array([*(table.get(k, np.nan) for k in distinct), np.nan], dtype="float64")[codes]


def periods_ordered(df: pd.DataFrame) -> pd.Series:
    """True where period_start is missing or not after a known period_end."""
    start, end = df["period_start"], df["period_end"]
    return start.isna() | (end.notna() & (start <= end))


def bounds_consistent(df: pd.DataFrame) -> pd.Series:
    """True where value_low / value_high follow the qualifier as the contract says."""
    v, lo, hi = (_floats(df[c]) for c in ("value", "value_low", "value_high"))
    has_v, has_lo, has_hi = pd.notna(v), pd.notna(lo), pd.notna(hi)
    codes, qualifiers = pd.factorize(df["qualifier"])

    def qualifier_in(allowed: tuple[str, ...]) -> np.ndarray:
        return np.array([*(q in allowed for q in qualifiers), False])[codes]

    point = qualifier_in(vocab.POINT_QUALIFIERS) & has_v & (lo == v) & (hi == v)
    lower = qualifier_in(vocab.LOWER_QUALIFIERS) & has_v & (lo == v) & ~has_hi
    upper = qualifier_in(vocab.UPPER_QUALIFIERS) & has_v & ~has_lo & (hi == v)
    vague = qualifier_in(("vague",)) & ~has_v & has_lo & has_hi & (lo <= hi)
    ranged = qualifier_in(("range",)) & ~has_v & has_lo & has_hi & (lo < hi)
    return _series(point | lower | upper | vague | ranged, df.index)


def _floats(values: pd.Series) -> np.ndarray | pd.Series:
    """A float64 column as its array, on which comparisons and NaN mean what they mean in
    pandas at a fraction of the cost; any other column as it is, with pandas' meaning."""
    return values.to_numpy() if values.dtype == "float64" else values


def _series(result: np.ndarray | pd.Series, index: pd.Index) -> pd.Series:
    """A rule's outcome as a Series on the frame's index (pandera matches rows by it)."""
    return result if isinstance(result, pd.Series) else pd.Series(result, index=index)
