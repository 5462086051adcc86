import pytest
from support import DATA

from toolkit import ProvenanceError, check_provenance, read_claims


@pytest.fixture
def claims():
    return read_claims(DATA / "curated/claims.csv")


def test_span_outside_body_is_reported(claims, seed_reports):
    bad = claims.copy()
    bad.loc[0, ["span_start", "span_end"]] = [10**6, 10**6 + 5]
    problems = check_provenance(bad, seed_reports)
    assert "outside the body" in problems.loc[0, "problem"]


def test_span_without_the_number_is_reported(claims, seed_reports):
    bad = claims.copy()
    bad.loc[0, "value"] = bad.loc[0, "value_low"] = bad.loc[0, "value_high"] = 777.0
    bad.loc[0, "qualifier"] = "exact"
    assert "does not state the number" in check_provenance(bad, seed_reports).iloc[0]["problem"]


def test_period_after_publication_is_reported(claims, seed_reports):
    bad = claims.copy()
    bad.loc[0, "period_end"] = bad.loc[0, "period_end"] + __import__("pandas").Timedelta(days=30)
    with pytest.raises(ProvenanceError, match="after publication"):
        check_provenance(bad, seed_reports, raise_errors=True)


def test_unknown_report_is_reported(claims, seed_reports):
    bad = claims.head(1).assign(report_id="nope")
    assert check_provenance(bad, seed_reports).iloc[0]["problem"] == "no such report"
