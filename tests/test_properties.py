"""Property-based tests (hypothesis): the reader and the extractor on arbitrary input.

Texts mix random characters with the words of conflict reports (figures with commas,
"fled", "since Saturday", "according to the Observatory", "percent", "km", weekdays,
months, qualifiers, places), so that the extractor's rules actually fire.

The number of examples comes from the hypothesis profile loaded in conftest.py: `ci`
(the default, 2,000 per property) or `dev` (HYPOTHESIS_PROFILE=dev, 100).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import warnings
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from toolkit.errors import ReportError, ReportWarning, ToolkitError
from toolkit.extract.claims import extract_claims
from toolkit.extract.numbers import find_amounts, parse_number
from toolkit.ledger import read_batch
from toolkit.reports import (
    COLUMNS,
    read_report,
    read_reports_table,
    reports_frame,
    write_report,
)
from toolkit.schemas import Claims
from toolkit.tables import CLAIM_COLUMNS, validate, write_table

FAR_FUTURE = date(2100, 1, 1)  # run date for reading generated reports
CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f]")

# ---------------------------------------------------------------- strategies

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December", "Dec", "Nov.", "Sept"]  # fmt: skip
PHRASES = [
    "fled", "have fled", "had left", "were evacuated", "were displaced", "remain trapped in",
    "were killed", "killed", "died", "were wounded", "injured", "were detained", "arrested",
    "surrendered", "laid down their arms", "deployed", "troops", "soldiers", "fighters",
    "civilians", "people", "residents", "children", "pupils", "families", "families of",
    "members", "militants", "police", "women", "since Saturday", "since last Friday",
    "on Friday", "on Wednesday", "over the past two days", "in the last four days",
    "in the past", "in the last", "over the past", "within", "days", "weeks", "hours",
    "last month", "since November 15", "since November", "since early December",
    "early November", "mid-December", "late October", "in recent days", "yesterday",
    "today", "so far", "according to the Observatory", "the Syrian Observatory for Human "
    "Rights said", "a monitoring group said", "he said", "he told reporters", "said on Sunday",
    "the Russian defence ministry said", "percent", "per cent", "%", "km", "kilometres",
    "miles", "of Aleppo", "east Aleppo", "eastern Aleppo", "Aleppo", "Raqa", "Mosul",
    "eastern Mosul", "Sukkari", "Palmyra", "Damascus", "Syrian government forces",
    "the army", "rebels", "Islamic State", "the SDF", "Iraqi forces", "Russia", "control",
    "retook", "captured", "north of", "away from", "more than", "at least", "nearly",
    "almost", "just under", "up to", "about", "around", "some", "an estimated", "roughly",
    "over", "no more than", "between", "and", "to", "-", "of them", "dozens", "scores",
    "hundreds", "thousands", "tens of thousands", "hundreds of thousands", "tens of",
    "a third", "half", "two-thirds", "a quarter", "all", "entire", "whole", "the city",
    "BEIRUT, Dec 10, 2016 (AFP) -", "Dec 10, 2016 14H:13 GMT", "2016", "2017",
    "killed and injured", "among", "including",
]  # fmt: skip
NUMBER_WORDS = ["one", "two", "three", "ten", "twelve", "twenty-five", "a hundred",
                "three thousand", "1.5 million", "2 million", "a million", "zero"]  # fmt: skip
SEPARATORS = [" ", " ", " ", ", ", ". ", ".\n", "\n", "\r\n", "; ", ": ", " - ", '"', "'s "]

numbers = st.one_of(
    st.integers(0, 10**7).map(lambda n: f"{n:,}"),
    st.integers(0, 10**12).map(str),
    st.integers(-1000, -1).map(str),
    st.floats(0, 1000, allow_nan=False).map(lambda x: f"{x:.1f}"),
    st.sampled_from(NUMBER_WORDS),
    st.integers(10**15, 10**400).map(str),  # overflows a float past 10^308
)
# Sentence pieces the rules look for, with random figures and names in the slots.
TEMPLATES = [
    "{q} {n} {who} {did} {place} {when}",
    "{n} {who} {did} {when}, {src}",
    "{q} {n} percent of {place}",
    "{q} {n} km from {place}",
    "{lead} {n} {unit}",
    "since {month} {day}",
    "since {day} {month}",
    "{part} {month}",
    "on {weekday}",
    "{month} {day}, {year}",
    "between {n} and {n2} {who}",
    "{n}-{n2} {who}",
    "{n} families of {n2} members",
]
LEADS = ["in", "in the last", "over the past", "within", "the past", "last", "during the last"]
UNITS = ["days", "day", "weeks", "week", "hours"]
template_text = st.builds(
    lambda t, **slots: t.format(**slots),
    st.sampled_from(TEMPLATES),
    q=st.sampled_from(["", "about", "more than", "at least", "nearly", "up to", "some"]),
    n=numbers,
    n2=numbers,
    who=st.sampled_from(["people", "civilians", "children", "fighters", "troops", "families"]),
    did=st.sampled_from(["fled", "were killed in", "were wounded in", "remain in", "left"]),
    place=st.sampled_from(["Aleppo", "east Aleppo", "Raqa", "eastern Mosul", "the city"]),
    when=st.sampled_from(["since Saturday", "on Friday", "last month", "in recent days", ""]),
    src=st.sampled_from(["according to the Observatory", "the army said", "he said"]),
    lead=st.sampled_from(LEADS),
    unit=st.sampled_from(UNITS),
    month=st.sampled_from(MONTHS),
    day=st.integers(0, 40).map(str),
    part=st.sampled_from(["early", "mid", "late", "since early", "since mid-"]),
    weekday=st.sampled_from(WEEKDAYS),
    year=st.integers(1890, 2110).map(str),
)
tokens = st.one_of(
    st.sampled_from(PHRASES),
    st.sampled_from(WEEKDAYS + MONTHS),
    numbers,
    template_text,
    template_text,
    st.text(max_size=8),
)
report_text = st.one_of(
    st.lists(st.tuples(tokens, st.sampled_from(SEPARATORS)), min_size=1, max_size=40).map(
        lambda parts: "".join(t + s for t, s in parts)
    ),
    st.text(min_size=1, max_size=200),
).filter(lambda t: t.strip())

publication = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2030, 12, 31),
        timezones=st.just(UTC),
    ),
)


def _record(report_id: str, body: str, published: datetime | None) -> dict:
    return {
        "report_id": report_id,
        "title": "T",
        "outlet": "AFP",
        "via": None,
        "published": None if published is None else pd.Timestamp(published),
        "url": None,
        "language": "en",
        "body": body,
        "n_chars": len(body),
        "sha256": hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest(),
        "path": f"{report_id}.txt",
        "source_file": None,
        "published_from": None if published is None else "front matter",
        "n_replacement": body.count("\ufffd"),
    }


# One report validated by `reports_frame`; batches are copies of it with other bodies,
# ids and dates (a `Reports` validation costs ~40 ms, 30 times the extraction itself).
_TEMPLATE = reports_frame([_record("r0", "x", None)])


def _batch(records: list[dict]) -> pd.DataFrame:
    frame = _TEMPLATE.iloc[[0] * len(records)].reset_index(drop=True)
    for col in ("report_id", "body", "sha256", "path"):
        frame[col] = pd.Series([r[col] for r in records], dtype=_TEMPLATE[col].dtype)
    for col in ("n_chars", "n_replacement"):
        frame[col] = pd.Series([r[col] for r in records], dtype="int64")
    frame["published"] = pd.to_datetime(
        pd.Series([r["published"] for r in records], dtype=object), utc=True
    ).dt.as_unit("us")
    frame["published_from"] = [r["published_from"] for r in records]
    return frame


def test_batches_are_valid_reports_frames():
    records = [
        _record("a", "About 5,000 fled.", datetime(2016, 12, 1, tzinfo=UTC)),
        _record("b", "x\r\ny", None),
    ]
    pd.testing.assert_frame_equal(_batch(records), reports_frame(records))


# A batch of one to three reports, as (body, publication time or None) pairs; the tests
# turn it into a `Reports` frame with `_batch`.
batches = st.lists(st.tuples(report_text, publication), min_size=1, max_size=3)


def _frame(batch: list[tuple[str, datetime | None]]) -> pd.DataFrame:
    return _batch([_record(f"r{i}", body, when) for i, (body, when) in enumerate(batch)])


def _extract(reports: pd.DataFrame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReportWarning)
        return extract_claims(reports, with_rejects=True)


# ---------------------------------------------------------------- the extractor


@given(batches)
# Extractor bugs this property found (extract/periods.py, find_times, the "span" rule),
# kept as regression examples (fixed in 0d80cd8): a counted span too long for the
# calendar raised OverflowError instead of giving no period. Hypothesis shrank them to
# "in <huge number> days" with the publication day 2000-01-01; the three ways it failed:
@example([("in 1000000 days", datetime(2000, 1, 1, tzinfo=UTC))])  # date value out of range
@example([("in 10000000000 days", datetime(2000, 1, 1, tzinfo=UTC))])  # int too large for C
@example([("in " + "9" * 309 + " days", datetime(2000, 1, 1, tzinfo=UTC))])  # round(inf)
# and (extract/numbers.py, parse_number, fixed in 0d80cd8): a digit newer than Python's
# Unicode tables (U+10D40, Unicode 16) matched the `regex` module's \d but float()
# rejected it: ValueError
@example([("\U00010d40 people fled", None)])
def test_extractor_gives_valid_claims_or_its_own_error(batch):
    reports = _frame(batch)
    try:
        claims, rejects = _extract(reports)
    except ToolkitError:
        return
    validate(claims, Claims)  # (Claims.validate itself fails on an empty frame: see tables)
    assert list(claims.columns[: len(CLAIM_COLUMNS)]) == CLAIM_COLUMNS
    assert set(claims["report_id"]) <= set(reports["report_id"])
    assert list(rejects.columns) == [*CLAIM_COLUMNS, "rule"]
    assert rejects["rule"].map(lambda r: isinstance(r, str) and r != "").all()


def _extract_or_skip(reports):
    """Claims of a batch; an extractor crash is the business of the test above."""
    try:
        return _extract(reports)
    except ToolkitError:
        return None
    except Exception:  # noqa: BLE001
        assume(False)


@given(batches)
def test_claims_point_inside_their_report_and_end_by_its_publication(batch):
    """Two properties of every claim (and every claim set aside): its span lies inside
    its report's body, and its period ends no later than the report's publication day."""
    reports = _frame(batch)
    out = _extract_or_skip(reports)
    assume(out is not None)
    bodies = reports.set_index("report_id")["body"]
    published = reports.set_index("report_id")["published"]
    for claims in out:
        for row in claims.itertuples():
            body = bodies[row.report_id]
            assert 0 <= row.span_start < row.span_end <= len(body), row
            assert body[row.span_start : row.span_end].strip(), row
            pub = published[row.report_id]
            if pd.isna(pub):  # no publication day: no relative period is guessed
                assert pd.isna(row.period_start) and pd.isna(row.period_end), row
                continue
            for day in (row.period_start, row.period_end):
                assert pd.isna(day) or day.date() <= pub.date(), row
            if pd.notna(row.period_start) and pd.notna(row.period_end):
                assert row.period_start <= row.period_end, row


@given(st.text(max_size=300) | report_text)
# Extractor bug this property found (extract/numbers.py, parse_number; fixed in 0d80cd8,
# kept as a regression example): the `regex` module's \d knew digits of Unicode 16 that
# Python 3.11's float() does not: ValueError
@example("\U00010d40")
def test_number_reading_never_raises(text):
    value = parse_number(text)
    assert value is None or value >= 0
    for a in find_amounts(text):
        assert 0 <= a.start < a.end <= len(text)
        for v in (a.value, a.low, a.high):
            assert v is None or v >= 0
        if a.low is not None and a.high is not None:
            assert a.low <= a.high


# ---------------------------------------------------------------- the reader

yaml_values = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["2016-12-01", "2016-12-01T21:00:00Z", "2999-01-01", "1850-01-01",
                     "[a, b]", "{a: 1}", "!!python/object:os.system x", "!include x", "&a 1",
                     "*a", "|\n  block", '"unclosed', "null", "~", "12", "true"]),
)  # fmt: skip
front_matter = st.lists(
    st.tuples(
        st.sampled_from(["id", "title", "outlet", "via", "published", "url", "language",
                         "colour", "- item", ""]) | st.text(max_size=8),
        yaml_values,
    ),
    max_size=8,
).map(lambda kv: "".join(f"{k}: {v}\n" for k, v in kv))  # fmt: skip
encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])


@st.composite
def report_bytes(draw) -> bytes:
    """Bytes that are often, but not always, close to a report file."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=400))
    text = draw(report_text)
    if kind >= 2:
        closing = draw(st.sampled_from(["---\n", "---\r\n", "--- \n", ""]))
        text = f"---\n{draw(front_matter)}{closing}{text}"
    data = text.encode(draw(encodings), errors="replace")
    if kind == 3 and data:  # splice in a few random bytes
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
    return data


