"""Read report files (UTF-8 text with optional YAML front matter) into a `Reports` frame."""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
import pandera.pandas as pa
import regex
import yaml

from toolkit.errors import ReportError, ReportWarning, ToolkitError
from toolkit.schemas import SAFE_ID, Reports

REPORT_SUFFIXES = (".txt", ".md")
MAX_BYTES = 5_000_000
KNOWN_KEYS = {"id", "title", "outlet", "via", "published", "url", "language", "source_file"}
REQUIRED_KEYS = ("title", "outlet", "published")
URL = r"^https?://\S+$"
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"
# C0 control bytes that never occur in text (tab, newlines, form feed and ESC excepted)
_CONTROL_BYTES = bytes([*range(1, 9), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
BINARY_SHARE = 0.1  # a file whose opening 8 kB is over 10% control bytes is binary
COLUMNS = [
    "report_id", "title", "outlet", "via", "published", "url", "language", "body",
    "n_chars", "sha256", "path", "source_file", "published_from", "n_replacement",
]  # fmt: skip

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
# Datelines as they open or head news pages: "Dec 10, 2016 14H:13 GMT", "Thu Dec 15 2016",
# "Wed 05 Apr 2017", "10 December 2016", "December 10, 2016".
_DATELINES = [
    regex.compile(
        rf"(?P<mon>{_MONTHS})[a-z]*\.?\s+(?P<day>\d{{1,2}})"
        # "Oct 26, 2016" with its punctuation stripped runs on as "Oct 262016"
        r"(?:,?\s+|(?=(?:19|20)\d\d\b))(?P<year>(?:19|20)\d\d)"
        # a clock time is kept only when its zone is stated
        r"(?:\s+(?:at\s+)?(?P<hh>\d{1,2})\s*[Hh:.]?\s*:?(?P<mm>\d{2})\s*(?:GMT|UTC|Z)\b)?",
        regex.I,
    ),
    regex.compile(
        rf"(?P<day>\d{{1,2}})\s+(?P<mon>{_MONTHS})[a-z]*\.?,?\s+(?P<year>(?:19|20)\d\d)", regex.I
    ),
    # "24.08.2013", "23-07-2016": day first, as the outlets that print them write it; a
    # slash is left alone, since "12/10/2016" is as often month first
    regex.compile(
        r"(?<![\d.-])(?P<day>\d{1,2})(?P<sep>[.-])(?P<mon>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d\d)(?!\d)"
    ),
]
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.replace("|sept", "").split("|"), start=1)}
# both datelines in one pattern, in that order, sharing group names (a branch reset): one
# search finds the earliest dateline, the first kind winning a tie, as two searches would
_DATELINE = regex.compile("(?|" + "|".join(rx.pattern for rx in _DATELINES) + ")", regex.I)


class _NoDatesLoader(yaml.SafeLoader):
    """Safe loader that keeps dates as text, so the reader can word its own errors."""


_NoDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# libyaml's parser, when installed, reads front matter ten times faster; on any error the
# pure-Python loader reads it again, so the message a user sees is always the same
_FastLoader = _NoDatesLoader
if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """`_NoDatesLoader` on libyaml's parser."""

    _FastLoader.yaml_implicit_resolvers = _NoDatesLoader.yaml_implicit_resolvers


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


_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_WEEKDAY_LED = regex.compile(rf"(?<!\w){_WEEKDAY},?\s+", regex.I)
_WEEKDAY_BEFORE = regex.compile(rf"(?<!\w){_WEEKDAY},?\s+$", regex.I)


def find_dateline(text: str, head: int = 40, led_head: int = 250):
    """(start, end, timestamp) of a report's dateline, else None: a date within the first
    `head` characters, or one led by its weekday within the first `led_head`, as when a
    headline and an agency come first ("... - Reuters Wednesday 26 Oct 2016 ...").

    The span takes in a weekday just before the date: the whole dateline names the
    publication day, not the day of anything the report tells.
    """
    m = _DATELINE.search(text[:head])
    if m is None:
        m = next(
            (
                d
                for w in _WEEKDAY_LED.finditer(text, 0, led_head)
                if (d := _DATELINE.match(text, w.end()))
            ),
            None,
        )
    if m is None:
        return None
    weekday = _WEEKDAY_BEFORE.search(text, max(0, m.start() - 12), m.start())
    stamp = _dateline_stamp(m["year"], m["mon"], m["day"], m["hh"], m["mm"])
    return (weekday.start() if weekday else m.start()), m.end(), stamp


