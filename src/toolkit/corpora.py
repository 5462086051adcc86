"""Read article corpora kept as CSV (FA-KES, or any CSV of articles) into a `Reports` frame.

Every CSV record is accounted for in a ledger: loaded, merged into an earlier record with the
same id, or rejected with a reason. Nothing is dropped without a row saying why.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd
import regex

from toolkit.errors import ReportError
from toolkit.reference import sources
from toolkit.reports import find_dateline, reports_frame
from toolkit.schemas import SAFE_ID

FAKES_ENV = "TOOLKIT_FAKES_CSV"
FAKES_URL = "https://zenodo.org/records/2607278"
LEDGER_COLUMNS = ["record", "source_id", "status", "report_id", "reason"]
# FA-KES columns in `Reports` terms
FAKES_MAPPING = {
    "report_id": "unit_id",
    "title": "article_title",
    "outlet": "source",
    "published": "date",
    "body": "article_content",
}


def fakes_path() -> Path | None:
    """The FA-KES CSV named by $TOOLKIT_FAKES_CSV, when it exists."""
    env = os.environ.get(FAKES_ENV)
    return Path(env) if env and Path(env).is_file() else None


def _read_csv(path: str | Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(path, "no such file") from None
    except UnicodeDecodeError as exc:
        raise ReportError(path, f"not UTF-8 (byte at offset {exc.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReportError(path, f"not a readable CSV: {exc}") from None


def read_reports_csv(
    path: str | Path,
    mapping: Mapping[str, str],
    *,
    id_prefix: str = "",
    date_format: str | None = None,
    outlet_codes: Mapping[str, str] | None = None,
    with_ledger: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Articles of any CSV as reports; `mapping` names the CSV column of each report field.

    `mapping` needs `body` and may give `report_id`, `title`, `outlet`, `via`, `published`,
    `url`. A record whose id repeats an earlier one is merged into it (the first is kept);
    a record with no text, an unusable id or a missing column is rejected. With
    `with_ledger`, also returns one ledger row per record.
    """
    frame, ledger = _reports_of(
        _read_csv(path),
        path,
        mapping,
        id_prefix=id_prefix,
        date_format=date_format,
        outlet_codes=outlet_codes,
    )
    return (frame, ledger) if with_ledger else frame


