"""Build a warehouse: load the filings, run ``dbt build``, publish atomically.

The build writes a new DuckDB file next to the target and renames it over the
target only when ``dbt build`` passed, so a failed build leaves the previous
warehouse untouched and a reader never sees a half-built file (a reader that
holds the old file open keeps reading the old data).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from loaders.load import LoadSummary, load_folder, open_new_warehouse, print_progress

PROJECT_DIR = Path(__file__).resolve().parent.parent  # where dbt_project.yml lives

__all__ = ["BuildError", "BuildResult", "build_warehouse", "run_dbt", "PROJECT_DIR"]


class BuildError(RuntimeError):
    """A build that cannot go on; the message says what and how to fix it."""


@dataclass
class BuildResult:
    warehouse: Path
    load: LoadSummary
    up_to_date: bool = False  # nothing changed since the last build: the file was left as it was
    dbt_seconds: float = 0.0
    lineage_seconds: float = 0.0
    nodes: dict[str, int] = field(default_factory=dict)  # status → count, over models/seeds/tests
    tests: dict[str, int] = field(default_factory=dict)  # test status → count
    failures: list[str] = field(default_factory=list)


def _check_paths(filings: Path, warehouse: Path) -> None:
    if not filings.exists():
        raise BuildError(f"filings folder {filings} does not exist: pass FILINGS=<folder of filings>")
    if not filings.is_dir():
        raise BuildError(f"{filings} is not a folder: pass FILINGS=<folder of filings>")
    if not any(p.is_file() for p in filings.rglob("*")):
        raise BuildError(f"filings folder {filings} has no files: put filings in it or pass another FILINGS")
    parent = warehouse.parent
    if not parent.exists():
        raise BuildError(f"cannot write {warehouse}: folder {parent} does not exist; create it or pass another WAREHOUSE")
    if not os.access(parent, os.W_OK):
        raise BuildError(f"cannot write {warehouse}: folder {parent} is not writable; pass another WAREHOUSE")
    if warehouse.exists() and warehouse.is_dir():
        raise BuildError(f"cannot write {warehouse}: it is a folder; pass a file path as WAREHOUSE")


def run_dbt(
    args: list[str],
    warehouse: Path,
    vars: Optional[dict] = None,
    quiet: bool = False,
    target_path: Optional[Path] = None,
) -> "DbtRun":
    """Run a dbt command on ``warehouse`` in a child process, from the project root.

    A child process, so that dbt's DuckDB connection is closed when it returns
    (only one process may write the file, and the summary opens it afterwards).
    """
    import json
    import subprocess

    env = dict(os.environ, MEDWH_DUCKDB_PATH=str(warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    target = Path(target_path) if target_path else PROJECT_DIR / "target"
    argv = [sys.executable, "-c", "import sys; from dbt.cli.main import cli; sys.exit(cli())"]
    if quiet:
        argv.append("--quiet")
    argv += list(args) + [
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target),
        "--log-path", str(target / "logs"),
    ]
    if vars:
        argv += ["--vars", json.dumps(vars)]
    # dbt-duckdb resolves relative paths against the current directory: run from the root
    proc = subprocess.run(argv, cwd=PROJECT_DIR, env=env)
    results = []
    run_results = target / "run_results.json"
    if run_results.exists():
        try:
            results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
        except (OSError, ValueError):
            results = []
    return DbtRun(success=proc.returncode == 0, returncode=proc.returncode, results=results)


@dataclass
class DbtRun:
    success: bool
    returncode: int
    results: list[dict]


PROJECT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "analyses")


def build_fingerprint(filings: Path, strict: bool) -> str:
    """What a build depends on: every file's path and content, the loader code, the dbt project."""
    import hashlib

    from loaders.load import discover_files, parser_version

    h = hashlib.sha256()
    h.update(f"strict={bool(strict)};loader={parser_version()}\n".encode())
    for name in PROJECT_INPUTS:
        root = PROJECT_DIR / name
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in paths:
            h.update(p.relative_to(PROJECT_DIR).as_posix().encode() + b"\0" + p.read_bytes())
    for p in discover_files(filings):
        h.update(p.relative_to(filings).as_posix().encode() + b"\0")
        try:
            with open(p, "rb") as f:
                h.update(hashlib.file_digest(f, "sha256").digest() if hasattr(hashlib, "file_digest") else hashlib.sha256(f.read()).digest())
        except OSError:
            h.update(b"<unreadable>")
    return h.hexdigest()


def _previous_fingerprint(warehouse: Path) -> Optional[str]:
    import duckdb

    if not warehouse.exists():
        return None
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("select fingerprint from audit.build_info").fetchone()
        return row[0] if row else None
    except duckdb.Error:
        return None
    finally:
        con.close()


def _up_to_date_result(warehouse: Path) -> BuildResult:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = dict(con.execute("select status, count(*) from marts.dim_filing group by 1").fetchall())
        nbytes = con.execute("select coalesce(sum(bytes), 0) from marts.dim_filing").fetchone()[0]
        skipped = con.execute(
            """select f.source_file, f.status, coalesce(any_value(i.message), '')
               from marts.dim_filing f left join audit.parse_issues i
                 on i.filing_id = f.filing_id and i.code in ('duplicate', 'empty', 'not_text', 'unreadable', 'not_a_filing')
               where f.status <> 'loaded' group by 1, 2 order by 1"""
        ).fetchall()
    finally:
        con.close()
    load = LoadSummary(
        files=sum(counts.values()),
        loaded=counts.get("loaded", 0),
        duplicates=counts.get("duplicate", 0),
        failed=counts.get("failed", 0),
        reused=counts.get("loaded", 0),
        bytes=int(nbytes),
        skipped=[tuple(r) for r in skipped],
    )
    return BuildResult(warehouse=warehouse, load=load, up_to_date=True)


