"""HXL-tagged CSV: export claims and control events, read them back, read others' HXL files.

The hashtags come from the lexicon `hxl` (src/toolkit/lexicons/hxl.yml); the mapping is
documented in docs/interchange.md. Readers here return `(frame, rejects)` with
errors="collect" and raise `InterchangeError` on the first bad row with errors="raise",
as `toolkit.reports.read_reports` does for files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
import regex

from toolkit import lexicons, vocab
from toolkit.errors import ToolkitError
from toolkit.schemas import Claims, ControlEvents
from toolkit.tables import (
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    atomic_write,
    coerce_claims,
    coerce_events,
    describe_failures,
    split_valid,
    validate,
)

Errors = Literal["raise", "collect"]
# Where the evidence of an external claim would be: it has no report body, so the span is
# the smallest the schema allows (span_start < span_end); `source_line` points at the row.
EXTERNAL_SPAN = (0, 1)
# the line of the file where a row starts (1 = the header), kept beside the row's fields
LINE = "_line"
REJECT_COLUMNS = ["source_line", "reason"]
_HASHTAG = regex.compile(r"^\s*#([A-Za-z][A-Za-z0-9_]*)((?:\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*)\s*$")
VALUE_COLUMNS = ("value", "value_low", "value_high")


class InterchangeError(ToolkitError):
    """A file cannot be imported or exported; the message names the file and the problem."""


# --- hashtags -------------------------------------------------------------------------------

Tag = tuple[str, frozenset[str]]


def parse_hashtag(text: object) -> Tag | None:
    """('#tag', {attributes}) of an HXL hashtag, case and attribute order ignored; else None."""
    if not isinstance(text, str):
        return None
    m = _HASHTAG.match(text)
    if not m:
        return None
    attrs = frozenset(a.strip().lower() for a in m.group(2).split("+")[1:])
    return "#" + m.group(1).lower(), attrs


def is_hashtag_row(cells: Iterable[object]) -> bool:
    """True when every non-empty cell is an HXL hashtag, and there is at least one."""
    filled = [c for c in cells if isinstance(c, str) and c.strip()]
    return bool(filled) and all(parse_hashtag(c) for c in filled)


@cache
def _lexicon() -> dict:
    return lexicons.load("hxl")


@cache
def value_tags() -> dict[tuple[str, str], str]:
    """{(category, unit): hashtag of its value column}, from the lexicon."""
    return {
        (category, unit): tag
        for category, units in _lexicon()["values"].items()
        for unit, tag in units.items()
    }


def _value_header(category: str, unit: str) -> str:
    """Header of a category's value column: the category, plus the unit when not the first."""
    return category if vocab.CATEGORY_UNITS[category][0] == unit else f"{category}_{unit}"


# --- reading CSV with or without a hashtag row ----------------------------------------------


@dataclass
class Table:
    """A CSV file read as text: rows (header names as columns), hashtags, and line numbers."""

    path: Path
    frame: pd.DataFrame  # every cell a str, empty cells NA; column `_line` added (see LINE)
    tags: dict[str, Tag | None]  # column -> parsed hashtag (None when untagged)
    malformed: pd.DataFrame  # rows with the wrong number of fields: source_line, reason

    @property
    def has_hashtags(self) -> bool:
        return any(t is not None for t in self.tags.values())

    def column_for(self, tag: str) -> str | None:
        """The first column whose hashtag is exactly `tag` (same core tag and attributes)."""
        want = parse_hashtag(tag)
        return next((c for c, t in self.tags.items() if t == want), None)


