"""Who says what, who repeats whom, and by how much sources differ (notebook 03).

Conventions used throughout:

- A claim's period: a missing `period_start` is read as `period_end` (only the day the
  text vouches for), so an open-ended flow overlaps another claim only on its last day.
- A claim's central value is `value`, else the midpoint of `value_low` and `value_high`
  when both are known (a vague "thousands" is 5,999.5), else missing.
- Reference figures (data/reference/figures.csv) can join the claims as extra claimants;
  their `figure_id` stands in the `report_id` column and their `source` is "reference".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import regex

from toolkit.vocab import STOCK_CATEGORIES

# the same word count as notebook 01's corpus overview (toolkit.analysis.corpus)
_WORD = regex.compile(r"\w+(?:['’]\w+)*")
KEY = ["claimant", "category", "location", "unit", "qualifier", "value", "value_low", "value_high"]
CONTEXT_CHARS = 40


def _periods(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Effective (start, end) of each row: a missing start is the end day, and vice versa."""
    start = table["period_start"].fillna(table["period_end"])
    end = table["period_end"].fillna(table["period_start"])
    return start, end


def _clusters(start: pd.Series, end: pd.Series, gap_days: int) -> list[int]:
    """Cluster ids for intervals (already sorted by start) that overlap or lie within a gap."""
    ids, reach, current = [], None, -1
    for s, e in zip(start, end, strict=True):
        if pd.isna(s) or reach is None or pd.isna(reach) or s > reach:
            current += 1
            reach = e
        else:
            reach = max(reach, e)
        ids.append(current)
        if pd.notna(reach):
            reach = reach + pd.Timedelta(days=gap_days)
    return ids


def central_value(table: pd.DataFrame) -> pd.Series:
    """The value a claim stands for: `value`, else the midpoint of two known bounds."""
    return table["value"].fillna((table["value_low"] + table["value_high"]) / 2)


