"""Compare two built warehouses model by model: row counts and a content digest.

    .venv/bin/python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb [OLD=NEW ...]

For a refactor that must not change what the warehouse holds (reformatted SQL, CTEs
reshuffled): every table and view of staging, intermediate, marts and audit, and the rows
each ephemeral check gives (audit.reconciliation per check_name), with its row count in
both files and whether the rows are the same (an order-independent sum of row hashes).
audit.build_info (when and where the file was built) is left out. OLD=NEW compares a
relation renamed between the two (intermediate.check__lines=intermediate.int_budget_lines__keyed).
Exits 1 when anything differs, naming it; a relation only one file has is listed too.
"""

from __future__ import annotations

import sys

import duckdb

SCHEMAS = ("staging", "intermediate", "marts", "audit")
SKIP = {"audit.build_info"}


def measure(path: str) -> dict[str, tuple[int, int]]:
    con = duckdb.connect(path, read_only=True)
    try:
        names = [
            f"{s}.{t}"
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema in ? order by all",
                [list(SCHEMAS)],
            ).fetchall()
        ]
        out = {}
        for name in names:
            if name in SKIP:
                continue
            n, digest = con.execute(f"select count(*), coalesce(sum(hash(t)), 0) from {name} as t").fetchone()
            out[name] = (int(n), int(digest))
        for check, n, digest in con.execute(
            "select check_name, count(*), sum(hash(r)) from (select * exclude (check_id) from audit.reconciliation) "
            "as r group by check_name order by check_name"
        ).fetchall():
            out[f"audit.reconciliation[{check}]"] = (int(n), int(digest))
        return out
    finally:
        con.close()


def main(argv: list[str]) -> int:
    renames = dict(a.split("=", 1) for a in argv if "=" in a)
    paths = [a for a in argv if "=" not in a]
    if len(paths) != 2:
        print("usage:", __doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    before, after = (measure(p) for p in paths)
    before = {renames.get(k, k): v for k, v in before.items()}
    differ = 0
    width = max(len(k) for k in before | after)
    for name in sorted(before | after):
        b, a = before.get(name), after.get(name)
        if b is None or a is None:
            differ += 1
            print(f"{name:<{width}}  only in {'AFTER' if b is None else 'BEFORE'}")
            continue
        same = "same rows" if a == b else ("ROW COUNT DIFFERS" if a[0] != b[0] else "same count, ROWS DIFFER")
        differ += a != b
        print(f"{name:<{width}}  {b[0]:>8} → {a[0]:>8}  {same}")
    print(f"{len(before | after)} relations compared, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
