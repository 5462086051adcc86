"""The batch ledger (every file loaded or rejected, counts add up), the CLI options that
write it and the claim rejects, and atomic writes."""

from __future__ import annotations

import os
import shutil
import stat

import pandas as pd
import pytest
from support import DATA

from toolkit.cli import main
from toolkit.errors import LedgerError, ReportWarning
from toolkit.ledger import (
    LEDGER_COLUMNS,
    add_files,
    build_ledger,
    check_ledger,
    read_batch,
    reject_loaded,
    summary,
)
from toolkit.reports import FileOutcome, read_reports
from toolkit.tables import CLAIM_COLUMNS, TableError, atomic_write, read_claims, write_table

GOOD = "---\nid: {id}\ntitle: T\noutlet: AFP\npublished: 2016-12-01\n---\nAbout 5,000 fled.\n"


@pytest.fixture
def folder(tmp_path, write_report):
    write_report("a.txt", GOOD.format(id="a"))
    write_report("b.md", GOOD.format(id="b").replace("outlet", "colour: red\noutlet"))
    write_report("c.txt", "")
    write_report("d.txt", GOOD.format(id="a"))  # duplicate of a
    write_report("notes.csv", "not,a,report\n")
    return tmp_path


def test_batch_ledger_accounts_for_every_file(folder):
    with pytest.warns(ReportWarning, match="unknown keys"):
        batch = read_batch(folder)
    ledger = batch.ledger
    assert list(ledger.columns) == LEDGER_COLUMNS
    assert [p.rsplit("/", 1)[-1] for p in ledger["path"]] == ["a.txt", "b.md", "c.txt", "d.txt"]
    assert list(ledger["status"]) == ["loaded", "loaded", "rejected", "rejected"]
    assert list(ledger["report_id"]) == ["a", "b", None, "a"]
    assert ledger["reason"].iloc[2] == "empty file"
    assert ledger["reason"].iloc[3].startswith("duplicate id 'a' (already used by ")
    assert ledger["warnings"].iloc[1].startswith("front matter: unknown keys ['colour']")
    assert list(ledger["n_chars"].iloc[:2]) == [len("About 5,000 fled.\n")] * 2
    assert ledger["n_chars"].iloc[2:].isna().all()
    assert len(ledger) == len(batch.reports) + len(batch.rejects)
    assert batch.summary == "4 file(s): 2 loaded, 2 rejected"


def test_read_reports_collect_is_the_batch_without_the_ledger(folder):
    with pytest.warns(ReportWarning):
        frame, rejects = read_reports(folder, errors="collect")
    assert list(frame["report_id"]) == ["a", "b"]
    assert list(rejects.columns) == ["path", "reason"] and len(rejects) == 2


def test_warnings_still_reach_the_caller(folder):
    with pytest.warns(ReportWarning) as caught:
        read_batch(folder)
    assert [w.message.path for w in caught] == [str(folder / "b.md")]


def test_ledger_that_does_not_add_up_raises():
    outcomes = [FileOutcome("a.txt", record={"n_chars": 3}, report_id="a"), FileOutcome("b.txt")]
    with pytest.raises(LedgerError, match="rejected without a reason: b.txt"):
        build_ledger(["a.txt", "b.txt"], outcomes)
    outcomes[1].reason = "empty file"
    ledger = build_ledger(["a.txt", "b.txt"], outcomes)
    with pytest.raises(LedgerError, match=r"3 file\(s\) in but 2 ledger row\(s\); not accounted"):
        check_ledger(ledger, ["a.txt", "b.txt", "c.txt"])
    with pytest.raises(LedgerError, match="1 loaded in the ledger but 2 reports read"):
        check_ledger(ledger, ["a.txt", "b.txt"], n_loaded=2)
    odd = ledger.assign(status=["loaded", "skipped"])
    with pytest.raises(LedgerError, match="neither loaded nor rejected: b.txt"):
        check_ledger(odd, ["a.txt", "b.txt"])


def test_reject_loaded_and_add_files():
    outcomes = [FileOutcome("a.txt", record={"n_chars": 3}, report_id="a")]
    ledger = build_ledger(["a.txt"], outcomes)
    turned = reject_loaded(ledger, "a.txt", "extraction failed")
    assert summary(turned) == "1 file(s): 0 loaded, 1 rejected"
    with pytest.raises(LedgerError):
        reject_loaded(turned, "a.txt", "again")
    more = add_files(ledger, [{"path": "t.csv", "status": "rejected", "reason": "missing"}])
    assert summary(more) == "2 file(s): 1 loaded, 1 rejected"


def test_validate_writes_ledger_with_tables(tmp_path, capsys):
    bad = tmp_path / "claims.csv"
    pd.read_csv(DATA / "curated/claims.csv").drop(columns=["unit"]).to_csv(bad, index=False)
    out = tmp_path / "ledger.csv"
    args = ["validate", str(DATA / "reports"), str(DATA / "curated/claims.csv"), str(bad),
            "--ledger", str(out)]  # fmt: skip
    assert main(args) == 1
    assert "7 file(s): 6 loaded, 1 rejected; ledger written to" in capsys.readouterr().err
    ledger = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(ledger.columns) == LEDGER_COLUMNS
    row = ledger.set_index("path").loc[str(bad)]
    assert row["status"] == "rejected" and row["reason"] == "missing column(s) unit"


