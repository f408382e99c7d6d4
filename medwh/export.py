"""``medwh export``: a table, a mart or a query's result written to CSV, Parquet or XLSX.

    export_result(Path("warehouse.duckdb"), Path("out.csv"), table="marts.dim_department")
    export_result(Path("warehouse.duckdb"), Path("out.parquet"), sql="select …")

The warehouse is opened read-only and locked (:func:`medwh.safequery.connect_locked`), and the
SQL goes through the same guard as ``medwh query`` (:func:`medwh.safequery.run_query`): one
read-only statement, no file readers. The rows are fetched into Python and written here, so
DuckDB itself never writes a file.

* CSV: UTF-8 with a byte-order mark, so Excel opens Chinese correctly; amounts as printed by
  DuckDB (``77232500.00``), dates ISO, null as an empty field.
* Parquet: the result's Arrow types (DECIMAL(20,2) stays a decimal).
* XLSX: one sheet, a bold header row, numbers as numbers, dates as dates (openpyxl).

``chinese_headings``: each column's heading is the Chinese term at the start of its
description (stored as a DuckDB comment by dbt: ``支出合计（元）/ total …`` → ``支出合计（元）``),
else the column name.
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Optional

__all__ = ["FORMATS", "ExportError", "chinese_term", "export_result", "format_for"]

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
_CJK = re.compile(r"[\u3400-\u9fff]")
XLSX_MAX_ROWS = 1_048_575  # one row for the headings


class ExportError(ValueError):
    """What went wrong, in one line, and how to fix it."""


def format_for(out: Path, fmt: Optional[str] = None) -> str:
    """``csv``, ``parquet`` or ``xlsx``: ``fmt`` if given, else from the output's suffix."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in set(FORMATS.values()):
            raise ExportError(f"unknown format {fmt!r}: use --format csv, parquet or xlsx")
        return fmt
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(
            f"cannot tell the format of {out.name} from its suffix: name it .csv, .parquet or .xlsx, or pass --format"
        )
    return FORMATS[suffix]


def chinese_term(description: Optional[str]) -> Optional[str]:
    """The Chinese term a column description starts with, or None.

    ``支出合计（元）/ total …`` → ``支出合计（元）``; ``部门/单位 / the budget entity`` → ``部门/单位``;
    ``工作保障措施 — measures …`` → ``工作保障措施``; ``Stable key …`` → None.
    """
    if not description:
        return None
    text = " ".join(description.split())
    m = re.match(r"^(.+?)\s*(?:/\s|—|：|:\s)", text)
    head = m.group(1).strip() if m else None
    if head and _CJK.search(head) and not re.search(r"[A-Za-z`]", head) and len(head) <= 30:
        return head
    m = re.match(r"^[\u3400-\u9fff“”（）()、·]+", text)
    if m and _CJK.search(m.group(0)):
        return m.group(0)
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _comments(con, tables: list[tuple[Optional[str], str]]) -> dict[str, str]:
    """column name → description, from the tables in order (the first that has the column wins)."""
    out: dict[str, str] = {}
    for schema, name in tables:
        if schema:
            rows = con.execute(
                "select column_name, comment from duckdb_columns() where database_name = current_database() "
                "and schema_name = ? and table_name = ? order by column_index",
                [schema, name],
            ).fetchall()
        else:
            rows = con.execute(
                "select column_name, comment from duckdb_columns() where database_name = current_database() "
                "and table_name = ? order by schema_name, column_index",
                [name],
            ).fetchall()
        for column, comment in rows:
            if comment and column not in out:
                out[column] = comment
    return out