def _write_build_info(path: Path, fingerprint: str, result: "BuildResult") -> None:
    import duckdb

    con = duckdb.connect(str(path))
    try:
        con.execute(
            """create or replace table audit.build_info as
               select ? as fingerprint, current_timestamp as built_at, ? as files, ? as loaded,
                      ? as loader_seconds, ? as dbt_seconds""",
            [fingerprint, result.load.files, result.load.loaded, round(result.load.seconds, 3), round(result.dbt_seconds, 3)],
        )
        con.execute(
            "comment on table audit.build_info is 'The last build: a fingerprint of its inputs "
            "(filings, loader code, dbt project), when it ran and how long it took. One row.'"
        )
    finally:
        con.close()


def build_warehouse(
    filings: Path,
    warehouse: Path,
    strict: bool = False,
    workers: Optional[int] = None,
    quiet: bool = False,
    target_path: Optional[Path] = None,
    full_refresh: bool = False,
) -> BuildResult:
    filings = Path(filings).resolve()
    warehouse = Path(warehouse).resolve()
    _check_paths(filings, warehouse)
    fingerprint = build_fingerprint(filings, strict)
    if not full_refresh and _previous_fingerprint(warehouse) == fingerprint:
        if not quiet:
            print(f"{warehouse} is up to date: same filings, loader and dbt project as its last build", file=sys.stderr)
        return _up_to_date_result(warehouse)
    fd, tmp_name = tempfile.mkstemp(prefix=warehouse.name + ".", suffix=".building", dir=warehouse.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
        say(f"loading filings from {filings}")
        con = open_new_warehouse(tmp)
        try:
            summary = load_folder(
                filings,
                con,
                workers=workers,
                progress=None if quiet else print_progress,
                previous=None if full_refresh else warehouse,
            )
        finally:
            con.close()  # one writer at a time: dbt opens the file next
        say(
            f"loaded {summary.loaded} filings ({summary.reused} unchanged, reused; "
            f"{summary.unrecognised} unrecognised; {summary.duplicates} duplicates; {summary.failed} failed) "
            f"in {summary.seconds:.1f}s; running dbt build"
        )
        if summary.loaded == 0:
            verdicts = "; ".join(f"{f}: {status} ({reason})" for f, status, reason in summary.skipped[:50])
            more = f"; … and {len(summary.skipped) - 50} more" if len(summary.skipped) > 50 else ""
            raise BuildError(
                f"no file of {filings} yielded a fact, so nothing was published "
                f"(the previous warehouse at {warehouse} is left as it was). Each file: {verdicts}{more}. "
                f"Run `medwh inspect <file>` to see the tables a reader found in one file"
            )
        result = BuildResult(warehouse=warehouse, load=summary)
        started = time.perf_counter()
        if target_path is None:
            run_results = PROJECT_DIR / "target" / "run_results.json"
        else:
            run_results = Path(target_path) / "run_results.json"
        if run_results.exists():
            run_results.unlink()  # never read a previous run's results
        dbt_result = run_dbt(
            ["build"], tmp, vars={"strict": bool(strict)}, quiet=quiet, target_path=target_path
        )
        result.dbt_seconds = time.perf_counter() - started
        _collect(dbt_result, result)
        if not dbt_result.success:
            detail = "; ".join(result.failures[:5]) or f"dbt exited with {dbt_result.returncode}; see its output above"
            raise BuildError(
                f"dbt build failed ({detail}); the previous warehouse at {warehouse} is left as it was"
            )
        # column-level lineage (sqlglot over dbt's compiled SQL) ships inside the file
        from medwh.lineage import publish_lineage

        lineage_started = time.perf_counter()
        publish_lineage(tmp, Path(target_path) if target_path else PROJECT_DIR / "target")
        result.lineage_seconds = time.perf_counter() - lineage_started
        _write_build_info(tmp, fingerprint, result)
        os.replace(tmp, warehouse)
        return result
    finally:
        for p in (tmp, Path(str(tmp) + ".wal")):
            if p.exists():
                p.unlink()


def _collect(dbt_result: "DbtRun", result: BuildResult) -> None:
    for r in dbt_result.results:
        status = str(r.get("status"))
        unique_id = r.get("unique_id", "")
        resource_type = unique_id.split(".", 1)[0]
        name = unique_id.split(".")[-1] if resource_type != "test" else unique_id.split(".")[2]
        result.nodes[status] = result.nodes.get(status, 0) + 1
        if resource_type == "test":
            result.tests[status] = result.tests.get(status, 0) + 1
        if status in ("error", "fail", "runtime error"):
            message = (r.get("message") or "").splitlines()[0:1]
            result.failures.append(f"{resource_type} {name}: {status}" + (f" ({message[0]})" if message else ""))