def parse_dateline(text: str, head: int = 400) -> pd.Timestamp | None:
    """The first dateline in the opening `head` characters, as a UTC timestamp."""
    m = _DATELINE.search(text[:head])
    if m is None:
        return None
    return _dateline_stamp(m["year"], m["mon"], m["day"], m["hh"], m["mm"])


@lru_cache(maxsize=4096)  # a corpus repeats its dates: build each timestamp once
def _dateline_stamp(
    year: str, mon: str, day: str, hh: str | None, mm: str | None
) -> pd.Timestamp | None:
    """A dateline's parts as a UTC timestamp; None when they name no real day or time."""
    try:
        month = int(mon) if mon.isdigit() else _MONTH_NUMBER[mon.lower()[:3]]
        when = datetime(int(year), month, int(day), int(hh or 0), int(mm or 0), tzinfo=UTC)
    except (ValueError, KeyError):
        return None
    return pd.Timestamp(when)


def parse_published(value: object, today: date | None = None) -> pd.Timestamp:
    """ISO 8601 date or date-time to UTC; a date-time without zone is UTC.

    Raises ValueError naming the offending value when it is not a date, is before 1900,
    or is after the run date (`today`, default the current UTC day).
    """
    text = str(value).strip()
    try:
        if regex.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            when = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        else:
            when = datetime.fromisoformat(text.replace("z", "Z"))
            when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(
            f"published '{text}' is not a date (expected ISO 8601, e.g. 2016-12-01 "
            "or 2016-12-01T21:00:00Z)"
        ) from None
    if when.year < 1900:
        raise ValueError(f"published '{text}' is before 1900")
    run_date = today or datetime.now(UTC).date()
    if when.date() > run_date:
        raise ValueError(f"published '{text}' is in the future (after the run date {run_date})")
    return pd.Timestamp(when).as_unit("us")


def _warn(path: Path, problem: str) -> None:
    warnings.warn(ReportWarning.about(path, problem), stacklevel=3)


def _line_at(text: str | bytes, pos: int) -> int:
    """1-based line number of offset `pos` (CRLF, LF and CR all end a line)."""
    head = text[:pos]
    if isinstance(head, bytes):
        return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise ReportError(path, "empty file" if not raw else "empty file (only white space)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ReportError(path, "UTF-16 byte-order mark but not UTF-16 text") from None
        _warn(path, "UTF-16 text (byte-order mark); decoded as UTF-16, expected UTF-8")
        return text
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ReportError(
            path,
            f"binary file: {raw.count(0):,} NUL byte(s), the first at byte {nul} "
            f"(line {_line_at(raw, nul)}); not a text report",
        )
    head = raw[:8192]
    n_control = sum(head.count(b) for b in _CONTROL_BYTES)
    if n_control > BINARY_SHARE * len(head):
        raise ReportError(
            path,
            f"binary file: {n_control} of the first {len(head)} bytes are control characters; "
            "not a text report",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        _warn(path, "UTF-8 byte-order mark removed")
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        for encoding in ("cp1252", "latin-1"):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            _warn(
                path,
                f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}, "
                f"line {_line_at(raw, exc.start)}); decoded as {encoding}",
            )
            return text
    raise ReportError(path, "cannot decode")  # pragma: no cover (latin-1 decodes anything)


_TAG = regex.compile(r"tag '([^']*)'")


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 2}" if mark else ""  # the block starts on line 2
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    tag = _TAG.search(problem) if isinstance(exc, yaml.constructor.ConstructorError) else None
    if tag:
        name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        return (
            f"front matter: invalid YAML{where}: tag '{name}' refused (tags that build "
            "objects or refer to files are not allowed)"
        )
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and (not mark or context_mark.line != mark.line):
        started = context.replace("while parsing", "in").replace("while scanning", "in")
        problem += f" ({started} that starts on line {context_mark.line + 2})"
    return f"front matter: invalid YAML{where}: {problem}"


