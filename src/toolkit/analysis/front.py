"""Front movement: territory shares, the denominator problem, control events on a map.

A share of territory only means something with its denominator: "93% of Aleppo" and
"85% of east Aleppo" count against different areas. If the government already held all of
the rest of the city (west Aleppo), a share `s_part` of the part is a share of the whole

    s_whole = rest * (1 - r) + r * s_part,    r = area(part) / area(whole),

with `rest` the share of the rest of the city the same side holds (100 under the
assumption). The area ratio `r` is read from `data/reference/areas.csv`, where it is an
analyst's assumption with a range, not a measurement: every conversion here should be read
over that range, which `sensitivity` does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.reference import data_dir

SHARE_PLACES = ("east Aleppo", "Aleppo", "eastern Mosul")
SHARE_COLUMNS = [
    "place", "as_of", "claimant", "actor", "qualifier", "value", "value_low", "value_high",
    "source", "ref", "evidence", "citation", "span_start", "span_end",
]  # fmt: skip
GAINS = ("captured", "advanced", "holds")
HOLDINGS = ("captured", "holds")
LOSSES = ("repelled", "withdrew")
# a share held by the other side becomes one held by this side: the bound changes direction
FLIPPED_QUALIFIER = {
    "at_least": "at_most",
    "more_than": "at_most",
    "at_most": "at_least",
    "up_to": "at_least",
    "almost": "at_least",
}
EARTH_RADIUS_KM = 6371.0


# --- territory shares -------------------------------------------------------------------


def territory_shares(claims: pd.DataFrame, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Territory-share claims of the reports (and reference figures), one traceable table."""
    c = claims[claims["category"] == "territory_share"]
    cite = c["report_id"] + " [" + c["span_start"].astype(str) + ":" + c["span_end"].astype(str)
    parts = [
        pd.DataFrame(
            {
                "place": c["location"],
                "as_of": c["period_end"],
                "claimant": c["claimant"],
                "actor": c["actor"],
                "qualifier": c["qualifier"],
                "value": c["value"],
                "value_low": c["value_low"],
                "value_high": c["value_high"],
                "source": "report",
                "ref": c["report_id"],
                "evidence": c["evidence"],
                "citation": cite + "]",
                "span_start": c["span_start"].astype("Int64"),
                "span_end": c["span_end"].astype("Int64"),
            }
        )
    ]
    if figures is not None:
        f = figures[figures["category"] == "territory_share"]
        parts.append(
            pd.DataFrame(
                {
                    "place": f["place"],
                    "as_of": f["period_end"],
                    "claimant": f["claimant"],
                    "actor": pd.NA,
                    "qualifier": f["qualifier"],
                    "value": f["value"],
                    "value_low": f["value_low"],
                    "value_high": f["value_high"],
                    "source": "reference",
                    "ref": f["figure_id"],
                    "evidence": f["measure"],
                    "citation": f["citation"],
                    "span_start": pd.NA,
                    "span_end": pd.NA,
                }
            ).astype({"span_start": "Int64", "span_end": "Int64"})
        )
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return out[SHARE_COLUMNS].sort_values(["place", "as_of", "claimant", "ref"], ignore_index=True)


def complement_shares(shares: pd.DataFrame, refs: Iterable[str]) -> pd.DataFrame:
    """Turn shares held by the other side (rows `refs`) into shares held by the advancing side.

    "5 per cent still held by armed groups" becomes 95 held by the government; this assumes
    nobody else holds any of the place. Flipped rows get `complemented` = True.
    """
    out = shares.copy()
    flip = out["ref"].isin(list(refs))
    low, high = out["value_low"], out["value_high"]
    out.loc[flip, "value"] = 100 - out.loc[flip, "value"]
    out.loc[flip, "value_low"] = 100 - high[flip]
    out.loc[flip, "value_high"] = 100 - low[flip]
    out.loc[flip, "qualifier"] = out.loc[flip, "qualifier"].replace(FLIPPED_QUALIFIER)
    stated = shares.loc[flip, "value"].map("{:g}".format)
    out.loc[flip, "evidence"] = out.loc[flip, "evidence"] + " [shown as 100 minus " + stated + "]"
    out["complemented"] = flip
    return out


def bound_kind(shares: pd.DataFrame) -> pd.Series:
    """What the wording fixes: a point, a lower bound, an upper bound or a range."""
    low, high = shares["value_low"].notna(), shares["value_high"].notna()
    kind = np.select(
        [low & high & (shares["value_low"] == shares["value_high"]), low & high, low, high],
        ["point", "range", "lower bound", "upper bound"],
        default="unknown",
    )
    return pd.Series(kind, index=shares.index, dtype="str")


