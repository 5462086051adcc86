"""Cross-table checks: every claim and event points at real evidence in its report."""

from __future__ import annotations

import pandas as pd
import regex

from toolkit.errors import ProvenanceError
from toolkit.extract.numbers import find_amounts

_TOTAL = regex.compile(r"\b(?:all|full|entire|whole)\b", regex.I)
PROBLEM_COLUMNS = ["row", "report_id", "problem"]


def _number_in_span(text: str, row) -> bool:
    """True when `text` states the claim's number (value, or bounds for vague and range)."""
    if row.value == 100 and row.unit == "percent" and _TOTAL.search(text):
        return True
    for a in find_amounts(text):
        if pd.notna(row.value):
            if a.value is not None and abs(a.value - row.value) <= 0.05 * max(1.0, row.value):
                return True
        elif a.low is not None and a.low == row.value_low and a.high == row.value_high:
            return True
    return False


def check_provenance(
    claims: pd.DataFrame, reports: pd.DataFrame, raise_errors: bool = False
) -> pd.DataFrame:
    """List claims (or events) whose span or period does not fit their report.

    Checks: the report exists; the span lies inside its body; for claims, the spanned
    text states the number; no period (or event date) ends after the publication day.
    Returns a frame (row, report_id, problem), empty when all is well.
    """
    bodies = reports.set_index("report_id")["body"]
    published = reports.set_index("report_id")["published"]
    is_claims = "value" in claims.columns
    problems = []
    for idx, row in claims.iterrows():
        rid = row["report_id"]
        if rid not in bodies.index:
            problems.append((idx, rid, "no such report"))
            continue
        body = bodies[rid]
        start, end = int(row["span_start"]), int(row["span_end"])
        if not 0 <= start < end <= len(body):
            problems.append((idx, rid, f"span {start}-{end} outside the body (length {len(body)})"))
            continue
        if is_claims and not _number_in_span(body[start:end], row):
            problems.append((idx, rid, f"span {body[start:end]!r} does not state the number"))
        last = row["period_end"] if is_claims else row["date"]
        pub = published[rid]
        if pd.notna(last) and pd.notna(pub) and pd.Timestamp(last).date() > pub.date():
            problems.append((idx, rid, f"ends {pd.Timestamp(last).date()} after publication"))
    out = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    if raise_errors and len(out):
        lines = "; ".join(f"row {r.row} ({r.report_id}): {r.problem}" for r in out.itertuples())
        raise ProvenanceError(lines)
    return out
