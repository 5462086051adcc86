"""Extract a batch of reports so that one report the extractor fails on cannot sink the rest."""

from __future__ import annotations

import pandas as pd

from toolkit.extract import claims as claims_module
from toolkit.extract import events as events_module


def extract_all(reports: pd.DataFrame, events: bool = True):
    """(claims, claim rejects, events or None) of a `Reports` frame.

    One pass over the reports: the claims and the events of a report are read from the
    same prepared context (sentences, places, sources) while it is at hand.
    """
    claim_rows: list[dict] = []
    event_rows: list[dict] = []
    for report in reports.itertuples(index=False):
        claim_rows += claims_module.report_claims(report)
        if events:
            event_rows += events_module.report_events(report)
    claims, claim_rejects = claims_module.claims_table(claim_rows)
    return claims, claim_rejects, (events_module.events_table(event_rows) if events else None)


def extract_guarded(reports: pd.DataFrame, events: bool = True):
    """(claims, claim rejects, events or None, failures) of a `Reports` frame.

    A report the extractor raises on is set aside, not the batch: failures maps its path
    to the error. The reports are extracted in one go; only when that raises is each
    report tried alone, to find the culprits.
    """
    try:
        return (*extract_all(reports, events), {})
    except Exception:  # an extractor bug must not sink the whole batch
        pass
    failures = {}
    for i in range(len(reports)):
        one = reports.iloc[[i]]
        try:
            extract_all(one, events)
        except Exception as exc:
            failures[one["path"].iloc[0]] = f"{type(exc).__name__}: {exc}"
    rest = reports[~reports["path"].isin(failures)]
    return (*extract_all(rest, events), failures)
