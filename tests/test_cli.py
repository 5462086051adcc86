"""The command line: exit codes, messages on standard error, CSV outputs."""

import shutil

import pandas as pd
import pytest
from support import DATA

from toolkit.cli import main
from toolkit.tables import read_claims, read_events


def test_validate_seeds_ok(capsys):
    assert main(["validate", str(DATA / "reports")]) == 0
    assert "5 report file(s): 5 valid, 0 rejected" in capsys.readouterr().out


def test_validate_names_bad_file_and_keeps_others(tmp_path, capsys):
    folder = tmp_path / "reports"
    shutil.copytree(DATA / "reports", folder)
    (folder / "broken.txt").write_text("---\ntitle: x\noutlet: y\npublished: 2016-13-01\n---\nB\n")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "broken.txt: front matter: published '2016-13-01' is not a date" in out
    assert "6 report file(s): 5 valid, 1 rejected" in out


def test_validate_curated_tables(capsys):
    args = [
        "validate",
        str(DATA / "reports"),
        str(DATA / "curated/claims.csv"),
        str(DATA / "curated/events.csv"),
    ]
    assert main(args) == 0
    assert "schema and provenance" in capsys.readouterr().out


def test_validate_rejects_table_with_missing_column(tmp_path, capsys):
    bad = tmp_path / "claims.csv"
    pd.read_csv(DATA / "curated/claims.csv").drop(columns=["unit"]).to_csv(bad, index=False)
    assert main(["validate", str(bad)]) == 1
    assert "missing column(s) unit" in capsys.readouterr().out


def test_extract_writes_contract_csvs(tmp_path, capsys):
    out, ev = tmp_path / "claims.csv", tmp_path / "events.csv"
    assert main(["extract", str(DATA / "reports"), "--out", str(out), "--events", str(ev)]) == 0
    assert len(read_claims(out)) > 40
    assert len(read_events(ev)) > 20
    header = out.read_text().splitlines()[0].split(",")
    assert header[:3] == ["report_id", "category", "value"]


def test_extract_exits_1_when_a_file_is_rejected(tmp_path, capsys):
    folder = tmp_path / "in"
    shutil.copytree(DATA / "reports", folder)
    (folder / "empty.txt").write_text("")
    assert main(["extract", str(folder), "--out", str(tmp_path / "c.csv")]) == 1
    err = capsys.readouterr().err
    assert "empty.txt: empty file" in err and "Traceback" not in err


def test_evaluate_command(tmp_path, capsys):
    out, ev = tmp_path / "claims.csv", tmp_path / "events.csv"
    main(["extract", str(DATA / "reports"), "--out", str(out), "--events", str(ev)])
    capsys.readouterr()
    assert (
        main(
            ["evaluate", "--claims", str(out), "--events", str(ev), "--gold", str(DATA / "curated")]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "claims precision" in text and "events F1" in text


def test_extract_with_the_dask_engine_writes_the_same_claims(tmp_path, capsys):
    pytest.importorskip("distributed")
    from toolkit.cli import main
    from toolkit.engines import read_dataset

    assert main(["extract", str(DATA / "reports"), "--out", str(tmp_path / "c.csv")]) == 0
    assert (
        main(
            [
                "extract",
                str(DATA / "reports"),
                "--out",
                str(tmp_path / "ds"),
                "--engine",
                "dask",
                "--partition-size",
                "2",
            ]
        )
        == 0
    )
    assert "5 file(s): 5 loaded, 0 rejected" in capsys.readouterr().err
    in_process = read_claims(tmp_path / "c.csv")
    partitioned = read_dataset(tmp_path / "ds")[0]
    key = ["report_id", "span_start", "category"]
    assert len(partitioned) == len(in_process) == 51
    assert partitioned.sort_values(key)["value"].tolist() == pytest.approx(
        in_process.sort_values(key)["value"].tolist(), nan_ok=True
    )