def share_timeline(shares: pd.DataFrame, places: Sequence[str] = SHARE_PLACES) -> pd.DataFrame:
    """Shares of the given places by as-of day and claimant, with their bounds and bound kind."""
    t = shares[shares["place"].isin(list(places))].copy()
    t["bound"] = bound_kind(t)
    t["place"] = pd.Categorical(t["place"], categories=list(places), ordered=True)
    cols = [
        "place",
        "as_of",
        "claimant",
        "qualifier",
        "value",
        "value_low",
        "value_high",
        "bound",
        "source",
        "ref",
        "evidence",
    ]
    cols += ["complemented"] if "complemented" in t else []
    t = t.sort_values(["place", "as_of", "claimant", "ref"], ignore_index=True)[cols]
    t["place"] = t["place"].astype("str")
    return t


def share_change(timeline: pd.DataFrame, by: Sequence[str] = ("place",)) -> pd.DataFrame:
    """First and last share per group (place, or place and claimant), and the change between."""
    t = timeline.dropna(subset=["value"]).sort_values(["as_of", "claimant", "ref"])
    g = t.groupby(list(by), sort=True)
    first, last = g.first(), g.last()
    out = pd.DataFrame({"n_claims": g.size(), "n_claimants": g["claimant"].nunique()})
    for name, side in (("first", first), ("last", last)):
        for col in ("as_of", "claimant", "qualifier", "value"):
            if col not in by:
                out[f"{name}_{col}"] = side[col]
    out["change_pp"] = last["value"] - first["value"]
    out["days"] = (last["as_of"] - first["as_of"]).dt.days
    out["pp_per_day"] = (out["change_pp"] / out["days"].where(out["days"] > 0)).round(2)
    return out.reset_index()


# --- the denominator problem --------------------------------------------------------------


def read_area_ratios(path: str | Path | None = None) -> pd.DataFrame:
    """Read `data/reference/areas.csv`: assumed area ratios (part / whole), range, provenance."""
    frame = pd.read_csv(path if path is not None else data_dir() / "reference" / "areas.csv")
    bad = ~((frame["ratio_low"] <= frame["ratio"]) & (frame["ratio"] <= frame["ratio_high"]))
    if bad.any() or ((frame["ratio_low"] <= 0) | (frame["ratio_high"] > 1)).any():
        raise ValueError("area ratios must satisfy 0 < low <= ratio <= high <= 1")
    return frame


def area_ratio(areas: pd.DataFrame, part: str, whole: str) -> pd.Series:
    """The row of `areas` for one part of one whole (ratio, range, provenance, reasoning)."""
    hit = areas[(areas["part"] == part) & (areas["whole"] == whole)]
    if len(hit) != 1:
        raise KeyError(f"no single area ratio for {part!r} in {whole!r}")
    return hit.iloc[0]


def part_to_whole(share_part, ratio, rest: float = 100.0):
    """Share of the whole held when `share_part` of the part and `rest` of the remainder are."""
    return rest * (1 - ratio) + ratio * share_part


def whole_to_part(share_whole, ratio, rest: float = 100.0):
    """Share of the part implied by `share_whole` of the whole (inverse of `part_to_whole`).

    A result below 0 means the whole-city share is too small for the assumption that the
    remainder is all held (`rest`).
    """
    return (share_whole - rest * (1 - ratio)) / ratio


def convert_share(
    share, from_place: str, to_place: str, ratio, areas: pd.DataFrame, rest: float = 100.0
):
    """Convert a share between a part and its whole, in whichever direction `areas` lists them."""
    pairs = set(zip(areas["part"], areas["whole"], strict=True))
    if (from_place, to_place) in pairs:
        return part_to_whole(share, ratio, rest)
    if (to_place, from_place) in pairs:
        return whole_to_part(share, ratio, rest)
    raise KeyError(f"{from_place!r} and {to_place!r} are not a part and whole in areas.csv")


