"""The data every notebook starts from: reports, curated claims and events, reference figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.reference import data_dir
from toolkit.reference_figures import read_reference_figures
from toolkit.reports import read_reports
from toolkit.tables import read_claims, read_events


@dataclass(frozen=True)
class Dataset:
    """Validated frames of the project's corpus."""

    reports: pd.DataFrame
    claims: pd.DataFrame
    events: pd.DataFrame
    figures: pd.DataFrame


def load_dataset(data: str | Path | None = None) -> Dataset:
    """Read and validate `data/` (reports, curated claims and events, reference figures)."""
    root = Path(data) if data is not None else data_dir()
    reports = read_reports(root / "reports")
    claims = with_evidence(read_claims(root / "curated" / "claims.csv"), reports)
    events = with_evidence(read_events(root / "curated" / "events.csv"), reports)
    figures = read_reference_figures(root / "reference" / "figures.csv")
    return Dataset(reports, claims, events, figures)


def with_evidence(table: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Add `evidence` (the report text under each row's span) and the report's outlet.

    Every number a notebook shows can then be traced back to the words it came from.
    """
    meta = reports.set_index("report_id")
    bodies = meta["body"]
    out = table.copy()
    out["evidence"] = [
        bodies[r][int(s) : int(e)] if r in bodies.index else pd.NA
        for r, s, e in zip(out["report_id"], out["span_start"], out["span_end"], strict=True)
    ]
    out["outlet"] = out["report_id"].map(meta["outlet"])
    out["via"] = out["report_id"].map(meta["via"])
    return out