@given(report_bytes(), st.sampled_from(["r.txt", "r.md", "bad name.txt", "..txt"]))
def test_read_report_loads_or_raises_report_error(data, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReportWarning)
            try:
                record = read_report(path, max_bytes=2_000, today=date(2020, 1, 1))
            except ReportError as exc:
                assert exc.path == str(path) and exc.problem
                assert str(exc).startswith(f"{path}: ")
                return
    assert set(record) == set(COLUMNS)
    assert record["body"].strip() and record["n_chars"] == len(record["body"])
    assert record["published"] is None or record["published"].date() <= date(2020, 1, 1)


@given(st.lists(report_bytes(), min_size=1, max_size=4))
def test_batch_ledger_adds_up(files):
    with tempfile.TemporaryDirectory() as tmp:
        for i, data in enumerate(files):
            (Path(tmp) / f"f{i}.txt").write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReportWarning)
            batch = read_batch(tmp, max_bytes=2_000, today=date(2020, 1, 1))
    ledger = batch.ledger
    assert len(ledger) == len(files) == len(batch.reports) + len(batch.rejects)
    assert ledger["status"].isin(["loaded", "rejected"]).all()
    assert list(ledger.loc[ledger["status"] == "loaded", "path"]) == list(batch.reports["path"])
    assert ledger.loc[ledger["status"] == "rejected", "reason"].str.len().gt(0).all()
    assert batch.reports["report_id"].is_unique


