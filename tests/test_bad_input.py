"""Bad input, one file per class (tests/data/bad/README.md): each ends as the table says,
with a message naming the file and the problem; a batch holding them all still works."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from support import DATA, ROOT

from toolkit.cli import main
from toolkit.errors import ReportError, ReportWarning
from toolkit.extract.claims import extract_claims
from toolkit.ledger import read_batch
from toolkit.reports import read_report, read_reports, reports_frame
from toolkit.tables import TableError, read_claims

BAD = Path(__file__).parent / "data" / "bad"
LIMIT = 10_000  # the size limit the README's outcomes assume


def _cases() -> list[dict]:
    rows = []
    for line in (BAD / "README.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        file, klass, outcome, message = cells
        rows.append(
            {"file": file.strip("`"), "class": klass, "outcome": outcome, "message": message[1:-1]}
        )
    return rows


CASES = _cases()
REPORT_CASES = [c for c in CASES if not c["file"].endswith(".csv")]
TABLE_CASES = [c for c in CASES if c["file"].endswith(".csv")]
OUTCOMES = {"rejected", "warns", "loaded", "claims rejected", "table rejected"}


def _id(case: dict) -> str:
    return case["file"]


@pytest.fixture(scope="module")
def bad_batch():
    """Every report file of the table read as one batch, in file-name order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReportWarning)
        return read_batch(sorted(BAD / c["file"] for c in REPORT_CASES), max_bytes=LIMIT)


def test_readme_table_lists_every_file_once():
    files = [c["file"] for c in CASES]
    assert len(files) == len(set(files))
    on_disk = {p.name for p in BAD.iterdir() if p.name != "README.md"}
    assert set(files) == on_disk
    assert {c["outcome"] for c in CASES} <= OUTCOMES
    assert len({c["class"] for c in CASES}) == len(CASES)


def test_good_reports_are_under_the_limit():
    assert all(p.stat().st_size < LIMIT for p in (DATA / "reports").iterdir())
    assert (BAD / "oversize.txt").stat().st_size > LIMIT


@pytest.mark.parametrize("case", REPORT_CASES, ids=_id)
def test_report_file_outcome_and_message(case, bad_batch):
    path = str(BAD / case["file"])
    row = bad_batch.ledger.set_index("path").loc[path]
    if case["outcome"] == "rejected":
        assert row["status"] == "rejected"
        assert case["message"] in row["reason"]
        reject = bad_batch.rejects.set_index("path").loc[path]
        assert reject["reason"] == row["reason"]
        assert path not in set(bad_batch.reports["path"])
    else:
        assert row["status"] == "loaded", row["reason"]
        assert pd.isna(row["reason"])
        loaded = bad_batch.reports.set_index("path").loc[path]
        assert loaded["report_id"] == row["report_id"]
        assert row["n_chars"] == loaded["n_chars"] == len(loaded["body"])
        if case["outcome"] == "warns":
            assert case["message"] in row["warnings"]
        else:
            assert row["warnings"] == ""


@pytest.mark.parametrize("case", [c for c in REPORT_CASES if c["outcome"] == "rejected"], ids=_id)
def test_rejected_file_raises_report_error_naming_it(case, write_report, tmp_path):
    path = BAD / case["file"]
    if case["file"] == "duplicate_id_b.md":  # a duplicate only shows in a batch
        shutil.copy(BAD / "duplicate_id_a.md", tmp_path / "a.md")
        shutil.copy(path, tmp_path / "b.md")
        with pytest.raises(ReportError) as err:
            read_reports(tmp_path)
        assert str(err.value) == (
            f"{tmp_path / 'b.md'}: duplicate id 'duplicate-id' (already used by "
            f"{tmp_path / 'a.md'})"
        )
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReportWarning)
        with pytest.raises(ReportError) as err:
            read_report(path, max_bytes=LIMIT)
    assert err.value.path == str(path)
    assert str(err.value).startswith(f"{path}: ")
    assert case["message"] in err.value.problem
    assert "Traceback" not in str(err.value)