def claimant_by_outlet(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per claimant (rows) and outlet (columns), most prolific claimant first."""
    table = pd.crosstab(claims["claimant"], claims["outlet"])
    table = table.reindex(sorted(table.columns), axis=1)
    order = sorted(table.index, key=lambda c: (-table.loc[c].sum(), c))
    return table.loc[order].rename_axis(index="claimant", columns="outlet")


def republication_chains(claims: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Rows outlet -> via -> claimant with claim and report counts; via missing = own copy.

    `kind` is "own voice" when the claimant is the outlet or the wire itself (no
    attribution in the text), else "attributed".
    """
    meta = reports.set_index("report_id")
    rows = pd.DataFrame(
        {
            "outlet": claims["report_id"].map(meta["outlet"]),
            "via": claims["report_id"].map(meta["via"]),
            "claimant": claims["claimant"],
            "report_id": claims["report_id"],
        }
    )
    rows["via"] = rows["via"].fillna(rows["outlet"])
    out = (
        rows.groupby(["outlet", "via", "claimant"])
        .agg(claims=("report_id", "size"), reports=("report_id", "nunique"))
        .reset_index()
    )
    own = (out["claimant"] == out["outlet"]) | (out["claimant"] == out["via"])
    out["kind"] = np.where(own, "own voice", "attributed")
    return out.sort_values(["outlet", "claims", "claimant"], ascending=[True, False, True])[
        ["outlet", "via", "claimant", "kind", "claims", "reports"]
    ].reset_index(drop=True)


def distinct_claims(claims: pd.DataFrame, gap_days: int = 0) -> pd.DataFrame:
    """Collapse repeats of one statement, keeping the reports and outlets that carried it.

    Rows are one statement when they share claimant, category, location, unit, qualifier,
    value and bounds and their periods overlap (or lie within `gap_days`). The merged
    period is the hull of theirs: for a flow, "more than N over a window" stays true over
    any longer window (a missing start stays missing). Two outlets repeating one wire story
    thus count once; `spans` lists every report:start-end it was read from.
    """
    df = claims.reset_index(drop=True)
    df["_start"], df["_end"] = _periods(df)
    df["_span"] = (
        df["report_id"] + ":" + df["span_start"].astype(str) + "-" + df["span_end"].astype(str)
    )
    df = df.sort_values(KEY + ["_start", "_end", "report_id", "span_start"], na_position="last")
    df["_cluster"] = -1
    for _, idx in df.groupby(KEY, dropna=False, sort=True).groups.items():
        part = df.loc[idx]
        df.loc[idx, "_cluster"] = _clusters(part["_start"], part["_end"], gap_days)
    groups = df.groupby(KEY + ["_cluster"], dropna=False, sort=False)
    out = groups.agg(
        period_start=("period_start", lambda s: s.min() if s.notna().all() else pd.NaT),
        period_end=("period_end", "max"),
        n_reports=("report_id", "nunique"),
        report_ids=("report_id", lambda s: "; ".join(sorted(set(s)))),
        outlets=("outlet", lambda s: "; ".join(sorted(set(s.dropna())))),
        spans=("_span", lambda s: "; ".join(sorted(set(s)))),
        evidence=("evidence", "first"),
    ).reset_index()
    out["n_outlets"] = out["outlets"].map(lambda s: len(s.split("; ")) if s else 0)
    out = out.drop(columns="_cluster")
    return out.sort_values(
        ["category", "location", "claimant", "period_end", "value_low"], na_position="last"
    ).reset_index(drop=True)


def figures_as_claims(figures: pd.DataFrame) -> pd.DataFrame:
    """Reference figures in the claims' shape (figure_id as report_id, citation as outlet)."""
    return pd.DataFrame(
        {
            "report_id": figures["figure_id"],
            "category": figures["category"],
            "value": figures["value"],
            "qualifier": figures["qualifier"],
            "value_low": figures["value_low"],
            "value_high": figures["value_high"],
            "unit": figures["unit"],
            "location": figures["place"],
            "claimant": figures["claimant"],
            "period_start": figures["period_start"],
            "period_end": figures["period_end"],
            "evidence": figures["measure"],
            "outlet": figures["citation"],
            "source": "reference",
        }
    )


def _period_relation(a0, a1, b0, b1) -> str:
    """'same', 'nested' (one period inside the other) or 'overlapping'."""
    if a0 == b0 and a1 == b1:
        return "same"
    if (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1):
        return "nested"
    return "overlapping"


def _consistent(p: pd.Series) -> object:
    """Can both claims be true? True, False, or NA when the periods do not allow a verdict."""
    if p["intervals_overlap"]:
        return True
    if p["period_relation"] == "same" or p["category"] in STOCK_CATEGORIES:
        return False
    open_start = pd.isna(p["period_start_a"]) or pd.isna(p["period_start_b"])
    if p["period_relation"] == "overlapping" or open_start:
        return pd.NA
    # nested flows: the longer window cannot hold fewer people than the shorter one
    a_outer = p["_start_a"] <= p["_start_b"] and p["_end_b"] <= p["_end_a"]
    outer, inner = ("a", "b") if a_outer else ("b", "a")
    high, low = p[f"value_high_{outer}"], p[f"value_low_{inner}"]
    return bool(pd.isna(high) or pd.isna(low) or high >= low)


def compare_across_claimants(
    claims: pd.DataFrame,
    figures: pd.DataFrame | None = None,
    within_days: int = 0,
    min_period_overlap: float = 0.0,
) -> pd.DataFrame:
    """Pairs of claims by different claimants on one category, place and overlapping period.

    Claims are first collapsed with `distinct_claims`. With `figures`, reference figures join
    as extra claimants; a pair needs at least one side from the reports. Columns:
    `ratio` (higher central value over the lower), `intervals_overlap` (the two stated
    ranges meet; open bounds are open), `period_overlap` (days in both periods over days in
    either, 1 = same period), `period_relation` and `consistent` (both can be true: the
    ranges meet, or, for flows over nested windows, the longer window is not smaller than
    the shorter one; unknown for partly overlapping or open-ended windows) and `same_report`
    (both sides read in one report: often a breakdown, not a rival estimate). Pairs below
    `min_period_overlap` are dropped.
    """
    side = distinct_claims(claims).assign(source="report")
    side = side.rename(columns={"report_ids": "report_id", "outlets": "outlet"})
    if figures is not None:
        side = pd.concat([side, figures_as_claims(figures)], ignore_index=True)
    side["center"] = central_value(side)
    side["_start"], side["_end"] = _periods(side)
    cols = [
        "claimant",
        "source",
        "report_id",
        "outlet",
        "qualifier",
        "value",
        "value_low",
        "value_high",
        "center",
        "period_start",
        "period_end",
        "_start",
        "_end",
        "evidence",
    ]
    side = side.reindex(columns=["category", "location", "unit"] + cols)
    pairs = side.merge(side, on=["category", "location", "unit"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["claimant_a"] < pairs["claimant_b"]]
    pairs = pairs[(pairs["source_a"] == "report") | (pairs["source_b"] == "report")]
    slack = pd.Timedelta(days=within_days)
    day = pd.Timedelta(days=1)
    ends, starts = pairs[["_end_a", "_end_b"]], pairs[["_start_a", "_start_b"]]
    both = ends.min(axis=1, skipna=False) - starts.max(axis=1, skipna=False)
    either = ends.max(axis=1, skipna=False) - starts.min(axis=1, skipna=False)
    pairs = pairs.assign(period_overlap=((both + day) / (either + day)).clip(lower=0))
    pairs = pairs[((both + slack) >= pd.Timedelta(0)).fillna(False)]
    pairs = pairs[pairs["period_overlap"] >= min_period_overlap].copy()
    lo = pairs[["center_a", "center_b"]].min(axis=1, skipna=False)
    hi = pairs[["center_a", "center_b"]].max(axis=1, skipna=False)
    pairs["ratio"] = (hi / lo).where(lo > 0)
    pairs["difference"] = hi - lo
    lows = pairs[["value_low_a", "value_low_b"]].fillna(-np.inf).max(axis=1)
    highs = pairs[["value_high_a", "value_high_b"]].fillna(np.inf).min(axis=1)
    pairs["intervals_overlap"] = lows <= highs
    pairs["same_report"] = [
        bool(set(a.split("; ")) & set(b.split("; ")))
        for a, b in zip(pairs["report_id_a"], pairs["report_id_b"], strict=True)
    ]
    pairs["period_relation"] = [
        _period_relation(*p)
        for p in zip(
            pairs["_start_a"], pairs["_end_a"], pairs["_start_b"], pairs["_end_b"], strict=True
        )
    ]
    pairs["consistent"] = pd.array([_consistent(p) for _, p in pairs.iterrows()], dtype="boolean")
    pairs = pairs.drop(columns=["_start_a", "_end_a", "_start_b", "_end_b"])
    return pairs.sort_values(
        [
            "category",
            "location",
            "claimant_a",
            "claimant_b",
            "period_end_a",
            "period_end_b",
            "center_a",
            "center_b",
        ]
    ).reset_index(drop=True)


# Pairs of (action, stance) on one place that cannot both be true of the same actor.
_OPPOSED = {("captured", "repelled"), ("captured", "withdrew")}


def _conflict(a: pd.Series, b: pd.Series) -> str | None:
    """Why two control events contradict each other, or None."""
    if a["actor"] == b["actor"] and a["action"] == b["action"] and a["stance"] != b["stance"]:
        return f"{a['action']}: asserted vs denied"
    if a["stance"] != "asserted" or b["stance"] != "asserted":
        return None
    if a["actor"] == b["actor"] and tuple(sorted((a["action"], b["action"]))) in _OPPOSED:
        return f"{a['action']} vs {b['action']}"
    actions = {a["action"], b["action"]}
    if a["actor"] != b["actor"] and actions <= {"captured", "holds"} and "captured" in actions:
        return "captured vs held by the other side"
    return None


def contested_events(events: pd.DataFrame, within_days: int = 3) -> pd.DataFrame:
    """Pairs of control statements by different claimants on one place that contradict.

    Contradictions: an action asserted by one claimant and denied by another; captured
    against repelled or withdrew for the same actor; captured by one actor against held by
    another. Both need dates no more than `within_days` apart (undated rows are left out).
    """
    ev = events[events["date"].notna()].reset_index(drop=True)
    cols = [
        "report_id",
        "place",
        "actor",
        "action",
        "stance",
        "claimant",
        "date",
        "span_start",
        "span_end",
        "evidence",
    ]
    ev = ev.reindex(columns=cols)
    pairs = ev.merge(ev, on="place", suffixes=("_a", "_b"))
    pairs = pairs[pairs["claimant_a"] != pairs["claimant_b"]]
    pairs = pairs[(pairs["date_a"] - pairs["date_b"]).abs() <= pd.Timedelta(days=within_days)]
    rows = []
    for _, p in pairs.iterrows():
        a = p.filter(regex="_a$").rename(lambda c: c[:-2])
        b = p.filter(regex="_b$").rename(lambda c: c[:-2])
        order = ["action", "stance", "claimant"]
        # each unordered pair once: side a is the one that sorts first by action, stance, claimant
        why = _conflict(a, b)
        if why and tuple(a[order]) < tuple(b[order]):
            rows.append({"place": p["place"], "conflict": why, **p.drop("place").to_dict()})
    out = pd.DataFrame(rows, columns=["place", "conflict"] + [c for c in pairs if c != "place"])
    return out.sort_values(["place", "date_a", "claimant_a", "claimant_b", "action_b"]).reset_index(
        drop=True
    )


def with_context(table: pd.DataFrame, reports: pd.DataFrame, chars: int = 80) -> pd.DataFrame:
    """Add `context`: the report text around each row's span, to read a short quote in place."""
    bodies = reports.set_index("report_id")["body"]
    out = table.copy()
    out["context"] = [
        " ".join(bodies[r][max(0, int(s) - chars) : int(e) + chars].split())
        for r, s, e in zip(out["report_id"], out["span_start"], out["span_end"], strict=True)
    ]
    return out


def claimant_series(
    claims: pd.DataFrame,
    claimant: str | Sequence[str],
    category: str,
    place: str | None = None,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One claimant's (or several's) figures for a category over time, reports and reference.

    Sorted by the last day each figure covers; `source` says where the row comes from.
    """
    names = [claimant] if isinstance(claimant, str) else list(claimant)
    parts = [claims.assign(source="report")]
    if figures is not None:
        parts.append(figures_as_claims(figures))
    rows = pd.concat(parts, ignore_index=True)
    keep = rows["claimant"].isin(names) & (rows["category"] == category)
    if place is not None:
        keep &= rows["location"] == place
    rows = rows[keep].copy()
    rows["center"] = central_value(rows)
    cols = [
        "period_end",
        "period_start",
        "claimant",
        "source",
        "report_id",
        "outlet",
        "location",
        "qualifier",
        "value",
        "value_low",
        "value_high",
        "center",
        "span_start",
        "span_end",
        "evidence",
    ]
    rows = rows.reindex(columns=cols)
    return rows.sort_values(
        ["period_end", "period_start", "source", "report_id"], na_position="last"
    ).reset_index(drop=True)


def _term_pattern(terms: Sequence[str]) -> regex.Pattern:
    """Whole-word, case-insensitive alternation; longer terms first so they win."""
    alts = "|".join(regex.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return regex.compile(rf"(?<!\w)(?:{alts})(?!\w)", regex.IGNORECASE)


def framing_hits(reports: pd.DataFrame, groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Every framing term found in the report bodies, with its offsets and some context."""
    rows = []
    for r in reports.itertuples():
        for group, terms in groups.items():
            for m in _term_pattern(terms).finditer(r.body):
                s, e = m.span()
                context = r.body[max(0, s - CONTEXT_CHARS) : e + CONTEXT_CHARS]
                rows.append(
                    {
                        "report_id": r.report_id,
                        "outlet": r.outlet,
                        "via": r.via,
                        "group": group,
                        "term": m.group(0).lower(),
                        "span_start": s,
                        "span_end": e,
                        "context": " ".join(context.split()),
                    }
                )
    cols = ["report_id", "outlet", "via", "group", "term", "span_start", "span_end", "context"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["report_id", "span_start", "group"]).reset_index(drop=True)


def word_counts(reports: pd.DataFrame, by: str = "outlet") -> pd.Series:
    """Words of body text per outlet (or per `by` column): the rates' denominator."""
    words = reports["body"].map(lambda b: len(_WORD.findall(b)))
    return words.groupby(reports[by].fillna(reports["outlet"])).sum().rename("words")


def framing_rates(
    reports: pd.DataFrame, groups: Mapping[str, Sequence[str]], by: str = "outlet"
) -> pd.DataFrame:
    """Per outlet and term group: hits and hits per 1,000 words of body text (long form).

    `by="via"` groups by who wrote the text (the wire) instead; a report without a via is
    its outlet's own copy.
    """
    hits = framing_hits(reports, groups)
    hits["key"] = hits[by].fillna(hits["outlet"])
    words = word_counts(reports, by)
    grid = pd.MultiIndex.from_product([sorted(words.index), list(groups)], names=[by, "group"])
    counts = hits.groupby(["key", "group"]).size().reindex(grid, fill_value=0)
    out = counts.rename("hits").reset_index()
    out["words"] = out[by].map(words)
    out["per_1000_words"] = 1000 * out["hits"] / out["words"]
    return out
