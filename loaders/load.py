"""The I/O layer: a folder of filings → the DuckDB ``raw`` schema.

The only loader module that touches files or the database. Reading (any format,
``loaders.readers``), recognising, parsing and staging (each file's rows as Arrow
tables with the raw schema, ``stage``) run in a process pool (``workers``) that reads
a bounded window of files ahead; the parent decides duplicates in discovery order and
appends the staged rows to DuckDB in large Arrow batches, so its work per file is
small and its memory stays flat however many files there are.

Every raw row carries ``filing_id``, ``source_file`` (path relative to the
filings folder, ``/``-separated) and its place in the file. Besides the parsed
records, every table every reader found is staged: ``raw.document_tables`` (one
row per table, with what it was recognised as) and ``raw.table_cells`` (one row
per cell, with its page or sheet, row, column, spans, bounding box and locator).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import time
import typing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import pyarrow as pa

from loaders import records
from loaders.document import Document, cell_locator
from loaders.parse import parse_document, table_inventory
from loaders.readers import read_document, sniff_format

try:  # the 指标值 parser (issue: performance targets)
    from loaders.target_values import parse_target_value
except ModuleNotFoundError:  # pragma: no cover - during bootstrap only
    parse_target_value = None  # type: ignore[assignment]

__all__ = ["FileResult", "LoadSummary", "discover", "discover_files", "is_warehouse_artifact", "read_filing", "load_folder", "RAW_TABLES", "create_raw_schema"]

STORAGE_VERSION = "v1.4.0"  # readable by DuckDB 1.4+ (BI tools, the DuckDB CLI)


# --------------------------------------------------------------------------- raw table layout
def _arrow_type(tp) -> pa.DataType:
    origin = typing.get_origin(tp)
    if origin is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _arrow_type(args[0])
    return {int: pa.int64(), str: pa.string(), bool: pa.bool_(), float: pa.float64()}[tp]


_PROVENANCE = [("filing_id", pa.string()), ("source_file", pa.string())]


def _schema_for(cls, extra: Iterable[tuple[str, pa.DataType]] = ()) -> pa.Schema:
    hints = typing.get_type_hints(cls)
    fields = list(_PROVENANCE)
    for f in dataclasses.fields(cls):
        fields.append((f.name, _arrow_type(hints[f.name])))
    fields.extend(extra)
    return pa.schema(fields)


_TARGET_PARSED = [
    ("comparator", pa.string()),
    ("target_value", pa.string()),  # exact decimal text; typed in staging
    ("target_unit", pa.string()),
    ("target_value_base", pa.string()),
    ("base_unit", pa.string()),
    ("target_date", pa.date32()),
    ("is_quantitative", pa.bool_()),
    ("value_parse_issue", pa.string()),
]

RAW_TABLES: dict[str, pa.Schema] = {
    "filings": pa.schema(
        [
            ("filing_id", pa.string()),
            ("source_file", pa.string()),
            ("sha256", pa.string()),
            ("content_sha256", pa.string()),
            ("bytes", pa.int64()),
            ("encoding", pa.string()),
            ("status", pa.string()),
            ("duplicate_of", pa.string()),
            ("doc_kinds", pa.string()),
            ("layouts", pa.string()),
            ("department_name", pa.string()),
            ("unit_code", pa.string()),
            ("fiscal_year", pa.int64()),
            ("published_unit", pa.string()),
            ("place_mentions", pa.string()),
            ("line_count", pa.int64()),
            ("parser_version", pa.string()),
            ("document_format", pa.string()),  # text, pdf, docx, xlsx, xls, csv, html
            ("pages", pa.int64()),  # PDF pages / workbook sheets; null for text
            ("table_count", pa.int64()),
            ("report_type", pa.string()),  # budget | final_accounts
            ("entity_level_published", pa.string()),  # unit (单位预算) | department (部门预算) | null: as the document says
        ]
    ),
    "document_tables": pa.schema(
        [
            ("filing_id", pa.string()),
            ("source_file", pa.string()),
            ("table_index", pa.int64()),
            ("first_page", pa.int64()),
            ("last_page", pa.int64()),
            ("sheet", pa.string()),
            ("source_line", pa.int64()),  # text exports: the table's first line
            ("table_title", pa.string()),
            ("caption", pa.string()),  # the text blocks printed just above, joined by " | "
            ("n_rows", pa.int64()),
            ("n_cols", pa.int64()),
            ("n_cells", pa.int64()),
            ("recognised_as", pa.string()),
            ("facts_loaded", pa.int64()),
        ]
    ),
    "table_cells": pa.schema(
        [
            ("filing_id", pa.string()),
            ("source_file", pa.string()),
            ("table_index", pa.int64()),
            ("row_index", pa.int64()),  # 0-based grid row of the table
            ("col_index", pa.int64()),
            ("rowspan", pa.int64()),
            ("colspan", pa.int64()),
            ("cell_text", pa.string()),  # as displayed
            ("source_page", pa.int64()),
            ("source_row", pa.int64()),
            ("source_col", pa.int64()),
            ("source_line", pa.int64()),
            ("x0", pa.float64()),
            ("top", pa.float64()),
            ("x1", pa.float64()),
            ("bottom", pa.float64()),
            ("source_cell", pa.string()),
        ]
    ),
    "entities": _schema_for(records.Entity),
    "budget_lines": _schema_for(records.BudgetLine),
    "projects": _schema_for(records.Project),
    "spending_plans": _schema_for(records.SpendingPlan),
    "targets": _schema_for(records.Target, _TARGET_PARSED),
    "narrative_amounts": _schema_for(records.NarrativeAmount),
    "statement_tables": _schema_for(records.StatementTable),
    "filing_texts": _schema_for(records.FilingText),
    "parse_issues": _schema_for(records.ParseIssue),
}

_RECORD_LISTS = {
    "entities": "entities",
    "budget_lines": "budget_lines",
    "projects": "projects",
    "spending_plans": "spending_plans",
    "targets": "targets",
    "narrative_amounts": "narrative_amounts",
    "statement_tables": "statement_tables",
    "filing_texts": "filing_texts",
}

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
}


def create_raw_schema(con) -> None:
    con.execute("create schema if not exists raw")
    for table, schema in RAW_TABLES.items():
        cols = ", ".join(f'"{f.name}" {_DUCK_TYPES[f.type]}' for f in schema)
        con.execute(f"create or replace table raw.{table} ({cols})")


def parser_version() -> str:
    """Hash of the loader source: a cached parse is reused only by the same code."""
    global _PARSER_VERSION
    if _PARSER_VERSION is None:
        root = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
        _PARSER_VERSION = h.hexdigest()[:16]
    return _PARSER_VERSION


_PARSER_VERSION: Optional[str] = None
_CACHED: frozenset = frozenset()  # content hashes whose parse the previous warehouse holds


def _init_worker(cached: frozenset) -> None:
    global _CACHED
    _CACHED = cached


# --------------------------------------------------------------------------- reading one file
@dataclass
class FileResult:
    source_file: str
    bytes: int
    sha256: str
    content_sha256: Optional[str] = None
    encoding: Optional[str] = None
    line_count: int = 0
    error: Optional[tuple[str, str]] = None  # (code, message) when the file cannot be read at all
    parsed: Optional[records.ParsedFiling] = None
    target_values: list[dict] = field(default_factory=list)
    cached: bool = False  # same content as a filing the previous warehouse parsed with this code
    damaged: int = 0
    document_format: Optional[str] = None
    pages: Optional[int] = None
    tables: list[dict] = field(default_factory=list)  # raw.document_tables rows (no filing id yet)
    cells: Optional[dict] = None  # raw.table_cells columns (no filing id yet)
    read_issues: list[records.ParseIssue] = field(default_factory=list)

    def staged(self) -> "StagedFile":
        """This file's raw rows and verdict (``stage``)."""
        return stage(self)


