"""Partitioned extraction: the in-process engine and Dask on a 2-worker LocalCluster give the
same claims, events, rejects and ledger as reading and extracting the batch in one go."""

from __future__ import annotations

import pandas as pd
import pytest
from support import DATA

from toolkit.engines import (
    EngineError,
    extract_paths,
    local_cluster,
    partition,
    read_dataset,
)
from toolkit.extract.batch import extract_guarded
from toolkit.extract.claims import extract_claims
from toolkit.extract.events import extract_events
from toolkit.ledger import read_batch, reject_loaded
from toolkit.reports import read_reports

distributed = pytest.importorskip("distributed")

N_COPIES = 60  # 5 seeds x 60 = 300 reports


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 single-threaded worker processes, shared by this module."""
    with local_cluster(2) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """300 reports (the seeds replicated with unique ids), 2 bad files and a duplicate id."""
    folder = tmp_path_factory.mktemp("corpus")
    for seed in sorted((DATA / "reports").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for k in range(N_COPIES):
            new_id = f"{seed.stem}-r{k:02d}"
            copy = text.replace(f"\nid: {seed.stem}\n", f"\nid: {new_id}\n", 1)
            (folder / f"{new_id}.txt").write_text(copy, encoding="utf-8")
    (folder / "2016-12-05-empty.txt").write_bytes(b"")
    (folder / "2016-12-06-binary.txt").write_bytes(b"\x00\x01binary\x00" * 10)
    # same id as a file of the first partitions: rejected though it lands in the last one
    first = (folder / "2016-12-01-afp-battle-fronts-r00.txt").read_text(encoding="utf-8")
    (folder / "zz-duplicate.txt").write_text(first, encoding="utf-8")
    return folder


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame in a canonical row order (every column), index reset: order aside."""
    return frame.sort_values(list(frame.columns), na_position="first").reset_index(drop=True)


def assert_same_rows(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Same rows and values, whatever their order."""
    assert len(left) == len(right)
    pd.testing.assert_frame_equal(_sorted(left), _sorted(right))


def reference(paths) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(claims, events, rejects, ledger) of the whole batch read and extracted in one go."""
    batch = read_batch(paths)
    claims, rejects, found, failures = extract_guarded(batch.reports)
    ledger = batch.ledger
    for path, error in failures.items():
        ledger = reject_loaded(ledger, path, f"extraction failed ({error})")
    return claims, found, rejects, ledger


def test_partition_slices_in_order():
    assert partition(list("abcde"), 2) == [["a", "b"], ["c", "d"], ["e"]]
    assert partition([], 3) == []
    with pytest.raises(ValueError):
        partition(["a"], 0)


def test_seeds_same_on_both_engines_and_as_in_one_go(tmp_path):
    local = extract_paths(DATA / "reports", tmp_path / "local", partition_size=2)
    # no scheduler: the engine starts (and stops) a LocalCluster of 2 worker processes
    dask = extract_paths(DATA / "reports", tmp_path / "dask", engine="dask", partition_size=2)
    assert (local.files, local.loaded, local.partitions) == (5, 5, 3)
    assert (dask.files, dask.loaded, dask.claims, dask.events) == (
        local.files,
        local.loaded,
        local.claims,
        local.events,
    )
    assert dask.workers == 2
    claims_l, events_l, rejects_l, ledger_l = read_dataset(tmp_path / "local")
    claims_d, events_d, rejects_d, ledger_d = read_dataset(tmp_path / "dask")
    assert_same_rows(claims_d, claims_l)
    assert_same_rows(events_d, events_l)
    assert_same_rows(rejects_d, rejects_l)
    assert_same_rows(ledger_d, ledger_l)
    seeds = read_reports(DATA / "reports")
    assert len(claims_l) == local.claims > 0
    assert_same_rows(claims_l, extract_claims(seeds))
    assert_same_rows(events_l, extract_events(seeds))


def test_few_hundred_reports_same_on_both_engines(tmp_path, cluster, corpus):
    claims, found, rejects, ledger = reference(corpus)
    local = extract_paths(corpus, tmp_path / "local", partition_size=40)
    dask = extract_paths(
        corpus,
        tmp_path / "dask",
        engine="dask",
        scheduler=cluster.scheduler_address,
        partition_size=40,
    )
    n_files = 5 * N_COPIES + 3
    for run in (local, dask):
        assert run.files == n_files == run.loaded + run.rejected
        assert (run.loaded, run.rejected, run.partitions) == (5 * N_COPIES, 3, 8)
        assert (run.claims, run.events, run.claim_rejects) == (len(claims), len(found), 0)
        assert {p.rsplit("/", 1)[-1] for p, _ in run.rejected_files} == {
            "2016-12-05-empty.txt",
            "2016-12-06-binary.txt",
            "zz-duplicate.txt",
        }
    for out in (tmp_path / "local", tmp_path / "dask"):
        got_claims, got_events, got_rejects, got_ledger = read_dataset(out)
        assert_same_rows(got_claims, claims)
        assert_same_rows(got_events, found)
        assert_same_rows(got_rejects, rejects)
        # the ledger, file by file and in input order, is the one-go batch's
        pd.testing.assert_frame_equal(got_ledger, ledger.reset_index(drop=True))
    duplicate = got_ledger.set_index("path").loc[str(corpus / "zz-duplicate.txt")]
    assert duplicate["status"] == "rejected"
    assert duplicate["reason"].startswith("duplicate id '2016-12-01-afp-battle-fronts-r00'")


def test_rerun_replaces_the_parts_of_an_earlier_run(tmp_path):
    out = tmp_path / "out"
    extract_paths(DATA / "reports", out, partition_size=1, events=False)
    assert len(list((out / "claims").glob("part-*.parquet"))) == 5
    summary = extract_paths(DATA / "reports", out, partition_size=5)
    assert len(list((out / "claims").glob("part-*.parquet"))) == 1
    claims, found, _, ledger = read_dataset(out)
    assert len(claims) == summary.claims and len(found) == summary.events
    assert list(ledger["status"]) == ["loaded"] * 5


def test_a_report_the_extractor_fails_on_is_rejected_not_the_partition(tmp_path, monkeypatch):
    import toolkit.extract.claims as claims_module

    real = claims_module.report_claims
    victim = "2016-12-10-bbc-aleppo-exodus"

    def flaky(report):
        if report.report_id == victim:
            raise RuntimeError("boom")
        return real(report)

    monkeypatch.setattr(claims_module, "report_claims", flaky)
    summary = extract_paths(DATA / "reports", tmp_path / "out", partition_size=3)
    assert (summary.loaded, summary.rejected) == (4, 1)
    claims, _, _, ledger = read_dataset(tmp_path / "out")
    assert victim not in set(claims["report_id"]) and len(claims) == summary.claims > 0
    row = ledger.set_index("report_id").loc[victim]
    assert row["status"] == "rejected" and "RuntimeError: boom" in row["reason"]


def test_unfinished_output_is_refused(tmp_path):
    with pytest.raises(EngineError, match="not the output of a finished run"):
        read_dataset(tmp_path)


def test_bad_engine_options():
    with pytest.raises(ValueError, match="engine"):
        extract_paths(DATA / "reports", "unused", engine="spark")
    with pytest.raises(ValueError, match="scheduler"):
        extract_paths(DATA / "reports", "unused", scheduler="tcp://127.0.0.1:8786")
