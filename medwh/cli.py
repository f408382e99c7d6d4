"""``medwh``: build the warehouse from a folder of filings and look at it.

    medwh build  [--filings data/filings] [--warehouse warehouse.duckdb] [--strict]
                 [--engine dask --address tcp://host:8786 [--store DIR|URL]]   # read on a Dask cluster
    medwh load   [--filings …] [--warehouse build/loaded.duckdb] [--replace]   # raw schema only, no dbt
    medwh query  "select …" [--warehouse …] [--max-rows 40]
    medwh export marts.dim_department out.csv     # or: medwh export --sql "select …" out.parquet|out.xlsx
    medwh docs   [--warehouse …] [--out target/docs]   # dbt docs as one static HTML file
    medwh report [--warehouse …] [--out reports/report.html]
    medwh inspect FILE [--rows 6]                   # the tables the readers see in one file

Errors are one line saying what went wrong and how to fix it, with exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_FILINGS = "data/filings"
DEFAULT_WAREHOUSE = "warehouse.duckdb"
# `medwh load` writes a raw-only file for debugging: never the built warehouse. (Not raw.duckdb:
# DuckDB names the catalog after the file, and a catalog `raw` collides with the `raw` schema.)
DEFAULT_LOAD_TARGET = "build/loaded.duckdb"


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

    if args.engine != "dask":
        given = [o for o, v in (("--address", args.address), ("--scheduler-file", args.scheduler_file), ("--store", args.store)) if v]
        if given:
            return _fail(f"{', '.join(given)} only apply to a build on a cluster: add --engine dask")
    elif args.workers is not None:
        return _fail("--workers is the local build's process count; with --engine dask the cluster's workers read the filings")
    try:
        result = build_warehouse(
            Path(args.filings),
            Path(args.warehouse),
            strict=args.strict,
            workers=args.workers,
            quiet=args.quiet,
            full_refresh=args.full_refresh,
            wait=args.wait,
            engine=args.engine,
            address=args.address,
            scheduler_file=args.scheduler_file,
            store=args.store,
        )
    except BuildError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt as exc:
        why = str(exc) or "interrupted"
        code = _fail(f"build {why}; its temporary files were removed and the previous warehouse at {args.warehouse} is left as it was")
        # the build has cleaned up; exit now: a parser worker stopped while it was sending its
        # result leaves the process pool's manager thread waiting on a half-written message,
        # and the interpreter's exit would wait for that thread forever
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
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
    target = Path(args.warehouse)
    if target.exists() and not args.replace:
        return _fail(f"{target} exists; medwh load never replaces a file unless asked: pass --replace, or another --warehouse")
    if target.is_dir():
        return _fail(f"{target} is a folder: pass --warehouse <file.duckdb>")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"cannot create folder {target.parent}: {exc.strerror or exc}")
    con = open_new_warehouse(target)
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
        if _is_empty_sql(args.sql):
            return _fail(f'empty query: nothing to run; pass one statement, e.g. medwh query "{EXAMPLE_SQL}"')
        rel = run_query(con, args.sql)
        if rel is None:
            return 0
        if args.max_rows <= 0:  # every row
            shown = len(rel.limit(2**62).fetchall()) or 1
        else:
            shown = args.max_rows
            truncated = len(rel.limit(shown + 1).fetchall()) > shown
        rel.show(max_rows=shown, max_width=10_000)
        sys.stdout.flush()
        if args.max_rows > 0 and truncated:
            print(
                f"medwh: only the first and last rows of a result longer than --max-rows {shown} are shown: "
                f"pass --max-rows N (0 for every row), or write it to a file with medwh export --sql \"…\" out.csv",
                file=sys.stderr,
            )
    except BrokenPipeError:  # `medwh query … | head`: the reader stopped listening
        sys.stderr.close()
        return 0
    except NotAllowed as exc:
        if str(exc).startswith("no statement given"):
            return _fail(f'empty query: nothing to run; pass one statement, e.g. medwh query "{EXAMPLE_SQL}"')
        return _fail(f"query refused: {exc}")
    except duckdb.Error as exc:
        # DuckDB's whole message: its hints (Did you mean "marts.dim_department"?) and the
        # caret under the error position are on the following lines
        print(f"medwh: error: query failed: {str(exc).rstrip()}", file=sys.stderr)
        return 2
    finally:
        con.close()
    return 0


EXAMPLE_SQL = "select * from marts.mart_department_year"


def _is_empty_sql(sql: str) -> bool:
    """Nothing but whitespace, semicolons and comments."""
    import re

    text = re.sub(r"--[^\n]*", " ", sql)
    text = re.sub(r"/\*.*?(\*/|$)", " ", text, flags=re.S)
    return not text.strip(" \t\r\n;")


def cmd_export(args) -> int:
    import duckdb

    from medwh.export import ExportError, export_result
    from medwh.safequery import NotAllowed

    items = [x for x in (args.table, args.out) if x is not None]
    if args.sql is not None:
        if len(items) != 1:
            return _fail('with --sql give only the output file: medwh export --sql "select …" out.csv')
        table, out = None, items[0]
        if _is_empty_sql(args.sql):
            return _fail('empty query: nothing to export; pass one statement, e.g. --sql "select * from marts.dim_department"')
    else:
        if len(items) != 2:
            return _fail("give a table and an output file (medwh export marts.dim_department out.csv), or --sql \"select …\" out.csv")
        table, out = items
    try:
        path, n, kind = export_result(
            Path(args.warehouse), Path(out), table=table, sql=args.sql, fmt=args.format,
            chinese_headings=args.chinese_headings,
        )
    except ExportError as exc:
        return _fail(str(exc))
    except NotAllowed as exc:
        return _fail(f"query refused: {exc}")
    except (FileNotFoundError, RuntimeError) as exc:
        return _fail(str(exc))
    except duckdb.Error as exc:
        print(f"medwh: error: query failed: {str(exc).rstrip()}", file=sys.stderr)
        return 2
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"{n} rows written to {path} ({kind})")
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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from medwh import __version__

    try:
        duck = version("duckdb")
    except PackageNotFoundError:  # pragma: no cover
        duck = "?"
    return f"medwh {__version__} (DuckDB {duck})"


class _Help(argparse.HelpFormatter):
    """Every option's help ends with its default: written out where it says more than the
    value (``default: all cores``), else ``(default: <value>)``; a flag is ``off`` by default."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" in text or not action.option_strings or action.default is argparse.SUPPRESS:
            return text
        if isinstance(action, argparse._StoreTrueAction):
            return f"{text} (default: off)"
        return f"{text} (default: %(default)s)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medwh", description=__doc__.split("\n\n")[0], formatter_class=_Help)
    parser.add_argument("--version", action="version", version=_version(), help="print the version and exit")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, **kw):
        return sub.add_parser(name, formatter_class=_Help, **kw)

    def common(p, filings=True, warehouse_help="DuckDB file to read", warehouse_default=DEFAULT_WAREHOUSE):
        if filings:
            p.add_argument("--filings", default=DEFAULT_FILINGS, help="folder of filings, read recursively")
        p.add_argument("--warehouse", default=warehouse_default, help=warehouse_help)

    p = add("build", help="load filings, run dbt build, publish the warehouse atomically")
    common(p, warehouse_help="DuckDB file to build (replaced atomically when the build passes)")
    p.add_argument("--strict", action="store_true", help="fail the build on unexplained reconciliation failures")
    p.add_argument("--workers", type=int, default=None, help="parser processes (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    p.add_argument(
        "--full-refresh", action="store_true", help="parse every file again (default: off, reuse unchanged files' parse)"
    )
    p.add_argument(
        "--wait", action=argparse.BooleanOptionalAction, default=True,
        help="when another build of the same warehouse runs: wait for it (default) or, with --no-wait, fail at once",
    )
    p.add_argument(
        "--engine", choices=("local", "dask"), default="local",
        help="where the filings are read: local (parser processes on this machine) or dask (a Dask cluster; "
        "needs pip install -e '.[dask]'; README 'Build on a cluster')",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--address", default=None,
        help="with --engine dask: the scheduler, tcp://host:8786 (default: $DASK_SCHEDULER_ADDRESS)",
    )
    where.add_argument(
        "--scheduler-file", default=None,
        help="with --engine dask: the file `dask scheduler --scheduler-file FILE` wrote (default: none)",
    )
    p.add_argument(
        "--store", default=None,
        help="with --engine dask: where workers write each document's rows as Parquet, a folder or an fsspec URL "
        "every worker and this machine reach (default: <warehouse>.parts/ beside the warehouse)",
    )
    p.set_defaults(func=cmd_build)

    p = add("load", help="parse filings into the raw schema of a new DuckDB file (no dbt; for debugging)")
    common(
        p, warehouse_default=DEFAULT_LOAD_TARGET,
        warehouse_help="new DuckDB file to write the raw schema to; never the built warehouse unless you name it",
    )
    p.add_argument("--replace", action="store_true", help="replace the --warehouse file if it exists")
    p.add_argument("--workers", type=int, default=None, help="parser processes (default: all cores)")
    p.set_defaults(func=cmd_load)

    p = add("query", help='run SQL on the warehouse and print the result, e.g. medwh query "select 1"')
    p.add_argument("sql", help="one read-only statement (select, with, values, describe, show, summarize, explain)")
    common(p, filings=False)
    p.add_argument("--max-rows", type=int, default=40, help="rows shown; a longer result shows its first and last rows (0: every row)")
    p.set_defaults(func=cmd_query)

    p = add(
        "export",
        help="write a table or a query's result to CSV (UTF-8 with BOM), Parquet or XLSX",
        description="medwh export marts.dim_department out.csv  |  medwh export --sql \"select …\" out.parquet",
    )
    p.add_argument("table", nargs="?", metavar="TABLE", help="the table or mart to export (schema.table, e.g. marts.dim_department); left out with --sql")
    p.add_argument("out", nargs="?", metavar="OUT", help="the file to write: .csv, .parquet or .xlsx")
    p.add_argument("--sql", default=None, help="export this read-only query's result instead of a table (default: none)")
    p.add_argument(
        "--format", choices=("csv", "parquet", "xlsx"), default=None,
        help="output format (default: from OUT's suffix: .csv, .parquet, .xlsx)",
    )
    p.add_argument(
        "--chinese-headings", action="store_true",
        help="headings from the column descriptions' Chinese terms (支出合计（元）), else the column name",
    )
    common(p, filings=False)
    p.set_defaults(func=cmd_export)

    p = add("docs", help="build the dbt docs site as one static HTML file")
    common(p, filings=False)
    p.add_argument("--out", default="target/docs", help="folder for static_index.html")
    p.set_defaults(func=cmd_docs)

    p = add("report", help="write a self-contained HTML report of the comparisons")
    common(p, filings=False)
    p.add_argument("--out", default="reports/report.html", help="HTML file to write")
    p.set_defaults(func=cmd_report)

    p = add("inspect", help="print the text blocks and tables the readers see in one file, and its verdict")
    p.add_argument("file", help="one filing: PDF, .docx/.doc, .xlsx/.xls, .csv, .html or a text export")
    p.add_argument("--rows", type=int, default=6, help="first rows shown per table")
    p.add_argument("--tables-only", action="store_true", help="leave out the text blocks")
    p.set_defaults(func=cmd_inspect)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
