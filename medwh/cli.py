"""``medwh``: build the warehouse from a folder of filings and look at it.

    medwh build  [--filings data/filings] [--warehouse warehouse.duckdb] [--strict]
    medwh load   [--filings …] [--warehouse …]      # raw schema only, no dbt
    medwh query  "select …" [--warehouse …]
    medwh docs   [--warehouse …] [--out target/docs]   # dbt docs as one static HTML file
    medwh report [--warehouse …] [--out reports/report.html]
    medwh inspect FILE [--rows 6]                   # the tables the readers see in one file

Errors are one line saying what went wrong and how to fix it, with exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_FILINGS = "data/filings"
DEFAULT_WAREHOUSE = "warehouse.duckdb"


def _fail(message: str) -> int:
    """One line: what went wrong and how to fix it."""
    line = " ".join(message.split())
    print(f"medwh: error: {line}", file=sys.stderr)
    return 2


def _open_read_only(path: Path):
    import duckdb

    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `make warehouse` (or `medwh build`) first")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if "version number" in first or isinstance(exc, duckdb.SerializationException):
            raise RuntimeError(
                f"{path} was written by a newer DuckDB than this one ({duckdb.__version__}) and cannot be read: "
                "rebuild it with `make warehouse`, or open it with the DuckDB that wrote it"
            ) from None
        raise RuntimeError(f"cannot open {path}: {first}") from None


def cmd_build(args) -> int:
    from medwh.build import BuildError, build_warehouse

    try:
        result = build_warehouse(
            Path(args.filings),
            Path(args.warehouse),
            strict=args.strict,
            workers=args.workers,
            quiet=args.quiet,
            full_refresh=args.full_refresh,
            wait=args.wait,
        )
    except BuildError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt as exc:
        why = str(exc) or "interrupted"
        return _fail(f"build {why}; its temporary files were removed and the previous warehouse at {args.warehouse} is left as it was")
    try:
        print_summary(result)
    except Exception as exc:  # noqa: BLE001 - the build is published: a summary failure is no traceback
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(
            f"medwh: warning: {result.warehouse} was built and published, but its summary could not be read ({first})",
            file=sys.stderr,
        )
    return 0


def print_summary(result) -> None:
    from medwh.summary import summary_lines

    con = _open_read_only(result.warehouse)
    try:
        for line in summary_lines(con, result):
            print(line)
    finally:
        con.close()


def cmd_load(args) -> int:
    from loaders.load import load_folder, open_new_warehouse, print_progress

    filings = Path(args.filings)
    if not filings.is_dir():
        return _fail(f"filings folder {filings} does not exist: pass --filings <folder>")
    con = open_new_warehouse(Path(args.warehouse))
    try:
        summary = load_folder(filings, con, workers=args.workers, progress=print_progress)
    finally:
        con.close()
    print(f"loaded {summary.loaded} of {summary.files} files into {args.warehouse} (raw schema)")
    for table, n in summary.rows.items():
        print(f"  raw.{table}: {n} rows")
    for f, status, reason in summary.skipped:
        print(f"  {status}: {f}: {reason}")
    return 0


def cmd_query(args) -> int:
    import duckdb

    from medwh.safequery import NotAllowed, connect_locked, run_query

    path = Path(args.warehouse)
    try:
        _open_read_only(path).close()  # a missing file, a newer format: one clear line
        con = connect_locked(path)
    except (FileNotFoundError, RuntimeError) as exc:
        return _fail(str(exc))
    except duckdb.Error as exc:
        return _fail(f"cannot open {path}: {str(exc).splitlines()[0]}")
    try:
        rel = run_query(con, args.sql)
        if rel is None:
            return 0
        rel.show(max_rows=args.max_rows, max_width=10_000)
    except NotAllowed as exc:
        return _fail(f"query refused: {exc}")
    except duckdb.Error as exc:
        # DuckDB's whole message: its hints (Did you mean "marts.dim_department"?) and the
        # caret under the error position are on the following lines
        print(f"medwh: error: query failed: {str(exc).rstrip()}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 0


def cmd_docs(args) -> int:
    from medwh.docs import build_docs

    try:
        out = build_docs(Path(args.warehouse), Path(args.out))
    except (FileNotFoundError, RuntimeError) as exc:
        return _fail(str(exc))
    print(f"dbt docs written to {out} (open it in a browser; one self-contained file)")
    return 0


def cmd_report(args) -> int:
    from medwh.report import write_report

    try:
        out = write_report(Path(args.warehouse), Path(args.out))
    except (FileNotFoundError, RuntimeError) as exc:
        return _fail(str(exc))
    print(f"report written to {out}")
    return 0


def cmd_inspect(args) -> int:
    from medwh.inspect import inspect_file

    path = Path(args.file)
    if not path.is_file():
        return _fail(f"{path} is not a file: pass the path of one filing (PDF, Word, Excel, CSV, HTML or text)")
    try:
        for line in inspect_file(path, max_rows=args.rows, show_text=not args.tables_only):
            print(line)
    except BrokenPipeError:  # `medwh inspect … | head`: the reader stopped listening
        sys.stderr.close()
        return 0
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror or exc}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="medwh", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, filings=True):
        if filings:
            p.add_argument("--filings", default=DEFAULT_FILINGS, help="folder of filings, read recursively")
        p.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file to write or read")

    p = sub.add_parser("build", help="load filings, run dbt build, publish the warehouse atomically")
    common(p)
    p.add_argument("--strict", action="store_true", help="fail the build on unexplained reconciliation failures")
    p.add_argument("--workers", type=int, default=None, help="parser processes (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument(
        "--full-refresh", action="store_true", help="parse every file again (default: reuse unchanged files' parse)"
    )
    p.add_argument(
        "--wait", action=argparse.BooleanOptionalAction, default=True,
        help="when another build of the same warehouse runs: wait for it (default) or, with --no-wait, fail at once",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("load", help="parse filings into the raw schema of a new DuckDB file (no dbt)")
    common(p)
    p.add_argument("--workers", type=int, default=None)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("query", help='run SQL on the warehouse and print the result, e.g. medwh query "select 1"')
    p.add_argument("sql")
    common(p, filings=False)
    p.add_argument("--max-rows", type=int, default=40)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("docs", help="build the dbt docs site as one static HTML file")
    common(p, filings=False)
    p.add_argument("--out", default="target/docs", help="folder for static_index.html")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("report", help="write a self-contained HTML report of the comparisons")
    common(p, filings=False)
    p.add_argument("--out", default="reports/report.html")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("inspect", help="print the text blocks and tables the readers see in one file, and its verdict")
    p.add_argument("file", help="one filing: PDF, .docx/.doc, .xlsx/.xls, .csv, .html or a text export")
    p.add_argument("--rows", type=int, default=6, help="first rows shown per table (default: 6)")
    p.add_argument("--tables-only", action="store_true", help="leave out the text blocks")
    p.set_defaults(func=cmd_inspect)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