def read_filing(path: Path, root: Path, cached: Optional[frozenset] = None) -> FileResult:
    """Read (any format), recognise and parse one file. Never raises for a bad file.

    ``cached``: content hashes whose parse the previous warehouse holds (such a file is
    not parsed again); by default the set the pool's initializer gave this process.
    """
    if cached is None:
        cached = _CACHED
    rel = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(rel, 0, "", error=("unreadable", f"cannot read the file: {exc.strerror or exc}"))
    result = FileResult(rel, len(data), hashlib.sha256(data).hexdigest())
    if sniff_format(data) != "text" and result.sha256 in cached:
        # a binary original's identity is its bytes: unchanged → not read again
        result.content_sha256 = result.sha256
        result.cached = True
        return result
    doc = read_document(data, rel)
    result.document_format = doc.kind
    result.pages = doc.pages
    result.encoding = doc.encoding
    result.damaged = doc.damaged
    result.line_count = len(doc.lines) if doc.lines is not None else 0
    result.read_issues = [records.ParseIssue(i.severity, i.code, i.message, None, i.page) for i in doc.issues]
    if doc.failed:
        first = next(i for i in doc.issues if i.severity == "error")
        result.error = (first.code, first.message)
        return result
    # text exports: the same filing in any encoding is one filing; other formats: the same bytes
    result.content_sha256 = doc.content_sha256 or result.sha256
    if result.content_sha256 in cached:
        result.cached = True
        return result
    parsed = parse_document(doc)
    parsed.issues[:0] = result.read_issues
    result.parsed = parsed
    result.tables, result.cells = _staged_tables(doc, parsed)
    if parse_target_value is not None:
        for t in parsed.targets:
            result.target_values.append(_parsed_value(t))
    return result


