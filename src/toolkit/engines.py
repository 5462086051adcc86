"""Run extraction over many report files in partitions, in process or on a Dask cluster.

`extract_paths` lists the input files, splits the list into partitions of N files and
hands each partition to `process_partition`, which reads the files itself (errors
collected), extracts claims and control events, validates them under the same schemas
as `toolkit extract`, and writes one Parquet file per table and partition:

    OUT/claims/part-00000.parquet    claims valid under `Claims`
    OUT/events/part-00000.parquet    control events valid under `ControlEvents`
    OUT/rejects/part-00000.parquet   extracted claims that broke a rule (+ `rule`)
    OUT/ledger/part-00000.parquet    every input file: loaded, or rejected with the reason
    OUT/_summary.json                written last: the run finished (see `read_dataset`)

The in-process engine ("local") runs the partitions one after the other; the "dask" engine
sends them to the workers of a `distributed` cluster (a 2-worker `LocalCluster` when no
scheduler address is given). Workers receive file paths, never report text, so inputs and
`OUT` must be on storage every worker sees at the same path, and memory per worker stays
that of one partition however large the corpus. A report id used by two files is rejected
on its second file whichever partitions they fall in, so both engines give the same rows
as reading and extracting the whole batch at once. Dask is the optional extra
`toolkit[dask]`.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as arrow

from toolkit.errors import LedgerError, ToolkitError
from toolkit.extract.batch import extract_guarded
from toolkit.reports import MAX_BYTES, iter_report_paths
from toolkit.tables import CLAIM_COLUMNS, EVENT_COLUMNS

PARTITION_SIZE = 200
TABLES = ("claims", "events", "rejects", "ledger")
SUMMARY_FILE = "_summary.json"
LEDGER_COLUMNS = ["path", "report_id", "status", "reason", "n_chars", "warnings"]

_S, _F, _I, _D = arrow.string(), arrow.float64(), arrow.int64(), arrow.timestamp("us")
_CLAIM_TYPES = {
    "value": _F, "value_low": _F, "value_high": _F, "period_start": _D, "period_end": _D,
    "span_start": _I, "span_end": _I,
}  # fmt: skip
_EVENT_TYPES = {"date": _D, "span_start": _I, "span_end": _I}
SCHEMAS = {
    "claims": arrow.schema([(c, _CLAIM_TYPES.get(c, _S)) for c in CLAIM_COLUMNS]),
    "rejects": arrow.schema([(c, _CLAIM_TYPES.get(c, _S)) for c in [*CLAIM_COLUMNS, "rule"]]),
    "events": arrow.schema([(c, _EVENT_TYPES.get(c, _S)) for c in EVENT_COLUMNS]),
    "ledger": arrow.schema([(c, _I if c == "n_chars" else _S) for c in LEDGER_COLUMNS]),
}


class EngineError(ToolkitError):
    """A partitioned run could not be set up, or its output cannot be read back."""


@dataclass
class PartitionResult:
    """What one partition produced: counts, each file's report id (None when the file was
    not read far enough to have one) and the reason of each file rejected, by position."""

    index: int
    files: int
    loaded: int
    rejected: int
    claims: int
    claim_rejects: int
    events: int | None
    body_bytes: int
    seconds: float
    report_ids: list[str | None] = field(repr=False)
    reasons: dict[int, str] = field(repr=False)


@dataclass
class ExtractSummary:
    """Totals of a partitioned run (`extract_paths`); `text()` words them for a person."""

    engine: str
    out_dir: str
    workers: int
    partitions: int
    files: int
    loaded: int
    rejected: int
    claims: int
    claim_rejects: int
    events: int | None
    body_bytes: int
    seconds: float
    rejected_files: list[tuple[str, str]] = field(default_factory=list, repr=False)

    @property
    def reports_per_s(self) -> float:
        return self.loaded / self.seconds if self.seconds else float("nan")

    @property
    def mb_per_s(self) -> float:
        return self.body_bytes / 1e6 / self.seconds if self.seconds else float("nan")

    def text(self) -> str:
        """ "N file(s): L loaded, R rejected; C claims, ... in S s (engine, W workers)"."""
        events = "" if self.events is None else f", {self.events} control events"
        return (
            f"{self.files} file(s): {self.loaded} loaded, {self.rejected} rejected; "
            f"{self.claims} claims{events}, {self.claim_rejects} claim(s) that broke a rule; "
            f"{self.seconds:.1f} s = {self.reports_per_s:.1f} reports/s, "
            f"{self.mb_per_s:.2f} MB/s ({self.engine}, {self.partitions} partition(s), "
            f"{self.workers} worker(s)); written to {self.out_dir}"
        )


def partition(paths: Sequence[str], size: int) -> list[list[str]]:
    """Consecutive slices of at most `size` paths, in order."""
    if size < 1:
        raise ValueError("partition size must be positive")
    return [list(paths[i : i + size]) for i in range(0, len(paths), size)]


def part_path(out_dir: str | Path, table: str, index: int) -> Path:
    """`OUT/<table>/part-00000.parquet` for partition `index`."""
    return Path(out_dir) / table / f"part-{index:05d}.parquet"


def extract_paths(
    paths: str | Path | Iterable[str | Path],
    out_dir: str | Path,
    engine: Literal["local", "dask"] = "local",
    scheduler: Any = None,
    partition_size: int = PARTITION_SIZE,
    events: bool = True,
    max_bytes: int = MAX_BYTES,
    today: date | None = None,
    n_workers: int = 2,
    progress: Callable[[PartitionResult], None] | None = None,
) -> ExtractSummary:
    """Extract claims (and control events) of every report file named or under a named
    folder into a partitioned Parquet dataset at `out_dir`; return the run's totals.

    engine "local" runs the partitions in this process; "dask" on the cluster whose
    scheduler address (or `distributed.Client`) is `scheduler`, else on a fresh
    `LocalCluster` of `n_workers` single-threaded worker processes. Part files of an
    earlier run in `out_dir` are removed first; `_summary.json` is written last.
    `progress` is called with each partition's result as it completes.
    """
    if engine not in ("local", "dask"):
        raise ValueError("engine must be 'local' or 'dask'")
    if engine == "local" and scheduler is not None:
        raise ValueError("a scheduler is only used with engine='dask'")
    start = time.perf_counter()
    inputs = [str(p) for p in iter_report_paths(paths)]
    parts = partition(inputs, partition_size)
    out = Path(out_dir)
    _clear(out)
    today = today or datetime.now(UTC).date()  # one run date for every partition
    options = {"out_dir": str(out), "events": events, "max_bytes": max_bytes, "today": today}
    if engine == "local":
        workers = 1
        results = _run_local(parts, options, progress)
    else:
        results, workers = _run_dask(parts, options, scheduler, n_workers, progress)
    results.sort(key=lambda r: r.index)
    _settle_duplicates(out, parts, results, events)
    seconds = time.perf_counter() - start
    summary = _summarise(engine, out, workers, parts, results, events, seconds)
    _write_summary(out, summary)
    return summary


def process_partition(
    index: int,
    paths: Sequence[str],
    out_dir: str,
    events: bool = True,
    max_bytes: int = MAX_BYTES,
    today: date | None = None,
) -> PartitionResult:
    """Read, extract, validate and write one partition of files; both engines run this."""
    from toolkit.ledger import read_batch, reject_loaded

    start = time.perf_counter()
    with warnings.catch_warnings():
        # a file's ReportWarnings are kept in its ledger row; do not flood the worker logs
        warnings.simplefilter("ignore")
        batch = read_batch(paths, max_bytes=max_bytes, today=today)
        claims, claim_rejects, found, failures = extract_guarded(batch.reports, events)
    ledger = batch.ledger
    for path, error in failures.items():
        reason = f"extraction failed ({error}); this is an extractor bug, please report it"
        ledger = reject_loaded(ledger, path, reason)
    loaded = batch.reports[~batch.reports["path"].isin(failures)]
    body_bytes = int(loaded["body"].str.encode("utf-8").str.len().sum()) if len(loaded) else 0
    frames = {"claims": claims, "rejects": claim_rejects, "ledger": ledger}
    if events:
        frames["events"] = found
    for table, frame in frames.items():
        write_part(frame, table, part_path(out_dir, table, index))
    statuses = ledger["status"]
    return PartitionResult(
        index=index,
        files=len(ledger),
        loaded=int((statuses == "loaded").sum()),
        rejected=int((statuses == "rejected").sum()),
        claims=len(claims),
        claim_rejects=len(claim_rejects),
        events=len(found) if events else None,
        body_bytes=body_bytes,
        seconds=time.perf_counter() - start,
        report_ids=ledger["report_id"].tolist(),
        reasons=_reasons(ledger),
    )


def write_part(frame: pd.DataFrame, table: str, path: Path) -> Path:
    """Write one part file atomically, with the table's fixed Arrow schema."""
    import pyarrow.parquet as pq

    from toolkit.tables import atomic_write

    schema = SCHEMAS[table]
    data = arrow.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
    with atomic_write(path) as handle:
        pq.write_table(data, handle)
    return path