def test_extract_prints_summary_and_writes_ledger_and_rejects(tmp_path, capsys):
    folder = tmp_path / "in"
    shutil.copytree(DATA / "reports", folder)
    (folder / "empty.txt").write_text("")
    (folder / "typo.txt").write_text(
        GOOD.format(id="typo").replace("About 5,000 fled.", "Troops control 150 percent of Aleppo.")
    )
    paths = {k: tmp_path / f"{k}.csv" for k in ("claims", "rejects", "ledger")}
    args = ["extract", str(folder), "--out", str(paths["claims"]), "--rejects",
            str(paths["rejects"]), "--ledger", str(paths["ledger"])]  # fmt: skip
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "7 file(s): 6 loaded, 1 rejected" in err.splitlines()
    assert f"rejected: {folder / 'empty.txt'}: empty file" in err
    rejects = pd.read_csv(paths["rejects"], dtype=str, keep_default_na=False)
    assert list(rejects.columns) == [*CLAIM_COLUMNS, "rule"]
    assert rejects[["report_id", "category", "value", "rule"]].values.tolist() == [
        ["typo", "territory_share", "150.0", "value beyond the plausible maximum of its unit"]
    ]
    read_claims(paths["claims"])  # the claims written are valid
    ledger = pd.read_csv(paths["ledger"], dtype=str, keep_default_na=False)
    assert len(ledger) == 7 and (ledger["status"] == "rejected").sum() == 1


def test_extract_without_rejects_file_still_names_rejected_claims(tmp_path, capsys):
    (tmp_path / "typo.txt").write_text(
        GOOD.format(id="typo").replace("About 5,000 fled.", "Troops control 150 percent of Aleppo.")
    )
    assert main(["extract", str(tmp_path / "typo.txt"), "--out", str(tmp_path / "c.csv")]) == 0
    err = capsys.readouterr().err
    assert "claim rejected: typo [" in err
    assert "territory_share 150.0 percent: value beyond the plausible maximum" in err


def test_extract_sets_aside_a_report_the_extractor_fails_on(tmp_path, capsys, monkeypatch):
    import toolkit.extract.claims as claims_module

    real = claims_module.report_claims

    def flaky(report):
        if report.report_id == "2016-12-01-afp-battle-fronts":
            raise ValueError("boom")
        return real(report)

    monkeypatch.setattr(claims_module, "report_claims", flaky)
    out, ledger = tmp_path / "c.csv", tmp_path / "l.csv"
    args = ["extract", str(DATA / "reports"), "--out", str(out), "--ledger", str(ledger)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "2016-12-01-afp-battle-fronts.txt: extraction failed (ValueError: boom)" in err
    assert "5 file(s): 4 loaded, 1 rejected" in err
    claims = read_claims(out)
    assert claims["report_id"].nunique() == 4
    assert "2016-12-01-afp-battle-fronts" not in set(claims["report_id"])


def test_bad_option_values_are_usage_errors(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(DATA / "reports"), "--out", "x.csv", "--max-bytes", "-5"])
    assert exit_.value.code == 2
    assert "'-5' must be positive" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["validate", str(DATA / "reports"), "--today", "yesterday"])
    assert "'yesterday' is not a YYYY-MM-DD date" in capsys.readouterr().err


def test_today_option_moves_the_future_check(tmp_path, capsys):
    (tmp_path / "r.txt").write_text(GOOD.format(id="r").replace("2016-12-01", "2020-05-05"))
    assert main(["validate", str(tmp_path), "--today", "2020-05-04"]) == 1
    assert "is in the future (after the run date 2020-05-04)" in capsys.readouterr().out
    assert main(["validate", str(tmp_path), "--today", "2020-05-05"]) == 0


# atomic writes


def test_write_table_is_atomic_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "t.csv"
    write_table(pd.DataFrame({"a": [1]}), path)
    before = path.read_bytes()

    class Boom(Exception):
        pass

    bad = pd.DataFrame({"a": [2]})
    with pytest.raises(Boom), atomic_write(path) as handle:
        handle.write(b"a\n2\n")  # half a table ...
        raise Boom  # ... and then a failure
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["t.csv"]
    write_table(bad, path)
    assert path.read_text() == "a\n2\n"
    assert os.listdir(tmp_path) == ["t.csv"]


def test_write_table_uses_normal_permissions(tmp_path):
    path = write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.parquet")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_write_table_error_names_the_file(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(TableError, match=r"dir\.csv: cannot write"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "dir.csv")
    assert sorted(os.listdir(tmp_path)) == ["dir.csv"]


def test_extract_write_error_is_a_message_not_a_traceback(tmp_path, capsys):
    (tmp_path / "out.csv").mkdir()
    assert main(["extract", str(DATA / "reports"), "--out", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "error: " in err and "out.csv: cannot write" in err and "Traceback" not in err


def test_extract_writes_nothing_when_it_fails_before_writing(tmp_path, monkeypatch):
    import toolkit.cli as cli

    def broken(reports, events):
        raise LedgerError("ledger does not add up: test")

    monkeypatch.setattr(cli, "extract_guarded", broken)
    out = tmp_path / "c.csv"
    assert main(["extract", str(DATA / "reports"), "--out", str(out)]) == 2
    assert not out.exists() and os.listdir(tmp_path) == []
