"""CSV corpora: FA-KES and any CSV of articles, every record accounted for."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from support import SHARED

from toolkit.corpora import FAKES_MAPPING, read_fakes, read_reports_csv
from toolkit.errors import ReportError
from toolkit.reference import sources
from toolkit.schemas import Reports

FAKES = SHARED / "corpora" / "fakes" / "FA-KES-Dataset.csv"
HEADER = "unit_id,article_title,article_content,source,date,location,labels\n"


def _write(tmp_path, rows: str):
    path = tmp_path / "articles.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_fakes_records_are_loaded_merged_or_rejected(tmp_path):
    path = _write(
        tmp_path,
        '1,T1,"Thu Dec 15 2016 More than 300 people fled",sana,12/14/2016,aleppo,1\n'
        '1,T1,"Thu Dec 15 2016 More than 300 people fled",sana,12/14/2016,idlib,0\n'
        '2,T2,"",reuters,12/1/2016,homs,1\n'
        '3,T3,"Nothing dated here",nosuch,13/45/2016,homs,1\n',
    )
    reports, ledger = read_fakes(path, with_ledger=True)
    assert ledger["status"].tolist() == ["loaded", "merged", "rejected", "loaded"]
    assert len(ledger) == 4 and len(reports) == 2
    assert ledger.loc[2, "reason"] == "no article text"
    assert "conflicting labels 0|1" in ledger.loc[1, "reason"]
    assert "outlet code 'nosuch' not in the source registry" in ledger.loc[3, "reason"]
    assert "is not a date" in ledger.loc[3, "reason"]
    first = reports.set_index("report_id").loc["fakes-1"]
    assert first["outlet"] == "SANA"
    assert first["labels"] == "0|1" and bool(first["label_conflict"])
    assert first["fakes_locations"] == "aleppo|idlib"
    assert first["published"].date().isoformat() == "2016-12-15"  # dateline wins
    assert first["date_column"].date().isoformat() == "2016-12-14"
    assert bool(first["date_disagrees"]) and first["published_from"] == "dateline"
    assert pd.isna(reports.set_index("report_id").loc["fakes-3", "published"])
    Reports.validate(reports)


def test_generic_csv_needs_its_columns(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,text\n1,Some 40 people fled\n", encoding="utf-8")
    with pytest.raises(ReportError, match="missing column"):
        read_reports_csv(path, {"body": "article"})
    reports = read_reports_csv(path, {"report_id": "id", "body": "text"}, id_prefix="x-")
    assert reports["report_id"].tolist() == ["x-1"]
    assert reports.loc[0, "body"] == "Some 40 people fled"


def test_unreadable_csv_is_a_report_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,text\n1,\xff\xfe broken\n")
    with pytest.raises(ReportError, match="not UTF-8"):
        read_reports_csv(path, {"body": "text"})
    with pytest.raises(ReportError, match="no such file"):
        read_reports_csv(tmp_path / "none.csv", {"body": "text"})


def test_unsafe_ids_are_rejected_not_dropped(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,text\n../x,Some 40 people fled\n", encoding="utf-8")
    reports, ledger = read_reports_csv(path, {"report_id": "id", "body": "text"}, with_ledger=True)
    assert len(reports) == 0
    assert ledger.loc[0, "status"] == "rejected" and "safe file name" in ledger.loc[0, "reason"]


def test_earliest_dateline_wins_whichever_its_form(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "id,text\n"
        'a,"10 December 2016, updated Dec 12, 2016"\n'
        'b,"Dec 12, 2016 14:05 GMT, from 10 December 2016"\n'
        'c,"Feb 30, 2016 is no day"\n',
        encoding="utf-8",
    )
    reports = read_reports_csv(path, {"report_id": "id", "body": "text"}).set_index("report_id")
    assert reports.loc["a", "published"] == pd.Timestamp("2016-12-10", tz="UTC")
    assert reports.loc["b", "published"] == pd.Timestamp("2016-12-12T14:05", tz="UTC")
    assert pd.isna(reports.loc["c", "published"])
    assert reports["published_from"].tolist()[:2] == ["dateline", "dateline"]


@pytest.mark.skipif(not FAKES.is_file(), reason="FA-KES corpus not beside the repo")
def test_whole_fakes_corpus_is_accounted_for():
    reports, ledger = read_fakes(FAKES, with_ledger=True)
    raw = pd.read_csv(FAKES, dtype=str, keep_default_na=False)
    assert len(ledger) == len(raw) == 777
    counts = ledger["status"].value_counts().to_dict()
    assert counts == {"loaded": 770, "merged": 7}
    assert len(reports) == 770 == raw["unit_id"].nunique()
    assert reports["outlet"].nunique() == 15
    assert set(reports["outlet"]) <= set(sources()["name"])
    assert int(reports["label_conflict"].sum()) == 7
    assert int(reports["date_disagrees"].sum()) > 0
    assert set(FAKES_MAPPING.values()) <= set(raw.columns)


def test_import_fakes_then_extract_reports_claims_per_outlet(tmp_path, capsys):
    from toolkit.cli import main

    path = _write(
        tmp_path,
        '1,T1,"More than 300 people fled the town on Friday",sana,12/14/2016,aleppo,1\n'
        '1,T1,"More than 300 people fled the town on Friday",sana,12/14/2016,aleppo,0\n'
        '2,T2,"At least 12 civilians were killed",reuters,12/1/2016,homs,1\n',
    )
    out = tmp_path / "reports"
    assert main(["import-fakes", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert "3 record(s): 2 written" in printed.out and "1 merged" in printed.out
    assert sorted(p.name for p in out.iterdir()) == ["fakes-1.txt", "fakes-2.txt"]
    assert main(["extract", str(out), "--out", str(tmp_path / "claims.csv")]) == 0
    err = capsys.readouterr().err
    assert "claims per outlet:" in err
    assert "SANA: 1 claims from 1 report(s)" in err
    assert "Reuters: 1 claims from 1 report(s)" in err


@pytest.mark.parametrize(
    "header, problem",
    [
        ("unit_id,article_title,article_content,source,date,location,labels", "header only"),
        ("unit_id,article_title,article_content,source,date,location", "missing column(s) labels"),
    ],
)
def test_fakes_csv_without_records_or_labels_is_named_and_explained(tmp_path, header, problem):
    path = tmp_path / "fakes.csv"
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(ReportError, match=re.escape(problem)) as err:
        read_fakes(path)
    assert str(path) in str(err.value)