def read_dataset(
    out_dir: str | Path,
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame, pd.DataFrame]:
    """(claims, events or None, claim rejects, ledger) of a finished run, parts concatenated
    in partition order; claims and events validated under their schemas again."""
    from toolkit.ledger import _typed
    from toolkit.schemas import Claims, ControlEvents
    from toolkit.tables import coerce_claims, coerce_events, validate

    out = Path(out_dir)
    if not (out / SUMMARY_FILE).is_file():
        raise EngineError(f"{out}: no {SUMMARY_FILE}: not the output of a finished run")
    claims = validate(coerce_claims(_read_table(out, "claims")), Claims)
    has_events = json.loads((out / SUMMARY_FILE).read_text())["events"] is not None
    found = (
        validate(coerce_events(_read_table(out, "events")), ControlEvents) if has_events else None
    )
    rejects = coerce_claims(_read_table(out, "rejects"))
    ledger = _typed(_read_table(out, "ledger"))
    return claims, found, rejects, ledger


def _read_table(out: Path, table: str) -> pd.DataFrame:
    import pyarrow.dataset as ds

    files = sorted(str(p) for p in (out / table).glob("part-*.parquet"))
    data = ds.dataset(files, schema=SCHEMAS[table], format="parquet").to_table()
    return data.to_pandas().reset_index(drop=True)


