"""Read external article corpora (FA-KES) into a `Reports` frame."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd

from toolkit.reference import sources
from toolkit.reports import parse_dateline, reports_frame

FAKES_ENV = "TOOLKIT_FAKES_CSV"


def fakes_path() -> Path | None:
    """The FA-KES CSV named by $TOOLKIT_FAKES_CSV, when it exists."""
    env = os.environ.get(FAKES_ENV)
    return Path(env) if env and Path(env).is_file() else None


def read_fakes(path: str | Path) -> pd.DataFrame:
    """FA-KES articles as reports: one per distinct unit_id (the first occurrence kept).

    The outlet comes from the source registry's `fakes_code`; `published` is the dateline
    opening the text when there is one, else the `date` column.
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    outlets = dict(zip(sources()["fakes_code"], sources()["name"]))
    records = []
    for row in raw.drop_duplicates("unit_id").itertuples(index=False):
        body = row.article_content
        if not body.strip():
            continue
        dateline = parse_dateline(body, head=40)
        published = dateline if dateline is not None else pd.to_datetime(
            row.date, format="%m/%d/%Y", errors="coerce", utc=True
        )
        records.append(
            dict(
                report_id=f"fakes-{row.unit_id}",
                title=row.article_title or None,
                outlet=outlets.get(row.source, row.source),
                via=None,
                published=published,
                url=None,
                language="en",
                body=body,
                n_chars=len(body),
                sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
                path=f"{path}#{row.unit_id}",
                source_file=None,
                published_from="dateline" if dateline is not None else "date column",
                n_replacement=body.count("\ufffd"),
            )
        )
    return reports_frame(records)