# lines end at CRLF, LF or CR only (not at the other breaks str.splitlines knows)
_LINE_END = re.compile(r"\r\n|\n|\r")


def _lines(text: str):
    """(start, end without its line break, end with it) of each line, read lazily."""
    pos = 0
    for m in _LINE_END.finditer(text):
        yield pos, m.start(), m.end()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text), len(text)


def _split_front_matter(path: Path, text: str) -> tuple[dict | None, str]:
    lines = _lines(text)  # only the front matter's lines are read, never the body's
    first = next(lines, None)
    if first is None or text[first[0] : first[1]] != "---":
        return None, text
    for start, end, after in lines:
        if text[start:end] == "---":
            block, body = text[first[2] : start], text[after:]
            break
    else:
        raise ReportError(
            path, "front matter: not closed (opened by '---' on line 1, no closing '---' line)"
        )
    try:
        meta = yaml.load(block, Loader=_FastLoader)  # noqa: S506 (a SafeLoader subclass)
    except (yaml.YAMLError, RecursionError):
        meta = _load_slowly(path, block)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ReportError(
            path, f"front matter: not a mapping of keys to values but a {type(meta).__name__}"
        )
    return meta, body


def _load_slowly(path: Path, block: str):
    """The front matter read by the pure-Python loader, whose errors are worded for users."""
    try:
        return yaml.load(block, Loader=_NoDatesLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise ReportError(path, _yaml_problem(exc)) from None
    except RecursionError:
        raise ReportError(path, "front matter: YAML nested too deeply") from None


def read_report(path: str | Path, max_bytes: int = MAX_BYTES, today: date | None = None) -> dict:
    """Read one report file into a dict of `Reports` columns; raise ReportError if it can't be.

    Problems that do not stop the read (a byte-order mark, text that is not UTF-8,
    mixed line endings, U+FFFD characters, unknown front-matter keys) are announced
    as `ReportWarning`s naming the file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReportError(path, f"file is {size:,} bytes, over the limit of {max_bytes:,}")
        raw = path.read_bytes()
    except OSError as exc:
        raise ReportError(path, f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:  # grew since stat
        raise ReportError(path, f"file is {len(raw):,} bytes, over the limit of {max_bytes:,}")
    text = _decode(path, raw)
    if "\x00" in text:  # UTF-16 text can hold NUL characters
        raise ReportError(
            path, f"binary file: NUL character at line {_line_at(text, text.index(chr(0)))}"
        )
    meta, body = _split_front_matter(path, text)
    if not body.strip():
        raise ReportError(path, "no body text" + (" after the front matter" if meta else ""))

    record = {c: None for c in COLUMNS}
    dateline = parse_dateline(body)
    run_date = today or datetime.now(UTC).date()
    if dateline is not None and dateline.date() > run_date:
        _warn(path, f"dateline {dateline.date()} is after the run date {run_date}; ignored")
        dateline = None
    if meta is None:
        record.update(report_id=path.stem, title=_first_line(body), language="en")
        if dateline is not None:
            record.update(published=dateline, published_from="dateline")
        id_from = "the file name"
    else:
        record.update(_from_front_matter(path, meta, today))
        id_from = "front matter: id" if record["report_id"] else "the file name"
        record["report_id"] = record["report_id"] or path.stem
        if dateline is not None and dateline.date() != record["published"].date():
            _warn(
                path,
                f"front matter published {record['published'].date()} disagrees with "
                f"the dateline {dateline.date()}; the front matter wins",
            )
    if not regex.fullmatch(SAFE_ID, str(record["report_id"])):
        raise ReportError(
            path,
            f"{id_from} '{record['report_id']}' is not a safe file name (it could escape its "
            "folder or clash; use letters, digits, '.', '_' and '-', starting with a letter "
            "or digit, at most 200 characters)",
        )
    body_start = len(text) - len(body)
    _check_line_endings(path, text, body_start)
    n_bad = body.count("\ufffd")
    if n_bad:
        first = _line_at(text, body_start + body.index("\ufffd"))
        _warn(path, f"{n_bad} replacement character(s) (U+FFFD), the first on line {first}")
    record.update(
        body=body,
        n_chars=len(body),
        sha256=hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest(),
        path=str(path),
        n_replacement=n_bad,
    )
    return record


_LINE_ENDS = regex.compile(r"\r\n|\r|\n")


def _check_line_endings(path: Path, text: str, body_start: int) -> None:
    kinds: dict[str, list[int]] = {}
    for m in _LINE_ENDS.finditer(text, body_start):
        kinds.setdefault(m.group(), []).append(m.start())
    if len(kinds) < 2:
        return
    names = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}
    counts = sorted(kinds.items(), key=lambda kv: -len(kv[1]))
    minority, positions = counts[-1]
    _warn(
        path,
        "mixed line endings ("
        + ", ".join(f"{len(v)} {names[k]}" for k, v in counts)
        + f"; the first {names[minority]} ends line {_line_at(text, positions[0])})",
    )


def _blank(value: object) -> bool:
    return value is None or str(value).strip() == ""


def _from_front_matter(path: Path, meta: dict, today: date | None) -> dict:
    unknown = sorted(set(map(str, meta)) - KNOWN_KEYS)
    if unknown:
        known = ", ".join(sorted(KNOWN_KEYS))
        _warn(path, f"front matter: unknown keys {unknown} (known keys: {known})")
    missing = [k for k in REQUIRED_KEYS if _blank(meta.get(k))]
    if missing:
        raise ReportError(path, f"front matter: missing required key(s) {', '.join(missing)}")
    for key in sorted(KNOWN_KEYS & set(meta)):
        if isinstance(meta[key], dict | list | set):
            kind = "mapping" if isinstance(meta[key], dict) else "list"
            raise ReportError(path, f"front matter: {key} must be text, not a {kind}")
    try:
        published = parse_published(meta["published"], today)
    except ValueError as exc:
        raise ReportError(path, f"front matter: {exc}") from None
    out = {k: (None if _blank(meta.get(k)) else str(meta[k]).strip()) for k in KNOWN_KEYS}
    for key, rule, wanted in (
        ("url", URL, "an http(s) address"),
        ("language", LANGUAGE, "a language code such as 'en' or 'pt-BR'"),
    ):
        if out[key] is not None and not regex.fullmatch(rule, out[key]):
            shown = out[key] if len(out[key]) <= 80 else out[key][:77] + "..."
            raise ReportError(path, f"front matter: {key} '{shown}' is not {wanted} ({rule})")
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


@dataclass
class FileOutcome:
    """What became of one input file: its record when loaded, else the reason it was not."""

    path: str
    record: dict | None = None
    reason: str | None = None
    report_id: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return self.record is not None


def read_each(
    paths: Iterable[str | Path], max_bytes: int = MAX_BYTES, today: date | None = None
) -> Iterator[FileOutcome]:
    """One `FileOutcome` per report file, in order; a later file with a used id is rejected.

    The `ReportWarning`s of each file are kept on its outcome and also passed on to the
    caller's warning filters, as `read_report` would.
    """
    seen: dict[str, str] = {}
    for path in iter_report_paths(paths):
        outcome = FileOutcome(str(path))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                rec = read_report(path, max_bytes=max_bytes, today=today)
                outcome.report_id = rec["report_id"]
                if rec["report_id"] in seen:
                    raise ReportError(
                        path,
                        f"duplicate id '{rec['report_id']}' (already used by "
                        f"{seen[rec['report_id']]})",
                    )
                seen[rec["report_id"]] = str(path)
                outcome.record = rec
            except ReportError as exc:
                outcome.reason = exc.problem
        for w in caught:
            if isinstance(w.message, ReportWarning):
                msg = w.message
                outcome.warnings.append(msg.problem if msg.path == str(path) else str(msg))
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
        yield outcome


def read_reports(
    paths: str | Path | Iterable[str | Path],
    errors: Literal["raise", "collect"] = "raise",
    max_bytes: int = MAX_BYTES,
    today: date | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read report files or folders into a frame valid under `Reports`.

    With errors="raise" the first bad file raises ReportError. With errors="collect"
    returns (reports, rejects): rejects has one row (path, reason) per file not loaded,
    so files in = loaded + rejected (checked by the batch ledger, `toolkit.ledger`).
    """
    if errors not in ("raise", "collect"):
        raise ValueError("errors must be 'raise' or 'collect'")
    if errors == "collect":
        from toolkit.ledger import read_batch

        batch = read_batch(paths, max_bytes=max_bytes, today=today)
        return batch.reports, batch.rejects
    records = []
    for outcome in read_each(paths, max_bytes=max_bytes, today=today):
        if not outcome.loaded:
            raise ReportError(outcome.path, outcome.reason)
        records.append(outcome.record)
    return reports_frame(records)


def reports_frame(records: list[dict]) -> pd.DataFrame:
    """Build and validate a `Reports` frame from report dicts; ToolkitError when invalid."""
    frame = pd.DataFrame(records, columns=COLUMNS)
    frame["published"] = pd.to_datetime(frame["published"], utc=True).dt.as_unit("us")
    frame["n_chars"] = frame["n_chars"].astype("int64")
    frame["n_replacement"] = frame["n_replacement"].astype("int64")
    try:
        return Reports.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        from toolkit.tables import describe_failures

        raise ToolkitError(f"reports frame: {describe_failures(exc.failure_cases)}") from None


FRONT_MATTER_KEYS = ("id", "title", "outlet", "via", "published", "url", "language", "source_file")


def write_report(report: Mapping, folder: str | Path) -> Path:
    """Write a report (a `Reports` row as a mapping) as `<folder>/<report_id>.txt`.

    The file reads back (`read_report`) to the same row, path aside: a report with a
    publication time from anywhere but a dateline gets front matter; one read from a
    plain file (id from the file name, date from a dateline or missing) is written plain.
    The body is written byte for byte in UTF-8, line endings untouched; the write is
    atomic.
    """
    from toolkit.tables import atomic_write

    report_id = str(report["report_id"])
    if not regex.fullmatch(SAFE_ID, report_id):
        raise ReportError(report_id, "not a safe file name; the report cannot be written")
    published = report.get("published")
    plain = published is None or pd.isna(published) or report.get("published_from") == "dateline"
    text = report["body"]
    if not plain:
        meta = {
            "id": report_id,
            **{k: report.get(k) for k in ("title", "outlet", "via")},
            "published": pd.Timestamp(published).isoformat(),
            **{k: report.get(k) for k in ("url", "language", "source_file")},
        }
        meta = {k: str(v) for k, v in meta.items() if v is not None and not pd.isna(v)}
        dumped = _dump_front_matter(meta)
        text = f"---\n{dumped}---\n{text}"
    path = Path(folder) / f"{report_id}.txt"
    with atomic_write(path) as handle:
        handle.write(text.encode("utf-8"))
    return path


def _dump_front_matter(meta: dict[str, str]) -> str:
    """YAML that loads back to `meta`: readable UTF-8 when that round-trips, else escaped."""
    for allow_unicode in (True, False):
        dumped = yaml.safe_dump(
            meta,
            allow_unicode=allow_unicode,
            sort_keys=False,
            width=float("inf"),
            default_flow_style=False,
        )
        loaded = yaml.load(dumped, Loader=_NoDatesLoader)  # noqa: S506 (a SafeLoader subclass)
        if {k: str(v).strip() for k, v in loaded.items()} == meta:
            return dumped
    raise ValueError(f"front matter cannot be written as YAML: {meta!r}")


def read_reports_table(path: str | Path) -> pd.DataFrame:
    """Read a reports table written by `write_table` (Parquet or CSV) into a `Reports` frame."""
    path = Path(path)
    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ToolkitError(f"{path}: cannot read as a reports table: {exc}") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ToolkitError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = frame[COLUMNS].astype(object).where(frame[COLUMNS].notna(), None)
    try:
        return reports_frame(frame.to_dict("records"))
    except (ValueError, TypeError) as exc:
        raise ToolkitError(f"{path}: {exc}") from None