def _read_text(path: Path) -> str:
    """The file's text; a .zip holding one CSV (or one named ged*.csv) is opened inside."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if n.lower().endswith(".csv")]
                if len(names) > 1:
                    names = [n for n in names if Path(n).name.lower().startswith("ged")] or names
                if len(names) != 1:
                    raise InterchangeError(
                        f"{path}: expected one CSV file in the archive, found {len(names)}"
                    )
                raw = z.read(names[0])
        else:
            raw = path.read_bytes()
    except (OSError, zipfile.BadZipFile) as exc:
        raise InterchangeError(f"{path}: cannot read: {exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InterchangeError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None


def read_table(path: str | Path) -> Table:
    """Read a CSV file (or a .zip holding one) as text, finding an HXL hashtag row if any.

    The hashtag row is either the row under the header (HDX's layout) or the first row (no
    text header: the hashtags then name the columns). A row with the wrong number of fields
    is kept aside in `malformed`, never dropped silently.
    """
    path = Path(path)
    text = _read_text(path)
    rows, lines, line = [], [], 1
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InterchangeError(
            f"{path}: cannot read as CSV (line {reader.line_num}): {exc}"
        ) from None
    if not rows:
        raise InterchangeError(f"{path}: empty file")
    header = [h.strip() for h in rows[0]]
    body, body_lines = rows[1:], lines[1:]
    if is_hashtag_row(header):
        raw_tags = header
    elif body and is_hashtag_row(body[0]):
        raw_tags, body, body_lines = body[0], body[1:], body_lines[1:]
    else:
        raw_tags = [""] * len(header)
    width = len(header)
    good = [(r, n) for r, n in zip(body, body_lines, strict=True) if len(r) == width]
    bad = [(r, n) for r, n in zip(body, body_lines, strict=True) if len(r) != width]
    names = _unique(header)
    frame = pd.DataFrame([r for r, _ in good], columns=names, dtype=object)
    frame = frame.map(lambda v: v if v.strip() else None).astype(object)
    frame = frame.where(frame.notna(), None)
    frame[LINE] = pd.Series([n for _, n in good], dtype="int64")
    malformed = pd.DataFrame(
        {
            "source_line": pd.Series([n for _, n in bad], dtype="int64"),
            "reason": [f"{len(r)} fields where the header has {width}" for r, _ in bad],
        }
    )
    tags = {n: parse_hashtag(t) for n, t in zip(names, list(raw_tags) + [""] * width, strict=False)}
    return Table(path, frame, tags, malformed)


def _unique(header: list[str]) -> list[str]:
    """Header names made unique and non-empty (`column_3`, `name.1`), as a frame needs."""
    seen: dict[str, int] = {LINE: 0}
    out = []
    for i, h in enumerate(header, start=1):
        name = h or f"column_{i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


# --- rows that cannot be converted ----------------------------------------------------------


class Rejects:
    """Reasons why rows (by frame index) cannot be converted, gathered rule by rule."""

    def __init__(self) -> None:
        self.reasons: dict[object, list[str]] = {}

    def add(self, mask: pd.Series, reason: str | Callable[[object], str]) -> None:
        """Record `reason` (a text, or a function of the row index) for every row in `mask`."""
        for idx in mask[mask].index:
            text = reason(idx) if callable(reason) else reason
            self.reasons.setdefault(idx, []).append(text)

    def bad(self, index: pd.Index) -> np.ndarray:
        return index.isin(list(self.reasons))

    def frame(self, raw: pd.DataFrame) -> pd.DataFrame:
        """`source_line`, `reason` (every reason, "; "-separated), then the row's fields (one
        named like those two gets ".file" appended)."""
        bad = raw[self.bad(raw.index)]
        head = pd.DataFrame(
            {
                "source_line": bad[LINE],
                "reason": pd.Series(
                    ["; ".join(dict.fromkeys(self.reasons[i])) for i in bad.index],
                    index=bad.index,
                    dtype=object,
                ),
            }
        )
        fields = bad.drop(columns=LINE)
        fields.columns = [f"{c}.file" if c in REJECT_COLUMNS else c for c in fields.columns]
        return pd.concat([head, fields], axis=1)


def parse_numbers(raw: pd.Series, name: str, rejects: Rejects, required: bool = True) -> pd.Series:
    """Numbers of a text column; a bad ("1,959" too), negative or missing one is a reject."""
    text = raw.astype(object).where(raw.notna(), None)
    cleaned = text.map(lambda v: v.strip() if isinstance(v, str) else v)
    numbers = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    given = text.notna()
    rejects.add(given & numbers.isna(), lambda i: f"{name} {text[i]!r} is not a number")
    rejects.add(numbers < 0, lambda i: f"{name} {text[i]!r} is negative")
    if required:
        rejects.add(~given, f"{name} missing")
    return numbers


def parse_dates(raw: pd.Series, name: str, rejects: Rejects, required: bool = True) -> pd.Series:
    """Days of an ISO 8601 text column ("2017-03-30" or "2017-03-30T00:00:00")."""
    given = raw.notna()
    days = pd.to_datetime(raw.where(given, None), errors="coerce", format="ISO8601")
    if getattr(days.dt, "tz", None) is not None:
        days = days.dt.tz_localize(None)
    days = days.dt.floor("D").astype("datetime64[us]")
    rejects.add(given & days.isna(), lambda i: f"{name} {raw[i]!r} is not an ISO date")
    if required:
        rejects.add(~given, f"{name} missing")
    return days


def finish(
    claims: pd.DataFrame,
    raw: pd.DataFrame,
    rejects: Rejects,
    table: Table,
    errors: Errors,
    schema=Claims,
    coerce: Callable[[pd.DataFrame], pd.DataFrame] = coerce_claims,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Validate converted rows, move every row with a failing claim to the rejects, and
    return (claims, rejects) or, with errors="raise", the claims or an InterchangeError.

    `claims` holds the converted rows of `raw` (its column `_row` gives each claim's raw
    row index; a raw row may give several claims). A raw row is imported whole or rejected
    whole, so rows in the file = rows imported + rows rejected.
    """
    if errors not in ("raise", "collect"):
        raise ValueError("errors must be 'raise' or 'collect'")
    claims = claims[~claims["_row"].isin(list(rejects.reasons))]
    claims = coerce(claims.reset_index(drop=True))
    valid, invalid = split_valid(claims, schema)
    for row, rule in zip(invalid["_row"], invalid["rule"], strict=True):
        rejects.reasons.setdefault(row, []).append(f"breaks the schema: {rule}")
    valid = valid[~valid["_row"].isin(list(rejects.reasons))]
    valid = valid.drop(columns="_row").reset_index(drop=True)
    text = [c for c in valid.columns if valid[c].dtype == object]
    valid[text] = valid[text].astype("str")
    rejected = pd.concat(
        [rejects.frame(raw), table.malformed.astype({"reason": object})], ignore_index=True
    ).sort_values("source_line", kind="stable", ignore_index=True)
    if errors == "raise" and len(rejected):
        first = rejected.iloc[0]
        more = f" (and {len(rejected) - 1} more rows)" if len(rejected) > 1 else ""
        raise InterchangeError(
            f"{table.path}: line {first['source_line']}: {first['reason']}{more}; "
            'read with errors="collect" to get the rows that can be imported'
        )
    return valid if errors == "raise" else (valid, rejected)