def _staged_tables(doc: Document, parsed: records.ParsedFiling) -> tuple[list[dict], dict]:
    """raw.document_tables rows and raw.table_cells columns of one document."""
    verdicts = {v.table_index: v for v in table_inventory(doc, parsed)}
    tables = []
    cols: dict[str, list] = {f.name: [] for f in RAW_TABLES["table_cells"] if f.name not in ("filing_id", "source_file")}
    for t in doc.tables:
        pages = t.pages
        lines = [c.line for c in t.cells if c.line is not None]
        v = verdicts.get(t.index)
        tables.append(
            {
                "table_index": t.index,
                "first_page": pages[0] if pages else None,
                "last_page": pages[-1] if pages else None,
                "sheet": t.sheet,
                "source_line": min(lines) if lines else None,
                "table_title": t.title,
                "caption": " | ".join(" ".join(b.text.split()) for b in t.caption_blocks) or None,
                "n_rows": t.n_rows,
                "n_cols": t.n_cols,
                "n_cells": len(t.cells),
                "recognised_as": v.recognised_as if v else None,
                "facts_loaded": v.facts_loaded if v else 0,
            }
        )
        for c in t.cells:
            cols["table_index"].append(t.index)
            cols["row_index"].append(c.row)
            cols["col_index"].append(c.col)
            cols["rowspan"].append(c.rowspan)
            cols["colspan"].append(c.colspan)
            cols["cell_text"].append(c.text)
            cols["source_page"].append(c.page)
            cols["source_row"].append(c.source_row)
            cols["source_col"].append(c.source_col)
            cols["source_line"].append(c.line)
            box = c.bbox or (None, None, None, None)
            cols["x0"].append(box[0])
            cols["top"].append(box[1])
            cols["x1"].append(box[2])
            cols["bottom"].append(box[3])
            cols["source_cell"].append(cell_locator(doc.kind, t, c))
    return tables, cols


def _parsed_value(t: records.Target) -> dict:
    text = t.target_text
    if t.comparator_published and text and not text.lstrip().startswith(("≥", "≤", "＞", "＜", ">", "<", "=", "＝")):
        # the comparator printed in its own column (指标性质 ≥ | 指标值 68 | 单位 %) reads as ≥68
        text = t.comparator_published.strip() + text
    try:
        v = parse_target_value(text, t.level3, t.unit_published)
    except Exception as exc:  # noqa: BLE001 - the parser promises never to raise; keep the row anyway
        return {"value_parse_issue": f"value parser failed: {type(exc).__name__}: {exc}", "is_quantitative": False}
    return {
        "comparator": v.comparator,
        "target_value": None if v.value is None else str(v.value),
        "target_unit": v.unit,
        "target_value_base": None if v.value_base is None else str(v.value_base),
        "base_unit": v.base_unit,
        "target_date": v.target_date,
        "is_quantitative": bool(v.is_quantitative),
        "value_parse_issue": v.issue,
    }


# --------------------------------------------------------------------------- the folder
def is_warehouse_artifact(path: Path, warehouse: Optional[Path]) -> bool:
    """The warehouse file or one of the files a build keeps beside it.

    ``<name>``, ``<name>.wal``, ``<name>.lock``, ``<name>.<pid>.building`` (+ ``.wal``),
    ``<name>.<pid>.spill/``, ``<name>.<pid>.dbt/``, ``<name>.wal.stale-…``: everything in the
    warehouse's folder whose name is the warehouse's name or starts with it and a dot.
    """
    if warehouse is None:
        return False
    warehouse = Path(warehouse)
    return (
        Path(os.path.abspath(path.parent)) == Path(os.path.abspath(warehouse.parent))
        and (path.name == warehouse.name or path.name.startswith(warehouse.name + "."))
    )


