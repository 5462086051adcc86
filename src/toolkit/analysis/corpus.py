"""The corpus at a glance: one row per report with its outlet, wire, date, length and yield."""

from __future__ import annotations

import pandas as pd
import regex

_WORD = regex.compile(r"\w+(?:['’]\w+)*")


def corpus_overview(
    reports: pd.DataFrame, claims: pd.DataFrame, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per report: outlet, via, publication day, words, claims and events, sorted by date."""
    out = pd.DataFrame(
        {
            "report_id": reports["report_id"],
            "outlet": reports["outlet"],
            "via": reports["via"],
            "published": reports["published"].dt.strftime("%Y-%m-%d"),
            "words": reports["body"].map(lambda b: len(_WORD.findall(b))),
        }
    )
    out["claims"] = out["report_id"].map(claims["report_id"].value_counts()).fillna(0).astype(int)
    if events is not None:
        counts = events["report_id"].value_counts()
        out["events"] = out["report_id"].map(counts).fillna(0).astype(int)
    out["claims_per_1000_words"] = (1000 * out["claims"] / out["words"]).round(1)
    return out.sort_values(["published", "report_id"]).reset_index(drop=True)


def claims_by_category(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per category and report: what each report counts."""
    table = pd.crosstab(claims["category"], claims["report_id"])
    table["total"] = table.sum(axis=1)
    return table.sort_values("total", ascending=False)
