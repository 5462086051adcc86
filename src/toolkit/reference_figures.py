"""Published reference figures (UN OCHA, UNHCR, ICRC, IOM, SOHR, Russian MoD ...).

`data/reference/figures.csv` holds one row per numeric figure of the compilation
`reference_figures.md`, in the terms of the claims contract (category, qualifier,
bounds, unit, period), so that claims read from news reports can be set against them.
The figures are claims by their sources, not ground truth.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from toolkit import vocab
from toolkit.reference import data_dir
from toolkit.schemas import FigureRules

SECTIONS = ("A", "B", "C", "D", "E", "F")
FLOW_OR_STOCK = ("flow", "stock")
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
DATE_COLUMNS = ("period_start", "period_end", "published")
NUMERIC_COLUMNS = ("value", "value_low", "value_high")
COLUMNS = [
    "figure_id", "section", "place", "category", "measure", "flow_or_stock", "value",
    "qualifier", "value_low", "value_high", "unit", "claimant", "via", "period_start",
    "period_end", "published", "citation", "url", "note",
]  # fmt: skip


class ReferenceFigures(FigureRules):
    """One published figure per row, with its claimant, period and citation."""

    figure_id: Series[str] = pa.Field(unique=True, str_matches=SLUG)
    section: Series[str] = pa.Field(isin=SECTIONS)
    place: Series[str] = pa.Field(str_length={"min_value": 1})
    category: Series[str] = pa.Field(isin=vocab.CATEGORIES)
    measure: Series[str] = pa.Field(str_length={"min_value": 1})
    flow_or_stock: Series[str] = pa.Field(isin=FLOW_OR_STOCK)
    value: Series[float] = pa.Field(nullable=True, ge=0)
    qualifier: Series[str] = pa.Field(isin=vocab.QUALIFIERS)
    value_low: Series[float] = pa.Field(nullable=True, ge=0)
    value_high: Series[float] = pa.Field(nullable=True, ge=0)
    unit: Series[str] = pa.Field(isin=vocab.UNITS)
    claimant: Series[str] = pa.Field(str_length={"min_value": 1})
    via: Series[str] = pa.Field(nullable=True)
    period_start: Series[pa.DateTime] = pa.Field(nullable=True)
    period_end: Series[pa.DateTime] = pa.Field(nullable=True)
    published: Series[pa.DateTime] = pa.Field(nullable=True)
    citation: Series[str] = pa.Field(str_length={"min_value": 1})
    url: Series[str] = pa.Field(nullable=True, str_matches=r"^https?://\S+$")
    note: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(error="a stock is as of one day: period_start equals period_end")
    def stock_is_one_day(cls, df: pd.DataFrame) -> Series[bool]:
        start, end = df["period_start"], df["period_end"]
        same = (start.isna() & end.isna()) | (start == end)
        return (df["flow_or_stock"] != "stock") | same

    class Config:
        strict = True
        coerce = True


def coerce_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a figures-like frame its dtypes: floats for values, day-resolution datetimes."""
    frame = frame.copy()
    for col in NUMERIC_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in DATE_COLUMNS:
        frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d").astype("datetime64[us]")
    return frame


def read_reference_figures(path: str | Path | None = None) -> pd.DataFrame:
    """Read `data/reference/figures.csv` (or `path`), parse its dates and validate it.

    Raises `pandera.errors.SchemaErrors` listing every broken rule when the file is invalid.
    """
    if path is None:
        path = data_dir() / "reference" / "figures.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return ReferenceFigures.validate(coerce_figures(frame), lazy=True)
