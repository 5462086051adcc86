"""Outlets at scale: how many claims each outlet carries and whom it attributes them to."""

from __future__ import annotations

import pandas as pd
from scipy.stats import fisher_exact

from toolkit.lexicons import load
from toolkit.reference import canonical_source, sources


def attribution_class(claims: pd.DataFrame, reports: pd.DataFrame) -> pd.Series:
    """Per claim: unattributed (the outlet's own voice), monitor, state, UN or NGO, ..."""
    lex = load("attribution_classes")
    kinds = dict(zip(sources()["name"], sources()["kind"], strict=True))
    meta = reports.set_index("report_id")
    own = {
        rid: {canonical_source(meta.at[rid, "outlet"]), canonical_source(meta.at[rid, "via"])}
        for rid in meta.index
    }
    classes = []
    for rid, claimant in zip(claims["report_id"], claims["claimant"], strict=True):
        if claimant in own.get(rid, set()):
            classes.append(lex["unattributed"])
        else:
            classes.append(lex["classes"].get(kinds.get(claimant), lex["unknown"]))
    return pd.Series(classes, index=claims.index, name="attribution")


def claims_per_outlet(claims: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: reports, claims, claims per report and per 1,000 words."""
    words = reports["body"].str.count(r"\w+")
    per_report = reports.assign(words=words)[["report_id", "outlet", "words"]]
    n_claims = claims["report_id"].value_counts()
    per_report = per_report.assign(claims=per_report["report_id"].map(n_claims).fillna(0))
    out = per_report.groupby("outlet").agg(
        reports=("report_id", "size"), words=("words", "sum"), claims=("claims", "sum")
    )
    out["claims"] = out["claims"].astype(int)
    out["claims_per_report"] = (out["claims"] / out["reports"]).round(2)
    out["claims_per_1000_words"] = (1000 * out["claims"] / out["words"]).round(2)
    return out.sort_values("claims", ascending=False)


def attribution_by_outlet(claims: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Share of each outlet's claims by attribution class (rows sum to 1), with counts."""
    outlet = claims["report_id"].map(reports.set_index("report_id")["outlet"])
    table = pd.crosstab(outlet, attribution_class(claims, reports))
    shares = table.div(table.sum(axis=1), axis=0).round(3)
    shares["claims"] = table.sum(axis=1)
    shares.index.name = "outlet"
    return shares.sort_values("claims", ascending=False)


def label_association(per_report: pd.DataFrame, flag: str, label: str = "labels") -> pd.DataFrame:
    """2x2 table of a yes/no report feature against the corpus label, with Fisher's exact test.

    Reports whose label is conflicting ("0|1") are left out and counted in the result.
    """
    usable = per_report[per_report[label].isin(["0", "1"])]
    table = pd.crosstab(usable[flag].astype(bool), usable[label]).reindex(
        index=[False, True], columns=["0", "1"], fill_value=0
    )
    odds, p = fisher_exact(table.to_numpy())
    out = table.rename(columns={"0": "labelled fake", "1": "labelled credible"})
    out["share credible"] = (out["labelled credible"] / out.sum(axis=1)).round(3)
    out.attrs.update(
        odds_ratio=float(odds), p_value=float(p), excluded=int(len(per_report) - len(usable))
    )
    return out