def implied_ratio(s_whole, s_part, rest: float = 100.0):
    """The area ratio at which a share of the whole and a share of the part agree."""
    s_whole, s_part = np.asarray(s_whole, dtype=float), np.asarray(s_part, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (rest - s_whole) / (rest - s_part)
    r = np.where(np.isclose(s_part, rest), np.nan, r)
    return float(r) if r.ndim == 0 else r


def ratio_grid(assumption: pd.Series, step: float = 0.01, margin: float = 0.0) -> np.ndarray:
    """Area ratios every `step` over the assumed range widened by `margin` on both sides (kept
    inside (0, 1]), with the central value included."""
    low = max(assumption["ratio_low"] - margin, step)
    high = min(assumption["ratio_high"] + margin, 1.0)
    grid = np.linspace(low, high, round((high - low) / step) + 1)
    return np.unique(np.round(np.append(grid, assumption["ratio"]), 6))


def sensitivity(
    whole: pd.Series, part: pd.Series, ratios: Iterable[float], rest: float = 100.0
) -> pd.DataFrame:
    """For each area ratio: both claims converted into the other's denominator, and whether
    the whole-city claim, read as a share of the part, falls inside the part claim's bounds."""
    r = np.asarray(list(ratios), dtype=float)
    w_lo, w_hi = _bounds(whole)
    p_lo, p_hi = _bounds(part)
    conv_lo, conv_hi = whole_to_part(w_lo, r, rest), whole_to_part(w_hi, r, rest)
    out = pd.DataFrame(
        {
            "ratio": r,
            "part_from_whole": whole_to_part(whole["value"], r, rest),
            "part_claim_low": p_lo,
            "part_claim_high": p_hi,
            "whole_from_part": part_to_whole(part["value"], r, rest),
            "whole_claim": whole["value"],
        }
    )
    out["gap_pp"] = out["part_from_whole"] - part["value"]
    out["agree"] = (np.maximum(conv_lo, p_lo) <= np.minimum(conv_hi, p_hi) + 1e-9).astype(bool)
    return out


def agreement_range(sens: pd.DataFrame) -> tuple[float, float] | None:
    """Lowest and highest ratio of a sensitivity table at which the claims agree (None: never)."""
    ok = sens.loc[sens["agree"], "ratio"]
    return None if ok.empty else (float(ok.min()), float(ok.max()))


def implied_ratios(
    shares: pd.DataFrame,
    whole: str = "Aleppo",
    part: str = "east Aleppo",
    max_days: int = 2,
    rest: float = 100.0,
) -> pd.DataFrame:
    """Every pair of a whole-city and a part share at most `max_days` apart, with the area ratio
    that would reconcile them (the pairs disagree with each other when these ratios differ)."""
    cols = ["ref", "claimant", "as_of", "qualifier", "value", "evidence"]
    w = shares.loc[shares["place"] == whole, cols].add_prefix("whole_")
    p = shares.loc[shares["place"] == part, cols].add_prefix("part_")
    pairs = w.merge(p, how="cross")
    pairs["day_gap"] = (pairs["whole_as_of"] - pairs["part_as_of"]).dt.days
    pairs = pairs[pairs["day_gap"].abs() <= max_days].copy()
    pairs["implied_ratio"] = implied_ratio(pairs["whole_value"], pairs["part_value"], rest)
    order = ["whole_as_of", "part_as_of", "whole_claimant", "part_claimant"]
    return pairs.sort_values(order, ignore_index=True)


def claim_label(row: pd.Series) -> str:
    """A short plain-text name for one share: claimant, words, day."""
    return f"{row['claimant']}: {row['evidence']} ({row['as_of']:%Y-%m-%d})"


def _bounds(row: pd.Series) -> tuple[float, float]:
    low = row["value_low"] if pd.notna(row["value_low"]) else 0.0
    high = row["value_high"] if pd.notna(row["value_high"]) else 100.0
    return float(low), float(high)


# --- control events -----------------------------------------------------------------------


def events_with_coordinates(events: pd.DataFrame, gazetteer: pd.DataFrame) -> pd.DataFrame:
    """Control events with their place's gazetteer point; places without one keep NaN lat/lon."""
    g = gazetteer[["name", "kind", "parent", "latitude", "longitude", "coord_precision_km"]]
    g = g.rename(
        columns={
            "name": "place",
            "kind": "place_kind",
            "parent": "place_parent",
            "latitude": "lat",
            "longitude": "lon",
            "coord_precision_km": "precision_km",
        }
    )
    out = events.merge(g, on="place", how="left", validate="many_to_one")
    out["has_coordinates"] = out["lat"].notna() & out["lon"].notna()
    return out


def unplaced(events_xy: pd.DataFrame) -> pd.DataFrame:
    """Events a map cannot show (no gazetteer point), listed rather than dropped silently."""
    cols = ["report_id", "place", "actor", "action", "claimant", "date", "evidence"]
    return events_xy.loc[~events_xy["has_coordinates"], cols].reset_index(drop=True)


def contested_places(events: pd.DataFrame) -> pd.DataFrame:
    """Per place and day: the actors and actions stated, and whether the statements conflict.

    Conflict: a denial, two actors said to capture or hold the same place, or one actor said
    both to gain and to lose it. Undated events form their own group per place; as they may
    be months apart ("in March", "in May 2015"), only a denial makes that group contested.
    """
    rows = []
    for (place, date), g in events.groupby(["place", "date"], dropna=False, sort=True):
        asserted = g[g["stance"] == "asserted"]
        holders = set(asserted.loc[asserted["action"].isin(HOLDINGS), "actor"])
        gainers = set(asserted.loc[asserted["action"].isin(GAINS), "actor"])
        losers = set(asserted.loc[asserted["action"].isin(LOSSES), "actor"])
        reasons = [
            why
            for why, hit in (
                ("denial", (g["stance"] == "denied").any()),
                ("rival holders", pd.notna(date) and len(holders) > 1),
                ("gain and loss", pd.notna(date) and bool(gainers & losers)),
            )
            if hit
        ]
        rows.append(
            {
                "place": place,
                "date": date,
                "n_events": len(g),
                "actions": ", ".join(sorted(set(g["action"]))),
                "actors": ", ".join(sorted(set(g["actor"].dropna()))),
                "claimants": ", ".join(sorted(set(g["claimant"].dropna()))),
                "contested": bool(reasons),
                "reason": "; ".join(reasons),
            }
        )
    return pd.DataFrame(rows)


def mark_contested(events: pd.DataFrame) -> pd.DataFrame:
    """Events with a `contested` flag from `contested_places` (same place and day)."""
    c = contested_places(events)[["place", "date", "contested", "reason"]]
    return events.merge(c, on=["place", "date"], how="left", validate="many_to_one")


def event_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events per place and action, dated and undated, to read beside the timeline."""
    e = events.assign(dated=events["date"].notna())
    t = pd.crosstab([e["place"], e["dated"]], e["action"])
    return t.reset_index().rename_axis(columns=None)


# --- Raqa and Palmyra ---------------------------------------------------------------------


def front_distances(claims: pd.DataFrame, place: str = "Raqa") -> pd.DataFrame:
    """front_distance claims about `place`: how far, by whose account, on which day."""
    d = claims[(claims["category"] == "front_distance") & (claims["location"] == place)].copy()
    d["as_of"] = d["period_end"]
    d["bound"] = bound_kind(d)
    cols = [
        "as_of",
        "actor",
        "claimant",
        "qualifier",
        "value",
        "value_low",
        "value_high",
        "bound",
        "report_id",
        "span_start",
        "span_end",
        "evidence",
    ]
    return d.sort_values(["as_of", "claimant", "span_start"], ignore_index=True)[cols]


def place_record(claims: pd.DataFrame, events: pd.DataFrame, places: Iterable[str]) -> pd.DataFrame:
    """Everything the reports say about some places, events and claims in one list by day."""
    places = list(places)
    e = events[events["place"].isin(places)]
    c = claims[claims["location"].isin(places)]
    ev = pd.DataFrame(
        {
            "kind": "event",
            "place": e["place"],
            "date": e["date"],
            "actor": e["actor"],
            "what": e["action"] + " (" + e["stance"] + ")",
            "value": np.nan,
            "claimant": e["claimant"],
            "report_id": e["report_id"],
            "span_start": e["span_start"],
            "span_end": e["span_end"],
            "evidence": e["evidence"],
        }
    )
    cl = pd.DataFrame(
        {
            "kind": "claim",
            "place": c["location"],
            "date": c["period_end"],
            "actor": c["actor"],
            "what": c["category"] + " (" + c["qualifier"] + ")",
            "value": c["value"],
            "claimant": c["claimant"],
            "report_id": c["report_id"],
            "span_start": c["span_start"],
            "span_end": c["span_end"],
            "evidence": c["evidence"],
        }
    )
    out = pd.concat([x for x in (ev, cl) if len(x)] or [ev], ignore_index=True)
    return out.sort_values(["date", "report_id", "span_start", "kind"], ignore_index=True)


def distance_km(gazetteer: pd.DataFrame, a: str, b: str) -> float:
    """Great-circle distance between two gazetteer points (only as good as their precision)."""
    g = gazetteer.set_index("name")
    lat1, lon1, lat2, lon2 = map(
        math.radians,
        (g.at[a, "latitude"], g.at[a, "longitude"], g.at[b, "latitude"], g.at[b, "longitude"]),
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