# --- export ---------------------------------------------------------------------------------


def _cell(value: object) -> str | None:
    """One cell as HXL text: ISO dates, integral numbers without ".0", floats exactly."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | np.datetime64):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def _text(column: pd.Series) -> pd.Series:
    return pd.Series([_cell(v) for v in column], index=column.index, dtype=object)


def _extras(frame: pd.DataFrame, known: Iterable[str]) -> list[str]:
    return [c for c in frame.columns if c not in set(known)]


def _assemble(columns: dict[str, pd.Series], tags: dict[str, str]) -> pd.DataFrame:
    """Header row = column names, first row = hashtags (empty for untagged columns)."""
    body = pd.DataFrame(columns)
    tag_row = pd.DataFrame([[tags.get(c) or "" for c in body.columns]], columns=body.columns)
    return pd.concat([tag_row, body.astype(object)], ignore_index=True)


def _valid(frame: pd.DataFrame, columns, schema, coerce, what: str) -> pd.DataFrame:
    """The frame coerced and validated, for export; InterchangeError naming the problem."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InterchangeError(f"{what}: missing column(s) {', '.join(missing)}")
    try:
        return validate(coerce(frame), schema).reset_index(drop=True)
    except pa.errors.SchemaErrors as exc:
        raise InterchangeError(f"{what}: {describe_failures(exc.failure_cases)}") from None


