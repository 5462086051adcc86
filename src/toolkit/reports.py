"""Read report files (UTF-8 text with optional YAML front matter) into a `Reports` frame."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import pandas as pd
import regex
import yaml

from toolkit.errors import ReportError, ReportWarning
from toolkit.schemas import SAFE_ID, Reports

REPORT_SUFFIXES = (".txt", ".md")
MAX_BYTES = 5_000_000
KNOWN_KEYS = {"id", "title", "outlet", "via", "published", "url", "language", "source_file"}
REQUIRED_KEYS = ("title", "outlet", "published")
COLUMNS = [
    "report_id", "title", "outlet", "via", "published", "url", "language", "body",
    "n_chars", "sha256", "path", "source_file", "published_from", "n_replacement",
]  # fmt: skip

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
# Datelines as they open or head news pages: "Dec 10, 2016 14H:13 GMT", "Thu Dec 15 2016",
# "Wed 05 Apr 2017", "10 December 2016", "December 10, 2016".
_DATELINES = [
    regex.compile(
        rf"(?P<mon>{_MONTHS})[a-z]*\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)"
        # a clock time is kept only when its zone is stated
        r"(?:\s+(?:at\s+)?(?P<hh>\d{1,2})\s*[Hh:.]?\s*:?(?P<mm>\d{2})\s*(?:GMT|UTC|Z)\b)?",
        regex.I,
    ),
    regex.compile(
        rf"(?P<day>\d{{1,2}})\s+(?P<mon>{_MONTHS})[a-z]*\.?,?\s+(?P<year>(?:19|20)\d\d)", regex.I
    ),
]
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.replace("|sept", "").split("|"), start=1)}


class _NoDatesLoader(yaml.SafeLoader):
    """Safe loader that keeps dates as text, so the reader can word its own errors."""


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def iter_report_paths(paths: str | Path | Iterable[str | Path]) -> Iterator[Path]:
    """Every report file named, or found under a named folder, in sorted order."""
    if isinstance(paths, str | Path):
        paths = [paths]
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                hidden = any(part.startswith(".") for part in f.relative_to(p).parts)
                if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES and not hidden:
                    yield f
        else:
            yield p


def parse_dateline(text: str, head: int = 400) -> pd.Timestamp | None:
    """The first dateline in the opening `head` characters, as a UTC timestamp."""
    window = text[:head]
    hits = [m for rx in _DATELINES for m in [rx.search(window)] if m]
    if not hits:
        return None
    m = min(hits, key=lambda m: m.start())
    try:
        month = _MONTH_NUMBER[m.group("mon").lower()[:3]]
        hh = int(m.groupdict().get("hh") or 0)
        mm = int(m.groupdict().get("mm") or 0)
        when = datetime(int(m.group("year")), month, int(m.group("day")), hh, mm, tzinfo=UTC)
    except (ValueError, KeyError):
        return None
    return pd.Timestamp(when)


def parse_published(value: object, today: date | None = None) -> pd.Timestamp:
    """ISO 8601 date or date-time to UTC; a date-time without zone is UTC. Raises ValueError."""
    text = str(value).strip()
    try:
        if regex.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            ts = pd.Timestamp(date.fromisoformat(text)).tz_localize("UTC")
        else:
            parsed = datetime.fromisoformat(text.replace("z", "Z"))
            ts = pd.Timestamp(parsed)
            ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"published '{text}' is not a date") from None
    if ts.year < 1900:
        raise ValueError(f"published '{text}' is before 1900")
    if ts.date() > (today or datetime.now(UTC).date()):
        raise ValueError(f"published '{text}' is in the future")
    return ts.as_unit("us")


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise ReportError(path, "empty file")
    if b"\x00" in raw:
        raise ReportError(path, "binary file: NUL bytes found, not a text report")
    if raw.startswith(b"\xef\xbb\xbf"):
        warnings.warn(f"{path}: UTF-8 byte-order mark removed", ReportWarning, stacklevel=3)
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        for encoding in ("cp1252", "latin-1"):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            warnings.warn(
                f"{path}: not UTF-8 (byte {exc.start}); decoded as {encoding}",
                ReportWarning,
                stacklevel=3,
            )
            return text
    raise ReportError(path, "cannot decode")  # pragma: no cover (latin-1 decodes anything)


def _split_front_matter(path: Path, text: str) -> tuple[dict | None, str]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None, text
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip("\r\n") == "---":
            block = "".join(lines[1:i])
            body = "".join(lines[i + 1 :])
            break
    else:
        raise ReportError(path, "front matter: not closed (no second '---' line)")
    try:
        meta = yaml.load(block, Loader=_NoDatesLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ReportError(path, f"front matter: invalid YAML{where}: {problem}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ReportError(path, f"front matter: not a mapping but a {type(meta).__name__}")
    return meta, body


def read_report(path: str | Path, max_bytes: int = MAX_BYTES, today: date | None = None) -> dict:
    """Read one report file into a dict of `Reports` columns; raise ReportError if it can't be."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReportError(path, f"file is {size:,} bytes, over the limit of {max_bytes:,}")
        raw = path.read_bytes()
    except OSError as exc:
        raise ReportError(path, f"cannot read file: {exc.strerror or exc}") from None
    text = _decode(path, raw)
    meta, body = _split_front_matter(path, text)
    if not body.strip():
        raise ReportError(path, "no body text" + (" after the front matter" if meta else ""))

    record = {c: None for c in COLUMNS}
    dateline = parse_dateline(body)
    if meta is None:
        record.update(report_id=path.stem, title=_first_line(body), language="en")
        if dateline is not None:
            record.update(published=dateline, published_from="dateline")
    else:
        record.update(_from_front_matter(path, meta, today))
        record.setdefault("report_id", None)
        record["report_id"] = record["report_id"] or path.stem
        if dateline is not None and dateline.date() != record["published"].date():
            warnings.warn(
                f"{path}: front matter published {record['published'].date()} disagrees with "
                f"the dateline {dateline.date()}; the front matter wins",
                ReportWarning,
                stacklevel=2,
            )
    if not regex.fullmatch(SAFE_ID, str(record["report_id"])):
        raise ReportError(path, f"id '{record['report_id']}' is not a safe file name")
    if "\r\n" in body and regex.search(r"(?<!\r)\n", body):
        warnings.warn(f"{path}: mixed line endings (CRLF and LF)", ReportWarning, stacklevel=2)
    n_bad = body.count("\ufffd")
    if n_bad:
        warnings.warn(f"{path}: {n_bad} replacement characters (U+FFFD)", ReportWarning, 2)
    record.update(
        body=body,
        n_chars=len(body),
        sha256=hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest(),
        path=str(path),
        n_replacement=n_bad,
    )
    return record


