"""The `toolkit` command line: validate, extract, evaluate, process."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.extract.batch import extract_guarded
from toolkit.ledger import LEDGER_COLUMNS, add_files, read_batch, reject_loaded, summary
from toolkit.provenance import check_provenance
from toolkit.reports import MAX_BYTES
from toolkit.tables import TableError, read_claims, read_events, write_table


def _warn_to_stderr(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _split_inputs(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    tables = [p for p in paths if p.lower().endswith(".csv")]
    return [p for p in paths if p not in tables], tables


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a YYYY-MM-DD date") from None


def cmd_validate(args: argparse.Namespace) -> int:
    report_paths, tables = _split_inputs(args.paths)
    bad = 0
    reports = None
    ledger = None
    if report_paths:
        batch = read_batch(report_paths, max_bytes=args.max_bytes, today=args.today)
        reports, rejects, ledger = batch.reports, batch.rejects, batch.ledger
        for r in reports.itertuples():
            pub = r.published.isoformat() if pd.notna(r.published) else "no date"
            print(f"ok        {r.path}  id={r.report_id}  published={pub}  chars={r.n_chars}")
        for r in rejects.itertuples():
            print(f"REJECTED  {r.path}: {r.reason}")
        n_in = len(reports) + len(rejects)
        print(f"{n_in} report file(s): {len(reports)} valid, {len(rejects)} rejected")
        bad += len(rejects)
    table_rows = []
    for table in tables:
        try:
            frame = _read_table(table)
        except ToolkitError as exc:
            print(f"REJECTED  {exc}")
            table_rows.append(_ledger_row(table, "rejected", _problem(exc, table)))
            bad += 1
            continue
        problems = check_provenance(frame, reports) if reports is not None else None
        if problems is not None and len(problems):
            for p in problems.itertuples():
                print(f"REJECTED  {table}: row {p.row} ({p.report_id}): {p.problem}")
            reason = "; ".join(
                f"row {p.row} ({p.report_id}): {p.problem}" for p in problems.itertuples()
            )
            table_rows.append(_ledger_row(table, "rejected", reason))
            bad += 1
        else:
            checked = "schema and provenance" if problems is not None else "schema"
            print(f"ok        {table}: {len(frame)} rows ({checked})")
            table_rows.append(_ledger_row(table, "loaded"))
    if args.ledger:
        ledger = ledger if ledger is not None else pd.DataFrame(columns=LEDGER_COLUMNS)
        ledger = add_files(ledger, table_rows)
        write_table(ledger, args.ledger)
        print(f"{summary(ledger)}; ledger written to {args.ledger}", file=sys.stderr)
    return 1 if bad else 0


def _ledger_row(path: str, status: str, reason: str | None = None) -> dict:
    return {
        "path": path,
        "report_id": None,
        "status": status,
        "reason": reason,
        "n_chars": None,
        "warnings": "",
    }


def _problem(exc: ToolkitError, path: str) -> str:
    text = str(exc)
    return text[len(path) + 2 :] if text.startswith(f"{path}: ") else text


def _read_table(path: str) -> pd.DataFrame:
    try:
        with Path(path).open(encoding="utf-8", errors="replace") as handle:
            header = handle.readline()
    except OSError as exc:
        raise TableError(f"{path}: cannot read file: {exc.strerror or exc}") from None
    return read_events(path) if "action" in header.split(",") else read_claims(path)


def cmd_extract(args: argparse.Namespace) -> int:
    if args.engine != "inprocess":
        return _extract_partitioned(args)
    batch = read_batch(args.paths, max_bytes=args.max_bytes, today=args.today)
    reports, ledger = batch.reports, batch.ledger
    for r in batch.rejects.itertuples():
        print(f"rejected: {r.path}: {r.reason}", file=sys.stderr)
    claims, claim_rejects, events, failures = extract_guarded(reports, bool(args.events))
    for path, error in failures.items():
        reason = f"extraction failed ({error}); this is an extractor bug, please report it"
        print(f"rejected: {path}: {reason}", file=sys.stderr)
        ledger = reject_loaded(ledger, path, reason)
    print(summary(ledger), file=sys.stderr)
    _print_per_outlet(claims, reports)
    if len(claim_rejects) and not args.rejects:
        for r in claim_rejects.itertuples():
            value = r.value if pd.notna(r.value) else f"{r.value_low}-{r.value_high}"
            print(
                f"claim rejected: {r.report_id} [{r.span_start}:{r.span_end}] {r.category} "
                f"{value} {r.unit}: {r.rule}",
                file=sys.stderr,
            )
    # everything is computed before anything is written; each file is written atomically
    write_table(claims, args.out)
    print(f"{len(claims)} claims written to {args.out}", file=sys.stderr)
    if args.rejects:
        write_table(claim_rejects, args.rejects)
        print(
            f"{len(claim_rejects)} claim(s) that broke a schema rule written to {args.rejects}",
            file=sys.stderr,
        )
    if args.events:
        write_table(events, args.events)
        print(f"{len(events)} control events written to {args.events}", file=sys.stderr)
    if args.ledger:
        write_table(ledger, args.ledger)
        print(f"ledger written to {args.ledger}", file=sys.stderr)
    return 1 if (ledger["status"] == "rejected").any() else 0


def _extract_partitioned(args: argparse.Namespace) -> int:
    """`toolkit extract --engine local|dask`: a partitioned Parquet dataset in --out."""
    from toolkit.engines import extract_paths

    result = extract_paths(
        args.paths,
        args.out,
        engine=args.engine,
        scheduler=args.scheduler,
        partition_size=args.partition_size,
        max_bytes=args.max_bytes,
        today=args.today,
        n_workers=args.workers,
    )
    for path, reason in result.rejected_files:
        print(f"rejected: {path}: {reason}", file=sys.stderr)
    print(result.text(), file=sys.stderr)
    return 1 if result.rejected else 0


def _print_per_outlet(claims: pd.DataFrame, reports: pd.DataFrame) -> None:
    """Reports and claims per outlet on standard error, when a batch has several outlets."""
    outlets = reports.set_index("report_id")["outlet"].fillna("(no outlet)")
    if outlets.nunique() < 2:
        return
    table = (
        pd.DataFrame(
            {
                "reports": outlets.value_counts(),
                "claims": claims["report_id"].map(outlets).value_counts(),
            }
        )
        .fillna(0)
        .astype(int)
        .sort_values(["claims", "reports"], ascending=False)
    )
    print("claims per outlet:", file=sys.stderr)
    for outlet, row in table.iterrows():
        print(
            f"  {outlet}: {row['claims']} claims from {row['reports']} report(s)", file=sys.stderr
        )


def cmd_import_fakes(args: argparse.Namespace) -> int:
    from toolkit.corpora import read_fakes
    from toolkit.reports import write_report

    reports, ledger = read_fakes(args.csv, with_ledger=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for row in reports.to_dict("records"):
        # front matter always: a plain file would lose the outlet
        write_report({**row, "published_from": None}, out)
    counts = ledger["status"].value_counts()
    print(
        f"{len(ledger)} record(s): {counts.get('loaded', 0)} written to {out}, "
        f"{counts.get('merged', 0)} merged into an earlier record, "
        f"{counts.get('rejected', 0)} rejected"
    )
    for r in ledger[ledger["status"] != "loaded"].itertuples():
        print(f"{r.status}: record {r.record} ({r.source_id}): {r.reason}", file=sys.stderr)
    if args.ledger:
        write_table(ledger, args.ledger)
        print(f"ledger written to {args.ledger}")
    return 1 if (ledger["status"] == "rejected").any() else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from toolkit.evaluate import evaluate

    gold = Path(args.gold)
    result = evaluate(
        read_claims(args.claims),
        read_claims(gold / "claims.csv" if gold.is_dir() else gold),
        read_events(args.events) if args.events else None,
        read_events(gold / "events.csv") if args.events and gold.is_dir() else None,
    )
    print(
        f"claims: {result.claims.matched} matched of {result.claims.predicted} predicted "
        f"and {result.claims.gold} gold"
    )
    for row in result.summary().itertuples():
        print(f"  {row.measure:<22} {row.value:.3f}")
    cols = ["report_id", "category", "value", "qualifier", "value_low", "value_high", "span_start"]
    for title, frame in (("missed", result.misses), ("spurious", result.spurious)):
        print(f"{title} claims: {len(frame)}")
        for r in frame[cols].itertuples(index=False):
            print("  " + "  ".join("" if pd.isna(v) else str(v) for v in r))
    if result.events is not None:
        ecols = ["report_id", "place", "action", "stance", "span_start"]
        for title, frame in (("missed", result.event_misses), ("spurious", result.event_spurious)):
            print(f"{title} events: {len(frame)}")
            for r in frame[ecols].itertuples(index=False):
                print("  " + "  ".join(str(v) for v in r))
    return 0


def cmd_process(args: argparse.Namespace) -> int:
    from toolkit.pipeline import build_processed

    written = build_processed(args.reports, args.curated, args.out)
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from toolkit.report import build_report

    pages = build_report(args.notebooks, args.out, execute=not args.no_execute)
    for page in pages:
        print(f"wrote {Path(args.out) / page.notebook.stem}.html  ({page.n_figures} figures)")
    print(f"wrote {Path(args.out) / 'index.html'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toolkit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate report files and claims/events CSVs")
    p.add_argument("paths", nargs="+", help="report files, folders, or claims/events CSVs")
    _batch_options(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("extract", help="extract claims (and control events) to CSV")
    p.add_argument("paths", nargs="+", help="report files or folders")
    p.add_argument("--out", required=True, help="claims CSV to write")
    p.add_argument("--events", help="control events CSV to write")
    p.add_argument(
        "--rejects",
        help="CSV for extracted claims that broke a schema rule (claims columns + rule)",
    )
    p.add_argument(
        "--engine",
        choices=["inprocess", "local", "dask"],
        default="inprocess",
        help="inprocess (default): one process, CSV out; local or dask: partitions, and --out "
        "is a folder for a partitioned Parquet dataset with rejects and ledger",
    )
    p.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("--partition-size", type=int, default=200, help="report files per partition")
    p.add_argument("--workers", type=int, default=2, help="workers of the local Dask cluster")
    _batch_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("import-fakes", help="write the FA-KES CSV corpus as report files")
    p.add_argument("csv", help="FA-KES-Dataset.csv (CC BY 4.0, Zenodo record 2607278)")
    p.add_argument("--out", required=True, help="folder for one report file per article")
    p.add_argument("--ledger", help="CSV to write: what became of every record")
    p.set_defaults(func=cmd_import_fakes)

    p = sub.add_parser("evaluate", help="score extracted claims against a gold annotation")
    p.add_argument("--claims", required=True, help="predicted claims CSV")
    p.add_argument("--events", help="predicted events CSV")
    p.add_argument("--gold", default="data/curated", help="gold folder or claims CSV")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("process", help="write validated reports and curated tables")
    p.add_argument("--reports", default="data/reports")
    p.add_argument("--curated", default="data/curated")
    p.add_argument("--out", default="data/processed")
    p.set_defaults(func=cmd_process)

    p = sub.add_parser("report", help="execute notebooks and write the offline HTML report")
    p.add_argument("notebooks", nargs="+", help="notebooks to execute, in order")
    p.add_argument("--out", default="build/report", help="folder for index.html and pages")
    p.add_argument("--no-execute", action="store_true", help="use the stored outputs as they are")
    p.set_defaults(func=cmd_report)
    return parser


def _batch_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-bytes",
        type=_positive,
        default=MAX_BYTES,
        help=f"size limit per report file in bytes (default {MAX_BYTES:,})",
    )
    p.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=_date,
        help="run date for the published-in-the-future check (default: today, UTC)",
    )
    p.add_argument(
        "--ledger",
        metavar="FILE.csv",
        help="write the batch ledger: every input file, loaded or rejected with the reason",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be positive")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    warnings.showwarning = _warn_to_stderr
    try:
        return args.func(args)
    except ToolkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover
        return 1


if __name__ == "__main__":
    sys.exit(main())