# ---------------------------------------------------------------- round trip

safe_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}", fullmatch=True)
field_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).map(
    str.strip
)
field_text = field_text.filter(bool)


@st.composite
def report_records(draw) -> dict:
    """A report as `write_report` takes it: with front matter, or a plain file."""
    body = draw(report_text | st.text(st.characters(exclude_categories=("Cs",)), min_size=1))
    assume(body.strip() and "\x00" not in body)
    record = {"report_id": draw(safe_ids), "body": body}
    if draw(st.booleans()):
        record.update(
            title=draw(field_text),
            outlet=draw(field_text),
            via=draw(st.none() | field_text),
            published=pd.Timestamp(
                draw(
                    st.datetimes(
                        datetime(1900, 1, 1), datetime(2099, 12, 31), timezones=st.just(UTC)
                    )
                )  # fmt: skip
            ),
            url=draw(st.none() | st.from_regex(r"https?://[!-~]{1,30}", fullmatch=True)),
            language=draw(st.sampled_from(["en", "fr", "ar", "pt-BR", "eng"])),
            source_file=draw(st.none() | field_text),
            published_from="front matter",
        )
    else:
        assume(body.splitlines()[0].rstrip("\r\n") != "---")
    return record


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.drop(columns="path").reset_index(drop=True), b.drop(columns="path").reset_index(drop=True)
    )


