"""Every schema rule: one frame that passes and one that fails it."""

import pandas as pd
import pandera.pandas as pa
import pytest

from toolkit import tables, vocab
from toolkit.schemas import (
    Claims,
    ControlEvents,
    Places,
    Reports,
    Sources,
    bounds_consistent,
    units_match,
    values_plausible,
)
from toolkit.tables import _coerced_value_by_value, coerce_claims, coerce_events, split_valid


def claim(**over):
    row = dict(
        report_id="r1", category="displaced", value=50000.0, qualifier="more_than",
        value_low=50000.0, value_high=None, unit="people", location="east Aleppo",
        actor=None, claimant="Syrian Observatory for Human Rights",
        period_start="2016-11-26", period_end="2016-12-01", span_start=10, span_end=33,
    )  # fmt: skip
    row.update(over)
    return coerce_claims(pd.DataFrame([row]))


def event(**over):
    row = dict(
        report_id="r1", place="Sheikh Saeed", actor="Syrian government forces",
        action="captured", stance="asserted", claimant="Syrian army", date="2016-11-30",
        span_start=5, span_end=20,
    )  # fmt: skip
    row.update(over)
    return coerce_events(pd.DataFrame([row]))


def fails(schema, frame, match):
    with pytest.raises(pa.errors.SchemaError, match=match):
        schema.validate(frame)


def test_valid_claim_passes():
    Claims.validate(claim())


@pytest.mark.parametrize(
    "over, match",
    [
        (dict(category="refugees"), "isin"),
        (dict(qualifier="roughly"), "isin"),
        (dict(unit="percent"), "unit must be the unit of the category"),
        (dict(category="territory_share", unit="people"), "unit must be the unit"),
        (dict(value=-5.0, value_low=-5.0), "greater_than_or_equal_to"),
        (
            dict(category="territory_share", unit="percent", value=120.0, value_low=120.0),
            "plausible maximum",
        ),
        (dict(category="front_distance", unit="km", value=1e9, value_low=1e9), "plausible maximum"),
        (dict(value_high=60000.0), "bounds must follow the qualifier"),
        (dict(qualifier="exact"), "bounds must follow the qualifier"),
        (dict(qualifier="vague"), "bounds must follow the qualifier"),
        (dict(qualifier="almost", value_low=None, value_high=40000.0), "bounds must follow"),
        (dict(qualifier="range", value=None, value_low=9.0, value_high=3.0), "bounds must follow"),
        (dict(period_start="2016-12-02"), "period_start must not be after period_end"),
        (dict(period_end=None), "period_start must not be after period_end"),
        (dict(span_start=40), "span_start must be before span_end"),
        (dict(span_start=-1), "greater_than_or_equal_to"),
        (dict(claimant=""), "str_length"),
    ],
)
def test_claim_rule_fails(over, match):
    fails(Claims, claim(**over), match)


@pytest.mark.parametrize(
    "over",
    [
        dict(qualifier="exact", value=4.0, value_low=4.0, value_high=4.0),
        dict(qualifier="approx", value=50000.0, value_low=50000.0, value_high=50000.0),
        dict(qualifier="at_least", value=413.0, value_low=413.0, value_high=None),
        dict(qualifier="up_to", value=1e5, value_low=None, value_high=1e5),
        dict(
            qualifier="at_most",
            value=25.0,
            value_low=None,
            value_high=25.0,
            category="front_distance",
            unit="km",
        ),
        dict(qualifier="vague", value=None, value_low=20000.0, value_high=99999.0),
        dict(qualifier="range", value=None, value_low=250000.0, value_high=275000.0),
        dict(period_start=None),
        dict(period_start=None, period_end=None),
        dict(unit="families"),
        dict(category="territory_share", unit="percent", value=100.0, value_low=100.0),
    ],
)
def test_claim_variants_pass(over):
    Claims.validate(claim(**over))


def test_valid_event_passes_and_rules_fail():
    ControlEvents.validate(event())
    ControlEvents.validate(event(date=None, actor=None))
    fails(ControlEvents, event(action="liberated"), "isin")
    fails(ControlEvents, event(stance="maybe"), "isin")
    fails(ControlEvents, event(span_end=5), "span_start must be before span_end")
    fails(ControlEvents, event(place=""), "str_length")


def _places(**over):
    rows = [
        dict(name="Syria", aliases=None, kind="country", parent=None, latitude=35.0,
             longitude=38.0, coord_source="estimate", coord_precision_km=300.0),
        dict(name="Aleppo", aliases="Halab", kind="city", parent="Syria", latitude=36.2,
             longitude=37.16, coord_source="estimate", coord_precision_km=5.0),
    ]  # fmt: skip
    rows[1].update(over)
    return pd.DataFrame(rows)


def test_places_rules():
    Places.validate(_places())
    fails(Places, _places(parent="Atlantis"), "every parent must itself be a place")
    fails(Places, _places(kind="planet"), "isin")
    fails(Places, _places(latitude=95.0), "less_than_or_equal_to")
    fails(Places, _places(coord_source=None), "needs its source and precision")
    fails(Places, _places(name="Syria"), "duplicate values")


def test_sources_rules():
    good = pd.DataFrame(
        [
            dict(
                name="SANA",
                aliases=None,
                kind="state media",
                alignment="government",
                fakes_code="sana",
            )
        ]  # fmt: skip
    )
    Sources.validate(good)
    fails(Sources, good.assign(kind="blogger"), "isin")
    fails(Sources, good.assign(alignment="neutral"), "isin")
    fails(Sources, pd.concat([good, good.assign(name="SANA 2")]), "duplicate values")