def _clear(out: Path) -> None:
    """Remove the part files and summary of an earlier run; make the table folders."""
    (out / SUMMARY_FILE).unlink(missing_ok=True)
    for table in TABLES:
        folder = out / table
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("part-*.parquet"):
            stale.unlink()


def _run_local(parts, options, progress) -> list[PartitionResult]:
    results = []
    for index, paths in enumerate(parts):
        results.append(process_partition(index, paths, **options))
        if progress:
            progress(results[-1])
    return results


def _run_dask(parts, options, scheduler, n_workers, progress) -> tuple[list, int]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise EngineError(
            "engine 'dask' needs the optional extra: pip install 'toolkit[dask]'"
        ) from None
    cluster = client = None
    try:
        if isinstance(scheduler, Client):
            client = scheduler
        elif scheduler is None:
            cluster = local_cluster(n_workers)
            client = Client(cluster)
        else:
            try:
                client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise EngineError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            raise EngineError(f"no Dask worker joined the scheduler {scheduler}") from None
        workers = len(client.scheduler_info(n_workers=-1)["workers"])
        futures = client.map(process_partition, range(len(parts)), parts, pure=False, **options)
        results = []
        try:
            for future in as_completed(futures):
                results.append(future.result())
                future.release()
                if progress:
                    progress(results[-1])
        finally:
            client.cancel(futures)
        return results, workers
    finally:
        if client is not None and client is not scheduler:
            client.close()
        if cluster is not None:
            cluster.close()


def local_cluster(n_workers: int = 2):
    """A `distributed.LocalCluster` of single-threaded worker processes, profiler off.

    Dask's statistical profiler keeps the last 1,000 one-second samples of each worker's
    stacks: over a long run that is 100-150 MB per worker, so memory would grow with the
    run's length; without it a worker holds one partition at a time and stays flat.
    """
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):
        return LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )


def _reasons(ledger: pd.DataFrame) -> dict[int, str]:
    rejected = (ledger["status"] == "rejected").to_numpy()
    return {int(i): str(ledger["reason"].iat[i]) for i in rejected.nonzero()[0]}