def _reports_of(
    raw: pd.DataFrame,
    path: str | Path,
    mapping: Mapping[str, str],
    *,
    id_prefix: str,
    date_format: str | None,
    outlet_codes: Mapping[str, str] | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reports, ledger) of a CSV already read, so a caller that needs `raw` too reads it once."""
    missing = sorted(set(mapping.values()) - set(raw.columns))
    if "body" not in mapping or missing:
        problem = f"missing column(s) {', '.join(missing)}" if missing else "no body column"
        raise ReportError(path, problem)
    records, ledger, seen = [], [], {}
    for n, (field, body) in enumerate(_fields(raw, mapping), start=1):
        source_id = field.get("report_id") or str(n)
        report_id = f"{id_prefix}{source_id}"
        reason = _reject_reason(field, report_id)
        if reason:
            ledger.append((n, source_id, "rejected", None, reason))
        elif report_id in seen:
            first, first_body = seen[report_id]
            note = "same text" if body == first_body else _KEPT_FIRST
            ledger.append((n, source_id, "merged", report_id, f"repeats record {first} ({note})"))
        else:
            record = _record(path, n, field, report_id, body, date_format, outlet_codes)
            seen[report_id] = (n, body)
            records.append(record)
            ledger.append((n, source_id, "loaded", report_id, record["note"]))
    frame = _frame_of(records)
    ledger_frame = pd.DataFrame(ledger, columns=LEDGER_COLUMNS)
    _check_ledger(path, len(raw), ledger_frame)
    return frame, ledger_frame


_KEPT_FIRST = "different text; the first record's text is kept"


def _fields(raw: pd.DataFrame, mapping: Mapping[str, str]) -> Iterator[tuple[dict, str]]:
    """Each record's fields (stripped, blank as None) and its body as written, row by row.

    Columns are read as lists once, so no dict or Series is built per row.
    """
    keys = list(mapping)
    rows = zip(*(raw[c].tolist() for c in mapping.values()), strict=True)
    for values, body in zip(rows, raw[mapping["body"]].tolist(), strict=True):
        yield {k: (v.strip() or None) for k, v in zip(keys, values, strict=True)}, body


_SAFE_ID = regex.compile(SAFE_ID)  # compiled once, not looked up per record


def _reject_reason(field: dict, report_id: str) -> str | None:
    if not field.get("body"):
        return "no article text"
    if not _SAFE_ID.fullmatch(report_id):
        return f"id {report_id!r} is not a safe file name"
    return None


def _record(path, n, field, report_id, body, date_format, outlet_codes) -> dict:
    outlet = field.get("outlet")
    notes = []
    if outlet_codes is not None and outlet is not None:
        if outlet in outlet_codes:
            outlet = outlet_codes[outlet]
        else:
            notes.append(f"outlet code {outlet!r} not in the source registry")
    column_date = _parse_date(field.get("published"), date_format)
    if field.get("published") and column_date is None:
        notes.append(f"date {field['published']!r} is not a date")
    found = find_dateline(body)
    dateline = found[2] if found else None
    published = dateline if dateline is not None else column_date
    disagree = (
        dateline is not None and column_date is not None and dateline.date() != column_date.date()
    )
    if disagree:
        notes.append(f"dateline {dateline.date()} preferred to date column {column_date.date()}")
    if published is None:
        notes.append("no publication date: relative dates stay unresolved")
    url = field.get("url")
    return dict(
        report_id=report_id,
        title=field.get("title"),
        outlet=outlet,
        via=field.get("via"),
        published=published,
        url=url if url and url.startswith(("http://", "https://")) else None,
        language="en",
        body=body,
        n_chars=len(body),
        sha256=hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest(),
        path=f"{path}#{n}",
        source_file=None,
        n_replacement=body.count("\ufffd"),
        published_from=_source_of_date(dateline, column_date),
        date_column=column_date,
        date_disagrees=disagree,
        note="; ".join(notes) or None,
    )


_EXTRA_COLUMNS = ("published_from", "date_column", "date_disagrees")


def _frame_of(records: list[dict]) -> pd.DataFrame:
    """The records as a validated `Reports` frame, with the columns saying where dates came from.

    `reports_frame` takes the `Reports` keys of each record and leaves the others; the extra
    columns are then set whole, so an empty frame gets the same column types as ever.
    """
    frame = reports_frame(records)
    for extra in _EXTRA_COLUMNS:
        frame[extra] = [r[extra] for r in records]
    frame["date_column"] = pd.to_datetime(frame["date_column"], utc=True).dt.as_unit("us")
    return frame


def _source_of_date(dateline, column_date) -> str | None:
    if dateline is not None:
        return "dateline"
    return "date column" if column_date is not None else None


@lru_cache(maxsize=4096)  # a corpus repeats its dates: parse each once
def _parse_date(value: str | None, date_format: str | None) -> pd.Timestamp | None:
    if not value:
        return None
    stamp = pd.to_datetime(value, format=date_format, errors="coerce", utc=True)
    return None if pd.isna(stamp) else stamp


def _check_ledger(path, n_records: int, ledger: pd.DataFrame) -> None:
    if len(ledger) != n_records or ledger["record"].nunique() != n_records:
        raise ReportError(path, f"ledger has {len(ledger)} rows for {n_records} records")


def read_fakes(
    path: str | Path, with_ledger: bool = False
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """FA-KES articles as reports, one per distinct unit_id, with the corpus's own labels.

    The outlet comes from the source registry's `fakes_code`; `published` is the dateline
    opening the text when there is one, else the `date` column (the disagreement is kept in
    `date_disagrees`). Repeated unit_ids are merged into the first; their labels and
    locations are all kept (`labels`, `fakes_locations`) and `label_conflict` flags repeats
    that disagree. Get the corpus from Zenodo (see `FAKES_URL`).
    """
    registry = sources().dropna(subset=["fakes_code"])
    codes = dict(zip(registry["fakes_code"], registry["name"], strict=True))
    raw = _read_csv(path)  # read once: the reports and the labels both come from it
    missing = sorted({"labels", "location"} - set(raw.columns))
    if missing:
        raise ReportError(path, f"missing column(s) {', '.join(missing)}")
    if raw.empty:
        raise ReportError(path, "no records: the CSV holds a header only")
    frame, ledger = _reports_of(
        raw, path, FAKES_MAPPING, id_prefix="fakes-", date_format="%m/%d/%Y", outlet_codes=codes
    )
    labels = _distinct_by_unit(raw, "labels")
    places = _distinct_by_unit(raw, "location")
    unit = frame["report_id"].str.removeprefix("fakes-")
    frame["labels"] = unit.map(labels)
    frame["label_conflict"] = frame["labels"].str.contains("|", regex=False)
    frame["fakes_locations"] = unit.map(places)
    frame["n_records"] = unit.map(raw["unit_id"].value_counts(sort=False)).astype("int64")
    source_labels = ledger["source_id"].map(labels)
    conflict = (ledger["status"] == "merged") & source_labels.str.contains("|", regex=False)
    ledger.loc[conflict, "reason"] += "; conflicting labels " + source_labels[conflict]
    return (frame, ledger) if with_ledger else frame


def _distinct_by_unit(raw: pd.DataFrame, column: str) -> pd.Series:
    """Each unit_id's distinct `column` values, sorted and joined by '|', in one pass."""
    groups: dict[str, set[str]] = {}
    for unit, value in zip(raw["unit_id"].tolist(), raw[column].tolist(), strict=True):
        groups.setdefault(unit, set()).add(value)
    return pd.Series({unit: "|".join(sorted(values)) for unit, values in groups.items()})
