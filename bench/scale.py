"""Scale benchmark: partitioned extraction of 10k and 100k report files, in process and on a
2-worker Dask LocalCluster; prints reports/s, MB/s, peak memory per worker and the speed-up.

The corpus is built on disk (a temporary folder under /tmp, removed at the end) by
replicating real reports, FA-KES (when $TOOLKIT_FAKES_CSV names it) and the seeds, with ids
made unique (`fakes-<unit>-r<k>`). Each engine runs in fresh processes, so a peak resident
memory figure is that of one run: the in-process engine's process, or each Dask worker.

    python bench/scale.py                 # 10,000 and 100,000 reports
    python bench/scale.py 10000           # one size
    python bench/scale.py 2000 --engines local --partition-size 100
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
import regex

from toolkit.corpora import fakes_path, read_fakes
from toolkit.engines import extract_paths, local_cluster
from toolkit.reports import read_reports, write_report

ROOT = Path(__file__).resolve().parents[1]
FILES_PER_FOLDER = 1000
_ID_LINE = regex.compile(r"^id: .*$", regex.M)


def templates() -> list[tuple[str, str, bool]]:
    """(report id, file text, has front matter) of every real report to replicate."""
    frames = [read_reports(ROOT / "data" / "reports")]
    path = fakes_path()
    if path:
        frames.append(read_fakes(path))
    else:
        print("FA-KES skipped: set TOOLKIT_FAKES_CSV to the corpus CSV (seeds only)")
    out = []
    with tempfile.TemporaryDirectory(prefix="toolkit-templates-") as folder:
        for frame in frames:
            for report in frame.to_dict("records"):
                text = write_report(report, folder).read_text(encoding="utf-8")
                out.append((report["report_id"], text, text.startswith("---\n")))
    return out


def build_corpus(folder: Path, n: int, sources: list[tuple[str, str, bool]]) -> float:
    """Write n report files under folder (1,000 per subfolder); return their size in MB."""
    size = 0
    for i in range(n):
        report_id, text, front = sources[i % len(sources)]
        new_id = f"{report_id}-r{i // len(sources)}"
        if front:  # the front matter's id wins over the file name: make it unique too
            text = _ID_LINE.sub(f"id: {new_id}", text, count=1)
        sub = folder / f"d{i // FILES_PER_FOLDER:04d}"
        if i % FILES_PER_FOLDER == 0:
            sub.mkdir(parents=True)
        data = text.encode("utf-8")
        (sub / f"{new_id}.txt").write_bytes(data)
        size += len(data)
    return size / 1e6


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _usage() -> tuple[float, float]:
    """(peak resident memory in MB, CPU seconds) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return _peak_rss_mb(), usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    # VmHWM is this program's own peak; ru_maxrss of a spawned process also counts the
    # parent's memory at the fork that preceded the exec, which would hide any growth
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return _maxrss_mb()
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else _maxrss_mb()


def _local_run(corpus: str, out: str, partition_size: int) -> tuple[dict, tuple]:
    """Run the in-process engine (in a fresh process); return its summary and `_usage`."""
    summary = extract_paths(corpus, out, engine="local", partition_size=partition_size)
    return _row(summary), _usage()


def run_local(corpus: Path, out: Path, partition_size: int) -> dict:
    """The in-process engine in a fresh spawned process, so its peak memory is its own."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        row, usage = pool.apply(_local_run, (str(corpus), str(out), partition_size))
    return {**row, "peak_mb": [usage[0]], "cpu_s": usage[1]}


def run_dask(corpus: Path, out: Path, partition_size: int, workers: int) -> dict:
    """The Dask engine on a fresh `local_cluster` (as the engine starts when given no
    scheduler); peak RSS and CPU time read from each worker after the run."""
    from distributed import Client

    with local_cluster(workers) as cluster, Client(cluster) as client:
        start = time.perf_counter()
        summary = extract_paths(
            corpus, out, engine="dask", scheduler=client, partition_size=partition_size
        )
        usage = client.run(_usage)
    row = _row(summary)
    row["seconds_with_startup"] = time.perf_counter() - start
    peaks = sorted(u[0] for u in usage.values())
    return {**row, "peak_mb": peaks, "cpu_s": sum(u[1] for u in usage.values())}


def _row(summary) -> dict:
    return {
        "engine": summary.engine,
        "workers": summary.workers,
        "files": summary.files,
        "loaded": summary.loaded,
        "claims": summary.claims,
        "events": summary.events,
        "seconds": summary.seconds,
        "reports_per_s": summary.reports_per_s,
        "mb_per_s": summary.mb_per_s,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--partition-size", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engines", default="local,dask")
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    sources = templates()
    print(f"templates: {len(sources)} real reports; partitions of {args.partition_size} files")
    rows = []
    for n in args.sizes:
        tmp = Path(tempfile.mkdtemp(prefix="toolkit-scale-", dir="/tmp"))
        try:
            start = time.perf_counter()
            mb = build_corpus(tmp / "corpus", n, sources)
            print(
                f"\n{n:,} report files, {mb:.1f} MB, written in {time.perf_counter() - start:.1f} s"
            )
            for engine in engines:
                out = tmp / f"out-{engine}"
                if engine == "local":
                    row = run_local(tmp / "corpus", out, args.partition_size)
                else:
                    row = run_dask(tmp / "corpus", out, args.partition_size, args.workers)
                rows.append({"reports": n, **row})
                _print_row(rows[-1])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    _print_table(pd.DataFrame(rows))


def _print_row(row: dict) -> None:
    peaks = ", ".join(f"{p:.0f}" for p in row["peak_mb"])
    print(
        f"  {row['engine']:5s} {row['workers']} worker(s): {row['loaded']:,} loaded, "
        f"{row['claims']:,} claims, {row['events']:,} events in {row['seconds']:.1f} s = "
        f"{row['reports_per_s']:.1f} reports/s, {row['mb_per_s']:.2f} MB/s; "
        f"peak RSS per worker {peaks} MB; {row['cpu_s']:.0f} CPU s = "
        f"{row['loaded'] / row['cpu_s']:.1f} reports per CPU second"
    )


def _print_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    local = frame[frame["engine"] == "local"].set_index("reports")["seconds"]
    frame["speed_up"] = [
        local.get(n, float("nan")) / s
        for n, s in zip(frame["reports"], frame["seconds"], strict=True)
    ]
    frame["peak_mb_per_worker"] = frame["peak_mb"].map(lambda p: max(p))
    same = frame.groupby("reports")[["loaded", "claims", "events"]].nunique().le(1).all(axis=1)
    frame["per_cpu_s"] = frame["loaded"] / frame["cpu_s"]
    # the share of its cores a run got: below 1 when other work shares the machine
    frame["cpu_share"] = frame["cpu_s"] / (frame["seconds"] * frame["workers"])
    print(
        "\nreports  engine  workers  seconds  reports/s  MB/s  speed-up  peak MB/worker"
        "  reports/CPU-s  CPU share"
    )
    for r in frame.itertuples():
        print(
            f"{r.reports:>7,}  {r.engine:6s}  {r.workers:>7}  {r.seconds:7.1f}  "
            f"{r.reports_per_s:9.1f}  {r.mb_per_s:4.2f}  {r.speed_up:7.2f}x  "
            f"{r.peak_mb_per_worker:14.0f}  {r.per_cpu_s:13.1f}  {r.cpu_share:9.2f}"
        )
    for n, ok in same.items():
        print(f"{n:,} reports: same loaded, claims and events counts on every engine: {ok}")
    print(f"benchmark driver peak RSS {_maxrss_mb():.0f} MB")


if __name__ == "__main__":
    main()
