"""The ledger of a batch run: what became of every input file, and counts that add up.

Every file a batch is given ends as `loaded` or `rejected` (with the reason), so
files in = loaded + rejected. `read_reports(..., errors="collect")`, `toolkit validate`
and `toolkit extract` all read through `read_batch`, which checks the counts;
`toolkit validate --ledger FILE.csv` and `toolkit extract --ledger FILE.csv` write the
ledger out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from toolkit.errors import LedgerError
from toolkit.reports import MAX_BYTES, FileOutcome, iter_report_paths, read_each, reports_frame

LEDGER_COLUMNS = ["path", "report_id", "status", "reason", "n_chars", "warnings"]
STATUSES = ("loaded", "rejected")
REJECT_COLUMNS = ["path", "reason"]


@dataclass
class Batch:
    """A batch read: the `Reports` frame, the rejected files (path, reason), the ledger."""

    reports: pd.DataFrame
    rejects: pd.DataFrame
    ledger: pd.DataFrame

    @property
    def summary(self) -> str:
        return summary(self.ledger)


def read_batch(
    paths: str | Path | Iterable[str | Path],
    max_bytes: int = MAX_BYTES,
    today: date | None = None,
) -> Batch:
    """Read every report file named or found under a named folder, and account for each."""
    inputs = [str(p) for p in iter_report_paths(paths)]
    outcomes = list(read_each(inputs, max_bytes=max_bytes, today=today))
    reports = reports_frame([o.record for o in outcomes if o.loaded])
    rejects = pd.DataFrame(
        [{"path": o.path, "reason": o.reason} for o in outcomes if not o.loaded],
        columns=REJECT_COLUMNS,
    ).astype("str")
    ledger = build_ledger(inputs, outcomes, n_loaded=len(reports), n_rejected=len(rejects))
    return Batch(reports, rejects, ledger)


def build_ledger(
    inputs: Sequence[str],
    outcomes: Sequence[FileOutcome],
    n_loaded: int | None = None,
    n_rejected: int | None = None,
) -> pd.DataFrame:
    """The ledger frame of a batch: one row per input file, in input order.

    Columns: path, report_id (missing when the file was not read far enough to have
    one), status (`loaded` or `rejected`), reason (why it was rejected), n_chars (body
    length of a loaded report), warnings (the file's `ReportWarning`s, joined by " | ").
    Raises LedgerError unless every input has exactly one row and the counts add up.
    """
    rows = [
        {
            "path": o.path,
            "report_id": o.report_id,
            "status": "loaded" if o.loaded else "rejected",
            "reason": o.reason,
            "n_chars": o.record["n_chars"] if o.loaded else None,
            "warnings": " | ".join(o.warnings),
        }
        for o in outcomes
    ]
    ledger = _typed(pd.DataFrame(rows, columns=LEDGER_COLUMNS))
    check_ledger(ledger, inputs, n_loaded=n_loaded, n_rejected=n_rejected)
    return ledger


def _typed(ledger: pd.DataFrame) -> pd.DataFrame:
    ledger = ledger.copy()
    for col in ("path", "report_id", "status", "reason", "warnings"):
        ledger[col] = ledger[col].astype("object").where(ledger[col].notna(), None)
    ledger["n_chars"] = pd.to_numeric(ledger["n_chars"]).astype("Int64")
    return ledger


def check_ledger(
    ledger: pd.DataFrame,
    inputs: Sequence[str],
    n_loaded: int | None = None,
    n_rejected: int | None = None,
) -> None:
    """Raise LedgerError unless files in = loaded + rejected, file by file and in total."""
    problems = []
    if list(ledger["path"]) != [str(p) for p in inputs]:
        missing = sorted(set(map(str, inputs)) - set(ledger["path"]))
        extra = sorted(set(ledger["path"]) - set(map(str, inputs)))
        problems.append(
            f"{len(inputs)} file(s) in but {len(ledger)} ledger row(s)"
            + (f"; not accounted for: {', '.join(missing[:5])}" if missing else "")
            + (f"; not an input: {', '.join(extra[:5])}" if extra else "")
        )
    bad_status = ledger.loc[~ledger["status"].isin(STATUSES), "path"]
    if len(bad_status):
        problems.append(f"status neither loaded nor rejected: {', '.join(bad_status[:5])}")
    rejected = ledger["status"] == "rejected"
    no_reason = ledger.loc[rejected & ledger["reason"].fillna("").str.strip().eq(""), "path"]
    if len(no_reason):
        problems.append(f"rejected without a reason: {', '.join(no_reason[:5])}")
    loaded = ledger["status"] == "loaded"
    if n_loaded is not None and int(loaded.sum()) != n_loaded:
        problems.append(f"{int(loaded.sum())} loaded in the ledger but {n_loaded} reports read")
    if n_rejected is not None and int(rejected.sum()) != n_rejected:
        problems.append(f"{int(rejected.sum())} rejected in the ledger but {n_rejected} rejects")
    if len(ledger) != int(loaded.sum()) + int(rejected.sum()):
        problems.append(
            f"{len(ledger)} file(s) in != {int(loaded.sum())} loaded + {int(rejected.sum())} "
            "rejected"
        )
    if problems:
        raise LedgerError("ledger does not add up: " + "; ".join(problems))


def summary(ledger: pd.DataFrame) -> str:
    """ "N file(s): L loaded, R rejected"."""
    n_loaded = int((ledger["status"] == "loaded").sum())
    n_rejected = int((ledger["status"] == "rejected").sum())
    return f"{len(ledger)} file(s): {n_loaded} loaded, {n_rejected} rejected"


def add_files(ledger: pd.DataFrame, rows: Iterable[dict]) -> pd.DataFrame:
    """The ledger with more input files (claims or events tables, say) appended."""
    extra = pd.DataFrame(list(rows), columns=LEDGER_COLUMNS)
    if extra.empty:
        return ledger
    extra["warnings"] = extra["warnings"].astype(object).where(extra["warnings"].notna(), "")
    both = pd.concat([ledger.astype("object"), extra.astype("object")], ignore_index=True)
    both = _typed(both)
    check_ledger(both, list(both["path"]))
    return both


def reject_loaded(ledger: pd.DataFrame, path: str, reason: str) -> pd.DataFrame:
    """The ledger with a loaded file turned rejected (its extraction failed, say)."""
    ledger = ledger.copy()
    hit = (ledger["path"] == str(path)) & (ledger["status"] == "loaded")
    if not hit.any():
        raise LedgerError(f"{path}: not a loaded file of this batch")
    ledger.loc[hit, ["status", "reason", "n_chars"]] = ["rejected", reason, pd.NA]
    check_ledger(ledger, list(ledger["path"]))
    return ledger
