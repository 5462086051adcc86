"""UCDP Georeferenced Event Dataset (GED) events as external claims, claimant `UCDP`.

Reads the raw GED CSV (also inside a .zip, as UCDP ships it) and the HXL CSV HDX publishes
(the same columns with a row of hashtags under the header). The rules are in
docs/interchange.md: one `people_killed` claim per event with GED's total, `best` in
`value` and `low`/`high` in the bounds, and optionally one claim per victim type.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from toolkit.interchange.hxl import (
    EXTERNAL_SPAN,
    LINE,
    Errors,
    InterchangeError,
    Rejects,
    finish,
    parse_dates,
    parse_numbers,
    read_table,
)
from toolkit.tables import CLAIM_COLUMNS

CLAIMANT = "UCDP"
REQUIRED = ("id", "date_start", "date_end", "best")
ONE_SIDED = "3"  # type_of_violence: one-sided violence, side_a against civilians
# GED columns kept beside the claim, under these names (a column absent from the file is NA)
KEPT = {
    "date_prec": "date_precision",
    "where_prec": "place_precision",
    "latitude": "latitude",
    "longitude": "longitude",
    "country": "country",
    "adm_1": "adm_1",
    "adm_2": "adm_2",
    "type_of_violence": "type_of_violence",
    "conflict_name": "conflict_name",
    "side_a": "side_a",
    "side_b": "side_b",
    "deaths_a": "deaths_a",
    "deaths_b": "deaths_b",
    "deaths_civilians": "deaths_civilians",
    "deaths_unknown": "deaths_unknown",
    "number_of_sources": "number_of_sources",
    "source_original": "source_original",
    "source_office": "source_office",
    "source_article": "source_article",
}
INTEGER_EXTRAS = ("date_precision", "place_precision", "type_of_violence", "number_of_sources")
FLOAT_EXTRAS = (
    "latitude",
    "longitude",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
)
EXTRA_COLUMNS = [
    "ged_id", "ged_low", "ged_best", "ged_high", *KEPT.values(), "source_file", "source_line",
]  # fmt: skip


def read_ucdp_ged(
    path: str | Path,
    errors: Errors = "raise",
    bounds: Literal["range", "best"] = "range",
    by_victim: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read UCDP GED events (raw CSV, .zip or HDX HXL CSV) as claims with claimant UCDP.

    bounds="range": an event whose `low` < `high` is a `range` claim (value missing, bounds
    low and high); one with low = best = high an `approx` claim of best. bounds="best":
    always `approx` best. `ged_low`, `ged_best` and `ged_high` keep the three figures either
    way. by_victim=True adds a `civilians_killed` claim (deaths_civilians) and a
    `combatants_killed` claim (deaths_a + deaths_b) for each event where they are not zero.
    With errors="collect" returns (claims, rejects); rejects are the file's rows as text
    with `source_line` and `reason`.
    """
    if bounds not in ("range", "best"):
        raise ValueError("bounds must be 'range' or 'best'")
    table = read_table(path)
    raw = table.frame
    missing = [c for c in REQUIRED if c not in raw.columns]
    if by_victim:
        missing += [c for c in ("deaths_a", "deaths_b", "deaths_civilians") if c not in raw]
    if missing:
        raise InterchangeError(
            f"{table.path}: not a UCDP GED file: missing column(s) {', '.join(missing)}"
        )
    rejects = Rejects()
    ged_id = raw["id"].str.strip()
    rejects.add(
        ged_id.notna() & ~ged_id.fillna("0").str.fullmatch(r"\d+").astype(bool),
        lambda i: f"id {raw['id'][i]!r} is not a GED event id",
    )
    rejects.add(ged_id.isna(), "id missing")
    best = parse_numbers(raw["best"], "best", rejects)
    low = parse_numbers(raw["low"], "low", rejects) if "low" in raw else best
    high = parse_numbers(raw["high"], "high", rejects) if "high" in raw else best
    rejects.add(
        (low > best) | (best > high),
        lambda i: f"low/best/high {low[i]:g}/{best[i]:g}/{high[i]:g} not in order",
    )
    start = parse_dates(raw["date_start"], "date_start", rejects)
    end = parse_dates(raw["date_end"], "date_end", rejects)
    rejects.add(start > end, "date_start after date_end")

    place = pd.Series(None, index=raw.index, dtype=object)
    for col in ("where_coordinates", "adm_1", "country"):
        if col in raw:
            place = place.fillna(raw[col].str.strip())
    violence = raw["type_of_violence"].str.strip() if "type_of_violence" in raw else None
    perpetrator = (
        raw["side_a"].where(violence == ONE_SIDED)
        if violence is not None and "side_a" in raw
        else pd.Series(None, index=raw.index, dtype=object)
    )
    base = pd.DataFrame(
        {
            "report_id": "ucdp-ged-" + ged_id.fillna(""),
            "unit": "people",
            "location": place,
            "claimant": CLAIMANT,
            "period_start": start,
            "period_end": end,
            "span_start": EXTERNAL_SPAN[0],
            "span_end": EXTERNAL_SPAN[1],
            "ged_id": ged_id,
            "ged_low": low,
            "ged_best": best,
            "ged_high": high,
        },
        index=raw.index,
    )
    for col, name in KEPT.items():
        base[name] = raw.get(col)
    for name in INTEGER_EXTRAS:
        number = pd.to_numeric(base[name], errors="coerce")
        base[name] = number.where(number % 1 == 0).astype("Int64")
    for name in FLOAT_EXTRAS:
        base[name] = pd.to_numeric(base[name], errors="coerce").astype("float64")
    base["source_file"] = table.path.name
    base["source_line"] = raw[LINE]
    base["_row"] = raw.index

    ranged = (low < high) if bounds == "range" else pd.Series(False, index=raw.index)
    total = base.assign(
        category="people_killed",
        actor=perpetrator,
        qualifier=np.where(ranged, "range", "approx"),
        value=best.where(~ranged),
        value_low=low.where(ranged, best),
        value_high=high.where(ranged, best),
    )
    parts = [total]
    if by_victim:
        civilians = parse_numbers(raw["deaths_civilians"], "deaths_civilians", rejects)
        sides = parse_numbers(raw["deaths_a"], "deaths_a", rejects) + parse_numbers(
            raw["deaths_b"], "deaths_b", rejects
        )
        for category, figure, actor in (
            ("civilians_killed", civilians, perpetrator),
            ("combatants_killed", sides, None),
        ):
            rows = figure > 0
            parts.append(
                base[rows].assign(
                    category=category,
                    actor=actor if actor is None else actor[rows],
                    qualifier="approx",
                    value=figure[rows],
                    value_low=figure[rows],
                    value_high=figure[rows],
                )
            )
    claims = pd.concat(parts).sort_values("_row", kind="stable")
    claims = claims[[*CLAIM_COLUMNS, *EXTRA_COLUMNS, "_row"]]
    return finish(claims, raw, rejects, table, errors)