def test_reports_rules(seed_reports):
    Reports.validate(seed_reports)
    fails(Reports, seed_reports.assign(n_chars=1), "n_chars must equal the length of body")
    fails(Reports, seed_reports.head(1).assign(report_id="../x"), "str_matches")
    fails(Reports, seed_reports.assign(url="javascript:alert(1)"), "str_matches")
    dup = pd.concat([seed_reports, seed_reports.head(1)], ignore_index=True)
    fails(Reports, dup, "duplicate values")


def _broken_claims() -> pd.DataFrame:
    """Forty claims, most breaking one or more rules (several per row for some)."""
    breaks = [
        {}, dict(category="refugees"), dict(unit="km"), dict(value=-5.0, value_low=-5.0),
        dict(value=2e8, value_low=2e8), dict(qualifier="exact"), dict(period_end=None),
        dict(span_start=40), dict(claimant=""), dict(claimant=None), dict(category=None),
        dict(unit="percent", span_start=-1, qualifier="roughly"), dict(actor=None),
    ]  # fmt: skip
    return pd.concat([claim(**breaks[i % len(breaks)]) for i in range(40)], ignore_index=True)


def _counting_validate(monkeypatch) -> list:
    calls = []
    validate = tables.validate
    monkeypatch.setattr(tables, "validate", lambda *a, **k: calls.append(1) or validate(*a, **k))
    return calls


def test_split_valid_validates_once_with_the_same_outcome(monkeypatch):
    frame = _broken_claims()
    calls = _counting_validate(monkeypatch)
    valid, rejects = split_valid(frame, Claims)
    assert len(calls) == 1
    rest = frame[~frame.index.isin(rejects.index)]
    pd.testing.assert_frame_equal(valid, Claims.validate(rest))
    assert len(valid) + len(rejects) == len(frame) and len(valid) == 7
    assert rejects.loc[11, "rule"] == (
        "bounds must follow the qualifier (see the contract); qualifier: isin(('exact', "
        "'approx', 'at_least', 'more_than', 'at_most', 'up_to', 'almost', 'range', 'vague')); "
        "span_start: greater_than_or_equal_to(0); unit must be the unit of the category; "
        "value beyond the plausible maximum of its unit"
    )


def test_split_valid_validates_the_rest_again_when_coercion_fails(monkeypatch):
    frame = _broken_claims()
    frame.loc[13, "period_end"] = pd.Timestamp("2300-01-01")  # beyond datetime64[ns]
    calls = _counting_validate(monkeypatch)
    with pytest.raises(pa.errors.SchemaErrors, match="coerce_dtype"):
        split_valid(frame, Claims)  # a failure of no row in particular, raised again
    assert len(calls) == 2


def test_text_dates_are_not_taken_as_coerced_value_by_value():
    frame = _broken_claims()
    assert _coerced_value_by_value(frame, Claims)
    as_text = frame.assign(period_start=frame["period_start"].astype(str))
    assert not _coerced_value_by_value(as_text, Claims)


def test_text_columns_keep_the_dtype_and_check_of_str():
    as_str = pa.Column(str).dtype
    text = Claims.to_schema().columns["category"].dtype
    assert str(text) == str(as_str) and text.type == as_str.type
    frame = claim().astype({"location": object})
    frame.loc[0, "location"] = 7
    assert Claims.validate(frame)["location"].tolist() == ["7"]
    assert ControlEvents.validate(event())["place"].dtype == as_str.type


def test_vectorised_rules_agree_with_their_row_by_row_definitions():
    rows = [
        (c, u, q, v, lo, hi)
        for c in ("displaced", "territory_share", "refugees", None)
        for u in ("people", "percent", "miles", None)
        for q in ("exact", "at_least", "up_to", "vague", "range", "roughly", None)
        for v, lo, hi in [(5.0, 5.0, 5.0), (5.0, 5.0, None), (5.0, None, 5.0),
                          (None, 2.0, 9.0), (None, 9.0, 9.0), (150.0, 150.0, None)]
    ]  # fmt: skip
    cols = ["category", "unit", "qualifier", "value", "value_low", "value_high"]
    df = pd.DataFrame(rows, columns=cols).astype({c: float for c in cols[3:]})
    units = [
        u in vocab.CATEGORY_UNITS.get(c, ()) for c, u in zip(df.category, df.unit, strict=True)
    ]
    assert units_match(df).tolist() == units
    limit = df["unit"].map(vocab.UNIT_MAXIMUM)
    plausible = (df[cols[3:]].isna() | df[cols[3:]].le(limit, axis=0)).all(axis=1)
    assert values_plausible(df).tolist() == plausible.tolist()
    assert bounds_consistent(df).tolist() == [_bounds_follow(*r[2:]) for r in rows]


def _bounds_follow(q, v, lo, hi) -> bool:
    if q in vocab.POINT_QUALIFIERS:
        return v is not None and lo == v and hi == v
    if q in vocab.LOWER_QUALIFIERS:
        return v is not None and lo == v and hi is None
    if q in vocab.UPPER_QUALIFIERS:
        return v is not None and lo is None and hi == v
    if q in ("vague", "range") and v is None and lo is not None and hi is not None:
        return lo <= hi if q == "vague" else lo < hi
    return False
