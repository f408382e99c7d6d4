"""Two warehouses compared table by table: every row of every table, as a multiset.

Run-specific columns are left out, and only they: ``audit.build_info.built_at`` (the time
the build ran), ``loader_seconds`` and ``dbt_seconds`` (how long its steps took). Every other
column of every table of every schema (raw, staging, intermediate, marts, audit, reference),
the build fingerprint included, must be equal. There are no other run-specific columns: no
load timestamp, build id or random key is written anywhere else (filing ids are content hashes).
"""

from __future__ import annotations

from pathlib import Path

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


def differences(a: Path, b: Path) -> tuple[list[str], dict[str, int]]:
    """What differs between warehouses ``a`` and ``b`` (empty: identical), and the row count of each table."""
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
            cols = ", ".join(f'"{c}"' for c in ta[key] if c not in RUN_SPECIFIC.get(key, ()))
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