def _tables_in(sql: str) -> list[tuple[Optional[str], str]]:
    """The tables a query reads, in order of appearance (sqlglot)."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except Exception:  # noqa: BLE001 - headings fall back to column names
        return []
    seen: list[tuple[Optional[str], str]] = []
    for t in tree.find_all(exp.Table):
        key = (t.db or None, t.name)
        if t.name and key not in seen:
            seen.append(key)
    return seen


def headings_for(con, columns: list[str], tables: list[tuple[Optional[str], str]]) -> list[str]:
    comments = _comments(con, tables)
    heads = [chinese_term(comments.get(c)) or c for c in columns]
    counts: dict[str, int] = {}
    for h in heads:
        counts[h] = counts.get(h, 0) + 1
    return [f"{h} ({c})" if counts[h] > 1 and h != c else h for h, c in zip(heads, columns)]


def _csv_value(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        return v.isoformat()
    return str(v)


def _xlsx_value(v):
    if v is None or isinstance(v, (bool, int, float, Decimal, str, _dt.datetime, _dt.date, _dt.time)):
        return v
    return str(v)


def _write_csv(path: Path, headings: list[str], rows: list[tuple]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headings)
        for r in rows:
            w.writerow([_csv_value(v) for v in r])


def _write_xlsx(path: Path, headings: list[str], rows: list[tuple], sheet: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if len(rows) > XLSX_MAX_ROWS:
        raise ExportError(f"{len(rows):,} rows do not fit in one Excel sheet ({XLSX_MAX_ROWS:,} at most): export to .csv or .parquet")
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "result"
    ws.append(headings)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([_xlsx_value(v) for v in r])
    ws.freeze_panes = "A2"
    wb.save(path)


def _write_parquet(path: Path, headings: list[str], table) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table.rename_columns(headings), path)


def export_result(
    warehouse: Path,
    out: Path,
    *,
    table: Optional[str] = None,
    sql: Optional[str] = None,
    fmt: Optional[str] = None,
    chinese_headings: bool = False,
) -> tuple[Path, int, str]:
    """Write ``table`` or ``sql``'s result to ``out``; returns (path, rows, format).

    Raises ExportError (a one-line message), medwh.safequery.NotAllowed for a refused
    statement, FileNotFoundError / RuntimeError for a missing or unreadable warehouse and
    duckdb.Error for a failing query.
    """
    from medwh.safequery import connect_locked, run_query

    warehouse, out = Path(warehouse), Path(out)
    if (table is None) == (sql is None):
        raise ExportError("give either a table (medwh export marts.dim_department out.csv) or --sql \"select …\", not both")
    for guarded in (warehouse, Path(str(warehouse) + ".wal")):
        if _same_file(out, guarded):
            raise ExportError(f"{out} is the warehouse itself: write the export to another file")
    kind = format_for(out, fmt)
    if out.is_dir():
        raise ExportError(f"{out} is a folder: pass a file name ending in .csv, .parquet or .xlsx")
    if not out.parent.is_dir():
        raise ExportError(f"folder {out.parent} does not exist: create it or write the export elsewhere")
    if table is not None:
        if not _IDENT.match(table):
            raise ExportError(f"{table!r} is not a table name: pass schema.table (marts.dim_department), or use --sql")
        schema, _, name = table.rpartition(".")
        tables = [(schema or None, name)]
        sql = f'select * from "{schema}"."{name}"' if schema else f'select * from "{name}"'
    else:
        if not sql.strip():
            raise ExportError('empty query: pass one statement, e.g. --sql "select * from marts.dim_department"')
        tables = _tables_in(sql)

    from medwh.cli import _open_read_only

    _open_read_only(warehouse).close()  # a missing file, a newer format: one clear line
    con = connect_locked(warehouse)
    try:
        if table is not None:
            where = "table_schema = ? and table_name = ?" if schema else "table_name = ?"
            params = [schema, name] if schema else [name]
            (found,) = con.execute(
                f"select count(*) from information_schema.tables where table_catalog = current_database() and {where}",
                params,
            ).fetchone()
            if not found:
                raise ExportError(f"the warehouse has no table {table}: list them with medwh query \"show all tables\"")
        rel = run_query(con, sql)
        if rel is None:
            raise ExportError("the statement returns no result to export")
        columns = list(rel.columns)
        headings = headings_for(con, columns, tables) if chinese_headings else columns
        if kind == "parquet":
            arrow = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
            n = arrow.num_rows
        else:
            rows = rel.fetchall()
            n = len(rows)
    finally:
        con.close()

    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if kind == "csv":
            _write_csv(tmp, headings, rows)
        elif kind == "xlsx":
            _write_xlsx(tmp, headings, rows, sheet=(table or "query").rpartition(".")[2])
        else:
            _write_parquet(tmp, headings, arrow)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out, n, kind
