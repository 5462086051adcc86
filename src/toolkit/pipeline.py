"""Batch steps behind `make report`: validated reports and tables written to disk."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import ProvenanceError
from toolkit.provenance import check_provenance
from toolkit.reports import read_reports
from toolkit.tables import read_claims, read_events, write_table


def build_processed(reports_dir: str | Path, curated_dir: str | Path, out_dir: str | Path):
    """Validate the corpus and curated tables; write each as Parquet and CSV under out_dir."""
    reports = read_reports(reports_dir)
    curated = Path(curated_dir)
    claims = read_claims(curated / "claims.csv")
    events = read_events(curated / "events.csv")
    for name, table in (("claims", claims), ("events", events)):
        problems = check_provenance(table, reports)
        if len(problems):
            raise ProvenanceError(f"curated {name}: {len(problems)} provenance problem(s)")
    out = Path(out_dir)
    written = []
    for name, frame in (
        ("reports", reports),
        ("curated_claims", claims),
        ("curated_events", events),
    ):
        for suffix in (".parquet", ".csv"):
            written.append(write_table(frame, out / f"{name}{suffix}"))
    return written