@given(report_records(), st.sampled_from([".csv", ".parquet"]))
def test_reading_writing_reading_loses_nothing(record, table_format):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReportWarning)
            try:
                first = read_report(write_report(record, tmp / "a"), today=FAR_FUTURE)
            except ReportError as exc:
                # only a body that looks binary may fail to read back
                assert CONTROL.search(record["body"]), exc
                assert "binary file" in exc.problem, exc
                assume(False)
            assert first["body"] == record["body"]
            assert first["report_id"] == record["report_id"]
            if "title" in record:
                for key in ("title", "outlet", "via", "published", "url", "language"):
                    assert first[key] == record[key], key
            # reading then writing then reading: a report file ...
            again = read_report(write_report(first, tmp / "b"), today=FAR_FUTURE)
        assert {**again, "path": None} == {**first, "path": None}
        # ... and a reports table, as CSV or as Parquet (drawn: a table read costs a
        # schema validation, the bulk of the time of an example)
        frame = reports_frame([first])
        table = write_table(frame, tmp / f"reports{table_format}")
        _same(frame, read_reports_table(table))


def test_profile_runs_enough_examples():
    from hypothesis import settings

    profile = settings()
    if profile.max_examples < 2000:
        pytest.skip(f"profile with {profile.max_examples} examples (HYPOTHESIS_PROFILE)")
    assert profile.deadline is None