@pytest.mark.parametrize("case", [c for c in REPORT_CASES if c["outcome"] == "warns"], ids=_id)
def test_warning_names_file_and_report_still_gives_claims(case):
    path = BAD / case["file"]
    with pytest.warns(ReportWarning) as caught:
        record = read_report(path, max_bytes=LIMIT)
    messages = [str(w.message) for w in caught if issubclass(w.category, ReportWarning)]
    assert any(
        m == f"{path}: {case['message']}" or m.startswith(f"{path}: {case['message']}")
        for m in messages
    ), messages
    assert all(m.startswith(f"{path}: ") for m in messages)
    assert all(w.message.path == str(path) for w in caught)
    claims = extract_claims(reports_frame([record]))
    assert len(claims) >= 1
    assert (claims["category"] == "displaced").any()


def test_cp1252_text_is_decoded_not_mangled():
    with pytest.warns(ReportWarning, match="decoded as cp1252"):
        record = read_report(BAD / "cp1252.txt")
    assert record["title"] == "Caf\u00e9 talk"
    assert record["body"].startswith("\u201cAbout 50,000 civilians")
    assert "\u201d according to the Observatory" in record["body"]


def test_bom_is_not_part_of_the_text():
    with pytest.warns(ReportWarning, match="byte-order mark"):
        record = read_report(BAD / "bom.md")
    assert record["report_id"] == "bom"  # the front matter was found despite the mark
    assert "\ufeff" not in record["body"]


def test_replacement_characters_are_counted():
    with pytest.warns(ReportWarning, match="3 replacement"):
        record = read_report(BAD / "replacement_chars.txt")
    assert record["n_replacement"] == 3


def test_mixed_line_endings_are_kept_byte_for_byte():
    with pytest.warns(ReportWarning, match="mixed line endings"):
        record = read_report(BAD / "mixed_line_endings.txt")
    raw = (BAD / "mixed_line_endings.txt").read_bytes().decode()
    assert raw.endswith(record["body"]) and "\r\n" in record["body"]


def test_future_check_is_relative_to_the_run_date():
    path = BAD / "published_future.md"
    with pytest.raises(ReportError, match=r"in the future \(after the run date 2098-12-31\)"):
        read_report(path, today=date(2098, 12, 31))
    record = read_report(path, today=date(2099, 1, 1))  # the day itself is not the future
    assert record["published"] == pd.Timestamp("2099-01-01", tz="UTC")


def test_future_dateline_is_ignored_relative_to_the_run_date():
    with pytest.warns(ReportWarning, match="after the run date 2020-01-01; ignored"):
        record = read_report(BAD / "dateline_future.txt", today=date(2020, 1, 1))
    assert record["published"] is None
    record = read_report(BAD / "dateline_future.txt", today=date(2100, 1, 1))
    assert record["published"] == pd.Timestamp("2099-12-10", tz="UTC")


def test_size_limit_is_configurable():
    with pytest.raises(ReportError, match="over the limit of 10,000"):
        read_report(BAD / "oversize.txt", max_bytes=10_000)
    assert read_report(BAD / "oversize.txt", max_bytes=20_000)["report_id"] == "oversize"


def test_absurd_numbers_in_a_report_go_to_the_rejects_with_their_rule():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReportWarning)
        reports = read_batch(BAD / "absurd_numbers.txt").reports
    claims, rejects = extract_claims(reports, with_rejects=True)
    assert list(claims["value"]) == [50_000]
    rule = "value beyond the plausible maximum of its unit"
    got = {(r.category, r.value, r.unit, r.rule) for r in rejects.itertuples()}
    assert got == {
        ("front_distance", 1e9, "km", rule),
        ("territory_share", 150.0, "percent", rule),
        ("displaced", float("inf"), "people", rule),  # a 400-digit count overflows
    }


@pytest.mark.parametrize("case", TABLE_CASES, ids=_id)
def test_bad_claims_table_rejected_by_validate(case, capsys):
    path = BAD / case["file"]
    assert main(["validate", str(DATA / "reports"), str(path)]) == 1
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("REJECTED"))
    assert line.startswith(f"REJECTED  {path}: ")
    assert case["message"] in line