def discover(folder: Path, exclude: Optional[Path] = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every file below ``folder`` (recursive, stable order) and the folders that could not be read.

    Returns ``(paths, problems)``; ``problems`` are ``(folder relative to folder + "/", reason)``.
    Links that lead nowhere are listed too, so that they are reported as unreadable rather
    than silently left out; links to folders are not followed (as ``Path.rglob``).
    ``exclude`` is a warehouse path: it, its WAL, lock, temporary and spill files are never
    filings, even when the warehouse is written inside ``folder``.
    """
    folder = Path(folder)
    found: list[Path] = []
    problems: list[tuple[str, str]] = []

    def rel(p: Path) -> str:
        return p.relative_to(folder).as_posix()

    def walk(d: Path) -> None:
        try:
            with os.scandir(d) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if d == folder:
                raise
            problems.append((rel(d) + "/", f"cannot read the folder: {exc.strerror or exc}; its files were not read"))
            return
        for e in entries:
            p = Path(e.path)
            if is_warehouse_artifact(p, exclude):
                continue
            try:
                if e.is_dir(follow_symlinks=False):
                    walk(p)
                elif e.is_file() or (e.is_symlink() and not p.exists()):
                    found.append(p)
            except OSError as exc:
                problems.append((rel(p), f"cannot read: {exc.strerror or exc}"))

    walk(folder)
    return sorted(found, key=rel), sorted(problems)


def discover_files(folder: Path, exclude: Optional[Path] = None) -> list[Path]:
    """Every file below ``folder`` (recursive), in a stable order (see ``discover``)."""
    return discover(folder, exclude)[0]


@dataclass
class LoadSummary:
    files: int = 0
    loaded: int = 0
    unrecognised: int = 0  # tables read, none recognised (they are in audit.table_inventory)
    duplicates: int = 0
    failed: int = 0
    reused: int = 0  # loaded from the previous warehouse's parse (unchanged files)
    bytes: int = 0
    pages: int = 0  # PDF pages and workbook sheets read
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (file, status, reason)


def _filing_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _worker_setup(cached: frozenset, parent: int) -> None:
    """Pool initializer: the cache, and never outlive the build that started the worker."""
    import signal
    import threading

    _init_worker(cached)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the pool
    # a forked worker inherits the build's SIGTERM → KeyboardInterrupt handler; raised inside a
    # task it would be reported as that task's error and the worker would live on after the
    # parent's terminate(): a worker ends on SIGTERM, as processes do
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except Exception:  # noqa: BLE001 - the watchdog below still applies
            pass

    def watchdog() -> None:  # also when the pool's parent is not the build (forkserver, spawn)
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            if os.getppid() == 1:
                os._exit(1)

    if os.getppid() != parent and not _alive(parent):
        os._exit(1)
    threading.Thread(target=watchdog, name="medwh-parent-watchdog", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# The local pool's back-pressure: files go to the workers in chunks of at most CHUNK_FILES,
# and at most IN_FLIGHT_PER_WORKER chunks per worker are submitted and not yet taken by the
# parent. A parent slower than its workers then makes them wait instead of piling finished
# results up in its own memory: what the parent holds does not grow with the corpus.
CHUNK_FILES = 16
IN_FLIGHT_PER_WORKER = 3


class _ChunkRows:
    """The staged rows of every file of one chunk: per raw table, one Arrow table (the files'
    rows one after another). Shared by the chunk's ``ReadResult``s: pickled once."""

    __slots__ = ("tables",)

    def __init__(self, tables: dict[str, pa.Table]):
        self.tables = tables


@dataclass
class FileSummary:
    """What ``load_folder`` needs of a file read elsewhere (a pool worker, a cluster task) to
    order, count and reuse it; its rows come from the subclass's ``staged()``."""

    source_file: str
    bytes: int
    sha256: str
    content_sha256: Optional[str]
    encoding: Optional[str]
    line_count: int
    pages: Optional[int]
    cached: bool

    @classmethod
    def fields_of(cls, res: "FileResult") -> dict:
        """The summary's fields, taken from a file's ``FileResult``."""
        return {f.name: getattr(res, f.name) for f in dataclasses.fields(FileSummary)}


@dataclass
class ReadResult(FileSummary):
    """What a pool worker sends back for one file: its summary, and its verdict and rows already
    staged, so that the parent only appends them.

    The rows are the file's slice (``spans``: raw table → offset and count) of its chunk's
    Arrow tables; ``staged_file`` is None for a file the previous warehouse holds (``cached``)."""

    staged_file: Optional["StagedFile"] = None  # verdict and raw.filings row; its tables are in ``chunk``
    spans: dict = field(default_factory=dict)
    chunk: Optional[_ChunkRows] = None

    def staged(self) -> "StagedFile":
        """The file's ``stage``: its verdict and each raw table's rows (Arrow, raw schema)."""
        if self.staged_file is None:
            raise ValueError(f"{self.source_file}: not staged (unchanged since the last build)")
        tables = {t: self.chunk.tables[t].slice(off, n) for t, (off, n) in self.spans.items()}
        return dataclasses.replace(self.staged_file, tables=tables)


def _read_chunk(paths: list[Path], root: Path) -> list[ReadResult]:
    """One pool task: read and stage the files of a chunk, in order.

    The files' rows are gathered as Python columns per raw table and converted to Arrow once
    for the chunk (a conversion per column and file costs more than the values in it)."""
    results: list[ReadResult] = []
    merged: dict[str, dict[str, list]] = {}
    for path in paths:
        res = read_filing(path, root)
        result = ReadResult(**FileSummary.fields_of(res))
        if not res.cached:
            staged = _stage_columns(res)
            for table, columns in staged.tables.items():
                if columns is None:
                    continue
                into = merged.get(table)
                if into is None:
                    into = merged[table] = {f.name: [] for f in RAW_TABLES[table]}
                offset = len(into["filing_id"])
                for name, values in into.items():
                    values.extend(columns[name])
                result.spans[table] = (offset, len(columns["filing_id"]))
            staged.tables = {}
            result.staged_file = staged
        results.append(result)
    chunk = _ChunkRows({t: _columns_to_arrow(t, columns) for t, columns in merged.items()})
    for result in results:
        result.chunk = chunk
    return results


def _iter_results(
    paths: list[Path], root: Path, workers: int, cached: frozenset, task: Callable = _read_chunk,
    chunk_files: Optional[int] = None, in_flight_per_worker: Optional[int] = None,
) -> Iterator:
    """The results of ``task`` (a chunk of paths → one result per path) in the order of ``paths``.

    ``workers`` processes read at most ``workers × IN_FLIGHT_PER_WORKER`` chunks ahead of the
    one the caller is given (a bounded window, not the whole folder); closing the generator
    (or an exception or interruption while the caller holds a result) terminates them.
    """
    if workers <= 1 or len(paths) < 8:
        _init_worker(cached)
        try:
            size = chunk_files or CHUNK_FILES
            for i in range(0, len(paths), size):
                yield from task(paths[i:i + size], root)
        finally:
            _init_worker(frozenset())
        return
    size = chunk_files or max(1, min(CHUNK_FILES, len(paths) // (workers * 8) or 1))
    window = workers * (in_flight_per_worker or IN_FLIGHT_PER_WORKER)
    chunks = iter([paths[i:i + size] for i in range(0, len(paths), size)])
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_setup, initargs=(cached, os.getpid()))
    workers_now: dict = {}
    outstanding: deque = deque()  # futures of the submitted chunks, in path order
    finished = False

    def submit() -> None:
        while len(outstanding) < window:
            chunk = next(chunks, None)
            if chunk is None:
                break
            outstanding.append(pool.submit(task, chunk, root))
        workers_now.update(getattr(pool, "_processes", None) or {})

    try:
        submit()
        while outstanding:
            results = outstanding.popleft().result()
            submit()  # the workers go on while the caller stores this chunk
            for result in results:
                yield result
            del results
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            # interrupted (Ctrl-C, SIGTERM, an error storing a result, the generator closed):
            # stop the workers now rather than letting them finish the queue. The pool's
            # manager thread then fails on the broken pipe: that is expected, not a traceback
            manager = getattr(pool, "_executor_manager_thread", None)
            if manager is not None:
                import threading

                report = threading.excepthook
                threading.excepthook = lambda args: None if args.thread is manager else report(args)
            workers_now.update(getattr(pool, "_processes", None) or {})
            for proc in list(workers_now.values()):
                try:
                    proc.terminate()
                except Exception:  # noqa: BLE001
                    pass
            pool.shutdown(wait=False, cancel_futures=True)


def _columns(table: str, rows: list[dict], filing_id: str, source_file: str) -> Optional[dict[str, list]]:
    """Rows of one file (dicts without provenance: a record's ``__dict__``, a staged table) as
    the columns of ``raw.<table>`` with the file's provenance (a key a row lacks is null);
    ``None`` when there are none."""
    n = len(rows)
    if not n:
        return None
    out: dict[str, list] = {}
    for f in RAW_TABLES[table]:
        name = f.name
        if name == "filing_id":
            out[name] = [filing_id] * n
        elif name == "source_file":
            out[name] = [source_file] * n
        else:
            out[name] = [r.get(name) for r in rows]
    return out


def _columns_to_arrow(table: str, columns: dict[str, list]) -> pa.Table:
    """Python columns of ``raw.<table>`` as Arrow, each converted once with its raw type: the same
    values and types as ``to_arrow`` of the same rows."""
    schema = RAW_TABLES[table]
    return pa.Table.from_arrays([pa.array(columns[f.name], f.type) for f in schema], schema=schema)


def to_arrow(table: str, data) -> pa.Table:
    """Rows of ``raw.<table>`` as Arrow with the raw schema: a list of dicts, a dict of
    columns, or an Arrow table (cast to the schema)."""
    schema = RAW_TABLES[table]
    if isinstance(data, pa.Table):
        return data if data.schema.equals(schema) else data.select(schema.names).cast(schema)
    if isinstance(data, dict):  # lists or Arrow arrays
        return pa.Table.from_pydict({f.name: data[f.name] for f in schema}, schema=schema)
    return pa.Table.from_pydict({f.name: [row.get(f.name) for row in data] for f in schema}, schema=schema)


def _n_rows(data) -> int:
    if isinstance(data, pa.Table):
        return data.num_rows
    if isinstance(data, dict):
        return len(next(iter(data.values()))) if data else 0
    return len(data)


class _Writer:
    """Buffers raw rows and appends them to DuckDB in big Arrow batches.

    Rows come as Arrow tables (``add_arrow``: what ``stage`` gives, or a distributed build's
    Parquet parts), as lists of dicts (``add``: rows the store makes itself, such as a
    duplicate's) or as a dict of columns; the rows of one table are written in the order they
    were given, whatever their form, with one ``insert`` per ``batch_rows`` rows of a table
    (not one per file): the parent only appends what the workers staged.
    """

    def __init__(self, con, batch_rows: int = 100_000):
        self.con = con
        self.batch_rows = batch_rows
        self.rows: dict[str, list[dict]] = {t: [] for t in RAW_TABLES}  # dict rows after the last piece
        self.pieces: dict[str, list[pa.Table]] = {t: [] for t in RAW_TABLES}  # Arrow, in order
        self.pending: dict[str, int] = {t: 0 for t in RAW_TABLES}  # rows buffered (both forms)
        self.counts: dict[str, int] = {t: 0 for t in RAW_TABLES}

    def put(self, table: str, data) -> None:
        """Rows in any of the three forms."""
        if data is None:
            return
        if isinstance(data, pa.Table):
            self.add_arrow(table, data)
        elif isinstance(data, dict):
            self.add_columns(table, data)
        else:
            self.add(table, data)

    def add(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        self.rows[table].extend(rows)
        self._grew(table, len(rows))

    def add_arrow(self, table: str, arrow: pa.Table) -> None:
        if not arrow.num_rows:
            return
        self._rows_to_piece(table)
        self.pieces[table].append(to_arrow(table, arrow))
        self._grew(table, arrow.num_rows)

    def add_columns(self, table: str, columns: Optional[dict]) -> None:
        """A columnar batch (one list or Arrow array per column, provenance included)."""
        if not columns or not _n_rows(columns):
            return
        self.add_arrow(table, to_arrow(table, columns))

    def _grew(self, table: str, n: int) -> None:
        self.pending[table] += n
        if self.pending[table] >= self.batch_rows:
            self.flush(table)

    def _rows_to_piece(self, table: str) -> None:
        rows = self.rows[table]
        if rows:
            self.pieces[table].append(to_arrow(table, rows))
            rows.clear()

    def _insert(self, table: str, arrow: pa.Table) -> None:
        self.con.register("_batch", arrow)
        try:
            self.con.execute(f"insert into raw.{table} by name select * from _batch")
        finally:
            self.con.unregister("_batch")
        self.counts[table] += arrow.num_rows

    def flush(self, table: Optional[str] = None) -> None:
        for t in [table] if table else list(self.pieces):
            self._rows_to_piece(t)
            pieces = self.pieces[t]
            if pieces:
                # one chunk, whatever the pieces were: DuckDB inserts it the same way (same physical
                # order) however the rows came, so that a model's any_value picks the same row in a
                # local and a distributed build
                arrow = pieces[0] if len(pieces) == 1 else pa.concat_tables(pieces)
                pieces.clear()
                self._insert(t, arrow.combine_chunks())
            self.pending[t] = 0


# --------------------------------------------------------------------------- one file's rows, then the folder's
@dataclass
class StagedFile:
    """One file's raw rows and verdict as if it were the first copy of its content.

    Pure (``stage``): whether it is a duplicate is decided when it is stored (``_Store``),
    in discovery order, the same way for a local and a distributed build.
    """

    source_file: str
    status: str  # loaded | unrecognised | failed
    reason: Optional[str]  # why it is not loaded (the summary's skipped lines)
    dedup_key: Optional[str]  # content sha256; None when the file could not be read at all
    filing: dict  # its raw.filings row
    tables: dict = field(default_factory=dict)  # other raw table → its rows as Arrow with the raw schema (None: no rows)


def _stage_columns(res: FileResult) -> StagedFile:
    """``stage`` with each raw table's rows as Python columns (provenance included)."""
    parsed = res.parsed
    base = {
        "source_file": res.source_file,
        "sha256": res.sha256,
        "content_sha256": res.content_sha256,
        "bytes": res.bytes,
        "encoding": res.encoding,
        "line_count": res.line_count,
        "duplicate_of": None,
        "parser_version": parser_version(),
        "document_format": res.document_format,
        "pages": res.pages,
        "table_count": len(res.tables),
    }
    if res.error is not None:
        fid = _filing_id("failed", res.sha256, res.source_file)
        code, message = res.error
        issues = res.read_issues or [records.ParseIssue("error", code, message)]
        return StagedFile(
            res.source_file, "failed", message, None, {**base, "filing_id": fid, "status": "failed"},
            {"parse_issues": _columns("parse_issues", [i.__dict__ for i in issues], fid, res.source_file)},
        )
    assert parsed is not None and res.content_sha256 is not None
    meta = {
        "doc_kinds": ",".join(parsed.doc_kinds) or None,
        "layouts": ",".join(parsed.layouts) or None,
        "department_name": parsed.department_name,
        "unit_code": parsed.unit_code,
        "fiscal_year": parsed.fiscal_year,
        "published_unit": parsed.published_unit,
        "place_mentions": "|".join(parsed.place_mentions) or None,
        "report_type": parsed.report_type or "budget",
        "entity_level_published": parsed.entity_level_published,
    }
    fid = _filing_id(res.content_sha256)
    status = "loaded"
    issues = list(parsed.issues)
    if not parsed.layouts:
        # tables (or a non-text document's prose) were read, but nothing was recognised
        status = "unrecognised" if (res.tables or res.document_format != "text") else "failed"
    elif parsed.fiscal_year is None or not parsed.department_name:
        # facts without a year or an entity cannot be placed: the filing is reported, not loaded
        missing = "fiscal year (预算年度)" if parsed.fiscal_year is None else "department or unit name"
        issues.append(
            records.ParseIssue("error", "not_placeable", f"tables were read but no {missing} was found; the filing is not loaded")
        )
        status = "failed"
    tables = [dict(t) for t in res.tables]
    if status != "loaded":
        for t in tables:  # what was read is staged, but no table gave a fact
            t["recognised_as"], t["facts_loaded"] = None, 0
    cells = None
    if res.cells and _n_rows(res.cells):
        n = _n_rows(res.cells)
        cells = {**res.cells, "filing_id": [fid] * n, "source_file": [res.source_file] * n}
    staged = StagedFile(
        res.source_file, status, None, res.content_sha256, {**base, **meta, "filing_id": fid, "status": status},
        {
            "parse_issues": _columns("parse_issues", [i.__dict__ for i in issues], fid, res.source_file),
            "document_tables": _columns("document_tables", tables, fid, res.source_file),
            "table_cells": cells,
        },
    )
    if status != "loaded":
        staged.reason = next(
            (i.message for i in issues if i.severity == "error"),
            next((i.message for i in issues if i.code in ("tables_unrecognised", "no_tables")), "not a filing"),
        )
        return staged
    for table, attr in _RECORD_LISTS.items():
        rows = [r.__dict__ for r in getattr(parsed, attr)]
        if table == "targets" and res.target_values:
            values = res.target_values
            rows = [{**row, **value} for row, value in zip(rows, values)] + rows[len(values):]
        staged.tables[table] = _columns(table, rows, fid, res.source_file)
    return staged


def stage(res: FileResult) -> StagedFile:
    """The verdict and every raw row of one read file: loaded, unrecognised or failed; each raw
    table's rows as Arrow with the raw schema (None: no rows)."""
    staged = _stage_columns(res)
    staged.tables = {t: None if c is None else _columns_to_arrow(t, c) for t, c in staged.tables.items()}
    return staged


class _Store:
    """Writes staged files in discovery order: the first copy of a content is stored with its
    verdict and rows, every later copy as a duplicate of it (adding no facts)."""

    def __init__(self, writer: _Writer, summary: LoadSummary):
        self.writer = writer
        self.summary = summary
        self.seen: dict[str, str] = {}  # content sha256 → source_file of the copy that was loaded

    def add(self, staged: StagedFile) -> None:
        summary = self.summary
        if staged.dedup_key is not None:
            original = self.seen.get(staged.dedup_key)
            if original is not None:
                self._duplicate(staged, original)
                return
            self.seen[staged.dedup_key] = staged.source_file
        self.writer.add("filings", [staged.filing])
        for table, data in staged.tables.items():
            if data is not None:
                self.writer.put(table, data)
        if staged.status == "loaded":
            summary.loaded += 1
            return
        if staged.status == "failed":
            summary.failed += 1
        else:
            summary.unrecognised += 1
        summary.skipped.append((staged.source_file, staged.status, staged.reason))

    def _duplicate(self, staged: StagedFile, original: str) -> None:
        row = staged.filing
        fid = _filing_id("duplicate", staged.dedup_key, staged.source_file)
        self.writer.add("filings", [{**row, "filing_id": fid, "status": "duplicate", "duplicate_of": original}])
        same = "identical text once decoded" if row.get("document_format") == "text" else "identical bytes"
        message = f"same filing as {original} ({same}); loaded once, this copy adds no facts"
        self.writer.add(
            "parse_issues",
            [{"filing_id": fid, "source_file": staged.source_file, "severity": "warning", "code": "duplicate", "message": message}],
        )
        self.summary.duplicates += 1
        self.summary.skipped.append((staged.source_file, "duplicate", message))


Engine = Callable[[list[Path], Path, frozenset, Optional[Callable]], Iterator]


def load_folder(
    folder: Path,
    con,
    workers: Optional[int] = None,
    progress: Optional[Callable[[int, int, int, float], None]] = None,
    previous: Optional[Path] = None,
    exclude: Optional[Path] = None,
    engine: Optional[Engine] = None,
) -> LoadSummary:
    """Parse every file below ``folder`` into the ``raw`` schema of ``con``.

    ``exclude``: the warehouse being built (never read as a filing, nor its temporary
    files); folders that cannot be read are reported as failed with ``unreadable_folder``.

    With ``previous`` (the last published warehouse), files whose decoded text the
    previous build parsed with the same loader code are not parsed again: their raw
    rows are copied over (under the file's current name).

    ``engine``: where the files are read. By default a local process pool (``workers``);
    otherwise ``engine(paths, folder, cached, progress)`` yields, in the order of
    ``paths``, one ``FileSummary`` per path with a ``staged()`` method (``medwh.cluster``:
    a Dask cluster writing Parquet parts, ``loaders.parts.PartResult``); the engine reports progress itself, as results arrive.
    """
    folder = Path(folder)
    started = time.perf_counter()
    paths, problems = discover(folder, exclude)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    create_raw_schema(con)
    cached_status = _attach_previous(con, previous) if previous is not None else {}
    cached = frozenset(cached_status)
    writer = _Writer(con)
    summary = LoadSummary(files=len(paths))
    store = _Store(writer, summary)
    reuse: list[dict] = []
    if engine is None:
        results = _iter_results(paths, folder, workers, cached)
    else:
        results = engine(paths, folder, cached, progress)
    # closing: an interruption while a result is stored stops the pool's workers (or the cluster's tasks) as well
    with closing(results):
        for n, res in enumerate(results, start=1):
            summary.bytes += res.bytes
            summary.pages += res.pages or 0
            if res.cached and res.content_sha256 not in store.seen:
                store.seen[res.content_sha256] = res.source_file
                # a text export was decoded to find its content (its encoding may differ from the
                # previous copy's); a binary original was recognised by its bytes, not read (no
                # encoding): null keeps what the previous read recorded
                decoded = res.encoding is not None
                reuse.append(
                    {"content_sha256": res.content_sha256, "source_file": res.source_file, "sha256": res.sha256,
                     "bytes": res.bytes, "encoding": res.encoding if decoded else None,
                     "line_count": res.line_count if decoded else None}
                )
                if cached_status.get(res.content_sha256) == "unrecognised":
                    summary.unrecognised += 1
                    summary.skipped.append((res.source_file, "unrecognised", "no table recognised (unchanged since the last build)"))
                else:
                    summary.loaded += 1
                summary.reused += 1
            else:
                if res.cached:  # a duplicate of a reused filing: read it to report it like any duplicate
                    res = _reparse(res, folder)
                store.add(res.staged())
            if progress and engine is None:
                progress(n, len(paths), summary.bytes, time.perf_counter() - started, summary.pages)
    for rel, reason in problems:
        store.add(stage(FileResult(rel, 0, "", error=("unreadable_folder", reason))))
    summary.files += len(problems)
    writer.flush()
    if reuse:
        _copy_previous(con, reuse, writer)
    if cached:
        con.execute("detach prev")
    summary.rows = dict(writer.counts)
    summary.seconds = time.perf_counter() - started
    return summary


def _reparse(res: FileResult, folder: Path) -> FileResult:
    return read_filing(folder / res.source_file, folder, cached=frozenset())


def _attach_previous(con, previous: Path) -> dict[str, str]:
    """Content hashes (→ status) of the files the previous warehouse read with this code."""
    previous = Path(previous)
    if not previous.exists():
        return {}
    try:
        con.execute(f"attach '{_sql_str(str(previous))}' as prev (read_only)")
    except Exception as exc:  # noqa: BLE001 - locked, newer format, damaged: parse everything
        print(f"  previous warehouse not reused ({str(exc).splitlines()[0]}); parsing every file", file=sys.stderr)
        return {}
    try:
        rows = con.execute(
            f"select content_sha256, status from prev.raw.filings where status in {_REUSABLE} and parser_version = ?",
            [parser_version()],
        ).fetchall()
    except Exception:  # noqa: BLE001 - an older layout of raw: parse everything
        con.execute("detach prev")
        return {}
    if not rows:
        con.execute("detach prev")
    return {r[0]: r[1] for r in rows}


_REUSABLE = "('loaded', 'unrecognised')"


def _copy_previous(con, reuse: list[dict], writer: "_Writer") -> None:
    """Copy the previous warehouse's raw rows of unchanged filings, under their current names."""
    mapping = pa.Table.from_pylist(reuse)
    con.register("_reuse", mapping)
    try:
        con.execute(
            f"""insert into raw.filings by name
               select f.* replace (r.source_file as source_file, r.sha256 as sha256, r.bytes as bytes,
                                   coalesce(r.encoding, f.encoding) as encoding,
                                   coalesce(r.line_count, f.line_count) as line_count)
               from prev.raw.filings as f
               join _reuse as r using (content_sha256)
               where f.status in {_REUSABLE}"""
        )
        for table in RAW_TABLES:
            if table == "filings":
                continue
            con.execute(
                f"""insert into raw.{table} by name
                    select t.* replace (m.source_file as source_file)
                    from prev.raw.{table} as t
                    join (select f.filing_id, r.source_file
                          from prev.raw.filings as f join _reuse as r using (content_sha256)
                          where f.status in {_REUSABLE}) as m using (filing_id)"""
            )
    finally:
        con.unregister("_reuse")
    for table in RAW_TABLES:
        writer.counts[table] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]


def _bytes(size: str) -> Optional[int]:
    import re

    m = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]i?B?|B)?\s*", size, re.IGNORECASE)
    if not m:
        return None
    unit = (m.group(2) or "B").upper().replace("I", "").rstrip("B") or "B"
    scale = {"B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}[unit]
    return int(float(m.group(1)) * scale)


def duckdb_threads(memory_limit: str) -> int:
    """DuckDB threads for a memory limit: one per 256MB (at least one, at most the cores).

    Every DuckDB thread holds its own hash tables and sort runs; past the limit DuckDB
    spills what it can, but each thread's working set cannot. Measured: 2,000 filings
    failed in audit.reconciliation at 256MB with 2 threads and built with 1
    (``MEDWH_DUCKDB_THREADS`` overrides).
    """
    forced = os.environ.get("MEDWH_DUCKDB_THREADS")
    if forced:
        return max(1, int(forced))
    limit = _bytes(memory_limit)
    cores = os.cpu_count() or 1
    if limit is None:
        return cores
    return max(1, min(cores, limit // (256 << 20)))


def duckdb_settings(spill: Optional[Path] = None) -> dict:
    """The settings every build connection uses: bounded memory that spills instead of failing."""
    config = {
        "memory_limit": os.environ.get("MEDWH_MEMORY_LIMIT", "768MB"),
        "preserve_insertion_order": False,
    }
    config["threads"] = duckdb_threads(config["memory_limit"])
    if spill is not None:
        config["temp_directory"] = str(spill)
    return config


def open_new_warehouse(path: Path, spill: Optional[Path] = None):
    """A fresh DuckDB file in the storage format DuckDB 1.4+ reads; returns the connection.

    ``spill``: the folder DuckDB spills to past its memory limit (default: DuckDB's own,
    ``<file>.tmp`` beside the database).
    """
    import duckdb

    path = Path(path)
    for suffix in ("", ".wal"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
    con = duckdb.connect(config=duckdb_settings(spill))
    con.execute(f"attach '{_sql_str(str(path))}' as wh (storage_version '{STORAGE_VERSION}')")
    con.execute("use wh")
    return con


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


def print_progress(n: int, total: int, nbytes: int, seconds: float, pages: int = 0) -> None:
    """A one-line progress report on stderr (every 5% of the files, every file while
    PDFs and workbooks are being read, and at the end)."""
    step = max(1, total // 20)
    if n % step and n != total and not pages:
        return
    rate = nbytes / 1e6 / seconds if seconds > 0 else 0.0
    read_pages = f", {pages} pages" if pages else ""
    print(f"  read {n}/{total} files{read_pages}, {nbytes / 1e6:.1f} MB, {rate:.1f} MB/s", file=sys.stderr, flush=True)
