"""Read and write claims and control-events tables (CSV and Parquet) under their schemas."""

from __future__ import annotations

import copy
import csv
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pandera.pandas as pa
import regex
from pandas.api.types import is_string_dtype
from pandera.errors import SchemaErrorReason

from toolkit.errors import ToolkitError
from toolkit.schemas import ROW_WISE, Claims, ControlEvents

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
        return validate(frame, schema)
    except pa.errors.SchemaErrors as exc:
        raise TableError(f"{path}: {describe_failures(exc.failure_cases)}") from None


def validate(frame: pd.DataFrame, schema, lazy: bool = True) -> pd.DataFrame:
    """`schema.validate`, except that a frame with no rows is checked for its columns and
    types only: a rule over rows holds for no rows, and some cannot run on none (under
    pandas 3, `Claims.value_not_absurd` compares an empty str series with floats)."""
    if len(frame):
        return schema.validate(frame, lazy=lazy)
    return _without_row_rules(schema).validate(frame, lazy=lazy)


@cache
def _without_row_rules(schema) -> pa.DataFrameSchema:
    bare = copy.copy(schema.to_schema())
    bare.checks = []
    return bare


def split_valid(frame: pd.DataFrame, schema) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows valid under schema, rejected rows with a `rule` column naming what they broke).

    A column rule is named with its column ("value: greater_than_or_equal_to(0)"), a
    rule over the whole row by its message ("value beyond the plausible maximum of its
    unit"); a row breaking several rules lists them all, separated by "; ".

    When each row is judged alone, the rows that broke no rule are taken from the failed
    validation, not validated a second time (see `_failures_are_rows`).
    """
    try:
        return validate(frame, schema), frame.iloc[0:0].assign(rule=pd.Series(dtype=str))
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
        named = cases.assign(rule=[_rule_name(r) for r in cases.itertuples()])
        rules = named.groupby("index")["rule"].agg(lambda c: "; ".join(sorted(set(c))))
        bad = frame.index.isin(rules.index)
        rejects = frame[bad].assign(rule=rules.reindex(frame.index[bad]).to_numpy())
        if _failures_are_rows(exc, frame, schema):
            return _rows_left(exc.data, bad), rejects
        return validate(frame[~bad], schema), rejects


def _rows_left(validated: pd.DataFrame, bad) -> pd.DataFrame:
    """The rows of a validated (coerced) frame not in `bad`, still carrying their schema
    (`.pandera.schema`) as a frame returned by `validate` does."""
    return validated[~bad].pandera.add_schema(validated.pandera.schema)


# The failures that belong to single rows: a broken check, a null where none may be.
_ROW_FAILURES = frozenset(
    {SchemaErrorReason.DATAFRAME_CHECK, SchemaErrorReason.SERIES_CONTAINS_NULLS}
)


def _failures_are_rows(exc: pa.errors.SchemaErrors, frame: pd.DataFrame, schema) -> bool:
    """Whether the rows that broke no rule are already validated by the failed validation:
    true when every rule judges a row alone (`schemas.ROW_WISE`), every failure names a row
    of frame, and coercion works value by value. The coerced frame (`exc.data`) less the
    failing rows is then what validating the rest again would give."""
    index = exc.failure_cases["index"]
    return (
        schema in ROW_WISE
        and _no_rule_across_rows(schema)
        and all(e.reason_code in _ROW_FAILURES for e in exc.schema_errors)
        and len(index) > 0
        and index.notna().all()
        and pd.Index(index).isin(frame.index).all()
        and _coerced_value_by_value(frame, schema)
    )


@cache
def _no_rule_across_rows(schema) -> bool:
    """Whether a schema of `ROW_WISE` is still without a rule over several rows
    (uniqueness, grouping, parsing) and without a cap on the failures it reports."""
    full = schema.to_schema()
    columns = full.columns.values()
    checks = [*full.checks, *(check for col in columns for check in col.checks)]
    return (
        not full.unique
        and not full.parsers
        and not any(col.unique or col.parsers for col in columns)
        and all(c.groupby is None and c.n_failure_cases is None for c in checks)
    )


def _coerced_value_by_value(frame: pd.DataFrame, schema) -> bool:
    """Whether coercing a subset of frame gives that subset of the coerced frame: `astype`
    works value by value, but text parsed as dates takes the format guessed from the
    first date, so text is allowed only where the column is text."""
    columns = schema.to_schema().columns
    return all(
        col.dtype is None or is_string_dtype(col.dtype.type) or not _textual(frame[name])
        for name, col in columns.items()
        if name in frame.columns
    )


def _textual(values: pd.Series) -> bool:
    """Whether a column holds text (or anything: object), which coercion may parse."""
    return values.dtype == object or is_string_dtype(values.dtype)


def _rule_name(case) -> str:
    """A failure case's rule: "column: check" for a column rule, the check for a row rule."""
    if case.schema_context == "Column" and isinstance(case.column, str):
        return f"{case.column}: {case.check}"
    return str(case.check)


def _columns_named(check: str, columns) -> list[str]:
    """The columns a row rule is about: those its message names ("bounds" means the bounds)."""
    named = [c for c in columns if regex.search(rf"(?<![\w]){regex.escape(c)}(?![\w])", check)]
    if "bounds" in check:
        named += [c for c in ("value", "value_low", "value_high") if c not in named]
    return [c for c in columns if c in named] or list(columns)[:3]


def describe_failures(cases: pd.DataFrame, limit: int = 8, per_rule: int = 3) -> str:
    """One clause per failing rule: its column or columns, the rule, and the offending
    values with their rows ("value fails greater_than_or_equal_to(0) (row 0: -5.0)")."""
    lines = []
    column_cases = cases[cases["schema_context"] != "DataFrameSchema"]
    frame_cases = cases[cases["schema_context"] == "DataFrameSchema"]
    for (col, check), grp in column_cases.groupby(["column", "check"], dropna=False, sort=False):
        grp = grp.drop_duplicates(["index", "failure_case"])
        shown = ", ".join(
            f"row {_row(i)}: {v!r}"
            for i, v in zip(
                grp["index"].head(per_rule), grp["failure_case"].head(per_rule), strict=True
            )
        )
        more = f", and {len(grp) - per_rule} more" if len(grp) > per_rule else ""
        name = "" if pd.isna(col) else f"{col} "
        lines.append(f"{name}fails {check} ({shown}{more})" if shown else f"{name}fails {check}")
    for check, grp in frame_cases.groupby("check", sort=False):
        wanted = _columns_named(str(check), grp["column"].dropna().unique())
        rows = list(dict.fromkeys(grp["index"].dropna()))
        shown = []
        for i in rows[:per_rule]:
            values = grp[(grp["index"] == i) & grp["column"].isin(wanted)]
            pairs = zip(values["column"], values["failure_case"], strict=True)
            shown.append(f"row {_row(i)}: " + ", ".join(f"{c}={v!r}" for c, v in pairs))
        more = f"; and {len(rows) - per_rule} more rows" if len(rows) > per_rule else ""
        lines.append(f"rule '{check}' fails ({'; '.join(shown)}{more})")
    more = f"; and {len(lines) - limit} more rules" if len(lines) > limit else ""
    return "; ".join(lines[:limit]) + more


def _row(index: object) -> object:
    return int(index) if isinstance(index, float) and index.is_integer() else index


def read_claims(path: str | Path) -> pd.DataFrame:
    """Read a claims CSV (the curated annotation or `toolkit extract` output) and validate it."""
    return _read(Path(path), CLAIM_COLUMNS, Claims, coerce_claims)


def read_events(path: str | Path) -> pd.DataFrame:
    """Read a control-events CSV and validate it."""
    return _read(Path(path), EVENT_COLUMNS, ControlEvents, coerce_events)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write CSV (UTF-8, ISO dates) or Parquet by suffix, atomically (see `atomic_write`).

    Raises TableError when the file cannot be written.
    """
    path = Path(path)
    with atomic_write(path) as handle:
        if path.suffix == ".parquet":
            frame.to_parquet(handle, index=False)
        else:
            ready = _csv_ready(frame)
            # A lone CR inside a field is not quoted by the csv writer (its line end is
            # LF) and would split the row on reading: such a table quotes every field.
            quoting = csv.QUOTE_ALL if _holds_cr(ready) else csv.QUOTE_MINIMAL
            ready.to_csv(handle, index=False, encoding="utf-8", quoting=quoting)
    return path


def _holds_cr(frame: pd.DataFrame) -> bool:
    for col in frame.columns:
        values = frame[col]
        textual = not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values))
        if textual and values.map(lambda v: isinstance(v, str) and "\r" in v).any():
            return True
    return any(isinstance(c, str) and "\r" in c for c in frame.columns)


@contextmanager
def atomic_write(path: str | Path) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces `path` only when the block ends without error.

    The bytes go to a temporary file in the same folder, are flushed to disk, then the
    file is renamed over `path` (`os.replace`, atomic on POSIX and Windows): a reader sees
    the old file or the whole new one, never a half-written one, and a failed write
    leaves the old file in place and no temporary file behind. The new file gets the
    usual permissions (0666 less umask). An OSError becomes a TableError naming the file.
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise TableError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as YYYY-MM-DD, time stamps as ISO 8601 in UTC ("2016-12-01T21:00:00Z")."""
    out = frame.copy()
    for col in out.columns:
        if col in DATE_COLUMNS and pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif isinstance(out[col].dtype, pd.DatetimeTZDtype):
            utc = out[col].dt.tz_convert("UTC")
            # seconds unless some time stamp has a fraction, which must not be lost
            fraction = ".%f" if (utc.dt.microsecond.fillna(0) != 0).any() else ""
            out[col] = utc.dt.strftime(f"%Y-%m-%dT%H:%M:%S{fraction}Z")
    return out