def test_absurd_claims_table_names_every_rule_and_value():
    with pytest.raises(TableError) as err:
        read_claims(BAD / "claims_absurd.csv")
    text = str(err.value)
    assert text.startswith(f"{BAD / 'claims_absurd.csv'}: ")
    assert "value fails greater_than_or_equal_to(0) (row 0: -50000.0)" in text
    assert (
        "rule 'value beyond the plausible maximum of its unit' fails (row 1: value=150.0, "
        "unit='percent'; row 2: value=1000000000.0, unit='km'; row 3: value=inf, "
        "unit='people')"
    ) in text


def test_unknown_category_names_the_value():
    with pytest.raises(TableError, match="row 0: 'buildings_destroyed'"):
        read_claims(BAD / "claims_unknown_category.csv")


def _folder(tmp_path: Path) -> Path:
    """The five seed reports and every file of tests/data/bad (the README is not an input)."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for p in [*(DATA / "reports").iterdir(), *BAD.iterdir()]:
        if p.name != "README.md":
            shutil.copy(p, folder / p.name)
    return folder


def _claims_by_report(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_extract_over_good_and_bad_files(tmp_path, capsys):
    """The must-show: status 1, the good reports' claims unchanged, every bad file named
    with its reason on standard error, no traceback."""
    good_out = tmp_path / "good.csv"
    assert main(["extract", str(DATA / "reports"), "--out", str(good_out)]) == 0
    capsys.readouterr()

    folder = _folder(tmp_path)
    out, rejects, ledger = tmp_path / "c.csv", tmp_path / "rejects.csv", tmp_path / "ledger.csv"
    args = ["extract", str(folder), "--out", str(out), "--rejects", str(rejects),
            "--ledger", str(ledger), "--max-bytes", str(LIMIT)]  # fmt: skip
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err

    seeds = {p.stem for p in (DATA / "reports").iterdir()}
    mixed = _claims_by_report(out)
    kept = mixed[mixed["report_id"].isin(seeds)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, _claims_by_report(good_out))

    for case in REPORT_CASES:
        path = folder / case["file"]
        if case["outcome"] == "rejected":
            assert f"rejected: {path}: {case['message']}" in err
        elif case["outcome"] == "warns":
            assert f"warning: {path}: {case['message']}" in err
    # the loaded bad-but-readable files give their claims too
    assert {"bom", "cp1252", "unknown-keys", "mixed-line-endings", "replacement-chars",
            "utf16", "duplicate-id", "absurd-numbers"} <= set(mixed["report_id"])  # fmt: skip
    n_reports = len(seeds) + len(REPORT_CASES)
    n_rejected = sum(c["outcome"] == "rejected" for c in REPORT_CASES)
    summary = f"{n_reports} file(s): {n_reports - n_rejected} loaded, {n_rejected} rejected"
    assert summary in err

    book = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    assert len(book) == n_reports
    assert (book["status"] == "rejected").sum() == n_rejected
    assert set(book.loc[book["status"] == "rejected", "path"]) == {
        str(folder / c["file"]) for c in REPORT_CASES if c["outcome"] == "rejected"
    }
    thrown = pd.read_csv(rejects, dtype=str, keep_default_na=False)
    assert set(thrown["report_id"]) == {"absurd-numbers"} and len(thrown) == 3
    assert (thrown["rule"] == "value beyond the plausible maximum of its unit").all()


def test_extract_over_good_and_bad_files_in_a_subprocess(tmp_path):
    folder = _folder(tmp_path)
    script = Path(sys.executable).parent / "toolkit"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "toolkit.cli"]
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    done = subprocess.run(
        [*command, "extract", str(folder), "--out", str(tmp_path / "c.csv"),
         "--max-bytes", str(LIMIT)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    for case in REPORT_CASES:
        if case["outcome"] == "rejected":
            assert f"rejected: {folder / case['file']}: " in done.stderr
    assert re.search(r"^\d+ file\(s\): \d+ loaded, \d+ rejected$", done.stderr, re.M)
    done = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "validate", str(folder),
         str(BAD / "claims_absurd.csv"), "--max-bytes", str(LIMIT)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "REJECTED  " + str(BAD / "claims_absurd.csv") in done.stdout