def _from_front_matter(path: Path, meta: dict, today: date | None) -> dict:
    unknown = sorted(set(map(str, meta)) - KNOWN_KEYS)
    if unknown:
        warnings.warn(f"{path}: front matter: unknown keys {unknown}", ReportWarning, stacklevel=3)
    missing = [k for k in REQUIRED_KEYS if meta.get(k) in (None, "")]
    if missing:
        raise ReportError(path, f"front matter: missing required key(s) {', '.join(missing)}")
    for key in KNOWN_KEYS & set(meta):
        if isinstance(meta[key], dict | list):
            raise ReportError(path, f"front matter: {key} must be text, not a list or mapping")
    try:
        published = parse_published(meta["published"], today)
    except ValueError as exc:
        raise ReportError(path, f"front matter: {exc}") from None
    out = {k: (str(meta[k]).strip() if meta.get(k) is not None else None) for k in KNOWN_KEYS}
    out.update(
        report_id=out.pop("id"),
        published=published,
        published_from="front matter",
        language=out["language"] or "en",
    )
    return out


def _first_line(body: str) -> str | None:
    for line in body.splitlines():
        if line.strip():
            return line.strip()[:300]
    return None


def read_reports(
    paths: str | Path | Iterable[str | Path],
    errors: Literal["raise", "collect"] = "raise",
    max_bytes: int = MAX_BYTES,
    today: date | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read report files or folders into a frame valid under `Reports`.

    With errors="raise" the first bad file raises ReportError. With errors="collect"
    returns (reports, rejects): rejects has one row (path, reason) per file not loaded,
    so files in = loaded + rejected.
    """
    if errors not in ("raise", "collect"):
        raise ValueError("errors must be 'raise' or 'collect'")
    records, rejects, seen = [], [], {}
    for path in iter_report_paths(paths):
        try:
            rec = read_report(path, max_bytes=max_bytes, today=today)
            if rec["report_id"] in seen:
                raise ReportError(
                    path, f"duplicate id '{rec['report_id']}' (already used by {seen[rec['report_id']]})"
                )
        except ReportError as exc:
            if errors == "raise":
                raise
            rejects.append({"path": exc.path, "reason": exc.problem})
            continue
        seen[rec["report_id"]] = str(path)
        records.append(rec)
    frame = reports_frame(records)
    if errors == "collect":
        return frame, pd.DataFrame(rejects, columns=["path", "reason"]).astype("str")
    return frame


def reports_frame(records: list[dict]) -> pd.DataFrame:
    """Build and validate a `Reports` frame from report dicts."""
    frame = pd.DataFrame(records, columns=COLUMNS)
    frame["published"] = pd.to_datetime(frame["published"], utc=True).dt.as_unit("us")
    frame["n_chars"] = frame["n_chars"].astype("int64")
    frame["n_replacement"] = frame["n_replacement"].astype("int64")
    return Reports.validate(frame)
