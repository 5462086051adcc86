"""Displacement claims as intervals: flows and stocks, daily rates, and a reconstruction.

A claim such as "more than 50,000 people have fled since Saturday" is not a point: it is an
interval of values (50,000 to unknown) over an interval of days (Saturday to publication).
This module keeps claims in that form, turns flows into daily rates, and reconstructs the
daily outflow from a place by linear programming: non-negative daily flows whose sums over
each claim's period respect the claim's bounds. Where no such flows exist, the claims
cannot all hold; the conflicting ones are named.

Flows (people who left during a period) and stocks (people present on a day) are never
mixed: a stock is not a sum of flows, and two flows only add when their periods are
disjoint and they count different people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from toolkit import vocab

DAY = pd.Timedelta(days=1)
SCOPES = ("total", "part", "within")
# What a scope means for the outflow: a total bounds it from both sides, a part (one
# destination, children only, one shelter type) from below only, a move within the place
# is not an outflow at all.
COLUMNS = [
    "claim_id", "source_kind", "claimant", "place", "category", "flow_or_stock", "value",
    "qualifier", "low", "high", "central", "period_start", "period_end", "days", "scope",
    "start_assumed", "evidence", "citation", "outlet", "report_id", "figure_id", "span_start",
    "span_end",
]  # fmt: skip
CONSTRAINT_COLUMNS = [
    "claim_id", "source_kind", "claimant", "qualifier", "value", "first", "last", "low",
    "high", "rule", "evidence", "citation",
]  # fmt: skip


class InfeasibleClaims(ValueError):
    """The claims admit no non-negative daily flows: some of them cannot all hold."""


def central_value(value: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    """One number per claim for plotting and ratios: the value, else the bounds' midpoint,
    else the one finite bound."""
    mid = (low + high) / 2
    return value.fillna(mid).fillna(low).fillna(high)


def _report_rows(claims: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Curated claims in the common layout."""
    rows = claims[claims["category"].isin(categories) & (claims["unit"] == "people")]
    return pd.DataFrame(
        {
            "claim_id": rows["report_id"] + "@" + rows["span_start"].astype(str),
            "source_kind": "report",
            "claimant": rows["claimant"],
            "place": rows["location"],
            "category": rows["category"],
            "flow_or_stock": np.where(
                rows["category"].isin(vocab.STOCK_CATEGORIES), "stock", "flow"
            ),
            "value": rows["value"],
            "qualifier": rows["qualifier"],
            "low": rows["value_low"],
            "high": rows["value_high"],
            "period_start": rows["period_start"],
            "period_end": rows["period_end"],
            "evidence": rows.get("evidence", rows["quote"]),
            "citation": rows.get("outlet", pd.Series(pd.NA, index=rows.index)),
            "outlet": rows.get("outlet", pd.Series(pd.NA, index=rows.index)),
            "report_id": rows["report_id"],
            "figure_id": pd.NA,
            "span_start": rows["span_start"],
            "span_end": rows["span_end"],
        }
    )


