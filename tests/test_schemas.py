"""Every schema rule: one frame that passes and one that fails it."""

import pandas as pd
import pandera.pandas as pa
import pytest

from toolkit.schemas import Claims, ControlEvents, Places, Reports, Sources
from toolkit.tables import coerce_claims, coerce_events


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
