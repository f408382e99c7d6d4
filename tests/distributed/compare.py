"""Two warehouses compared table by table: every row of every table, as a multiset.

Run-specific columns are left out, and only they: ``audit.build_info.built_at`` (the time
the build ran), ``loader_seconds`` and ``dbt_seconds`` (how long its steps took). Every other
column of every table of every schema (raw, staging, intermediate, marts, audit, reference),
the build fingerprint included, must be equal. There are no other run-specific columns: no
load timestamp, build id or random key is written anywhere else (filing ids are content hashes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import duckdb

RUN_SPECIFIC = {("audit", "build_info"): ("built_at", "loader_seconds", "dbt_seconds")}


def _tables(con, catalog: str) -> dict[tuple[str, str], list[str]]:
    rows = con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where database_name = ? and not internal order by schema_name, table_name, column_index",
        [catalog],
    ).fetchall()
    kinds = {
        (s, t)
        for s, t in con.execute("select schema_name, table_name from duckdb_tables() where database_name = ?", [catalog]).fetchall()
    }
    out: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        if (schema, table) in kinds:
            out.setdefault((schema, table), []).append(column)
    return out


def differences(a: Path, b: Path, ignore: Optional[dict] = None) -> tuple[list[str], dict[str, int]]:
    """What differs between warehouses ``a`` and ``b`` (empty: identical), and the row count of each table.

    ``ignore``: more columns left out, ``{(schema, table): (column, ...)}``: to compare builds by
    two versions of the loader code, ``raw.filings.parser_version`` (the code's hash) and
    ``audit.build_info.fingerprint`` (which includes it), and only them.
    """
    skip = {**RUN_SPECIFIC}
    for key, columns in (ignore or {}).items():
        skip[key] = tuple(skip.get(key, ())) + tuple(columns)
    con = duckdb.connect()
    con.execute(f"attach '{a}' as a (read_only)")
    con.execute(f"attach '{b}' as b (read_only)")
    try:
        ta, tb = _tables(con, "a"), _tables(con, "b")
        problems = []
        if set(ta) != set(tb):
            problems.append(f"tables only in {a.name}: {sorted(set(ta) - set(tb))}; only in {b.name}: {sorted(set(tb) - set(ta))}")
        counts = {}
        for key in sorted(set(ta) & set(tb)):
            schema, table = key
            if ta[key] != tb[key]:
                problems.append(f"{schema}.{table}: columns differ: {ta[key]} vs {tb[key]}")
                continue
            cols = ", ".join(f'"{c}"' for c in ta[key] if c not in skip.get(key, ()))
            na = con.execute(f'select count(*) from a."{schema}"."{table}"').fetchone()[0]
            nb = con.execute(f'select count(*) from b."{schema}"."{table}"').fetchone()[0]
            only_a = con.execute(
                f'select count(*) from (select {cols} from a."{schema}"."{table}" except all select {cols} from b."{schema}"."{table}")'
            ).fetchone()[0]
            only_b = con.execute(
                f'select count(*) from (select {cols} from b."{schema}"."{table}" except all select {cols} from a."{schema}"."{table}")'
            ).fetchone()[0]
            counts[f"{schema}.{table}"] = na
            if na != nb or only_a or only_b:
                sample = con.execute(
                    f'select {cols} from a."{schema}"."{table}" except all select {cols} from b."{schema}"."{table}" limit 3'
                ).fetchall()
                problems.append(
                    f"{schema}.{table}: {na} vs {nb} rows, {only_a} only in the first, {only_b} only in the second; e.g. {sample}"
                )
        return problems, counts
    finally:
        con.close()


OTHER_LOADER_CODE = {("raw", "filings"): ("parser_version",), ("audit", "build_info"): ("fingerprint",)}


if __name__ == "__main__":  # python tests/distributed/compare.py A.duckdb B.duckdb [--other-loader-code]
    import sys

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    found, counts = differences(Path(args[0]), Path(args[1]), OTHER_LOADER_CODE if "--other-loader-code" in sys.argv else None)
    print(f"{len(counts)} tables compared ({sum(counts.values()):,} rows in the first), {len(found)} differ")
    for line in found:
        print(" ", line[:1000])
    sys.exit(1 if found else 0)