def _reference_rows(figures: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Reference figures in the common layout (the measure stands in for the evidence)."""
    rows = figures[figures["category"].isin(categories) & (figures["unit"] == "people")]
    return pd.DataFrame(
        {
            "claim_id": rows["figure_id"],
            "source_kind": "reference",
            "claimant": rows["claimant"],
            "place": rows["place"],
            "category": rows["category"],
            "flow_or_stock": rows["flow_or_stock"],
            "value": rows["value"],
            "qualifier": rows["qualifier"],
            "low": rows["value_low"],
            "high": rows["value_high"],
            "period_start": rows["period_start"],
            "period_end": rows["period_end"],
            "evidence": rows["measure"],
            "citation": rows["citation"],
            "outlet": rows["via"],
            "report_id": pd.NA,
            "figure_id": rows["figure_id"],
            "span_start": pd.NA,
            "span_end": pd.NA,
        }
    )


def displacement_claims(
    claims: pd.DataFrame,
    figures: pd.DataFrame | None = None,
    categories: Sequence[str] = ("displaced", "population"),
) -> pd.DataFrame:
    """Report claims and (optionally) reference figures about displacement, in one frame.

    One row per claim, counted in people, with its bounds, period, whether it is a flow or
    a stock, and the words (report evidence, or the reference figure's measure and
    citation) it rests on, so every number can be traced back.
    """
    parts = [_report_rows(claims, categories)]
    if figures is not None:
        parts.append(_reference_rows(figures, categories))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    for col in ("value", "low", "high"):
        out[col] = out[col].astype("float64")
    for col in ("period_start", "period_end"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    out["central"] = central_value(out["value"], out["low"], out["high"])
    out["days"] = _n_days(out["period_start"], out["period_end"])
    out["scope"] = "total"
    out["start_assumed"] = False
    for col in ("span_start", "span_end"):
        out[col] = out[col].astype("Int64")
    out = out[COLUMNS].sort_values(["period_end", "period_start", "claim_id"], na_position="first")
    return out.reset_index(drop=True)


def _n_days(first: pd.Series, last: pd.Series) -> pd.Series:
    """Days in each period, both ends included; missing when either end is."""
    return ((last - first) / DAY + 1).round().astype("Int64")


def assume_start(frame: pd.DataFrame, ids: Iterable[str], day: str | pd.Timestamp) -> pd.DataFrame:
    """Give the named open-start flows the start `day` (flagged in `start_assumed`).

    A cumulative count ("about 37,000 have left") is a flow from the day counting began;
    when the source does not say which day that was, the analyst must, and says so.
    """
    ids = list(ids)
    unknown = sorted(set(ids) - set(frame["claim_id"]))
    if unknown:
        raise KeyError(f"no such claims: {unknown}")
    out = frame.copy()
    hit = out["claim_id"].isin(ids) & out["period_start"].isna() & (out["flow_or_stock"] == "flow")
    out.loc[hit, "period_start"] = pd.Timestamp(day)
    out.loc[hit, "start_assumed"] = True
    out["days"] = _n_days(out["period_start"], out["period_end"])
    return out


def mark_scope(frame: pd.DataFrame, scopes: Mapping[str, str]) -> pd.DataFrame:
    """Set the scope (total, part, within) of the named claims; unknown ids are an error.

    A part (one destination, children only) can only bound a total from below.
    """
    unknown = sorted(set(scopes) - set(frame["claim_id"]))
    if unknown:
        raise KeyError(f"no such claims: {unknown}")
    bad = sorted({s for s in scopes.values() if s not in SCOPES})
    if bad:
        raise ValueError(f"scopes must be one of {SCOPES}, not {bad}")
    out = frame.copy()
    out["scope"] = out["claim_id"].map(scopes).fillna(out["scope"])
    return out


def daily_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Flows with a known period as people per day (value and bounds over inclusive days).

    "50,000 since Saturday" and "50,000 in 48 hours" are different speeds; rates make
    claims over periods of different length comparable.
    """
    flows = frame[
        (frame["flow_or_stock"] == "flow")
        & frame["period_start"].notna()
        & frame["period_end"].notna()
    ].copy()
    days = flows["days"].astype("float64")
    for col in ("value", "low", "high", "central"):
        flows[f"rate_{col}" if col != "value" else "rate"] = flows[col] / days
    keep = [
        "claim_id", "source_kind", "claimant", "place", "qualifier", "period_start",
        "period_end", "days", "value", "low", "high", "central", "rate", "rate_low",
        "rate_high", "rate_central", "scope", "evidence",
    ]  # fmt: skip
    return (
        flows[keep].sort_values(["period_start", "period_end", "claim_id"]).reset_index(drop=True)
    )


def _bounds_rule(row: pd.Series, tolerance: float) -> tuple[float, float, list[str]]:
    """The bounds a claim puts on its own period's total, and the rules applied."""
    low, high, rules = row["low"], row["high"], []
    if row["qualifier"] == "approx" and pd.notna(row["value"]) and tolerance > 0:
        low, high = row["value"] * (1 - tolerance), row["value"] * (1 + tolerance)
        rules.append(f"approx: ±{tolerance:.0%}")
    if row["scope"] == "part" and pd.notna(high):
        high = np.nan
        rules.append("part of the outflow: lower bound only")
    return low, high, rules


def outflow_constraints(
    frame: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    place: str = "east Aleppo",
    approx_tolerance: float = 0.1,
) -> pd.DataFrame:
    """What each flow claim about `place` says about the daily outflow in [start, end].

    Each row is one claim as a constraint: low <= sum of the daily flows over [first,
    last] <= high (a missing bound is open). Rules, recorded per row in `rule`:
    - `approx` values get ±`approx_tolerance`; `exact` ones are taken as stated;
    - a part (scope `part`) keeps only its lower bound; a move `within` the place is left out;
    - an unknown start keeps only the lower bound, counted from `start`: whenever they
      started, at least that many had left by the end day (flows are never negative);
    - a period that runs outside [start, end] keeps only its upper bound, on the days
      inside (the days outside may hold the rest of the lower bound);
    - a start set by `assume_start` is used like a stated one, and said so.
    Claims left with no bound are dropped.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    flows = frame[
        (frame["flow_or_stock"] == "flow")
        & (frame["place"] == place)
        & (frame["scope"] != "within")
        & frame["period_end"].notna()
    ]
    rows = []
    for _, row in flows.iterrows():
        low, high, rules = _bounds_rule(row, approx_tolerance)
        first, last = row["period_start"], row["period_end"]
        if row["start_assumed"]:
            rules.append(f"start assumed: {first:%Y-%m-%d}")
        if pd.isna(first):
            first, high = start, np.nan
            rules.append("start unknown: lower bound from the window start")
        if last < start or first > end:
            continue
        if first < start or last > end:
            first, last, low = max(first, start), min(last, end), np.nan
            rules.append("period runs outside the window: upper bound only")
        if pd.isna(low) and pd.isna(high):
            continue
        rows.append(
            {
                **{k: row[k] for k in ("claim_id", "source_kind", "claimant", "qualifier")},
                "value": row["value"],
                "first": first,
                "last": last,
                "low": low,
                "high": high,
                "rule": "; ".join(rules) or "as stated",
                "evidence": row["evidence"],
                "citation": row["citation"],
            }
        )
    out = pd.DataFrame(rows, columns=CONSTRAINT_COLUMNS)
    out[["value", "low", "high"]] = out[["value", "low", "high"]].astype("float64")
    out = out.sort_values(["first", "last", "claim_id"]).reset_index(drop=True)
    return out


def _rows(
    constraints: pd.DataFrame, days: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The constraints as A_ub x <= b_ub over the days, with the claim behind each row."""
    a, b, owner = [], [], []
    for _, c in constraints.iterrows():
        mask = ((days >= c["first"]) & (days <= c["last"])).astype(float)
        if pd.notna(c["high"]):
            a.append(mask)
            b.append(c["high"])
            owner.append(c["claim_id"])
        if pd.notna(c["low"]):
            a.append(-mask)
            b.append(-c["low"])
            owner.append(c["claim_id"])
    if not a:
        return np.zeros((0, len(days))), np.zeros(0), owner
    return np.vstack(a), np.asarray(b, dtype=float), owner


def _days(start: str | pd.Timestamp, end: str | pd.Timestamp) -> pd.DatetimeIndex:
    """The days of the window, inclusive."""
    return pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")


def _optimum(c: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """min c·x over x >= 0 with a x <= b; -inf when unbounded, raise when infeasible."""
    res = linprog(c, A_ub=a if len(b) else None, b_ub=b if len(b) else None, method="highs")
    if res.status == 2:
        raise InfeasibleClaims("the claims admit no non-negative daily flows")
    if res.status == 3:
        return -np.inf
    if res.status != 0:
        raise RuntimeError(res.message)
    return float(res.fun)


def is_feasible(
    constraints: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp
) -> bool:
    """Whether some non-negative daily flows satisfy every constraint at once."""
    days = _days(start, end)
    a, b, _ = _rows(constraints, days)
    try:
        _optimum(np.zeros(len(days)), a, b)
    except InfeasibleClaims:
        return False
    return True


def period_totals(
    constraints: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    periods: pd.DataFrame,
) -> pd.DataFrame:
    """The smallest and largest total outflow over each period (`first`, `last`) that the
    constraints allow; `inf` when nothing caps it. Raises InfeasibleClaims if none holds."""
    days = _days(start, end)
    a, b, _ = _rows(constraints, days)
    lows, highs = [], []
    for first, last in zip(periods["first"], periods["last"], strict=True):
        mask = ((days >= first) & (days <= last)).astype(float)
        lows.append(_optimum(mask, a, b))
        highs.append(-_optimum(-mask, a, b))
    out = periods.copy()
    out["total_min"], out["total_max"] = lows, highs
    return out


def cumulative_band(
    constraints: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    since: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Per day from `since` (default `start`): the feasible minimum and maximum of the
    cumulative outflow since that day and of the day's own outflow (two LPs each)."""
    days = _days(start, end)
    days = days[days >= pd.Timestamp(since if since is not None else start)]
    cum = period_totals(
        constraints, start, end, pd.DataFrame({"first": [days[0]] * len(days), "last": days})
    )
    daily = period_totals(constraints, start, end, pd.DataFrame({"first": days, "last": days}))
    return pd.DataFrame(
        {
            "day": days,
            "cum_min": cum["total_min"].to_numpy(),
            "cum_max": cum["total_max"].to_numpy(),
            "day_min": daily["total_min"].to_numpy(),
            "day_max": daily["total_max"].to_numpy(),
        }
    )


def _deletion_filter(
    constraints: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp
) -> list[str]:
    """An irreducible infeasible subset: drop each claim in turn, keep it dropped if the
    rest still cannot hold. Every claim left is needed for the contradiction."""
    members = list(constraints["claim_id"])
    for cid in list(members):
        trial = [m for m in members if m != cid]
        if not is_feasible(constraints[constraints["claim_id"].isin(trial)], start, end):
            members = trial
    return members


def conflicting_claims(
    constraints: pd.DataFrame, start: str | pd.Timestamp, end: str | pd.Timestamp
) -> pd.DataFrame:
    """Groups of claims that cannot all hold (disjoint irreducible infeasible subsets).

    Find one irreducible subset by the deletion filter, set it aside, repeat until the rest
    is consistent. Within a group, dropping any one claim removes that contradiction.
    """
    active, groups = constraints, []
    while not is_feasible(active, start, end):
        members = _deletion_filter(active, start, end)
        groups.append(members)
        active = active[~active["claim_id"].isin(members)]
    # number the groups in time order (by their earliest claim), not in the order found
    first_of = constraints.set_index("claim_id")[["first", "last"]]
    groups.sort(key=lambda g: (first_of.loc[g, "first"].min(), first_of.loc[g, "last"].min()))
    group_of = {cid: i + 1 for i, g in enumerate(groups) for cid in g}
    out = constraints[constraints["claim_id"].isin(group_of)].copy()
    out.insert(0, "group", out["claim_id"].map(group_of).astype("int64"))
    return out.sort_values(["group", "first", "last", "claim_id"]).reset_index(drop=True)


def fewest_to_drop(
    constraints: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    keep: Iterable[str] = (),
) -> list[str]:
    """The smallest set of claims whose removal leaves the rest consistent (a MILP).

    Each claim gets a switch z that, when on, relaxes its bounds by a big M; minimise the
    number of switches on. Claims in `keep` are never switched off ("suppose these are
    right"). Ties are broken by the solver: other sets of the same size may exist (the
    conflict groups show the alternatives). Raises InfeasibleClaims if `keep` alone cannot
    hold.
    """
    if is_feasible(constraints, start, end):
        return []
    keep = set(keep)
    if not is_feasible(constraints[constraints["claim_id"].isin(keep)], start, end):
        raise InfeasibleClaims("the claims to keep cannot all hold")
    days = _days(start, end)
    ids = list(constraints["claim_id"])
    a, b, owner = _rows(constraints, days)
    big_m = 2 * float(np.abs(b).sum()) + 1
    switch = np.zeros((len(b), len(ids)))
    for i, cid in enumerate(owner):
        switch[i, ids.index(cid)] = -big_m
    n = len(days)
    res = milp(
        c=np.r_[np.zeros(n), np.ones(len(ids))],
        constraints=LinearConstraint(np.hstack([a, switch]), -np.inf, b),
        integrality=np.r_[np.zeros(n), np.ones(len(ids))],
        bounds=Bounds(
            np.zeros(n + len(ids)),
            np.r_[np.full(n, np.inf), [0.0 if cid in keep else 1.0 for cid in ids]],
        ),
    )
    if res.status != 0:
        raise RuntimeError(res.message)
    dropped = [cid for cid, z in zip(ids, res.x[n:], strict=True) if z > 0.5]
    kept = constraints[~constraints["claim_id"].isin(dropped)]
    if not is_feasible(kept, start, end):
        raise RuntimeError("the repair left the claims infeasible")
    return sorted(dropped)


def reconstruct_outflow(
    frame: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    place: str = "east Aleppo",
    approx_tolerance: float = 0.1,
    keep: Iterable[str] = (),
    since: str | pd.Timestamp | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The feasible band of the cumulative outflow from `place`, and the claims in conflict.

    Returns (band, conflicts). The band (cumulative since `since`, default `start`) is
    computed without the fewest claims that must go for the rest to hold (never those in
    `keep`); `conflicts` lists the conflict groups and every dropped claim, with `dropped`
    saying which.
    """
    cons = outflow_constraints(frame, start, end, place, approx_tolerance)
    groups = conflicting_claims(cons, start, end)
    dropped = fewest_to_drop(cons, start, end, keep)
    extra = cons[cons["claim_id"].isin(dropped) & ~cons["claim_id"].isin(groups["claim_id"])]
    conflicts = pd.concat([groups, extra.assign(group=pd.NA)], ignore_index=True)
    conflicts["group"] = conflicts["group"].astype("Int64")
    conflicts["dropped"] = conflicts["claim_id"].isin(dropped)
    band = cumulative_band(cons[~cons["claim_id"].isin(dropped)], start, end, since)
    return band, conflicts


def implied_totals(
    constraints: pd.DataFrame,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    reference: pd.DataFrame,
) -> pd.DataFrame:
    """What the constraints allow over each reference figure's period, against its value.

    An open start is read as the window start. `ratio_min` and `ratio_max` are the
    reference value over the smallest and largest total the constraints allow (missing
    when that total is 0 or unbounded): a `ratio_min` below 1 means the reference figure
    is lower than anything the claims permit.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    ref = reference[reference["period_end"].between(start, end)].copy()
    ref["first"] = ref["period_start"].fillna(start).clip(lower=start)
    ref["last"] = ref["period_end"]
    keep = ["claim_id", "claimant", "qualifier", "central", "period_start", "first", "last"]
    out = period_totals(constraints, start, end, ref[keep + ["evidence"]].reset_index(drop=True))
    # a ratio to an unbounded or zero total says nothing: leave it missing
    out["ratio_min"] = (out["central"] / out["total_min"]).where(out["total_min"] > 0)
    out["ratio_max"] = (out["central"] / out["total_max"]).where(np.isfinite(out["total_max"]))
    return out.sort_values(["last", "first", "claim_id"]).reset_index(drop=True)


def compare_with_reference(
    frame: pd.DataFrame, place: str = "east Aleppo", min_overlap: float = 0.5
) -> pd.DataFrame:
    """Pairs of a report flow and a reference flow about `place` over similar periods.

    Only totals are paired (a part is not comparable with a total), and only when the
    days in common are at least `min_overlap` of the days in either period (a Jaccard
    share). For each pair: the ratio and difference of the central values, and the ratio
    of daily rates (which allows for periods of different length).
    """
    rates = daily_rates(frame[(frame["place"] == place) & (frame["scope"] == "total")])
    cols = ["claim_id", "claimant", "qualifier", "period_start", "period_end", "days"]
    cols += ["central", "rate_central"]
    rep = rates.loc[rates["source_kind"] == "report", cols]
    ref = rates.loc[rates["source_kind"] == "reference", cols]
    pairs = rep.merge(ref, how="cross", suffixes=("", "_ref"))
    first = pairs[["period_start", "period_start_ref"]].max(axis=1)
    last = pairs[["period_end", "period_end_ref"]].min(axis=1)
    pairs["overlap_days"] = ((last - first) / DAY + 1).clip(lower=0).round().astype("int64")
    union = pairs["days"].astype("int64") + pairs["days_ref"].astype("int64")
    pairs["overlap_share"] = pairs["overlap_days"] / (union - pairs["overlap_days"])
    pairs = pairs[pairs["overlap_share"] >= min_overlap].copy()
    pairs["same_period"] = (pairs["period_start"] == pairs["period_start_ref"]) & (
        pairs["period_end"] == pairs["period_end_ref"]
    )
    pairs["ratio"] = pairs["central"] / pairs["central_ref"]
    pairs["difference"] = pairs["central"] - pairs["central_ref"]
    pairs["rate_ratio"] = pairs["rate_central"] / pairs["rate_central_ref"]
    return pairs.sort_values(["period_start", "claim_id", "claim_id_ref"]).reset_index(drop=True)


def claims_of(frame: pd.DataFrame, ids: Iterable[str]) -> pd.DataFrame:
    """The rows of `frame` for the given claim ids, in the frame's order."""
    return frame[frame["claim_id"].isin(list(ids))]


def read_readings(path: str | Path | None = None) -> pd.DataFrame:
    """The analyst's reading of displacement figures: which are parts or moves within the
    east (`scope`), and which cumulative counts get an assumed first day (`assumed_start`).

    These are interpretive choices, kept as data (`data/reference/displacement_readings.csv`)
    with a reason per row so a reader can change them and re-run the notebook.
    """
    from toolkit.reference import data_dir

    path = (
        Path(path) if path is not None else data_dir() / "reference" / "displacement_readings.csv"
    )
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    bad = frame["scope"].notna() & ~frame["scope"].isin(SCOPES)
    if bad.any() or frame["claim_id"].duplicated().any() or frame["reason"].isna().any():
        raise ValueError(f"{path}: scope must be one of {SCOPES}, claim_id unique, reason given")
    frame["assumed_start"] = pd.to_datetime(frame["assumed_start"], format="%Y-%m-%d")
    return frame
