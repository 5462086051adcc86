"""IOM Displacement Tracking Matrix (DTM) figures, HXL CSV, as external claims (`IOM DTM`).

Reads the HXL CSV that HDX publishes from the DTM API (admin levels 0 to 2): one claim per
row, category `displaced`, the number of IDPs present in the row's finest admin area on
the reporting date. Columns are found by hashtag, else by the API's header names. The
rules are in docs/interchange.md.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import regex

from toolkit.interchange.hxl import (
    EXTERNAL_SPAN,
    LINE,
    Errors,
    InterchangeError,
    Rejects,
    Table,
    finish,
    parse_dates,
    parse_numbers,
    read_table,
)
from toolkit.tables import CLAIM_COLUMNS

CLAIMANT = "IOM DTM"
# field: (hashtag, header of the DTM API export)
FIELDS = {
    "individuals": ("#affected+idps", "numPresentIdpInd"),
    "households": ("#affected+idps+hh", "numPresentIdpHH"),
    "date": ("#date+reported", "reportingDate"),
    "country": ("#country+name", "admin0Name"),
    "country_code": ("#country+code", "admin0Pcode"),
    "adm_1": ("#adm1+name", "admin1Name"),
    "adm_1_code": ("#adm1+code", "admin1Pcode"),
    "adm_2": ("#adm2+name", "admin2Name"),
    "adm_2_code": ("#adm2+code", "admin2Pcode"),
    "adm_3": ("#adm3+name", "admin3Name"),
    "adm_3_code": ("#adm3+code", "admin3Pcode"),
    "admin_level": ("#adm+level", "adminLevel"),
    "operation": ("#operation+name", "operation"),
    "round": ("#round+code", "roundNumber"),
    "cause": ("#cause+type", "displacementReason"),
    "origin_adm_1": ("#adm1+name+origin", "idpOriginAdmin1Name"),
    "assessment_type": ("#assessment+type", "assessmentType"),
    "operation_status": ("#operation+status", "operationStatus"),
    "idps_male": ("#affected+idps+m", "numberMales"),
    "idps_female": ("#affected+idps+f", "numberFemales"),
    "dtm_id": ("#id+code", "id"),
}
LEVELS = {0: ("country", "country_code"), 1: ("adm_1", "adm_1_code"),
          2: ("adm_2", "adm_2_code"), 3: ("adm_3", "adm_3_code")}  # fmt: skip
# figure field -> (unit, what it measures)
MEASURES = {
    "individuals": ("people", "IDPs present"),
    "households": ("families", "IDP households present"),
}
NOT_AVAILABLE = {"not available", "n/a", "na", "none", "-"}
EXTRA_COLUMNS = [
    "measure", "admin_level", "country", "country_code", "adm_1", "adm_2", "adm_3", "pcode",
    "operation", "round", "cause", "origin_adm_1", "assessment_type", "operation_status",
    "idps_male", "idps_female", "dtm_id", "source_file", "source_line",
]  # fmt: skip


def _columns(table: Table) -> dict[str, pd.Series]:
    """{field: column of text} for each DTM field found, by hashtag first, else by header."""
    found = {}
    for field, (tag, header) in FIELDS.items():
        col = table.column_for(tag) if table.has_hashtags else None
        if col is None and header in table.frame.columns and not table.tags.get(header):
            col = header
        if col is not None:
            found[field] = table.frame[col].str.strip()
    return found


_NOT_SLUG = regex.compile(r"[^a-z0-9]+")


@cache
def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def read_iom_dtm(
    path: str | Path, errors: Errors = "raise"
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Read IOM DTM displacement figures (HXL CSV) as `displaced` claims by IOM DTM.

    One claim per row and figure: IDPs present (individuals, unit people; households, unit
    families, when the file has them) in the finest admin area named, as of the reporting
    date (period_start = period_end). With errors="collect" returns (claims, rejects);
    rejects are the file's rows as text with `source_line` and `reason`.
    """
    table = read_table(path)
    raw = table.frame
    f = _columns(table)
    figures = [m for m in MEASURES if m in f]
    missing = [FIELDS[k][0] for k in ("date", "country") if k not in f]
    if not figures:
        missing.insert(0, FIELDS["individuals"][0])
    if missing:
        raise InterchangeError(
            f"{table.path}: not an IOM DTM file: missing column(s) {', '.join(missing)}"
        )
    empty = pd.Series(None, index=raw.index, dtype=object)
    field = {k: f.get(k, empty) for k in FIELDS}
    rejects = Rejects()
    day = parse_dates(field["date"], "reporting date", rejects)

    if "admin_level" in f:
        level = parse_numbers(field["admin_level"], "admin level", rejects)
        rejects.add(
            level.notna() & ~level.isin(list(LEVELS)),
            lambda i: f"admin level {field['admin_level'][i]!r} is not 0 to 3",
        )
    else:  # the finest level with a name
        level = pd.Series(float("nan"), index=raw.index)
        for n, (name, _) in LEVELS.items():
            level = level.mask(field[name].notna(), n)
    place, pcode = empty.copy(), empty.copy()
    for n, (name, code) in LEVELS.items():
        rows = level == n
        place = place.mask(rows, field[name])
        pcode = pcode.mask(rows, field[code])
        rejects.add(rows & field[name].isna(), f"admin level {n} but no admin-{n} name")
    rejects.add(level.isna() & field["country"].isna(), "no place named")

    origin = field["origin_adm_1"].map(
        lambda v: None if not isinstance(v, str) or v.lower() in NOT_AVAILABLE else v
    )
    report_id = [
        "iom-dtm-" + "-".join(_slug(p) for p in parts if isinstance(p, str) and p)
        for parts in zip(
            field["country_code"].fillna(field["country"]),
            field["operation"],
            field["round"].map(lambda r: f"r{r}" if isinstance(r, str) else None),
            day.dt.strftime("%Y-%m-%d").fillna(""),
            strict=True,
        )
    ]
    base = pd.DataFrame(
        {
            "report_id": report_id,
            "category": "displaced",
            "location": place,
            "actor": None,
            "claimant": CLAIMANT,
            "period_start": day,
            "period_end": day,
            "span_start": EXTERNAL_SPAN[0],
            "span_end": EXTERNAL_SPAN[1],
            "admin_level": level.where(level % 1 == 0).astype("Int64"),
            "pcode": pcode,
            "origin_adm_1": origin,
            "source_file": table.path.name,
            "source_line": raw[LINE],
            "_row": raw.index,
        },
        index=raw.index,
    )
    for name in ("country", "country_code", "adm_1", "adm_2", "adm_3", "operation", "round",
                 "cause", "assessment_type", "operation_status", "dtm_id"):  # fmt: skip
        base[name] = field[name]
    for name in ("idps_male", "idps_female"):
        base[name] = pd.to_numeric(field[name], errors="coerce")
    parts = []
    for measure in figures:
        unit, label = MEASURES[measure]
        # a row without this figure is no claim when the file has the other one
        required = len(figures) == 1
        value = parse_numbers(field[measure], measure, rejects, required=required)
        rows = value.notna()
        parts.append(
            base[rows].assign(
                unit=unit,
                measure=label,
                qualifier="approx",
                value=value[rows],
                value_low=value[rows],
                value_high=value[rows],
            )
        )
    if len(figures) > 1:
        given = pd.concat([field[m].notna() for m in figures], axis=1).any(axis=1)
        rejects.add(~given, "no IDP figure")
    claims = pd.concat(parts).sort_values("_row", kind="stable")
    claims = claims[[*CLAIM_COLUMNS, *EXTRA_COLUMNS, "_row"]]
    return finish(claims, raw, rejects, table, errors)