def to_hxl(claims: pd.DataFrame) -> pd.DataFrame:
    """A claims frame as HXL text: row 0 holds the hashtags; one value column per category."""
    names = _lexicon()["claims"]
    data = _valid(claims, CLAIM_COLUMNS, Claims, coerce_claims, "claims")
    columns: dict[str, pd.Series] = {}
    tags: dict[str, str] = {}
    for col in ("report_id", "category"):
        columns[col], tags[col] = _text(data[col]), names[col]
    low, high = _lexicon()["bounds"]["value_low"], _lexicon()["bounds"]["value_high"]
    present = set(zip(data["category"], data["unit"], strict=True))
    for (category, unit), tag in value_tags().items():
        if (category, unit) not in present:
            continue
        rows = (data["category"] == category) & (data["unit"] == unit)
        header = _value_header(category, unit)
        for suffix, col, attr in (("", "value", ""), ("_low", "value_low", low),
                                  ("_high", "value_high", high)):  # fmt: skip
            columns[header + suffix] = _text(data[col].where(rows))
            tags[header + suffix] = tag + attr
    for col in CLAIM_COLUMNS:
        if col not in columns and col not in VALUE_COLUMNS:
            columns[col], tags[col] = _text(data[col]), names[col]
    _add_extras(data, CLAIM_COLUMNS, columns, tags)
    return _assemble(columns, tags)


def events_to_hxl(events: pd.DataFrame) -> pd.DataFrame:
    """A control-events frame as HXL text: row 0 holds the hashtags."""
    names = _lexicon()["events"]
    data = _valid(events, EVENT_COLUMNS, ControlEvents, coerce_events, "control events")
    columns = {col: _text(data[col]) for col in EVENT_COLUMNS}
    tags = {col: names[col] for col in EVENT_COLUMNS}
    _add_extras(data, EVENT_COLUMNS, columns, tags)
    return _assemble(columns, tags)


def _add_extras(data, known, columns: dict, tags: dict) -> None:
    used = {parse_hashtag(t) for t in tags.values()}
    for col in _extras(data, known):
        if col in columns:
            raise InterchangeError(f"extra column {col!r} has the name of an HXL column")
        tag = _lexicon()["extras"].get(col)
        columns[col] = _text(data[col])
        if tag and parse_hashtag(tag) not in used:
            tags[col] = tag
            used.add(parse_hashtag(tag))


