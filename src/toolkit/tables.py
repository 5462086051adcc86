"""Read and write claims and control-events tables (CSV and Parquet) under their schemas."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from toolkit.errors import ToolkitError
from toolkit.schemas import Claims, ControlEvents

CLAIM_COLUMNS = [
    "report_id", "category", "value", "qualifier", "value_low", "value_high", "unit",
    "location", "actor", "claimant", "period_start", "period_end", "span_start", "span_end",
]  # fmt: skip
EVENT_COLUMNS = [
    "report_id", "place", "actor", "action", "stance", "claimant", "date",
    "span_start", "span_end",
]  # fmt: skip
DATE_COLUMNS = ("period_start", "period_end", "date")


class TableError(ToolkitError):
    """A claims or events table breaks the contract; the message names the file and rules."""


def empty_claims() -> pd.DataFrame:
    """A valid claims frame with no rows."""
    return coerce_claims(pd.DataFrame(columns=CLAIM_COLUMNS))


def coerce_claims(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a claims-like frame the contract's dtypes (dates as day-resolution datetimes)."""
    frame = frame.copy()
    for col in ("value", "value_low", "value_high"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[us]")
    for col in ("span_start", "span_end"):
        frame[col] = frame[col].astype("int64")
    return frame


def coerce_events(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    for col in ("span_start", "span_end"):
        frame[col] = frame[col].astype("int64")
    return frame


def _read(path: Path, columns: list[str], schema, coerce) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: cannot read as CSV: {exc}") from None
    if frame.empty and not len(frame.columns):
        raise TableError(f"{path}: empty file")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise TableError(f"{path}: missing column(s) {', '.join(missing)}")
    try:
        frame = coerce(frame)
    except (ValueError, TypeError) as exc:
        raise TableError(f"{path}: {exc}") from None
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise TableError(f"{path}: {describe_failures(exc.failure_cases)}") from None


def split_valid(frame: pd.DataFrame, schema) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows valid under schema, rejected rows with a `rule` column naming what they broke)."""
    try:
        return schema.validate(frame, lazy=True), frame.iloc[0:0].assign(rule=pd.Series(dtype=str))
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
        rules = cases.groupby("index")["check"].agg(lambda c: ", ".join(sorted(set(map(str, c)))))
        bad = frame.index.isin(rules.index)
        rejects = frame[bad].assign(rule=rules.reindex(frame.index[bad]).to_numpy())
        return schema.validate(frame[~bad]), rejects


def describe_failures(cases: pd.DataFrame, limit: int = 8) -> str:
    """One line per failing rule: column, rule, and a few offending values with their rows."""
    lines = []
    for (col, check), grp in cases.groupby(["column", "check"], dropna=False, sort=False):
        values = ", ".join(
            f"row {i}: {v!r}" for i, v in zip(grp["index"].head(3), grp["failure_case"].head(3))
        )
        lines.append(f"{'' if pd.isna(col) else col} fails {check} ({values})")
    more = f"; and {len(lines) - limit} more rules" if len(lines) > limit else ""
    return "; ".join(lines[:limit]) + more


def read_claims(path: str | Path) -> pd.DataFrame:
    """Read a claims CSV (the curated annotation or `toolkit extract` output) and validate it."""
    return _read(Path(path), CLAIM_COLUMNS, Claims, coerce_claims)


def read_events(path: str | Path) -> pd.DataFrame:
    """Read a control-events CSV and validate it."""
    return _read(Path(path), EVENT_COLUMNS, ControlEvents, coerce_events)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write CSV (ISO dates) or Parquet by suffix, atomically: a temporary file, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        if path.suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            _csv_ready(frame).to_csv(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as YYYY-MM-DD, time stamps as ISO 8601 with zone."""
    out = frame.copy()
    for col in out.columns:
        if col in DATE_COLUMNS and pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return out