def _settle_duplicates(
    out: Path, parts: list[list[str]], results: list[PartitionResult], events: bool
) -> None:
    """Reject, as a batch read would, a file whose id an earlier partition's file used."""
    seen: dict[str, str] = {}
    for paths, result in zip(parts, results, strict=True):
        fixes = {}
        for i, (path, report_id) in enumerate(zip(paths, result.report_ids, strict=True)):
            if report_id is None:
                continue
            if report_id in seen:
                wanted = f"duplicate id '{report_id}' (already used by {seen[report_id]})"
                if result.reasons.get(i) != wanted:
                    fixes[path] = wanted
            else:
                seen[report_id] = path
        if fixes:
            _reject_in_part(out, result, fixes, events)


def _reject_in_part(out: Path, result: PartitionResult, fixes: dict, events: bool) -> None:
    """Turn the given files of a written partition to rejected; drop their rows."""
    from toolkit.ledger import _typed

    ledger = _typed(_read_part(out, "ledger", result.index))
    hit = ledger["path"].isin(fixes)
    dropped = set(ledger.loc[hit & (ledger["status"] == "loaded"), "report_id"])
    ledger.loc[hit, "status"] = "rejected"
    ledger.loc[hit, "reason"] = ledger.loc[hit, "path"].map(fixes)
    ledger.loc[hit, "n_chars"] = pd.NA
    write_part(ledger, "ledger", part_path(out, "ledger", result.index))
    for table in ("claims", "rejects", *(("events",) if events else ())):
        frame = _read_part(out, table, result.index)
        keep = ~frame["report_id"].isin(dropped)
        if not keep.all():
            write_part(frame[keep], table, part_path(out, table, result.index))
        count = int(keep.sum())
        setattr(result, {"rejects": "claim_rejects"}.get(table, table), count)
    result.reasons = _reasons(ledger)
    result.loaded = int((ledger["status"] == "loaded").sum())
    result.rejected = int((ledger["status"] == "rejected").sum())


def _read_part(out: Path, table: str, index: int) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(part_path(out, table, index), schema=SCHEMAS[table]).to_pandas()


def _summarise(engine, out, workers, parts, results, events, seconds) -> ExtractSummary:
    """The run's totals; LedgerError unless every input file is loaded or rejected once."""
    if [r.index for r in results] != list(range(len(parts))):
        raise LedgerError(f"ledger does not add up: {len(parts)} partitions, not all accounted")
    for r, paths in zip(results, parts, strict=True):
        if not len(paths) == r.files == r.loaded + r.rejected == len(r.report_ids):
            raise LedgerError(
                f"ledger does not add up: partition {r.index}: {len(paths)} file(s) in, "
                f"{r.loaded} loaded + {r.rejected} rejected"
            )
    return ExtractSummary(
        engine=engine,
        out_dir=str(out),
        workers=workers,
        partitions=len(results),
        files=sum(len(paths) for paths in parts),
        loaded=sum(r.loaded for r in results),
        rejected=sum(r.rejected for r in results),
        claims=sum(r.claims for r in results),
        claim_rejects=sum(r.claim_rejects for r in results),
        events=sum(r.events or 0 for r in results) if events else None,
        body_bytes=sum(r.body_bytes for r in results),
        seconds=seconds,
        rejected_files=[
            (paths[i], why)
            for r, paths in zip(results, parts, strict=True)
            for i, why in sorted(r.reasons.items())
        ],
    )


def _write_summary(out: Path, summary: ExtractSummary) -> None:
    from toolkit.tables import atomic_write

    data = asdict(summary)
    data["rejected_files"] = len(summary.rejected_files)
    data.update(reports_per_s=summary.reports_per_s, mb_per_s=summary.mb_per_s)
    with atomic_write(out / SUMMARY_FILE) as handle:
        handle.write((json.dumps(data, indent=2) + "\n").encode("utf-8"))


__all__ = [
    "EngineError",
    "ExtractSummary",
    "PartitionResult",
    "extract_paths",
    "local_cluster",
    "process_partition",
    "read_dataset",
]