def write_hxl(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a frame from `to_hxl` or `events_to_hxl` as UTF-8 CSV, atomically."""
    if not len(frame) or not is_hashtag_row(frame.iloc[0]):
        raise InterchangeError(
            f"{path}: the frame's first row is not a row of hashtags (make it with to_hxl)"
        )
    path = Path(path)
    with atomic_write(path) as handle:
        frame.to_csv(handle, index=False, encoding="utf-8", lineterminator="\n")
    return path


# --- import of the toolkit's own HXL files --------------------------------------------------


def _require(table: Table, wanted: dict[str, str], optional: Iterable[str] = ()) -> dict:
    """{contract column: file column} for each hashtag in `wanted`; InterchangeError if absent."""
    if not table.has_hashtags:
        raise InterchangeError(f"{table.path}: no HXL hashtag row")
    found = {name: table.column_for(tag) for name, tag in wanted.items()}
    missing = [f"{wanted[n]} ({n})" for n, c in found.items() if c is None and n not in optional]
    if missing:
        raise InterchangeError(f"{table.path}: missing hashtag(s) {', '.join(missing)}")
    return found


def _offsets(raw: pd.Series, name: str, rejects: Rejects) -> pd.Series:
    """Whole non-negative numbers (span offsets); anything else is a reject."""
    numbers = parse_numbers(raw, name, rejects)
    whole = numbers.notna() & (numbers % 1 == 0)
    rejects.add(numbers.notna() & ~whole, lambda i: f"{name} {raw[i]!r} is not a whole number")
    return numbers.where(whole, 0).astype("int64")


def _other_columns(
    table: Table, used: Iterable[str | None], taken: Iterable[str]
) -> dict[str, str]:
    """{file column: name in the frame} for the columns not read into the contract's ones:
    the name its hashtag has in the lexicon's extras, else its header (a header that is a
    contract column's name gets ".file" appended)."""
    by_tag = {parse_hashtag(t): name for name, t in _lexicon()["extras"].items()}
    skip = {*used, LINE}
    names = set(taken)
    out = {}
    for col in table.frame.columns:
        if col not in skip:
            name = by_tag.get(table.tags.get(col), col)
            while name in names:
                name += ".file"
            names.add(name)
            out[col] = name
    return out


def _value_columns(table: Table) -> dict[tuple[str, str], dict[str, str]]:
    """{(category, unit): {"value" | "value_low" | "value_high": file column}} by hashtag."""
    bounds = _lexicon()["bounds"]
    extra = {"value": frozenset()} | {b: parse_hashtag("#x" + a)[1] for b, a in bounds.items()}
    by_tag = {parse_hashtag(t): key for key, t in value_tags().items()}
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for col, tag in table.tags.items():
        if tag is None:
            continue
        base, attrs = tag
        for bound, attr in extra.items():
            key = by_tag.get((base, attrs - attr)) if attr <= attrs else None
            if key is None:
                continue
            if bound in groups.setdefault(key, {}):
                raise InterchangeError(
                    f"{table.path}: two columns tagged {tag_text(tag)} "
                    f"({groups[key][bound]!r} and {col!r})"
                )
            groups[key][bound] = col
            break
    return groups


def tag_text(tag: Tag) -> str:
    """A parsed hashtag as text, attributes sorted ("#affected+civilians+killed")."""
    return tag[0] + "".join(f"+{a}" for a in sorted(tag[1]))


def read_hxl_claims(
    path: str | Path, errors: Errors = "raise"
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read an HXL claims file written by `write_hxl(to_hxl(...))` back into a claims frame.

    Columns are found by their hashtags (the header row may say anything). With
    errors="collect" returns (claims, rejects): rejects holds each row that cannot be read
    back, as text, with `source_line` and `reason`.
    """
    table = read_table(path)
    names = dict(_lexicon()["claims"])
    found = _require(table, names, optional=("location", "actor", "period_start", "period_end"))
    raw = table.frame
    groups = _value_columns(table)
    rejects = Rejects()
    out = pd.DataFrame(index=raw.index)
    for col in CLAIM_COLUMNS:
        if col not in VALUE_COLUMNS:
            src = found.get(col)
            out[col] = raw[src] if src else None
    category, unit = raw[found["category"]], raw[found["unit"]]
    for col in VALUE_COLUMNS:
        out[col] = None
    value_cols = {c for g in groups.values() for c in g.values()}
    own = pd.Series(False, index=raw.index)
    for (cat, un), cols in groups.items():
        rows = (category == cat) & (unit == un)
        own |= rows
        for bound, col in cols.items():
            out.loc[rows, bound] = raw.loc[rows, col]
        stray = ~rows & raw[list(cols.values())].notna().any(axis=1)
        rejects.add(stray, f"a figure in the {cat} ({un}) columns of a row of another category")
    rejects.add(
        ~own & category.notna() & unit.notna(),
        lambda i: f"no value columns for category {category[i]!r} in unit {unit[i]!r}",
    )
    for col in VALUE_COLUMNS:
        out[col] = parse_numbers(out[col], col, rejects, required=False)
    for col in ("span_start", "span_end"):
        out[col] = _offsets(raw[found[col]], col, rejects)
    for col in ("period_start", "period_end"):
        src = found.get(col)
        out[col] = parse_dates(raw[src], col, rejects, required=False) if src else pd.NaT
    for col in ("report_id", "category", "qualifier", "unit", "claimant"):
        rejects.add(out[col].isna(), f"{col} missing")
    extras = _other_columns(table, [*found.values(), *value_cols], CLAIM_COLUMNS)
    for col, name in extras.items():
        out[name] = raw[col]
    out["_row"] = raw.index
    return finish(out[[*CLAIM_COLUMNS, *extras.values(), "_row"]], raw, rejects, table, errors)


def read_hxl_events(
    path: str | Path, errors: Errors = "raise"
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read an HXL control-events file written by `write_hxl(events_to_hxl(...))`."""
    table = read_table(path)
    names = dict(_lexicon()["events"])
    found = _require(table, names, optional=("actor", "date"))
    raw = table.frame
    rejects = Rejects()
    out = pd.DataFrame(index=raw.index)
    for col in EVENT_COLUMNS:
        src = found.get(col)
        out[col] = raw[src] if src else None
    out["date"] = parse_dates(out["date"], "date", rejects, required=False)
    for col in ("span_start", "span_end"):
        out[col] = _offsets(raw[found[col]], col, rejects)
    for col in ("report_id", "place", "action", "stance", "claimant"):
        rejects.add(out[col].isna(), f"{col} missing")
    for col, name in _other_columns(table, found.values(), EVENT_COLUMNS).items():
        out[name] = raw[col]
    out["_row"] = raw.index
    return finish(out, raw, rejects, table, errors, schema=ControlEvents, coerce=coerce_events)
